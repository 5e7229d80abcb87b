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
use crate::domain::ranking::{rank_in_blocks, Block, Entry, Standing};
use crate::domain::scoring::{self, Model, NodeResult, Tally};
use crate::domain::template::Template;
use crate::error::AppError;

use super::previous::Before;
use super::shape::{self, Changes, UnitResult};
use super::tallies::{
    add_breakdown_rows, add_tally_rows, merge_breakdowns, rollup_result, unmerge_breakdowns,
    Breakdowns,
};
use super::CampaignResults;

mod load;

/// A level above the campaign's units (a district, the city).
struct Ancestor {
    unit: UnitRecord,
    /// The campaign units pooled here (itself included when it is one).
    members: Vec<String>,
    tally: Tally,
    breakdowns: Breakdowns,
    /// The same units in the campaign compared with (or their predecessors),
    /// if any of them was in it.
    before: Option<Before>,
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
    /// unit id → its baseline in the campaign compared with.
    before: HashMap<String, Before>,
    /// The rank of each unit's baseline among the campaign's units.
    ranks_before: Vec<Option<u32>>,
    /// Shared with the requests reading it; a refresh copies it only when a
    /// request still holds the previous version.
    pub results: Arc<CampaignResults>,
}

impl Computation {
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
            .filter(|u| counts.get(u.id.as_str()) != self.respondents.get(u.id.as_str()))
            .map(|u| u.id.to_string())
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
            if changed.iter().any(|c| u.id == c.as_str()) {
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

    /// Ranks the units by overall rate within their blocks; returns those
    /// whose rank or standing moved.
    fn rank(&mut self) -> Vec<usize> {
        let min = self.template.rank_min_respondents;
        let decimals = self.template.decimals;
        let levels: Vec<bool> = self.units.iter().map(|u| self.is_level(u)).collect();
        let units = &mut Arc::make_mut(&mut self.results).units;
        let entries: Vec<Entry> = units
            .iter()
            .zip(&levels)
            .map(|(u, &level)| Entry {
                block: u.block,
                level,
                respondents: u.respondents,
                rate: u.overall.rate,
            })
            .collect();
        let mut moved = Vec::new();
        for (i, (standing, rank)) in rank_in_blocks(&entries, min, decimals)
            .into_iter()
            .enumerate()
        {
            if units[i].rank != rank || units[i].standing != standing {
                units[i].rank = rank;
                units[i].standing = standing;
                moved.push(i);
            }
        }
        moved
    }

    /// A campaign unit with other campaign units below it (the city, a
    /// district surveyed with its communes).
    fn is_level(&self, u: &UnitRecord) -> bool {
        self.ancestors.iter().any(|a| a.unit.id == u.id)
    }

    fn node(
        &self,
        unit: &UnitRecord,
        tally: &Tally,
        scored: &NodeResult,
        before: Option<&Before>,
        breakdowns: &Breakdowns,
    ) -> UnitResult {
        let t = &self.template;
        let changes: Option<Changes> = before.map(|b| {
            scoring::compare(scored, &b.result)
                .into_iter()
                .map(|(code, mut c)| {
                    c.estimated = b.estimated;
                    (code, c)
                })
                .collect()
        });
        let changes = changes.as_ref();
        UnitResult {
            unit_code: unit.code.to_string(),
            unit_name: unit.name.clone(),
            unit_kind: unit.kind,
            respondents: 0,
            target: None,
            rank: None,
            block: Block::of(unit.kind),
            standing: Standing::Ranked,
            band: scored.rate.map(|r| t.bands.of(r, t.decimals)),
            rank_before: None,
            estimated_from: before.map(|b| b.from_codes.clone()).unwrap_or_default(),
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
            self.tallies.get(u.id.as_str()).unwrap_or(&empty),
            &self.scored[u.id.as_str()],
            self.before.get(u.id.as_str()),
            self.breakdowns.get(u.id.as_str()).unwrap_or(&no_breakdowns),
        );
        r.respondents = self.respondents.get(u.id.as_str()).copied().unwrap_or(0);
        r.target = self.targets.get(u.id.as_str()).copied();
        r.rank_before = self.ranks_before.get(i).copied().flatten();
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
        r.standing = Standing::Level;
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
            .filter(|u| a.members.iter().any(|m| u.id == m.as_str()))
            .map(|u| u.code.to_string())
            .collect();
        codes.sort();
        r.units_included = codes;
        r
    }
}
