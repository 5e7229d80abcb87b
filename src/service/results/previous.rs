//! The campaign the changes are measured against, and each current unit's
//! baseline in it: the unit itself when it was in that campaign, or else
//! its predecessors' counts carried by the lineage (estimated).
use std::collections::HashMap;
use std::sync::Arc;

use crate::db::{self, DbConn};
use crate::domain::lineage;
use crate::domain::rollup;
use crate::domain::scoring::{NodeResult, Tally};
use crate::domain::template::Template;
use crate::error::AppError;
use crate::service::templates::TemplateCache;

use super::tallies::{add_tally_rows, rollup_result, score_units};

/// Links are followed back at most this many reorganisations.
const MAX_STEPS: usize = 8;

/// The units of the campaign compared with, and how much of each one's
/// counts a baseline takes.
pub(super) type Contributions = Vec<(String, f64)>;

/// A unit's (or a roll-up's) figure in the campaign compared with.
#[derive(Debug, Clone)]
pub(super) struct Before {
    pub result: NodeResult,
    /// Built from predecessors' counts across a reorganisation.
    pub estimated: bool,
    /// The codes of the units it was built from, when estimated.
    pub from_codes: Vec<String>,
    /// Its respondents in the campaign compared with (weighted, when
    /// estimated), so its rank there follows the same minimum sample.
    pub respondents: f64,
}

/// The campaign compared with, scored per unit of its own: enough to give the
/// result of any weighted set of its units.
pub(super) struct Previous {
    pub campaign: db::campaigns::CampaignRecord,
    unit_ids: Vec<String>,
    codes: HashMap<String, String>,
    template: Arc<Template>,
    model: crate::domain::scoring::Model,
    tallies: HashMap<String, Tally>,
    scored: HashMap<String, NodeResult>,
    respondents: HashMap<String, u64>,
    /// new unit id → (old unit id, weight), from the lineage.
    forward: HashMap<String, Contributions>,
}

impl Previous {
    pub fn load(templates: &TemplateCache, conn: &mut DbConn, id: &str) -> Result<Self, AppError> {
        let campaign = db::campaigns::get(conn, id)?
            .ok_or_else(|| AppError::BadRequest(format!("compare: no campaign has id {id}")))?;
        let units = db::campaigns::units_of(conn, &campaign.id)?;
        let unit_ids: Vec<String> = units.iter().map(|u| u.id.to_string()).collect();
        let codes = units
            .iter()
            .map(|u| (u.id.to_string(), u.code.to_string()))
            .collect();
        let template = templates.get(conn, &campaign.template_id)?;
        let model = template.scoring_model();
        let mut tallies = HashMap::new();
        add_tally_rows(
            &mut tallies,
            db::responses::tallies_of(conn, &campaign.id, &unit_ids)?,
        );
        let scored = score_units(&model, unit_ids.iter(), &tallies);
        let respondents = db::responses::respondents_of(conn, &campaign.id)?
            .into_iter()
            .map(|(id, n)| (id, u64::try_from(n).unwrap_or(0)))
            .collect();
        let forward = lineage::weights(&db::units::links(conn)?);
        Ok(Previous {
            campaign,
            unit_ids,
            codes,
            template,
            model,
            tallies,
            scored,
            respondents,
            forward,
        })
    }

    /// The campaign `campaign_id` is compared with: `compare`, or else the
    /// one stored with it (`campaigns create --previous`).
    pub fn chosen(
        templates: &TemplateCache,
        conn: &mut DbConn,
        campaign_id: &str,
        compare: Option<&str>,
    ) -> Result<Option<Self>, AppError> {
        let stored = match compare {
            Some(_) => None,
            None => db::targets::previous_of(conn, campaign_id)?,
        };
        match compare.or(stored.as_deref()) {
            None => Ok(None),
            Some(id) => Ok(Some(Previous::load(templates, conn, id)?)),
        }
    }

    /// The fewest respondents a unit needed to be ranked in that campaign.
    pub fn rank_min_respondents(&self) -> u64 {
        self.template.rank_min_respondents
    }

    /// Respondents of `parts`, each counted by its weight.
    fn respondents_of(&self, parts: &Contributions) -> f64 {
        parts
            .iter()
            .map(|(id, w)| w * self.respondents.get(id).copied().unwrap_or(0) as f64)
            .sum()
    }

    fn has(&self, id: &str) -> bool {
        self.unit_ids.iter().any(|u| u == id)
    }

