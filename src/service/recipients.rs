//! Recipient lists and reminders. A list is a CSV (email,unit_code,group and an
//! optional name, which is read and dropped: the greeting is generic, so no
//! name is stored). Each new recipient becomes an invitation (channel 'email')
//! whose message is queued in the same transaction; the whole file goes in or
//! none of it.
use crate::domain::ids::CampaignId;
use std::collections::{HashMap, HashSet};

use chrono::{NaiveDateTime, Utc};
use diesel::Connection;

use crate::db::{self, invitations::NewInvitation, DbConn};
use crate::domain::campaign::CampaignStatus;
use crate::domain::invitation::{InvitationChannel, InvitationStatus, MessageKind};
use crate::domain::list_file::{self, ListError, Listing, Table};
use crate::domain::token;
use crate::domain::unit::RowError;
use crate::service::access;
use crate::service::audit::{self, Actor, AuditAction};
use crate::service::auth::Scope;

/// A bad row of a list, by its line (or workbook row).
pub type LineError = RowError;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: nothing was imported; fix these rows and run again:\n{}", Listing { file, sheet: sheet.as_deref(), errors })]
    Rows {
        file: String,
        /// The workbook sheet the rows are on; None for a text file.
        sheet: Option<String>,
        errors: Vec<LineError>,
    },
    #[error("no campaign has id {0}")]
    NoCampaign(String),
    #[error("campaign {0} is not open; open it before inviting recipients")]
    NotOpen(String),
    #[error("database error, nothing was imported: {0}")]
    Db(#[from] diesel::result::Error),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// New invitations, each with a queued message.
    pub added: usize,
    /// Rows for an address already on the list (in the file or the campaign).
    pub merged: usize,
}

