//! The durable outbox (issue 6): messages waiting for the mail worker.
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

/// A message claimed by one worker, with what it needs to render it.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: String,
    pub invitation_id: String,
    pub kind: String,
    pub attempts: i32,
    pub campaign_id: String,
    pub email: Option<String>,
    pub invitation_status: String,
    pub unit_id: String,
    /// The recipient asked for no more reminders (List-Unsubscribe).
    pub opted_out: bool,
}

pub fn queue(
    conn: &mut DbConn,
    invitation_id: &str,
    kind: &str,
    now: NaiveDateTime,
) -> QueryResult<String> {
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(outbox_messages::table)
        .values((
            outbox_messages::id.eq(&id),
            outbox_messages::invitation_id.eq(invitation_id),
            outbox_messages::kind.eq(kind),
            outbox_messages::status.eq("queued"),
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
                .eq("queued")
                .and(outbox_messages::next_attempt_at.le(now))
                .or(outbox_messages::status
                    .eq("sending")
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
        .filter(outbox_messages::status.eq("sending"))
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
    Ok(rows
        .into_iter()
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
            )| Claimed {
                id,
                invitation_id,
                kind,
                attempts,
                campaign_id,
                email,
                invitation_status,
                unit_id,
                opted_out: opted_out_on.is_some(),
            },
        )
        .collect())
}

/// Statuses an invitation may leave when its message is sent or fails; an
/// answered or bounced invitation keeps its status.
const OPEN_STATUSES: [&str; 4] = ["issued", "queued", "sent", "failed"];

/// The SMTP server accepted the message: record it at once, in one transaction.
pub fn mark_sent(conn: &mut DbConn, m: &Claimed, now: NaiveDateTime) -> QueryResult<()> {
    conn.transaction(|conn| {
        diesel::update(outbox_messages::table.find(&m.id))
            .set((
                outbox_messages::status.eq("sent"),
                outbox_messages::sent_at.eq(Some(now)),
                outbox_messages::lease_until.eq(None::<NaiveDateTime>),
                outbox_messages::attempts.eq(m.attempts + 1),
                outbox_messages::last_error.eq(None::<String>),
            ))
            .execute(conn)?;
        diesel::update(
            invitations::table
                .find(&m.invitation_id)
                .filter(invitations::status.eq_any(OPEN_STATUSES)),
        )
        .set((
            invitations::status.eq("sent"),
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
            outbox_messages::status.eq("queued"),
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
                outbox_messages::status.eq("failed"),
                outbox_messages::attempts.eq(m.attempts + 1),
                outbox_messages::lease_until.eq(None::<NaiveDateTime>),
                outbox_messages::last_error.eq(Some(reason)),
            ))
            .execute(conn)?;
        if touch_invitation {
            diesel::update(
                invitations::table
                    .find(&m.invitation_id)
                    .filter(invitations::status.eq_any(["issued", "queued", "sent"])),
            )
            .set((
                invitations::status.eq("failed"),
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
            .filter(outbox_messages::status.eq("sending")),
    )
    .set((
        outbox_messages::status.eq("queued"),
        outbox_messages::claimed_by.eq(None::<String>),
        outbox_messages::lease_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)
}

/// Messages not yet sent or failed (queued or being sent).
pub fn pending(conn: &mut DbConn) -> QueryResult<i64> {
    outbox_messages::table
        .filter(outbox_messages::status.eq_any(["queued", "sending"]))
        .count()
        .get_result(conn)
}

/// Per invitation of a campaign sent by email: (id, status, created_on,
/// messages queued so far, reminders so far, last message time).
pub struct ReminderFacts {
    pub invitation_id: String,
    pub unit_id: String,
    pub status: String,
    pub opted_out: bool,
    pub reminders: i64,
    pub last_message: Option<NaiveDateTime>,
}

pub fn reminder_facts(conn: &mut DbConn, campaign_id: &str) -> QueryResult<Vec<ReminderFacts>> {
    let invs: Vec<(String, String, String, Option<chrono::NaiveDate>)> = invitations::table
        .filter(invitations::campaign_id.eq(campaign_id))
        .filter(invitations::channel.eq("email"))
        .select((
            invitations::id,
            invitations::unit_id,
            invitations::status,
            invitations::opted_out_on,
        ))
        .load(conn)?;
    let msgs: Vec<(String, String, NaiveDateTime)> = outbox_messages::table
        .inner_join(invitations::table)
        .filter(invitations::campaign_id.eq(campaign_id))
        .select((
            outbox_messages::invitation_id,
            outbox_messages::kind,
            outbox_messages::created_at,
        ))
        .load(conn)?;
    let mut by_inv: std::collections::HashMap<String, (i64, Option<NaiveDateTime>)> =
        std::collections::HashMap::new();
    for (inv, kind, at) in msgs {
        let e = by_inv.entry(inv).or_insert((0, None));
        if kind == "reminder" {
            e.0 += 1;
        }
        e.1 = Some(e.1.map_or(at, |t| t.max(at)));
    }
    Ok(invs
        .into_iter()
        .map(|(invitation_id, unit_id, status, opted_out_on)| {
            let (reminders, last_message) =
                by_inv.get(&invitation_id).cloned().unwrap_or((0, None));
            ReminderFacts {
                invitation_id,
                unit_id,
                status,
                opted_out: opted_out_on.is_some(),
                reminders,
                last_message,
            }
        })
        .collect())
}

/// A delivery status notification came back: the invitation bounced (unless
/// it was answered meanwhile). Returns 0 for an unknown or answered invitation.
pub fn mark_bounced(conn: &mut DbConn, invitation_id: &str, reason: &str) -> QueryResult<usize> {
    diesel::update(
        invitations::table
            .find(invitation_id)
            .filter(invitations::status.ne("answered")),
    )
    .set((
        invitations::status.eq("bounced"),
        invitations::status_detail.eq(Some(reason)),
    ))
    .execute(conn)
}

/// Invited, queued, sent, failed, bounced and answered counts of a campaign's
/// email invitations, per (unit id, respondent group).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub invited: i64,
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
    pub bounced: i64,
    pub answered: i64,
    /// Asked for no more reminders (whatever the delivery status).
    pub opted_out: i64,
}

pub fn tally(
    conn: &mut DbConn,
    campaign_id: &str,
) -> QueryResult<std::collections::BTreeMap<(String, String), Tally>> {
    let rows: Vec<(String, Option<String>, String, Option<chrono::NaiveDate>)> = invitations::table
        .filter(invitations::campaign_id.eq(campaign_id))
        .filter(invitations::channel.eq("email"))
        .select((
            invitations::unit_id,
            invitations::respondent_group,
            invitations::status,
            invitations::opted_out_on,
        ))
        .load(conn)?;
    let mut out: std::collections::BTreeMap<(String, String), Tally> = Default::default();
    for (unit, group, status, opted_out_on) in rows {
        let t = out.entry((unit, group.unwrap_or_default())).or_default();
        t.invited += 1;
        if opted_out_on.is_some() {
            t.opted_out += 1;
        }
        match status.as_str() {
            "queued" | "issued" => t.queued += 1,
            "sent" => t.sent += 1,
            "failed" => t.failed += 1,
            "bounced" => t.bounced += 1,
            "answered" => {
                // An answered invitation was delivered too.
                t.sent += 1;
                t.answered += 1
            }
            _ => {}
        }
    }
    Ok(out)
}

/// The recipient asked for no more reminders: record the day (the first one
/// counts) and drop reminders still waiting. Returns whether it was new.
pub fn opt_out(
    conn: &mut DbConn,
    invitation_id: &str,
    day: chrono::NaiveDate,
) -> QueryResult<bool> {
    conn.transaction(|conn| {
        let n = diesel::update(
            invitations::table
                .find(invitation_id)
                .filter(invitations::opted_out_on.is_null()),
        )
        .set(invitations::opted_out_on.eq(Some(day)))
        .execute(conn)?;
        diesel::update(
            outbox_messages::table
                .filter(outbox_messages::invitation_id.eq(invitation_id))
                .filter(outbox_messages::kind.eq("reminder"))
                .filter(outbox_messages::status.eq("queued")),
        )
        .set((
            outbox_messages::status.eq("failed"),
            outbox_messages::last_error.eq(Some("not sent: the recipient opted out")),
        ))
        .execute(conn)?;
        Ok(n > 0)
    })
}
