//! `sipas invitations import|remind|status`: recipient lists and reminders.
use std::path::Path;

use crate::config::Settings;
use crate::domain::ids::CampaignId;
use crate::service::audit::Actor;
use crate::service::auth::Scope;
use crate::service::invitations::{self, TallyRow};
use crate::service::recipients::{self, ImportError, ImportReport};
use crate::service::DbConn;

/// Import a recipient list; `allow_domain` adds to the configured official
/// domains.
pub fn import(
    settings: &Settings,
    campaign: &CampaignId,
    file: &Path,
    allow_domain: &[String],
) -> anyhow::Result<()> {
    let mut conn = super::connect(settings)?;
    let mut allowed = settings.mail.allowed_domains.clone();
    allowed.extend(allow_domain.iter().map(|d| d.trim().to_ascii_lowercase()));
    let r = import_file(&mut conn, campaign, file, &allowed)?;
    println!(
        "{}: {} invitations queued, {} duplicates merged",
        file.display(),
        r.added,
        r.merged
    );
    Ok(())
}

pub fn remind(
    settings: &Settings,
    campaign: &CampaignId,
    after_days: i64,
    max: i64,
) -> anyhow::Result<()> {
    let mut conn = super::connect(settings)?;
    let n = queue_reminders(&mut conn, campaign, after_days, max)?;
    println!("{n} reminders queued");
    Ok(())
}

pub fn status(settings: &Settings, campaign: &CampaignId) -> anyhow::Result<()> {
    let mut conn = super::connect(settings)?;
    for line in status_lines(&mut conn, campaign)? {
        println!("{line}");
    }
    Ok(())
}

pub fn import_file(
    conn: &mut DbConn,
    campaign: &CampaignId,
    path: &Path,
    allowed: &[String],
) -> anyhow::Result<ImportReport> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| anyhow::anyhow!("cannot read {file}: {e}"))?;
    let bar = super::list_progress(&bytes, "recipients");
    let all = Scope::All;
    let list = recipients::ListFile {
        name: &file,
        bytes: &bytes,
    };
    let r = recipients::import_bytes(conn, &all, &Actor::Cli, campaign, list, allowed, || {
        bar.inc(1)
    });
    bar.finish_and_clear();
    r.map_err(|e: ImportError| anyhow::anyhow!("{e}"))
}

pub fn queue_reminders(
    conn: &mut DbConn,
    campaign: &CampaignId,
    after_days: i64,
    max: i64,
) -> anyhow::Result<usize> {
    let now = chrono::Utc::now().naive_utc();
    recipients::queue_reminders(
        conn,
        &Scope::All,
        &Actor::Cli,
        campaign,
        after_days,
        max,
        now,
    )
    .map_err(|e| anyhow::anyhow!("{e}"))
}

/// Lines `unit group invited sent bounced answered failed queued`.
pub fn status_lines(conn: &mut DbConn, campaign: &CampaignId) -> anyhow::Result<Vec<String>> {
    let (_, rows) = invitations::tally(conn, &Scope::All, campaign)?;
    let mut out = vec![format!(
        "{:<16} {:<20} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9}",
        "unit", "group", "invited", "sent", "bounced", "answered", "failed", "queued", "opted-out"
    )];
    for TallyRow {
        unit_code,
        group,
        tally: t,
        ..
    } in rows
    {
        out.push(format!(
            "{:<16} {:<20} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9}",
            unit_code,
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
