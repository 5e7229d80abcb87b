//! Units: importing a unit list, as one use case for the CLI and the admin
//! screen. All rows or none, and the audit entry in the same transaction.
use chrono::NaiveDate;
use diesel::Connection;

pub use crate::db::units::UnitRecord;
use crate::db::{self, DbConn};
use crate::domain::list_file::{self, Listing};
use crate::domain::unit::{RowError, UnitRow};
use crate::domain::unit_import::plan_import;
pub use crate::domain::unit_import::ImportCounts;
use crate::error::AppError;
use crate::service::audit::{self, Actor, AuditAction};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {0}: {1}")]
    Read(String, #[source] std::io::Error),
    #[error("{file}: nothing was imported; fix these rows and run again:\n{}", Listing { file, sheet: sheet.as_deref(), errors })]
    Rows {
        file: String,
        /// The workbook sheet the rows are on; None for a text file.
        sheet: Option<String>,
        errors: Vec<RowError>,
    },
    #[error("database error, nothing was imported: {0}")]
    Db(#[from] diesel::result::Error),
}

/// Parse a units list (code,name,kind,parent_code) as CSV or a workbook.
/// Every malformed row is reported with its line (or sheet and row).
pub fn parse_list(bytes: &[u8]) -> Result<list_file::Table, list_file::ListError> {
    list_file::read(
        bytes,
        &["code", "name", "kind"],
        "code,name,kind,parent_code",
    )
}

fn unit_rows(table: &list_file::Table) -> Vec<(u64, UnitRow)> {
    table
        .rows
        .iter()
        .map(|(line, r)| {
            let row = UnitRow {
                code: table.get(r, "code").to_string(),
                name: table.get(r, "name").to_string(),
                kind: table.get(r, "kind").to_string(),
                parent_code: table.get(r, "parent_code").to_string(),
            };
            (*line, row)
        })
        .collect()
}

/// Import units from a list file's bytes (CSV in any encoding Excel writes,
/// or a workbook) by `actor`: all rows or none. With `valid_from`, the file
/// is the tree from that day (see `plan_import`); without, it corrects and
/// extends the units in force.
pub fn import(
    conn: &mut DbConn,
    actor: &Actor,
    file: &str,
    bytes: &[u8],
    valid_from: Option<NaiveDate>,
    progress: impl FnMut(),
) -> Result<ImportCounts, ImportError> {
    let table = parse_list(bytes).map_err(|e| ImportError::Rows {
        file: file.into(),
        sheet: e.sheet,
        errors: e.errors,
    })?;
    let rows = unit_rows(&table);
    let counts = conn.transaction(|conn| {
        let open = db::units::open(conn)?;
        let plan = plan_import(&open, &rows, valid_from).map_err(|errors| ImportError::Rows {
            file: file.into(),
            sheet: table.sheet.clone(),
            errors,
        })?;
        db::units::apply_import(conn, &plan, progress)?;
        let c = plan.counts();
        let mut detail = format!("added={} updated={} ended={}", c.added, c.updated, c.ended);
        if let Some(d) = valid_from {
            detail.push_str(&format!(" valid_from={d}"));
        }
        audit::record(conn, actor, AuditAction::UnitsImport, file, &detail)?;
        Ok::<_, ImportError>(c)
    })?;
    tracing::info!(
        file,
        added = counts.added,
        updated = counts.updated,
        ended = counts.ended,
        valid_from = valid_from.map(|d| d.to_string()),
        "units imported"
    );
    Ok(counts)
}

/// Every unit of every period, in the order the admin screens list them.
pub fn all(conn: &mut DbConn) -> Result<Vec<UnitRecord>, AppError> {
    Ok(db::units::all(conn)?)
}

/// The units in force on `day` (all of them when None).
pub fn on(conn: &mut DbConn, day: Option<NaiveDate>) -> Result<Vec<UnitRecord>, AppError> {
    let all = db::units::all(conn)?;
    Ok(match day {
        None => all,
        Some(d) => all.into_iter().filter(|u| u.validity().on(d)).collect(),
    })
}
