//! Unit tests of template parsing, validation and the shipped templates.
use super::parse::parse_condition;
use super::*;

const MINI: &str = r#"
key = "mini"
title = { vi = "Phiếu thử", en = "Test form" }
audience = "citizen"

[scales.sat5]
kind = "ordinal"
options = [
  { value = 1, vi = "Rất không hài lòng" },
  { value = 2, vi = "Không hài lòng" },
  { value = 3, vi = "Bình thường" },
  { value = 4, vi = "Hài lòng" },
  { value = 5, vi = "Rất hài lòng" },
]

[[sections]]
code = "CC"
title = { vi = "Công chức" }

[[items]]
code = "CC1"
section = "CC"
scale = "sat5"
text = { vi = "Công chức lịch sự" }
"#;

#[test]
fn parses_a_minimal_template() {
    let t = Template::parse("mini.toml", MINI).expect("valid");
    assert_eq!(t.key, "mini");
    assert_eq!(t.scales["sat5"].satisfied, vec![4, 5]);
    assert!(t.is_scored(&t.items[0]));
    assert_eq!(t.content_hash.len(), 64);
}

#[test]
fn reports_unknown_scale_with_line_and_field() {
    let bad = MINI.replace("scale = \"sat5\"", "scale = \"sat7\"");
    let errs = Template::parse("mini.toml", &bad).unwrap_err();
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].line, 23);
    assert!(errs[0].field.starts_with("items[0].scale"));
    assert!(errs[0].message.contains("sat7"));
}

#[test]
fn reports_duplicate_codes_and_bad_conditions() {
    let bad = format!(
        "{MINI}\n[[items]]\ncode = \"CC1\"\nsection = \"CC\"\nscale = \"sat5\"\ntext = {{ vi = \"x\" }}\nask_if = \"ZZ = 1\"\n"
    );
    let errs = Template::parse("mini.toml", &bad).unwrap_err();
    assert!(errs
        .iter()
        .any(|e| e.message.contains("duplicate code CC1")));
    assert!(errs
        .iter()
        .any(|e| e.field.contains("ask_if") && e.message.contains("ZZ")));
}

#[test]
fn syntax_errors_carry_a_line() {
    let errs = Template::parse("x.toml", "key = \"a\"\ntitle = {").unwrap_err();
    assert_eq!(errs[0].line, 2);
}

#[test]
fn conditions_parse() {
    assert_eq!(
        parse_condition("N8 in [1, 2]"),
        Some(Condition {
            item: "N8".into(),
            values: vec![1, 2]
        })
    );
    assert_eq!(parse_condition("N8 = 1").map(|c| c.values), Some(vec![1]));
    assert_eq!(parse_condition("N8 ~ 1"), None);
}

// ---- validation of the extended format -------------------------------------

fn with_weights(mode: &str, w1: &str, w2: &str) -> String {
    format!(
        r#"key = "w"
title = {{ vi = "Trọng số", en = "Weights" }}
audience = "citizen"
weights = "{mode}"

[scales.sat5]
kind = "ordinal"
options = [
  {{ value = 1, vi = "1" }}, {{ value = 2, vi = "2" }}, {{ value = 3, vi = "3" }},
  {{ value = 4, vi = "4" }}, {{ value = 5, vi = "5" }},
]

[[sections]]
code = "POL"
title = {{ vi = "Chính sách" }}
{w1}

[[sections]]
code = "SVC"
title = {{ vi = "Dịch vụ" }}
{w2}

[[items]]
code = "P1"
section = "POL"
scale = "sat5"
text = {{ vi = "p" }}

[[items]]
code = "S1"
section = "SVC"
scale = "sat5"
text = {{ vi = "s" }}
"#
    )
}

