//! Planning data of a campaign: sample targets per unit (set by the
//! sample-size planner) and the previous campaign it is compared with.
use diesel::prelude::*;

use super::schema::{campaign_baselines, unit_targets};
use super::DbConn;

/// One unit's planned sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitTarget {
    pub unit_id: String,
    pub transactions: i64,
    pub target: i64,
}

/// Replace a campaign's targets in one transaction: all of them or none.
pub fn replace(conn: &mut DbConn, campaign_id: &str, targets: &[UnitTarget]) -> QueryResult<()> {
    conn.transaction(|conn| {
        diesel::delete(unit_targets::table.filter(unit_targets::campaign_id.eq(campaign_id)))
            .execute(conn)?;
        for t in targets {
            diesel::insert_into(unit_targets::table)
                .values((
                    unit_targets::campaign_id.eq(campaign_id),
                    unit_targets::unit_id.eq(&t.unit_id),
                    unit_targets::transactions.eq(t.transactions),
                    unit_targets::target.eq(t.target),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
}

pub fn of_campaign(conn: &mut DbConn, campaign_id: &str) -> QueryResult<Vec<UnitTarget>> {
    let rows: Vec<(String, i64, i64)> = unit_targets::table
        .filter(unit_targets::campaign_id.eq(campaign_id))
        .select((
            unit_targets::unit_id,
            unit_targets::transactions,
            unit_targets::target,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(unit_id, transactions, target)| UnitTarget {
            unit_id,
            transactions,
            target,
        })
        .collect())
}

/// Compare `campaign_id`'s results with `previous_id` by default.
pub fn set_previous(conn: &mut DbConn, campaign_id: &str, previous_id: &str) -> QueryResult<()> {
    conn.transaction(|conn| {
        diesel::delete(campaign_baselines::table.find(campaign_id)).execute(conn)?;
        diesel::insert_into(campaign_baselines::table)
            .values((
                campaign_baselines::campaign_id.eq(campaign_id),
                campaign_baselines::previous_id.eq(previous_id),
            ))
            .execute(conn)?;
        Ok(())
    })
}

/// The campaign is compared with nothing any more.
pub fn clear_previous(conn: &mut DbConn, campaign_id: &str) -> QueryResult<()> {
    diesel::delete(campaign_baselines::table.find(campaign_id)).execute(conn)?;
    Ok(())
}

pub fn previous_of(conn: &mut DbConn, campaign_id: &str) -> QueryResult<Option<String>> {
    campaign_baselines::table
        .find(campaign_id)
        .select(campaign_baselines::previous_id)
        .first(conn)
        .optional()
}
