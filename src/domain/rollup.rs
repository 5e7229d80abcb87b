//! Combining units up the unit tree (pure). The default pools answer counts
//! (`scoring::merge`, then score); `rollup = "mean"` averages the units'
//! figures node by node instead, each unit counting once.
use super::scoring::{merge, NodeResult, Tally};

/// The pooled tally of several units.
pub fn pooled(tallies: &[&Tally]) -> Tally {
    let mut out = Tally::new();
    for t in tallies {
        merge(&mut out, t);
    }
    out
}

/// Counts are whole numbers, so a share of a unit's counts is carried in
/// units of 1/SHARE_SCALE: 720,720 divides by every number up to 16, so an
/// equal split among up to 16 successors is exact; a given share is
/// rounded to the nearest 1/720,720. Rates are ratios of counts, so the
/// common scale leaves them unchanged.
pub const SHARE_SCALE: u64 = 720_720;

/// The pooled tally of parts of several units: each tally's counts times
/// its weight (0 to 1), on the scale of `SHARE_SCALE`.
pub fn weighted(parts: &[(&Tally, f64)]) -> Tally {
    let mut out = Tally::new();
    for (t, w) in parts {
        let m = (w.clamp(0.0, 1.0) * SHARE_SCALE as f64).round() as u64;
        if m == 0 {
            continue;
        }
        for (code, counts) in *t {
            let target = out.entry(code.clone()).or_default();
            for (value, n) in counts {
                *target.entry(*value).or_default() += n.saturating_mul(m);
            }
        }
    }
    out
}

/// Node-by-node mean of results scored with the same model: rates are the
/// mean over units that have one; counts add up. None for no units.
pub fn mean_of_units(results: &[&NodeResult], low_sample_n: u64) -> Option<NodeResult> {
    let first = results.first()?;
    if results.len() == 1 {
        return Some((*first).clone());
    }
    let rates: Vec<f64> = results.iter().filter_map(|r| r.rate).collect();
    let valid_n = results.iter().map(|r| r.valid_n).sum::<u64>();
    let children = (0..first.children.len())
        .filter_map(|i| {
            let kids: Vec<&NodeResult> = results.iter().filter_map(|r| r.children.get(i)).collect();
            mean_of_units(&kids, low_sample_n)
        })
        .collect();
    Some(NodeResult {
        code: first.code.clone(),
        rate: (!rates.is_empty()).then(|| rates.iter().sum::<f64>() / rates.len() as f64),
        valid_n,
        satisfied_n: results.iter().map(|r| r.satisfied_n).sum(),
        ci95: None,
        low_sample: valid_n < low_sample_n,
        children,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::scoring::{add_answers, score, ItemRule, Model, Node};
    use proptest::prelude::*;

    fn model() -> Model {
        Model::new(Node::group(
            "ALL",
            vec![
                Node::group("A", vec![Node::item("A1", ItemRule::top2_of_5())]),
                Node::group("B", vec![Node::item("B1", ItemRule::top2_of_5())]),
            ],
        ))
    }

    #[test]
    fn weighted_pooling_counts_a_share_of_each_unit() {
        let m = model();
        let one = tally(&[(5, 3), (1, 1)], &[]);
        let two = tally(&[(1, 4)], &[]);
        // All of `one` and half of `two`: 3 satisfied of 4 + 0 of 2.
        let w = score(&m, &weighted(&[(&one, 1.0), (&two, 0.5)]));
        assert_eq!(w.children[0].rate, Some(50.0));
        // A third of three equal units is the whole of one.
        let third = weighted(&[(&one, 1.0 / 3.0), (&one, 1.0 / 3.0), (&one, 1.0 / 3.0)]);
        assert_eq!(score(&m, &third).rate, score(&m, &one).rate);
    }

    fn tally(a: &[(i32, u64)], b: &[(i32, u64)]) -> Tally {
        let mut t = Tally::new();
        for (v, n) in a {
            add_answers(&mut t, "A1", *v, *n);
        }
        for (v, n) in b {
            add_answers(&mut t, "B1", *v, *n);
        }
        t
    }

    #[test]
    fn counts_and_means_differ_when_units_differ_in_size() {
        let big = tally(&[(5, 90), (1, 10)], &[(5, 50), (1, 50)]);
        let small = tally(&[(1, 10)], &[(5, 10)]);
        let m = model();
        let pooled_r = score(&m, &pooled(&[&big, &small]));
        // A1: 90/110 pooled; mean of 90 % and 0 % is 45 %.
        let a1 = pooled_r.find("A1").and_then(|n| n.rate).expect("rate");
        assert!((a1 - 100.0 * 90.0 / 110.0).abs() < 1e-9);
        let (rb, rs) = (score(&m, &big), score(&m, &small));
        let mean = mean_of_units(&[&rb, &rs], 30).expect("some");
        let a1 = mean.find("A1").and_then(|n| n.rate).expect("rate");
        assert!((a1 - 45.0).abs() < 1e-9);
        assert_eq!(mean.find("A1").map(|n| n.valid_n), Some(110));
    }

    proptest! {
        #[test]
        fn the_roll_up_of_a_single_unit_equals_the_unit(
            a in proptest::collection::vec((1i32..=5, 0u64..50), 0..5),
            b in proptest::collection::vec((1i32..=5, 0u64..50), 0..5),
        ) {
            let t = tally(&a, &b);
            let m = model();
            let alone = score(&m, &t);
            prop_assert_eq!(&score(&m, &pooled(&[&t])), &alone);
            let mean = mean_of_units(&[&alone], 30);
            prop_assert_eq!(mean.as_ref(), Some(&alone));
        }
    }
}