#[test]
fn fraction_weights_must_sum_to_one() {
    let ok = with_weights("fractions", "weight = 0.6", "weight = 0.4");
    let t = Template::parse("w.toml", &ok).expect("valid");
    assert_eq!(t.weights, WeightMode::Fractions);

    let bad = with_weights("fractions", "weight = 0.6", "weight = 0.5");
    let errs = Template::parse("w.toml", &bad).unwrap_err();
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].field, "sections[0].weight");
    assert_eq!(errs[0].line, 16, "the line of the first weight");
    assert!(errs[0].message.contains("sum to 1.1"), "{}", errs[0]);

    let partial = with_weights("fractions", "weight = 0.6", "");
    let errs = Template::parse("w.toml", &partial).unwrap_err();
    assert!(errs[0].field == "sections[1].weight" && errs[0].message.contains("must too"));

    // Relative weights need not sum to anything; unstated siblings share equally.
    assert!(Template::parse("w.toml", &with_weights("relative", "weight = 3", "")).is_ok());
    assert!(Template::parse("w.toml", &with_weights("fractions", "", "")).is_ok());
    // Still positive in every mode.
    let errs = Template::parse("w.toml", &with_weights("relative", "weight = -1", "")).unwrap_err();
    assert!(errs[0].message.contains("positive"));
}

#[test]
fn every_issue_error_is_reported_with_file_line_and_field() {
    let bad = MINI
        .replace("scale = \"sat5\"", "scale = \"sat9\"")
        .replace(
            "title = { vi = \"Công chức\" }\n",
            "title = { vi = \"Công chức\" }\n\n[[sections]]\ncode = \"CC\"\ntitle = { vi = \"Lặp\" }\n",
        )
        + "\n[[items]]\ncode = \"CC2\"\nsection = \"CC\"\nscale = \"sat5\"\ntext = { vi = \"x\" }\nask_if = \"N8 = 1\"\n";
    let errs = Template::parse("bad.toml", &bad).unwrap_err();
    let text: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
    let has = |needle: &str| text.iter().any(|t| t.contains(needle));
    assert!(
        has("bad.toml:27: items[0].scale (CC1): unknown scale sat9"),
        "{text:?}"
    );
    assert!(has("sections[1].code: duplicate code CC"), "{text:?}");
    assert!(
        has("items[1].ask_if (CC2): names N8, which is not an earlier item"),
        "{text:?}"
    );
}

#[test]
fn satisfied_defaults_to_the_two_highest_levels() {
    let t = Template::parse(
        "x.toml",
        &MINI.replace(
            "  { value = 5, vi = \"Rất hài lòng\" },\n",
            "  { value = 5, vi = \"Rất hài lòng\" },\n  { value = 9, vi = \"Không biết\", excluded = true },\n",
        ),
    )
    .expect("valid");
    assert_eq!(t.scales["sat5"].satisfied, vec![4, 5]);
    assert_eq!(t.aggregation, Aggregation::Mean);
    assert_eq!(t.rollup, Rollup::Counts);
    assert_eq!(t.decimals, 2);
}

#[test]
fn points_settings_are_checked() {
    let par = std::fs::read_to_string(shipped("par-2025.toml")).expect("read");
    let bad = par.replacen("max_points = 2.75", "max_points = -2", 1);
    let errs = Template::parse("par.toml", &bad).unwrap_err();
    assert!(errs[0].field == "sections[0].max_points", "{errs:?}");
    let bad = par.replacen(
        "{ value = 1, vi = \"Rất kém\", en = \"Very poor\" }",
        "{ value = 1, vi = \"Rất kém\", en = \"Very poor\", points = 0.1 }",
        1,
    );
    let errs = Template::parse("par.toml", &bad).unwrap_err();
    assert!(errs[0].message.contains("every valid option"), "{errs:?}");
}

// ---- golden figures through the shipped templates ---------------------------

fn shipped(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("survey-templates")
        .join(name)
}

fn load(name: &str) -> Template {
    let path = shipped(name);
    let source = std::fs::read_to_string(&path).expect("read template");
    Template::parse(name, &source).unwrap_or_else(|e| panic!("{e:?}"))
}

/// Gives every scored item of `section` `satisfied` answers of 5 and
/// `valid - satisfied` answers of 2.
fn fill(t: &Template, tally: &mut Tally, section: &str, satisfied: u64, valid: u64) {
    for item in t.items.iter().filter(|i| i.section == section) {
        assert!(t.is_scored(item), "{} is scored", item.code);
        let counts = tally.entry(item.code.to_string()).or_default();
        counts.insert(5, satisfied);
        counts.insert(2, valid - satisfied);
    }
}

