//! Paper data entry: an enumerator keys the answers of one paper form after
//! another into a batch. The batch records who entered it and how many forms;
//! nothing records who answered.
use crate::db;
use crate::domain::ids::CampaignId;
use crate::domain::paper::{self, Located};
use crate::domain::response::{FieldError, ResponseChannel};
use crate::domain::template::ItemCode;
use crate::domain::unit::UnitCode;
use crate::error::AppError;
use crate::service::auth::Principal;
use crate::service::responses::{self, Complete, FormContext, Writes};
use crate::service::templates::TemplateCache;
use crate::service::DbConn;

pub use crate::db::entry::BatchRecord;

/// Why a keyed form was not stored; the screen shows it with the keys again.
#[derive(Debug)]
pub enum Refusal {
    /// The keys themselves do not fit the questionnaire.
    Keys(Vec<Located>),
    /// The keys read, but the answers break the template's rules, in the
    /// order the questions are printed.
    Answers(Vec<(ItemCode, FieldError)>),
}

/// The form and batch a screen works on, checked against the enumerator.
pub struct Desk {
    pub form: FormContext,
    pub batch: BatchRecord,
}

/// The campaign's form for a unit within the enumerator's units.
fn form_of(
    templates: &TemplateCache,
    conn: &mut DbConn,
    who: &Principal,
    campaign: &CampaignId,
    unit: &UnitCode,
) -> Result<FormContext, AppError> {
    if !who.scope.has_unit_code(unit) {
        return Err(AppError::Forbidden);
    }
    responses::form_context(templates, conn, campaign, unit, None)
}

/// A batch belongs to the person who started it, for one campaign and unit.
fn owned(batch: BatchRecord, who: &Principal, form: &FormContext) -> Result<BatchRecord, AppError> {
    if batch.entered_by != who.actor.to_string()
        || batch.campaign_id != form.campaign.id
        || batch.unit_id != form.unit.id
    {
        return Err(AppError::Forbidden);
    }
    Ok(batch)
}

/// Open the entry screen: continue `batch`, or start a new one.
pub fn open(
    templates: &TemplateCache,
    conn: &mut DbConn,
    who: &Principal,
    campaign: &CampaignId,
    unit: &UnitCode,
    batch: Option<&str>,
) -> Result<Desk, AppError> {
    let form = form_of(templates, conn, who, campaign, unit)?;
    let batch = match batch {
        Some(id) => db::entry::get(conn, id)?,
        None => db::entry::start(
            conn,
            &form.campaign.id,
            &form.unit.id,
            &who.actor.to_string(),
        )?,
    };
    let batch = owned(batch, who, &form)?;
    Ok(Desk { form, batch })
}

/// One paper form's keys, typed into a batch.
pub struct Keyed<'a> {
    pub campaign: &'a CampaignId,
    pub unit: &'a UnitCode,
    pub batch: &'a str,
    pub keys: &'a str,
    /// The screen's idempotency key: the same form sent twice stores once.
    pub form_key: &'a str,
}

/// Store one keyed form. The batch is counted in the response's transaction,
/// and not at all when this form key was stored before.
pub fn save(
    templates: &TemplateCache,
    writes: &Writes,
    conn: &mut DbConn,
    who: &Principal,
    k: &Keyed<'_>,
) -> Result<(Desk, Result<(), Refusal>), AppError> {
    let form = form_of(templates, conn, who, k.campaign, k.unit)?;
    let batch = owned(db::entry::get(conn, k.batch)?, who, &form)?;
    let t = &form.template;
    let outcome = match paper::parse_keys(t, k.keys) {
        Err(located) => Err(Refusal::Keys(located)),
        Ok(pairs) => {
            let key = uuid::Uuid::parse_str(k.form_key)
                .ok()
                .map(|u| u.to_string());
            let stored = responses::submit_complete(
                templates,
                writes,
                conn,
                &Complete {
                    campaign_id: &form.campaign.id,
                    unit_code: &form.unit.code,
                    channel: ResponseChannel::Paper,
                    pairs: &pairs,
                    key: key.as_deref(),
                    entry_batch: Some(&batch.id),
                },
            )?;
            stored.map(|_| ()).map_err(|errs| {
                let order: Vec<&str> = paper::printed_items(t)
                    .iter()
                    .map(|i| i.code.as_str())
                    .collect();
                let mut errs: Vec<_> = errs.into_iter().collect();
                errs.sort_by_key(|(code, _)| order.iter().position(|c| code == c));
                Refusal::Answers(errs)
            })
        }
    };
    // Re-read for the count, which the response's transaction moved.
    let batch = db::entry::get(conn, &batch.id)?;
    Ok((Desk { form, batch }, outcome))
}
