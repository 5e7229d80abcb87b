//! `sipas units import|list`: the units use case, with a progress bar.
use std::path::Path;

use crate::config::Settings;
use crate::service::audit::Actor;
use crate::service::units;
pub use crate::service::units::ImportError;
use crate::service::DbConn;

/// Import a units list (audited by the use case) and print the counts.
pub fn import(settings: &Settings, file: &Path) -> anyhow::Result<()> {
    let mut conn = super::connect(settings)?;
    let (inserted, updated) = import_file(&mut conn, file)?;
    println!(
        "{}: {inserted} units added, {updated} updated",
        file.display()
    );
    Ok(())
}

pub fn list(settings: &Settings) -> anyhow::Result<()> {
    let mut conn = super::connect(settings)?;
    for u in crate::service::units::all(&mut conn)? {
        println!("{:<16} {:<11} {}", u.code, u.kind, u.name);
    }
    Ok(())
}

/// Import units from a list file's bytes as the command line.
pub fn import_bytes(
    conn: &mut DbConn,
    file: &str,
    bytes: &[u8],
    show_progress: bool,
) -> Result<(usize, usize), ImportError> {
    let bar = super::list_progress(bytes, "units");
    if !show_progress {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let counts = units::import(conn, &Actor::Cli, file, bytes, || bar.inc(1));
    bar.finish();
    counts
}

pub fn import_file(conn: &mut DbConn, path: &Path) -> Result<(usize, usize), ImportError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| ImportError::Read(file.clone(), e))?;
    import_bytes(conn, &file, &bytes, true)
}
