//! Lineage: importing which old units each new one was formed from (all
//! rows or none, audited), and reading a unit's predecessors and successors.
use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::Connection;

use crate::db::{self, units::UnitRecord, DbConn};
use crate::domain::lineage::{plan_links, Link, LinkRow, Named, Sides};
use crate::domain::list_file::{self, Listing};
use crate::domain::unit::RowError;
use crate::error::AppError;
use crate::service::audit::{self, Actor, AuditAction};

#[derive(Debug, thiserror::Error)]
pub enum LineageError {
    #[error("cannot read {0}: {1}")]
    Read(String, #[source] std::io::Error),
    #[error("no tree was imported with a date (`sipas units import FILE --valid-from DATE`), so a lineage has no two sides to link; import the new tree first")]
    NoReorganisation,
    #[error("{file}: nothing was imported; fix these rows and run again:\n{}", Listing { file, sheet: sheet.as_deref(), errors })]
    Rows {
        file: String,
        sheet: Option<String>,
        errors: Vec<RowError>,
    },
    #[error("database error, nothing was imported: {0}")]
    Db(#[from] diesel::result::Error),
}

/// What a lineage import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineageCounts {
    pub day: NaiveDate,
    pub links: usize,
    pub new_units: usize,
}

fn by_code(units: &[UnitRecord], day: NaiveDate) -> HashMap<String, Named> {
    units
        .iter()
        .filter(|u| u.validity().on(day))
        .map(|u| {
            (
                u.code.to_string(),
                Named {
                    id: u.id.to_string(),
                    name: u.name.clone(),
                },
            )
        })
        .collect()
}

/// Import a lineage file (new_code, old_code, kind, share, note) by `actor`.
/// New codes are read in the tree from `day`, old codes in the tree of the
/// day before; without `day`, the latest date a tree was imported from.
/// The file replaces the links into each new unit it names.
pub fn import(
    conn: &mut DbConn,
    actor: &Actor,
    file: &str,
    bytes: &[u8],
    day: Option<NaiveDate>,
) -> Result<LineageCounts, LineageError> {
    let table = list_file::read(
        bytes,
        &["new_code", "old_code", "kind"],
        "new_code,old_code,kind,share,note",
    )
    .map_err(|e| LineageError::Rows {
        file: file.into(),
        sheet: e.sheet,
        errors: e.errors,
    })?;
    let rows: Vec<(u64, LinkRow)> = table
        .rows
        .iter()
        .map(|(line, r)| {
            let row = LinkRow {
                new_code: table.get(r, "new_code").to_string(),
                old_code: table.get(r, "old_code").to_string(),
                kind: table.get(r, "kind").to_string(),
                share: table.get(r, "share").to_string(),
                note: table.get(r, "note").to_string(),
            };
            (*line, row)
        })
        .collect();
    conn.transaction(|conn| {
        let all = db::units::all(conn)?;
        let day = day
            .or_else(|| all.iter().filter_map(|u| u.valid_from).max())
            .ok_or(LineageError::NoReorganisation)?;
        let eve = day.pred_opt().unwrap_or(day);
        let (before, after) = (by_code(&all, eve), by_code(&all, day));
        let sides = Sides {
            day,
            before: &before,
            after: &after,
        };
        let links = plan_links(&rows, &sides).map_err(|errors| LineageError::Rows {
            file: file.into(),
            sheet: table.sheet.clone(),
            errors,
        })?;
        let n = db::units::replace_links(conn, &links)?;
        let mut new_units: Vec<&str> = links.iter().map(|l| l.new_id.as_str()).collect();
        new_units.sort_unstable();
        new_units.dedup();
        let detail = format!("links={n} new_units={} day={day}", new_units.len());
        audit::record(conn, actor, AuditAction::UnitsLineageImport, file, &detail)?;
        tracing::info!(file, links = n, new_units = new_units.len(), %day, "lineage imported");
        Ok(LineageCounts {
            day,
            links: n,
            new_units: new_units.len(),
        })
    })
}

/// A unit at the other end of a link.
#[derive(Debug, Clone)]
pub struct Linked {
    pub unit: UnitRecord,
    pub link: Link,
}

/// The units a unit was formed from, and those formed from it.
#[derive(Debug, Clone, Default)]
pub struct Lineage {
    pub predecessors: Vec<Linked>,
    pub successors: Vec<Linked>,
}

pub fn of_unit(conn: &mut DbConn, unit_id: &str) -> Result<Lineage, AppError> {
    let all = db::units::all(conn)?;
    let by_id: HashMap<&str, &UnitRecord> = all.iter().map(|u| (u.id.as_str(), u)).collect();
    let mut out = Lineage::default();
    for link in db::units::links(conn)? {
        let (other, list) = if link.new_id == unit_id {
            (link.old_id.as_str(), &mut out.predecessors)
        } else if link.old_id == unit_id {
            (link.new_id.as_str(), &mut out.successors)
        } else {
            continue;
        };
        if let Some(u) = by_id.get(other) {
            list.push(Linked {
                unit: (*u).clone(),
                link: link.clone(),
            });
        }
    }
    out.predecessors
        .sort_by(|a, b| a.unit.code.cmp(&b.unit.code));
    out.successors.sort_by(|a, b| a.unit.code.cmp(&b.unit.code));
    Ok(out)
}

/// Every link as (new code, old code, link), by new code.
pub fn all(conn: &mut DbConn) -> Result<Vec<(String, String, Link)>, AppError> {
    let units = db::units::all(conn)?;
    let code_of: HashMap<&str, &str> = units
        .iter()
        .map(|u| (u.id.as_str(), u.code.as_str()))
        .collect();
    let mut out: Vec<(String, String, Link)> = db::units::links(conn)?
        .into_iter()
        .map(|l| {
            let new = code_of.get(l.new_id.as_str()).unwrap_or(&"?").to_string();
            let old = code_of.get(l.old_id.as_str()).unwrap_or(&"?").to_string();
            (new, old, l)
        })
        .collect();
    out.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    Ok(out)
}
