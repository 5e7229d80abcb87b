//! Reads for exports, in pages so a large campaign never sits in memory.
use chrono::NaiveDate;
use diesel::prelude::*;

use super::schema::{answers, responses};
use super::DbConn;
use crate::domain::scoring::ANSWERED;

/// Which responses an export covers: some units (None = all), and a period on
/// the day of submission (both ends included).
#[derive(Debug, Clone, Default)]
pub struct ResponseFilter {
    pub unit_ids: Option<Vec<String>>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// (id, unit id, service code, submitted on)
pub type ResponseRow = (String, String, Option<String>, NaiveDate);

/// The next page of a campaign's responses after `after` (by id).
pub fn responses_page(
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

/// Choice answers (no free text) of some responses: (response id, item code, value).
pub fn choice_answers_of(
    conn: &mut DbConn,
    response_ids: &[String],
) -> QueryResult<Vec<(String, String, i32)>> {
    answers::table
        .filter(answers::response_id.eq_any(response_ids))
        .filter(answers::value.is_not_null())
        .select((
            answers::response_id,
            answers::item_code,
            answers::value.assume_not_null(),
        ))
        .order((answers::response_id, answers::item_code, answers::seq))
        .load(conn)
}

/// Tally rows counted from the answers of responses in a period, for results
/// over part of a campaign: (unit id, item code, option value, count). The
/// database groups; only the counts come back.
pub fn tallies_in_period(
    conn: &mut DbConn,
    campaign_id: &str,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> QueryResult<Vec<(String, String, i32, i64)>> {
    let (from, to) = bounds(from, to);
    answers::table
        .inner_join(responses::table)
        .filter(responses::campaign_id.eq(campaign_id))
        .filter(answers::value.is_not_null())
        .filter(responses::submitted_on.ge(from))
        .filter(responses::submitted_on.le(to))
        .group_by((responses::unit_id, answers::item_code, answers::value))
        .select((
            responses::unit_id,
            answers::item_code,
            answers::value.assume_not_null(),
            diesel::dsl::count_star(),
        ))
        .load(conn)
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
    let (from, to) = bounds(from, to);
    let rows: Vec<(String, String, i64)> = answers::table
        .inner_join(responses::table)
        .filter(responses::campaign_id.eq(campaign_id))
        .filter(answers::item_code.eq_any(items))
        .filter(answers::value.is_not_null())
        .filter(responses::submitted_on.ge(from))
        .filter(responses::submitted_on.le(to))
        .group_by((responses::unit_id, answers::item_code))
        .select((
            responses::unit_id,
            answers::item_code,
            diesel::dsl::count(answers::response_id).aggregate_distinct(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(unit, item, n)| (unit, item, ANSWERED, n))
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
