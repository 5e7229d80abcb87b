//! Reading a template's TOML and checking it; see survey-templates/README.md.
use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Deserialize;
use sha2::{Digest, Sha256};
use toml::Spanned;

use super::validate::{check_field_points, check_option_points, check_weights, top_two};
use super::{
    Aggregation, Audience, Condition, Item, Rollup, Scale, ScaleKind, ScaleOption, Section,
    Template, TemplateError, WeightMode,
};
use crate::domain::text::LocalText;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTemplate {
    key: Spanned<String>,
    title: LocalText,
    audience: Audience,
    #[serde(default)]
    purpose: LocalText,
    confidentiality: Option<LocalText>,
    low_sample_n: Option<u64>,
    /// Breakdown cells with fewer respondents are suppressed (default 5).
    min_cell: Option<u64>,
    #[serde(default)]
    aggregation: Aggregation,
    #[serde(default)]
    rollup: Rollup,
    #[serde(default)]
    weights: WeightMode,
    decimals: Option<u32>,
    index_points: Option<Spanned<f64>>,
    #[serde(default)]
    scales: BTreeMap<String, Spanned<RawScale>>,
    #[serde(default)]
    sections: Vec<RawSection>,
    #[serde(default)]
    items: Vec<RawItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScale {
    kind: ScaleKind,
    #[serde(default)]
    options: Vec<ScaleOption>,
    satisfied: Option<Vec<i32>>,
    max_choices: Option<u32>,
    max_length: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSection {
    code: Spanned<String>,
    title: LocalText,
    parent: Option<Spanned<String>>,
    weight: Option<Spanned<f64>>,
    scored: Option<bool>,
    pub(super) max_points: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    code: Spanned<String>,
    section: Spanned<String>,
    scale: Spanned<String>,
    text: LocalText,
    required: Option<bool>,
    weight: Option<Spanned<f64>>,
    ask_if: Option<Spanned<String>>,
    max_points: Option<Spanned<f64>>,
    /// Results are broken down by this item's answer.
    breakdown: Option<Spanned<bool>>,
}

fn line_of(source: &str, offset: usize) -> usize {
    source[..offset.min(source.len())]
        .bytes()
        .filter(|b| *b == b'\n')
        .count()
        + 1
}

fn is_code(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 40
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
}

pub(super) struct Errors<'a> {
    file: &'a str,
    source: &'a str,
    list: Vec<TemplateError>,
}

impl Errors<'_> {
    pub(super) fn at(
        &mut self,
        offset: usize,
        field: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.list.push(TemplateError {
            file: self.file.to_string(),
            line: line_of(self.source, offset),
            field: field.into(),
            message: message.into(),
        });
    }
}

/// Parse `ITEM = 1` or `ITEM in [1, 2]`.
pub(super) fn parse_condition(s: &str) -> Option<Condition> {
    let s = s.trim();
    let (item, rest) = if let Some((a, b)) = s.split_once(" in ") {
        (a.trim(), b.trim().strip_prefix('[')?.strip_suffix(']')?)
    } else {
        let (a, b) = s.split_once('=')?;
        (a.trim(), b.trim())
    };
    let values: Option<Vec<i32>> = rest
        .split(',')
        .map(|v| v.trim().parse::<i32>().ok())
        .collect();
    let values = values?;
    if !is_code(item) || values.is_empty() {
        return None;
    }
    Some(Condition {
        item: item.to_string(),
        values,
    })
}

