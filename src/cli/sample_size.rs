//! The sample-size planner (methodology §2.4, §4.5): n = N/(1+N·e²) rounded
//! up, and a campaign's sample allocated to its units in proportion to their
//! transactions.
use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::db::{self, targets::UnitTarget, DbConn};
use crate::domain::csv_input;
use crate::domain::sampling::{allocate, sample_size};
use crate::domain::unit::RowError;

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("cannot read {0}: {1}")]
    Read(String, std::io::Error),
    #[error("no campaign has id {0}; `sipas campaigns list` shows them")]
    NoCampaign(String),
    #[error("{file}: no target was stored; fix these rows and run again:\n{}", .errors.iter().map(|e| format!("  {file}:{}: {}", e.line, e.message)).collect::<Vec<_>>().join("\n"))]
    Rows { file: String, errors: Vec<RowError> },
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

/// Read `unit_code,transactions` rows. Every bad row is reported with its line.
pub fn parse_transactions(text: &str) -> Result<Vec<(u64, String, u64)>, Vec<RowError>> {
    let table = csv_input::read(
        text,
        &["unit_code", "transactions"],
        "unit_code,transactions",
    )?;
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    for (line, r) in &table.rows {
        let line = *line;
        let code = table.get(r, "unit_code").to_string();
        let n = table.get(r, "transactions");
        if code.is_empty() {
            errors.push(RowError {
                line,
                message: "unit_code is empty".into(),
            });
            continue;
        }
        match n.parse::<u64>() {
            Ok(n) => {
                if !seen.insert(code.clone()) {
                    errors.push(RowError {
                        line,
                        message: format!("unit {code} appears twice"),
                    });
                } else {
                    rows.push((line, code, n));
                }
            }
            Err(_) => errors.push(RowError {
                line,
                message: format!("transactions must be a whole number ≥ 0, got {n:?}"),
            }),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
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
    campaign_id: &str,
    path: &Path,
    margin: f64,
) -> Result<(u64, Vec<PlannedUnit>), PlanError> {
    let margin = check_margin(margin)?;
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| PlanError::Read(file.clone(), e))?;
    let rows_err = |errors| PlanError::Rows {
        file: file.clone(),
        errors,
    };
    db::campaigns::get(conn, campaign_id)?
        .ok_or_else(|| PlanError::NoCampaign(campaign_id.into()))?;
    let rows = parse_transactions(&text).map_err(rows_err)?;
    let units = db::campaigns::units_of(conn, campaign_id)?;
    let by_code: HashMap<&str, &str> = units
        .iter()
        .map(|u| (u.code.as_str(), u.id.as_str()))
        .collect();
    let mut errors = Vec::new();
    for (line, code, _) in &rows {
        if !by_code.contains_key(code.as_str()) {
            errors.push(RowError {
                line: *line,
                message: format!("unit {code} is not in this campaign"),
            });
        }
    }
    let listed: HashSet<&str> = rows.iter().map(|r| r.1.as_str()).collect();
    let missing: Vec<&str> = units
        .iter()
        .map(|u| u.code.as_str())
        .filter(|c| !listed.contains(c))
        .collect();
    if !missing.is_empty() {
        errors.push(RowError {
            line: rows.last().map_or(1, |r| r.0) + 1,
            message: format!(
                "campaign units missing from the file: {}",
                missing.join(", ")
            ),
        });
    }
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
    db::targets::replace(conn, campaign_id, &stored)?;
    tracing::info!(
        campaign = campaign_id,
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
    fn transactions_csv_reports_every_bad_row() {
        let errs = parse_transactions("unit_code,transactions\nA,10\nB,x\nA,3\n,4\n").unwrap_err();
        let lines: Vec<u64> = errs.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 5]);
        assert!(errs[1].message.contains("twice"));
        assert!(parse_transactions("code,n\nA,1\n").is_err());
        let ok = parse_transactions("\u{feff}unit_code,transactions\nA, 10\n").expect("ok");
        assert_eq!(ok, vec![(2, "A".to_string(), 10)]);
    }

    #[test]
    fn margins_outside_0_1_are_refused() {
        assert_eq!(for_population(12_000, 0.05).expect("n"), 388);
        assert!(for_population(100, 0.0).is_err());
        assert!(for_population(100, f64::NAN).is_err());
    }
}
