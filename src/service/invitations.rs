//! Personal links: issued to one-stop systems per dossier (or sent by email),
//! opened by the respondent at /i/{token}.
use crate::domain::ids::CampaignId;
use chrono::Utc;
use diesel::Connection;

use crate::db::{self, invitations::InvitationRecord, invitations::NewInvitation, DbConn};
use crate::domain::campaign::CampaignStatus;
pub use crate::domain::invitation::link_path;
use crate::domain::invitation::{InvitationChannel, InvitationStatus, MessageKind};
use crate::domain::token;
use crate::error::{bad_request, AppError};
use crate::mail::bounces::Bounce;
use crate::service::audit::{self, Actor, AuditAction};
use crate::service::auth::Scope;
use crate::service::campaigns::CampaignRecord;
use crate::service::responses::{self, FormContext};
use crate::service::templates::TemplateCache;

/// What a one-stop system sends when it returns a dossier.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct IssueRequest {
    pub campaign_id: String,
    pub unit_code: String,
    #[serde(default)]
    pub service_code: Option<String>,
    pub dossier_id: String,
    #[serde(default)]
    pub email: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Issued {
    pub invitation_id: String,
    pub token: String,
    pub status: InvitationStatus,
    /// False when the dossier already had its link (the same one is returned).
    pub created: bool,
}

fn check_email(e: &str) -> Result<String, AppError> {
    let e = e.trim();
    let ok = e.len() <= 254
        && e.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
        && !e.chars().any(|c| c.is_whitespace() || c == ',' || c == ';');
    if ok {
        Ok(e.to_lowercase())
    } else {
        Err(bad_request(format!("email {e:?} is not a valid address")))
    }
}

/// A dossier id another unit already used in the campaign: refused without a
/// word about that unit or its invitation.
fn dossier_of_another_unit(dossier: &str) -> AppError {
    AppError::Conflict(format!(
        "dossier_id {dossier:?} is already used in this campaign by another unit; \
         a dossier id names one dossier of one unit: send the id your one-stop system gave this dossier"
    ))
}

/// Issue (or return again) the personal link for one dossier. The same
/// dossier of the same unit always gets the same link, however often it is
/// asked for; another unit sending that dossier id is refused (409).
pub fn issue_for_dossier(
    conn: &mut DbConn,
    scope: &Scope,
    req: &IssueRequest,
) -> Result<Issued, AppError> {
    let dossier = req.dossier_id.trim();
    if dossier.is_empty() || dossier.len() > 100 {
        return Err(bad_request("dossier_id must be 1 to 100 characters"));
    }
    let campaign = db::campaigns::get(conn, &req.campaign_id)?.ok_or(AppError::NotFound)?;
    if !scope.has_unit_code(&req.unit_code) {
        return Err(AppError::Forbidden);
    }
    let unit = db::campaigns::unit_in(conn, &campaign.id, &req.unit_code)?.ok_or_else(|| {
        bad_request(format!(
            "unit {} is not in campaign {}",
            req.unit_code, campaign.id
        ))
    })?;
    if campaign.status() != CampaignStatus::Open {
        return Err(AppError::Closed);
    }
    let service = match req
        .service_code
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(code) => {
            if !db::campaigns::services_of(conn, &campaign.id)?
                .iter()
                .any(|s| s.code == code)
            {
                return Err(bad_request(format!(
                    "service {code} is not a service of this campaign"
                )));
            }
            Some(code.to_string())
        }
    };
    let email = req
        .email
        .as_deref()
        .filter(|e| !e.trim().is_empty())
        .map(check_email)
        .transpose()?;
    let secret = db::invitations::link_secret(conn)?;
    let id = uuid::Uuid::new_v4().to_string();
    let tok = token::derive(&secret, &id);
    let hash = token::hash(&tok);
    let queue = email.is_some();
    let new = NewInvitation {
        id: &id,
        campaign_id: &campaign.id,
        unit_id: &unit.id,
        channel: InvitationChannel::Api,
        token_hash: &hash,
        service_code: service.as_deref(),
        dossier_id: Some(dossier),
        email: email.as_deref(),
        respondent_group: None,
        // With an address, the link is also mailed: the message is queued in
        // the same transaction.
        status: if queue {
            InvitationStatus::Queued
        } else {
            InvitationStatus::Issued
        },
        created_on: crate::clock::today(),
    };
    // A new link (with its message) in one transaction, or, when the unique
    // (campaign, dossier) refuses it, the link that exists. Writing first
    // matters on SQLite: a transaction that reads before it writes cannot take
    // the write lock once a concurrent one has committed (SQLITE_BUSY), so
    // two requests for one dossier would end in a 500.
    let attempt = conn.transaction(|conn| {
        db::invitations::insert(conn, &new)?;
        if queue {
            db::outbox::queue(conn, &id, MessageKind::Invitation, Utc::now().naive_utc())?;
        }
        db::invitations::by_id(conn, &id)
    });
    let (rec, created) = match attempt {
        Ok(rec) => (rec, true),
        Err(e) if db::is_unique_violation(&e) => (
            db::invitations::by_dossier(conn, &campaign.id, dossier)?.ok_or(AppError::from(e))?,
            false,
        ),
        Err(e) => return Err(e.into()),
    };
    if rec.unit_id != unit.id {
        return Err(dossier_of_another_unit(dossier));
    }
    Ok(Issued {
        token: token::derive(&secret, &rec.id),
        invitation_id: rec.id.into(),
        status: rec.status,
        created,
    })
}