/// A lower-cased address, or why it is not one.
pub fn normalize_email(raw: &str) -> Result<String, String> {
    let e = raw.trim().to_lowercase();
    let Some((local, domain)) = e.split_once('@') else {
        return Err(format!("{raw:?} is not an email address (no @)"));
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = domain.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if local_ok && domain_ok && e.len() <= 254 {
        Ok(e)
    } else {
        Err(format!("{raw:?} is not a valid email address"))
    }
}

/// Is the address in one of the allowed domains (or a subdomain of one)?
pub fn domain_allowed(email: &str, allowed: &[String]) -> bool {
    if allowed.is_empty() {
        return true;
    }
    let domain = email.rsplit_once('@').map(|(_, d)| d).unwrap_or("");
    allowed.iter().any(|a| {
        let a = a.trim().trim_start_matches('@').to_ascii_lowercase();
        domain == a || domain.ends_with(&format!(".{a}"))
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub line: u64,
    pub email: String,
    pub unit_code: String,
    pub group: String,
}

/// Parse and check a list. Duplicates with the same unit and group are merged;
/// an address listed twice with a different unit or group is an error.
pub fn parse_list(
    table: &Table,
    allowed: &[String],
) -> Result<(Vec<Recipient>, usize), Vec<LineError>> {
    let (rows, merged, errors) = parse_rows(table, allowed);
    if errors.is_empty() {
        Ok((rows, merged))
    } else {
        Err(errors)
    }
}

const EMAIL: &str = "email";
const UNIT: &str = "unit_code|unit";
const GROUP: &str = "group|respondent_group|position";

/// Read a recipient list's file (CSV in any encoding Excel writes, or a
/// workbook).
pub fn read_list(bytes: &[u8]) -> Result<Table, ListError> {
    list_file::read(
        bytes,
        &[EMAIL, UNIT, GROUP],
        "email,unit_code,group (and optionally name)",
    )
}

/// The good rows, how many duplicates were merged, and an error per bad line.
fn parse_rows(table: &Table, allowed: &[String]) -> (Vec<Recipient>, usize, Vec<LineError>) {
    let err = |line, message: String| LineError { line, message };
    let line_word = if table.sheet.is_some() { "row" } else { "line" };
    let mut out: Vec<Recipient> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut merged = 0;
    let mut errors = Vec::new();
    for (line, r) in &table.rows {
        let line = *line;
        let field = |column: &str| table.get(r, column).to_string();
        let email = match normalize_email(&field(EMAIL)) {
            Ok(e) => e,
            Err(m) => {
                errors.push(err(line, m));
                continue;
            }
        };
        if !domain_allowed(&email, allowed) {
            errors.push(err(
                line,
                format!(
                    "{email} is not in an allowed official domain ({})",
                    allowed.join(", ")
                ),
            ));
            continue;
        }
        let unit_code = field(UNIT);
        let group = field(GROUP);
        if unit_code.is_empty() {
            errors.push(err(line, "unit_code is empty".into()));
            continue;
        }
        if group.is_empty() || group.chars().count() > 100 {
            errors.push(err(line, "group must be 1 to 100 characters".into()));
            continue;
        }
        if let Some(&i) = seen.get(&email) {
            let first = &out[i];
            if first.unit_code == unit_code && first.group == group {
                merged += 1;
            } else {
                errors.push(err(
                    line,
                    format!(
                        "{email} is already on {line_word} {} with unit {} and group {}",
                        first.line, first.unit_code, first.group
                    ),
                ));
            }
            continue;
        }
        seen.insert(email.clone(), out.len());
        out.push(Recipient {
            line,
            email,
            unit_code,
            group,
        });
    }
    (out, merged, errors)
}

/// The open campaign, if the scope sees any of its units: a campaign with none
/// of them is answered as if it did not exist, before anything is written.
fn campaign_in_scope(
    conn: &mut DbConn,
    scope: &Scope,
    campaign_id: &str,
) -> Result<db::campaigns::CampaignRecord, ImportError> {
    let none = || ImportError::NoCampaign(campaign_id.to_string());
    let campaign = db::campaigns::get(conn, campaign_id)?.ok_or_else(none)?;
    if !access::sees_campaign(conn, scope, &campaign.id)? {
        return Err(none());
    }
    if campaign.status() != CampaignStatus::Open {
        return Err(ImportError::NotOpen(campaign.id.into()));
    }
    Ok(campaign)
}

/// A list file as it came: its name (for messages and the audit) and bytes.
pub struct ListFile<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

/// Import a list file into a campaign: all rows or none.
pub fn import_bytes(
    conn: &mut DbConn,
    scope: &Scope,
    actor: &Actor,
    campaign_id: &CampaignId,
    list: ListFile<'_>,
    allowed: &[String],
    mut on_row: impl FnMut(),
) -> Result<ImportReport, ImportError> {
    let ListFile { name: file, bytes } = list;
    let table = read_list(bytes).map_err(|e| ImportError::Rows {
        file: file.to_string(),
        sheet: e.sheet,
        errors: e.errors,
    })?;
    let rows_err = |errors| ImportError::Rows {
        file: file.to_string(),
        sheet: table.sheet.clone(),
        errors,
    };
    let campaign = campaign_in_scope(conn, scope, campaign_id)?;
    let (rows, mut merged, mut errors) = parse_rows(&table, allowed);
    let units: HashMap<String, String> = db::campaigns::units_of(conn, &campaign.id)?
        .into_iter()
        .map(|u| (u.code.into(), u.id.into()))
        .collect();
    for r in &rows {
        if !units.contains_key(&r.unit_code) {
            errors.push(LineError {
                line: r.line,
                message: format!("unit {} is not in campaign {}", r.unit_code, campaign.id),
            });
        } else if !scope.has_unit_code(&r.unit_code) {
            errors.push(LineError {
                line: r.line,
                message: format!("unit {} is outside the units you manage", r.unit_code),
            });
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Err(rows_err(errors));
    }
    let secret = db::invitations::link_secret(conn)?;
    let today = crate::clock::today();
    let now = Utc::now().naive_utc();
    let mut added = 0;
    conn.transaction(|conn| {
        // Merged only with the same address of the same unit: whether another
        // unit invited an address is none of the importer's business.
        let existing: HashSet<(String, String)> =
            db::invitations::email_addresses(conn, &campaign.id)?
                .into_iter()
                .collect();
        for r in &rows {
            on_row();
            if existing.contains(&(r.email.clone(), units[&r.unit_code].clone())) {
                merged += 1;
                continue;
            }
            let id = uuid::Uuid::new_v4().to_string();
            let hash = token::hash(&token::derive(&secret, &id));
            db::invitations::insert(
                conn,
                &NewInvitation {
                    id: &id,
                    campaign_id: &campaign.id,
                    unit_id: &units[&r.unit_code],
                    channel: InvitationChannel::Email,
                    token_hash: &hash,
                    service_code: None,
                    dossier_id: None,
                    email: Some(&r.email),
                    respondent_group: Some(&r.group),
                    status: InvitationStatus::Queued,
                    created_on: today,
                },
            )?;
            db::outbox::queue(conn, &id, MessageKind::Invitation, now)?;
            added += 1;
        }
        let detail = format!("{file}: added={added} merged={merged}");
        audit::record(
            conn,
            actor,
            AuditAction::InvitationsImport,
            &campaign.id,
            &detail,
        )
    })?;
    tracing::info!(campaign = %campaign.id, file, added, merged, "recipients imported");
    Ok(ImportReport { added, merged })
}

/// Queue a reminder for every recipient in scope whose invitation was sent but
/// not answered, whose last message is at least `after_days` old and who has
/// had fewer than `max` reminders. Returns how many were queued.
pub fn queue_reminders(
    conn: &mut DbConn,
    scope: &Scope,
    actor: &Actor,
    campaign_id: &CampaignId,
    after_days: i64,
    max: i64,
    now: NaiveDateTime,
) -> Result<usize, ImportError> {
    let campaign = campaign_in_scope(conn, scope, campaign_id)?;
    let cutoff = now - chrono::Duration::days(after_days.max(0));
    Ok(conn.transaction(|conn| {
        let facts = db::outbox::reminder_facts(conn, &campaign.id)?;
        let mut n = 0;
        for f in facts {
            let due = f.status == InvitationStatus::Sent
                && !f.opted_out
                && f.reminders < max
                && f.last_message.is_some_and(|t| t <= cutoff)
                && scope.has_unit_id(&f.unit_id);
            if due {
                db::outbox::queue(conn, &f.invitation_id, MessageKind::Reminder, now)?;
                n += 1;
            }
        }
        let detail = format!("after_days={after_days} max={max} queued={n}");
        audit::record(
            conn,
            actor,
            AuditAction::InvitationsRemind,
            &campaign.id,
            &detail,
        )?;
        diesel::QueryResult::Ok(n)
    })?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_checked_line_by_line_and_duplicates_merged() {
        let text = "email,unit_code,group,name\n\
            A@Hanoi.gov.vn,U1,lanh-dao,Nguyễn Văn A\n\
            a@hanoi.gov.vn,U1,lanh-dao,\n\
            b@gmail.com,U1,x,\n\
            not-an-address,U1,x,\n\
            c@sonoivu.hanoi.gov.vn,U2,,\n";
        let allowed = vec!["hanoi.gov.vn".to_string()];
        let list = |text: &str| read_list(text.as_bytes()).expect("a table");
        let errs = parse_list(&list(text), &allowed).expect_err("bad rows");
        let lines: Vec<u64> = errs.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![4, 5, 6], "{errs:?}");
        let ok = "email,unit_code,group\nA@Hanoi.gov.vn,U1,g\na@hanoi.gov.vn,U1,g\nc@sonoivu.hanoi.gov.vn,U2,g\n";
        let (rows, merged) = parse_list(&list(ok), &allowed).expect("valid");
        assert_eq!(rows.len(), 2);
        assert_eq!(merged, 1);
        assert_eq!(rows[0].email, "a@hanoi.gov.vn");
        let conflict = "email,unit_code,group\na@x.vn,U1,g\na@x.vn,U2,g\n";
        let errs = parse_list(&list(conflict), &[]).expect_err("conflict");
        assert!(errs[0].message.contains("line 2"), "{errs:?}");
    }

    #[test]
    fn addresses_and_domains() {
        assert!(normalize_email("x@y").is_err());
        assert!(normalize_email("x y@a.vn").is_err());
        assert_eq!(normalize_email(" X@A.VN ").as_deref(), Ok("x@a.vn"));
        assert!(domain_allowed("a@hanoi.gov.vn", &["hanoi.gov.vn".into()]));
        assert!(!domain_allowed(
            "a@evilhanoi.gov.vn",
            &["hanoi.gov.vn".into()]
        ));
    }
}
