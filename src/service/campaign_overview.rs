//! What a campaign's own page shows: its units as the reader's scope sees
//! them with their counts against target, its services, the campaign it is
//! compared with, and the levels above its units (for poster sheets).
use std::collections::HashMap;

use crate::db::{self, campaigns::ServiceRecord, units::UnitRecord, DbConn};
use crate::domain::ids::CampaignId;
use crate::error::AppError;
use crate::service::access;
use crate::service::auth::Scope;
use crate::service::campaigns::CampaignRecord;

/// One unit of the campaign with its respondents so far (the counts kept at
/// submit time) and its sample target, if one was set.
pub struct UnitLine {
    pub unit: UnitRecord,
    pub respondents: u64,
    pub target: Option<u64>,
}

pub struct Overview {
    pub campaign: CampaignRecord,
    pub template_key: String,
    pub template_version: i32,
    pub units: Vec<UnitLine>,
    pub services: Vec<ServiceRecord>,
    pub previous: Option<CampaignRecord>,
    /// The units above the campaign's units (the city, districts), each
    /// with how many of the campaign's units lie under it.
    pub levels: Vec<(UnitRecord, usize)>,
}

impl Overview {
    pub fn respondents(&self) -> u64 {
        self.units.iter().map(|u| u.respondents).sum()
    }
}

/// The overview of a campaign, limited to the units `scope` sees; a
/// campaign with none of them is not found.
pub fn overview(conn: &mut DbConn, scope: &Scope, id: &CampaignId) -> Result<Overview, AppError> {
    let campaign = db::campaigns::get(conn, id)?.ok_or(AppError::NotFound)?;
    let units = access::visible_units(scope, db::campaigns::units_of(conn, id)?);
    if units.is_empty() {
        return Err(AppError::NotFound);
    }
    let template = db::templates::get(conn, &campaign.template_id)?.ok_or(AppError::NotFound)?;
    let counts: HashMap<String, i64> = db::responses::respondents_of(conn, id)?
        .into_iter()
        .collect();
    let targets: HashMap<String, i64> = db::targets::of_campaign(conn, id)?
        .into_iter()
        .map(|t| (t.unit_id, t.target))
        .collect();
    let previous = match db::targets::previous_of(conn, id)? {
        Some(p) => db::campaigns::get(conn, &p)?,
        None => None,
    };
    let all = db::units::all(conn)?;
    let levels = levels_above(&units, &all);
    let lines = units
        .into_iter()
        .map(|u| UnitLine {
            respondents: counts.get(u.id.as_str()).copied().unwrap_or(0).max(0) as u64,
            target: targets.get(u.id.as_str()).map(|t| (*t).max(0) as u64),
            unit: u,
        })
        .collect();
    Ok(Overview {
        template_key: template.key,
        template_version: template.version,
        services: db::campaigns::services_of(conn, id)?,
        units: lines,
        previous,
        levels,
        campaign,
    })
}

/// Every unit above one of `units`, with the number of `units` under it,
/// in the tree's order from the top.
fn levels_above(units: &[UnitRecord], all: &[UnitRecord]) -> Vec<(UnitRecord, usize)> {
    let by_id: HashMap<&str, &UnitRecord> = all.iter().map(|u| (u.id.as_str(), u)).collect();
    let mut counted: Vec<(UnitRecord, usize)> = Vec::new();
    for u in units {
        let mut seen = 0;
        let mut up = u.parent_id.as_deref();
        // The tree is checked for loops on import; the bound is a guard.
        while let (Some(id), true) = (up, seen < 16) {
            let Some(p) = by_id.get(id) else { break };
            match counted.iter_mut().find(|(c, _)| c.id == p.id) {
                Some((_, n)) => *n += 1,
                None => counted.push(((*p).clone(), 1)),
            }
            up = p.parent_id.as_deref();
            seen += 1;
        }
    }
    counted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.name.cmp(&b.0.name)));
    counted
}

/// The campaign's units under `level` (all of them when None), for a sheet
/// of posters.
pub fn units_under<'a>(o: &'a Overview, level: Option<&str>) -> Vec<&'a UnitLine> {
    let Some(code) = level else {
        return o.units.iter().collect();
    };
    let Some((top, _)) = o.levels.iter().find(|(l, _)| l.code.as_str() == code) else {
        return o
            .units
            .iter()
            .filter(|u| u.unit.code.as_str() == code)
            .collect();
    };
    let parents: HashMap<&str, Option<&str>> = o
        .levels
        .iter()
        .map(|(l, _)| (l.id.as_str(), l.parent_id.as_deref()))
        .collect();
    o.units
        .iter()
        .filter(|line| {
            let mut up = line.unit.parent_id.as_deref();
            let mut steps = 0;
            while let (Some(id), true) = (up, steps < 16) {
                if id == top.id.as_str() {
                    return true;
                }
                up = parents.get(id).copied().flatten();
                steps += 1;
            }
            false
        })
        .collect()
}
