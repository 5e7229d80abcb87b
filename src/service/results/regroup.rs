//! A campaign on a new tree reported by the units before the
//! reorganisation (the old districts, or old departments), for continuity
//! with earlier reports. Each new unit's counts are divided among its
//! predecessors by `lineage::backward_weights` (in proportion to what each
//! brought it), pooled up to the old units' parents, and scored; with a
//! campaign to compare with on the old tree, each old unit's figure there.
use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::db::{self, DbConn};
use crate::domain::ids::CampaignId;
use crate::domain::lineage;
use crate::domain::ranking::{rank_in_blocks, Block, Entry, Standing};
use crate::domain::rollup;
use crate::domain::scoring::{self, Tally};
use crate::domain::unit::UnitKind;
use crate::error::AppError;
use crate::service::auth::Scope;
use crate::service::templates::TemplateCache;

use super::previous::Previous;
use super::shape::{self, Changes, UnitResult};
use super::tallies::add_tally_rows;
use super::CampaignRef;

#[derive(Debug, Clone, Serialize)]
pub struct UnitsBefore {
    pub campaign_id: String,
    pub campaign_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compared_with: Option<CampaignRef>,
    /// One entry per old unit the campaign's units came from, grouped at
    /// the level above the old communes (an old department stands alone).
    /// `respondents` is the estimated number, rounded; `units_included`
    /// names the campaign's units that contribute.
    pub units: Vec<UnitResult>,
}

/// Old commune-level units report through their district; others alone.
fn reporting_unit<'a>(
    old: &'a db::units::UnitRecord,
    by_id: &HashMap<&str, &'a db::units::UnitRecord>,
) -> &'a db::units::UnitRecord {
    let commune_level = matches!(
        old.kind,
        UnitKind::Ward | UnitKind::Commune | UnitKind::Township
    );
    match old.parent_id.as_deref().and_then(|p| by_id.get(p)) {
        Some(parent) if commune_level && parent.kind != UnitKind::City => parent,
        _ => old,
    }
}

/// Officials who see every unit only: the old units lie outside any unit
/// officer's subtree.
pub fn units_before(
    templates: &TemplateCache,
    conn: &mut DbConn,
    scope: &Scope,
    campaign_id: &CampaignId,
    compare: Option<&str>,
) -> Result<UnitsBefore, AppError> {
    if *scope != Scope::All {
        return Err(AppError::Forbidden);
    }
    let campaign = db::campaigns::get(conn, campaign_id)?.ok_or(AppError::NotFound)?;
    let template = templates.get(conn, &campaign.template_id)?;
    let model = template.scoring_model();
    let units = db::campaigns::units_of(conn, campaign_id)?;
    let ids: Vec<String> = units.iter().map(|u| u.id.to_string()).collect();
    let mut tallies: HashMap<String, Tally> = HashMap::new();
    add_tally_rows(
        &mut tallies,
        db::responses::tallies_of(conn, campaign_id, &ids)?,
    );
    let respondents: HashMap<String, i64> = db::responses::respondents_of(conn, campaign_id)?
        .into_iter()
        .collect();
    let all = db::units::all(conn)?;
    let by_id: HashMap<&str, &db::units::UnitRecord> =
        all.iter().map(|u| (u.id.as_str(), u)).collect();
    let code_of: HashMap<&str, &str> = units
        .iter()
        .map(|u| (u.id.as_str(), u.code.as_str()))
        .collect();

    // Reporting unit id → (campaign unit id → the part of its counts), and
    // the old units it stands for.
    let mut groups: BTreeMap<String, (HashMap<String, f64>, Vec<String>)> = BTreeMap::new();
    for (old_id, news) in lineage::backward_weights(&db::units::links(conn)?) {
        let Some(old) = by_id.get(old_id.as_str()) else {
            continue;
        };
        let into: Vec<&(String, f64)> = news.iter().filter(|(n, _)| ids.contains(n)).collect();
        if into.is_empty() {
            continue;
        }
        let report = reporting_unit(old, &by_id);
        let (parts, olds) = groups.entry(report.id.to_string()).or_default();
        olds.push(old_id.clone());
        for (new, r) in into {
            *parts.entry(new.clone()).or_default() += r;
        }
    }

    let previous = Previous::chosen(templates, conn, campaign_id, compare)?;
    let empty = Tally::new();
    let mut out = Vec::new();
    for (report_id, (parts, olds)) in groups {
        let Some(report) = by_id.get(report_id.as_str()) else {
            continue;
        };
        let weighted: Vec<(&Tally, f64)> = parts
            .iter()
            .map(|(n, w)| (tallies.get(n).unwrap_or(&empty), w.min(1.0)))
            .collect();
        let tally = rollup::weighted(&weighted);
        let scored = scoring::score(&model, &tally);
        let before = previous.as_ref().and_then(|p| {
            let members: Vec<&str> = olds.iter().map(String::as_str).collect();
            p.own(&members)
        });
        let changes: Option<Changes> = before.as_ref().map(|b| {
            scoring::compare(&scored, &b.result)
                .into_iter()
                .map(|(code, mut c)| {
                    // The figure of this year is the estimate here.
                    c.estimated = true;
                    (code, c)
                })
                .collect()
        });
        let estimated: f64 = parts
            .iter()
            .map(|(n, w)| w.min(1.0) * respondents.get(n).copied().unwrap_or(0).max(0) as f64)
            .sum();
        let mut included: Vec<String> = parts
            .keys()
            .filter_map(|n| code_of.get(n.as_str()).map(|c| c.to_string()))
            .collect();
        included.sort();
        out.push(UnitResult {
            unit_code: report.code.to_string(),
            unit_name: report.name.clone(),
            unit_kind: report.kind,
            respondents: estimated.round() as u64,
            target: None,
            rank: None,
            block: Block::of(report.kind),
            standing: Standing::Ranked,
            band: scored.rate.map(|r| template.bands.of(r, template.decimals)),
            rank_before: None,
            estimated_from: Vec::new(),
            units_included: included,
            overall: shape::overall(&template, &scored, changes.as_ref()),
            components: shape::components(&template, &scored, changes.as_ref()),
            distributions: Vec::new(),
            points: None,
            breakdowns: Vec::new(),
        });
    }
    // The old units' own blocks, and the same minimum sample as this
    // campaign's units (on the estimated respondents).
    let entries: Vec<Entry> = out
        .iter()
        .map(|u| Entry {
            block: u.block,
            level: false,
            respondents: u.respondents,
            rate: u.overall.rate,
        })
        .collect();
    let ranks = rank_in_blocks(&entries, template.rank_min_respondents, template.decimals);
    for (u, (standing, rank)) in out.iter_mut().zip(ranks) {
        u.standing = standing;
        u.rank = rank;
    }
    out.sort_by(|a, b| a.unit_code.cmp(&b.unit_code));
    Ok(UnitsBefore {
        campaign_id: campaign.id.to_string(),
        campaign_name: campaign.name,
        compared_with: previous.map(|p| CampaignRef {
            id: p.campaign.id.into(),
            name: p.campaign.name,
        }),
        units: out,
    })
}
