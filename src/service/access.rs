//! Per-unit access: what a principal's scope lets it see of results and campaigns.
use crate::domain::ids::CampaignId;
use std::borrow::Cow;

use crate::db::{self, units::UnitRecord, DbConn};
use crate::error::AppError;
use crate::service::auth::Scope;
use crate::service::results::{CampaignResults, UnitResult};

/// The results with only the units (and roll-ups) in scope: roll-ups above
/// an officer's own unit pool other units' answers. A campaign with none of
/// them is forbidden. What the principal may see whole is not copied.
pub fn restricted<'a>(
    scope: &Scope,
    res: &'a CampaignResults,
) -> Result<Cow<'a, CampaignResults>, AppError> {
    if *scope == Scope::All {
        return Ok(Cow::Borrowed(res));
    }
    let mut part = res.header();
    let in_scope = |u: &&UnitResult| scope.has_unit_code(&u.unit_code);
    part.units = res.units.iter().filter(in_scope).cloned().collect();
    part.rollups = res.rollups.iter().filter(in_scope).cloned().collect();
    if part.units.is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok(Cow::Owned(part))
}

/// The campaign's units in scope; empty when the campaign is none of the principal's business.
pub fn visible_units(scope: &Scope, units: Vec<UnitRecord>) -> Vec<UnitRecord> {
    units
        .into_iter()
        .filter(|u| scope.has_unit_id(&u.id))
        .collect()
}

/// Does `scope` see any of the campaign's units? A campaign with none of
/// them is none of the principal's business.
pub fn sees_campaign(
    conn: &mut DbConn,
    scope: &Scope,
    campaign_id: &str,
) -> diesel::QueryResult<bool> {
    Ok(*scope == Scope::All
        || db::campaigns::units_of(conn, campaign_id)?
            .iter()
            .any(|u| scope.has_unit_id(&u.id)))
}

/// May `scope` see the results of a campaign, and of the campaign it is
/// compared with? Checked before anything is computed, so a caller with none
/// of a campaign's units can neither make the server score it (seconds at a
/// million responses, and a slot of the results cache) nor learn of another
/// campaign through `compare=`.
pub fn check_results(
    conn: &mut DbConn,
    scope: &Scope,
    campaign_id: &CampaignId,
    compare: Option<&str>,
) -> Result<(), AppError> {
    db::campaigns::get(conn, campaign_id)?.ok_or(AppError::NotFound)?;
    if !sees_campaign(conn, scope, campaign_id)? {
        return Err(AppError::Forbidden);
    }
    if let Some(other) = compare {
        db::campaigns::get(conn, other)?
            .ok_or_else(|| AppError::BadRequest(format!("compare: no campaign has id {other}")))?;
        if !sees_campaign(conn, scope, other)? {
            return Err(AppError::Forbidden);
        }
    }
    Ok(())
}

/// The results of a campaign (and its comparison) for a caller allowed to
/// see them, checked before anything is computed; the caller then cuts them
/// to its scope (`Snapshot::json_for`, `restricted`).
pub fn results_for(
    templates: &crate::service::templates::TemplateCache,
    cache: &crate::service::results::ResultsCache,
    conn: &mut DbConn,
    scope: &Scope,
    campaign_id: &CampaignId,
    compare: Option<&str>,
) -> Result<crate::service::results::Snapshot, AppError> {
    check_results(conn, scope, campaign_id, compare)?;
    crate::service::results::snapshot(templates, cache, conn, campaign_id, compare)
}
