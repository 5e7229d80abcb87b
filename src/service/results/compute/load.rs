//! Building a `Computation` from the database, step by step.
use std::collections::HashMap;
use std::sync::Arc;

use crate::db::{self, campaigns::CampaignRecord, units::UnitRecord, DbConn};
use crate::domain::ranking::{rank_in_blocks, Block, Entry};
use crate::domain::scoring::{self, Tally};
use crate::domain::template::Template;
use crate::error::AppError;
use crate::service::templates::TemplateCache;

use super::super::previous::{Before, Previous};
use super::super::tallies::{
    add_breakdown_rows, add_tally_rows, merge_breakdowns, score_units, Breakdowns,
};
use super::super::tree::ancestors_of;
use super::super::{CampaignRef, CampaignResults, Period, ResultSettings, TemplateRef};
use super::{Ancestor, Computation};

/// The campaign and what its results are computed for.
struct Basis {
    campaign: CampaignRecord,
    record: db::templates::TemplateRecord,
    template: Arc<Template>,
    units: Vec<UnitRecord>,
    all_units: Vec<UnitRecord>,
    targets: HashMap<String, u64>,
}

/// The counts of a campaign's units, whole or over a period.
struct Counts {
    respondents: HashMap<String, u64>,
    tallies: HashMap<String, Tally>,
    breakdowns: HashMap<String, Breakdowns>,
}

impl Computation {
    /// Everything from the database; with a period, the counts are taken
    /// from the answers submitted in it (no breakdowns).
    pub fn load(
        templates: &TemplateCache,
        conn: &mut DbConn,
        campaign_id: &str,
        compare: Option<&str>,
        period: Option<&Period>,
    ) -> Result<Self, AppError> {
        let basis = load_basis(templates, conn, campaign_id)?;
        let unit_ids: Vec<String> = basis.units.iter().map(|u| u.id.to_string()).collect();
        let counts = load_counts(conn, campaign_id, &unit_ids, &basis.template, period)?;
        let model = basis.template.scoring_model();
        let scored = score_units(&model, unit_ids.iter(), &counts.tallies);
        let previous = Previous::chosen(templates, conn, campaign_id, compare)?;
        let before = before_of(&basis.units, previous.as_ref());
        let ancestors = pool_ancestors(&basis, &counts, previous.as_ref());
        let min_before = previous.as_ref().map_or(0, |p| p.rank_min_respondents());
        let ranks_before = ranks_before(&basis, &before, &ancestors, min_before);
        let results = header(&basis, previous);
        let mut this = Computation {
            campaign_id: basis.campaign.id.into(),
            template: basis.template,
            model,
            units: basis.units,
            ancestors,
            targets: basis.targets,
            respondents: counts.respondents,
            tallies: counts.tallies,
            breakdowns: counts.breakdowns,
            scored,
            before,
            ranks_before,
            results: Arc::new(results),
        };
        this.fill();
        Ok(this)
    }

    /// Every unit's and roll-up's result, ranked.
    fn fill(&mut self) {
        let units = (0..self.units.len()).map(|i| self.unit_node(i)).collect();
        let rollups = (0..self.ancestors.len())
            .map(|j| self.rollup_node(j))
            .collect();
        let results = Arc::make_mut(&mut self.results);
        results.units = units;
        results.rollups = rollups;
        self.rank();
    }
}

fn load_basis(
    templates: &TemplateCache,
    conn: &mut DbConn,
    campaign_id: &str,
) -> Result<Basis, AppError> {
    let campaign = db::campaigns::get(conn, campaign_id)?.ok_or(AppError::NotFound)?;
    let record = db::templates::get(conn, &campaign.template_id)?.ok_or(AppError::NotFound)?;
    let units = db::campaigns::units_of(conn, campaign_id)?;
    let all_units = db::units::all(conn)?;
    let template = templates.get(conn, &campaign.template_id)?;
    let targets = db::targets::of_campaign(conn, campaign_id)?
        .into_iter()
        .map(|t| (t.unit_id, t.target.max(0) as u64))
        .collect();
    Ok(Basis {
        campaign,
        record,
        template,
        units,
        all_units,
        targets,
    })
}

