//! Short links: code → (campaign, unit, service).
use diesel::prelude::*;

use super::schema::short_links;
use super::DbConn;

/// One short link; `service_code` is empty for the unit's own link.
#[derive(Debug, Clone, Queryable)]
pub struct ShortLink {
    pub code: String,
    pub campaign_id: String,
    pub unit_id: String,
    pub service_code: String,
}

pub fn of_campaign(conn: &mut DbConn, campaign_id: &str) -> QueryResult<Vec<ShortLink>> {
    short_links::table
        .filter(short_links::campaign_id.eq(campaign_id))
        .select((
            short_links::code,
            short_links::campaign_id,
            short_links::unit_id,
            short_links::service_code,
        ))
        .load(conn)
}

pub fn find(conn: &mut DbConn, code: &str) -> QueryResult<Option<ShortLink>> {
    short_links::table
        .find(code)
        .select((
            short_links::code,
            short_links::campaign_id,
            short_links::unit_id,
            short_links::service_code,
        ))
        .first(conn)
        .optional()
}

/// Stores a new link; false when the code is taken (the caller draws again).
pub fn insert(conn: &mut DbConn, link: &ShortLink) -> QueryResult<bool> {
    if find(conn, &link.code)?.is_some() {
        return Ok(false);
    }
    diesel::insert_into(short_links::table)
        .values((
            short_links::code.eq(&link.code),
            short_links::campaign_id.eq(&link.campaign_id),
            short_links::unit_id.eq(&link.unit_id),
            short_links::service_code.eq(&link.service_code),
        ))
        .execute(conn)?;
    Ok(true)
}
