//! Exports of a campaign's results and anonymised responses, as CSV
//! (UTF-8 with a BOM), XLSX and JSON. Every figure comes from
//! `results::campaign_results_in`, the same engine as the page and the API;
//! raw responses are read in pages of `PAGE` so memory stays bounded however
//! large the campaign.
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::db::{self, exports::ResponseFilter, DbConn};
use crate::domain::ids::CampaignId;
use crate::domain::template::Template;
use crate::error::AppError;
use crate::service::access;
use crate::service::auth::Scope;
use crate::service::results::{self, CampaignResults, ComponentResult, Period, UnitResult};
use crate::service::templates::TemplateCache;

pub mod formats;
pub mod responses;
mod tables;

pub use tables::{breakdowns, codebook, criteria, distributions, summary, units};

/// One spreadsheet cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Num(f64),
    Int(i64),
    Empty,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }
    pub fn opt(v: Option<f64>) -> Cell {
        v.map(Cell::Num).unwrap_or(Cell::Empty)
    }
    pub fn flag(b: bool) -> Cell {
        Cell::Int(i64::from(b))
    }
}

/// Receives an export's rows, header first.
pub type RowSink<'a> = dyn FnMut(&[Cell]) -> Result<(), AppError> + 'a;

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Summary,
    Units,
    Criteria,
    Distributions,
    Breakdowns,
    Responses,
    Codebook,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Summary,
        Kind::Units,
        Kind::Criteria,
        Kind::Distributions,
        Kind::Breakdowns,
        Kind::Responses,
        Kind::Codebook,
    ];

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Summary => "summary",
            Kind::Units => "units",
            Kind::Criteria => "criteria",
            Kind::Distributions => "distributions",
            Kind::Breakdowns => "breakdowns",
            Kind::Responses => "responses",
            Kind::Codebook => "codebook",
        }
    }

    /// The XLSX sheet name.
    pub fn sheet(self) -> &'static str {
        match self {
            Kind::Summary => "Summary",
            Kind::Units => "Units",
            Kind::Criteria => "Criteria",
            Kind::Distributions => "Distributions",
            Kind::Breakdowns => "Breakdowns",
            Kind::Responses => "Responses",
            Kind::Codebook => "Codebook",
        }
    }
}

/// Who asks, for which campaign, with which filters.
#[derive(Debug, Clone)]
pub struct ExportRequest {
    pub campaign_id: CampaignId,
    /// A unit code: that unit and everything below it.
    pub unit: Option<String>,
    pub period: Period,
    pub compare: Option<String>,
    pub scope: Scope,
}

/// The figures and the filter an export writes from.
pub struct Prepared {
    pub results: CampaignResults,
    pub template: Arc<Template>,
    /// The campaign units whose responses are exported (scope ∩ subtree).
    pub filter: ResponseFilter,
    pub unit_codes: HashMap<String, String>,
}

/// Check the filters, compute the results once and narrow them to what the
/// principal may see and asked for.
pub fn prepare(
    templates: &TemplateCache,
    cache: &results::ResultsCache,
    conn: &mut DbConn,
    req: &ExportRequest,
) -> Result<Prepared, AppError> {
    if let (Some(from), Some(to)) = (req.period.from, req.period.to) {
        if from > to {
            return Err(AppError::BadRequest(format!(
                "from ({from}) is after to ({to})"
            )));
        }
    }
    access::check_results(conn, &req.scope, &req.campaign_id, req.compare.as_deref())?;
    let period = (req.period != Period::default()).then_some(&req.period);
    let all_results = results::campaign_results_in(
        templates,
        cache,
        conn,
        &req.campaign_id,
        req.compare.as_deref(),
        period,
    )?;
    let mut res = access::restricted(&req.scope, &all_results)?.into_owned();
    let campaign = db::campaigns::get(conn, &req.campaign_id)?.ok_or(AppError::NotFound)?;
    let template = templates.get(conn, &campaign.template_id)?;
    // A code names a unit only within its period: the campaign's.
    let all = db::units::in_force(conn, campaign.period_start, campaign.period_end)?;
    let mut units: Vec<_> = db::campaigns::units_of(conn, &req.campaign_id)?
        .into_iter()
        .filter(|u| req.scope.has_unit_id(&u.id))
        .collect();
    if let Some(code) = &req.unit {
        let tree = db::units::tree_of(&all);
        let root = tree
            .by_code(code)
            .ok_or_else(|| AppError::BadRequest(format!("unit: no unit has code {code}")))?;
        let ids = db::units::walked(tree.subtree(root));
        units.retain(|u| ids.contains(u.id.as_str()));
        let codes: HashSet<&str> = ids.iter().filter_map(|id| tree.code_of(id)).collect();
        res.units.retain(|u| codes.contains(u.unit_code.as_str()));
        res.rollups.retain(|u| codes.contains(u.unit_code.as_str()));
        if units.is_empty() {
            return Err(AppError::BadRequest(format!(
                "unit: {code} has no unit of this campaign in its subtree that you may see"
            )));
        }
    }
    Ok(Prepared {
        filter: ResponseFilter {
            unit_ids: Some(units.iter().map(|u| u.id.to_string()).collect()),
            from: req.period.from,
            to: req.period.to,
        },
        unit_codes: units
            .into_iter()
            .map(|u| (u.id.into(), u.code.into()))
            .collect(),
        results: res,
        template,
    })
}

/// Roll-ups first (top level first), then the units: the rows every
/// per-unit table walks.
pub(crate) fn all_rows(res: &CampaignResults) -> impl Iterator<Item = (&'static str, &UnitResult)> {
    res.rollups
        .iter()
        .map(|u| ("rollup", u))
        .chain(res.units.iter().map(|u| ("unit", u)))
}

/// Every component with its depth, depth-first.
pub(crate) fn walk_components<'a>(
    list: &'a [ComponentResult],
    depth: usize,
    out: &mut Vec<(usize, &'a ComponentResult)>,
) {
    for c in list {
        out.push((depth, c));
        walk_components(&c.components, depth + 1, out);
    }
}

/// Write one kind of table.
pub fn write_kind(
    conn: &mut DbConn,
    p: &Prepared,
    kind: Kind,
    sink: &mut RowSink<'_>,
    progress: &mut dyn FnMut(u64),
) -> Result<(), AppError> {
    match kind {
        Kind::Summary => summary(p, sink),
        Kind::Units => units(p, sink),
        Kind::Criteria => criteria(p, sink),
        Kind::Distributions => distributions(p, sink),
        Kind::Breakdowns => breakdowns(p, sink),
        Kind::Codebook => codebook(p, sink),
        Kind::Responses => responses::rows(conn, p, sink, progress).map(|_| ()),
    }
}