use crate::domain::scoring::{round_display, score, Tally};

#[test]
fn sipas_2023_reproduces_the_worked_commune_of_4_4() {
    let t = load("sipas-2023.toml");
    let mut tally = Tally::new();
    // SVC-TC from the table of §4.4 (120 respondents with N8 = Có).
    for (code, counts) in [
        ("S-TC1", [2, 4, 14, 60, 40]),
        ("S-TC2", [1, 5, 20, 58, 36]),
        ("S-TC3", [0, 3, 17, 62, 38]),
    ] {
        let c = tally.entry(code.to_string()).or_default();
        for (i, n) in counts.into_iter().enumerate() {
            c.insert(i as i32 + 1, n);
        }
        // The other 180 households skipped SVC; "không biết" never counts either.
        c.insert(9, 7);
    }
    fill(&t, &mut tally, "SVC-TT", 85, 100);
    fill(&t, &mut tally, "SVC-CC", 88, 100);
    fill(&t, &mut tally, "SVC-KQ", 173, 200);
    fill(&t, &mut tally, "SVC-PA", 76, 100);
    fill(&t, &mut tally, "POL-A", 801, 1000);
    fill(&t, &mut tally, "POL-B", 724, 1000);
    fill(&t, &mut tally, "POL-C", 84, 100);
    fill(&t, &mut tally, "POL-D", 862, 1000);
    let r = score(&t.scoring_model(), &tally);
    let shown = |code: &str| round_display(r.find(code).and_then(|n| n.rate).expect(code), 2);
    assert_eq!(shown("S-TC1"), 83.33);
    assert_eq!(shown("S-TC2"), 78.33);
    assert_eq!(shown("SVC-TC"), 81.67);
    assert_eq!(shown("SVC"), 83.43);
    assert_eq!(shown("POL"), 80.68);
    assert_eq!(round_display(r.rate.expect("SIPAS"), 2), 82.05);
    assert_eq!(r.code, "OVERALL");
    assert_eq!(
        r.children.len(),
        2,
        "POL and SVC only: N, E and A are not scored"
    );
    // 10 points of the PAR Index, linearly (§4.4), as the template says.
    assert_eq!(t.index_points, Some(10.0));
    let points = crate::domain::scoring::sipas_points(r.rate, 10.0).expect("points");
    assert_eq!(round_display(points, 2), 8.21);
}

#[test]
fn sipas_2017_reproduces_84_20() {
    let t = load("sipas-2017.toml");
    let mut tally = Tally::new();
    for (code, sat) in [
        ("TC", 852),
        ("TT", 834),
        ("CC", 869),
        ("KQ", 875),
        ("PA", 780),
    ] {
        fill(&t, &mut tally, code, sat, 1000);
    }
    let r = score(&t.scoring_model(), &tally);
    assert_eq!(r.children.len(), 5);
    assert_eq!(
        t.items.iter().filter(|i| t.is_scored(i)).count(),
        22,
        "22 criteria"
    );
    assert_eq!(round_display(r.rate.expect("SIPAS"), 2), 84.20);
}

#[test]
fn sipas_2023_reproduces_ha_noi_2024() {
    let t = load("sipas-2023.toml");
    let mut tally = Tally::new();
    for s in ["POL-A", "POL-B", "POL-C", "POL-D"] {
        fill(&t, &mut tally, s, 8651, 10000);
    }
    for s in ["SVC-TC", "SVC-TT", "SVC-CC", "SVC-KQ", "SVC-PA"] {
        fill(&t, &mut tally, s, 8649, 10000);
    }
    let r = score(&t.scoring_model(), &tally);
    assert_eq!(
        round_display(r.find("POL").and_then(|n| n.rate).expect("POL"), 2),
        86.51
    );
    assert_eq!(
        round_display(r.find("SVC").and_then(|n| n.rate).expect("SVC"), 2),
        86.49
    );
    assert_eq!(round_display(r.rate.expect("SIPAS"), 2), 86.50);
}

