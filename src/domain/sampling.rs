//! Sample sizes and quota allocation (methodology §2.4, §4.5). Pure functions.
use std::collections::HashSet;

use crate::domain::list_file;
use crate::domain::unit::RowError;

/// The BNV guidance's margin of error, e = 5 %.
pub const DEFAULT_MARGIN: f64 = 0.05;

/// Slack below an integer before rounding up, so float noise on an exact
/// result (200.00000000000003 for N = 400) does not add a questionnaire.
const CEIL_SLACK: f64 = 1e-9;

/// Yamane/Slovin: n = N / (1 + N·e²), rounded up. N = 0 gives 0; n never
/// exceeds N and is at least 1 for a non-empty population. A margin that is
/// not finite and positive means no sampling error is tolerated: a census.
pub fn sample_size(population: u64, margin: f64) -> u64 {
    if population == 0 {
        return 0;
    }
    if !margin.is_finite() || margin <= 0.0 {
        return population;
    }
    let n = population as f64;
    let needed = (n / (1.0 + n * margin * margin) - CEIL_SLACK).ceil();
    if needed >= n {
        population
    } else if needed < 1.0 {
        1
    } else {
        // In 1..N here, so the cast is exact.
        needed as u64
    }
}

/// Splits `total` proportionally to `weights` (e.g. transaction counts) with
/// the largest-remainder method, so the parts sum exactly to `total`.
/// Remainder ties go to the earlier entry. Zero weights get 0 unless all
/// weights are 0, in which case the split is even (earlier entries get the
/// extra ones). An empty `weights` gives an empty result.
///
/// When the weights are the units' populations and `total` does not exceed
/// their sum, no part exceeds its unit's population.
pub fn allocate(total: u64, weights: &[(String, u64)]) -> Vec<(String, u64)> {
    if weights.is_empty() {
        return Vec::new();
    }
    let sum: u128 = weights.iter().map(|(_, w)| u128::from(*w)).sum();
    if sum == 0 {
        return even_split(total, weights);
    }
    // Exact integer arithmetic: total·w fits in u128 for any u64 inputs.
    let mut parts: Vec<u64> = Vec::with_capacity(weights.len());
    let mut remainders: Vec<(u128, usize)> = Vec::with_capacity(weights.len());
    for (i, (_, w)) in weights.iter().enumerate() {
        let exact = u128::from(total) * u128::from(*w);
        // floor(total·w/sum) <= total, so it fits in u64.
        parts.push(u64::try_from(exact / sum).unwrap_or(total));
        remainders.push((exact % sum, i));
    }
    let assigned: u128 = parts.iter().map(|p| u128::from(*p)).sum();
    let mut left = u128::from(total).saturating_sub(assigned);
    // Stable sort: equal remainders keep input order.
    remainders.sort_by_key(|r| std::cmp::Reverse(r.0));
    // Fewer leftovers than non-zero remainders, so zero weights never gain one.
    for (rem, i) in remainders {
        if left == 0 || rem == 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    weights
        .iter()
        .zip(parts)
        .map(|((name, _), p)| (name.clone(), p))
        .collect()
}

fn even_split(total: u64, weights: &[(String, u64)]) -> Vec<(String, u64)> {
    let k = weights.len() as u64;
    let (base, extra) = (total / k, total % k);
    weights
        .iter()
        .enumerate()
        .map(|(i, (name, _))| {
            let bonus = u64::from((i as u64) < extra);
            (name.clone(), base + bonus)
        })
        .collect()
}

/// Each unit's own sample size, for plans that size every unit separately
/// rather than splitting one total.
pub fn allocate_per_unit(margin: f64, populations: &[(String, u64)]) -> Vec<(String, u64)> {
    populations
        .iter()
        .map(|(name, n)| (name.clone(), sample_size(*n, margin)))
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn named(ws: &[u64]) -> Vec<(String, u64)> {
        ws.iter()
            .enumerate()
            .map(|(i, w)| (format!("u{i}"), *w))
            .collect()
    }

    fn values(parts: &[(String, u64)]) -> Vec<u64> {
        parts.iter().map(|(_, p)| *p).collect()
    }

    #[test]
    fn golden_sample_size_12000_at_5_percent_is_388() {
        // §4.5: 12000 / 31 = 387.1 -> 388.
        assert_eq!(sample_size(12_000, 0.05), 388);
        assert_eq!(sample_size(12_000, DEFAULT_MARGIN), 388);
    }

    #[test]
    fn sample_size_edges() {
        assert_eq!(sample_size(0, 0.05), 0);
        assert_eq!(sample_size(1, 0.05), 1);
        assert_eq!(sample_size(10, 0.05), 10); // 9.76 -> 10
                                               // Exact result: 400 / 2 = 200, float noise must not make it 201.
        assert_eq!(sample_size(400, 0.05), 200);
        assert_eq!(sample_size(500, 0.0), 500);
        assert_eq!(sample_size(500, f64::NAN), 500);
        assert_eq!(sample_size(500, 1e6), 1);
        assert_eq!(sample_size(u64::MAX, 0.05), 400); // tends to 1/e² = 400
    }

    #[test]
    fn allocate_largest_remainder() {
        assert_eq!(values(&allocate(10, &named(&[1, 1, 1]))), vec![4, 3, 3]);
        // Quotas 2.5, 2.5, 5 -> 3, 2, 5 (tie on .5 goes to the earlier entry).
        assert_eq!(values(&allocate(10, &named(&[1, 1, 2]))), vec![3, 2, 5]);
        // §4.5: 388 split by transactions.
        let parts = allocate(388, &named(&[6000, 4000, 2000]));
        assert_eq!(values(&parts), vec![194, 129, 65]);
        assert_eq!(parts[0].0, "u0");
    }

    #[test]
    fn allocate_zero_and_empty_weights() {
        assert_eq!(
            values(&allocate(5, &named(&[0, 3, 0, 2]))),
            vec![0, 3, 0, 2]
        );
        assert_eq!(values(&allocate(7, &named(&[0, 0, 0]))), vec![3, 2, 2]);
        assert_eq!(values(&allocate(0, &named(&[4, 5]))), vec![0, 0]);
        assert!(allocate(10, &[]).is_empty());
        let big = allocate(u64::MAX, &named(&[u64::MAX, u64::MAX]));
        assert_eq!(big[0].1 as u128 + big[1].1 as u128, u64::MAX as u128);
    }

    #[test]
    fn per_unit_sizes() {
        let p = allocate_per_unit(0.05, &named(&[12_000, 0, 20]));
        assert_eq!(values(&p), vec![388, 0, 20]);
    }

    proptest! {
        #[test]
        fn allocate_parts_sum_to_total(
            total in 0u64..200_000,
            ws in prop::collection::vec(prop_oneof![Just(0u64), 0u64..1_000_000], 1..20),
        ) {
            let weights = named(&ws);
            let parts = allocate(total, &weights);
            prop_assert_eq!(parts.len(), ws.len());
            let sum: u64 = parts.iter().map(|(_, p)| *p).sum();
            prop_assert_eq!(sum, total);
            let w_sum: u128 = ws.iter().map(|w| *w as u128).sum();
            for ((name, p), (wname, w)) in parts.iter().zip(&weights) {
                prop_assert_eq!(name, wname);
                // None when all weights are 0 (even split, checked elsewhere).
                if let Some(floor) = (total as u128 * *w as u128).checked_div(w_sum) {
                    // Each part is its quota rounded down or up.
                    let floor = floor as u64;
                    prop_assert!(*p == floor || *p == floor + 1);
                    if *w == 0 {
                        prop_assert_eq!(*p, 0);
                    }
                }
            }
        }

        #[test]
        fn sample_size_never_exceeds_population(n in 0u64..10_000_000, e in 0.001f64..0.5) {
            let s = sample_size(n, e);
            prop_assert!(s <= n);
            prop_assert_eq!(s == 0, n == 0);
        }
    }

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
}
