//! A campaign's own invitation and reminder wording. No row for a
//! kind means the catalogue default.
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::campaign_mail_wording as w;
use super::DbConn;

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
        match r.kind.as_str() {
            "invitation" => out.invitation = Some(r),
            "reminder" => out.reminder = Some(r),
            _ => {}
        }
    }
    Ok(out)
}

/// Replace one kind's wording (None: back to the default).
pub fn set(
    conn: &mut DbConn,
    campaign_id: &str,
    kind: &str,
    wording: Option<(&str, &str)>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    conn.transaction(|conn| {
        diesel::delete(
            w::table
                .filter(w::campaign_id.eq(campaign_id))
                .filter(w::kind.eq(kind)),
        )
        .execute(conn)?;
        if let Some((subject, body)) = wording {
            diesel::insert_into(w::table)
                .values((
                    w::campaign_id.eq(campaign_id),
                    w::kind.eq(kind),
                    w::subject.eq(subject),
                    w::body.eq(body),
                    w::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
}