impl Template {
    /// Parse and validate one template file. Returns every error found, not just the first.
    pub fn parse(file: &str, source: &str) -> Result<Template, Vec<TemplateError>> {
        let raw: RawTemplate = toml::from_str(source).map_err(|e| {
            let line = e.span().map(|s| line_of(source, s.start)).unwrap_or(1);
            vec![TemplateError {
                file: file.to_string(),
                line,
                field: "toml".to_string(),
                message: e.message().to_string(),
            }]
        })?;
        let mut errs = Errors {
            file,
            source,
            list: Vec::new(),
        };

        if !is_code(raw.key.get_ref()) {
            errs.at(
                raw.key.span().start,
                "key",
                "must be 1–40 ASCII letters, digits, '-', '_' or '.'",
            );
        }
        if raw.title.vi.trim().is_empty() {
            errs.at(0, "title.vi", "a Vietnamese title is required");
        }

        let mut scales = BTreeMap::new();
        for (id, spanned) in &raw.scales {
            let at = spanned.span().start;
            let rs = spanned.get_ref();
            let field = |f: &str| format!("scales.{id}.{f}");
            let mut seen = HashSet::new();
            for o in &rs.options {
                if !seen.insert(o.value) {
                    errs.at(
                        at,
                        field("options"),
                        format!("value {} appears twice", o.value),
                    );
                }
                if o.vi.trim().is_empty() {
                    errs.at(
                        at,
                        field("options"),
                        format!("value {} has no Vietnamese label", o.value),
                    );
                }
                if o.value == crate::domain::scoring::ANSWERED {
                    errs.at(
                        at,
                        field("options"),
                        format!("value {} is reserved", o.value),
                    );
                }
            }
            let needs_options = !matches!(rs.kind, ScaleKind::Text);
            if needs_options && rs.options.is_empty() {
                errs.at(at, field("options"), "a choice scale needs options");
            }
            let satisfied = match (&rs.satisfied, rs.kind) {
                (Some(s), _) => s.clone(),
                (None, ScaleKind::Ordinal) => top_two(&rs.options),
                (None, _) => Vec::new(),
            };
            check_option_points(&mut errs, at, &field("options"), &rs.options);
            for v in &satisfied {
                if !rs.options.iter().any(|o| o.value == *v && !o.excluded) {
                    errs.at(
                        at,
                        field("satisfied"),
                        format!("{v} is not a valid option of this scale"),
                    );
                }
            }
            if rs.kind == ScaleKind::Multiple {
                match rs.max_choices {
                    Some(0) => errs.at(at, field("max_choices"), "must be at least 1"),
                    Some(m) if m as usize > rs.options.len() => errs.at(
                        at,
                        field("max_choices"),
                        "is more than the number of options",
                    ),
                    _ => {}
                }
            }
            scales.insert(
                id.clone(),
                Scale {
                    id: id.clone(),
                    kind: rs.kind,
                    options: rs.options.clone(),
                    satisfied,
                    max_choices: rs.max_choices,
                    max_length: rs.max_length.unwrap_or(1000),
                },
            );
        }

        let mut sections: Vec<Section> = Vec::new();
        let mut section_codes = HashSet::new();
        for (i, rs) in raw.sections.iter().enumerate() {
            let code = rs.code.get_ref();
            let field = |f: &str| format!("sections[{i}].{f}");
            if !is_code(code) {
                errs.at(rs.code.span().start, field("code"), "not a valid code");
            }
            if !section_codes.insert(code.clone()) {
                errs.at(
                    rs.code.span().start,
                    field("code"),
                    format!("duplicate code {code}"),
                );
            }
            let weight = rs.weight.as_ref().map(|w| *w.get_ref()).unwrap_or(1.0);
            if let Some(w) = &rs.weight {
                if !(w.get_ref().is_finite() && *w.get_ref() > 0.0) {
                    errs.at(w.span().start, field("weight"), "must be a positive number");
                }
            }
            sections.push(Section {
                code: code.clone(),
                title: rs.title.clone(),
                parent: rs.parent.as_ref().map(|p| p.get_ref().clone()),
                weight,
                scored: rs.scored.unwrap_or(true),
                max_points: rs.max_points.as_ref().map(|m| *m.get_ref()),
            });
            if let Some(m) = &rs.max_points {
                if !(m.get_ref().is_finite() && *m.get_ref() > 0.0) {
                    errs.at(
                        m.span().start,
                        field("max_points"),
                        "must be a positive number",
                    );
                }
            }
        }
        for (i, rs) in raw.sections.iter().enumerate() {
            if let Some(p) = &rs.parent {
                if !section_codes.contains(p.get_ref()) {
                    errs.at(
                        p.span().start,
                        format!("sections[{i}].parent"),
                        format!("no section has code {}", p.get_ref()),
                    );
                }
            }
        }
        // A parent chain must end: walk up at most `len` steps.
        for s in &sections {
            let mut cur = s.parent.clone();
            let mut steps = 0;
            while let Some(p) = cur {
                steps += 1;
                if steps > sections.len() {
                    errs.at(
                        0,
                        format!("sections.{}", s.code),
                        "parent chain forms a cycle",
                    );
                    break;
                }
                cur = sections
                    .iter()
                    .find(|x| x.code == p)
                    .and_then(|x| x.parent.clone());
            }
        }

        let mut items: Vec<Item> = Vec::new();
        let mut item_codes: HashMap<String, usize> = HashMap::new();
        for (i, ri) in raw.items.iter().enumerate() {
            let code = ri.code.get_ref();
            let field = |f: &str| format!("items[{i}].{f} ({code})");
            if !is_code(code) {
                errs.at(ri.code.span().start, field("code"), "not a valid code");
            }
            if section_codes.contains(code) || item_codes.insert(code.clone(), i).is_some() {
                errs.at(
                    ri.code.span().start,
                    field("code"),
                    format!("duplicate code {code}"),
                );
            }
            if !section_codes.contains(ri.section.get_ref()) {
                errs.at(
                    ri.section.span().start,
                    field("section"),
                    format!("no section has code {}", ri.section.get_ref()),
                );
            }
            if !scales.contains_key(ri.scale.get_ref()) {
                errs.at(
                    ri.scale.span().start,
                    field("scale"),
                    format!("unknown scale {}", ri.scale.get_ref()),
                );
            }
            if ri.text.vi.trim().is_empty() {
                errs.at(
                    ri.code.span().start,
                    field("text.vi"),
                    "the Vietnamese text is required",
                );
            }
            let weight = ri.weight.as_ref().map(|w| *w.get_ref()).unwrap_or(1.0);
            if let Some(w) = &ri.weight {
                if !(w.get_ref().is_finite() && *w.get_ref() > 0.0) {
                    errs.at(w.span().start, field("weight"), "must be a positive number");
                }
            }
            let ask_if = match &ri.ask_if {
                None => None,
                Some(c) => match parse_condition(c.get_ref()) {
                    Some(cond) => {
                        // Only an earlier item can steer this one, so a one-pass form works.
                        if !item_codes.contains_key(&cond.item) || cond.item == *code {
                            errs.at(
                                c.span().start,
                                field("ask_if"),
                                format!("names {}, which is not an earlier item", cond.item),
                            );
                        } else if let Some(scale) = items
                            .iter()
                            .find(|x| x.code == cond.item)
                            .and_then(|x| scales.get(&x.scale))
                        {
                            let scale: &Scale = scale;
                            for v in cond.values.iter().filter(|v| scale.option(**v).is_none()) {
                                errs.at(
                                    c.span().start,
                                    field("ask_if"),
                                    format!("{v} is not an option of {}", cond.item),
                                );
                            }
                        }
                        Some(cond)
                    }
                    None => {
                        errs.at(
                            c.span().start,
                            field("ask_if"),
                            "expected `ITEM = value` or `ITEM in [v1, v2]`",
                        );
                        None
                    }
                },
            };
            items.push(Item {
                code: code.clone(),
                section: ri.section.get_ref().clone(),
                scale: ri.scale.get_ref().clone(),
                text: ri.text.clone(),
                required: ri.required.unwrap_or(true),
                weight,
                ask_if,
                max_points: ri.max_points.as_ref().map(|m| *m.get_ref()),
                breakdown: ri.breakdown.as_ref().is_some_and(|b| *b.get_ref()),
            });
            if let Some(b) = ri.breakdown.as_ref().filter(|b| *b.get_ref()) {
                let one_answer = scales.get(ri.scale.get_ref()).is_some_and(|s: &Scale| {
                    matches!(
                        s.kind,
                        ScaleKind::Single | ScaleKind::YesNo | ScaleKind::Ordinal
                    )
                });
                if !one_answer {
                    errs.at(
                        b.span().start,
                        field("breakdown"),
                        "only an item with one answer among options can break results down",
                    );
                }
            }
            if let Some(m) = &ri.max_points {
                let ordinal = scales
                    .get(ri.scale.get_ref())
                    .is_some_and(|s: &Scale| s.kind == ScaleKind::Ordinal);
                if !(m.get_ref().is_finite() && *m.get_ref() > 0.0) {
                    errs.at(
                        m.span().start,
                        field("max_points"),
                        "must be a positive number",
                    );
                } else if !ordinal {
                    errs.at(
                        m.span().start,
                        field("max_points"),
                        "only an item on an ordinal scale can earn points",
                    );
                }
            }
        }

        if items.is_empty() {
            errs.at(0, "items", "a template needs at least one item");
        }
        // The sum checks walk parent chains and scales: only safe without a cycle.
        let cyclic = errs.list.iter().any(|e| e.message.contains("cycle"));
        if raw.decimals.is_some_and(|d| d > 6) {
            errs.at(0, "decimals", "must be between 0 and 6");
        }
        if let Some(p) = &raw.index_points {
            if !(p.get_ref().is_finite() && *p.get_ref() > 0.0) {
                errs.at(p.span().start, "index_points", "must be a positive number");
            }
        }
        let content_hash = hex::encode(Sha256::digest(source.as_bytes()));
        let template = Template {
            key: raw.key.into_inner(),
            title: raw.title,
            audience: raw.audience,
            purpose: raw.purpose,
            confidentiality: raw.confidentiality,
            low_sample_n: raw.low_sample_n.unwrap_or(30),
            min_cell: raw.min_cell.unwrap_or(5),
            aggregation: raw.aggregation,
            rollup: raw.rollup,
            weights: raw.weights,
            decimals: raw.decimals.unwrap_or(2),
            index_points: raw.index_points.as_ref().map(|p| *p.get_ref()),
            scales,
            sections,
            items,
            content_hash,
        };
        let section_spans: Vec<(Option<usize>, usize)> = raw
            .sections
            .iter()
            .map(|s| {
                (
                    s.weight.as_ref().map(|w| w.span().start),
                    s.code.span().start,
                )
            })
            .collect();
        let item_spans: Vec<(Option<usize>, usize)> = raw
            .items
            .iter()
            .map(|i| {
                (
                    i.weight.as_ref().map(|w| w.span().start),
                    i.code.span().start,
                )
            })
            .collect();
        if !cyclic {
            check_weights(&mut errs, &template, &section_spans, &item_spans);
            check_field_points(&mut errs, &template, &raw.sections);
        }
        if errs.list.is_empty() {
            Ok(template)
        } else {
            Err(errs.list)
        }
    }
}
