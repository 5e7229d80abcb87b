//! Tally rows into per-unit maps, and pooling them up the unit tree (and
//! back out, when a unit's counts are reloaded).
use std::collections::HashMap;

use crate::db;
use crate::domain::rollup;
use crate::domain::scoring::{self, Model, NodeResult, OptionCounts, Tally};
use crate::domain::template::{Rollup, Template};

/// (breakdown item, its answer) → the tally of the respondents who gave it.
pub(super) type Breakdowns = HashMap<(String, i32), Tally>;

pub(super) fn add_tally_rows(
    into: &mut HashMap<String, Tally>,
    rows: Vec<(String, String, i32, i64)>,
) {
    for (unit_id, item, value, n) in rows {
        let counts: &mut OptionCounts = into.entry(unit_id).or_default().entry(item).or_default();
        *counts.entry(value).or_default() += n.max(0) as u64;
    }
}

pub(super) fn add_breakdown_rows(
    into: &mut HashMap<String, Breakdowns>,
    rows: Vec<db::responses::BreakdownRow>,
) {
    for (unit_id, dim, dim_value, item, value, n) in rows {
        *into
            .entry(unit_id)
            .or_default()
            .entry((dim, dim_value))
            .or_default()
            .entry(item)
            .or_default()
            .entry(value)
            .or_default() += n.max(0) as u64;
    }
}

pub(super) fn merge_breakdowns(into: &mut Breakdowns, from: &Breakdowns) {
    for (key, tally) in from {
        scoring::merge(into.entry(key.clone()).or_default(), tally);
    }
}

pub(super) fn unmerge_breakdowns(into: &mut Breakdowns, from: &Breakdowns) {
    for (key, tally) in from {
        if let Some(t) = into.get_mut(key) {
            scoring::unmerge(t, tally);
            if t.is_empty() {
                into.remove(key);
            }
        }
    }
}

/// Each unit scored on its own (a unit with no tally scores as empty).
pub(super) fn score_units<'a>(
    model: &Model,
    unit_ids: impl Iterator<Item = &'a String>,
    tallies: &HashMap<String, Tally>,
) -> HashMap<String, NodeResult> {
    let empty = Tally::new();
    unit_ids
        .map(|id| {
            let t = tallies.get(id).unwrap_or(&empty);
            (id.clone(), scoring::score(model, t))
        })
        .collect()
}

/// The result of some units pooled (or averaged, with `rollup = "mean"`).
pub(super) fn rollup_result(
    template: &Template,
    model: &Model,
    pooled: &Tally,
    members: &[&NodeResult],
) -> NodeResult {
    match template.rollup {
        Rollup::Counts => scoring::score(model, pooled),
        Rollup::Mean => rollup::mean_of_units(members, template.low_sample_n)
            .unwrap_or_else(|| scoring::score(model, pooled)),
    }
}