#[test]
fn sample_size_of_4_5() {
    assert_eq!(crate::domain::sampling::sample_size(12_000, 0.05), 388);
}

#[test]
fn shipped_templates_have_the_methodology_shape() {
    let t = load("sipas-2023.toml");
    let scored = t.items.iter().filter(|i| t.is_scored(i)).count();
    assert_eq!(scored, 39, "the 39 items of §3.4");
    let svc: Vec<&Item> = t
        .items
        .iter()
        .filter(|i| i.section.starts_with("SVC-"))
        .collect();
    assert_eq!(svc.len(), 16);
    assert!(svc.iter().all(|i| i.ask_if
        == Some(Condition {
            item: "N8-3".into(),
            values: vec![1]
        })));
    let expectations = t
        .items
        .iter()
        .filter(|i| i.section == "E" && i.scale == "wish4");
    assert_eq!(expectations.count(), 10);
    assert_eq!(t.scales["wish4"].options.len(), 4);
    assert_eq!(t.scales["fit4"].satisfied, vec![3, 4]);

    let par = load("par-2025.toml");
    assert_eq!(par.audience, Audience::Manager);
    let fields = par.points_fields();
    assert_eq!(fields.len(), 8);
    let total: f64 = fields
        .iter()
        .flat_map(|(_, items)| items.iter().map(|(_, m)| m.max_points))
        .sum();
    assert!((total - 22.0).abs() < 1e-9);
    // Linear mapping: "Trung bình" (3 of 5) earns half the points.
    let (_, items) = &fields[0];
    let map = &items[0].1;
    assert!(map.shares.contains(&(3, 0.5)) && !map.shares.iter().any(|s| s.0 == 9));
}

#[test]
fn a_skip_condition_must_use_an_option_of_its_item() {
    let bad = format!(
        "{MINI}\n[[items]]\ncode = \"CC2\"\nsection = \"CC\"\nscale = \"sat5\"\ntext = {{ vi = \"x\" }}\nask_if = \"CC1 in [4, 7]\"\n"
    );
    let errs = Template::parse("mini.toml", &bad).unwrap_err();
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(
        errs[0].to_string(),
        "mini.toml:31: items[1].ask_if (CC2): 7 is not an option of CC1"
    );
}

#[test]
fn breakdowns_count_the_scored_items_and_the_breakdown_items_only() {
    let t = load("sipas-2023.toml");
    let scope = t.breakdown_scope();
    assert_eq!(scope.dims, ["GIOI_TINH", "DO_TUOI", "HOC_VAN"]);
    for dim in &scope.dims {
        assert!(scope.counted.contains(dim), "{dim}: a group's size");
    }
    assert!(scope.counted.contains("P-A1") && scope.counted.contains("S-TC1"));
    // Perceptions, expectations and free text are published per unit, not per group.
    for other in ["N1", "N2", "E1"] {
        assert!(!scope.counted.contains(other), "{other}");
    }
    let scored = t.items.iter().filter(|i| t.is_scored(i)).count();
    assert_eq!(scope.counted.len(), scored + scope.dims.len());
}

#[test]
fn the_tallies_reserved_option_value_is_refused() {
    let bad = MINI.replace(
        "{ value = 1, vi = \"Rất không hài lòng\" }",
        "{ value = -2147483648, vi = \"Rất không hài lòng\" }",
    );
    assert_ne!(bad, MINI);
    let errs = Template::parse("mini.toml", &bad).unwrap_err();
    assert!(
        errs.iter().any(|e| e.message.contains("reserved")),
        "{errs:?}"
    );
}

#[test]
fn the_time_to_answer_follows_the_questionnaire_length() {
    // Mẫu số 02: a dozen questions; sipas-2023: 69.
    let short = load("hn-mau-02.toml");
    let long = load("sipas-2023.toml");
    assert!(
        short.minutes_to_answer() <= 3,
        "{}",
        short.minutes_to_answer()
    );
    assert!(long.items.len() >= 69, "{}", long.items.len());
    assert!(
        long.minutes_to_answer() >= 9,
        "{}",
        long.minutes_to_answer()
    );
}
