use super::*;

fn template(file: &str) -> Template {
    let src = std::fs::read_to_string(format!(
        "{}/survey-templates/{file}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("template file");
    Template::parse(file, &src).expect("valid")
}

fn at(question: usize, error: KeyError) -> Located {
    Located { question, error }
}

/// One key group per keyed question of sipas-2023, from `key(code)`.
fn sipas_keys(t: &Template, key: impl Fn(&str) -> &'static str) -> String {
    keyed_items(t)
        .iter()
        .map(|i| key(&i.code))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn one_key_per_question_in_printed_order() {
    let t = template("hn-mau-02.toml");
    assert_eq!(keyed_items(&t).len(), 12);
    let pairs = parse_keys(&t, "5454 45 345 . 3 .").expect("keys");
    assert_eq!(pairs[0], ("CC1".to_string(), "5".to_string()));
    assert_eq!(pairs.len(), 10, "“.” leaves GIOI_TINH and HOC_VAN blank");
    assert_eq!(pairs[9], ("DO_TUOI".to_string(), "3".to_string()));
}

#[test]
fn a_dropped_or_doubled_key_is_refused_where_it_stops() {
    let t = template("hn-mau-02.toml");
    // The third key dropped: everything after it would have moved up one.
    assert_eq!(
        parse_keys(&t, "54445345.3."),
        Err(vec![
            at(9, KeyError::Required),
            at(10, KeyError::NotAnOption(3)),
            at(12, KeyError::Short { missing: 1 })
        ])
    );
    assert_eq!(
        parse_keys(&t, "54544"),
        Err(vec![at(6, KeyError::Short { missing: 7 })])
    );
    assert_eq!(
        parse_keys(&t, ""),
        Err(vec![at(1, KeyError::Short { missing: 12 })])
    );
    assert_eq!(
        parse_keys(&t, "545445345.3.12"),
        Err(vec![at(12, KeyError::Long { extra: 2 })])
    );
}

#[test]
fn every_error_is_listed_in_question_order() {
    let t = template("hn-mau-02.toml");
    assert_eq!(
        parse_keys(&t, ".x9445345-3"),
        Err(vec![
            at(1, KeyError::Required),
            at(2, KeyError::NotAKey('x')),
            at(3, KeyError::NotAnOption(9)),
            at(10, KeyError::NotAKey('-')),
            at(12, KeyError::Short { missing: 1 }),
        ])
    );
    assert_eq!(
        parse_keys(&t, "5+4 54453451 . 3 9 1"),
        Err(vec![
            at(1, KeyError::OneAnswer),
            at(12, KeyError::NotAnOption(9)),
            at(12, KeyError::Long { extra: 1 }),
        ])
    );
}

#[test]
fn several_ticks_are_one_group_joined_by_plus() {
    assert_eq!(typed_groups("3 1+3+6 2 +"), ["3", "1+3+6", "2+"]);
    assert_eq!(classify("1+3+6"), Group::Digits(vec![1, 3, 6]));
    assert_eq!(classify("1+"), Group::BadJoin);
    assert_eq!(classify("1++3"), Group::BadJoin);
    assert_eq!(classify("+"), Group::BadJoin);
    assert_eq!(classify("1+x"), Group::NotAKey('x'));
    assert_eq!(classify("."), Group::NoAnswer);

    let t = template("sipas-2023.toml");
    // Every question but the free-text comment.
    assert_eq!(keyed_items(&t).len(), 69);
    let keys = sipas_keys(&t, |code| match code {
        "N2" => "1+3+6",
        "N4" => "2+4",
        "N8-3" => "1",
        c if c.starts_with('N') => "2",
        _ => "1",
    });
    let pairs = parse_keys(&t, &keys).expect("keys");
    let n2: Vec<&str> = pairs
        .iter()
        .filter(|(c, _)| c == "N2")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(n2, ["1", "3", "6"]);
    assert!(pairs.iter().any(|(c, v)| c == "S-TC1" && v == "1"));
    // "." on a multiple-choice question counts one question, like any other.
    let keys = keys.replacen("2+4", ".", 1);
    assert_eq!(parse_keys(&t, &keys), Err(vec![at(4, KeyError::Required)]));
}

#[test]
fn skipped_questions_take_the_no_answer_key() {
    let t = template("sipas-2023.toml");
    let svc = |code: &str| code.starts_with("S-");
    let first_svc = keyed_items(&t)
        .iter()
        .position(|i| svc(&i.code))
        .expect("SVC")
        + 1;
    // N8-3 = 2 (no procedure handled): the SVC questions are keyed ".".
    let keys = sipas_keys(&t, |code| match code {
        "N8-3" => "2",
        c if c.starts_with("S-") => ".",
        "N2" | "N4" => "1",
        _ => "2",
    });
    let pairs = parse_keys(&t, &keys).expect("keys");
    assert!(!pairs.iter().any(|(c, _)| svc(c)));
    // Answers typed on them are refused: the entry is probably out of step.
    let keys = sipas_keys(&t, |code| match code {
        "N8-3" => "2",
        "S-TC1" => "4",
        c if c.starts_with("S-") => ".",
        _ => "1",
    });
    assert_eq!(
        parse_keys(&t, &keys),
        Err(vec![at(
            first_svc,
            KeyError::Skipped { through: first_svc }
        )])
    );
    // A run of them is one error.
    let keys = sipas_keys(&t, |code| match code {
        "N8-3" => "2",
        "S-TC1" | "S-TC3" | "S-TT1" | "S-TT2" => "4",
        c if c.starts_with("S-") => ".",
        _ => "1",
    });
    assert_eq!(
        parse_keys(&t, &keys),
        Err(vec![
            at(first_svc, KeyError::Skipped { through: first_svc }),
            at(
                first_svc + 2,
                KeyError::Skipped {
                    through: first_svc + 4
                }
            ),
        ])
    );
    // When N8-3 is itself wrong, whether SVC applies is unknown: only N8-3 is reported.
    let n83 = keyed_items(&t)
        .iter()
        .position(|i| i.code == "N8-3")
        .expect("N8-3")
        + 1;
    let keys = sipas_keys(&t, |code| match code {
        "N8-3" => "7",
        _ => "1",
    });
    assert_eq!(
        parse_keys(&t, &keys),
        Err(vec![at(n83, KeyError::NotAnOption(7))])
    );
}
