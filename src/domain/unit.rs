//! Units of administration and the rules of importing them.
use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use super::unit_tree::UnitTree;

/// A unit's code, e.g. `SNV` or `P-HOANKIEM`. Parsed once, then trusted:
/// from a file, a URL (serde) or the database.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct UnitCode(String);

impl UnitCode {
    pub fn parse(s: &str) -> Result<UnitCode, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("code is empty".into());
        }
        if s.len() > 32 {
            return Err(format!("code {s:?} is longer than 32 characters"));
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
        {
            return Err(format!(
                "code {s:?} may only hold ASCII letters, digits, '-', '_' and '.'"
            ));
        }
        Ok(UnitCode(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

crate::text_newtype!(UnitCode);

impl TryFrom<String> for UnitCode {
    type Error = String;

    fn try_from(value: String) -> Result<UnitCode, String> {
        UnitCode::parse(&value)
    }
}

impl<'de> Deserialize<'de> for UnitCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<UnitCode, D::Error> {
        let s = String::deserialize(d)?;
        UnitCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitKind {
    City,
    Department,
    District,
    Commune,
    Ward,
}

impl UnitKind {
    pub const ALL: [UnitKind; 5] = [
        UnitKind::City,
        UnitKind::Department,
        UnitKind::District,
        UnitKind::Commune,
        UnitKind::Ward,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::City => "city",
            UnitKind::Department => "department",
            UnitKind::District => "district",
            UnitKind::Commune => "commune",
            UnitKind::Ward => "ward",
        }
    }

    pub fn parse(s: &str) -> Result<UnitKind, String> {
        let s = s.trim();
        UnitKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!(
                    "unknown kind {s:?}; expected one of city, department, district, commune, ward"
                )
            })
    }
}

impl fmt::Display for UnitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl TryFrom<String> for UnitKind {
    type Error = super::stored::UnknownState;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        UnitKind::ALL
            .into_iter()
            .find(|k| k.as_str() == value)
            .ok_or(super::stored::UnknownState {
                what: "unit kind",
                value,
            })
    }
}

/// One row of a units CSV, as read (before validation).
#[derive(Debug, Clone, Deserialize)]
pub struct UnitRow {
    pub code: String,
    pub name: String,
    pub kind: String,
    #[serde(default)]
    pub parent_code: String,
}

/// A unit that passed validation and will be written.
#[derive(Debug, Clone, PartialEq)]
pub struct NewUnit {
    pub code: UnitCode,
    pub name: String,
    pub kind: UnitKind,
    pub parent_code: Option<UnitCode>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Check a whole import against the units that already exist. Returns every
/// bad row, so a file is fixed in one pass; nothing is written unless all pass.
/// Rows come as (line number, row). Existing units may be updated (same code).
pub fn plan_import(
    existing: &HashMap<String, Option<String>>,
    rows: &[(u64, UnitRow)],
) -> Result<Vec<NewUnit>, Vec<RowError>> {
    let (planned, mut errors) = read_rows(rows);
    errors.extend(missing_parents(existing, &planned));
    errors.extend(loops(existing, &planned));
    if errors.is_empty() {
        Ok(parents_first(existing, planned))
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
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
            if let Some(first) = seen.insert(c.0.clone(), *line) {
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
    planned: &[(u64, NewUnit)],
) -> Vec<RowError> {
    let in_file: HashSet<&str> = planned.iter().map(|(_, u)| u.code.as_str()).collect();
    let mut errors = Vec::new();
    for (line, u) in planned {
        let Some(p) = &u.parent_code else { continue };
        let message = if p == &u.code {
            format!("unit {} is its own parent", u.code)
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
        let parent = u.parent_code.as_ref().map(|p| p.0.clone());
        parent_of.insert(u.code.0.clone(), parent);
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
        placed.extend(ready.iter().map(|u| u.code.0.clone()));
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

    #[test]
    fn orders_parents_first() {
        let rows = vec![(2, row("P1", "ward", "HN")), (3, row("HN", "city", ""))];
        let plan = plan_import(&HashMap::new(), &rows).expect("valid");
        assert_eq!(plan[0].code.as_str(), "HN");
        assert_eq!(plan[1].code.as_str(), "P1");
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
        let errs = plan_import(&HashMap::new(), &rows).unwrap_err();
        let lines: Vec<u64> = errs.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6]);
        assert!(errs[0].message.contains("village"));
        assert!(errs[1].message.contains("NOPE"));
        assert!(errs[2].message.contains("line 2"));
    }

    #[test]
    fn parent_may_already_exist() {
        let existing = HashMap::from([("HN".to_string(), None)]);
        let rows = vec![(2, row("P1", "ward", "HN"))];
        assert!(plan_import(&existing, &rows).is_ok());
    }

    #[test]
    fn rejects_cycles() {
        let existing = HashMap::from([("A".to_string(), None)]);
        let rows = vec![(2, row("A", "city", "B")), (3, row("B", "district", "A"))];
        let errs = plan_import(&existing, &rows).unwrap_err();
        assert!(errs.iter().any(|e| e.message.contains("ancestor")));
    }
}
