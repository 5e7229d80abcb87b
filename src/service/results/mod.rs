//! Campaign results: the stored tallies run through the pure scoring engine.
//! This is the one place that assembles results, for the HTML page and the
//! JSON API alike; `shape.rs` holds the JSON types.
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;

use crate::db::{self, units::UnitRecord, DbConn};
use crate::domain::points;
use crate::domain::rollup;
use crate::domain::scoring::{self, Model, NodeResult, OptionCounts, Tally};
use crate::domain::template::{Aggregation, Rollup, Template};
use crate::error::AppError;
use crate::state::AppState;

mod cache;
mod shape;
pub use cache::ResultsCache;
pub use shape::{
    BreakdownGroup, BreakdownResult, Changes, ComponentResult, DistributionResult, ItemResult,
    OptionShare, Overall, UnitResult,
};

#[derive(Debug, Clone, Serialize)]
pub struct CampaignResults {
    pub campaign_id: String,
    pub campaign_name: String,
    pub status: String,
    pub template: TemplateRef,
    pub settings: ResultSettings,
    /// The campaign the changes are measured against (`?compare=`, or the
    /// one given by `campaigns create --previous`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compared_with: Option<CampaignRef>,
    pub units: Vec<UnitResult>,
    /// One entry per ancestor of the campaign's units (e.g. the city), from
    /// the pooled counts of the units below it (or their mean, if the template
    /// says `rollup = "mean"`). Top level first.
    pub rollups: Vec<UnitResult>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TemplateRef {
    pub key: String,
    pub version: i32,
}

#[derive(Debug, Clone, Serialize)]
pub struct CampaignRef {
    pub id: String,
    pub name: String,
}

/// The template settings the figures were computed with.
#[derive(Debug, Clone, Serialize)]
pub struct ResultSettings {
    pub aggregation: Aggregation,
    pub rollup: Rollup,
    pub low_sample_n: u64,
    pub decimals: u32,
}

/// A campaign's counts scored with its template.
struct Scored {
    template: Arc<Template>,
    /// The template's scoring tree, built once per campaign.
    model: Model,
    tallies: HashMap<String, Tally>,
    respondents: HashMap<String, u64>,
    /// unit id → result
    results: HashMap<String, NodeResult>,
    /// Issue 7: unit id → (breakdown item, its answer) → tally.
    breakdowns: HashMap<String, HashMap<(String, i32), Tally>>,
}

impl Scored {
    fn load(
        state: &AppState,
        conn: &mut DbConn,
        campaign: &db::campaigns::CampaignRecord,
        units: &[UnitRecord],
        period: Option<&Period>,
    ) -> Result<Self, AppError> {
        let template = state.template(conn, &campaign.template_id)?;
        let mut tallies: HashMap<String, Tally> = HashMap::new();
        let (rows, counts) = match period {
            None => (
                db::responses::tallies_of(conn, &campaign.id)?,
                db::responses::respondents_of(conn, &campaign.id)?,
            ),
            Some(p) => (
                db::exports::tallies_in_period(conn, &campaign.id, p.from, p.to)?,
                db::exports::respondents_in_period(conn, &campaign.id, p.from, p.to)?,
            ),
        };
        for (unit_id, item, value, n) in rows {
            let counts: &mut OptionCounts =
                tallies.entry(unit_id).or_default().entry(item).or_default();
            *counts.entry(value).or_default() += n.max(0) as u64;
        }
        let respondents = counts
            .into_iter()
            .map(|(id, n)| (id, n.max(0) as u64))
            .collect();
        let model = template.scoring_model();
        let empty = Tally::new();
        let results = units
            .iter()
            .map(|u| {
                let t = tallies.get(&u.id).unwrap_or(&empty);
                (u.id.clone(), scoring::score(&model, t))
            })
            .collect();
        // Breakdowns are kept for whole campaigns only.
        let mut breakdowns: HashMap<String, HashMap<(String, i32), Tally>> = HashMap::new();
        if period.is_none() {
            for (unit_id, dim, dim_value, item, value, n) in
                db::responses::breakdown_tallies_of(conn, &campaign.id)?
            {
                *breakdowns
                    .entry(unit_id)
                    .or_default()
                    .entry((dim, dim_value))
                    .or_default()
                    .entry(item)
                    .or_default()
                    .entry(value)
                    .or_default() += n.max(0) as u64;
            }
        }
        Ok(Scored {
            template,
            model,
            tallies,
            respondents,
            results,
            breakdowns,
        })
    }

