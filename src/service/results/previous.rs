//! The campaign the changes are measured against.
use std::collections::HashMap;
use std::sync::Arc;

use crate::db::{self, DbConn};
use crate::domain::rollup;
use crate::domain::scoring::{Model, NodeResult, Tally};
use crate::domain::template::Template;
use crate::error::AppError;
use crate::service::templates::TemplateCache;

use super::tallies::{add_tally_rows, rollup_result, score_units};

/// The campaign compared with, scored per unit of its own: enough to give the
/// result of any set of units "before".
pub(super) struct Previous {
    pub campaign: db::campaigns::CampaignRecord,
    unit_ids: Vec<String>,
    template: Arc<Template>,
    model: Model,
    tallies: HashMap<String, Tally>,
    scored: HashMap<String, NodeResult>,
}

impl Previous {
    pub fn load(templates: &TemplateCache, conn: &mut DbConn, id: &str) -> Result<Self, AppError> {
        let campaign = db::campaigns::get(conn, id)?
            .ok_or_else(|| AppError::BadRequest(format!("compare: no campaign has id {id}")))?;
        let unit_ids: Vec<String> = db::campaigns::units_of(conn, &campaign.id)?
            .into_iter()
            .map(|u| u.id.into())
            .collect();
        let template = templates.get(conn, &campaign.template_id)?;
        let model = template.scoring_model();
        let mut tallies = HashMap::new();
        add_tally_rows(
            &mut tallies,
            db::responses::tallies_of(conn, &campaign.id, &unit_ids)?,
        );
        let scored = score_units(&model, unit_ids.iter(), &tallies);
        Ok(Previous {
            campaign,
            unit_ids,
            template,
            model,
            tallies,
            scored,
        })
    }

    /// The result of those of `unit_ids` that were in this campaign.
    pub fn result_of(&self, unit_ids: &[&str]) -> Option<NodeResult> {
        let present: Vec<&str> = unit_ids
            .iter()
            .copied()
            .filter(|id| self.unit_ids.iter().any(|u| u == id))
            .collect();
        if present.is_empty() {
            return None;
        }
        let empty = Tally::new();
        let tallies: Vec<&Tally> = present
            .iter()
            .map(|id| self.tallies.get(*id).unwrap_or(&empty))
            .collect();
        let members: Vec<&NodeResult> = present
            .iter()
            .filter_map(|id| self.scored.get(*id))
            .collect();
        Some(rollup_result(
            &self.template,
            &self.model,
            &rollup::pooled(&tallies),
            &members,
        ))
    }
}
