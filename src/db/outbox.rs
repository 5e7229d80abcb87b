//! The durable outbox: messages waiting for the mail worker.
//!
//! A row holds no token and no body; the worker renders both from the
//! invitation id when it sends. Claims are leases: a worker sets `claimed_by`
//! to a token unique to the claim and `lease_until`; rows whose lease ran out
//! (a crashed worker) are claimed again. On PostgreSQL the claim locks rows
//! with `FOR UPDATE SKIP LOCKED`, so instances never claim the same row; on
//! SQLite the single writer makes the claiming UPDATE atomic.
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};

use super::schema::{invitations, outbox_messages};
use super::DbConn;
use crate::domain::invitation::{InvitationStatus, MessageKind, MessageStatus};

/// A message claimed by one worker, with what it needs to render it.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: String,
    pub invitation_id: String,
    pub kind: MessageKind,
    pub attempts: i32,
    pub campaign_id: String,
    pub email: Option<String>,
    pub invitation_status: InvitationStatus,
    pub unit_id: String,
    /// The recipient asked for no more reminders (List-Unsubscribe).
    pub opted_out: bool,
}

pub fn queue(
    conn: &mut DbConn,
    invitation_id: &str,
    kind: MessageKind,
    now: NaiveDateTime,
) -> QueryResult<String> {
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(outbox_messages::table)
        .values((
            outbox_messages::id.eq(&id),
            outbox_messages::invitation_id.eq(invitation_id),
            outbox_messages::kind.eq(kind.as_str()),
            outbox_messages::status.eq(MessageStatus::Queued.as_str()),
            outbox_messages::attempts.eq(0),
            outbox_messages::next_attempt_at.eq(now),
            outbox_messages::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

const CLAIM_PG: &str = "UPDATE outbox_messages SET status = 'sending', claimed_by = $1, lease_until = $2 \
    WHERE id IN (SELECT id FROM outbox_messages \
      WHERE (status = 'queued' AND next_attempt_at <= $3) OR (status = 'sending' AND lease_until < $3) \
      ORDER BY next_attempt_at LIMIT $4 FOR UPDATE SKIP LOCKED)";
const CLAIM_SQLITE: &str = "UPDATE outbox_messages SET status = 'sending', claimed_by = ?, lease_until = ? \
    WHERE id IN (SELECT id FROM outbox_messages \
      WHERE (status = 'queued' AND next_attempt_at <= ?) OR (status = 'sending' AND lease_until < ?) \
      ORDER BY next_attempt_at LIMIT ?)";

type ClaimRow = (
    String,
    String,
    String,
    i32,
    String,
    Option<String>,
    String,
    String,
    Option<chrono::NaiveDate>,
);

/// Claim up to `batch` due messages for `lease` under a fresh claim token.
pub fn claim(
    conn: &mut DbConn,
    worker: &str,
    batch: i64,
    lease: Duration,
    now: NaiveDateTime,
) -> QueryResult<Vec<Claimed>> {
    // A read first: an idle worker never takes the write lock (SQLite has one writer).
    let due: i64 = outbox_messages::table
        .filter(
            outbox_messages::status
                .eq(MessageStatus::Queued.as_str())
                .and(outbox_messages::next_attempt_at.le(now))
                .or(outbox_messages::status
                    .eq(MessageStatus::Sending.as_str())
                    .and(outbox_messages::lease_until.lt(now))),
        )
        .count()
        .get_result(conn)?;
    if due == 0 {
        return Ok(Vec::new());
    }
    let token = format!("{worker}:{}", uuid::Uuid::new_v4().simple());
    let until = now + lease;
    let n = match conn {
        DbConn::Pg(c) => diesel::sql_query(CLAIM_PG)
            .bind::<Text, _>(&token)
            .bind::<Timestamp, _>(until)
            .bind::<Timestamp, _>(now)
            .bind::<BigInt, _>(batch)
            .execute(c)?,
        DbConn::Sqlite(c) => diesel::sql_query(CLAIM_SQLITE)
            .bind::<Text, _>(&token)
            .bind::<Timestamp, _>(until)
            .bind::<Timestamp, _>(now)
            .bind::<Timestamp, _>(now)
            .bind::<BigInt, _>(batch)
            .execute(c)?,
    };
    if n == 0 {
        return Ok(Vec::new());
    }
    let rows: Vec<ClaimRow> = outbox_messages::table
        .inner_join(invitations::table)
        .filter(outbox_messages::claimed_by.eq(&token))
        .filter(outbox_messages::status.eq(MessageStatus::Sending.as_str()))
        .select((
            outbox_messages::id,
            outbox_messages::invitation_id,
            outbox_messages::kind,
            outbox_messages::attempts,
            invitations::campaign_id,
            invitations::email,
            invitations::status,
            invitations::unit_id,
            invitations::opted_out_on,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(
            |(
                id,
                invitation_id,
                kind,
                attempts,
                campaign_id,
                email,
                invitation_status,
                unit_id,
                opted_out_on,
            )| {
                Ok(Claimed {
                    id,
                    invitation_id,
                    kind: super::state(kind)?,
                    attempts,
                    campaign_id,
                    email,
                    invitation_status: super::state(invitation_status)?,
                    unit_id,
                    opted_out: opted_out_on.is_some(),
                })
            },
        )
        .collect()
}

/// Statuses an invitation may leave when its message is sent or fails; an
/// answered or bounced invitation keeps its status.
fn open_statuses() -> Vec<&'static str> {
    InvitationStatus::ALL
        .into_iter()
        .filter(|s| s.is_open())
        .map(InvitationStatus::as_str)
        .collect()
}

/// The SMTP server accepted the message: record it at once, in one transaction.
pub fn mark_sent(conn: &mut DbConn, m: &Claimed, now: NaiveDateTime) -> QueryResult<()> {
    conn.transaction(|conn| {
        diesel::update(outbox_messages::table.find(&m.id))
            .set((
                outbox_messages::status.eq(MessageStatus::Sent.as_str()),
                outbox_messages::sent_at.eq(Some(now)),
                outbox_messages::lease_until.eq(None::<NaiveDateTime>),
                outbox_messages::attempts.eq(m.attempts + 1),
                outbox_messages::last_error.eq(None::<String>),
            ))
            .execute(conn)?;
        diesel::update(
            invitations::table
                .find(&m.invitation_id)
                .filter(invitations::status.eq_any(open_statuses())),
        )
        .set((
            invitations::status.eq(InvitationStatus::Sent.as_str()),
            invitations::status_detail.eq(None::<String>),
        ))
        .execute(conn)?;
        Ok(())
    })
}

/// A temporary failure: try again at `next`.
pub fn retry_later(
    conn: &mut DbConn,
    m: &Claimed,
    next: NaiveDateTime,
    reason: &str,
) -> QueryResult<()> {
    diesel::update(outbox_messages::table.find(&m.id))
        .set((
            outbox_messages::status.eq(MessageStatus::Queued.as_str()),
            outbox_messages::attempts.eq(m.attempts + 1),
            outbox_messages::next_attempt_at.eq(next),
            outbox_messages::claimed_by.eq(None::<String>),
            outbox_messages::lease_until.eq(None::<NaiveDateTime>),
            outbox_messages::last_error.eq(Some(reason)),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A permanent failure (5xx, or out of attempts): the invitation shows why.
/// `touch_invitation` is false for messages skipped on purpose (already answered).
pub fn mark_failed(
    conn: &mut DbConn,
    m: &Claimed,
    reason: &str,
    touch_invitation: bool,
) -> QueryResult<()> {
    conn.transaction(|conn| {
        diesel::update(outbox_messages::table.find(&m.id))
            .set((
                outbox_messages::status.eq(MessageStatus::Failed.as_str()),
                outbox_messages::attempts.eq(m.attempts + 1),
                outbox_messages::lease_until.eq(None::<NaiveDateTime>),
                outbox_messages::last_error.eq(Some(reason)),
            ))
            .execute(conn)?;
        if touch_invitation {
            diesel::update(invitations::table.find(&m.invitation_id).filter(
                invitations::status.eq_any([
                    InvitationStatus::Issued.as_str(),
                    InvitationStatus::Queued.as_str(),
                    InvitationStatus::Sent.as_str(),
                ]),
            ))
            .set((
                invitations::status.eq(InvitationStatus::Failed.as_str()),
                invitations::status_detail.eq(Some(reason)),
            ))
            .execute(conn)?;
        }
        Ok(())
    })
}

/// Give claimed messages back untried (a worker that is stopping).
pub fn release(conn: &mut DbConn, ids: &[String]) -> QueryResult<usize> {
    diesel::update(
        outbox_messages::table
            .filter(outbox_messages::id.eq_any(ids))
            .filter(outbox_messages::status.eq(MessageStatus::Sending.as_str())),
    )
    .set((
        outbox_messages::status.eq(MessageStatus::Queued.as_str()),
        outbox_messages::claimed_by.eq(None::<String>),
        outbox_messages::lease_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)
}

/// Messages not yet sent or failed (queued or being sent).
pub fn pending(conn: &mut DbConn) -> QueryResult<i64> {
    outbox_messages::table
        .filter(outbox_messages::status.eq_any([
            MessageStatus::Queued.as_str(),
            MessageStatus::Sending.as_str(),
        ]))
        .count()
        .get_result(conn)
}

pub use super::invitation_mail::{
    mark_bounced, opt_out, reminder_facts, tally, ReminderFacts, Tally,
};
