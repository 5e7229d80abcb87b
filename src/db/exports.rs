//! Reads for exports and for results over a period, in pages of responses
//! (each with its packed choices) so a large campaign never sits in memory.
use chrono::NaiveDate;
use diesel::connection::DefaultLoadingMode;
use diesel::pg::PgRowByRowLoadingMode;
use diesel::prelude::*;

use std::collections::{HashMap, HashSet};

use super::schema::responses;
use super::DbConn;
use crate::domain::packed;
use crate::domain::scoring::ANSWERED;

/// Which responses an export covers: some units (None = all), and a period on
/// the day of submission (both ends included).
#[derive(Debug, Clone, Default)]
pub struct ResponseFilter {
    pub unit_ids: Option<Vec<String>>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// (id, unit id, service code, submitted on, packed choices)
pub type ResponseRow = (String, String, Option<String>, NaiveDate, String);

/// The next page of a campaign's responses after `after` (by id).
fn responses_page(
    conn: &mut DbConn,
    campaign_id: &str,
    filter: &ResponseFilter,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<ResponseRow>> {
    let mut q = responses::table
        .filter(responses::campaign_id.eq(campaign_id))
        .select((
            responses::id,
            responses::unit_id,
            responses::service_code,
            responses::submitted_on,
            responses::choices,
        ))
        .order(responses::id)
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        q = q.filter(responses::id.gt(after.to_string()));
    }
    if let Some(ids) = &filter.unit_ids {
        q = q.filter(responses::unit_id.eq_any(ids.clone()));
    }
    if let Some(from) = filter.from {
        q = q.filter(responses::submitted_on.ge(from));
    }
    if let Some(to) = filter.to {
        q = q.filter(responses::submitted_on.le(to));
    }
    q.load(conn)
}

/// Call `f` with each page of the responses `filter` covers, in id order.
pub fn for_each_page(
    conn: &mut DbConn,
    campaign_id: &str,
    filter: &ResponseFilter,
    limit: i64,
    f: &mut dyn FnMut(Vec<ResponseRow>) -> QueryResult<()>,
) -> QueryResult<()> {
    let mut after: Option<String> = None;
    loop {
        let page = responses_page(conn, campaign_id, filter, after.as_deref(), limit)?;
        let Some(last) = page.last() else {
            return Ok(());
        };
        after = Some(last.0.clone());
        f(page)?;
    }
}

/// Call `f` with the unit id and packed choices of every response of the
/// campaign submitted in the period, streamed in table order (no sort, no
/// index walk: counting needs no order), in bounded memory.
fn for_each_in_period(
    conn: &mut DbConn,
    campaign_id: &str,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    f: &mut dyn FnMut(&str, &str),
) -> QueryResult<()> {
    let (from, to) = bounds(from, to);
    let query = responses::table
        .filter(responses::campaign_id.eq(campaign_id))
        .filter(responses::submitted_on.ge(from))
        .filter(responses::submitted_on.le(to))
        .select((responses::unit_id, responses::choices));
    // PostgreSQL's default mode would hold the whole result in memory.
    match conn {
        DbConn::Sqlite(c) => {
            for row in query.load_iter::<(String, String), DefaultLoadingMode>(c)? {
                let (unit, choices) = row?;
                f(&unit, &choices);
            }
        }
        DbConn::Pg(c) => {
            for row in query.load_iter::<(String, String), PgRowByRowLoadingMode>(c)? {
                let (unit, choices) = row?;
                f(&unit, &choices);
            }
        }
    }
    Ok(())
}

/// Small numbers for the unit ids and item codes met, so counting a period
/// allocates once per distinct code, not once per answer.
#[derive(Default)]
struct Codes(HashMap<String, u32>, Vec<String>);

impl Codes {
    fn of(&mut self, code: &str) -> u32 {
        if let Some(n) = self.0.get(code) {
            return *n;
        }
        let n = self.1.len() as u32;
        self.0.insert(code.to_string(), n);
        self.1.push(code.to_string());
        n
    }

