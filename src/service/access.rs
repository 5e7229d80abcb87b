//! Per-unit access: what a principal's scope lets it see of results and campaigns.
use crate::db::units::UnitRecord;
use crate::error::AppError;
use crate::service::auth::Scope;
use crate::service::results::CampaignResults;

/// Keep only the units in scope. A campaign with none of them is forbidden.
pub fn restrict_results(scope: &Scope, res: &mut CampaignResults) -> Result<(), AppError> {
    if *scope == Scope::All {
        return Ok(());
    }
    res.units.retain(|u| scope.has_unit_code(&u.unit_code));
    // Roll-ups above the officer's own unit pool other units' answers.
    res.rollups.retain(|u| scope.has_unit_code(&u.unit_code));
    if res.units.is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// The campaign's units in scope; empty when the campaign is none of the principal's business.
pub fn visible_units(scope: &Scope, units: Vec<UnitRecord>) -> Vec<UnitRecord> {
    units
        .into_iter()
        .filter(|u| scope.has_unit_id(&u.id))
        .collect()
}
