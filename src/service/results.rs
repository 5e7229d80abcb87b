//! Campaign results: the stored tallies run through the pure scoring engine.
use std::collections::HashMap;

use serde::Serialize;

use crate::db::{self, DbConn};
use crate::domain::scoring::{self, NodeResult, OptionCounts, Tally};
use crate::domain::template::Template;
use crate::error::AppError;
use crate::state::AppState;

#[derive(Debug, Clone, Serialize)]
pub struct CampaignResults {
    pub campaign_id: String,
    pub campaign_name: String,
    pub status: String,
    pub template: TemplateRef,
    pub units: Vec<UnitResult>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TemplateRef {
    pub key: String,
    pub version: i32,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitResult {
    pub unit_code: String,
    pub unit_name: String,
    pub respondents: u64,
    pub overall: Overall,
    pub components: Vec<ComponentResult>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Overall {
    pub rate: Option<f64>,
}

/// A scored section (component, domain or content area) with its items and
/// any sub-sections.
#[derive(Debug, Clone, Serialize)]
pub struct ComponentResult {
    pub code: String,
    pub title: String,
    pub rate: Option<f64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<ComponentResult>,
    pub items: Vec<ItemResult>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemResult {
    pub code: String,
    pub text: String,
    pub valid_n: u64,
    pub satisfied_n: u64,
    pub rate: Option<f64>,
    pub ci95: Option<[f64; 2]>,
    pub low_sample: bool,
}

fn component(template: &Template, node: &NodeResult) -> ComponentResult {
    let mut components = Vec::new();
    let mut items = Vec::new();
    for child in &node.children {
        if let Some(item) = template.item(&child.code) {
            items.push(ItemResult {
                code: child.code.clone(),
                text: item.text.vi.clone(),
                valid_n: child.valid_n,
                satisfied_n: child.satisfied_n,
                rate: child.rate,
                ci95: child.ci95.map(|(a, b)| [a, b]),
                low_sample: child.low_sample,
            });
        } else {
            components.push(component(template, child));
        }
    }
    ComponentResult {
        code: node.code.clone(),
        title: template
            .section(&node.code)
            .map(|s| s.title.vi.clone())
            .unwrap_or_default(),
        rate: node.rate,
        components,
        items,
    }
}

/// Score one unit's tally against the template's aggregation tree.
pub fn unit_result(
    template: &Template,
    code: &str,
    name: &str,
    respondents: u64,
    tally: &Tally,
) -> UnitResult {
    let scored = scoring::score(&template.scoring_model(), tally);
    UnitResult {
        unit_code: code.to_string(),
        unit_name: name.to_string(),
        respondents,
        overall: Overall { rate: scored.rate },
        components: scored
            .children
            .iter()
            .map(|c| component(template, c))
            .collect(),
    }
}

/// Results of every unit of a campaign, from the counts kept at submit time.
pub fn campaign_results(
    state: &AppState,
    conn: &mut DbConn,
    campaign_id: &str,
) -> Result<CampaignResults, AppError> {
    let campaign = db::campaigns::get(conn, campaign_id)?.ok_or(AppError::NotFound)?;
    let template = state.template(conn, &campaign.template_id)?;
    let record = db::templates::get(conn, &campaign.template_id)?.ok_or(AppError::NotFound)?;
    let units = db::campaigns::units_of(conn, campaign_id)?;

    let mut tallies: HashMap<String, Tally> = HashMap::new();
    for (unit_id, item, value, n) in db::responses::tallies_of(conn, campaign_id)? {
        let counts: &mut OptionCounts =
            tallies.entry(unit_id).or_default().entry(item).or_default();
        *counts.entry(value).or_default() += n.max(0) as u64;
    }
    let respondents: HashMap<String, i64> = db::responses::respondents_of(conn, campaign_id)?
        .into_iter()
        .collect();

    let empty = Tally::new();
    let units = units
        .iter()
        .map(|u| {
            let n = respondents.get(&u.id).copied().unwrap_or(0).max(0) as u64;
            unit_result(
                &template,
                &u.code,
                &u.name,
                n,
                tallies.get(&u.id).unwrap_or(&empty),
            )
        })
        .collect();
    Ok(CampaignResults {
        campaign_id: campaign.id.clone(),
        campaign_name: campaign.name.clone(),
        status: campaign.status.clone(),
        template: TemplateRef {
            key: record.key,
            version: record.version,
        },
        units,
    })
}
