//! Storing submissions: each is claimed on its own (its idempotency key,
//! its device's count, its paper batch, its personal link), then the accepted
//! ones are written together (`db::pending`), all in one transaction.
//!
//! A claim needs no savepoint. No step fails on a conflict (on PostgreSQL a
//! failed statement would abort the whole batch's transaction): the key is
//! inserted with ON CONFLICT DO NOTHING and the link is marked with a
//! conditional UPDATE, and the affected row count tells. A step that refuses
//! undoes the steps before it, so a refused submission leaves nothing behind
//! and its neighbours are not touched.
use std::collections::HashSet;

use diesel::prelude::*;

use super::pending::Pending;
use super::schema::{campaigns, device_submissions, submission_keys};
use super::submission::{InsertError, NewResponse};
use super::DbConn;
use crate::domain::campaign::CampaignStatus;
use crate::per_backend;

/// Claim each submission, then write the accepted ones together, in one
/// transaction. Returns each one's new response id or why it was refused; a
/// database error fails them all (nothing of the batch is stored).
pub fn store_batch(
    conn: &mut DbConn,
    batch: Vec<NewResponse>,
) -> QueryResult<Vec<Result<String, InsertError>>> {
    conn.transaction(|conn| {
        let open = open_campaigns(conn, &batch)?;
        let mut pending = Pending::default();
        let mut outcomes = Vec::with_capacity(batch.len());
        for r in batch {
            if !open.contains(&r.campaign_id) {
                outcomes.push(Err(InsertError::Closed));
                continue;
            }
            match claim(conn, &r) {
                Ok(()) => {
                    let id = uuid::Uuid::new_v4().to_string();
                    outcomes.push(Ok(id.clone()));
                    pending.add(id, r);
                }
                Err(InsertError::Db(e)) => return Err(e),
                Err(refused) => outcomes.push(Err(refused)),
            }
        }
        pending.write(conn)?;
        Ok(outcomes)
    })
}

/// Which of the batch's campaigns are open, read in the batch's own
/// transaction: a campaign closed after its form was shown takes nothing.
fn open_campaigns(conn: &mut DbConn, batch: &[NewResponse]) -> QueryResult<HashSet<String>> {
    let mut ids: Vec<&str> = batch.iter().map(|r| r.campaign_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    let open: Vec<String> = campaigns::table
        .filter(campaigns::id.eq_any(ids))
        .filter(campaigns::status.eq(CampaignStatus::Open.as_str()))
        .select(campaigns::id)
        .load(conn)?;
    Ok(open.into_iter().collect())
}

/// Store one submission in its own transaction.
pub fn store_one(conn: &mut DbConn, r: NewResponse) -> Result<String, InsertError> {
    let mut out = store_batch(conn, vec![r])?;
    out.pop()
        .unwrap_or(Err(InsertError::Db(diesel::result::Error::NotFound)))
}

/// What makes this submission the only one of its kind. The key comes
/// first: a form sent twice touches nothing else.
fn claim(conn: &mut DbConn, r: &NewResponse) -> Result<(), InsertError> {
    if let Some(key) = &r.idempotency_key {
        let claimed = per_backend!(conn, c => diesel::insert_into(submission_keys::table)
            .values((
                submission_keys::key.eq(key),
                submission_keys::campaign_id.eq(&r.campaign_id),
                submission_keys::created_on.eq(r.submitted_on),
            ))
            .on_conflict_do_nothing()
            .execute(c))?;
        if claimed == 0 {
            return Err(InsertError::Duplicate);
        }
    }
    if let Some(device) = &r.device_id {
        let sent = count_device(conn, device, &r.campaign_id, 1)?;
        if r.device_cap > 0 && sent > i64::from(r.device_cap) {
            undo(conn, r)?;
            return Err(InsertError::DeviceCapReached);
        }
    }
    if let Some(batch) = &r.entry_batch {
        if super::entry::count_one(conn, batch)? == 0 {
            undo(conn, r)?;
            return Err(InsertError::NoEntryBatch);
        }
    }
    // Last, as it cannot be undone: the link's earlier state is not kept.
    if let Some(invitation) = &r.invitation_id {
        if super::invitations::mark_answered(conn, invitation, r.submitted_on)? == 0 {
            undo(conn, r)?;
            return Err(InsertError::Duplicate);
        }
    }
    Ok(())
}

/// Take back a refused submission's key and device count (every refusal
/// after the key comes after the device was counted).
fn undo(conn: &mut DbConn, r: &NewResponse) -> QueryResult<()> {
    if let Some(key) = &r.idempotency_key {
        diesel::delete(submission_keys::table.find(key)).execute(conn)?;
    }
    if let Some(device) = &r.device_id {
        count_device(conn, device, &r.campaign_id, -1)?;
    }
    Ok(())
}

/// Add `by` to the device's submissions to the campaign; returns the new
/// count. The UPDATE locks the device's row, so concurrent submissions from
/// one device (other instances on PostgreSQL) queue here and each sees the
/// others' counts; a first submission inserts the row, and if another got
/// there first, counts again.
fn count_device(conn: &mut DbConn, device: &str, campaign_id: &str, by: i64) -> QueryResult<i64> {
    use device_submissions as d;
    loop {
        let n: Option<i64> = per_backend!(conn, c => diesel::update(d::table.find((device, campaign_id)))
            .set(d::n.eq(d::n + by))
            .returning(d::n)
            .get_result(c)
            .optional())?;
        if let Some(n) = n {
            return Ok(n);
        }
        let inserted = per_backend!(conn, c => diesel::insert_into(d::table)
            .values((
                d::device_id.eq(device),
                d::campaign_id.eq(campaign_id),
                d::n.eq(by.max(0)),
            ))
            .on_conflict_do_nothing()
            .execute(c))?;
        if inserted == 1 {
            return Ok(by.max(0));
        }
    }
}
