//! A response's choice answers packed into one text, stored on the response
//! row beside the one-row-per-answer table, so an export reads one row per
//! response: `CC1=5;CC2=4;Q9=1;Q9=3`, items in code order, a multiple
//! choice's values in the order given. Item codes never hold `=` or `;`
//! (`template::ItemCode`), values are integers; free text is never packed.
use std::fmt::Write;

use super::response::Answer;

/// The packed form of `answers`' chosen values.
pub fn pack(answers: &[Answer]) -> String {
    let mut parts: Vec<(&str, usize, i32)> = answers
        .iter()
        .flat_map(|a| {
            a.values
                .iter()
                .enumerate()
                .map(move |(seq, v)| (a.item_code.as_str(), seq, *v))
        })
        .collect();
    parts.sort_unstable();
    let mut out = String::with_capacity(parts.len() * 6);
    for (i, (item, _, value)) in parts.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(item);
        out.push('=');
        let _ = write!(out, "{value}");
    }
    out
}

/// Each (item code, value) of a packed text, in order; a malformed part is
/// skipped (the stored text is only ever written by `pack` or its migration).
pub fn unpack(packed: &str) -> impl Iterator<Item = (&str, i32)> {
    packed
        .split(';')
        .filter_map(|part| part.split_once('='))
        .filter_map(|(item, v)| v.parse().ok().map(|v| (item, v)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(item: &str, values: &[i32]) -> Answer {
        Answer {
            item_code: item.into(),
            values: values.to_vec(),
            text: None,
            multiple: values.len() > 1,
        }
    }

    #[test]
    fn packing_keeps_every_value_in_code_order() {
        let answers = [
            answer("Q9", &[6, 1, 3]),
            answer("CC1", &[5]),
            Answer {
                text: Some("a name; a phone".into()),
                ..answer("GY", &[])
            },
        ];
        let packed = pack(&answers);
        assert_eq!(packed, "CC1=5;Q9=6;Q9=1;Q9=3");
        let back: Vec<(&str, i32)> = unpack(&packed).collect();
        assert_eq!(back, vec![("CC1", 5), ("Q9", 6), ("Q9", 1), ("Q9", 3)]);
        assert_eq!(unpack("").count(), 0);
    }
}
