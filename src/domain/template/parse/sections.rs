//! `[[sections]]`: codes, weights and points, and a parent tree that ends.
use std::collections::HashSet;

use serde::Deserialize;
use toml::Spanned;

use super::{check_positive, field_spans, is_code};
use crate::domain::template::error::{Errors, FieldSpans};
use crate::domain::template::Section;
use crate::domain::text::LocalText;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSection {
    code: Spanned<String>,
    title: LocalText,
    parent: Option<Spanned<String>>,
    weight: Option<Spanned<f64>>,
    scored: Option<bool>,
    max_points: Option<Spanned<f64>>,
}

impl RawSection {
    pub(super) fn spans(&self) -> FieldSpans {
        field_spans(&self.code, &self.weight, &self.max_points)
    }
}

/// Every section, then the checks of the tree they form.
pub(super) fn parse(raw: &[RawSection], errs: &mut Errors<'_>) -> Vec<Section> {
    let mut codes = HashSet::new();
    let sections: Vec<Section> = raw
        .iter()
        .enumerate()
        .map(|(i, rs)| section(i, rs, &mut codes, errs))
        .collect();
    check_parents(raw, &codes, errs);
    check_cycles(&sections, errs);
    sections
}

/// One section; `codes` collects the codes seen so far to find duplicates.
fn section(
    i: usize,
    rs: &RawSection,
    codes: &mut HashSet<String>,
    errs: &mut Errors<'_>,
) -> Section {
    let code = rs.code.get_ref();
    let field = |f: &str| format!("sections[{i}].{f}");
    if !is_code(code) {
        errs.at(rs.code.span().start, field("code"), "not a valid code");
    }
    if !codes.insert(code.clone()) {
        errs.at(
            rs.code.span().start,
            field("code"),
            format!("duplicate code {code}"),
        );
    }
    if let Some(w) = &rs.weight {
        check_positive(errs, w, field("weight"));
    }
    if let Some(m) = &rs.max_points {
        check_positive(errs, m, field("max_points"));
    }
    Section {
        code: code.clone(),
        title: rs.title.clone(),
        parent: rs.parent.as_ref().map(|p| p.get_ref().clone()),
        weight: rs.weight.as_ref().map_or(1.0, |w| *w.get_ref()),
        scored: rs.scored.unwrap_or(true),
        max_points: rs.max_points.as_ref().map(|m| *m.get_ref()),
    }
}

fn check_parents(raw: &[RawSection], codes: &HashSet<String>, errs: &mut Errors<'_>) {
    for (i, rs) in raw.iter().enumerate() {
        if let Some(p) = &rs.parent {
            if !codes.contains(p.get_ref()) {
                errs.at(
                    p.span().start,
                    format!("sections[{i}].parent"),
                    format!("no section has code {}", p.get_ref()),
                );
            }
        }
    }
}

/// A parent chain must end: walk up at most `len` steps.
fn check_cycles(sections: &[Section], errs: &mut Errors<'_>) {
    for s in sections {
        let mut cur = s.parent.clone();
        let mut steps = 0;
        while let Some(p) = cur {
            steps += 1;
            if steps > sections.len() {
                errs.cycle(format!("sections.{}", s.code), "parent chain forms a cycle");
                break;
            }
            cur = sections
                .iter()
                .find(|x| x.code == p)
                .and_then(|x| x.parent.clone());
        }
    }
}
