//! Fast keyboard entry of paper questionnaires: one key per answer, in
//! questionnaire order, so an enumerator types a whole form as "5454453412".
use super::template::{Item, ScaleKind, Template};

/// Keys that leave a question blank (not answered, or skipped on paper).
pub const BLANK_KEYS: [char; 2] = ['-', '.'];

/// The questions typed one key each: single-answer questions whose options
/// are all single digits. Multiple choice and free text are not keyed.
pub fn keyed_items(t: &Template) -> Vec<&Item> {
    t.items
        .iter()
        .filter(|i| {
            let s = t.scale_of(i);
            matches!(
                s.kind,
                ScaleKind::Ordinal | ScaleKind::YesNo | ScaleKind::Single
            ) && s.options.iter().all(|o| (0..=9).contains(&o.value))
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    /// More keys than questions.
    TooMany { typed: usize, questions: usize },
    /// A key that is neither a digit nor a blank key, at this 1-based position.
    NotAKey { position: usize, key: char },
}

/// Turn the typed keys into form answers (item code, value).
pub fn parse_keys(t: &Template, keys: &str) -> Result<Vec<(String, String)>, KeyError> {
    let items = keyed_items(t);
    let keys: Vec<char> = keys.chars().filter(|c| !c.is_whitespace()).collect();
    if keys.len() > items.len() {
        return Err(KeyError::TooMany {
            typed: keys.len(),
            questions: items.len(),
        });
    }
    let mut out = Vec::new();
    for (i, (key, item)) in keys.iter().zip(items).enumerate() {
        if BLANK_KEYS.contains(key) {
            continue;
        }
        if !key.is_ascii_digit() {
            return Err(KeyError::NotAKey {
                position: i + 1,
                key: *key,
            });
        }
        out.push((item.code.clone(), key.to_string()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mau02() -> Template {
        let src = include_str!("../../survey-templates/hn-mau-02.toml");
        Template::parse("hn-mau-02.toml", src).expect("valid")
    }

    #[test]
    fn one_key_per_question_in_order() {
        let t = mau02();
        assert_eq!(keyed_items(&t).len(), 12);
        let pairs = parse_keys(&t, "545445345-3").expect("keys");
        assert_eq!(pairs[0], ("CC1".to_string(), "5".to_string()));
        assert_eq!(pairs.len(), 10, "the blank key skips GIOI_TINH");
        assert_eq!(pairs[9], ("DO_TUOI".to_string(), "3".to_string()));
    }

    #[test]
    fn bad_keys_are_located() {
        let t = mau02();
        assert_eq!(
            parse_keys(&t, "54x"),
            Err(KeyError::NotAKey {
                position: 3,
                key: 'x'
            })
        );
        assert_eq!(
            parse_keys(&t, "5555555555555"),
            Err(KeyError::TooMany {
                typed: 13,
                questions: 12
            })
        );
    }
}
