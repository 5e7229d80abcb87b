//! The sample-size planner (methodology §2.4, §4.5): n = N/(1+N·e²) rounded
//! up, and a campaign's sample allocated to its units in proportion to their
//! transactions.
use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::cli::args::SampleSizeArgs;
use crate::config::Settings;
use crate::db::{self, targets::UnitTarget, DbConn};
use crate::domain::list_file::{self, Listing};
use crate::domain::sampling::{allocate, sample_size};
use crate::domain::unit::RowError;

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("cannot read {0}: {1}")]
    Read(String, std::io::Error),
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

/// `sipas sample-size`: n for a population, or a campaign's plan per unit.
pub fn run(settings: &Settings, args: SampleSizeArgs) -> anyhow::Result<()> {
    match (args.population, args.campaign, args.transactions) {
        (Some(n), _, _) => {
            println!("{}", for_population(n, args.margin)?);
        }
        (None, Some(campaign), Some(file)) => {
            let mut conn = super::connect(settings)?;
            let (total, plan) = plan_campaign(&mut conn, &campaign, &file, args.margin)?;
            println!("campaign {campaign}: {total} questionnaires");
            for p in plan {
                println!("  {:<16} {:>10} {:>6}", p.code, p.transactions, p.target);
            }
        }
        _ => anyhow::bail!("give --population N, or --campaign ID --transactions FILE.csv"),
    }
    Ok(())
}

/// n for a population of N transactions.
pub fn for_population(population: u64, margin: f64) -> Result<u64, PlanError> {
    Ok(sample_size(population, check_margin(margin)?))
}

/// A count as people type it: `1200`, or grouped in thousands as a
/// Vietnamese (`1.200`) or English (`1,200`) spreadsheet shows it.
fn parse_count(s: &str) -> Option<u64> {
    let groups: Vec<&str> = s.split(['.', ',', ' ', '\u{a0}']).collect();
    let grouped = groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3);
    if groups.len() > 1 && !grouped {
        return None;
    }
    let digits: String = groups.concat();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Read `unit_code,transactions` rows (CSV or a workbook). Every bad row is
/// reported with its line.
pub fn parse_transactions(
    table: &list_file::Table,
) -> Result<Vec<(u64, String, u64)>, Vec<RowError>> {
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
        match parse_count(n) {
            Some(n) => {
                if !seen.insert(code.clone()) {
                    errors.push(RowError {
                        line,
                        message: format!("unit {code} appears twice"),
                    });
                } else {
                    rows.push((line, code, n));
                }
            }
            None => errors.push(RowError {
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
    let bytes = std::fs::read(path).map_err(|e| PlanError::Read(file.clone(), e))?;
    db::campaigns::get(conn, campaign_id)?
        .ok_or_else(|| PlanError::NoCampaign(campaign_id.into()))?;
    let table = list_file::read(
        &bytes,
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
    let rows = parse_transactions(&table).map_err(rows_err)?;
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

    fn parse(text: &str) -> Result<Vec<(u64, String, u64)>, Vec<RowError>> {
        let table = list_file::read(
            text.as_bytes(),
            &["unit_code", "transactions"],
            "unit_code,transactions",
        )
        .map_err(|e| e.errors)?;
        parse_transactions(&table)
    }

    #[test]
    fn transactions_csv_reports_every_bad_row() {
        let errs = parse("unit_code,transactions\nA,10\nB,x\nA,3\n,4\n").unwrap_err();
        let lines: Vec<u64> = errs.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 5]);
        assert!(errs[1].message.contains("twice"));
        assert!(parse("code,n\nA,1\n").is_err());
        let ok = parse("\u{feff}unit_code,transactions\nA, 10\n").expect("ok");
        assert_eq!(ok, vec![(2, "A".to_string(), 10)]);
    }

    #[test]
    fn counts_may_be_grouped_in_thousands() {
        let ok = parse("unit_code;transactions\nA;1.200\nB;\"1,234,567\"\nC;7\n").expect("ok");
        let n: Vec<u64> = ok.iter().map(|r| r.2).collect();
        assert_eq!(n, [1200, 1_234_567, 7]);
        let errs = parse("unit_code;transactions\nA;12,5\nB;1.20\nC;-3\n").unwrap_err();
        assert_eq!(errs.len(), 3);
    }

    #[test]
    fn margins_outside_0_1_are_refused() {
        assert_eq!(for_population(12_000, 0.05).expect("n"), 388);
        assert!(for_population(100, 0.0).is_err());
        assert!(for_population(100, f64::NAN).is_err());
    }
}
