//! Server-side skip logic: the questionnaire is split into pages so that a
//! condition always looks at answers given on an earlier page. The form then
//! works without JavaScript: each page shows only the questions that apply.
use std::collections::{BTreeMap, HashMap};

use super::response::{self, Answer, FieldError, Given};
use super::template::{Item, ItemCode, Template};

/// Item indices per page, in template order.
pub fn pages(t: &Template) -> Vec<Vec<usize>> {
    let mut pages: Vec<Vec<usize>> = vec![Vec::new()];
    for (i, item) in t.items.iter().enumerate() {
        let depends_on_this_page = item.ask_if.as_ref().is_some_and(|c| {
            pages
                .last()
                .is_some_and(|p| p.iter().any(|&j| t.items[j].code == c.item))
        });
        if depends_on_this_page {
            pages.push(Vec::new());
        }
        if let Some(p) = pages.last_mut() {
            p.push(i);
        }
    }
    pages
}

/// The option values chosen so far, for checking conditions.
pub fn chosen(t: &Template, given: &Given) -> HashMap<String, Vec<i32>> {
    let mut out = HashMap::new();
    for item in &t.items {
        if let Some(values) = given.get(item.code.as_str()) {
            let v: Vec<i32> = values
                .iter()
                .filter_map(|s| s.trim().parse().ok())
                .collect();
            if !v.is_empty() {
                out.insert(item.code.to_string(), v);
            }
        }
    }
    out
}

/// Whether an item is asked, given the answers so far.
pub fn applies(item: &Item, chosen: &HashMap<String, Vec<i32>>) -> bool {
    item.ask_if.as_ref().is_none_or(|c| c.holds(chosen))
}

/// The items of `page` that are asked.
pub fn items_on<'t>(
    t: &'t Template,
    pages: &[Vec<usize>],
    page: usize,
    given: &Given,
) -> Vec<&'t Item> {
    let chosen = chosen(t, given);
    pages
        .get(page)
        .map(|p| {
            p.iter()
                .map(|&i| &t.items[i])
                .filter(|i| applies(i, &chosen))
                .collect()
        })
        .unwrap_or_default()
}

/// The next page after `page` that asks anything, if any.
pub fn next_page(t: &Template, pages: &[Vec<usize>], page: usize, given: &Given) -> Option<usize> {
    (page + 1..pages.len()).find(|&p| !items_on(t, pages, p, given).is_empty())
}

/// The previous page before `page` that asks anything, if any.
pub fn previous_page(
    t: &Template,
    pages: &[Vec<usize>],
    page: usize,
    given: &Given,
) -> Option<usize> {
    (0..page.min(pages.len()))
        .rev()
        .find(|&p| !items_on(t, pages, p, given).is_empty())
}

/// Where a respondent goes from a page they sent.
#[derive(Debug)]
pub enum Advance {
    /// Show this page: the next one, or the same one with what is wrong.
    Show {
        page: usize,
        errors: BTreeMap<ItemCode, FieldError>,
    },
    /// Every page that applies is done: these are the answers to store.
    Complete(Vec<Answer>),
}

/// The step forward from `page` with everything `given` so far. Errors on
/// this page and earlier ones keep the respondent here; later pages' empty
/// answers are simply not reached yet.
pub fn advance(t: &Template, pages: &[Vec<usize>], page: usize, given: &Given) -> Advance {
    let page = page.min(pages.len().saturating_sub(1));
    let validated = response::validate(t, given);
    if let Err(all) = &validated {
        let reached: Vec<&str> = pages[..=page]
            .iter()
            .flatten()
            .map(|&i| t.items[i].code.as_str())
            .collect();
        let errors: BTreeMap<ItemCode, FieldError> = all
            .iter()
            .filter(|(code, _)| reached.contains(&code.as_str()))
            .map(|(c, e)| (c.clone(), *e))
            .collect();
        if !errors.is_empty() {
            return Advance::Show { page, errors };
        }
    }
    if let Some(next) = next_page(t, pages, page, given) {
        return Advance::Show {
            page: next,
            errors: BTreeMap::new(),
        };
    }
    match validated {
        Ok(answers) => Advance::Complete(answers),
        Err(errors) => Advance::Show { page, errors },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::response::group_fields;

    const T: &str = r#"
key = "t"
title = { vi = "Thử" }
audience = "citizen"
[scales.yn]
kind = "yes_no"
options = [{ value = 1, vi = "Có" }, { value = 2, vi = "Không" }]
[[sections]]
code = "S"
title = { vi = "S" }
[[items]]
code = "A"
section = "S"
scale = "yn"
text = { vi = "A" }
[[items]]
code = "B"
section = "S"
scale = "yn"
text = { vi = "B" }
[[items]]
code = "C"
section = "S"
scale = "yn"
text = { vi = "C" }
ask_if = "A = 1"
[[items]]
code = "D"
section = "S"
scale = "yn"
text = { vi = "D" }
"#;

    #[test]
    fn a_condition_starts_a_new_page() {
        let t = Template::parse("t.toml", T).expect("valid");
        let p = pages(&t);
        assert_eq!(p, vec![vec![0, 1], vec![2, 3]]);
        let yes = group_fields(&[("A".into(), "1".into())]);
        let no = group_fields(&[("A".into(), "2".into())]);
        assert_eq!(items_on(&t, &p, 1, &yes).len(), 2);
        let on_no: Vec<&str> = items_on(&t, &p, 1, &no)
            .iter()
            .map(|i| i.code.as_str())
            .collect();
        assert_eq!(on_no, vec!["D"]);
        assert_eq!(next_page(&t, &p, 0, &no), Some(1));
        assert_eq!(next_page(&t, &p, 1, &no), None);
        assert_eq!(previous_page(&t, &p, 1, &no), Some(0));
    }
}
