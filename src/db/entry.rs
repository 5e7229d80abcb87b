use chrono::Utc;
use diesel::prelude::*;

use super::schema::entry_batches;
use super::DbConn;
use crate::domain::ids::{CampaignId, UnitId};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = entry_batches)]
pub struct BatchRecord {
    pub id: String,
    #[diesel(deserialize_as = String)]
    pub campaign_id: CampaignId,
    #[diesel(deserialize_as = String)]
    pub unit_id: UnitId,
    pub entered_by: String,
    pub forms: i64,
}

pub fn start(
    conn: &mut DbConn,
    campaign_id: &str,
    unit_id: &str,
    entered_by: &str,
) -> QueryResult<BatchRecord> {
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(entry_batches::table)
        .values((
            entry_batches::id.eq(&id),
            entry_batches::campaign_id.eq(campaign_id),
            entry_batches::unit_id.eq(unit_id),
            entry_batches::entered_by.eq(entered_by),
            entry_batches::started_at.eq(Utc::now().naive_utc()),
            entry_batches::forms.eq(0i64),
        ))
        .execute(conn)?;
    get(conn, &id)
}

pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<BatchRecord> {
    entry_batches::table
        .find(id)
        .select(BatchRecord::as_select())
        .first(conn)
}

/// One more form in the batch; called inside the response's transaction
/// (`db::submit`), never on its own.
pub fn count_one(conn: &mut DbConn, id: &str) -> QueryResult<usize> {
    diesel::update(entry_batches::table.find(id))
        .set(entry_batches::forms.eq(entry_batches::forms + 1i64))
        .execute(conn)
}
