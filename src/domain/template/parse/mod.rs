//! Reading a template's TOML into a `Template`, checking each field where it
//! is read; see survey-templates/README.md. Checks that need the whole
//! template are in `validate`, which runs on what this returns.
use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::error::{Errors, FieldSpans, Spans};
use super::{Aggregation, Audience, Rollup, Template, TemplateError, WeightMode};
use crate::domain::text::LocalText;

mod header;
mod items;
mod scales;
mod sections;

#[cfg(test)]
pub(super) use items::parse_condition;

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
    /// Units with fewer respondents are listed but not ranked (default: `low_sample_n`).
    rank_min_respondents: Option<u64>,
    /// Lower bounds of bands A, B and C (default 90, 80, 70).
    bands: Option<RawBands>,
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
    scales: BTreeMap<String, Spanned<scales::RawScale>>,
    #[serde(default)]
    sections: Vec<sections::RawSection>,
    #[serde(default)]
    items: Vec<items::RawItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBands {
    a: f64,
    b: f64,
    c: f64,
}

/// The template in `errs`' source and the spans of its fields. A file that
/// is not TOML of this shape fails alone; every other error is collected in
/// `errs` and the template is still built from what could be read.
pub(super) fn template(errs: &mut Errors<'_>) -> Result<(Template, Spans), TemplateError> {
    let raw = decode(errs)?;
    header::check_identity(&raw, errs);
    let scales = scales::parse(&raw.scales, errs);
    let sections = sections::parse(&raw.sections, errs);
    let items = items::parse(&raw.items, &sections, &scales, errs);
    header::check_settings(&raw, errs);
    let spans = spans_of(&raw);
    let template = header::assemble(raw, errs.source(), scales, sections, items);
    Ok((template, spans))
}

fn decode(errs: &Errors<'_>) -> Result<RawTemplate, TemplateError> {
    toml::from_str(errs.source()).map_err(|e| {
        errs.error(
            e.span().map_or(0, |s| s.start),
            "toml",
            e.message().to_string(),
        )
    })
}

fn spans_of(raw: &RawTemplate) -> Spans {
    Spans {
        sections: raw
            .sections
            .iter()
            .map(sections::RawSection::spans)
            .collect(),
        items: raw.items.iter().map(items::RawItem::spans).collect(),
    }
}

fn is_code(s: &str) -> bool {
    super::ItemCode::parse(s).is_some()
}

fn start(v: &Option<Spanned<f64>>) -> Option<usize> {
    v.as_ref().map(|v| v.span().start)
}

/// Reports `value` unless it is a positive finite number; true when it is.
fn check_positive(errs: &mut Errors<'_>, value: &Spanned<f64>, field: String) -> bool {
    let ok = value.get_ref().is_finite() && *value.get_ref() > 0.0;
    if !ok {
        errs.at(value.span().start, field, "must be a positive number");
    }
    ok
}

/// Field offsets of a section or an item, for `validate`.
fn field_spans(
    code: &Spanned<String>,
    weight: &Option<Spanned<f64>>,
    max_points: &Option<Spanned<f64>>,
) -> FieldSpans {
    FieldSpans {
        code: code.span().start,
        weight: start(weight),
        max_points: start(max_points),
    }
}
