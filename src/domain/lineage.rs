//! Lineage (pure): which old units a new one was formed from, read from a
//! file and checked against the trees on each side of the date, and the
//! weights that carry old counts onto new units (and back).
//!
//! The rule, for survey counts: a whole link brings all of the old unit's
//! counts; a part link brings its share when the file gives one, and
//! otherwise an equal split of what the old unit's whole links and given
//! shares leave (with only part links and no shares: an equal split among
//! its successors). The official tables give no shares, and a unit whose
//! whole population joined one successor ("toàn bộ dân số") leaves none
//! for the parts of its area that went elsewhere.
use std::collections::HashMap;

use chrono::NaiveDate;

use super::unit::{RowError, UnitCode};

/// Shares are compared with this slack, so 1/3 + 1/3 + 1/3 is not above 1.
const SLACK: f64 = 1e-9;

/// One row of a lineage file, as read.
#[derive(Debug, Clone, Default)]
pub struct LinkRow {
    pub new_code: String,
    pub old_code: String,
    pub kind: String,
    pub share: String,
    pub note: String,
}

/// A unit a code names on one side of the date.
#[derive(Debug, Clone)]
pub struct Named {
    pub id: String,
    pub name: String,
}

/// The units on each side of a reorganisation, by code.
pub struct Sides<'a> {
    /// The day the new tree holds from.
    pub day: NaiveDate,
    /// In force on the day before.
    pub before: &'a HashMap<String, Named>,
    /// In force on the day.
    pub after: &'a HashMap<String, Named>,
}

/// A checked link between two unit ids.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub new_id: String,
    pub old_id: String,
    pub part: bool,
    pub share: Option<f64>,
    pub note: String,
}

fn parse_kind(s: &str) -> Result<bool, String> {
    let k = s.trim().to_lowercase().replace([' ', '-'], "_");
    match k.as_str() {
        "whole" | "full" | "toàn_bộ" | "toan_bo" => Ok(false),
        "part" | "partial" | "một_phần" | "mot_phan" => Ok(true),
        _ => Err(format!(
            "kind {:?}: expected whole (full, toàn bộ) or part (partial, một phần)",
            s.trim()
        )),
    }
}

/// "0.5", "0,5" (as Excel writes it in Vietnamese) or "50%"; in (0, 1].
fn parse_share(s: &str) -> Result<Option<f64>, String> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let (number, scale) = match t.strip_suffix('%') {
        Some(p) => (p.trim(), 100.0),
        None => (t, 1.0),
    };
    let v: f64 = number
        .replace(',', ".")
        .parse()
        .map_err(|_| format!("share {t:?} is not a number (write 0.5, 0,5 or 50%)"))?;
    let v = v / scale;
    if !(v > 0.0 && v <= 1.0 + SLACK) {
        return Err(format!("share {t:?} must be above 0 and at most 1"));
    }
    Ok(Some(v.min(1.0)))
}

/// Resolve a code on one side, saying so when it belongs to the other.
fn resolve<'a>(
    column: &str,
    code: &str,
    here: &'a HashMap<String, Named>,
    there: &HashMap<String, Named>,
    here_day: NaiveDate,
    there_tree: &str,
) -> Result<&'a Named, String> {
    let code = UnitCode::parse(code).map_err(|e| format!("{column}: {e}"))?;
    match (here.get(code.as_str()), there.get(code.as_str())) {
        (Some(u), _) => Ok(u),
        (None, Some(other)) => Err(format!(
            "{column} {code} names no unit in force on {here_day}: it is {} of the tree {there_tree}, a link into the wrong tree",
            other.name
        )),
        (None, None) => Err(format!(
            "{column} {code} names no unit in force on {here_day}"
        )),
    }
}