    /// The pooled tally and the roll-up result of some of the units.
    fn rollup(&self, unit_ids: &[&str]) -> (Tally, NodeResult) {
        let empty = Tally::new();
        let tallies: Vec<&Tally> = unit_ids
            .iter()
            .map(|id| self.tallies.get(*id).unwrap_or(&empty))
            .collect();
        let pooled = rollup::pooled(&tallies);
        let result = match self.template.rollup {
            Rollup::Counts => scoring::score(&self.model, &pooled),
            Rollup::Mean => {
                let results: Vec<&NodeResult> = unit_ids
                    .iter()
                    .filter_map(|id| self.results.get(*id))
                    .collect();
                rollup::mean_of_units(&results, self.template.low_sample_n)
                    .unwrap_or_else(|| scoring::score(&self.model, &pooled))
            }
        };
        (pooled, result)
    }

    /// Issue 7: breakdowns of some units, from their pooled breakdown tallies.
    fn breakdowns(&self, unit_ids: &[&str]) -> Vec<shape::BreakdownResult> {
        let mut pooled: HashMap<(String, i32), Tally> = HashMap::new();
        for id in unit_ids {
            for (key, tally) in self.breakdowns.get(*id).into_iter().flatten() {
                let into = pooled.entry(key.clone()).or_default();
                for (item, counts) in tally {
                    let c = into.entry(item.clone()).or_default();
                    for (v, n) in counts {
                        *c.entry(*v).or_default() += n;
                    }
                }
            }
        }
        shape::breakdowns(&self.template, &self.model, &pooled)
    }

    fn unit_result(
        &self,
        unit: &UnitRecord,
        tally: &Tally,
        scored: &NodeResult,
        changes: Option<&Changes>,
    ) -> UnitResult {
        let t = &self.template;
        UnitResult {
            unit_code: unit.code.clone(),
            unit_name: unit.name.clone(),
            unit_kind: unit.kind.clone(),
            respondents: 0,
            target: None,
            rank: None,
            units_included: Vec::new(),
            overall: shape::overall(t, scored, changes),
            components: shape::components(t, scored, changes),
            distributions: shape::distributions(t, tally),
            points: t
                .has_points()
                .then(|| points::points(&t.points_fields(), tally)),
            breakdowns: Vec::new(),
        }
    }
}

/// Ancestors of the campaign's units, each with the campaign units in its
/// subtree (itself included when it is one), top level first.
fn ancestors_of(units: &[UnitRecord], all: &[UnitRecord]) -> Vec<(UnitRecord, Vec<String>)> {
    let by_id: HashMap<&str, &UnitRecord> = all.iter().map(|u| (u.id.as_str(), u)).collect();
    let depth = |u: &UnitRecord| {
        let mut d = 0usize;
        let mut cur = u.parent_id.as_deref();
        while let Some(p) = cur {
            d += 1;
            if d > all.len() {
                break;
            }
            cur = by_id.get(p).and_then(|x| x.parent_id.as_deref());
        }
        d
    };
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for u in units {
        let mut cur = u.parent_id.as_deref();
        let mut steps = 0;
        while let Some(p) = cur {
            steps += 1;
            if steps > all.len() {
                break;
            }
            groups.entry(p.to_string()).or_default().push(u.id.clone());
            cur = by_id.get(p).and_then(|x| x.parent_id.as_deref());
        }
    }
    let mut out: Vec<(UnitRecord, Vec<String>)> = groups
        .into_iter()
        .filter_map(|(id, mut members)| {
            let unit = by_id.get(id.as_str())?;
            if units.iter().any(|u| u.id == id) {
                members.push(id.clone());
            }
            Some(((*unit).clone(), members))
        })
        .collect();
    out.sort_by(|a, b| depth(&a.0).cmp(&depth(&b.0)).then(a.0.code.cmp(&b.0.code)));
    out
}

/// Results of every unit of a campaign and of every level above them, from
/// the counts kept at submit time; with `compare` (or else the campaign's
/// stored previous campaign), the change of every figure against that
/// campaign for the same units.
pub fn campaign_results(
    state: &AppState,
    conn: &mut DbConn,
    campaign_id: &str,
    compare: Option<&str>,
) -> Result<CampaignResults, AppError> {
    campaign_results_in(state, conn, campaign_id, compare, None)
}

/// Issue 7: a period on the day of submission (both ends included).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Period {
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
}

/// `campaign_results`, over the responses submitted in `period` only (counted
/// by the database from the answers, for exports of part of a campaign);
/// changes still compare with the whole previous campaign.
pub fn campaign_results_in(
    state: &AppState,
    conn: &mut DbConn,
    campaign_id: &str,
    compare: Option<&str>,
    period: Option<&Period>,
) -> Result<CampaignResults, AppError> {
    // Whole-campaign results are reused while their stamp holds; results
    // over a period are counted from the answers each time.
    let cached = match period {
        Some(_) => None,
        None => Some((
            (campaign_id.to_string(), compare.map(str::to_string)),
            cache::stamp(conn, campaign_id, compare)?,
        )),
    };
    if let Some((key, stamp)) = &cached {
        if let Some(hit) = state.results_cache.get(key, *stamp) {
            return Ok(hit);
        }
    }
    let results = compute(state, conn, campaign_id, compare, period)?;
    if let Some((key, stamp)) = cached {
        state.results_cache.put(key, stamp, &results);
    }
    Ok(results)
}

