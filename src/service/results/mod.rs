//! Campaign results: the stored tallies run through the pure scoring engine.
//! This is the one place that assembles results, for the HTML page and the
//! JSON API alike; `shape.rs` holds the JSON types.
use crate::domain::ids::CampaignId;
use std::sync::Arc;

use serde::Serialize;

use crate::db::{DbConn, Pool};
use crate::domain::campaign::CampaignStatus;
use crate::domain::template::{Aggregation, Rollup};
use crate::error::AppError;
use crate::service::templates::TemplateCache;

mod cache;
mod compute;
mod previous;
mod regroup;
mod shape;
mod tallies;
mod tree;
pub use cache::{Key, PieceStamp, ResultsCache, Snapshot};
pub use regroup::{units_before, UnitsBefore};
pub use shape::{
    BreakdownGroup, BreakdownResult, Changes, ComponentResult, DistributionResult, ItemResult,
    OptionShare, Overall, UnitResult,
};

#[derive(Debug, Clone, Serialize)]
pub struct CampaignResults {
    pub campaign_id: String,
    pub campaign_name: String,
    pub status: CampaignStatus,
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
    /// Units with fewer respondents are listed, not ranked.
    pub rank_min_respondents: u64,
    pub bands: crate::domain::ranking::Bands,
}

impl CampaignResults {
    /// Everything but the unit lists.
    pub fn header(&self) -> CampaignResults {
        CampaignResults {
            campaign_id: self.campaign_id.clone(),
            campaign_name: self.campaign_name.clone(),
            status: self.status,
            template: self.template.clone(),
            settings: self.settings.clone(),
            compared_with: self.compared_with.clone(),
            units: Vec::new(),
            rollups: Vec::new(),
        }
    }
}

/// Results of every unit of a campaign and of every level above them, from
/// the counts kept at submit time, with their JSON; with
/// `compare` (or else the campaign's stored previous campaign), the change of
/// every figure against that campaign for the same units.
pub fn snapshot(
    templates: &TemplateCache,
    cache: &ResultsCache,
    conn: &mut DbConn,
    campaign_id: &CampaignId,
    compare: Option<&str>,
) -> Result<Snapshot, AppError> {
    cache::fresh(templates, cache, conn, campaign_id, compare)
}

/// Scores the open campaigns ahead of their first visitor (at start-up: the
/// first load of a large campaign reads every tally, seconds at 1M responses).
pub fn warm_up(pool: &Pool, templates: &TemplateCache, cache: &ResultsCache) {
    let started = std::time::Instant::now();
    let Ok(mut conn) = pool.get() else {
        return;
    };
    let open = match crate::db::campaigns::all(&mut conn) {
        Ok(all) => all,
        Err(e) => {
            tracing::warn!(error = %crate::error::report(&e), "results warm-up: campaigns not listed");
            return;
        }
    };
    for c in open.iter().filter(|c| c.status() == CampaignStatus::Open) {
        match snapshot(templates, cache, &mut conn, &c.id, None) {
            Ok(_) => tracing::info!(
                campaign = %c.id,
                elapsed_ms = started.elapsed().as_millis() as u64,
                "results warmed up"
            ),
            Err(e) => {
                tracing::warn!(campaign = %c.id, error = %crate::error::report(&e), "results warm-up failed")
            }
        }
    }
}

/// A period on the day of submission (both ends included).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Period {
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
}

/// The results of `snapshot`, or over the responses submitted in `period`
/// only (counted by the database from the answers, for exports of part of a
/// campaign; not kept); changes still compare with the whole previous campaign.
pub fn campaign_results_in(
    templates: &TemplateCache,
    cache: &ResultsCache,
    conn: &mut DbConn,
    campaign_id: &CampaignId,
    compare: Option<&str>,
    period: Option<&Period>,
) -> Result<Arc<CampaignResults>, AppError> {
    Ok(match period {
        Some(_) => {
            compute::Computation::load(templates, conn, campaign_id, compare, period)?.results
        }
        None => snapshot(templates, cache, conn, campaign_id, compare)?.results,
    })
}