/// Check every row; nothing is kept unless all pass. Errors carry lines.
pub fn plan_links(rows: &[(u64, LinkRow)], sides: &Sides<'_>) -> Result<Vec<Link>, Vec<RowError>> {
    let eve = sides.day.pred_opt().unwrap_or(sides.day);
    let mut errors = Vec::new();
    let mut links: Vec<(u64, Link)> = Vec::new();
    let mut seen: HashMap<(String, String), u64> = HashMap::new();
    for (line, row) in rows {
        let mut bad = |m: String| {
            errors.push(RowError {
                line: *line,
                message: m,
            })
        };
        let new = resolve(
            "new_code",
            &row.new_code,
            sides.after,
            sides.before,
            sides.day,
            "before",
        )
        .map_err(&mut bad)
        .ok();
        let old = resolve(
            "old_code",
            &row.old_code,
            sides.before,
            sides.after,
            eve,
            &format!("from {}", sides.day),
        )
        .map_err(&mut bad)
        .ok();
        let part = parse_kind(&row.kind).map_err(&mut bad).ok();
        let share = parse_share(&row.share).map_err(&mut bad).ok();
        if let (Some(false), Some(Some(s))) = (part, share) {
            if s < 1.0 {
                bad("a whole link brings all of the old unit: leave its share empty, or make it part".into());
            }
        }
        let (Some(new), Some(old), Some(part), Some(share)) = (new, old, part, share) else {
            continue;
        };
        let key = (new.id.clone(), old.id.clone());
        if let Some(first) = seen.insert(key, *line) {
            bad(format!(
                "this link from {} to {} already appears on line {first}",
                row.old_code.trim(),
                row.new_code.trim()
            ));
            continue;
        }
        links.push((
            *line,
            Link {
                new_id: new.id.clone(),
                old_id: old.id.clone(),
                part,
                share: if part { share } else { None },
                note: row.note.trim().to_string(),
            },
        ));
    }
    errors.extend(overshares(&links, sides.before));
    if errors.is_empty() {
        Ok(links.into_iter().map(|(_, l)| l).collect())
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

/// An old unit may not give away more than all of itself: its whole links
/// count 1 each, its part links their given share.
fn overshares(links: &[(u64, Link)], before: &HashMap<String, Named>) -> Vec<RowError> {
    let mut by_old: HashMap<&str, Vec<(u64, f64)>> = HashMap::new();
    for (line, l) in links {
        let given = if l.part { l.share.unwrap_or(0.0) } else { 1.0 };
        by_old
            .entry(l.old_id.as_str())
            .or_default()
            .push((*line, given));
    }
    let code_of = |id: &str| {
        before
            .iter()
            .find(|(_, n)| n.id == id)
            .map(|(c, n)| format!("{c} ({})", n.name))
            .unwrap_or_else(|| id.to_string())
    };
    let mut errors = Vec::new();
    for (old, given) in by_old {
        let total: f64 = given.iter().map(|(_, s)| s).sum();
        if total > 1.0 + SLACK {
            let lines: Vec<String> = given.iter().map(|(l, _)| l.to_string()).collect();
            let last = given.iter().map(|(l, _)| *l).max().unwrap_or(0);
            errors.push(RowError {
                line: last,
                message: format!(
                    "the shares of old unit {} add up to {:.3} (lines {}); they may not add up to more than 1",
                    code_of(old),
                    total,
                    lines.join(", ")
                ),
            });
        }
    }
    errors
}

/// Forward weights: new unit id → (old unit id, the part of the old unit's
/// counts it brings), by the rule in this module's header.
pub fn weights(links: &[Link]) -> HashMap<String, Vec<(String, f64)>> {
    let mut by_old: HashMap<&str, Vec<&Link>> = HashMap::new();
    for l in links {
        by_old.entry(l.old_id.as_str()).or_default().push(l);
    }
    let mut out: HashMap<String, Vec<(String, f64)>> = HashMap::new();
    for (old, ls) in by_old {
        let given: f64 = ls
            .iter()
            .map(|l| match (l.part, l.share) {
                (false, _) => 1.0,
                (true, Some(s)) => s,
                (true, None) => 0.0,
            })
            .sum();
        let open = ls.iter().filter(|l| l.part && l.share.is_none()).count();
        let split = if open == 0 {
            0.0
        } else {
            (1.0 - given).max(0.0) / open as f64
        };
        for l in ls {
            let w = match (l.part, l.share) {
                (false, _) => 1.0,
                (true, Some(s)) => s,
                (true, None) => split,
            };
            out.entry(l.new_id.clone())
                .or_default()
                .push((old.to_string(), w));
        }
    }
    for v in out.values_mut() {
        v.sort_by(|a, b| a.0.cmp(&b.0));
    }
    out
}

/// Backward weights, to report new units by the old ones: old unit id →
/// (new unit id, the part of the new unit's counts it takes). A new unit's
/// counts are divided among its predecessors in proportion to what each
/// brought to it (equally if they brought nothing by the rule).
pub fn backward_weights(links: &[Link]) -> HashMap<String, Vec<(String, f64)>> {
    let mut out: HashMap<String, Vec<(String, f64)>> = HashMap::new();
    for (new, olds) in weights(links) {
        let total: f64 = olds.iter().map(|(_, w)| w).sum();
        let n = olds.len() as f64;
        for (old, w) in olds {
            let r = if total > 0.0 { w / total } else { 1.0 / n };
            out.entry(old).or_default().push((new.clone(), r));
        }
    }
    for v in out.values_mut() {
        v.sort_by(|a, b| a.0.cmp(&b.0));
    }
    out
}

#[cfg(test)]
mod tests;
