//! `sipas units import`: the units use case, with a progress bar.
use std::path::Path;

use crate::db::DbConn;
use crate::service::units;
pub use crate::service::units::ImportError;

/// Import units from a list file's bytes as the command line.
pub fn import_bytes(
    conn: &mut DbConn,
    file: &str,
    bytes: &[u8],
    show_progress: bool,
) -> Result<(usize, usize), ImportError> {
    let rows = bytes.iter().filter(|b| **b == b'\n').count() as u64;
    let bar = super::progress(rows, "units");
    if !show_progress {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let counts = units::import(conn, "cli", file, bytes, || bar.inc(1));
    bar.finish_and_clear();
    counts
}

pub fn import_file(conn: &mut DbConn, path: &Path) -> Result<(usize, usize), ImportError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| ImportError::Read(file.clone(), e))?;
    import_bytes(conn, &file, &bytes, true)
}
