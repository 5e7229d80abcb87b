//! Fast keyboard entry of paper questionnaires: exactly one key group per
//! question, in the order the paper form prints them, so an enumerator types a
//! whole form as "5454453412". Every question takes a key, blank or skipped
//! ones too ("."), so a dropped or doubled key changes the count and the entry
//! is refused instead of every later answer moving up or down one question.
use std::collections::{HashMap, HashSet};

use super::template::{Item, ScaleKind, Template};

/// The key for a question with no answer: left blank on paper, or skipped
/// because its condition does not hold.
pub const NO_ANSWER: char = '.';
/// Joins the options of one multiple-choice question: "1+3+6".
pub const JOIN: char = '+';

/// Whether a question is typed here: any question with options whose values
/// are all single digits. Free text is not.
pub fn is_keyed(t: &Template, item: &Item) -> bool {
    let s = t.scale_of(item);
    s.kind != ScaleKind::Text
        && !s.options.is_empty()
        && s.options.iter().all(|o| (0..=9).contains(&o.value))
}

/// The questions in the order the paper form prints them (section by
/// section, as `web::form::paper` does), whether keyed or not.
pub fn printed_items(t: &Template) -> Vec<&Item> {
    t.sections
        .iter()
        .flat_map(|s| t.items.iter().filter(move |i| i.section == s.code))
        .collect()
}

/// The questions typed one key group each; question n is `keyed_items(t)[n - 1]`.
pub fn keyed_items(t: &Template) -> Vec<&Item> {
    printed_items(t)
        .into_iter()
        .filter(|i| is_keyed(t, i))
        .collect()
}

/// What was typed for one question.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Group {
    NoAnswer,
    Digits(Vec<i32>),
    NotAKey(char),
    /// A "+" not between two digits.
    BadJoin,
}

/// The typed keys as they fall on the questions, one string per group (a
/// key, or keys glued by "+"); spaces are ignored. Shown to the enumerator
/// beside each question when an entry is refused.
pub fn typed_groups(keys: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in keys.chars().filter(|c| !c.is_whitespace()) {
        match out.last_mut() {
            Some(last) if c == JOIN || last.ends_with(JOIN) => last.push(c),
            _ => out.push(c.to_string()),
        }
    }
    out
}

fn classify(group: &str) -> Group {
    let parts: Vec<&str> = group.split(JOIN).collect();
    if let Some(c) = group
        .chars()
        .find(|c| !c.is_ascii_digit() && *c != NO_ANSWER && *c != JOIN)
    {
        return Group::NotAKey(c);
    }
    if group == NO_ANSWER.to_string() {
        return Group::NoAnswer;
    }
    let digits: Option<Vec<i32>> = parts
        .iter()
        .map(|p| match p.as_bytes() {
            [d @ b'0'..=b'9'] => Some(i32::from(d - b'0')),
            _ => None,
        })
        .collect();
    digits.map_or(Group::BadJoin, Group::Digits)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    /// The keys run out at this question: it and `missing - 1` more have none.
    Short {
        missing: usize,
    },
    /// `extra` key groups after the last question (reported at the last one).
    Long {
        extra: usize,
    },
    /// Neither a digit, the no-answer key nor the join key.
    NotAKey(char),
    BadJoin,
    NotAnOption(i32),
    /// Several options joined on a question that takes one.
    OneAnswer,
    TooManyChoices(u32),
    /// Answers to questions whose condition does not hold, from this one
    /// through question `through` under the same condition: they must be ".".
    Skipped {
        through: usize,
    },
    /// "." on a required question that applies.
    Required,
}

/// An error at question `question` (1-based, in key order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub question: usize,
    pub error: KeyError,
}

