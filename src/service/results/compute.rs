//! One campaign's results as a value that can follow new responses, so
//! they stay fast at a million responses. Every unit's tallies and the
//! pooled tallies of every level above them are kept, so a submission
//! costs reloading that unit's rows and re-scoring it and its ancestors,
//! not loading and pooling the whole campaign (at 1M responses: ~5,000 rows
//! instead of ~700,000).
use std::collections::HashMap;
use std::sync::Arc;

use crate::db::{self, units::UnitRecord, DbConn};
use crate::domain::points;
use crate::domain::scoring::{self, Model, NodeResult, Tally};
use crate::domain::template::Template;
use crate::error::AppError;
use crate::service::templates::TemplateCache;

use super::previous::Previous;
use super::shape::{self, Changes, UnitResult};
use super::tallies::{
    add_breakdown_rows, add_tally_rows, merge_breakdowns, rollup_result, score_units,
    unmerge_breakdowns, Breakdowns,
};
use super::tree::ancestors_of;
use super::{CampaignRef, CampaignResults, Period, ResultSettings, TemplateRef};

/// A level above the campaign's units (a district, the city).
struct Ancestor {
    unit: UnitRecord,
    /// The campaign units pooled here (itself included when it is one).
    members: Vec<String>,
    tally: Tally,
    breakdowns: Breakdowns,
    /// The same units in the campaign compared with, if any of them was in it.
    before: Option<NodeResult>,
}

/// Which results changed in a refresh: indexes into `units` and `rollups`.
#[derive(Debug, Default)]
pub(super) struct Dirty {
    pub units: Vec<usize>,
    pub rollups: Vec<usize>,
}

pub(super) struct Computation {
    campaign_id: String,
    template: Arc<Template>,
    /// The template's scoring tree, built once per campaign.
    model: Model,
    units: Vec<UnitRecord>,
    ancestors: Vec<Ancestor>,
    targets: HashMap<String, u64>,
    respondents: HashMap<String, u64>,
    tallies: HashMap<String, Tally>,
    breakdowns: HashMap<String, Breakdowns>,
    scored: HashMap<String, NodeResult>,
    /// unit id → its result in the campaign compared with.
    before: HashMap<String, NodeResult>,
    /// Shared with the requests reading it; a refresh copies it only when a
    /// request still holds the previous version.
    pub results: Arc<CampaignResults>,
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
        let campaign = db::campaigns::get(conn, campaign_id)?.ok_or(AppError::NotFound)?;
        let record = db::templates::get(conn, &campaign.template_id)?.ok_or(AppError::NotFound)?;
        let units = db::campaigns::units_of(conn, campaign_id)?;
        let all_units = db::units::all(conn)?;
        let template = templates.get(conn, &campaign.template_id)?;
        let model = template.scoring_model();
        let targets = db::targets::of_campaign(conn, campaign_id)?
            .into_iter()
            .map(|t| (t.unit_id, t.target.max(0) as u64))
            .collect();

        let unit_ids: Vec<String> = units.iter().map(|u| u.id.clone()).collect();
        let mut tallies = HashMap::new();
        let mut breakdowns = HashMap::new();
        let counts = match period {
            None => {
                // Counts first: tallies read later are at least as new, and a
                // response they miss moves a count the next refresh sees.
                let counts = db::responses::respondents_of(conn, campaign_id)?;
                add_tally_rows(
                    &mut tallies,
                    db::responses::tallies_of(conn, campaign_id, &unit_ids)?,
                );
                // Breakdowns are kept for whole campaigns only.
                add_breakdown_rows(
                    &mut breakdowns,
                    db::responses::breakdown_tallies_of(conn, campaign_id, &unit_ids)?,
                );
                counts
            }
            Some(p) => {
                add_tally_rows(
                    &mut tallies,
                    db::exports::tallies_in_period(conn, campaign_id, p.from, p.to)?,
                );
                let multiple = template.multiple_choice_items();
                add_tally_rows(
                    &mut tallies,
                    db::exports::answered_in_period(conn, campaign_id, p.from, p.to, &multiple)?,
                );
                db::exports::respondents_in_period(conn, campaign_id, p.from, p.to)?
            }
        };
        let respondents = counts
            .into_iter()
            .map(|(id, n)| (id, n.max(0) as u64))
            .collect();
        let scored = score_units(&model, unit_ids.iter(), &tallies);

