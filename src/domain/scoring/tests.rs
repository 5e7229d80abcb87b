//! Golden and property tests of the scoring engine.
use super::*;
use proptest::prelude::*;

fn counts(pairs: &[(i32, u64)]) -> OptionCounts {
    pairs.iter().copied().collect()
}

/// An item tally of `satisfied` 5s and `valid - satisfied` 2s.
fn put_rate(tally: &mut Tally, code: &str, satisfied: u64, valid: u64) {
    add_answers(tally, code, 5, satisfied);
    add_answers(tally, code, 2, valid - satisfied);
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn rate_of(result: &NodeResult, code: &str) -> Option<f64> {
    result.find(code).and_then(|n| n.rate)
}

fn shown(result: &NodeResult, code: &str) -> Option<f64> {
    rate_of(result, code).map(|r| round_display(r, 2))
}

/// §4.4 S-TC1..S-TC3 counts for answers 1..=5.
fn svc_tc_tally() -> Tally {
    let rows: [(&str, [u64; 5]); 3] = [
        ("S-TC1", [2, 4, 14, 60, 40]),
        ("S-TC2", [1, 5, 20, 58, 36]),
        ("S-TC3", [0, 3, 17, 62, 38]),
    ];
    let mut tally = Tally::new();
    for (code, row) in rows {
        for (value, n) in (1..=5).zip(row) {
            add_answers(&mut tally, code, value, n);
        }
    }
    tally
}

fn svc_tc_node() -> Node {
    let items = ["S-TC1", "S-TC2", "S-TC3"]
        .iter()
        .map(|c| Node::item(*c, ItemRule::top2_of_5()))
        .collect();
    Node::group("SVC-TC", items)
}

fn single_items(codes: &[&str]) -> Vec<Node> {
    codes
        .iter()
        .map(|c| Node::item(*c, ItemRule::top2_of_5()))
        .collect()
}

#[test]
fn golden_svc_tc_from_counts() {
    let result = score(&Model::new(svc_tc_node()), &svc_tc_tally());
    assert_eq!(shown(&result, "S-TC1"), Some(83.33));
    assert_eq!(shown(&result, "S-TC2"), Some(78.33));
    assert_eq!(shown(&result, "S-TC3"), Some(83.33));
    assert_eq!(shown(&result, "SVC-TC"), Some(81.67));
    assert_eq!(result.valid_n, 120);
    assert_eq!(result.find("S-TC2").map(|n| n.satisfied_n), Some(94));
}

#[test]
fn golden_commune_sipas() {
    // §4.4: contents other than SVC-TC are given as rates; single items
    // with x of 1000 (or 10000) reproduce them exactly.
    let mut tally = svc_tc_tally();
    for (code, sat) in [
        ("SVC-TT", 850),
        ("SVC-CC", 880),
        ("SVC-KQ", 865),
        ("SVC-PA", 760),
        ("POL-A", 801),
        ("POL-B", 724),
        ("POL-C", 840),
        ("POL-D", 862),
    ] {
        put_rate(&mut tally, code, sat, 1000);
    }
    let mut svc = vec![svc_tc_node()];
    svc.extend(single_items(&["SVC-TT", "SVC-CC", "SVC-KQ", "SVC-PA"]));
    let pol = single_items(&["POL-A", "POL-B", "POL-C", "POL-D"]);
    let root = Node::group(
        "SIPAS",
        vec![Node::group("POL", pol), Node::group("SVC", svc)],
    );
    let result = score(&Model::new(root), &tally);
    assert_eq!(shown(&result, "SVC"), Some(83.43));
    assert!(close(rate_of(&result, "POL").unwrap_or(0.0), 80.675));
    assert_eq!(shown(&result, "POL"), Some(80.68));
    assert_eq!(shown(&result, "SIPAS"), Some(82.05));
    // 10-point PAR slot: 8.21.
    let points = sipas_points(result.rate, 10.0).map(|p| round_display(p, 2));
    assert_eq!(points, Some(8.21));
    // The same from the given values directly.
    let pol_mean = mean(&[80.10, 72.40, 84.00, 86.20]).unwrap_or(0.0);
    assert_eq!(round_display(pol_mean, 2), 80.68);
}

#[test]
fn golden_model_a_and_hanoi_2024() {
    let mut tally = Tally::new();
    for (code, sat) in [
        ("TC", 852),
        ("TT", 834),
        ("CC", 869),
        ("KQ", 875),
        ("PA", 780),
    ] {
        put_rate(&mut tally, code, sat, 1000);
    }
    let model = Model::new(Node::group(
        "SIPAS",
        single_items(&["TC", "TT", "CC", "KQ", "PA"]),
    ));
    let result = score(&model, &tally);
    assert_eq!(result.rate.map(|r| round_display(r, 2)), Some(84.20));
    let direct = mean(&[85.2, 83.4, 86.9, 87.5, 78.0]).unwrap_or(0.0);
    assert_eq!(round_display(direct, 2), 84.20);

    let mut hn = Tally::new();
    put_rate(&mut hn, "POL", 8651, 10_000);
    put_rate(&mut hn, "SVC", 8649, 10_000);
    let model = Model::new(Node::group("SIPAS", single_items(&["POL", "SVC"])));
    assert_eq!(shown(&score(&model, &hn), "SIPAS"), Some(86.50));
    assert_eq!(
        mean(&[86.51, 86.49]).map(|r| round_display(r, 2)),
        Some(86.50)
    );
}

#[test]
fn excluded_answers_leave_the_denominator() {
    // 0 = "không biết", 6 = N/A.
    let c = counts(&[(0, 50), (1, 10), (4, 20), (5, 10), (6, 30)]);
    assert_eq!(ItemRule::top2_of_5().count(&c), (30, 40));
    let mut tally = Tally::new();
    tally.insert("Q".into(), c);
    let result = score(&Model::new(Node::item("Q", ItemRule::top2_of_5())), &tally);
    assert_eq!(result.rate, Some(75.0));
    assert_eq!(result.valid_n, 40);
    // A satisfied value outside `valid` is not counted either.
    let odd = ItemRule::new(vec![5, 9], vec![1, 2, 3, 4, 5]);
    assert_eq!(odd.count(&counts(&[(9, 100), (5, 1), (1, 1)])), (1, 2));
    // Only excluded answers: no rate.
    let mut none = Tally::new();
    add_answers(&mut none, "Q", 0, 12);
    let result = score(&Model::new(Node::item("Q", ItemRule::top2_of_5())), &none);
    assert_eq!((result.rate, result.ci95, result.valid_n), (None, None, 0));
}

#[test]
fn weights_renormalise_over_answered_children() {
    let mut tally = Tally::new();
    put_rate(&mut tally, "A", 80, 100);
    put_rate(&mut tally, "C", 40, 100);
    let root = Node::group(
        "G",
        vec![
            Node::item("A", ItemRule::top2_of_5()),
            Node::item("B", ItemRule::top2_of_5()).with_weight(5.0),
            Node::item("C", ItemRule::top2_of_5()).with_weight(3.0),
        ],
    );
    let result = score(&Model::new(root), &tally);
    // B unanswered: (1·80 + 3·40) / 4 = 50, not / 9.
    assert!(close(result.rate.unwrap_or(0.0), 50.0));
    assert_eq!(rate_of(&result, "B"), None);
    // Zero / invalid weights are skipped; nothing left -> None.
    assert_eq!(
        weighted_mean(&[(Some(10.0), 0.0), (Some(30.0), 1.0)]),
        Some(30.0)
    );
    assert_eq!(weighted_mean(&[(Some(10.0), f64::NAN), (None, 1.0)]), None);
    assert_eq!(mean(&[]), None);
    assert_eq!(
        weighted_mean(&[(Some(1.0), f64::MAX), (Some(2.0), f64::MAX)]),
        None
    );
    let empty = score(&Model::new(Node::group("E", vec![])), &tally);
    assert_eq!(
        (empty.rate, empty.valid_n, empty.low_sample),
        (None, 0, true)
    );
}

#[test]
fn pooled_counts_and_group_fields() {
    let mut tally = Tally::new();
    put_rate(&mut tally, "A", 9, 10);
    put_rate(&mut tally, "B", 10, 90);
    let root = Node::group("G", single_items(&["A", "B"]));
    let mut model = Model::new(root);
    let mean_result = score(&model, &tally);
    assert!(close(
        mean_result.rate.unwrap_or(0.0),
        (90.0 + 100.0 / 9.0) / 2.0
    ));
    model.method = GroupMethod::PooledCounts;
    let pooled = score(&model, &tally);
    assert!(close(pooled.rate.unwrap_or(0.0), 19.0));
    // Groups: max valid_n below, no satisfied_n, no interval.
    assert_eq!(
        (pooled.valid_n, pooled.satisfied_n, pooled.ci95),
        (90, 0, None)
    );
    assert!(!pooled.low_sample);
    assert_eq!(pooled.find("A").map(|n| n.low_sample), Some(true));
    let ci = pooled.find("A").and_then(|n| n.ci95).unwrap_or((0.0, 0.0));
    assert!(ci.0 > 50.0 && ci.1 < 100.0 && ci.0 < 90.0 && ci.1 > 90.0);
}

#[test]
fn wilson_interval() {
    assert_eq!(wilson(0, 0, Z95), None);
    assert_eq!(wilson(5, 4, Z95), None);
    let (lo, hi) = wilson(7, 7, Z95).unwrap_or((0.0, 0.0));
    assert_eq!(hi, 1.0);
    assert!(lo > 0.5 && lo < 1.0);
    assert_eq!(wilson(0, 7, Z95).map(|w| w.0), Some(0.0));
    // Reference values for 8/10.
    let (lo, hi) = wilson(8, 10, Z95).unwrap_or((0.0, 0.0));
    assert!((lo - 0.490_162).abs() < 1e-6 && (hi - 0.943_318).abs() < 1e-6);
}

#[test]
fn ranking_ties_on_two_decimals() {
    let entries = vec![
        ("a", Some(90.0)),
        ("b", Some(85.004)),
        ("c", Some(85.0)),
        ("d", Some(80.0)),
    ];
    let ranked = rank(&entries, 2);
    assert_eq!(
        ranked,
        vec![
            ("a", Some(1)),
            ("b", Some(2)),
            ("c", Some(2)),
            ("d", Some(4))
        ]
    );
    // At 3 decimals they differ.
    assert_eq!(rank(&entries, 3)[2], ("c", Some(3)));
}

#[test]
fn ranking_none_last_and_stable() {
    let entries = vec![
        ("x", None),
        ("y", Some(70.0)),
        ("z", Some(90.0)),
        ("w", Some(f64::NAN)),
        ("v", Some(70.001)),
    ];
    let ranked = rank(&entries, 2);
    assert_eq!(
        ranked,
        vec![
            ("z", Some(1)),
            ("y", Some(2)),
            ("v", Some(2)),
            ("x", None),
            ("w", None)
        ]
    );
    assert!(rank::<&str>(&[], 2).is_empty());
}

#[test]
fn round_display_half_away_from_zero() {
    assert_eq!(round_display(80.675, 2), 80.68);
    assert_eq!(round_display(1.005, 2), 1.01);
    assert_eq!(round_display(-1.005, 2), -1.01);
    assert_eq!(round_display(2.5, 0), 3.0);
    assert_eq!(round_display(-2.5, 0), -3.0);
    assert_eq!(round_display(0.125, 2), 0.13);
    assert_eq!(round_display(83.4333, 2), 83.43);
    assert_eq!(round_display(-0.001, 2), 0.0);
    assert_eq!(round_display(100.0, 2), 100.0);
    assert_eq!(round_display(1e20, 2), 1e20);
    assert!(round_display(f64::NAN, 2).is_nan());
}

#[test]
fn change_and_compare() {
    let c = change(Some(86.5), Some(83.57));
    assert!(close(c.delta.unwrap_or(0.0), 2.93));
    assert_eq!(change(Some(1.0), None).delta, None);
    assert_eq!(change(None, Some(1.0)).delta, None);

    let mut now = Tally::new();
    put_rate(&mut now, "A", 9, 10);
    put_rate(&mut now, "B", 5, 10);
    let mut before = Tally::new();
    put_rate(&mut before, "A", 8, 10);
    put_rate(&mut before, "OLD", 1, 10);
    let cur = score(
        &Model::new(Node::group("R", single_items(&["A", "B"]))),
        &now,
    );
    let prev = score(
        &Model::new(Node::group("R", single_items(&["A", "OLD"]))),
        &before,
    );
    let diff = compare(&cur, &prev);
    let codes: Vec<&str> = diff.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(codes, vec!["R", "A", "B", "OLD"]);
    assert!(close(diff[1].1.delta.unwrap_or(0.0), 10.0));
    assert_eq!(diff[2].1, change(Some(50.0), None));
    assert_eq!(diff[3].1, change(None, Some(10.0)));
    assert!(close(diff[0].1.delta.unwrap_or(0.0), 70.0 - 45.0));
}

#[test]
fn distribution_shares() {
    // N5 harassment: 1 none, 2 some, 3 many; 0 = no answer (ignored).
    let d = distribution(
        "N5",
        &counts(&[(0, 7), (1, 90), (2, 9), (3, 1)]),
        &[1, 2, 3, 3],
    );
    assert_eq!(d.n, 100);
    assert_eq!(d.shares, vec![(1, 90, 90.0), (2, 9, 9.0), (3, 1, 1.0)]);
    let empty = distribution("E1", &OptionCounts::new(), &[1, 2]);
    assert_eq!((empty.n, empty.shares), (0, vec![(1, 0, 0.0), (2, 0, 0.0)]));
}

#[test]
fn merge_adds_counts() {
    let mut a = Tally::new();
    add_answers(&mut a, "Q", 5, 3);
    let mut b = Tally::new();
    add_answers(&mut b, "Q", 5, 2);
    add_answers(&mut b, "Q", 1, 1);
    add_answers(&mut b, "R", 4, 7);
    merge(&mut a, &b);
    assert_eq!(a.get("Q"), Some(&counts(&[(1, 1), (5, 5)])));
    assert_eq!(a.get("R"), Some(&counts(&[(4, 7)])));
}

#[test]
fn node_helpers_and_model_defaults() {
    let node = Node::group("G", single_items(&["A"]));
    assert_eq!(node.code(), "G");
    assert_eq!(node.weight(), 1.0);
    let model = Model::new(node);
    assert_eq!(model.method, GroupMethod::MeanOfChildren);
    assert_eq!(model.low_sample_n, 30);
}

// ---- property tests -------------------------------------------------

/// Groups of items with their weights; codes are G{i} and I{i}-{j}.
fn arb_shape() -> impl Strategy<Value = Vec<(f64, Vec<f64>)>> {
    prop::collection::vec(
        (0.1f64..10.0, prop::collection::vec(0.1f64..10.0, 1..4)),
        1..4,
    )
}

fn build_model(shape: &[(f64, Vec<f64>)], method: GroupMethod) -> (Model, Vec<String>) {
    let mut codes = Vec::new();
    let groups = shape
        .iter()
        .enumerate()
        .map(|(i, (gw, items))| {
            let children = items
                .iter()
                .enumerate()
                .map(|(j, w)| {
                    let code = format!("I{i}-{j}");
                    codes.push(code.clone());
                    Node::item(code, ItemRule::top2_of_5()).with_weight(*w)
                })
                .collect();
            Node::group(format!("G{i}"), children).with_weight(*gw)
        })
        .collect();
    let mut model = Model::new(Node::group("ROOT", groups));
    model.method = method;
    (model, codes)
}

/// Responses as (item index, answer value); values outside 1..=5 are
/// excluded answers.
fn arb_responses() -> impl Strategy<Value = Vec<(usize, i32)>> {
    prop::collection::vec((0usize..12, -1i32..=7), 0..200)
}

fn tally_of(codes: &[String], responses: &[(usize, i32)]) -> Tally {
    let mut tally = Tally::new();
    for (i, v) in responses {
        add_response(&mut tally, &codes[i % codes.len()], *v);
    }
    tally
}

fn arb_method() -> impl Strategy<Value = GroupMethod> {
    prop_oneof![
        Just(GroupMethod::MeanOfChildren),
        Just(GroupMethod::PooledCounts)
    ]
}

proptest! {
    #[test]
    fn rates_stay_within_0_and_100(
        shape in arb_shape(), method in arb_method(), responses in arb_responses(),
    ) {
        let (model, codes) = build_model(&shape, method);
        let result = score(&model, &tally_of(&codes, &responses));
        for node in result.flatten() {
            if let Some(r) = node.rate {
                prop_assert!((0.0..=100.0).contains(&r), "{} = {}", node.code, r);
            }
            if let Some((lo, hi)) = node.ci95 {
                prop_assert!(0.0 <= lo && lo <= hi && hi <= 100.0);
            }
        }
    }

    #[test]
    fn one_more_satisfied_answer_never_lowers_a_rate(
        shape in arb_shape(), responses in arb_responses(), pick in any::<prop::sample::Index>(),
    ) {
        let (model, codes) = build_model(&shape, GroupMethod::MeanOfChildren);
        let mut tally = tally_of(&codes, &responses);
        let before = score(&model, &tally);
        let item = pick.get(&codes).clone();
        add_response(&mut tally, &item, 5);
        let after = score(&model, &tally);
        let group = item.split('-').next().unwrap_or("").replacen('I', "G", 1);
        for code in [item.as_str(), group.as_str(), "ROOT"] {
            let old = rate_of(&before, code);
            let new = rate_of(&after, code);
            prop_assert!(new.is_some(), "{} lost its rate", code);
            if let (Some(o), Some(n)) = (old, new) {
                prop_assert!(n >= o - 1e-9, "{}: {} -> {}", code, o, n);
            }
        }
    }

    #[test]
    fn roll_up_of_a_single_child_equals_the_child(
        shape in arb_shape(), method in arb_method(), responses in arb_responses(),
    ) {
        let (model, codes) = build_model(&shape, method);
        let child = tally_of(&codes, &responses);
        let mut parent = Tally::new();
        merge(&mut parent, &child);
        prop_assert_eq!(&parent, &child);
        prop_assert_eq!(score(&model, &parent), score(&model, &child));
    }

    #[test]
    fn roll_up_equals_pooled_responses(
        shape in arb_shape(), a in arb_responses(), b in arb_responses(),
    ) {
        let (model, codes) = build_model(&shape, GroupMethod::MeanOfChildren);
        let mut parent = tally_of(&codes, &a);
        merge(&mut parent, &tally_of(&codes, &b));
        let all: Vec<(usize, i32)> = a.iter().chain(&b).copied().collect();
        prop_assert_eq!(score(&model, &parent), score(&model, &tally_of(&codes, &all)));
    }

    #[test]
    fn response_order_does_not_matter(
        (responses, shuffled) in arb_responses()
            .prop_flat_map(|r| (Just(r.clone()), Just(r).prop_shuffle())),
        shape in arb_shape(), method in arb_method(),
    ) {
        let (model, codes) = build_model(&shape, method);
        prop_assert_eq!(
            score(&model, &tally_of(&codes, &responses)),
            score(&model, &tally_of(&codes, &shuffled))
        );
    }
}

#[test]
fn unmerge_takes_back_what_merge_added() {
    let mut a = Tally::new();
    add_answers(&mut a, "A1", 5, 3);
    add_answers(&mut a, "A1", 1, 2);
    let mut b = Tally::new();
    add_answers(&mut b, "A1", 5, 1);
    add_answers(&mut b, "B1", 4, 7);
    let mut pooled = a.clone();
    merge(&mut pooled, &b);
    unmerge(&mut pooled, &b);
    assert_eq!(pooled, a, "no zero counts or empty items left behind");
    unmerge(&mut pooled, &a);
    assert!(pooled.is_empty());
}
