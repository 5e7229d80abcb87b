use super::*;

fn named(pairs: &[(&str, &str, &str)]) -> HashMap<String, Named> {
    pairs
        .iter()
        .map(|(code, id, name)| {
            (
                code.to_string(),
                Named {
                    id: id.to_string(),
                    name: name.to_string(),
                },
            )
        })
        .collect()
}

fn row(new: &str, old: &str, kind: &str, share: &str) -> LinkRow {
    LinkRow {
        new_code: new.into(),
        old_code: old.into(),
        kind: kind.into(),
        share: share.into(),
        note: String::new(),
    }
}

fn trees() -> (HashMap<String, Named>, HashMap<String, Named>) {
    let before = named(&[
        ("00004", "old-trucbach", "Phường Trúc Bạch"),
        ("00013", "old-quanthanh", "Phường Quán Thánh"),
        ("00016", "old-ngocha", "Phường Ngọc Hà"),
    ]);
    let after = named(&[
        ("00004", "new-badinh", "Phường Ba Đình"),
        ("00008", "new-ngocha", "Phường Ngọc Hà"),
        ("00025", "new-giangvo", "Phường Giảng Võ"),
    ]);
    (before, after)
}

fn plan(rows: Vec<LinkRow>) -> Result<Vec<Link>, Vec<RowError>> {
    let (before, after) = trees();
    let sides = Sides {
        day: "2025-07-01".parse().unwrap(),
        before: &before,
        after: &after,
    };
    let rows: Vec<(u64, LinkRow)> = rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| (i as u64 + 2, r))
        .collect();
    plan_links(&rows, &sides)
}

fn weight(w: &HashMap<String, Vec<(String, f64)>>, new: &str, old: &str) -> f64 {
    w[new]
        .iter()
        .find(|(o, _)| o == old)
        .map(|(_, w)| *w)
        .unwrap()
}

#[test]
fn a_reused_code_resolves_on_its_own_side() {
    let links = plan(vec![row("00004", "00004", "full", "")]).unwrap();
    assert_eq!(links[0].new_id, "new-badinh");
    assert_eq!(links[0].old_id, "old-trucbach");
}

#[test]
fn an_old_unit_split_without_shares_is_split_equally() {
    let links = plan(vec![
        row("00004", "00016", "partial", ""),
        row("00008", "00016", "partial", ""),
        row("00025", "00016", "partial", ""),
    ])
    .unwrap();
    let w = weights(&links);
    for new in ["new-badinh", "new-ngocha", "new-giangvo"] {
        assert!((weight(&w, new, "old-ngocha") - 1.0 / 3.0).abs() < 1e-12);
    }
}

#[test]
fn given_shares_are_kept_and_the_rest_is_split() {
    let links = plan(vec![
        row("00004", "00016", "part", "0,5"),
        row("00008", "00016", "part", ""),
        row("00025", "00016", "part", ""),
    ])
    .unwrap();
    let w = weights(&links);
    assert_eq!(weight(&w, "new-badinh", "old-ngocha"), 0.5);
    assert_eq!(weight(&w, "new-ngocha", "old-ngocha"), 0.25);
}

#[test]
fn a_whole_population_leaves_nothing_for_the_parts_of_area() {
    let links = plan(vec![
        row("00004", "00013", "partial", ""),
        row("00008", "00013", "full", ""),
    ])
    .unwrap();
    let w = weights(&links);
    assert_eq!(weight(&w, "new-ngocha", "old-quanthanh"), 1.0);
    assert_eq!(weight(&w, "new-badinh", "old-quanthanh"), 0.0);
}

#[test]
fn refusals_carry_their_lines() {
    let errs = plan(vec![
        row("00004", "00004", "full", ""),
        row("99999", "00013", "full", ""),
        row("00008", "00008", "part", ""),
        row("00025", "00016", "part", "0.7"),
        row("00008", "00016", "part", "40%"),
        row("00004", "00013", "maybe", ""),
    ])
    .unwrap_err();
    let lines: Vec<u64> = errs.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![3, 4, 6, 7], "{errs:?}");
    assert!(errs[0].message.contains("99999"));
    assert!(
        errs[1].message.contains("wrong tree"),
        "{}",
        errs[1].message
    );
    assert!(
        errs[2].message.contains("more than 1"),
        "{}",
        errs[2].message
    );
    assert!(errs[3].message.contains("maybe"));
}

#[test]
fn backward_weights_divide_a_new_unit_among_its_predecessors() {
    let links = plan(vec![
        row("00004", "00004", "full", ""),
        row("00004", "00016", "part", "0.5"),
        row("00008", "00016", "part", "0.5"),
    ])
    .unwrap();
    let back = backward_weights(&links);
    let w = |old: &str, new: &str| back[old].iter().find(|(n, _)| n == new).unwrap().1;
    assert!((w("old-trucbach", "new-badinh") - 2.0 / 3.0).abs() < 1e-12);
    assert!((w("old-ngocha", "new-badinh") - 1.0 / 3.0).abs() < 1e-12);
    assert_eq!(w("old-ngocha", "new-ngocha"), 1.0);
}
