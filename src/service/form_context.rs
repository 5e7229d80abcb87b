//! The campaign, unit and service a form names (`form_context`), and the
//! same kept in memory for a moment (`FormCache`) for the public form, its
//! posts, posters and QR codes. Under load every post would otherwise read
//! them again, and on SQLite each read starts with an emptied page cache, as
//! the writer has just committed. A kept entry is at most `FRESH` old, which
//! bounds how long a renamed unit shows its old name, or a campaign just
//! closed still shows its form. A closed campaign is refused exactly all the
//! same: the writer checks each campaign's status in the batch that would
//! store the response (`db::submit`).
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::db::campaigns::{CampaignRecord, ServiceRecord};
use crate::db::units::UnitRecord;
use crate::db::{self, DbConn};
use crate::domain::ids::CampaignId;
use crate::domain::template::Template;
use crate::domain::unit::UnitCode;
use crate::error::AppError;
use crate::service::templates::TemplateCache;

/// A campaign's public form for one unit, resolved from the URL.
#[derive(Clone)]
pub struct FormContext {
    pub campaign: CampaignRecord,
    pub unit: UnitRecord,
    pub template: Arc<Template>,
    pub service: Option<ServiceRecord>,
}

pub fn form_context(
    templates: &TemplateCache,
    conn: &mut DbConn,
    campaign_id: &CampaignId,
    unit_code: &UnitCode,
    service_code: Option<&str>,
) -> Result<FormContext, AppError> {
    let campaign = db::campaigns::get(conn, campaign_id)?.ok_or(AppError::NotFound)?;
    let unit = db::campaigns::unit_in(conn, campaign_id, unit_code)?.ok_or(AppError::NotFound)?;
    let template = templates.get(conn, &campaign.template_id)?;
    let service = match service_code.filter(|s| !s.is_empty()) {
        None => None,
        Some(code) => Some(
            db::campaigns::services_of(conn, campaign_id)?
                .into_iter()
                .find(|s| s.code == code)
                .ok_or(AppError::NotFound)?,
        ),
    };
    Ok(FormContext {
        campaign,
        unit,
        template,
        service,
    })
}

/// How long an entry is used before it is read again.
const FRESH: Duration = Duration::from_secs(1);
/// Past this many entries the cache starts over (old links, bots).
const MOST: usize = 10_000;

/// (campaign id, unit code, service code or "").
type Key = (String, String, String);

fn key_of(campaign_id: &CampaignId, unit_code: &UnitCode, service_code: Option<&str>) -> Key {
    (
        campaign_id.to_string(),
        unit_code.to_string(),
        service_code.unwrap_or_default().to_string(),
    )
}

#[derive(Default)]
pub struct FormCache {
    entries: RwLock<HashMap<Key, (Instant, Arc<FormContext>)>>,
}

impl FormCache {
    /// The form's context if memory holds a fresh one: no database needed.
    pub fn peek(
        &self,
        campaign_id: &CampaignId,
        unit_code: &UnitCode,
        service_code: Option<&str>,
    ) -> Option<FormContext> {
        let key = key_of(campaign_id, unit_code, service_code);
        let (at, ctx) = self.entries.read().ok()?.get(&key).cloned()?;
        (at.elapsed() < FRESH).then(|| FormContext::clone(&ctx))
    }

    /// The form's context, from memory when fresh, else from the database.
    pub fn context(
        &self,
        templates: &TemplateCache,
        conn: &mut DbConn,
        campaign_id: &CampaignId,
        unit_code: &UnitCode,
        service_code: Option<&str>,
    ) -> Result<FormContext, AppError> {
        if let Some(ctx) = self.peek(campaign_id, unit_code, service_code) {
            return Ok(ctx);
        }
        let key = key_of(campaign_id, unit_code, service_code);
        let ctx = form_context(templates, conn, campaign_id, unit_code, service_code)?;
        if let Ok(mut m) = self.entries.write() {
            if m.len() >= MOST {
                m.clear();
            }
            m.insert(key, (Instant::now(), Arc::new(ctx.clone())));
        }
        Ok(ctx)
    }
}
