//! Reading what submissions stored: counts, tallies and breakdowns. The
//! writing is `db::submit` (one submission's claim) and `db::pending` (the
//! rows and counts of a batch).
use chrono::NaiveDate;
use diesel::prelude::*;

use super::schema::{breakdown_tallies, tallies, unit_counts, unit_day_counts};
use super::DbConn;

pub use super::submission::{InsertError, NewResponse};

/// Respondents per unit submitted from `since` on (the day counts kept at
/// submit time).
pub fn respondents_since(
    conn: &mut DbConn,
    campaign_id: &str,
    since: NaiveDate,
) -> QueryResult<Vec<(String, NaiveDate, i64)>> {
    unit_day_counts::table
        .filter(unit_day_counts::campaign_id.eq(campaign_id))
        .filter(unit_day_counts::day.ge(since))
        .select((
            unit_day_counts::unit_id,
            unit_day_counts::day,
            unit_day_counts::respondents,
        ))
        .load(conn)
}

/// A breakdown tally row: (unit id, dim code, dim value, item, option, count).
pub type BreakdownRow = (String, String, i32, String, i32, i64);

/// Respondents per unit id.
pub fn respondents_of(conn: &mut DbConn, campaign_id: &str) -> QueryResult<Vec<(String, i64)>> {
    unit_counts::table
        .filter(unit_counts::campaign_id.eq(campaign_id))
        .select((unit_counts::unit_id, unit_counts::respondents))
        .load(conn)
}

/// Tally rows of some of a campaign's units, all of them or the few whose
/// counts moved: (unit id, item code, option value, count).
pub fn tallies_of(
    conn: &mut DbConn,
    campaign_id: &str,
    unit_ids: &[String],
) -> QueryResult<Vec<(String, String, i32, i64)>> {
    tallies::table
        .filter(tallies::campaign_id.eq(campaign_id))
        .filter(tallies::unit_id.eq_any(unit_ids))
        .select((
            tallies::unit_id,
            tallies::item_code,
            tallies::option_value,
            tallies::n,
        ))
        .load(conn)
}

/// Breakdown tally rows of some of a campaign's units.
pub fn breakdown_tallies_of(
    conn: &mut DbConn,
    campaign_id: &str,
    unit_ids: &[String],
) -> QueryResult<Vec<BreakdownRow>> {
    breakdown_tallies::table
        .filter(breakdown_tallies::campaign_id.eq(campaign_id))
        .filter(breakdown_tallies::unit_id.eq_any(unit_ids))
        .select((
            breakdown_tallies::unit_id,
            breakdown_tallies::dim_code,
            breakdown_tallies::dim_value,
            breakdown_tallies::item_code,
            breakdown_tallies::option_value,
            breakdown_tallies::n,
        ))
        .load(conn)
}
