//! Short links: code → (campaign, unit, service).
use diesel::prelude::*;

use crate::per_backend;

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

/// Stores a new link; false when its code is taken, or its unit and service
/// already have one (a concurrent draw): never an error, so a PostgreSQL
/// transaction is not aborted by a clash.
pub fn insert(conn: &mut DbConn, link: &ShortLink) -> QueryResult<bool> {
    let n = per_backend!(conn, c => diesel::insert_into(short_links::table)
        .values((
            short_links::code.eq(&link.code),
            short_links::campaign_id.eq(&link.campaign_id),
            short_links::unit_id.eq(&link.unit_id),
            short_links::service_code.eq(&link.service_code),
        ))
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(n == 1)
}

/// The code of one unit's (and service's) link, if it has been drawn.
pub fn code_of(
    conn: &mut DbConn,
    campaign_id: &str,
    unit_id: &str,
    service_code: &str,
) -> QueryResult<Option<String>> {
    short_links::table
        .filter(short_links::campaign_id.eq(campaign_id))
        .filter(short_links::unit_id.eq(unit_id))
        .filter(short_links::service_code.eq(service_code))
        .select(short_links::code)
        .first(conn)
        .optional()
}
