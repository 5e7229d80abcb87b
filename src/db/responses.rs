use std::collections::BTreeMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::upsert::excluded;

use super::schema::{
    answers, breakdown_tallies, device_submissions, responses, submission_keys, tallies,
    unit_counts, unit_day_counts,
};
use super::{is_unique_violation, DbConn};
use crate::domain::response::{tally_keys, Answer, ResponseChannel};
use crate::domain::template::BreakdownScope;
use crate::per_backend;

/// Everything one submission writes, owned so it can be handed to the
/// writer thread (`db::writer`).
pub struct NewResponse {
    pub campaign_id: String,
    pub unit_id: String,
    pub channel: ResponseChannel,
    pub submitted_on: NaiveDate,
    pub answers: Vec<Answer>,
    pub service_code: Option<String>,
    /// The form's idempotency key: a second submission with it stores nothing.
    pub idempotency_key: Option<String>,
    /// The device cookie, counted for the per-device cap on open links.
    pub device_id: Option<String>,
    /// Submissions one device may make to the campaign (0: no cap), checked
    /// in the same transaction as the count it reads.
    pub device_cap: u32,
    /// The personal link being answered: marked answered in the same
    /// transaction, and never referred to by the response.
    pub invitation_id: Option<String>,
    /// The paper-entry batch this form was typed in: its count goes up in
    /// the same transaction, so a repeated Enter counts nothing either.
    pub entry_batch: Option<String>,
    /// The template's breakdown items and what is counted under them.
    pub breakdowns: BreakdownScope,
}

