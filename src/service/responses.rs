//! Taking a questionnaire: page by page (server-side skip logic), then one
//! transaction that stores the response, its tallies and its idempotency key.
use crate::domain::ids::CampaignId;
use crate::domain::template::ItemCode;
use crate::domain::unit::UnitCode;
use std::collections::BTreeMap;

use crate::db::responses::InsertError;
use crate::db::writer::Writer;
use crate::db::{self, DbConn};
use crate::domain::campaign::CampaignStatus;
use crate::domain::paging;
pub use crate::domain::response::ResponseChannel;
use crate::domain::response::{self, FieldError, Given};
use crate::error::AppError;
use crate::service::templates::TemplateCache;

/// Form fields that are not answers.
pub const PAGE_FIELD: &str = "_page";
pub const KEY_FIELD: &str = "_k";
pub const ACTION_FIELD: &str = "_action";
pub const SERVICE_FIELD: &str = "_dv";
pub const HONEYPOT_FIELD: &str = "website";

pub use crate::service::form_context::{form_context, FormCache, FormContext};

/// What the respondent posted, split into answers and form mechanics.
#[derive(Debug, Default)]
pub struct Posted {
    pub answers: Vec<(String, String)>,
    pub page: usize,
    pub key: Option<String>,
    pub back: bool,
    pub service: Option<String>,
    pub honeypot_filled: bool,
    /// "Save and continue later" (personal links only).
    pub save: bool,
}

impl Posted {
    pub fn parse(pairs: Vec<(String, String)>) -> Posted {
        let mut p = Posted::default();
        for (k, v) in pairs {
            match k.as_str() {
                PAGE_FIELD => p.page = v.trim().parse().unwrap_or(0),
                // Only a well-formed UUID is accepted as a key.
                KEY_FIELD => p.key = uuid::Uuid::parse_str(v.trim()).ok().map(|u| u.to_string()),
                ACTION_FIELD => {
                    p.back = v == "back";
                    p.save = v == "save";
                }
                SERVICE_FIELD => p.service = Some(v.trim().to_string()).filter(|s| !s.is_empty()),
                HONEYPOT_FIELD => p.honeypot_filled = !v.trim().is_empty(),
                _ if k.starts_with('_') => {}
                _ => p.answers.push((k, v)),
            }
        }
        p
    }
}

pub enum Outcome {
    Stored,
    /// The same form (idempotency key) was already stored: nothing new is written.
    AlreadyStored,
    /// Show a page of the form: the next one, the previous one, or the same
    /// one again with what is wrong. Everything entered so far is carried along.
    Page {
        ctx: Box<FormContext>,
        given: Given,
        page: usize,
        errors: BTreeMap<ItemCode, FieldError>,
        key: String,
    },
    /// This device reached the campaign's cap for open-link submissions.
    DeviceCapReached,
    /// A personal link's answers were saved for later.
    Saved(Box<FormContext>),
}

pub struct Submit<'a> {
    pub campaign_id: &'a CampaignId,
    pub unit_code: &'a UnitCode,
    pub channel: ResponseChannel,
    pub posted: Posted,
    pub device_id: Option<&'a str>,
    /// The personal link being answered, if any: progress is kept on it
    /// between pages, and it is marked answered with the response.
    pub invitation_id: Option<&'a str>,
}

/// The answers so far and the page reached, as kept on a personal link.
pub fn encode_progress(given: &Given, page: usize) -> String {
    let mut pairs: Vec<(&str, &str)> = given
        .iter()
        .flat_map(|(k, vs)| vs.iter().map(move |v| (k.as_str(), v.as_str())))
        .collect();
    pairs.sort();
    let page = page.to_string();
    pairs.push((PAGE_FIELD, &page));
    serde_urlencoded::to_string(&pairs).unwrap_or_default()
}

/// Saved progress back into answers and the page to show.
pub fn decode_progress(progress: &str) -> (Given, usize) {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(progress).unwrap_or_default();
    let posted = Posted::parse(pairs);
    (response::group_fields(&posted.answers), posted.page)
}

