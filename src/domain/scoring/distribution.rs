//! Shares of each option of a choice item (§4.3). A single-choice item's
//! shares are of its answers; a multiple-choice item's are of the
//! respondents who answered it, as the official reports give them, so they
//! add up to more than 100 % when people tick several options.
use serde::Serialize;

use super::{rate, OptionCounts};

/// The option key under which a multiple-choice item's tally counts the
/// respondents who answered it (ticked at least one option). The ticks alone
/// cannot give that number, and a pooled or unmerged tally keeps it right
/// only if it is a count like the others. Templates may not use this value.
pub const ANSWERED: i32 = i32::MIN;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Distribution {
    pub code: String,
    /// Answers among the listed options: the ticks of a multiple-choice item.
    pub n: u64,
    /// Respondents who answered the item: the shares' base. Equals `n` for a
    /// single-choice item.
    pub respondents: u64,
    /// (option, count, percent of `respondents`); percent is 0 when nobody
    /// answered.
    pub shares: Vec<(i32, u64, f64)>,
}

/// Share of each listed option over the listed options' total; unlisted
/// values (don't know, skipped) are ignored. Duplicate options are listed once.
pub fn distribution(code: &str, counts: &OptionCounts, options: &[i32]) -> Distribution {
    let n = ticks(counts, &distinct(options));
    shares_of(code, counts, options, n, n)
}

/// A multiple-choice item: each listed option's share of the respondents who
/// answered the item (its `ANSWERED` count), not of the ticks.
pub fn multiple_choice_distribution(
    code: &str,
    counts: &OptionCounts,
    options: &[i32],
) -> Distribution {
    let n = ticks(counts, &distinct(options));
    let respondents = counts.get(&ANSWERED).copied().unwrap_or(0);
    shares_of(code, counts, options, n, respondents)
}

fn ticks(counts: &OptionCounts, listed: &[i32]) -> u64 {
    listed.iter().fold(0u64, |acc, o| {
        acc.saturating_add(counts.get(o).copied().unwrap_or(0))
    })
}

fn shares_of(
    code: &str,
    counts: &OptionCounts,
    options: &[i32],
    n: u64,
    base: u64,
) -> Distribution {
    let shares = distinct(options)
        .into_iter()
        .map(|o| {
            let c = counts.get(&o).copied().unwrap_or(0);
            (o, c, rate(c, base).unwrap_or(0.0))
        })
        .collect();
    Distribution {
        code: code.to_owned(),
        n,
        respondents: base,
        shares,
    }
}

/// Values in first-seen order without repeats, so a repeated option or level
/// is not counted twice.
fn distinct(values: &[i32]) -> Vec<i32> {
    let mut out = Vec::with_capacity(values.len());
    for v in values {
        if !out.contains(v) {
            out.push(*v);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::scoring::{add_answers, merge, unmerge, Tally};

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn multiple_choice_shares_are_of_respondents_not_ticks() {
        // 150 respondents, 280 ticks: 57 of them chose option 1.
        let mut counts: OptionCounts = [(1, 57), (2, 120), (3, 103)].into_iter().collect();
        counts.insert(ANSWERED, 150);
        let d = multiple_choice_distribution("N2", &counts, &[1, 2, 3]);
        assert_eq!((d.n, d.respondents), (280, 150));
        assert!(close(d.shares[0].2, 38.0), "{:?}", d.shares);
        assert!(close(d.shares[1].2, 80.0));
        // Shares of respondents add up to more than 100 when people tick several.
        let total: f64 = d.shares.iter().map(|s| s.2).sum();
        assert!(close(total, 100.0 * 280.0 / 150.0));
        // The single-choice reading of the same counts is shares of ticks.
        let single = distribution("N2", &counts, &[1, 2, 3]);
        assert_eq!((single.n, single.respondents), (280, 280));
        assert!(close(single.shares[0].2, 100.0 * 57.0 / 280.0));
    }

    #[test]
    fn the_respondents_count_pools_and_unmerges_like_the_ticks() {
        let unit = |answered: &[&[i32]]| {
            let mut t = Tally::new();
            for ticks in answered {
                for v in *ticks {
                    add_answers(&mut t, "N4", *v, 1);
                }
                add_answers(&mut t, "N4", ANSWERED, 1);
            }
            t
        };
        let a = unit(&[&[1, 2], &[2]]);
        let b = unit(&[&[1, 2, 3]]);
        let mut pooled = Tally::new();
        merge(&mut pooled, &a);
        merge(&mut pooled, &b);
        let d = multiple_choice_distribution("N4", &pooled["N4"], &[1, 2, 3]);
        assert_eq!((d.n, d.respondents), (6, 3));
        assert_eq!(d.shares[1].1, 3);
        assert!(close(d.shares[1].2, 100.0));
        unmerge(&mut pooled, &b);
        assert_eq!(pooled, a);
        let d = multiple_choice_distribution("N4", &pooled["N4"], &[1, 2, 3]);
        assert_eq!((d.n, d.respondents), (3, 2));
        assert!(close(d.shares[0].2, 50.0));
    }

    #[test]
    fn nobody_answered_gives_zero_shares() {
        let d = multiple_choice_distribution("N2", &OptionCounts::new(), &[1, 2, 2]);
        assert_eq!((d.n, d.respondents), (0, 0));
        assert_eq!(d.shares, vec![(1, 0, 0.0), (2, 0, 0.0)]);
    }
}
