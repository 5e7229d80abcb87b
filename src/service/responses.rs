use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::Utc;

use crate::db::{self, campaigns::CampaignRecord, units::UnitRecord, DbConn};
use crate::domain::campaign::CampaignStatus;
use crate::domain::response::{self, FieldError, Given};
use crate::domain::template::Template;
use crate::error::AppError;
use crate::state::AppState;

/// A campaign's public form for one unit, resolved from the URL.
pub struct FormContext {
    pub campaign: CampaignRecord,
    pub unit: UnitRecord,
    pub template: Arc<Template>,
}

pub fn form_context(
    state: &AppState,
    conn: &mut DbConn,
    campaign_id: &str,
    unit_code: &str,
) -> Result<FormContext, AppError> {
    let campaign = db::campaigns::get(conn, campaign_id)?.ok_or(AppError::NotFound)?;
    let unit = db::campaigns::unit_in(conn, campaign_id, unit_code)?.ok_or(AppError::NotFound)?;
    let template = state.template(conn, &campaign.template_id)?;
    Ok(FormContext {
        campaign,
        unit,
        template,
    })
}

pub enum Outcome {
    Stored,
    /// Sent back to the respondent with what they entered and what is wrong.
    Invalid(Box<FormContext>, Given, BTreeMap<String, FieldError>),
}

/// Validate a submission against the campaign's template and store it with
/// its tallies in one transaction. No identity of the sender is stored.
pub fn submit(
    state: &AppState,
    conn: &mut DbConn,
    campaign_id: &str,
    unit_code: &str,
    channel: &str,
    pairs: &[(String, String)],
) -> Result<Outcome, AppError> {
    let ctx = form_context(state, conn, campaign_id, unit_code)?;
    if ctx.campaign.status() != CampaignStatus::Open {
        return Err(AppError::Closed);
    }
    let given = response::group_fields(pairs);
    match response::validate(&ctx.template, &given) {
        Err(errors) => Ok(Outcome::Invalid(Box::new(ctx), given, errors)),
        Ok(answers) => {
            db::responses::insert(
                conn,
                &db::responses::NewResponse {
                    campaign_id: &ctx.campaign.id,
                    unit_id: &ctx.unit.id,
                    channel,
                    submitted_on: Utc::now().date_naive(),
                    answers: &answers,
                },
            )?;
            Ok(Outcome::Stored)
        }
    }
}