fn compute(
    state: &AppState,
    conn: &mut DbConn,
    campaign_id: &str,
    compare: Option<&str>,
    period: Option<&Period>,
) -> Result<CampaignResults, AppError> {
    let campaign = db::campaigns::get(conn, campaign_id)?.ok_or(AppError::NotFound)?;
    let record = db::templates::get(conn, &campaign.template_id)?.ok_or(AppError::NotFound)?;
    let units = db::campaigns::units_of(conn, campaign_id)?;
    let all_units = db::units::all(conn)?;
    let current = Scored::load(state, conn, &campaign, &units, period)?;
    let targets: HashMap<String, u64> = db::targets::of_campaign(conn, campaign_id)?
        .into_iter()
        .map(|t| (t.unit_id, t.target.max(0) as u64))
        .collect();

    let stored = match compare {
        Some(_) => None,
        None => db::targets::previous_of(conn, campaign_id)?,
    };
    let previous = match compare.or(stored.as_deref()) {
        None => None,
        Some(id) => {
            let prev = db::campaigns::get(conn, id)?
                .ok_or_else(|| AppError::BadRequest(format!("compare: no campaign has id {id}")))?;
            let prev_units = db::campaigns::units_of(conn, &prev.id)?;
            let scored = Scored::load(state, conn, &prev, &prev_units, None)?;
            Some((prev, prev_units, scored))
        }
    };
    let changes_for = |unit_ids: &[&str], result: &NodeResult| -> Option<Changes> {
        let (_, prev_units, prev) = previous.as_ref()?;
        let present: Vec<&str> = unit_ids
            .iter()
            .copied()
            .filter(|id| prev_units.iter().any(|u| u.id == *id))
            .collect();
        if present.is_empty() {
            return None;
        }
        let (_, before) = prev.rollup(&present);
        Some(scoring::compare(result, &before).into_iter().collect())
    };

    let empty = Tally::new();
    let mut unit_results: Vec<UnitResult> = units
        .iter()
        .map(|u| {
            let scored = &current.results[&u.id];
            let changes = changes_for(&[u.id.as_str()], scored);
            let tally = current.tallies.get(&u.id).unwrap_or(&empty);
            let mut r = current.unit_result(u, tally, scored, changes.as_ref());
            r.respondents = current.respondents.get(&u.id).copied().unwrap_or(0);
            r.target = targets.get(&u.id).copied();
            r.breakdowns = current.breakdowns(&[u.id.as_str()]);
            r
        })
        .collect();
    let ranks = scoring::rank(
        &unit_results
            .iter()
            .enumerate()
            .map(|(i, u)| (i, u.overall.rate))
            .collect::<Vec<_>>(),
        current.template.decimals,
    );
    for (i, rank) in ranks {
        unit_results[i].rank = rank;
    }

    let rollups = ancestors_of(&units, &all_units)
        .into_iter()
        .map(|(unit, members)| {
            let ids: Vec<&str> = members.iter().map(String::as_str).collect();
            let (tally, scored) = current.rollup(&ids);
            let changes = changes_for(&ids, &scored);
            let mut r = current.unit_result(&unit, &tally, &scored, changes.as_ref());
            r.respondents = ids
                .iter()
                .filter_map(|id| current.respondents.get(*id))
                .sum();
            let planned: Vec<u64> = ids
                .iter()
                .filter_map(|id| targets.get(*id))
                .copied()
                .collect();
            r.target = (!planned.is_empty()).then(|| planned.iter().sum());
            let mut codes: Vec<String> = units
                .iter()
                .filter(|u| members.contains(&u.id))
                .map(|u| u.code.clone())
                .collect();
            codes.sort();
            r.units_included = codes;
            r.breakdowns = current.breakdowns(&ids);
            r
        })
        .collect();

    let t = &current.template;
    Ok(CampaignResults {
        campaign_id: campaign.id.clone(),
        campaign_name: campaign.name.clone(),
        status: campaign.status.clone(),
        template: TemplateRef {
            key: record.key,
            version: record.version,
        },
        settings: ResultSettings {
            aggregation: t.aggregation,
            rollup: t.rollup,
            low_sample_n: t.low_sample_n,
            decimals: t.decimals,
        },
        compared_with: previous.map(|(c, _, _)| CampaignRef {
            id: c.id,
            name: c.name,
        }),
        units: unit_results,
        rollups,
    })
}