        let stored = match compare {
            Some(_) => None,
            None => db::targets::previous_of(conn, campaign_id)?,
        };
        let previous = match compare.or(stored.as_deref()) {
            None => None,
            Some(id) => Some(Previous::load(templates, conn, id)?),
        };
        let before = match &previous {
            None => HashMap::new(),
            Some(p) => units
                .iter()
                .filter_map(|u| Some((u.id.clone(), p.result_of(&[u.id.as_str()])?)))
                .collect(),
        };
        let ancestors = ancestors_of(&units, &all_units)
            .into_iter()
            .map(|(unit, members)| {
                let ids: Vec<&str> = members.iter().map(String::as_str).collect();
                let mut tally = Tally::new();
                let mut pooled = Breakdowns::new();
                for id in &ids {
                    if let Some(t) = tallies.get(*id) {
                        scoring::merge(&mut tally, t);
                    }
                    if let Some(b) = breakdowns.get(*id) {
                        merge_breakdowns(&mut pooled, b);
                    }
                }
                let before = previous.as_ref().and_then(|p| p.result_of(&ids));
                Ancestor {
                    unit,
                    members,
                    tally,
                    breakdowns: pooled,
                    before,
                }
            })
            .collect();

        let results = CampaignResults {
            campaign_id: campaign.id.clone(),
            campaign_name: campaign.name.clone(),
            status: campaign.status,
            template: TemplateRef {
                key: record.key,
                version: record.version,
            },
            settings: ResultSettings {
                aggregation: template.aggregation,
                rollup: template.rollup,
                low_sample_n: template.low_sample_n,
                decimals: template.decimals,
            },
            compared_with: previous.map(|p| CampaignRef {
                id: p.campaign.id,
                name: p.campaign.name,
            }),
            units: Vec::new(),
            rollups: Vec::new(),
        };
        let mut this = Computation {
            campaign_id: campaign.id,
            template,
            model,
            units,
            ancestors,
            targets,
            respondents,
            tallies,
            breakdowns,
            scored,
            before,
            results: Arc::new(results),
        };
        let units = (0..this.units.len()).map(|i| this.unit_node(i)).collect();
        let rollups = (0..this.ancestors.len())
            .map(|j| this.rollup_node(j))
            .collect();
        let results = Arc::make_mut(&mut this.results);
        results.units = units;
        results.rollups = rollups;
        this.rank();
        Ok(this)
    }

    /// Follows new counts: reloads the tallies of the units whose count
    /// moved, takes their old tallies out of every level above them and puts
    /// the new ones in, and rebuilds only the results that changed.
    pub fn refresh(
        &mut self,
        conn: &mut DbConn,
        counts: &HashMap<String, u64>,
    ) -> Result<Dirty, AppError> {
        let changed: Vec<String> = self
            .units
            .iter()
            .filter(|u| counts.get(&u.id) != self.respondents.get(&u.id))
            .map(|u| u.id.clone())
            .collect();
        let mut dirty = Dirty::default();
        if changed.is_empty() {
            return Ok(dirty);
        }
        let mut tallies = HashMap::new();
        add_tally_rows(
            &mut tallies,
            db::responses::tallies_of(conn, &self.campaign_id, &changed)?,
        );
        let mut breakdowns = HashMap::new();
        add_breakdown_rows(
            &mut breakdowns,
            db::responses::breakdown_tallies_of(conn, &self.campaign_id, &changed)?,
        );
        for id in &changed {
            let new_tally = tallies.remove(id).unwrap_or_default();
            let new_breakdowns = breakdowns.remove(id).unwrap_or_default();
            let old_tally = self.tallies.remove(id).unwrap_or_default();
            let old_breakdowns = self.breakdowns.remove(id).unwrap_or_default();
            for (j, a) in self.ancestors.iter_mut().enumerate() {
                if a.members.contains(id) {
                    scoring::unmerge(&mut a.tally, &old_tally);
                    scoring::merge(&mut a.tally, &new_tally);
                    unmerge_breakdowns(&mut a.breakdowns, &old_breakdowns);
                    merge_breakdowns(&mut a.breakdowns, &new_breakdowns);
                    if !dirty.rollups.contains(&j) {
                        dirty.rollups.push(j);
                    }
                }
            }
            self.scored
                .insert(id.clone(), scoring::score(&self.model, &new_tally));
            self.tallies.insert(id.clone(), new_tally);
            self.breakdowns.insert(id.clone(), new_breakdowns);
            match counts.get(id) {
                Some(n) => self.respondents.insert(id.clone(), *n),
                None => self.respondents.remove(id),
            };
        }
        for (i, u) in self.units.iter().enumerate() {
            if changed.contains(&u.id) {
                dirty.units.push(i);
            }
        }
        let units: Vec<_> = dirty
            .units
            .iter()
            .map(|&i| (i, self.unit_node(i)))
            .collect();
        dirty.rollups.sort_unstable();
        let rollups: Vec<_> = dirty
            .rollups
            .iter()
            .map(|&j| (j, self.rollup_node(j)))
            .collect();
        let results = Arc::make_mut(&mut self.results);
        for (i, r) in units {
            results.units[i] = r;
        }
        for (j, r) in rollups {
            results.rollups[j] = r;
        }
        // A new rate may move other units in the ranking.
        for i in self.rank() {
            if !dirty.units.contains(&i) {
                dirty.units.push(i);
            }
        }
        dirty.units.sort_unstable();
        Ok(dirty)
    }

    /// Ranks the units by overall rate; returns those whose rank moved.
    fn rank(&mut self) -> Vec<usize> {
        let units = &mut Arc::make_mut(&mut self.results).units;
        let ranks = scoring::rank(
            &units
                .iter()
                .enumerate()
                .map(|(i, u)| (i, u.overall.rate))
                .collect::<Vec<_>>(),
            self.template.decimals,
        );
        let mut moved = Vec::new();
        for (i, rank) in ranks {
            if units[i].rank != rank {
                units[i].rank = rank;
                moved.push(i);
            }
        }
        moved
    }

    fn node(
        &self,
        unit: &UnitRecord,
        tally: &Tally,
        scored: &NodeResult,
        before: Option<&NodeResult>,
        breakdowns: &Breakdowns,
    ) -> UnitResult {
        let t = &self.template;
        let changes: Option<Changes> =
            before.map(|b| scoring::compare(scored, b).into_iter().collect());
        let changes = changes.as_ref();
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
            breakdowns: shape::breakdowns(t, &self.model, breakdowns),
        }
    }

    /// The result of the i-th campaign unit (unranked).
    fn unit_node(&self, i: usize) -> UnitResult {
        let u = &self.units[i];
        let empty = Tally::new();
        let no_breakdowns = Breakdowns::new();
        let mut r = self.node(
            u,
            self.tallies.get(&u.id).unwrap_or(&empty),
            &self.scored[&u.id],
            self.before.get(&u.id),
            self.breakdowns.get(&u.id).unwrap_or(&no_breakdowns),
        );
        r.respondents = self.respondents.get(&u.id).copied().unwrap_or(0);
        r.target = self.targets.get(&u.id).copied();
        r
    }

    /// The result of the j-th level above the campaign's units.
    fn rollup_node(&self, j: usize) -> UnitResult {
        let a = &self.ancestors[j];
        let members: Vec<&NodeResult> = a
            .members
            .iter()
            .filter_map(|id| self.scored.get(id))
            .collect();
        let scored = rollup_result(&self.template, &self.model, &a.tally, &members);
        let mut r = self.node(&a.unit, &a.tally, &scored, a.before.as_ref(), &a.breakdowns);
        r.respondents = a
            .members
            .iter()
            .filter_map(|id| self.respondents.get(id))
            .sum();
        let planned: Vec<u64> = a
            .members
            .iter()
            .filter_map(|id| self.targets.get(id))
            .copied()
            .collect();
        r.target = (!planned.is_empty()).then(|| planned.iter().sum());
        let mut codes: Vec<String> = self
            .units
            .iter()
            .filter(|u| a.members.contains(&u.id))
            .map(|u| u.code.clone())
            .collect();
        codes.sort();
        r.units_included = codes;
        r
    }
}
