use std::path::Path;

use crate::db::{self, DbConn};
use crate::domain::csv_input;
use crate::domain::unit::{plan_import, RowError, UnitRow};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {0}: {1}")]
    Read(String, std::io::Error),
    #[error("{file}: nothing was imported; fix these rows and run again:\n{}", .errors.iter().map(|e| format!("  {file}:{}: {}", e.line, e.message)).collect::<Vec<_>>().join("\n"))]
    Rows { file: String, errors: Vec<RowError> },
    #[error("database error, nothing was imported: {0}")]
    Db(#[from] diesel::result::Error),
}

/// Parse a units CSV (code,name,kind,parent_code). Every malformed row is
/// reported with its line number.
pub fn parse_csv(text: &str) -> Result<Vec<(u64, UnitRow)>, Vec<RowError>> {
    let table = csv_input::read(
        text,
        &["code", "name", "kind"],
        "code,name,kind,parent_code",
    )?;
    Ok(table
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
        .collect())
}

/// Import units from CSV text: all rows or none. Returns (inserted, updated).
pub fn import_text(
    conn: &mut DbConn,
    file: &str,
    text: &str,
    show_progress: bool,
) -> Result<(usize, usize), ImportError> {
    let rows = parse_csv(text).map_err(|errors| ImportError::Rows {
        file: file.into(),
        errors,
    })?;
    let existing = db::units::parent_map(conn)?;
    let plan = plan_import(&existing, &rows).map_err(|errors| ImportError::Rows {
        file: file.into(),
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
    let text = std::fs::read_to_string(path).map_err(|e| ImportError::Read(file.clone(), e))?;
    import_text(conn, &file, &text, true)
}