    /// Which of this campaign's units a current unit's baseline is made
    /// of. A unit with predecessors in the lineage is built from them (a unit
    /// that continued through a reorganisation links to itself); else the
    /// unit itself, if it was in this campaign. Predecessors not in this
    /// campaign are followed back further.
    pub fn contributions(&self, unit_id: &str) -> (Contributions, bool) {
        let mut out: HashMap<String, f64> = HashMap::new();
        self.trace(unit_id, 1.0, 0, &mut out);
        let mut list: Contributions = out.into_iter().filter(|(_, w)| *w > 0.0).collect();
        list.sort_by(|a, b| a.0.cmp(&b.0));
        let direct = list.len() == 1 && list[0].0 == unit_id && list[0].1 == 1.0;
        (list, !direct)
    }

    fn trace(&self, id: &str, weight: f64, step: usize, out: &mut HashMap<String, f64>) {
        match self.forward.get(id) {
            Some(olds) if step < MAX_STEPS => {
                for (old, w) in olds {
                    if self.has(old) {
                        *out.entry(old.clone()).or_default() += weight * w;
                    } else if old != id {
                        self.trace(old, weight * w, step + 1, out);
                    }
                }
            }
            _ if self.has(id) => *out.entry(id.to_string()).or_default() += weight,
            _ => {}
        }
    }

    fn pooled(&self, parts: &Contributions) -> Tally {
        let empty = Tally::new();
        let tallies: Vec<(&Tally, f64)> = parts
            .iter()
            .map(|(id, w)| (self.tallies.get(id).unwrap_or(&empty), *w))
            .collect();
        if tallies.iter().all(|(_, w)| *w == 1.0) {
            let plain: Vec<&Tally> = tallies.iter().map(|(t, _)| *t).collect();
            rollup::pooled(&plain)
        } else {
            rollup::weighted(&tallies)
        }
    }

    /// A current unit's baseline, if anything of it was in this campaign.
    pub fn unit_before(&self, unit_id: &str) -> Option<Before> {
        let (parts, estimated) = self.contributions(unit_id);
        self.before_from(unit_id, &parts, estimated)
    }

    /// The baseline of a unit made of `parts` of this campaign's units.
    fn before_from(&self, unit_id: &str, parts: &Contributions, estimated: bool) -> Option<Before> {
        if parts.is_empty() {
            return None;
        }
        let result = if estimated {
            crate::domain::scoring::score(&self.model, &self.pooled(parts))
        } else {
            self.scored.get(unit_id).cloned()?
        };
        Some(Before {
            result,
            estimated,
            from_codes: self.codes_of(parts, estimated),
            respondents: self.respondents_of(parts),
        })
    }

    /// The baseline of a roll-up: its members' contributions pooled (or
    /// their baselines averaged, with `rollup = "mean"`).
    pub fn rollup_before(&self, member_ids: &[&str]) -> Option<Before> {
        let mut all: HashMap<String, f64> = HashMap::new();
        let mut members = Vec::new();
        let mut estimated = false;
        for id in member_ids {
            let (parts, est) = self.contributions(id);
            if parts.is_empty() {
                continue;
            }
            estimated |= est;
            for (old, w) in &parts {
                *all.entry(old.clone()).or_default() += w;
            }
            if let Some(b) = self.before_from(id, &parts, est) {
                members.push(b.result);
            }
        }
        if all.is_empty() {
            return None;
        }
        let mut parts: Contributions = all.into_iter().map(|(id, w)| (id, w.min(1.0))).collect();
        parts.sort_by(|a, b| a.0.cmp(&b.0));
        let member_refs: Vec<&NodeResult> = members.iter().collect();
        let result = rollup_result(
            &self.template,
            &self.model,
            &self.pooled(&parts),
            &member_refs,
        );
        Some(Before {
            result,
            estimated,
            from_codes: if estimated {
                self.codes_of(&parts, true)
            } else {
                Vec::new()
            },
            respondents: self.respondents_of(&parts),
        })
    }

    /// These units of this campaign pooled as they were, without the
    /// lineage (to report a new campaign by the old units).
    pub fn own(&self, ids: &[&str]) -> Option<Before> {
        let parts: Contributions = ids
            .iter()
            .filter(|id| self.has(id))
            .map(|id| (id.to_string(), 1.0))
            .collect();
        if parts.is_empty() {
            return None;
        }
        let members: Vec<&NodeResult> = parts
            .iter()
            .filter_map(|(id, _)| self.scored.get(id))
            .collect();
        Some(Before {
            result: rollup_result(&self.template, &self.model, &self.pooled(&parts), &members),
            estimated: false,
            from_codes: Vec::new(),
            respondents: self.respondents_of(&parts),
        })
    }

    fn codes_of(&self, parts: &Contributions, estimated: bool) -> Vec<String> {
        if !estimated {
            return Vec::new();
        }
        let mut codes: Vec<String> = parts
            .iter()
            .filter_map(|(id, _)| self.codes.get(id).cloned())
            .collect();
        codes.sort();
        codes
    }
}
