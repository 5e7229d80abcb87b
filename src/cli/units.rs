use std::path::Path;

use crate::db::{self, DbConn};
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
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Err(vec![RowError {
                line: 1,
                message: format!("cannot read the header: {e}"),
            }])
        }
    };
    let missing: Vec<&str> = ["code", "name", "kind"]
        .into_iter()
        .filter(|c| !headers.iter().any(|h| h == *c))
        .collect();
    if !missing.is_empty() {
        return Err(vec![RowError {
            line: 1,
            message: format!(
                "missing column(s) {}; expected header code,name,kind,parent_code",
                missing.join(", ")
            ),
        }]);
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for record in reader.records() {
        match record {
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                errors.push(RowError {
                    line,
                    message: format!("malformed row: {e}"),
                });
            }
            Ok(r) => {
                let line = r.position().map(|p| p.line()).unwrap_or(0);
                match r.deserialize::<UnitRow>(Some(&headers)) {
                    Ok(row) => rows.push((line, row)),
                    Err(e) => errors.push(RowError {
                        line,
                        message: format!("malformed row: {e}"),
                    }),
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
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
