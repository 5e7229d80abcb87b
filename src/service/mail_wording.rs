//! Saving a campaign's invitation and reminder wording: checked
//! against the placeholder rules, then stored; both fields empty means the
//! catalogue default. Used by the admin screen and the CLI.
use crate::domain::ids::CampaignId;
use diesel::Connection;

pub use crate::db::mail_wording::{CampaignWording, Wording};
use crate::db::{self, DbConn};
pub use crate::domain::invitation::MessageKind;
use crate::domain::mail_wording::{self as wording, WordingError};
use crate::error::AppError;
use crate::i18n::{Lang, Msg};
use crate::service::audit::{self, Actor, AuditAction};

/// What was wrong with a submitted wording, per field.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Problems {
    pub subject: Vec<String>,
    pub body: Vec<String>,
}

impl Problems {
    pub fn is_empty(&self) -> bool {
        self.subject.is_empty() && self.body.is_empty()
    }
}

/// The reader's text for one rule that was broken.
pub fn explain(e: &WordingError, lang: Lang) -> String {
    let t = |m: Msg| m.get(lang);
    match e {
        WordingError::Unknown { line, name } => format!(
            "{} {line}: {} {{{name}}}. {}: {}",
            t(Msg::Line),
            t(Msg::WordingUnknown),
            t(Msg::PlaceholdersTitle),
            wording::PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(", ")
        ),
        WordingError::Unclosed { line } => {
            format!("{} {line}: {}", t(Msg::Line), t(Msg::WordingUnclosed))
        }
        WordingError::NoLink => t(Msg::WordingNoLink).into(),
        WordingError::Empty => t(Msg::WordingEmpty).into(),
        WordingError::TooLong(n) => format!("{} {n}", t(Msg::WordingTooLong)),
        WordingError::LinkInSubject => t(Msg::WordingLinkInSubject).into(),
        WordingError::MultiLineSubject => t(Msg::WordingOneLine).into(),
    }
}

/// Check one kind's subject and body. Both empty is fine (the default).
pub fn check(subject: &str, body: &str, lang: Lang) -> Problems {
    if subject.trim().is_empty() && body.trim().is_empty() {
        return Problems::default();
    }
    if subject.trim().is_empty() || body.trim().is_empty() {
        let half = vec![Msg::WordingHalf.get(lang).to_string()];
        return if subject.trim().is_empty() {
            Problems {
                subject: half,
                body: vec![],
            }
        } else {
            Problems {
                subject: vec![],
                body: half,
            }
        };
    }
    let (s, b) = wording::validate(subject, body);
    Problems {
        subject: s.iter().map(|e| explain(e, lang)).collect(),
        body: b.iter().map(|e| explain(e, lang)).collect(),
    }
}

/// Store one kind's wording by `actor` after checking it, audited in the
/// same transaction. Ok(Err) carries the problems; nothing is stored then.
pub fn save(
    conn: &mut DbConn,
    actor: &Actor,
    campaign_id: &CampaignId,
    kind: MessageKind,
    subject: &str,
    body: &str,
    lang: Lang,
) -> Result<Result<(), Problems>, AppError> {
    db::campaigns::get(conn, campaign_id)?.ok_or(AppError::NotFound)?;
    let problems = check(subject, body, lang);
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let body = body.replace("\r\n", "\n");
    let value = (!subject.trim().is_empty()).then_some((subject.trim(), body.trim_end()));
    let now = chrono::Utc::now().naive_utc();
    conn.transaction(|conn| {
        db::mail_wording::set(conn, campaign_id, kind, value, now)?;
        let action = AuditAction::CampaignMailWording;
        audit::record(conn, actor, action, campaign_id, kind.as_str())
    })?;
    Ok(Ok(()))
}

/// A campaign's name and its stored wording, for the wording screen.
pub fn of_campaign(
    conn: &mut DbConn,
    id: &CampaignId,
) -> Result<(String, CampaignWording), AppError> {
    let c = crate::service::campaigns::get(conn, id)?;
    Ok((c.name, db::mail_wording::of_campaign(conn, id)?))
}

/// Store a campaign's invitation and reminder wording (subject, body) by
/// `actor`: both when neither has a problem, else nothing. Returns each
/// kind's problems.
pub fn save_both(
    conn: &mut DbConn,
    actor: &Actor,
    campaign_id: &CampaignId,
    invitation: (&str, &str),
    reminder: (&str, &str),
    lang: Lang,
) -> Result<(Problems, Problems), AppError> {
    let inv = check(invitation.0, invitation.1, lang);
    let rem = check(reminder.0, reminder.1, lang);
    if inv.is_empty() && rem.is_empty() {
        conn.transaction(|conn| {
            for (kind, (s, b)) in [
                (MessageKind::Invitation, invitation),
                (MessageKind::Reminder, reminder),
            ] {
                if let Err(p) = save(conn, actor, campaign_id, kind, s, b, lang)? {
                    return Err(AppError::invariant(format!("wording checked twice: {p:?}")));
                }
            }
            Ok(())
        })?;
    }
    Ok((inv, rem))
}
