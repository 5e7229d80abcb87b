//! Which campaigns are published, and since when.
use chrono::NaiveDate;
use diesel::prelude::*;

use super::schema::campaign_publications;
use super::DbConn;

pub fn published_on(conn: &mut DbConn, campaign_id: &str) -> QueryResult<Option<NaiveDate>> {
    campaign_publications::table
        .find(campaign_id)
        .select(campaign_publications::published_on)
        .first(conn)
        .optional()
}

pub fn all(conn: &mut DbConn) -> QueryResult<Vec<(String, NaiveDate)>> {
    campaign_publications::table
        .select((
            campaign_publications::campaign_id,
            campaign_publications::published_on,
        ))
        .load(conn)
}

/// Publishes (or withdraws); returns whether anything changed.
pub fn set(conn: &mut DbConn, campaign_id: &str, on: Option<NaiveDate>) -> QueryResult<bool> {
    let was = published_on(conn, campaign_id)?;
    match (was, on) {
        (None, Some(day)) => {
            diesel::insert_into(campaign_publications::table)
                .values((
                    campaign_publications::campaign_id.eq(campaign_id),
                    campaign_publications::published_on.eq(day),
                ))
                .execute(conn)?;
            Ok(true)
        }
        (Some(_), None) => {
            diesel::delete(campaign_publications::table.find(campaign_id)).execute(conn)?;
            Ok(true)
        }
        _ => Ok(false),
    }
}
