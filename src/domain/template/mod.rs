//! Questionnaire templates: parsed once from TOML, validated, then immutable.
//!
//! Every error names the file, the line and the field, so an official editing a
//! questionnaire can fix it without reading Rust. The format is documented in
//! survey-templates/README.md; `parse` reads it and checks each field, then
//! `validate` checks the whole template. Neither uses the other.
use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::points::PointsMap;
use super::scoring::{GroupMethod, ItemRule, Model, Node};
use super::text::LocalText;

mod encoding;
mod error;
mod parse;

pub use encoding::decode;
pub use error::TemplateError;

/// The breakdown items of a template and the items counted under each of
/// their answers (`Template::breakdown_scope`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BreakdownScope {
    pub dims: Vec<String>,
    pub counted: std::collections::BTreeSet<String>,
}

#[cfg(test)]
mod tests;
mod validate;

/// A validated questionnaire.
#[derive(Debug, Clone)]
pub struct Template {
    pub key: String,
    pub title: LocalText,
    pub audience: Audience,
    pub purpose: LocalText,
    pub confidentiality: Option<LocalText>,
    /// Below this many valid answers a figure is flagged (default 30, [I]).
    pub low_sample_n: u64,
    /// A breakdown cell with fewer respondents than this is
    /// suppressed, so a small unit cannot reveal a person (default 5).
    pub min_cell: u64,
    /// A unit with fewer respondents is listed as "chưa đủ số phiếu" and not
    /// ranked (default: `low_sample_n`, so no figure the results flag as
    /// too uncertain decides a place in the ranking).
    pub rank_min_respondents: u64,
    /// The bands of the published ranking (default A ≥ 90, B ≥ 80, C ≥ 70).
    pub bands: crate::domain::ranking::Bands,
    /// How a section's rate comes from what is below it (default: mean of children, §4.2 [I]).
    pub aggregation: Aggregation,
    /// How units are combined up the unit tree (default: pooled counts).
    pub rollup: Rollup,
    /// How sibling weights are read (default: relative).
    pub weights: WeightMode,
    /// Decimals for display and for deciding ranking ties (default 2, §4.6 [I]).
    pub decimals: u32,
    /// Points of the overall index in the PAR Index, converted linearly
    /// (e.g. 10: 82.05 % → 8.21, §4.4 [I]); None when not part of it.
    pub index_points: Option<f64>,
    pub scales: BTreeMap<String, Scale>,
    pub sections: Vec<Section>,
    pub items: Vec<Item>,
    /// SHA-256 of the source text: the identity of this version.
    pub content_hash: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    Citizen,
    Manager,
}

/// `aggregation = "mean" | "pooled"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Aggregation {
    /// Weighted mean of the children's rates.
    #[default]
    Mean,
    /// 100 × Σ satisfied / Σ valid over every item below; weights unused.
    Pooled,
}

/// `rollup = "counts" | "mean"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rollup {
    /// Add the units' answer counts, then score the pooled counts.
    #[default]
    Counts,
    /// Average the units' rates, node by node (each unit counts once).
    Mean,
}