/// Move the respondent one step: validate the page, go forward or back, or
/// store the whole response when the last page that applies is done.
/// `device_cap`: open-link submissions per device and campaign (0: no cap).
pub fn step(
    templates: &TemplateCache,
    forms: &FormCache,
    writes: &Writes,
    device_cap: u32,
    conn: &mut DbConn,
    s: Submit<'_>,
) -> Result<Outcome, AppError> {
    let ctx = forms.context(
        templates,
        conn,
        s.campaign_id,
        s.unit_code,
        s.posted.service.as_deref(),
    )?;
    if ctx.campaign.status() != CampaignStatus::Open {
        return Err(AppError::Closed);
    }
    let given = response::group_fields(&s.posted.answers);
    let pages = paging::pages(&ctx.template);
    let page = s.posted.page.min(pages.len().saturating_sub(1));
    let key = s
        .posted
        .key
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let show = |ctx: FormContext, page, errors| Outcome::Page {
        ctx: Box::new(ctx),
        given: given.clone(),
        page,
        errors,
        key: key.clone(),
    };
    // On a personal link every step is kept, so closing the browser loses nothing.
    let invitation = s.invitation_id;
    let keep = |conn: &mut DbConn, page: usize| -> Result<(), AppError> {
        if let Some(inv) = invitation {
            db::invitations::save_progress(conn, inv, &encode_progress(&given, page))?;
        }
        Ok(())
    };

    if s.posted.back {
        let prev = paging::previous_page(&ctx.template, &pages, page, &given).unwrap_or(0);
        keep(conn, prev)?;
        return Ok(show(ctx, prev, BTreeMap::new()));
    }
    if s.posted.save && s.invitation_id.is_some() {
        keep(conn, page)?;
        return Ok(Outcome::Saved(Box::new(ctx)));
    }
    let answers = match paging::advance(&ctx.template, &pages, page, &given) {
        paging::Advance::Show { page, errors } => {
            keep(conn, page)?;
            return Ok(show(ctx, page, errors));
        }
        paging::Advance::Complete(answers) => answers,
    };
    let stored = writes.store(
        conn,
        db::responses::NewResponse {
            campaign_id: ctx.campaign.id.to_string(),
            unit_id: ctx.unit.id.to_string(),
            channel: s.channel,
            submitted_on: crate::clock::today(),
            answers,
            service_code: ctx.service.as_ref().map(|sv| sv.code.clone()),
            idempotency_key: Some(key),
            device_id: s.device_id.map(str::to_string),
            device_cap,
            invitation_id: s.invitation_id.map(str::to_string),
            entry_batch: None,
            breakdowns: ctx.template.breakdown_scope(),
        },
    )?;
    Ok(match stored {
        Ok(()) => Outcome::Stored,
        Err(Refused::Duplicate) => Outcome::AlreadyStored,
        Err(Refused::DeviceCapReached) => Outcome::DeviceCapReached,
    })
}

/// Why a submission was not stored, though nothing failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Its idempotency key, or its personal link, was used before.
    Duplicate,
    DeviceCapReached,
}

/// Where submissions are written: through the one writer thread, which
/// commits the queued submissions together (group commit), or on the
/// request's own connection (`--group-commit direct`; on PostgreSQL the
/// server then flushes concurrent commits together itself).
pub enum Writes {
    Direct,
    Grouped(Writer),
}

impl Writes {
    /// The writes for a database: grouped (the default on both backends,
    /// measured faster on PostgreSQL too, docs/BENCHMARKS.md) or direct.
    pub fn for_database(
        url: &crate::db::DatabaseUrl,
        grouped: bool,
    ) -> Result<Writes, crate::db::SetupError> {
        Ok(if grouped {
            Writes::Grouped(Writer::start(url)?)
        } else {
            Writes::Direct
        })
    }

    /// Store one response, its tallies and counts in one transaction;
    /// returns once that transaction is durable.
    pub fn store(
        &self,
        conn: &mut DbConn,
        r: db::responses::NewResponse,
    ) -> Result<Result<(), Refused>, AppError> {
        let stored = match self {
            Writes::Direct => db::submit::store_one(conn, r),
            Writes::Grouped(w) => w
                .write(r)
                .map_err(|e| AppError::internal("storing a response", e))?,
        };
        match stored {
            Ok(_) => Ok(Ok(())),
            Err(InsertError::Duplicate) => Ok(Err(Refused::Duplicate)),
            Err(InsertError::DeviceCapReached) => Ok(Err(Refused::DeviceCapReached)),
            Err(InsertError::NoEntryBatch) => Err(AppError::NotFound),
            Err(InsertError::Closed) => Err(AppError::Closed),
            Err(InsertError::Db(e)) => Err(e.into()),
        }
    }
}

/// A complete set of answers stored in one go.
pub struct Complete<'a> {
    pub campaign_id: &'a CampaignId,
    pub unit_code: &'a UnitCode,
    pub channel: ResponseChannel,
    pub pairs: &'a [(String, String)],
    /// The form's idempotency key: the same form sent again stores nothing.
    pub key: Option<&'a str>,
    /// The paper-entry batch to count the form in (with the response, in one transaction).
    pub entry_batch: Option<&'a str>,
}

/// Whether a complete form was stored now or had been already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    New,
    /// The same idempotency key was stored before (a double Enter): nothing
    /// was written, nothing counted.
    Again,
}

/// Store a complete set of answers in one go (paper data entry, demo data,
/// benchmarks): validated against the whole template, no paging.
pub fn submit_complete(
    templates: &TemplateCache,
    writes: &Writes,
    conn: &mut DbConn,
    c: &Complete<'_>,
) -> Result<Result<Stored, BTreeMap<ItemCode, FieldError>>, AppError> {
    let ctx = form_context(templates, conn, c.campaign_id, c.unit_code, None)?;
    if ctx.campaign.status() != CampaignStatus::Open {
        return Err(AppError::Closed);
    }
    let answers = match response::validate(&ctx.template, &response::group_fields(c.pairs)) {
        Ok(a) => a,
        Err(e) => return Ok(Err(e)),
    };
    let stored = writes.store(
        conn,
        db::responses::NewResponse {
            campaign_id: ctx.campaign.id.to_string(),
            unit_id: ctx.unit.id.to_string(),
            channel: c.channel,
            submitted_on: crate::clock::today(),
            answers,
            service_code: None,
            idempotency_key: c.key.map(str::to_string),
            device_id: None,
            device_cap: 0,
            invitation_id: None,
            entry_batch: c.entry_batch.map(str::to_string),
            breakdowns: ctx.template.breakdown_scope(),
        },
    )?;
    Ok(Ok(match stored {
        Ok(()) => Stored::New,
        // The same form sent twice: stored once, and that is success.
        Err(_) => Stored::Again,
    }))
}
