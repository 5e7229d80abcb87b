//! `[[items]]`: the questions, what they refer to, and when they are asked.
use std::collections::{BTreeMap, HashSet};

use serde::Deserialize;
use toml::Spanned;

use super::{check_positive, field_spans, is_code};
use crate::domain::template::error::{Errors, FieldSpans};
use crate::domain::template::{Condition, Item, Scale, ScaleKind, Section};
use crate::domain::text::LocalText;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawItem {
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

impl RawItem {
    pub(super) fn spans(&self) -> FieldSpans {
        field_spans(&self.code, &self.weight, &self.max_points)
    }
}

/// What an item is checked against: the parsed sections and scales and the
/// items before it.
struct Context<'a> {
    section_codes: HashSet<&'a str>,
    scales: &'a BTreeMap<String, Scale>,
    earlier: Vec<Item>,
}

impl Context<'_> {
    fn scale(&self, id: &str) -> Option<&Scale> {
        self.scales.get(id)
    }
}

/// Every item, in order; there must be at least one.
pub(super) fn parse(
    raw: &[RawItem],
    sections: &[Section],
    scales: &BTreeMap<String, Scale>,
    errs: &mut Errors<'_>,
) -> Vec<Item> {
    let mut cx = Context {
        section_codes: sections.iter().map(|s| s.code.as_str()).collect(),
        scales,
        earlier: Vec::new(),
    };
    for (i, ri) in raw.iter().enumerate() {
        let item = item(i, ri, &cx, errs);
        cx.earlier.push(item);
    }
    if cx.earlier.is_empty() {
        errs.at(0, "items", "a template needs at least one item");
    }
    cx.earlier
}

fn item(i: usize, ri: &RawItem, cx: &Context<'_>, errs: &mut Errors<'_>) -> Item {
    let code = ri.code.get_ref();
    let field = |f: &str| format!("items[{i}].{f} ({code})");
    check_references(ri, cx, errs, field);
    if let Some(w) = &ri.weight {
        check_positive(errs, w, field("weight"));
    }
    let ask_if = ri
        .ask_if
        .as_ref()
        .and_then(|c| ask_if(c, code, cx, errs, field("ask_if")));
    if let Some(b) = ri.breakdown.as_ref().filter(|b| *b.get_ref()) {
        check_breakdown(b, cx.scale(ri.scale.get_ref()), errs, field("breakdown"));
    }
    if let Some(m) = &ri.max_points {
        check_max_points(m, cx.scale(ri.scale.get_ref()), errs, field("max_points"));
    }
    Item {
        code: super::super::ItemCode::from_source(code),
        section: ri.section.get_ref().clone(),
        scale: ri.scale.get_ref().clone(),
        text: ri.text.clone(),
        required: ri.required.unwrap_or(true),
        weight: ri.weight.as_ref().map_or(1.0, |w| *w.get_ref()),
        ask_if,
        max_points: ri.max_points.as_ref().map(|m| *m.get_ref()),
        breakdown: ri.breakdown.as_ref().is_some_and(|b| *b.get_ref()),
    }
}

/// The item's code is valid and its own; its section and scale exist; it has a text.
fn check_references(
    ri: &RawItem,
    cx: &Context<'_>,
    errs: &mut Errors<'_>,
    field: impl Fn(&str) -> String,
) {
    let code = ri.code.get_ref();
    let at = ri.code.span().start;
    if !is_code(code) {
        errs.at(at, field("code"), "not a valid code");
    }
    if cx.section_codes.contains(code.as_str()) || cx.earlier.iter().any(|x| x.code == *code) {
        errs.at(at, field("code"), format!("duplicate code {code}"));
    }
    if !cx.section_codes.contains(ri.section.get_ref().as_str()) {
        errs.at(
            ri.section.span().start,
            field("section"),
            format!("no section has code {}", ri.section.get_ref()),
        );
    }
    if cx.scale(ri.scale.get_ref()).is_none() {
        errs.at(
            ri.scale.span().start,
            field("scale"),
            format!("unknown scale {}", ri.scale.get_ref()),
        );
    }
    if ri.text.vi.trim().is_empty() {
        errs.at(at, field("text.vi"), "the Vietnamese text is required");
    }
}

/// The item's condition, which must name an earlier item and its options.
fn ask_if(
    c: &Spanned<String>,
    code: &str,
    cx: &Context<'_>,
    errs: &mut Errors<'_>,
    field: String,
) -> Option<Condition> {
    let at = c.span().start;
    let Some(cond) = parse_condition(c.get_ref()) else {
        errs.at(at, field, "expected `ITEM = value` or `ITEM in [v1, v2]`");
        return None;
    };
    // Only an earlier item can steer this one, so a one-pass form works. A
    // code that is also a section's was reported as a duplicate: no steering.
    let steering = cx
        .earlier
        .iter()
        .filter(|_| cond.item != code && !cx.section_codes.contains(cond.item.as_str()))
        .find(|x| x.code == cond.item);
    match steering {
        None => errs.at(
            at,
            field,
            format!("names {}, which is not an earlier item", cond.item),
        ),
        Some(x) => {
            if let Some(scale) = cx.scale(&x.scale) {
                for v in cond.values.iter().filter(|v| scale.option(**v).is_none()) {
                    errs.at(
                        at,
                        field.clone(),
                        format!("{v} is not an option of {}", cond.item),
                    );
                }
            }
        }
    }
    Some(cond)
}

/// Only an item with one answer among options can break results down.
fn check_breakdown(b: &Spanned<bool>, scale: Option<&Scale>, errs: &mut Errors<'_>, field: String) {
    let one_answer = scale.is_some_and(|s| {
        matches!(
            s.kind,
            ScaleKind::Single | ScaleKind::YesNo | ScaleKind::Ordinal
        )
    });
    if !one_answer {
        errs.at(
            b.span().start,
            field,
            "only an item with one answer among options can break results down",
        );
    }
}

/// An item's points are positive, and only an ordinal item earns them.
fn check_max_points(m: &Spanned<f64>, scale: Option<&Scale>, errs: &mut Errors<'_>, field: String) {
    let ordinal = scale.is_some_and(|s| s.kind == ScaleKind::Ordinal);
    if check_positive(errs, m, field.clone()) && !ordinal {
        errs.at(
            m.span().start,
            field,
            "only an item on an ordinal scale can earn points",
        );
    }
}

/// Parse `ITEM = 1` or `ITEM in [1, 2]`.
pub(in crate::domain::template) fn parse_condition(s: &str) -> Option<Condition> {
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
