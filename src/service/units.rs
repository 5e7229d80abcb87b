//! Units: importing a unit list, as one use case for the CLI and the admin
//! screen. All rows or none, and the audit entry in the same transaction.
use diesel::Connection;

pub use crate::db::units::UnitRecord;
use crate::db::{self, DbConn};
use crate::domain::list_file::{self, Listing};
use crate::domain::unit::{plan_import, RowError, UnitRow};
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
/// or a workbook) by `actor`: all rows or none. Returns (inserted, updated).
pub fn import(
    conn: &mut DbConn,
    actor: &Actor,
    file: &str,
    bytes: &[u8],
    progress: impl FnMut(),
) -> Result<(usize, usize), ImportError> {
    let table = parse_list(bytes).map_err(|e| ImportError::Rows {
        file: file.into(),
        sheet: e.sheet,
        errors: e.errors,
    })?;
    let rows = unit_rows(&table);
    let existing = db::units::parent_map(conn)?;
    let plan = plan_import(&existing, &rows).map_err(|errors| ImportError::Rows {
        file: file.into(),
        sheet: table.sheet.clone(),
        errors,
    })?;
    let counts = conn.transaction(|conn| {
        let counts = db::units::apply_import(conn, &plan, progress)?;
        let detail = format!("added={} updated={}", counts.0, counts.1);
        audit::record(conn, actor, AuditAction::UnitsImport, file, &detail)?;
        diesel::QueryResult::Ok(counts)
    })?;
    tracing::info!(
        file,
        inserted = counts.0,
        updated = counts.1,
        "units imported"
    );
    Ok(counts)
}

/// Every unit, in the order the admin screens list them.
pub fn all(conn: &mut DbConn) -> Result<Vec<UnitRecord>, AppError> {
    Ok(db::units::all(conn)?)
}
