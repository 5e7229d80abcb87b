//! Checks that need the whole template: weight sums and PAR points. They
//! run on the parsed template and locate errors by the spans parsing kept.
use super::error::{Errors, Spans};
use super::{Item, ScaleKind, Template, WeightMode};

/// Every whole-template check, in the order their errors are reported.
pub(super) fn check(errs: &mut Errors<'_>, t: &Template, spans: &Spans) {
    check_weights(errs, t, spans);
    check_field_points(errs, t, spans);
}

/// With `weights = "fractions"`, a set of scored siblings (top sections; the
/// sub-sections and items of one section) that states any weight must state
/// every weight, and they must sum to 1. A set that states none shares equally.
fn check_weights(errs: &mut Errors<'_>, t: &Template, spans: &Spans) {
    if t.weights != WeightMode::Fractions {
        return;
    }
    let mut parents: Vec<Option<&str>> = vec![None];
    parents.extend(t.sections.iter().map(|s| Some(s.code.as_str())));
    for parent in parents {
        // (weight, weight's offset, code's offset, field) of every scored child.
        let mut children: Vec<(f64, Option<usize>, usize, String)> = Vec::new();
        for (i, s) in t.sections.iter().enumerate() {
            if s.scored && s.parent.as_deref() == parent {
                let at = spans.sections[i];
                children.push((
                    s.weight,
                    at.weight,
                    at.code,
                    format!("sections[{i}].weight"),
                ));
            }
        }
        if let Some(p) = parent {
            for (i, item) in t.items.iter().enumerate() {
                if item.section == p && t.scales.contains_key(&item.scale) && t.is_scored(item) {
                    let at = spans.items[i];
                    children.push((
                        item.weight,
                        at.weight,
                        at.code,
                        format!("items[{i}].weight ({})", item.code),
                    ));
                }
            }
        }
        // Siblings that state no weight at all share equally.
        if children.iter().all(|c| c.1.is_none()) {
            continue;
        }
        let mut missing = false;
        for (_, span, code_at, field) in &children {
            if span.is_none() {
                errs.at(
                    *code_at,
                    field.clone(),
                    "weights = \"fractions\": a sibling states a weight, so this one must too",
                );
                missing = true;
            }
        }
        let sum: f64 = children.iter().map(|c| c.0).sum();
        if !missing && (sum - 1.0).abs() > 1e-6 {
            let at = children[0].1.unwrap_or(children[0].2);
            let under = parent.unwrap_or("the overall index");
            errs.at(
                at,
                children[0].3.clone(),
                format!("the weights under {under} sum to {sum}, not 1"),
            );
        }
    }
}

/// A field's `max_points` must equal its items' explicit `max_points` when
/// every item states one, and must leave room when only some do.
fn check_field_points(errs: &mut Errors<'_>, t: &Template, spans: &Spans) {
    for (i, s) in t.sections.iter().enumerate() {
        let Some(max) = s.max_points else { continue };
        let items: Vec<&Item> = t.items.iter().filter(|it| it.section == s.code).collect();
        let explicit: f64 = items.iter().filter_map(|it| it.max_points).sum();
        let open = items
            .iter()
            .filter(|it| {
                it.max_points.is_none()
                    && t.scales
                        .get(&it.scale)
                        .is_some_and(|s| s.kind == ScaleKind::Ordinal)
            })
            .count();
        let at = spans.sections[i].max_points.unwrap_or(0);
        let field = format!("sections[{i}].max_points");
        if open == 0 && explicit == 0.0 {
            errs.at(
                at,
                field,
                "no ordinal item in this section can earn its points",
            );
        } else if open == 0 && (explicit - max).abs() > 1e-6 {
            errs.at(
                at,
                field,
                format!("the items' max_points sum to {explicit}, not {max}"),
            );
        } else if open > 0 && explicit > max + 1e-6 {
            errs.at(
                at,
                field,
                format!("the items' max_points ({explicit}) exceed the field's {max}"),
            );
        }
    }
}
