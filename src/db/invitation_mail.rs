//! What happened to a campaign's email invitations after sending:
//! the facts reminders are decided on, bounces, opt-outs, and the counts per
//! unit and respondent group. Re-exported from `db::outbox`.
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{invitations, outbox_messages};
use super::DbConn;
use crate::domain::invitation::{InvitationChannel, InvitationStatus, MessageKind, MessageStatus};

/// Per invitation of a campaign sent by email: (id, status, created_on,
/// messages queued so far, reminders so far, last message time).
pub struct ReminderFacts {
    pub invitation_id: String,
    pub unit_id: String,
    pub status: InvitationStatus,
    pub opted_out: bool,
    pub reminders: i64,
    pub last_message: Option<NaiveDateTime>,
}

pub fn reminder_facts(conn: &mut DbConn, campaign_id: &str) -> QueryResult<Vec<ReminderFacts>> {
    let invs: Vec<(String, String, String, Option<chrono::NaiveDate>)> = invitations::table
        .filter(invitations::campaign_id.eq(campaign_id))
        .filter(invitations::channel.eq(InvitationChannel::Email.as_str()))
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
        if kind == MessageKind::Reminder.as_str() {
            e.0 += 1;
        }
        e.1 = Some(e.1.map_or(at, |t| t.max(at)));
    }
    invs.into_iter()
        .map(|(invitation_id, unit_id, status, opted_out_on)| {
            let (reminders, last_message) =
                by_inv.get(&invitation_id).cloned().unwrap_or((0, None));
            Ok(ReminderFacts {
                invitation_id,
                unit_id,
                status: super::state(status)?,
                opted_out: opted_out_on.is_some(),
                reminders,
                last_message,
            })
        })
        .collect()
}

/// A delivery status notification came back: the invitation bounced (unless
/// it was answered meanwhile). Returns 0 for an unknown or answered invitation.
pub fn mark_bounced(conn: &mut DbConn, invitation_id: &str, reason: &str) -> QueryResult<usize> {
    diesel::update(
        invitations::table
            .find(invitation_id)
            .filter(invitations::status.ne(InvitationStatus::Answered.as_str())),
    )
    .set((
        invitations::status.eq(InvitationStatus::Bounced.as_str()),
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
        .filter(invitations::channel.eq(InvitationChannel::Email.as_str()))
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
        let status: InvitationStatus = super::state(status)?;
        match status {
            InvitationStatus::Queued | InvitationStatus::Issued => t.queued += 1,
            InvitationStatus::Sent => t.sent += 1,
            InvitationStatus::Failed => t.failed += 1,
            InvitationStatus::Bounced => t.bounced += 1,
            InvitationStatus::Answered => {
                // An answered invitation was delivered too.
                t.sent += 1;
                t.answered += 1
            }
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
                .filter(outbox_messages::kind.eq(MessageKind::Reminder.as_str()))
                .filter(outbox_messages::status.eq(MessageStatus::Queued.as_str())),
        )
        .set((
            outbox_messages::status.eq(MessageStatus::Failed.as_str()),
            outbox_messages::last_error.eq(Some("not sent: the recipient opted out")),
        ))
        .execute(conn)?;
        Ok(n > 0)
    })
}