#[derive(Debug, thiserror::Error)]
pub enum InsertError {
    /// This form was already stored (same idempotency key).
    #[error("already stored")]
    Duplicate,
    /// The device has sent as many forms to the campaign as it may.
    #[error("the device's cap is reached")]
    DeviceCapReached,
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

/// Store a response, its answers and the tally counts in one transaction, so
/// results are always consistent with what was stored. The first statement is
/// a write, so SQLite takes its write lock up front and waits (busy_timeout)
/// instead of failing on a lock upgrade.
pub fn insert(conn: &mut DbConn, r: &NewResponse) -> Result<String, InsertError> {
    conn.transaction(|conn| insert_in(conn, r))
}

/// The same writes, inside a transaction or savepoint the caller holds (the
/// writer thread's, one per response), which an `Err` must roll back.
pub fn insert_in(conn: &mut DbConn, r: &NewResponse) -> Result<String, InsertError> {
    let id = uuid::Uuid::new_v4().to_string();
    // A write first (the key), so SQLite takes its write lock before
    // this transaction reads anything.
    claim(conn, r)?;
    if let Some(device) = &r.device_id {
        // Counted before it is checked: the increment locks the device's
        // row, so concurrent submissions from one device queue here and each
        // sees the others' counts (PostgreSQL runs them side by side).
        let sent = count_device(conn, device, &r.campaign_id)?;
        if r.device_cap > 0 && sent > i64::from(r.device_cap) {
            return Err(InsertError::DeviceCapReached);
        }
    }
    diesel::insert_into(responses::table)
        .values((
            responses::id.eq(&id),
            responses::campaign_id.eq(&r.campaign_id),
            responses::unit_id.eq(&r.unit_id),
            responses::channel.eq(r.channel.as_str()),
            responses::submitted_on.eq(r.submitted_on),
            responses::service_code.eq(r.service_code.as_deref()),
        ))
        .execute(conn)?;
    insert_answers(conn, &id, &r.answers)?;
    let counts = tally_counts(&r.answers);
    add_tallies(conn, r, &counts)?;
    insert_breakdowns(conn, r, &counts)?;
    count_respondent(conn, r)?;
    Ok(id)
}

/// What makes this submission the only one of its kind, first: its
/// idempotency key, its personal link, its count in a paper batch. A key
/// or link used before fails the whole response as a duplicate.
fn claim(conn: &mut DbConn, r: &NewResponse) -> Result<(), InsertError> {
    if let Some(key) = &r.idempotency_key {
        diesel::insert_into(submission_keys::table)
            .values((
                submission_keys::key.eq(key),
                submission_keys::campaign_id.eq(&r.campaign_id),
                submission_keys::created_on.eq(r.submitted_on),
            ))
            .execute(conn)
            .map_err(|e| {
                if is_unique_violation(&e) {
                    InsertError::Duplicate
                } else {
                    InsertError::Db(e)
                }
            })?;
    }
    if let Some(invitation) = &r.invitation_id {
        if super::invitations::mark_answered(conn, invitation, r.submitted_on)? == 0 {
            return Err(InsertError::Duplicate);
        }
    }
    if let Some(batch) = &r.entry_batch {
        if super::entry::count_one(conn, batch)? == 0 {
            return Err(InsertError::Db(diesel::result::Error::NotFound));
        }
    }
    Ok(())
}

/// One more submission from `device` to the campaign; returns how many it
/// has sent, this one included.
fn count_device(conn: &mut DbConn, device: &str, campaign_id: &str) -> QueryResult<i64> {
    per_backend!(conn, c => diesel::insert_into(device_submissions::table)
        .values((
            device_submissions::device_id.eq(device),
            device_submissions::campaign_id.eq(campaign_id),
            device_submissions::n.eq(1i64),
        ))
        .on_conflict((device_submissions::device_id, device_submissions::campaign_id))
        .do_update()
        .set(device_submissions::n.eq(device_submissions::n + 1i64))
        .execute(c))?;
    device_count(conn, device, campaign_id)
}

/// One row per chosen value (`seq` orders a multiple choice), one per text.
fn insert_answers(conn: &mut DbConn, id: &str, answers: &[Answer]) -> QueryResult<()> {
    let rows: Vec<_> = answers
        .iter()
        .flat_map(|a| {
            let text_row = a.text.as_ref().map(|t| {
                (
                    answers::response_id.eq(id.to_string()),
                    answers::item_code.eq(a.item_code.clone()),
                    answers::seq.eq(0),
                    answers::value.eq(None::<i32>),
                    answers::text_value.eq(Some(t.clone())),
                )
            });
            a.values
                .iter()
                .enumerate()
                .map(move |(i, v)| {
                    (
                        answers::response_id.eq(id.to_string()),
                        answers::item_code.eq(a.item_code.clone()),
                        answers::seq.eq(i as i32),
                        answers::value.eq(Some(*v)),
                        answers::text_value.eq(None::<String>),
                    )
                })
                .chain(text_row)
        })
        .collect();
    if !rows.is_empty() {
        per_backend!(conn, c => diesel::insert_into(answers::table).values(&rows).execute(c))?;
    }
    Ok(())
}

/// One multi-row upsert instead of one statement per answer: the submit
/// path's cost is mostly statements inside the write lock.
fn add_tallies(
    conn: &mut DbConn,
    r: &NewResponse,
    counts: &BTreeMap<(String, i32), i64>,
) -> QueryResult<()> {
    let rows: Vec<_> = counts
        .iter()
        .map(|((item, value), n)| {
            (
                tallies::campaign_id.eq(&r.campaign_id),
                tallies::unit_id.eq(&r.unit_id),
                tallies::item_code.eq(item),
                tallies::option_value.eq(*value),
                tallies::n.eq(*n),
            )
        })
        .collect();
    if !rows.is_empty() {
        per_backend!(conn, c => diesel::insert_into(tallies::table)
            .values(&rows)
            .on_conflict((tallies::campaign_id, tallies::unit_id, tallies::item_code, tallies::option_value))
            .do_update()
            .set(tallies::n.eq(tallies::n + excluded(tallies::n)))
            .execute(c))?;
    }
    Ok(())
}

/// The unit's respondents.
fn count_respondent(conn: &mut DbConn, r: &NewResponse) -> QueryResult<()> {
    per_backend!(conn, c => diesel::insert_into(unit_counts::table)
        .values((
            unit_counts::campaign_id.eq(&r.campaign_id),
            unit_counts::unit_id.eq(&r.unit_id),
            unit_counts::respondents.eq(1i64),
        ))
        .on_conflict((unit_counts::campaign_id, unit_counts::unit_id))
        .do_update()
        .set(unit_counts::respondents.eq(unit_counts::respondents + 1i64))
        .execute(c))?;
    per_backend!(conn, c => diesel::insert_into(unit_day_counts::table)
        .values((
            unit_day_counts::campaign_id.eq(&r.campaign_id),
            unit_day_counts::unit_id.eq(&r.unit_id),
            unit_day_counts::day.eq(r.submitted_on),
            unit_day_counts::respondents.eq(1i64),
        ))
        .on_conflict((unit_day_counts::campaign_id, unit_day_counts::unit_id, unit_day_counts::day))
        .do_update()
        .set(unit_day_counts::respondents.eq(unit_day_counts::respondents + 1i64))
        .execute(c))?;
    Ok(())
}

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

/// Each (item, option) of a response once, with how often it was given, in
/// key order: one row per key makes a multi-row upsert valid on PostgreSQL
/// (a statement may not update a row twice), and the fixed order makes
/// concurrent submissions lock rows in the same order (no deadlock).
fn tally_counts(answers: &[Answer]) -> BTreeMap<(String, i32), i64> {
    let mut counts = BTreeMap::new();
    for key in tally_keys(answers) {
        *counts.entry(key).or_insert(0) += 1;
    }
    counts
}

/// Count this response in the breakdown tallies of every item its
/// template marks `breakdown = true` that it answered (one value); only the
/// items a group's figures are computed from are counted.
fn insert_breakdowns(
    conn: &mut DbConn,
    r: &NewResponse,
    counts: &BTreeMap<(String, i32), i64>,
) -> QueryResult<()> {
    let dims = &r.breakdowns.dims;
    let counted: Vec<(&(String, i32), &i64)> = counts
        .iter()
        .filter(|((item, _), _)| r.breakdowns.counted.contains(item))
        .collect();
    let mut rows = Vec::with_capacity(dims.len() * counted.len());
    for dim in dims {
        let Some(dim_value) = r
            .answers
            .iter()
            .find(|a| &a.item_code == dim)
            .and_then(|a| match a.values.as_slice() {
                [v] => Some(*v),
                _ => None,
            })
        else {
            continue;
        };
        rows.extend(counted.iter().map(|((item, value), n)| {
            (
                breakdown_tallies::campaign_id.eq(&r.campaign_id),
                breakdown_tallies::unit_id.eq(&r.unit_id),
                breakdown_tallies::dim_code.eq(dim),
                breakdown_tallies::dim_value.eq(dim_value),
                breakdown_tallies::item_code.eq(item),
                breakdown_tallies::option_value.eq(*value),
                breakdown_tallies::n.eq(**n),
            )
        }));
    }
    if !rows.is_empty() {
        per_backend!(conn, c => diesel::insert_into(breakdown_tallies::table)
            .values(&rows)
            .on_conflict((
                breakdown_tallies::campaign_id,
                breakdown_tallies::unit_id,
                breakdown_tallies::dim_code,
                breakdown_tallies::dim_value,
                breakdown_tallies::item_code,
                breakdown_tallies::option_value,
            ))
            .do_update()
            .set(breakdown_tallies::n.eq(breakdown_tallies::n + excluded(breakdown_tallies::n)))
            .execute(c))?;
    }
    Ok(())
}

/// A breakdown tally row: (unit id, dim code, dim value, item, option, count).
pub type BreakdownRow = (String, String, i32, String, i32, i64);

/// How many forms this device has submitted to this campaign.
pub fn device_count(conn: &mut DbConn, device_id: &str, campaign_id: &str) -> QueryResult<i64> {
    device_submissions::table
        .filter(device_submissions::device_id.eq(device_id))
        .filter(device_submissions::campaign_id.eq(campaign_id))
        .select(device_submissions::n)
        .first(conn)
        .optional()
        .map(|n| n.unwrap_or(0))
}

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
