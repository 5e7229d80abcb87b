//! Planning a units import (pure): every bad row reported with its line,
//! and, for a tree that holds from a date, which units continue, which
//! start and which end the day before.
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::unit::{NewUnit, RowError, UnitCode, UnitKind, UnitRow};
use super::unit_tree::UnitTree;

/// A unit in force with no end yet, as the planner sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenUnit {
    pub code: UnitCode,
    pub name: String,
    pub kind: UnitKind,
    pub parent_code: Option<UnitCode>,
    pub valid_from: Option<NaiveDate>,
}

/// One change an import makes, by code among the open units.
#[derive(Debug, Clone, PartialEq)]
pub enum UnitWrite {
    /// A correction of an open unit (an import without a date).
    Update(NewUnit),
    /// A new unit, in force from the plan's date (or since ever).
    Insert(NewUnit),
    /// The open unit with this code ends the day before the plan's date.
    End(UnitCode),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImportPlan {
    /// The date the file's tree holds from; None for corrections.
    pub valid_from: Option<NaiveDate>,
    /// Ends first, then parents before children.
    pub writes: Vec<UnitWrite>,
    /// Rows that name an open unit as it already is (same code, name, kind
    /// and parent): that unit simply continues.
    pub unchanged: usize,
}

/// What an import did: units added, updated, ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub added: usize,
    pub updated: usize,
    pub ended: usize,
    pub unchanged: usize,
}

impl ImportPlan {
    pub fn counts(&self) -> ImportCounts {
        let mut c = ImportCounts {
            unchanged: self.unchanged,
            ..ImportCounts::default()
        };
        for w in &self.writes {
            match w {
                UnitWrite::Update(_) => c.updated += 1,
                UnitWrite::Insert(_) => c.added += 1,
                UnitWrite::End(_) => c.ended += 1,
            }
        }
        c
    }
}

/// Check a whole import against the open units. Returns every bad row, so a
/// file is fixed in one pass; nothing is written unless all pass. Rows come
/// as (line number, row).
///
/// Without a date the file corrects and extends the units in force: a known
/// code is updated in place. With `valid_from` the file is the tree from that
/// day: a row naming an open unit exactly as it is (code, name, kind, parent)
/// continues it; every other row starts a new unit, even when its code was
/// in use (codes are reused across reorganisations); and the open units of
/// the file's families (departments, or the territory of districts and
/// communes) that it does not continue end the day before.
pub fn plan_import(
    open: &[OpenUnit],
    rows: &[(u64, UnitRow)],
    valid_from: Option<NaiveDate>,
) -> Result<ImportPlan, Vec<RowError>> {
    let (planned, mut errors) = read_rows(rows);
    let (writes_end, kept) = match valid_from {
        None => (Vec::new(), HashSet::new()),
        Some(day) => {
            errors.extend(out_of_order(open, &planned, day));
            reorganised(open, &planned)
        }
    };
    let ended: HashSet<&str> = writes_end.iter().map(UnitCode::as_str).collect();
    // code -> parent code of the units still open once the ends are written.
    let staying: HashMap<String, Option<String>> = open
        .iter()
        .filter(|u| !ended.contains(u.code.as_str()))
        .map(|u| {
            let parent = u.parent_code.as_ref().map(|p| p.as_str().to_string());
            (u.code.as_str().to_string(), parent)
        })
        .collect();
    errors.extend(missing_parents(&staying, &ended, &planned));
    errors.extend(loops(&staying, &planned));
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Err(errors);
    }
    let unchanged = kept.len();
    let rest: Vec<(u64, NewUnit)> = planned
        .into_iter()
        .filter(|(_, u)| !kept.contains(u.code.as_str()))
        .collect();
    let mut writes: Vec<UnitWrite> = writes_end.into_iter().map(UnitWrite::End).collect();
    for u in parents_first(&staying, rest) {
        let known = staying.contains_key(u.code.as_str());
        writes.push(if known && valid_from.is_none() {
            UnitWrite::Update(u)
        } else {
            UnitWrite::Insert(u)
        });
    }
    Ok(ImportPlan {
        valid_from,
        writes,
        unchanged,
    })
}

