//! What a campaign's own page shows: its units as the reader's scope sees
//! them with their counts against target, its services, the campaign it is
//! compared with, and the levels above its units (for poster sheets).
use std::collections::HashMap;

use crate::db::units::{tree_of, walked, UnitRecord};
use crate::db::{self, campaigns::ServiceRecord, DbConn};
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
/// the most inclusive first.
fn levels_above(units: &[UnitRecord], all: &[UnitRecord]) -> Vec<(UnitRecord, usize)> {
    let by_id: HashMap<&str, &UnitRecord> = all.iter().map(|u| (u.id.as_str(), u)).collect();
    let tree = tree_of(all);
    let mut counted: HashMap<&str, usize> = HashMap::new();
    for u in units {
        for p in walked(tree.ancestors(&u.id)) {
            *counted.entry(p).or_default() += 1;
        }
    }
    let mut levels: Vec<(UnitRecord, usize)> = counted
        .into_iter()
        .filter_map(|(id, n)| by_id.get(id).map(|u| ((*u).clone(), n)))
        .collect();
    levels.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.name.cmp(&b.0.name)));
    levels
}

/// The campaign's units under `level` (all of them when None), for a sheet
/// of posters; a code that is no level names that unit alone.
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
    // Every ancestor of a campaign unit is one of the levels: they and the
    // units make the whole tree the walk needs.
    let known: Vec<UnitRecord> = o
        .levels
        .iter()
        .map(|(l, _)| l.clone())
        .chain(
            o.units
                .iter()
                .filter(|u| !o.levels.iter().any(|(l, _)| l.id == u.unit.id))
                .map(|u| u.unit.clone()),
        )
        .collect();
    let tree = tree_of(&known);
    o.units
        .iter()
        .filter(|line| walked(tree.ancestors(&line.unit.id)).contains(&top.id.as_str()))
        .collect()
}
