//! The results JSON: one unit's (or roll-up's) figures built from the pure
//! engine's output. Names follow the methodology: components are scored
//! sections (elements, domains, content areas), items are criteria.
use std::collections::HashMap;

use serde::Serialize;

use crate::domain::points::PointsResult;
use crate::domain::ranking::{Band, Block, Standing};
use crate::domain::scoring::{self, Change, Model, NodeResult, OptionCounts, Tally};
use crate::domain::template::{ScaleKind, Template};
use crate::domain::unit::UnitKind;

#[derive(Debug, Clone, Serialize)]
pub struct UnitResult {
    pub unit_code: String,
    pub unit_name: String,
    pub unit_kind: UnitKind,
    pub respondents: u64,
    /// The sample target set by `sipas sample-size --campaign`, if any.
    pub target: Option<u64>,
    /// Rank by overall rate among the campaign's units of the same `block`
    /// (1 = best; ties share a rank, decided on the template's `decimals`).
    /// None for roll-ups and for units whose `standing` is not `ranked`.
    pub rank: Option<u32>,
    /// The group the unit is ranked in: departments, districts or communes.
    pub block: Block,
    /// Whether the unit is ranked, or why not: too few respondents
    /// (`rank_min_respondents`), a level above other units of the campaign,
    /// or no data.
    pub standing: Standing,
    /// The band of the overall rate (A, B, C, D by the template's `bands`).
    pub band: Option<Band>,
    /// With a comparison: the rank the unit's baseline takes among this
    /// campaign's units (so a rank change is read against the same units).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank_before: Option<u32>,
    /// With a comparison across a reorganisation: the codes of the units of
    /// the campaign compared with whose counts (whole or a share) make this
    /// unit's baseline. Every change of such a unit is `estimated`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub estimated_from: Vec<String>,
    /// Roll-ups only: the campaign's units whose answers are pooled here.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub units_included: Vec<String>,
    pub overall: Overall,
    pub components: Vec<ComponentResult>,
    /// Share of each option of every choice item, perceptions, expectations
    /// and demographics included (free text is never published).
    pub distributions: Vec<DistributionResult>,
    /// PAR templates: points per field and in total.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<PointsResult>,
    /// The overall index and components by each breakdown item's
    /// answer (gender, age band, education); small cells suppressed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub breakdowns: Vec<BreakdownResult>,
}

/// Results by the answer to one breakdown item.
#[derive(Debug, Clone, Serialize)]
pub struct BreakdownResult {
    pub code: String,
    pub text: String,
    pub text_en: String,
    pub groups: Vec<BreakdownGroup>,
}

