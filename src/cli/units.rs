//! `sipas units import|list|lineage`: the units use cases, with a progress bar.
use std::path::Path;

use chrono::NaiveDate;

use crate::config::Settings;
use crate::service::audit::Actor;
use crate::service::lineage::{self, LineageError};
pub use crate::service::units::ImportError;
use crate::service::units::{self, ImportCounts};
use crate::service::DbConn;

/// Import a units list (audited by the use case) and print the counts.
pub fn import(
    settings: &Settings,
    file: &Path,
    valid_from: Option<NaiveDate>,
) -> anyhow::Result<()> {
    let mut conn = super::connect(settings)?;
    let c = import_file(&mut conn, file, valid_from)?;
    let mut line = format!(
        "{}: {} units added, {} updated",
        file.display(),
        c.added,
        c.updated
    );
    if let Some(day) = valid_from {
        let eve = day.pred_opt().unwrap_or(day);
        line.push_str(&format!(
            ", {} continue, {} ended on {eve}; the new units hold from {day}",
            c.unchanged, c.ended
        ));
    }
    println!("{line}");
    Ok(())
}

/// The tree on a day (today by default), or every unit with its period.
pub fn list(settings: &Settings, on: Option<NaiveDate>, all: bool) -> anyhow::Result<()> {
    let mut conn = super::connect(settings)?;
    let day = (!all).then(|| on.unwrap_or_else(crate::clock::today));
    let listed = units::on(&mut conn, day)?;
    // The hint goes to stderr: the list itself stays empty for scripts.
    if listed.is_empty() {
        match day {
            Some(d) => eprintln!("no unit is in force on {d}"),
            None => eprintln!("no units yet: `sipas units import FILE.csv`"),
        }
    }
    for u in listed {
        if all {
            println!(
                "{:<16} {:<15} {:<22} {}",
                u.code,
                u.kind,
                u.validity().to_string(),
                u.name
            );
        } else {
            println!("{:<16} {:<15} {}", u.code, u.kind, u.name);
        }
    }
    Ok(())
}

/// Import units from a list file's bytes as the command line.
pub fn import_bytes(
    conn: &mut DbConn,
    file: &str,
    bytes: &[u8],
    valid_from: Option<NaiveDate>,
    show_progress: bool,
) -> Result<ImportCounts, ImportError> {
    let bar = super::list_progress(bytes, "units");
    if !show_progress {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let counts = units::import(conn, &Actor::Cli, file, bytes, valid_from, || bar.inc(1));
    bar.finish();
    counts
}

pub fn import_file(
    conn: &mut DbConn,
    path: &Path,
    valid_from: Option<NaiveDate>,
) -> Result<ImportCounts, ImportError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| ImportError::Read(file.clone(), e))?;
    import_bytes(conn, &file, &bytes, valid_from, true)
}

pub fn lineage_import(
    settings: &Settings,
    path: &Path,
    date: Option<NaiveDate>,
) -> anyhow::Result<()> {
    let mut conn = super::connect(settings)?;
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| LineageError::Read(file.clone(), e))?;
    let c = lineage::import(&mut conn, &Actor::Cli, &file, &bytes, date)?;
    println!(
        "{file}: {} links into {} units of {}, from the units of {}",
        c.links,
        c.new_units,
        c.day,
        c.day.pred_opt().unwrap_or(c.day)
    );
    Ok(())
}

pub fn lineage_list(settings: &Settings) -> anyhow::Result<()> {
    let mut conn = super::connect(settings)?;
    let rows = lineage::all(&mut conn)?;
    if rows.is_empty() {
        eprintln!("no lineage yet: `sipas units lineage import FILE.csv`");
    }
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(["new_code", "old_code", "kind", "share", "note"])?;
    for (new, old, link) in rows {
        let share = link.share.map(|s| s.to_string()).unwrap_or_default();
        let kind = if link.part { "part" } else { "whole" };
        out.write_record([
            new.as_str(),
            old.as_str(),
            kind,
            share.as_str(),
            link.note.as_str(),
        ])?;
    }
    let text = out.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    use std::io::Write;
    match std::io::stdout().lock().write_all(&text) {
        // `| head` closing the pipe early is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}