fn load_counts(
    conn: &mut DbConn,
    campaign_id: &str,
    unit_ids: &[String],
    template: &Template,
    period: Option<&Period>,
) -> Result<Counts, AppError> {
    let mut tallies = HashMap::new();
    let mut breakdowns = HashMap::new();
    let counts = match period {
        None => {
            // Counts first: tallies read later are at least as new, and a
            // response they miss moves a count the next refresh sees.
            let counts = db::responses::respondents_of(conn, campaign_id)?;
            let rows = db::responses::tallies_of(conn, campaign_id, unit_ids)?;
            add_tally_rows(&mut tallies, rows);
            // Breakdowns are kept for whole campaigns only.
            let rows = db::responses::breakdown_tallies_of(conn, campaign_id, unit_ids)?;
            add_breakdown_rows(&mut breakdowns, rows);
            counts
        }
        Some(p) => {
            let rows = db::exports::tallies_in_period(conn, campaign_id, p.from, p.to)?;
            add_tally_rows(&mut tallies, rows);
            let multiple = template.multiple_choice_items();
            let rows = db::exports::answered_in_period(conn, campaign_id, p.from, p.to, &multiple)?;
            add_tally_rows(&mut tallies, rows);
            db::exports::respondents_in_period(conn, campaign_id, p.from, p.to)?
        }
    };
    let respondents = counts
        .into_iter()
        .map(|(id, n)| (id, n.max(0) as u64))
        .collect();
    Ok(Counts {
        respondents,
        tallies,
        breakdowns,
    })
}

/// unit id → its baseline in the campaign compared with.
fn before_of(units: &[UnitRecord], previous: Option<&Previous>) -> HashMap<String, Before> {
    match previous {
        None => HashMap::new(),
        Some(p) => units
            .iter()
            .filter_map(|u| Some((u.id.to_string(), p.unit_before(u.id.as_str())?)))
            .collect(),
    }
}

/// The ranking the baselines make among the campaign's units, in their
/// order, block by block as the units themselves are ranked.
fn ranks_before(
    basis: &Basis,
    before: &HashMap<String, Before>,
    ancestors: &[Ancestor],
    min_respondents: u64,
) -> Vec<Option<u32>> {
    if before.is_empty() {
        return vec![None; basis.units.len()];
    }
    let entries: Vec<Entry> = basis
        .units
        .iter()
        .map(|u| Entry {
            block: Block::of(u.kind),
            level: ancestors.iter().any(|a| a.unit.id == u.id),
            // Judged by the earlier campaign's own minimum sample: a baseline
            // too small to be ranked then takes no rank now.
            respondents: before
                .get(u.id.as_str())
                .map_or(0, |b| b.respondents.round() as u64),
            rate: before.get(u.id.as_str()).and_then(|b| b.result.rate),
        })
        .collect();
    rank_in_blocks(&entries, min_respondents, basis.template.decimals)
        .into_iter()
        .map(|(_, r)| r)
        .collect()
}

/// Every level above the campaign's units, with the pooled counts of the
/// units below it.
fn pool_ancestors(basis: &Basis, counts: &Counts, previous: Option<&Previous>) -> Vec<Ancestor> {
    ancestors_of(&basis.units, &basis.all_units)
        .into_iter()
        .map(|(unit, members)| {
            let ids: Vec<&str> = members.iter().map(String::as_str).collect();
            let mut tally = Tally::new();
            let mut pooled = Breakdowns::new();
            for id in &ids {
                if let Some(t) = counts.tallies.get(*id) {
                    scoring::merge(&mut tally, t);
                }
                if let Some(b) = counts.breakdowns.get(*id) {
                    merge_breakdowns(&mut pooled, b);
                }
            }
            let before = previous.and_then(|p| p.rollup_before(&ids));
            Ancestor {
                unit,
                members,
                tally,
                breakdowns: pooled,
                before,
            }
        })
        .collect()
}

/// The results without their unit lists.
fn header(basis: &Basis, previous: Option<Previous>) -> CampaignResults {
    let template = &basis.template;
    CampaignResults {
        campaign_id: basis.campaign.id.to_string(),
        campaign_name: basis.campaign.name.clone(),
        status: basis.campaign.status,
        template: TemplateRef {
            key: basis.record.key.clone(),
            version: basis.record.version,
        },
        settings: ResultSettings {
            aggregation: template.aggregation,
            rollup: template.rollup,
            low_sample_n: template.low_sample_n,
            decimals: template.decimals,
            rank_min_respondents: template.rank_min_respondents,
            bands: template.bands,
        },
        compared_with: previous.map(|p| CampaignRef {
            id: p.campaign.id.into(),
            name: p.campaign.name,
        }),
        units: Vec::new(),
        rollups: Vec::new(),
    }
}