/// One answer's group. With fewer respondents than the template's
/// `min_cell`, `suppressed` is true and no figure is given.
#[derive(Debug, Clone, Serialize)]
pub struct BreakdownGroup {
    pub value: i32,
    pub label: String,
    pub label_en: String,
    pub suppressed: bool,
    pub respondents: Option<u64>,
    pub rate: Option<f64>,
    pub components: Vec<BreakdownComponent>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BreakdownComponent {
    pub code: String,
    pub rate: Option<f64>,
}

/// Breakdowns from pooled per-(item, answer) tallies.
pub fn breakdowns(
    template: &Template,
    model: &Model,
    tallies: &HashMap<(String, i32), Tally>,
) -> Vec<BreakdownResult> {
    template
        .items
        .iter()
        .filter(|i| i.breakdown)
        .map(|dim| {
            let scale = template.scale_of(dim);
            let groups = scale
                .options
                .iter()
                .map(|o| {
                    let tally = tallies.get(&(dim.code.to_string(), o.value));
                    let n = tally
                        .and_then(|t| t.get(dim.code.as_str()))
                        .and_then(|c| c.get(&o.value))
                        .copied()
                        .unwrap_or(0);
                    let shown = n >= template.min_cell;
                    let scored = tally.filter(|_| shown).map(|t| scoring::score(model, t));
                    BreakdownGroup {
                        value: o.value,
                        label: o.vi.clone(),
                        label_en: o.en.clone(),
                        suppressed: !shown,
                        respondents: shown.then_some(n),
                        rate: scored.as_ref().and_then(|r| r.rate),
                        components: scored
                            .map(|r| {
                                r.children
                                    .iter()
                                    .map(|c| BreakdownComponent {
                                        code: c.code.clone(),
                                        rate: c.rate,
                                    })
                                    .collect()
                            })
                            .unwrap_or_default(),
                    }
                })
                .collect();
            BreakdownResult {
                code: dim.code.to_string(),
                text: dim.text.vi.clone(),
                text_en: dim.text.en.clone(),
                groups,
            }
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct Overall {
    pub rate: Option<f64>,
    /// The largest valid_n among the items below.
    pub valid_n: u64,
    pub low_sample: bool,
    /// The template's `index_points` × rate / 100: the index's points in the PAR Index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<f64>,
    /// Against `?compare=` (same unit, previous campaign).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
}

/// A scored section (component, domain or content area) with its items and
/// any sub-sections.
#[derive(Debug, Clone, Serialize)]
pub struct ComponentResult {
    pub code: String,
    pub title: String,
    pub title_en: String,
    pub rate: Option<f64>,
    pub valid_n: u64,
    pub low_sample: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<ComponentResult>,
    pub items: Vec<ItemResult>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemResult {
    pub code: String,
    pub text: String,
    pub text_en: String,
    pub valid_n: u64,
    pub satisfied_n: u64,
    pub rate: Option<f64>,
    /// Wilson 95 % interval, in percent.
    pub ci95: Option<[f64; 2]>,
    pub low_sample: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DistributionResult {
    pub code: String,
    pub text: String,
    pub text_en: String,
    pub section: String,
    /// Whether the item feeds the satisfaction index (perceptions,
    /// expectations and demographics do not).
    pub scored: bool,
    /// Several options may be chosen: the shares are of respondents and may
    /// add up to more than 100.
    pub multiple: bool,
    /// Respondents who answered the item: the shares' base.
    pub respondents: u64,
    /// Answers given among the item's options: for a multiple-choice item
    /// its ticks (a respondent may give several), else `respondents`.
    pub n: u64,
    pub options: Vec<OptionShare>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OptionShare {
    pub value: i32,
    pub label: String,
    pub label_en: String,
    /// Respondents who chose it (its ticks, for a multiple-choice item).
    pub count: u64,
    /// Percent of the item's respondents.
    pub share: f64,
    /// "Không biết" and the like: out of a rate's denominator.
    pub excluded: bool,
    /// Counts as satisfied in the item's rate.
    pub satisfied: bool,
}

/// Changes by node code, from `scoring::compare`.
pub type Changes = HashMap<String, Change>;

fn item(template: &Template, node: &NodeResult, changes: Option<&Changes>) -> ItemResult {
    let text = template
        .item(&node.code)
        .map(|i| i.text.clone())
        .unwrap_or_default();
    ItemResult {
        code: node.code.clone(),
        text: text.vi,
        text_en: text.en,
        valid_n: node.valid_n,
        satisfied_n: node.satisfied_n,
        rate: node.rate,
        ci95: node.ci95.map(|(a, b)| [a, b]),
        low_sample: node.low_sample,
        change: changes.and_then(|c| c.get(&node.code)).copied(),
    }
}

fn component(template: &Template, node: &NodeResult, changes: Option<&Changes>) -> ComponentResult {
    let mut components = Vec::new();
    let mut items = Vec::new();
    for child in &node.children {
        if template.item(&child.code).is_some() {
            items.push(item(template, child, changes));
        } else {
            components.push(component(template, child, changes));
        }
    }
    let title = template
        .section(&node.code)
        .map(|s| s.title.clone())
        .unwrap_or_default();
    ComponentResult {
        code: node.code.clone(),
        title: title.vi,
        title_en: title.en,
        rate: node.rate,
        valid_n: node.valid_n,
        low_sample: node.low_sample,
        change: changes.and_then(|c| c.get(&node.code)).copied(),
        components,
        items,
    }
}

pub fn overall(template: &Template, node: &NodeResult, changes: Option<&Changes>) -> Overall {
    Overall {
        rate: node.rate,
        valid_n: node.valid_n,
        low_sample: node.low_sample,
        points: template
            .index_points
            .and_then(|max| scoring::sipas_points(node.rate, max)),
        change: changes.and_then(|c| c.get(&node.code)).copied(),
    }
}

pub fn components(
    template: &Template,
    scored: &NodeResult,
    changes: Option<&Changes>,
) -> Vec<ComponentResult> {
    scored
        .children
        .iter()
        .map(|c| component(template, c, changes))
        .collect()
}

/// Option shares of every item with options, in template order.
pub fn distributions(template: &Template, tally: &Tally) -> Vec<DistributionResult> {
    let empty = OptionCounts::new();
    template
        .items
        .iter()
        .filter_map(|i| {
            let scale = template.scale_of(i);
            if scale.kind == ScaleKind::Text {
                return None;
            }
            let values: Vec<i32> = scale.options.iter().map(|o| o.value).collect();
            let counts = tally.get(i.code.as_str()).unwrap_or(&empty);
            let multiple = scale.kind == ScaleKind::Multiple;
            let d = if multiple {
                scoring::multiple_choice_distribution(&i.code, counts, &values)
            } else {
                scoring::distribution(&i.code, counts, &values)
            };
            Some(DistributionResult {
                code: i.code.to_string(),
                text: i.text.vi.clone(),
                text_en: i.text.en.clone(),
                section: i.section.clone(),
                scored: template.is_scored(i),
                multiple,
                respondents: d.respondents,
                n: d.n,
                options: d
                    .shares
                    .into_iter()
                    .map(|(value, count, share)| OptionShare {
                        value,
                        label: scale
                            .option(value)
                            .map(|o| o.vi.clone())
                            .unwrap_or_default(),
                        label_en: scale
                            .option(value)
                            .map(|o| o.en.clone())
                            .unwrap_or_default(),
                        count,
                        share,
                        excluded: scale.option(value).is_some_and(|o| o.excluded),
                        satisfied: scale.satisfied.contains(&value),
                    })
                    .collect(),
            })
        })
        .collect()
}
