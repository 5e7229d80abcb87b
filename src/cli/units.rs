//! `sipas units import|list`: the units of administration.
use std::path::Path;

use crate::config::Settings;
use crate::db::{self, DbConn};
use crate::domain::list_file::{self, Listing};
use crate::domain::unit::{plan_import, RowError, UnitRow};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {0}: {1}")]
    Read(String, std::io::Error),
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

/// Import a units list, audited, and print the counts.
pub fn import(settings: &Settings, file: &Path) -> anyhow::Result<()> {
    let mut conn = super::connect(settings)?;
    let (inserted, updated) = import_file(&mut conn, file)?;
    db::audit::record(
        &mut conn,
        "cli",
        "units_import",
        &file.display().to_string(),
        &format!("added={inserted} updated={updated}"),
    )?;
    println!(
        "{}: {inserted} units added, {updated} updated",
        file.display()
    );
    Ok(())
}

pub fn list(settings: &Settings) -> anyhow::Result<()> {
    let mut conn = super::connect(settings)?;
    for u in db::units::all(&mut conn)? {
        println!("{:<16} {:<11} {}", u.code, u.kind, u.name);
    }
    Ok(())
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
/// or a workbook): all rows or none. Returns (inserted, updated).
pub fn import_bytes(
    conn: &mut DbConn,
    file: &str,
    bytes: &[u8],
    show_progress: bool,
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
    let bar = super::progress(plan.len() as u64, "units");
    if !show_progress {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let counts = db::units::apply_import(conn, &plan, || bar.inc(1))?;
    bar.finish();
    tracing::info!(
        file,
        inserted = counts.0,
        updated = counts.1,
        "units imported"
    );
    Ok(counts)
}

pub fn import_file(conn: &mut DbConn, path: &Path) -> Result<(usize, usize), ImportError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| ImportError::Read(file.clone(), e))?;
    import_bytes(conn, &file, &bytes, true)
}