/// A dated tree must be newer than the open units it replaces.
fn out_of_order(open: &[OpenUnit], planned: &[(u64, NewUnit)], day: NaiveDate) -> Vec<RowError> {
    let families: HashSet<_> = planned.iter().map(|(_, u)| u.kind.family()).collect();
    let newest = open
        .iter()
        .filter(|u| families.contains(&u.kind.family()))
        .filter_map(|u| u.valid_from)
        .max();
    match newest {
        Some(n) if n >= day => vec![RowError {
            line: 1,
            message: format!(
                "units in force from {n} exist already, and this tree is dated {day}: import trees in date order"
            ),
        }],
        _ => Vec::new(),
    }
}

/// The open units a dated tree ends, and the codes of those it continues.
fn reorganised(open: &[OpenUnit], planned: &[(u64, NewUnit)]) -> (Vec<UnitCode>, HashSet<String>) {
    let families: HashSet<_> = planned.iter().map(|(_, u)| u.kind.family()).collect();
    let by_code: HashMap<&str, &NewUnit> =
        planned.iter().map(|(_, u)| (u.code.as_str(), u)).collect();
    let mut kept = HashSet::new();
    let mut ended = Vec::new();
    for u in open {
        match by_code.get(u.code.as_str()) {
            Some(n) if n.name == u.name && n.kind == u.kind && n.parent_code == u.parent_code => {
                kept.insert(u.code.as_str().to_string());
            }
            Some(_) => ended.push(u.code.clone()),
            None if families.contains(&u.kind.family()) => ended.push(u.code.clone()),
            None => {}
        }
    }
    ended.sort();
    (ended, kept)
}

/// Each row on its own: its code, name, kind and parent code, and that no
/// code is given twice. The rows that read, with their lines, and the errors.
fn read_rows(rows: &[(u64, UnitRow)]) -> (Vec<(u64, NewUnit)>, Vec<RowError>) {
    let mut errors = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut planned = Vec::new();
    for (line, row) in rows {
        let mut bad = |m: String| {
            errors.push(RowError {
                line: *line,
                message: m,
            })
        };
        let code = UnitCode::parse(&row.code).map_err(&mut bad).ok();
        if let Some(c) = &code {
            if let Some(first) = seen.insert(c.as_str().to_string(), *line) {
                bad(format!("code {c} already appears on line {first}"));
            }
        }
        let name = row.name.trim().to_string();
        if name.is_empty() {
            bad("name is empty".into());
        }
        let kind = UnitKind::parse(&row.kind).map_err(&mut bad).ok();
        let parent_code = if row.parent_code.trim().is_empty() {
            Some(None)
        } else {
            UnitCode::parse(&row.parent_code)
                .map(Some)
                .map_err(|e| bad(format!("parent_code: {e}")))
                .ok()
        };
        if let (Some(code), Some(kind), Some(parent_code)) = (code, kind, parent_code) {
            let unit = NewUnit {
                code,
                name,
                kind,
                parent_code,
            };
            planned.push((*line, unit));
        }
    }
    (planned, errors)
}

/// Parents must exist, in the file or already in the database.
fn missing_parents(
    existing: &HashMap<String, Option<String>>,
    ended: &HashSet<&str>,
    planned: &[(u64, NewUnit)],
) -> Vec<RowError> {
    let in_file: HashSet<&str> = planned.iter().map(|(_, u)| u.code.as_str()).collect();
    let mut errors = Vec::new();
    for (line, u) in planned {
        let Some(p) = &u.parent_code else { continue };
        let message = if p == &u.code {
            format!("unit {} is its own parent", u.code)
        } else if in_file.contains(p.as_str()) || existing.contains_key(p.as_str()) {
            continue;
        } else if ended.contains(p.as_str()) {
            format!("parent_code {p} ends the day before this tree holds: list it in this file, or give a parent that stays")
        } else if !in_file.contains(p.as_str()) && !existing.contains_key(p.as_str()) {
            format!("parent_code {p} is neither in this file nor an existing unit")
        } else {
            continue;
        };
        errors.push(RowError {
            line: *line,
            message,
        });
    }
    errors
}

