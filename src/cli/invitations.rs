//! `sipas invitations import|remind|status`: recipient lists and reminders.
use std::path::Path;

use crate::db::{self, DbConn};
use crate::mail::recipients::{self, ImportError, ImportReport};
use crate::service::auth::Scope;

pub fn import_file(
    conn: &mut DbConn,
    campaign: &str,
    path: &Path,
    allowed: &[String],
) -> anyhow::Result<ImportReport> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| anyhow::anyhow!("cannot read {file}: {e}"))?;
    // About one row per line for text; a workbook's bar fills as rows come.
    let rows = bytes.iter().filter(|b| **b == b'\n').count() as u64;
    let bar = super::progress(rows, "recipients");
    let all = Scope::All;
    let r = recipients::import_bytes(conn, &all, "cli", campaign, &file, &bytes, allowed, || {
        bar.inc(1)
    });
    bar.finish_and_clear();
    r.map_err(|e: ImportError| anyhow::anyhow!("{e}"))
}

pub fn remind(
    conn: &mut DbConn,
    campaign: &str,
    after_days: i64,
    max: i64,
) -> anyhow::Result<usize> {
    let now = chrono::Utc::now().naive_utc();
    recipients::queue_reminders(conn, &Scope::All, "cli", campaign, after_days, max, now)
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// Lines `unit group invited sent bounced answered failed queued`.
pub fn status_lines(conn: &mut DbConn, campaign: &str) -> anyhow::Result<Vec<String>> {
    let units: std::collections::HashMap<String, String> = db::campaigns::units_of(conn, campaign)?
        .into_iter()
        .map(|u| (u.id, u.code))
        .collect();
    let mut out = vec![format!(
        "{:<16} {:<20} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9}",
        "unit", "group", "invited", "sent", "bounced", "answered", "failed", "queued", "opted-out"
    )];
    for ((unit, group), t) in db::outbox::tally(conn, campaign)? {
        out.push(format!(
            "{:<16} {:<20} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9}",
            units.get(&unit).map(String::as_str).unwrap_or(&unit),
            group,
            t.invited,
            t.sent,
            t.bounced,
            t.answered,
            t.failed,
            t.queued,
            t.opted_out
        ));
    }
    Ok(out)
}

/// `sipas campaigns mail-wording`: set (or, with neither subject nor body,
/// reset) a campaign's invitation or reminder wording. Every problem is
/// reported at once; nothing is stored then.
pub fn set_wording(
    conn: &mut DbConn,
    campaign: &str,
    kind: &str,
    subject: &str,
    body: &str,
) -> anyhow::Result<()> {
    use crate::service::mail_wording;
    match mail_wording::save(conn, campaign, kind, subject, body, crate::i18n::Lang::En) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(p)) => {
            let mut lines = Vec::new();
            lines.extend(p.subject.iter().map(|e| format!("--subject: {e}")));
            lines.extend(p.body.iter().map(|e| format!("--body-file: {e}")));
            anyhow::bail!("{}", lines.join("\n"))
        }
        Err(crate::error::AppError::NotFound) => {
            anyhow::bail!("no campaign has id {campaign}; `sipas campaigns list` shows them")
        }
        Err(e) => Err(anyhow::anyhow!("{e}")),
    }
}
