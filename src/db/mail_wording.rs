//! A campaign's own invitation and reminder wording. No row for a
//! kind means the catalogue default.
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::campaign_mail_wording as w;
use super::DbConn;
use crate::domain::invitation::MessageKind;

/// The wording of one kind of message ("invitation" or "reminder").
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Wording {
    pub kind: String,
    pub subject: String,
    pub body: String,
}

/// A campaign's wordings, by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CampaignWording {
    pub invitation: Option<Wording>,
    pub reminder: Option<Wording>,
}

pub fn of_campaign(conn: &mut DbConn, campaign_id: &str) -> QueryResult<CampaignWording> {
    let rows: Vec<Wording> = w::table
        .filter(w::campaign_id.eq(campaign_id))
        .select((w::kind, w::subject, w::body))
        .load(conn)?;
    let mut out = CampaignWording::default();
    for r in rows {
        // An unknown kind is an error, not a wording quietly ignored.
        match super::state::<MessageKind>(r.kind.clone())? {
            MessageKind::Invitation => out.invitation = Some(r),
            MessageKind::Reminder => out.reminder = Some(r),
        }
    }
    Ok(out)
}

/// Replace one kind's wording (None: back to the default).
pub fn set(
    conn: &mut DbConn,
    campaign_id: &str,
    kind: MessageKind,
    wording: Option<(&str, &str)>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    conn.transaction(|conn| {
        diesel::delete(
            w::table
                .filter(w::campaign_id.eq(campaign_id))
                .filter(w::kind.eq(kind.as_str())),
        )
        .execute(conn)?;
        if let Some((subject, body)) = wording {
            diesel::insert_into(w::table)
                .values((
                    w::campaign_id.eq(campaign_id),
                    w::kind.eq(kind.as_str()),
                    w::subject.eq(subject),
                    w::body.eq(body),
                    w::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
}
