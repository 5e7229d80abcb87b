//! Sample targets (methodology §2.4, §4.5): a campaign's sample sized from
//! its units' transactions, n = N/(1+N·e²) rounded up, and allocated to the
//! units in proportion.
use crate::domain::ids::CampaignId;
use std::collections::{HashMap, HashSet};

use diesel::Connection;

use crate::db::{self, targets::UnitTarget, DbConn};
use crate::domain::list_file::{self, Listing};
use crate::domain::sampling::{allocate, parse_transactions, sample_size};
use crate::domain::unit::RowError;
use crate::service::audit::{self, Actor, AuditAction};

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("no campaign has id {0}; `sipas campaigns list` shows them")]
    NoCampaign(String),
    #[error("{file}: no target was stored; fix these rows and run again:\n{}", Listing { file, sheet: sheet.as_deref(), errors })]
    Rows {
        file: String,
        sheet: Option<String>,
        errors: Vec<RowError>,
    },
    #[error("the margin must be a number between 0 and 1 (exclusive), e.g. 0.05; got {0}")]
    Margin(f64),
    #[error("database error, no target was stored: {0}")]
    Db(#[from] diesel::result::Error),
}

pub fn check_margin(margin: f64) -> Result<f64, PlanError> {
    if margin.is_finite() && margin > 0.0 && margin < 1.0 {
        Ok(margin)
    } else {
        Err(PlanError::Margin(margin))
    }
}

/// n for a population of N transactions.
pub fn for_population(population: u64, margin: f64) -> Result<u64, PlanError> {
    Ok(sample_size(population, check_margin(margin)?))
}

/// One unit's line of the plan, for printing.
pub struct PlannedUnit {
    pub code: String,
    pub transactions: u64,
    pub target: u64,
}

/// Size the campaign's sample from the units' transactions and store each
/// unit's share: every unit of the campaign must be listed, and nothing is
/// stored unless every row is right.
pub fn plan_campaign(
    conn: &mut DbConn,
    actor: &Actor,
    campaign_id: &CampaignId,
    file: &str,
    bytes: &[u8],
    margin: f64,
) -> Result<(u64, Vec<PlannedUnit>), PlanError> {
    let margin = check_margin(margin)?;
    let file = file.to_string();
    db::campaigns::get(conn, campaign_id)?
        .ok_or_else(|| PlanError::NoCampaign(campaign_id.to_string()))?;
    let table = list_file::read(
        bytes,
        &["unit_code", "transactions"],
        "unit_code,transactions",
    )
    .map_err(|e| PlanError::Rows {
        file: file.clone(),
        sheet: e.sheet,
        errors: e.errors,
    })?;
    let rows_err = |errors| PlanError::Rows {
        file: file.clone(),
        sheet: table.sheet.clone(),
        errors,
    };
    // Every wrong line at once: bad numbers and codes outside the campaign.
    let (rows, mut errors) = match parse_transactions(&table) {
        Ok(rows) => (rows, Vec::new()),
        Err(errors) => (Vec::new(), errors),
    };
    let units = db::campaigns::units_of(conn, campaign_id)?;
    let by_code: HashMap<&str, &str> = units
        .iter()
        .map(|u| (u.code.as_str(), u.id.as_str()))
        .collect();
    let listed: Vec<(u64, &str)> = table
        .rows
        .iter()
        .map(|(line, r)| (*line, table.get(r, "unit_code")))
        .filter(|(_, code)| !code.is_empty())
        .collect();
    for (line, code) in &listed {
        if !by_code.contains_key(code) {
            errors.push(RowError {
                line: *line,
                message: format!("unit {code} is not in this campaign"),
            });
        }
    }
    let listed_codes: HashSet<&str> = listed.iter().map(|(_, c)| *c).collect();
    let missing: Vec<&str> = units
        .iter()
        .map(|u| u.code.as_str())
        .filter(|c| !listed_codes.contains(c))
        .collect();
    if !missing.is_empty() {
        errors.push(RowError {
            line: table.rows.last().map_or(1, |r| r.0) + 1,
            message: format!(
                "campaign units missing from the file: {}",
                missing.join(", ")
            ),
        });
    }
    errors.sort_by_key(|e| e.line);
    if !errors.is_empty() {
        return Err(rows_err(errors));
    }
    let population: u64 = rows.iter().map(|r| r.2).sum();
    let total = sample_size(population, margin);
    let weights: Vec<(String, u64)> = rows.iter().map(|r| (r.1.clone(), r.2)).collect();
    let parts = allocate(total, &weights);
    let plan: Vec<PlannedUnit> = parts
        .into_iter()
        .zip(&rows)
        .map(|((code, target), row)| PlannedUnit {
            code,
            transactions: row.2,
            target,
        })
        .collect();
    let stored: Vec<UnitTarget> = plan
        .iter()
        .map(|p| UnitTarget {
            unit_id: by_code[p.code.as_str()].to_string(),
            transactions: i64::try_from(p.transactions).unwrap_or(i64::MAX),
            target: i64::try_from(p.target).unwrap_or(i64::MAX),
        })
        .collect();
    conn.transaction(|conn| {
        db::targets::replace(conn, campaign_id, &stored)?;
        let detail = format!("{file}: {total} questionnaires, {} units", plan.len());
        audit::record(
            conn,
            actor,
            AuditAction::CampaignTargets,
            campaign_id,
            &detail,
        )
    })?;
    tracing::info!(
        campaign = %campaign_id,
        total,
        units = plan.len(),
        "sample targets stored"
    );
    Ok((total, plan))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn margins_outside_0_1_are_refused() {
        assert_eq!(for_population(12_000, 0.05).expect("n"), 388);
        assert!(for_population(100, 0.0).is_err());
        assert!(for_population(100, f64::NAN).is_err());
    }
}
