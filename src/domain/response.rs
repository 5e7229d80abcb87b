//! Checking a submitted questionnaire against its template.
use std::collections::{BTreeMap, HashMap};

use super::scoring::ANSWERED;
use super::template::{ItemCode, ScaleKind, Template};

/// One item's answer as it will be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub item_code: String,
    /// Chosen option values (one for single scales, several for multiple choice).
    pub values: Vec<i32>,
    pub text: Option<String>,
    /// A multiple-choice item: its tally also counts the respondent once
    /// (`scoring::ANSWERED`), however many options were ticked.
    pub multiple: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldError {
    Required,
    NotAnOption,
    TooMany(u32),
    TooLong(u32),
}

/// What the respondent sent, grouped by field name, kept to re-fill the form.
pub type Given = HashMap<String, Vec<String>>;

pub fn group_fields(pairs: &[(String, String)]) -> Given {
    let mut given: Given = HashMap::new();
    for (k, v) in pairs {
        given.entry(k.clone()).or_default().push(v.clone());
    }
    given
}

/// Validate every item in template order. Items whose `ask_if` does not hold are
/// skipped: their answers are dropped, never stored. All errors are returned at once.
pub fn validate(
    template: &Template,
    given: &Given,
) -> Result<Vec<Answer>, BTreeMap<ItemCode, FieldError>> {
    let mut answers = Vec::new();
    let mut errors = BTreeMap::new();
    let mut chosen: HashMap<String, Vec<i32>> = HashMap::new();
    for item in &template.items {
        if let Some(cond) = &item.ask_if {
            if !cond.holds(&chosen) {
                continue;
            }
        }
        let scale = template.scale_of(item);
        let raw: Vec<&str> = given
            .get(item.code.as_str())
            .map(|v| {
                v.iter()
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        if raw.is_empty() {
            if item.required {
                errors.insert(item.code.clone(), FieldError::Required);
            }
            continue;
        }
        if scale.kind == ScaleKind::Text {
            let text = raw.join("\n");
            if text.chars().count() > scale.max_length as usize {
                errors.insert(item.code.clone(), FieldError::TooLong(scale.max_length));
                continue;
            }
            answers.push(Answer {
                item_code: item.code.to_string(),
                values: Vec::new(),
                text: Some(text),
                multiple: false,
            });
            continue;
        }
        let mut values = Vec::new();
        let mut bad = false;
        for r in &raw {
            match r.parse::<i32>().ok().filter(|v| scale.option(*v).is_some()) {
                Some(v) if !values.contains(&v) => values.push(v),
                Some(_) => {}
                None => bad = true,
            }
        }
        let max = match scale.kind {
            ScaleKind::Multiple => scale.max_choices.unwrap_or(scale.options.len() as u32),
            _ => 1,
        };
        if bad {
            errors.insert(item.code.clone(), FieldError::NotAnOption);
        } else if values.len() > max as usize {
            errors.insert(item.code.clone(), FieldError::TooMany(max));
        } else {
            values.sort_unstable();
            chosen.insert(item.code.to_string(), values.clone());
            answers.push(Answer {
                item_code: item.code.to_string(),
                values,
                text: None,
                multiple: scale.kind == ScaleKind::Multiple,
            });
        }
    }
    if errors.is_empty() {
        Ok(answers)
    } else {
        Err(errors)
    }
}

/// The tally increments one response adds: (item code, option value), and
/// (item code, `ANSWERED`) once per multiple-choice item answered.
pub fn tally_keys(answers: &[Answer]) -> Vec<(String, i32)> {
    answers
        .iter()
        .flat_map(|a| {
            let answered = (a.multiple && !a.values.is_empty()).then_some(ANSWERED);
            a.values
                .iter()
                .copied()
                .chain(answered)
                .map(move |v| (a.item_code.clone(), v))
        })
        .collect()
}

/// How a response came in; exports and results can tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResponseChannel {
    /// The open link or QR code of a unit.
    OpenLink,
    /// A personal link, one response per link.
    PersonalLink,
    /// A paper form keyed in by an enumerator.
    Paper,
    /// Made-up answers of `sipas demo`.
    Demo,
}

crate::stored_text!(
    ResponseChannel,
    "response channel",
    OpenLink => "open_link",
    PersonalLink => "personal_link",
    Paper => "paper",
    Demo => "demo",
);

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = r#"
key = "t"
title = { vi = "Thử" }
audience = "citizen"
[scales.sat5]
kind = "ordinal"
options = [{ value = 1, vi = "1" }, { value = 2, vi = "2" }, { value = 3, vi = "3" }, { value = 4, vi = "4" }, { value = 5, vi = "5" }, { value = 9, vi = "Không biết", excluded = true }]
[scales.yn]
kind = "yes_no"
options = [{ value = 1, vi = "Có" }, { value = 2, vi = "Không" }]
[scales.multi]
kind = "multiple"
max_choices = 2
options = [{ value = 1, vi = "a" }, { value = 2, vi = "b" }, { value = 3, vi = "c" }]
[[sections]]
code = "S"
title = { vi = "S" }
[[items]]
code = "N8"
section = "S"
scale = "yn"
text = { vi = "Đã làm TTHC?" }
[[items]]
code = "A1"
section = "S"
scale = "sat5"
text = { vi = "A1" }
ask_if = "N8 = 1"
[[items]]
code = "M"
section = "S"
scale = "multi"
required = false
text = { vi = "M" }
"#;

    fn given(pairs: &[(&str, &str)]) -> Given {
        group_fields(
            &pairs
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn skip_logic_drops_items_whose_condition_fails() {
        let t = Template::parse("t.toml", T).expect("valid");
        let a = validate(&t, &given(&[("N8", "2"), ("A1", "5")])).expect("valid");
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].item_code, "N8");
        let err = validate(&t, &given(&[("N8", "1")])).unwrap_err();
        assert_eq!(err.get("A1"), Some(&FieldError::Required));
    }

    #[test]
    fn rejects_unknown_values_and_too_many_choices() {
        let t = Template::parse("t.toml", T).expect("valid");
        let err = validate(
            &t,
            &given(&[("N8", "1"), ("A1", "7"), ("M", "1"), ("M", "2"), ("M", "3")]),
        )
        .unwrap_err();
        assert_eq!(err.get("A1"), Some(&FieldError::NotAnOption));
        assert_eq!(err.get("M"), Some(&FieldError::TooMany(2)));
    }

    #[test]
    fn tally_keys_cover_every_choice_and_count_a_multiple_choice_respondent_once() {
        let t = Template::parse("t.toml", T).expect("valid");
        let a = validate(
            &t,
            &given(&[("N8", "1"), ("A1", "9"), ("M", "3"), ("M", "1")]),
        )
        .expect("valid");
        assert_eq!(
            tally_keys(&a),
            vec![
                ("N8".into(), 1),
                ("A1".into(), 9),
                ("M".into(), 1),
                ("M".into(), 3),
                ("M".into(), ANSWERED)
            ]
        );
    }
}
