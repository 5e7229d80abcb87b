//! The entry screen's sentences: each refused key names its question by
//! number (its row in the screen's table) and by code and text.
use crate::domain::paper::{self, KeyError, Located, JOIN, NO_ANSWER};
use crate::domain::response::FieldError;
use crate::domain::template::{Condition, Item, Template};
use crate::i18n::{Lang, Msg};

/// A key as the messages quote it.
pub fn quoted(key: char) -> String {
    format!("“{key}”")
}

pub fn question_label(item: &Item, lang: Lang) -> String {
    format!("{} · {}", item.code, item.text.get(lang))
}

/// A condition as the paper form writes it: "N8-3 = 1".
pub fn condition_text(c: &Condition) -> String {
    let values: Vec<String> = c.values.iter().map(|v| v.to_string()).collect();
    format!("{} = {}", c.item, values.join(" / "))
}

pub fn key_error(t: &Template, e: &Located, lang: Lang) -> String {
    let items = paper::keyed_items(t);
    // None only when the template has no keyed question at all.
    let item = e.question.checked_sub(1).and_then(|i| items.get(i));
    let label = &item.map_or_else(|| "—".to_string(), |i| question_label(i, lang));
    let n = &e.question;
    let (none, join) = (&quoted(NO_ANSWER), &quoted(JOIN));
    match &e.error {
        KeyError::Short { missing } => Msg::EntryErrShort.fill(lang, &[n, label, missing, none]),
        KeyError::Long { extra } => Msg::EntryErrLong.fill(lang, &[extra, n, label, &items.len()]),
        KeyError::NotAKey(k) => Msg::EntryErrNotAKey.fill(lang, &[n, label, k, none]),
        KeyError::BadJoin => Msg::EntryErrBadJoin.fill(lang, &[n, label, join]),
        KeyError::NotAnOption(v) => {
            let options: Vec<String> = item
                .iter()
                .flat_map(|i| &t.scale_of(i).options)
                .map(|o| o.value.to_string())
                .collect();
            Msg::EntryErrNotAnOption.fill(lang, &[n, label, v, &options.join(", ")])
        }
        KeyError::OneAnswer => Msg::EntryErrOneAnswer.fill(lang, &[n, label, join]),
        KeyError::TooManyChoices(max) => Msg::EntryErrTooManyChoices.fill(lang, &[n, label, max]),
        KeyError::Skipped { through } => {
            let cond = item
                .and_then(|i| i.ask_if.as_ref())
                .map(condition_text)
                .unwrap_or_default();
            match items.get(through.saturating_sub(1)) {
                Some(last) if through > n => {
                    let first = item.map_or("", |i| i.code.as_str());
                    let count = through - n + 1;
                    Msg::EntryErrSkippedRun
                        .fill(lang, &[n, through, &first, &last.code, &cond, none, &count])
                }
                _ => Msg::EntryErrSkipped.fill(lang, &[n, label, &cond, none]),
            }
        }
        KeyError::Required => Msg::EntryErrRequired.fill(lang, &[n, label]),
    }
}

/// An error the full validation found after the keys were accepted: only a
/// question not keyed here (free text) can still be wrong.
pub fn field_error(t: &Template, code: &str, e: FieldError, lang: Lang) -> String {
    let text = match e {
        FieldError::Required => Msg::ErrRequired.get(lang),
        _ => Msg::ErrNotAnOption.get(lang),
    };
    match t.item(code) {
        Some(item) => format!("{}: {text}", question_label(item, lang)),
        None => format!("{code}: {text}"),
    }
}