    fn name(&self, n: u32) -> String {
        self.1[n as usize].clone()
    }
}

/// Tally rows counted from the packed choices of the responses in a period,
/// for results over part of a campaign: (unit id, item code, option value,
/// count), as the submit path counts them.
pub fn tallies_in_period(
    conn: &mut DbConn,
    campaign_id: &str,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> QueryResult<Vec<(String, String, i32, i64)>> {
    let (mut units, mut items) = (Codes::default(), Codes::default());
    // counts[unit][item]: (value, n) pairs, a handful per item.
    let mut counts: Vec<Vec<Vec<(i32, i64)>>> = Vec::new();
    // Responses of one template list their items in the same order: the
    // previous response's (code, number) at each position saves a lookup.
    let mut last: Vec<(String, u32)> = Vec::new();
    for_each_in_period(conn, campaign_id, from, to, &mut |unit_id, choices| {
        let unit = units.of(unit_id) as usize;
        if counts.len() <= unit {
            counts.resize_with(unit + 1, Vec::new);
        }
        for (k, (item, value)) in packed::unpack(choices).enumerate() {
            let i = match last.get(k) {
                Some((code, i)) if code == item => *i,
                _ => {
                    let i = items.of(item);
                    if k < last.len() {
                        last[k] = (item.to_string(), i);
                    } else {
                        last.push((item.to_string(), i));
                    }
                    i
                }
            } as usize;
            let row = &mut counts[unit];
            if row.len() <= i {
                row.resize_with(i + 1, Vec::new);
            }
            match row[i].iter_mut().find(|(v, _)| *v == value) {
                Some((_, n)) => *n += 1,
                None => row[i].push((value, 1)),
            }
        }
    })?;
    let mut out = Vec::new();
    for (u, row) in counts.iter().enumerate() {
        for (i, values) in row.iter().enumerate() {
            for (v, n) in values {
                out.push((units.name(u as u32), items.name(i as u32), *v, *n));
            }
        }
    }
    Ok(out)
}

/// Respondents per (unit, multiple-choice item) among the responses of a
/// period who ticked at least one option, as the tally rows the submit path
/// keeps under `scoring::ANSWERED`: (unit id, item code, ANSWERED, count).
pub fn answered_in_period(
    conn: &mut DbConn,
    campaign_id: &str,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    items: &[String],
) -> QueryResult<Vec<(String, String, i32, i64)>> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let wanted: HashSet<&str> = items.iter().map(String::as_str).collect();
    let mut units = Codes::default();
    let mut counts: HashMap<(u32, String), i64> = HashMap::new();
    for_each_in_period(conn, campaign_id, from, to, &mut |unit_id, choices| {
        let unit = units.of(unit_id);
        let mut seen: Vec<&str> = Vec::new();
        for (item, _) in packed::unpack(choices) {
            if wanted.contains(item) && !seen.contains(&item) {
                seen.push(item);
                *counts.entry((unit, item.to_string())).or_insert(0) += 1;
            }
        }
    })?;
    Ok(counts
        .into_iter()
        .map(|((u, item), n)| (units.name(u), item, ANSWERED, n))
        .collect())
}

/// Open ends of a period as the earliest and latest days a database stores.
fn bounds(from: Option<NaiveDate>, to: Option<NaiveDate>) -> (NaiveDate, NaiveDate) {
    (
        from.unwrap_or(NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or_default()),
        to.unwrap_or(NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or_default()),
    )
}

/// Respondents per unit id among responses in a period.
pub fn respondents_in_period(
    conn: &mut DbConn,
    campaign_id: &str,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> QueryResult<Vec<(String, i64)>> {
    let (from, to) = bounds(from, to);
    responses::table
        .filter(responses::campaign_id.eq(campaign_id))
        .filter(responses::submitted_on.ge(from))
        .filter(responses::submitted_on.le(to))
        .group_by(responses::unit_id)
        .select((responses::unit_id, diesel::dsl::count_star()))
        .load(conn)
}

/// How many responses the filter covers (for a progress bar).
pub fn count_responses(
    conn: &mut DbConn,
    campaign_id: &str,
    filter: &ResponseFilter,
) -> QueryResult<i64> {
    let mut q = responses::table
        .filter(responses::campaign_id.eq(campaign_id))
        .count()
        .into_boxed();
    if let Some(ids) = &filter.unit_ids {
        q = q.filter(responses::unit_id.eq_any(ids.clone()));
    }
    if let Some(from) = filter.from {
        q = q.filter(responses::submitted_on.ge(from));
    }
    if let Some(to) = filter.to {
        q = q.filter(responses::submitted_on.le(to));
    }
    q.get_result(conn)
}
