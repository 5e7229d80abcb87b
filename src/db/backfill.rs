//! Kept counts that databases from before they were kept lack, filled in
//! from the stored answers after the migrations. This is code, not a SQL
//! migration: only the parsed template tells which items are multiple choice.
use std::collections::{HashMap, HashSet};

use diesel::prelude::*;

use super::schema::{campaigns, tallies, templates};
use super::DbConn;
use crate::domain::scoring::ANSWERED;
use crate::domain::template::Template;
use crate::per_backend;

/// Adds the tally rows counting each multiple-choice item's respondents
/// (`ANSWERED`) wherever a unit's tallies hold the item's ticks but not
/// that count. A submission writes both in one transaction, so once done
/// this only reads a few tally rows per campaign. Returns the rows added.
pub fn answered_counts(conn: &mut DbConn) -> QueryResult<usize> {
    let campaigns: Vec<(String, String)> = campaigns::table
        .select((campaigns::id, campaigns::template_id))
        .load(conn)?;
    let mut multiple: HashMap<String, Vec<String>> = HashMap::new();
    let mut added = 0;
    for (campaign_id, template_id) in campaigns {
        if !multiple.contains_key(&template_id) {
            let items = multiple_choice_items(conn, &template_id)?;
            multiple.insert(template_id.clone(), items);
        }
        let items = &multiple[&template_id];
        if !items.is_empty() {
            added += campaign_answered(conn, &campaign_id, items)?;
        }
    }
    Ok(added)
}

fn multiple_choice_items(conn: &mut DbConn, template_id: &str) -> QueryResult<Vec<String>> {
    let stored: Option<(String, String)> = templates::table
        .find(template_id)
        .select((templates::source_path, templates::source))
        .first(conn)
        .optional()?;
    let Some((path, source)) = stored else {
        return Ok(Vec::new());
    };
    match Template::parse(&path, &source) {
        Ok(t) => Ok(t.multiple_choice_items()),
        Err(e) => {
            tracing::warn!(template = %template_id, errors = ?e, "stored template does not parse; its counts are not back-filled");
            Ok(Vec::new())
        }
    }
}

fn campaign_answered(conn: &mut DbConn, campaign_id: &str, items: &[String]) -> QueryResult<usize> {
    conn.transaction(|conn| {
        let rows: Vec<(String, String, i32)> = tallies::table
            .filter(tallies::campaign_id.eq(campaign_id))
            .filter(tallies::item_code.eq_any(items))
            .select((tallies::unit_id, tallies::item_code, tallies::option_value))
            .load(conn)?;
        let counted: HashSet<(&str, &str)> = rows
            .iter()
            .filter(|r| r.2 == ANSWERED)
            .map(|r| (r.0.as_str(), r.1.as_str()))
            .collect();
        let missing: HashSet<(&str, &str)> = rows
            .iter()
            .map(|r| (r.0.as_str(), r.1.as_str()))
            .filter(|key| !counted.contains(key))
            .collect();
        if missing.is_empty() {
            return Ok(0);
        }
        // The same count an export over a period makes, over all time.
        let codes: Vec<String> = distinct(missing.iter().map(|k| k.1))
            .into_iter()
            .map(str::to_string)
            .collect();
        let counts = super::exports::answered_in_period(conn, campaign_id, None, None, &codes)?;
        let new: Vec<_> = counts
            .iter()
            .filter(|(u, i, _, _)| missing.contains(&(u.as_str(), i.as_str())))
            .map(|(u, i, _, n)| {
                (
                    tallies::campaign_id.eq(campaign_id),
                    tallies::unit_id.eq(u),
                    tallies::item_code.eq(i),
                    tallies::option_value.eq(ANSWERED),
                    tallies::n.eq(*n),
                )
            })
            .collect();
        if new.is_empty() {
            return Ok(0);
        }
        per_backend!(conn, c => diesel::insert_into(tallies::table).values(&new).execute(c))
    })
}

fn distinct<'a>(values: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = values.collect();
    out.sort_unstable();
    out.dedup();
    out
}
