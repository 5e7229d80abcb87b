use chrono::{NaiveDate, Utc};
use diesel::prelude::*;

use super::schema::{campaign_units, campaigns, units};
use super::units::UnitRecord;
use super::DbConn;
use crate::domain::campaign::{CampaignStatus, Period};
use crate::domain::ids::CampaignId;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = campaigns)]
pub struct CampaignRecord {
    #[diesel(deserialize_as = String)]
    pub id: CampaignId,
    pub name: String,
    pub template_id: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// Read through `TryFrom<String>`: an unknown value fails the query.
    #[diesel(deserialize_as = String)]
    pub status: CampaignStatus,
}

impl CampaignRecord {
    pub fn status(&self) -> CampaignStatus {
        self.status
    }

    pub fn period(&self) -> Period {
        Period {
            start: self.period_start,
            end: self.period_end,
        }
    }
}

pub fn create(
    conn: &mut DbConn,
    name: &str,
    template_id: &str,
    period: Period,
    status: CampaignStatus,
    unit_ids: &[String],
) -> QueryResult<CampaignRecord> {
    conn.transaction(|conn| {
        let rec = CampaignRecord {
            id: CampaignId::random(),
            name: name.to_string(),
            template_id: template_id.to_string(),
            period_start: period.start,
            period_end: period.end,
            status,
        };
        diesel::insert_into(campaigns::table)
            .values((
                campaigns::id.eq(&rec.id),
                campaigns::name.eq(&rec.name),
                campaigns::template_id.eq(&rec.template_id),
                campaigns::period_start.eq(rec.period_start),
                campaigns::period_end.eq(rec.period_end),
                campaigns::status.eq(rec.status.as_str()),
                campaigns::created_at.eq(Utc::now().naive_utc()),
            ))
            .execute(conn)?;
        for unit_id in unit_ids {
            diesel::insert_into(campaign_units::table)
                .values((
                    campaign_units::campaign_id.eq(&rec.id),
                    campaign_units::unit_id.eq(unit_id),
                ))
                .execute(conn)?;
        }
        Ok(rec)
    })
}

pub fn all(conn: &mut DbConn) -> QueryResult<Vec<CampaignRecord>> {
    campaigns::table
        .order((campaigns::period_start.desc(), campaigns::name))
        .select(CampaignRecord::as_select())
        .load(conn)
}

pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<Option<CampaignRecord>> {
    campaigns::table
        .find(id)
        .select(CampaignRecord::as_select())
        .first(conn)
        .optional()
}

pub fn set_status(conn: &mut DbConn, id: &str, status: CampaignStatus) -> QueryResult<usize> {
    diesel::update(campaigns::table.find(id))
        .set(campaigns::status.eq(status.as_str()))
        .execute(conn)
}

/// The units a campaign covers, by code.
pub fn units_of(conn: &mut DbConn, campaign_id: &str) -> QueryResult<Vec<UnitRecord>> {
    campaign_units::table
        .inner_join(units::table)
        .filter(campaign_units::campaign_id.eq(campaign_id))
        .order(units::code)
        .select(UnitRecord::as_select())
        .load(conn)
}

/// A unit of a campaign, looked up by its code (the public URL carries the code).
pub fn unit_in(
    conn: &mut DbConn,
    campaign_id: &str,
    unit_code: &str,
) -> QueryResult<Option<UnitRecord>> {
    campaign_units::table
        .inner_join(units::table)
        .filter(campaign_units::campaign_id.eq(campaign_id))
        .filter(units::code.eq(unit_code))
        .select(UnitRecord::as_select())
        .first(conn)
        .optional()
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = super::schema::campaign_services)]
pub struct ServiceRecord {
    pub code: String,
    pub name: String,
}

/// The public services (thủ tục hành chính) a campaign names in its links.
pub fn services_of(conn: &mut DbConn, campaign_id: &str) -> QueryResult<Vec<ServiceRecord>> {
    use super::schema::campaign_services as cs;
    cs::table
        .filter(cs::campaign_id.eq(campaign_id))
        .order(cs::code)
        .select(ServiceRecord::as_select())
        .load(conn)
}

/// Replace a campaign's services: all or nothing.
pub fn set_services(
    conn: &mut DbConn,
    campaign_id: &str,
    services: &[(String, String)],
) -> QueryResult<()> {
    use super::schema::campaign_services as cs;
    conn.transaction(|conn| {
        diesel::delete(cs::table.filter(cs::campaign_id.eq(campaign_id))).execute(conn)?;
        for (code, name) in services {
            diesel::insert_into(cs::table)
                .values((
                    cs::campaign_id.eq(campaign_id),
                    cs::code.eq(code),
                    cs::name.eq(name),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
}
