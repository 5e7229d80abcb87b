//! `sipas bounces ingest DIR`: mark invitations bounced from the delivery
//! status notifications in a maildir. Safe to run again on the same folder.
use std::path::Path;

use crate::config::Settings;
use crate::mail::bounces;
use crate::service::audit::Actor;
use crate::service::invitations;
use crate::service::DbConn;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct IngestReport {
    pub files: usize,
    pub bounced: usize,
    /// DSNs naming an invitation that is unknown or already answered.
    pub unmatched: usize,
    /// Files that are not failure reports about sipas messages.
    pub ignored: usize,
    /// Files that could not be read, one line each ("path: why"); the others
    /// are still ingested.
    pub errors: Vec<String>,
}

/// Ingest a maildir and print the counts; unreadable files are listed on
/// standard error and fail the command after the others are ingested.
pub fn ingest(settings: &Settings, dir: &Path) -> anyhow::Result<()> {
    let mut conn = super::connect(settings)?;
    let r = ingest_dir(&mut conn, dir)?;
    println!(
        "{} files: {} invitations marked bounced, {} not matched, {} not bounce reports",
        r.files, r.bounced, r.unmatched, r.ignored
    );
    if !r.errors.is_empty() {
        for e in &r.errors {
            eprintln!("{e}");
        }
        anyhow::bail!("{} file(s) could not be read", r.errors.len());
    }
    Ok(())
}

pub fn ingest_dir(conn: &mut DbConn, dir: &Path) -> anyhow::Result<IngestReport> {
    let files = bounces::maildir_files(dir)
        .map_err(|e| anyhow::anyhow!("cannot read the maildir {}: {e}", dir.display()))?;
    let bar = super::progress(files.len() as u64, "bounces");
    let mut report = IngestReport {
        files: files.len(),
        ..Default::default()
    };
    let mut found = Vec::new();
    for f in &files {
        bar.inc(1);
        let bytes = match std::fs::read(f) {
            Ok(b) => b,
            Err(e) => {
                report
                    .errors
                    .push(format!("{}: cannot read: {e}", f.display()));
                continue;
            }
        };
        match bounces::parse_dsn(&bytes) {
            None => report.ignored += 1,
            Some(b) => {
                tracing::debug!(invitation = %b.invitation_id, file = %f.display(), "bounce report read");
                found.push(b);
            }
        }
    }
    bar.finish_and_clear();
    let (files, ignored, unreadable) = (report.files, report.ignored, report.errors.len());
    let counts =
        invitations::record_bounces(conn, &Actor::Cli, &dir.display().to_string(), &found, |c| {
            format!(
                "files={files} bounced={} unmatched={} ignored={ignored} unreadable={unreadable}",
                c.bounced, c.unmatched
            )
        })?;
    report.bounced = counts.bounced;
    report.unmatched = counts.unmatched;
    Ok(report)
}