/// `weights = "relative" | "fractions"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WeightMode {
    /// Any positive numbers; only their ratios matter. Unset = 1.
    #[default]
    Relative,
    /// Every scored sibling states its weight and siblings sum to 1.
    Fractions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScaleKind {
    /// Ordered levels, e.g. the 5-level satisfaction scale or the 4-level
    /// scales of §3.5; only these are scored.
    Ordinal,
    YesNo,
    Single,
    Multiple,
    Text,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleOption {
    pub value: i32,
    pub vi: String,
    #[serde(default)]
    pub en: String,
    /// Answers such as "không biết" or "not applicable" that stay out of the denominator.
    #[serde(default)]
    pub excluded: bool,
    /// Share of an item's max points this answer earns (0..=1); PAR templates only.
    #[serde(default)]
    pub points: Option<f64>,
}

impl ScaleOption {
    pub fn label(&self) -> LocalText {
        LocalText {
            vi: self.vi.clone(),
            en: self.en.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    pub id: String,
    pub kind: ScaleKind,
    pub options: Vec<ScaleOption>,
    /// Levels that count as satisfied (default: the two highest valid levels,
    /// i.e. 4 and 5 on the 5-level scale).
    pub satisfied: Vec<i32>,
    pub max_choices: Option<u32>,
    pub max_length: u32,
}

impl Scale {
    pub fn option(&self, value: i32) -> Option<&ScaleOption> {
        self.options.iter().find(|o| o.value == value)
    }

    /// Values counted in an item's denominator.
    pub fn valid_values(&self) -> Vec<i32> {
        self.options
            .iter()
            .filter(|o| !o.excluded)
            .map(|o| o.value)
            .collect()
    }

    /// Answer value → share of max points: the options' `points` when given,
    /// else linear over the valid levels in ascending order.
    pub fn points_map(&self, max_points: f64) -> PointsMap {
        let valid: Vec<&ScaleOption> = self.options.iter().filter(|o| !o.excluded).collect();
        if valid.iter().all(|o| o.points.is_some()) && !valid.is_empty() {
            return PointsMap {
                max_points,
                shares: valid
                    .iter()
                    .map(|o| (o.value, o.points.unwrap_or(0.0)))
                    .collect(),
            };
        }
        let mut levels: Vec<i32> = valid.iter().map(|o| o.value).collect();
        levels.sort_unstable();
        PointsMap::linear(max_points, &levels)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub code: String,
    pub title: LocalText,
    pub parent: Option<String>,
    pub weight: f64,
    /// Whether the section takes part in the satisfaction index.
    pub scored: bool,
    /// PAR: the field's maximum points, shared by its items.
    pub max_points: Option<f64>,
}

/// Show an item only when an earlier answer has one of the given values.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub item: String,
    pub values: Vec<i32>,
}

impl Condition {
    pub fn holds(&self, answers: &HashMap<String, Vec<i32>>) -> bool {
        answers
            .get(&self.item)
            .is_some_and(|given| given.iter().any(|v| self.values.contains(v)))
    }
}

/// A question's code within its template, e.g. `N8-3`: the form's field
/// name and an export's column. Checked when the template is parsed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct ItemCode(String);

impl ItemCode {
    /// ASCII letters, digits, '-', '_' and '.', at most 40 characters.
    pub fn parse(s: &str) -> Option<ItemCode> {
        let ok = !s.is_empty()
            && s.len() <= 40
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.');
        ok.then(|| ItemCode(s.to_string()))
    }

    /// The text of a code the parser has reported if invalid (a template
    /// with errors is never used).
    pub(crate) fn from_source(s: &str) -> ItemCode {
        ItemCode(s.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

crate::text_newtype!(ItemCode);

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub code: ItemCode,
    pub section: String,
    pub scale: String,
    pub text: LocalText,
    pub required: bool,
    pub weight: f64,
    pub ask_if: Option<Condition>,
    /// PAR: this item's maximum points (default: its field's share).
    pub max_points: Option<f64>,
    /// Results are broken down by this item's answer (gender, age band, education).
    pub breakdown: bool,
}

impl Template {
    /// Parse and validate one template file. Returns every error found, not just the first.
    pub fn parse(file: &str, source: &str) -> Result<Template, Vec<TemplateError>> {
        let mut errs = error::Errors::new(file, source);
        let (template, spans) = parse::template(&mut errs).map_err(|e| vec![e])?;
        // The sum checks walk parent chains and scales: only safe without a cycle.
        if !errs.any_cycle() {
            validate::check(&mut errs, &template, &spans);
        }
        errs.into_result(template)
    }

    pub fn scale_of(&self, item: &Item) -> &Scale {
        // Validation guarantees every item's scale exists.
        &self.scales[&item.scale]
    }

    pub fn item(&self, code: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.code == code)
    }

    pub fn section(&self, code: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.code == code)
    }

    /// What the breakdown tallies keep. A group's figures need the
    /// scored items and the breakdown items themselves (its size), nothing
    /// else, so other answers are not counted again under every group.
    pub fn breakdown_scope(&self) -> BreakdownScope {
        BreakdownScope {
            dims: self
                .items
                .iter()
                .filter(|i| i.breakdown)
                .map(|i| i.code.to_string())
                .collect(),
            counted: self
                .items
                .iter()
                .filter(|i| i.breakdown || self.is_scored(i))
                .map(|i| i.code.to_string())
                .collect(),
        }
    }

    /// Codes of the multiple-choice items, whose tallies also count their
    /// respondents (`scoring::ANSWERED`).
    pub fn multiple_choice_items(&self) -> Vec<String> {
        self.items
            .iter()
            .filter(|i| self.scale_of(i).kind == ScaleKind::Multiple)
            .map(|i| i.code.to_string())
            .collect()
    }

    /// An item is scored when its scale is ordinal and its section (and every
    /// ancestor) takes part in the index.
    pub fn is_scored(&self, item: &Item) -> bool {
        if self.scale_of(item).kind != ScaleKind::Ordinal {
            return false;
        }
        let mut cur = Some(item.section.clone());
        while let Some(code) = cur {
            match self.section(&code) {
                Some(s) if s.scored => cur = s.parent.clone(),
                _ => return false,
            }
        }
        true
    }

    /// The aggregation tree: overall → top sections → sub-sections → scored items.
    pub fn scoring_model(&self) -> Model {
        Model {
            root: Node::Group {
                code: "OVERALL".to_string(),
                weight: 1.0,
                children: self.section_nodes(None),
            },
            method: match self.aggregation {
                Aggregation::Mean => GroupMethod::MeanOfChildren,
                Aggregation::Pooled => GroupMethod::PooledCounts,
            },
            low_sample_n: self.low_sample_n,
        }
    }

    fn section_nodes(&self, parent: Option<&str>) -> Vec<Node> {
        self.sections
            .iter()
            .filter(|s| s.scored && s.parent.as_deref() == parent)
            .filter_map(|s| {
                let mut children = self.section_nodes(Some(&s.code));
                children.extend(
                    self.items
                        .iter()
                        .filter(|i| i.section == s.code && self.is_scored(i))
                        .map(|i| {
                            let scale = self.scale_of(i);
                            Node::Item {
                                code: i.code.to_string(),
                                weight: i.weight,
                                rule: ItemRule {
                                    satisfied: scale.satisfied.clone(),
                                    valid: scale.valid_values(),
                                },
                            }
                        }),
                );
                (!children.is_empty()).then(|| Node::Group {
                    code: s.code.clone(),
                    weight: s.weight,
                    children,
                })
            })
            .collect()
    }

    /// About how many minutes the questionnaire takes: 8 seconds per choice
    /// question (reading a short statement and tapping an answer, the pace
    /// usability studies of rating scales report), 30 per free-text one, and
    /// half a minute to read the introduction; rounded up.
    pub fn minutes_to_answer(&self) -> u32 {
        let seconds: u32 = self
            .items
            .iter()
            .map(|i| {
                if self.scale_of(i).kind == ScaleKind::Text {
                    30
                } else {
                    8
                }
            })
            .sum::<u32>()
            + 30;
        seconds.div_ceil(60).max(1)
    }

    /// Whether the template carries PAR points (some section or item has `max_points`).
    pub fn has_points(&self) -> bool {
        self.sections.iter().any(|s| s.max_points.is_some())
            || self.items.iter().any(|i| i.max_points.is_some())
    }

    /// Items that earn points in a section: those with their own `max_points`,
    /// or every ordinal item of a section that has `max_points`.
    fn point_items(&self, section: &Section) -> Vec<&Item> {
        self.items
            .iter()
            .filter(|i| i.section == section.code)
            .filter(|i| {
                i.max_points.is_some()
                    || (section.max_points.is_some() && self.scale_of(i).kind == ScaleKind::Ordinal)
            })
            .collect()
    }

    /// PAR fields with each item's points mapping. An item without its own
    /// `max_points` gets an equal share of what its field has left.
    pub fn points_fields(&self) -> Vec<(String, Vec<(String, PointsMap)>)> {
        self.sections
            .iter()
            .filter_map(|s| {
                let items = self.point_items(s);
                if items.is_empty() {
                    return None;
                }
                let explicit: f64 = items.iter().filter_map(|i| i.max_points).sum();
                let open = items.iter().filter(|i| i.max_points.is_none()).count();
                let share = match (s.max_points, open) {
                    (Some(m), n) if n > 0 => (m - explicit).max(0.0) / n as f64,
                    _ => 0.0,
                };
                let maps = items
                    .iter()
                    .map(|i| {
                        let max = i.max_points.unwrap_or(share);
                        (i.code.to_string(), self.scale_of(i).points_map(max))
                    })
                    .collect();
                Some((s.code.clone(), maps))
            })
            .collect()
    }
}
