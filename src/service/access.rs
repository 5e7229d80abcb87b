//! Per-unit access: what a principal's scope lets it see of results and campaigns.
use std::borrow::Cow;

use crate::db::units::UnitRecord;
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