/// Turn the typed keys into form answers (item code, value), or every error
/// in question order.
pub fn parse_keys(t: &Template, keys: &str) -> Result<Vec<(String, String)>, Vec<Located>> {
    let items = keyed_items(t);
    let groups: Vec<Group> = typed_groups(keys).iter().map(|g| classify(g)).collect();
    let mut errors = Vec::new();
    let mut pairs = Vec::new();
    let typed: HashMap<&str, (usize, &Group)> = items
        .iter()
        .zip(&groups)
        .enumerate()
        .map(|(n, (item, g))| (item.code.as_str(), (n + 1, g)))
        .collect();
    // Conditions are decided in template order, as the web form does.
    let mut chosen: HashMap<String, Vec<i32>> = HashMap::new();
    // Items whose answer is wrong: whether their dependants apply is unknown,
    // so those are not also reported as skipped.
    let mut unknown: HashSet<&str> = HashSet::new();
    for item in &t.items {
        let Some(&(question, group)) = typed.get(item.code.as_str()) else {
            continue;
        };
        let mut fail = |error| errors.push(Located { question, error });
        let scale = t.scale_of(item);
        let applies = match &item.ask_if {
            Some(c) if unknown.contains(c.item.as_str()) => None,
            Some(c) => Some(c.holds(&chosen)),
            None => Some(true),
        };
        match group {
            Group::NotAKey(k) => fail(KeyError::NotAKey(*k)),
            Group::BadJoin => fail(KeyError::BadJoin),
            Group::NoAnswer => {
                if applies == Some(true) && item.required {
                    fail(KeyError::Required);
                }
                continue;
            }
            Group::Digits(vs) => {
                let mut values = vs.clone();
                values.sort_unstable();
                values.dedup();
                let max = match scale.kind {
                    ScaleKind::Multiple => {
                        scale.max_choices.unwrap_or(scale.options.len() as u32) as usize
                    }
                    _ => 1,
                };
                if let Some(v) = vs.iter().find(|v| scale.option(**v).is_none()) {
                    fail(KeyError::NotAnOption(*v));
                } else if scale.kind != ScaleKind::Multiple && vs.len() > 1 {
                    fail(KeyError::OneAnswer);
                } else if values.len() > max {
                    fail(KeyError::TooManyChoices(max as u32));
                } else if applies == Some(false) {
                    fail(KeyError::Skipped { through: question });
                } else if applies == Some(true) {
                    pairs.extend(
                        values
                            .iter()
                            .map(|v| (item.code.to_string(), v.to_string())),
                    );
                    chosen.insert(item.code.to_string(), values);
                    continue;
                }
            }
        }
        unknown.insert(item.code.as_str());
    }
    match groups.len().cmp(&items.len()) {
        std::cmp::Ordering::Less => errors.push(Located {
            question: groups.len() + 1,
            error: KeyError::Short {
                missing: items.len() - groups.len(),
            },
        }),
        std::cmp::Ordering::Greater => errors.push(Located {
            question: items.len(),
            error: KeyError::Long {
                extra: groups.len() - items.len(),
            },
        }),
        std::cmp::Ordering::Equal => {}
    }
    // Stable: at one question, its own error comes before "too many keys".
    errors.sort_by_key(|e| e.question);
    let errors = merge_skipped(&items, errors);
    if errors.is_empty() {
        Ok(pairs)
    } else {
        Err(errors)
    }
}

/// One error for a run of skipped questions under one condition (the 16
/// service questions of sipas-2023 typed while N8-3 is not 1), not 16.
fn merge_skipped(items: &[&Item], errors: Vec<Located>) -> Vec<Located> {
    let condition = |q: usize| items.get(q - 1).and_then(|i| i.ask_if.as_ref());
    let mut out: Vec<Located> = Vec::new();
    for e in errors {
        if let (
            KeyError::Skipped { through: next },
            Some(Located {
                question,
                error: KeyError::Skipped { through },
            }),
        ) = (&e.error, out.last_mut())
        {
            if *next == *through + 1 && condition(*next) == condition(*question) {
                *through = *next;
                continue;
            }
        }
        out.push(e);
    }
    out
}

#[cfg(test)]
mod tests;