/// The invitation behind a link token, if the token is well formed and known.
pub fn by_token(conn: &mut DbConn, tok: &str) -> Result<InvitationRecord, AppError> {
    if !token::looks_valid(tok) {
        return Err(AppError::NotFound);
    }
    db::invitations::by_token_hash(conn, &token::hash(tok))?.ok_or(AppError::NotFound)
}

/// The recipient of `token` wants no more reminders. Ok(true) when this
/// request is the one that opted them out.
pub fn opt_out(conn: &mut DbConn, token: &str, today: chrono::NaiveDate) -> Result<bool, AppError> {
    let inv = by_token(conn, token)?;
    let changed = db::outbox::opt_out(conn, &inv.id, today)?;
    if changed {
        tracing::info!(invitation = %inv.id, "recipient opted out of reminders");
    }
    Ok(changed)
}

/// What a personal link opens.
pub enum Opened {
    /// The form, with the invitation's id and the progress kept from an
    /// earlier visit.
    Form {
        form: Box<FormContext>,
        invitation_id: String,
        progress: Option<String>,
    },
    /// The link was used: one response per link.
    Answered,
}

/// Resolve a personal link to its form, or say why not.
pub fn open_link(
    templates: &TemplateCache,
    conn: &mut DbConn,
    tok: &str,
) -> Result<Opened, AppError> {
    let inv = by_token(conn, tok)?;
    if inv.status == InvitationStatus::Answered {
        return Ok(Opened::Answered);
    }
    let unit = db::units::by_id(conn, &inv.unit_id)?.ok_or(AppError::NotFound)?;
    let form = responses::form_context(
        templates,
        conn,
        &inv.campaign_id,
        &unit.code,
        inv.service_code.as_deref(),
    )?;
    // Links stop working when the campaign closes.
    if form.campaign.status() != CampaignStatus::Open {
        return Err(AppError::Closed);
    }
    Ok(Opened::Form {
        form: Box::new(form),
        invitation_id: inv.id.into(),
        progress: inv.progress,
    })
}

pub use crate::db::outbox::Tally;

/// One line of a campaign's invitation counts.
pub struct TallyRow {
    pub unit_code: String,
    pub unit_name: String,
    pub group: String,
    pub tally: Tally,
}

/// A campaign's email invitations counted per unit and respondent group,
/// only for the units in `scope` (not found when it sees none of them).
pub fn tally(
    conn: &mut DbConn,
    scope: &Scope,
    campaign_id: &CampaignId,
) -> Result<(CampaignRecord, Vec<TallyRow>), AppError> {
    let campaign = db::campaigns::get(conn, campaign_id)?.ok_or(AppError::NotFound)?;
    let units: std::collections::HashMap<String, (String, String)> =
        db::campaigns::units_of(conn, campaign_id)?
            .into_iter()
            .filter(|u| scope.has_unit_id(&u.id))
            .map(|u| (u.id.into(), (u.code.into(), u.name)))
            .collect();
    if units.is_empty() {
        return Err(AppError::NotFound);
    }
    let rows = db::outbox::tally(conn, campaign_id)?
        .into_iter()
        .filter_map(|((unit, group), tally)| {
            units.get(&unit).map(|(code, name)| TallyRow {
                unit_code: code.clone(),
                unit_name: name.clone(),
                group,
                tally,
            })
        })
        .collect();
    Ok((campaign, rows))
}

/// Bounces counted by `record_bounces`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct BounceCounts {
    pub bounced: usize,
    /// Reports naming an invitation that is unknown or already answered.
    pub unmatched: usize,
}

/// Mark the invitations of `bounces` bounced, with one audit record naming
/// `source` and `detail`, in one transaction. Running it again on the same
/// reports changes nothing.
pub fn record_bounces(
    conn: &mut DbConn,
    actor: &Actor,
    source: &str,
    bounces: &[Bounce],
    detail: impl FnOnce(BounceCounts) -> String,
) -> Result<BounceCounts, AppError> {
    let counts = conn.transaction(|conn| {
        let mut c = BounceCounts::default();
        for b in bounces {
            if db::outbox::mark_bounced(conn, &b.invitation_id, &b.reason)? > 0 {
                tracing::info!(invitation = %b.invitation_id, "bounce recorded");
                c.bounced += 1;
            } else {
                c.unmatched += 1;
            }
        }
        audit::record(conn, actor, AuditAction::BouncesIngest, source, &detail(c))?;
        diesel::QueryResult::Ok(c)
    })?;
    Ok(counts)
}