/// The result must still be a tree: follow each new parent up and look for
/// the unit itself.
fn loops(existing: &HashMap<String, Option<String>>, planned: &[(u64, NewUnit)]) -> Vec<RowError> {
    let mut parent_of: HashMap<String, Option<String>> = existing.clone();
    for (_, u) in planned {
        let parent = u.parent_code.as_ref().map(|p| p.as_str().to_string());
        parent_of.insert(u.code.as_str().to_string(), parent);
    }
    let tree = UnitTree::new(
        parent_of
            .iter()
            .map(|(code, parent)| (code.as_str(), code.as_str(), parent.as_deref())),
    );
    let mut errors = Vec::new();
    for (line, u) in planned {
        let Some(p) = &u.parent_code else { continue };
        let loops = p == &u.code
            || tree
                .ancestors(p.as_str())
                .map_or(true, |up| up.contains(&u.code.as_str()));
        if loops {
            errors.push(RowError {
                line: *line,
                message: format!("unit {} would be its own ancestor", u.code),
            });
        }
    }
    errors
}

/// Parents before children, so inserts never point at a missing row.
fn parents_first(
    existing: &HashMap<String, Option<String>>,
    planned: Vec<(u64, NewUnit)>,
) -> Vec<NewUnit> {
    let mut ordered = Vec::with_capacity(planned.len());
    let mut placed: HashSet<String> = existing.keys().cloned().collect();
    let mut rest: Vec<NewUnit> = planned.into_iter().map(|(_, u)| u).collect();
    while !rest.is_empty() {
        let (ready, later): (Vec<NewUnit>, Vec<NewUnit>) = rest.into_iter().partition(|u| {
            u.parent_code
                .as_ref()
                .is_none_or(|p| placed.contains(p.as_str()))
        });
        if ready.is_empty() {
            // Unreachable after the loop check; keep the rows rather than spin.
            ordered.extend(later);
            break;
        }
        placed.extend(ready.iter().map(|u| u.code.as_str().to_string()));
        ordered.extend(ready);
        rest = later;
    }
    ordered
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(code: &str, kind: &str, parent: &str) -> UnitRow {
        UnitRow {
            code: code.into(),
            name: format!("Đơn vị {code}"),
            kind: kind.into(),
            parent_code: parent.into(),
        }
    }

    fn open(code: &str, name: &str, kind: UnitKind, parent: Option<&str>) -> OpenUnit {
        OpenUnit {
            code: UnitCode::parse(code).unwrap(),
            name: name.into(),
            kind,
            parent_code: parent.map(|p| UnitCode::parse(p).unwrap()),
            valid_from: None,
        }
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn inserted(plan: &ImportPlan) -> Vec<&str> {
        plan.writes
            .iter()
            .filter_map(|w| match w {
                UnitWrite::Insert(u) => Some(u.code.as_str()),
                _ => None,
            })
            .collect()
    }

    fn ended(plan: &ImportPlan) -> Vec<&str> {
        plan.writes
            .iter()
            .filter_map(|w| match w {
                UnitWrite::End(c) => Some(c.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn orders_parents_first() {
        let rows = vec![(2, row("P1", "ward", "HN")), (3, row("HN", "city", ""))];
        let plan = plan_import(&[], &rows, None).expect("valid");
        assert_eq!(inserted(&plan), vec!["HN", "P1"]);
    }

    #[test]
    fn reports_every_bad_row_with_its_line() {
        let rows = vec![
            (2, row("HN", "city", "")),
            (3, row("X1", "village", "HN")),
            (4, row("X2", "commune", "NOPE")),
            (5, row("HN", "city", "")),
            (6, row("bad code", "ward", "HN")),
        ];
        let errs = plan_import(&[], &rows, None).unwrap_err();
        let lines: Vec<u64> = errs.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6]);
        assert!(errs[0].message.contains("village"));
        assert!(errs[1].message.contains("NOPE"));
        assert!(errs[2].message.contains("line 2"));
    }

    #[test]
    fn parent_may_already_exist() {
        let existing = [open("HN", "Hà Nội", UnitKind::City, None)];
        let rows = vec![(2, row("P1", "ward", "HN"))];
        assert!(plan_import(&existing, &rows, None).is_ok());
    }

    #[test]
    fn an_undated_import_corrects_in_place() {
        let existing = [
            open("HN", "Hà Nội", UnitKind::City, None),
            open("P1", "Phường Cũ", UnitKind::Ward, Some("HN")),
        ];
        let plan = plan_import(&existing, &[(2, row("P1", "ward", "HN"))], None).unwrap();
        assert_eq!(plan.counts().updated, 1);
        assert!(ended(&plan).is_empty());
    }

    #[test]
    fn rejects_cycles() {
        let existing = [open("A", "A", UnitKind::City, None)];
        let rows = vec![(2, row("A", "city", "B")), (3, row("B", "district", "A"))];
        let errs = plan_import(&existing, &rows, None).unwrap_err();
        assert!(errs.iter().any(|e| e.message.contains("ancestor")));
    }

    /// Hà Nội on 1 July 2025 in small: two districts and three wards become
    /// two wards under the city; code 00004 is reused for a new ward; the
    /// department stays.
    fn before_reorganisation() -> Vec<OpenUnit> {
        vec![
            open("HN", "Thành phố Hà Nội", UnitKind::City, None),
            open("SNV", "Sở Nội vụ", UnitKind::Department, Some("HN")),
            open("001", "Quận Ba Đình", UnitKind::UrbanDistrict, Some("HN")),
            open("00004", "Phường Trúc Bạch", UnitKind::Ward, Some("001")),
            open("00013", "Phường Quán Thánh", UnitKind::Ward, Some("001")),
            open("00008", "Phường Liễu Giai", UnitKind::Ward, Some("001")),
        ]
    }

    #[test]
    fn a_dated_tree_ends_the_old_territory_and_reuses_codes_as_new_units() {
        let rows = vec![
            (
                2,
                UnitRow {
                    code: "00004".into(),
                    name: "Phường Ba Đình".into(),
                    kind: "phuong".into(),
                    parent_code: "HN".into(),
                },
            ),
            (
                3,
                UnitRow {
                    code: "00008".into(),
                    name: "Phường Ngọc Hà".into(),
                    kind: "phuong".into(),
                    parent_code: "HN".into(),
                },
            ),
        ];
        let plan = plan_import(&before_reorganisation(), &rows, Some(day("2025-07-01"))).unwrap();
        assert_eq!(ended(&plan), vec!["00004", "00008", "00013", "001"]);
        assert_eq!(inserted(&plan), vec!["00004", "00008"]);
        // Ends come first, so the reused codes are free when inserted.
        assert!(matches!(plan.writes[0], UnitWrite::End(_)));
        let c = plan.counts();
        assert_eq!((c.added, c.ended, c.updated), (2, 4, 0));
    }

    #[test]
    fn a_unit_listed_as_it_is_continues() {
        let rows = vec![(
            2,
            UnitRow {
                code: "SNV".into(),
                name: "Sở Nội vụ".into(),
                kind: "so".into(),
                parent_code: "HN".into(),
            },
        )];
        let plan = plan_import(&before_reorganisation(), &rows, Some(day("2025-03-01"))).unwrap();
        assert_eq!(plan.unchanged, 1);
        // A departments file leaves the territory alone.
        assert!(plan.writes.is_empty());
    }

    #[test]
    fn a_dated_tree_may_not_hang_under_an_ending_unit() {
        let rows = vec![(7, row("00099", "ward", "001"))];
        let errs =
            plan_import(&before_reorganisation(), &rows, Some(day("2025-07-01"))).unwrap_err();
        assert_eq!(errs[0].line, 7);
        assert!(
            errs[0].message.contains("ends the day before"),
            "{}",
            errs[0].message
        );
    }

    #[test]
    fn trees_are_imported_in_date_order() {
        let mut open = before_reorganisation();
        open[3].valid_from = Some(day("2025-07-01"));
        let rows = vec![(2, row("00099", "ward", "HN"))];
        let errs = plan_import(&open, &rows, Some(day("2024-01-01"))).unwrap_err();
        assert!(errs[0].message.contains("date order"));
    }
}
