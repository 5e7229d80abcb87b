//! `[scales.*]`: each scale's options, satisfied levels and limits.
use std::collections::{BTreeMap, HashSet};

use serde::Deserialize;
use toml::Spanned;

use crate::domain::scoring::ANSWERED;
use crate::domain::template::error::Errors;
use crate::domain::template::{Scale, ScaleKind, ScaleOption};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawScale {
    kind: ScaleKind,
    #[serde(default)]
    options: Vec<ScaleOption>,
    satisfied: Option<Vec<i32>>,
    max_choices: Option<u32>,
    max_length: Option<u32>,
}

/// Every scale by its id, each checked on its own.
pub(super) fn parse(
    raw: &BTreeMap<String, Spanned<RawScale>>,
    errs: &mut Errors<'_>,
) -> BTreeMap<String, Scale> {
    raw.iter()
        .map(|(id, spanned)| (id.clone(), scale(id, spanned, errs)))
        .collect()
}

fn scale(id: &str, spanned: &Spanned<RawScale>, errs: &mut Errors<'_>) -> Scale {
    let at = spanned.span().start;
    let rs = spanned.get_ref();
    let field = |f: &str| format!("scales.{id}.{f}");
    check_options(errs, at, &field("options"), rs);
    let satisfied = match (&rs.satisfied, rs.kind) {
        (Some(s), _) => s.clone(),
        (None, ScaleKind::Ordinal) => top_two(&rs.options),
        (None, _) => Vec::new(),
    };
    check_option_points(errs, at, &field("options"), &rs.options);
    for v in &satisfied {
        if !rs.options.iter().any(|o| o.value == *v && !o.excluded) {
            errs.at(
                at,
                field("satisfied"),
                format!("{v} is not a valid option of this scale"),
            );
        }
    }
    check_max_choices(errs, at, &field("max_choices"), rs);
    Scale {
        id: id.to_string(),
        kind: rs.kind,
        options: rs.options.clone(),
        satisfied,
        max_choices: rs.max_choices,
        max_length: rs.max_length.unwrap_or(1000),
    }
}

/// Values are unique, labelled and not reserved; a choice scale has some.
fn check_options(errs: &mut Errors<'_>, at: usize, field: &str, rs: &RawScale) {
    let mut seen = HashSet::new();
    for o in &rs.options {
        if !seen.insert(o.value) {
            errs.at(at, field, format!("value {} appears twice", o.value));
        }
        if o.vi.trim().is_empty() {
            errs.at(
                at,
                field,
                format!("value {} has no Vietnamese label", o.value),
            );
        }
        if o.value == ANSWERED {
            errs.at(at, field, format!("value {} is reserved", o.value));
        }
    }
    let needs_options = !matches!(rs.kind, ScaleKind::Text);
    if needs_options && rs.options.is_empty() {
        errs.at(at, field, "a choice scale needs options");
    }
}

/// The two highest valid levels: 4 and 5 on the 5-level scale ([I], §4.1).
fn top_two(options: &[ScaleOption]) -> Vec<i32> {
    let mut valid: Vec<i32> = options
        .iter()
        .filter(|o| !o.excluded)
        .map(|o| o.value)
        .collect();
    valid.sort_unstable();
    valid.into_iter().rev().take(2).rev().collect()
}

/// Option `points` shares are all-or-none over the valid options, within 0..=1.
fn check_option_points(errs: &mut Errors<'_>, at: usize, field: &str, options: &[ScaleOption]) {
    let valid: Vec<&ScaleOption> = options.iter().filter(|o| !o.excluded).collect();
    let given = valid.iter().filter(|o| o.points.is_some()).count();
    if given > 0 && given < valid.len() {
        errs.at(
            at,
            field,
            "give `points` for every valid option or for none (none = linear)",
        );
    }
    for o in options {
        if let Some(p) = o.points {
            if !(0.0..=1.0).contains(&p) {
                errs.at(
                    at,
                    field,
                    format!(
                        "value {}: points is a share of the maximum, 0 to 1",
                        o.value
                    ),
                );
            }
        }
    }
}

/// A multiple-choice scale allows between 1 and all of its options.
fn check_max_choices(errs: &mut Errors<'_>, at: usize, field: &str, rs: &RawScale) {
    if rs.kind != ScaleKind::Multiple {
        return;
    }
    match rs.max_choices {
        Some(0) => errs.at(at, field, "must be at least 1"),
        Some(m) if m as usize > rs.options.len() => {
            errs.at(at, field, "is more than the number of options")
        }
        _ => {}
    }
}
