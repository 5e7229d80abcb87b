use chrono::NaiveDate;
use diesel::prelude::*;

use super::schema::invitations;
use super::DbConn;
use crate::domain::ids::{CampaignId, InvitationId, UnitId};
use crate::domain::invitation::{InvitationChannel, InvitationStatus};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = invitations)]
pub struct InvitationRecord {
    #[diesel(deserialize_as = String)]
    pub id: InvitationId,
    #[diesel(deserialize_as = String)]
    pub campaign_id: CampaignId,
    #[diesel(deserialize_as = String)]
    pub unit_id: UnitId,
    #[diesel(deserialize_as = String)]
    pub channel: InvitationChannel,
    pub service_code: Option<String>,
    pub dossier_id: Option<String>,
    pub email: Option<String>,
    pub respondent_group: Option<String>,
    #[diesel(deserialize_as = String)]
    pub status: InvitationStatus,
    pub status_detail: Option<String>,
    pub answered_on: Option<NaiveDate>,
    pub progress: Option<String>,
}

pub struct NewInvitation<'a> {
    pub id: &'a str,
    pub campaign_id: &'a str,
    pub unit_id: &'a str,
    pub channel: InvitationChannel,
    pub token_hash: &'a str,
    pub service_code: Option<&'a str>,
    pub dossier_id: Option<&'a str>,
    pub email: Option<&'a str>,
    pub respondent_group: Option<&'a str>,
    pub status: InvitationStatus,
    pub created_on: NaiveDate,
}

/// The secret personal-link tokens are derived from, shared by every instance.
pub fn link_secret(conn: &mut DbConn) -> QueryResult<Vec<u8>> {
    let hex_key = super::accounts::secret_or_create(conn, "link_key", || {
        use rand::RngCore;
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        hex::encode(key)
    })?;
    Ok(hex::decode(&hex_key).unwrap_or_else(|_| hex_key.into_bytes()))
}

pub fn insert(conn: &mut DbConn, n: &NewInvitation<'_>) -> QueryResult<()> {
    diesel::insert_into(invitations::table)
        .values((
            invitations::id.eq(n.id),
            invitations::campaign_id.eq(n.campaign_id),
            invitations::unit_id.eq(n.unit_id),
            invitations::channel.eq(n.channel.as_str()),
            invitations::token_hash.eq(n.token_hash),
            invitations::service_code.eq(n.service_code),
            invitations::dossier_id.eq(n.dossier_id),
            invitations::email.eq(n.email),
            invitations::respondent_group.eq(n.respondent_group),
            invitations::status.eq(n.status.as_str()),
            invitations::created_on.eq(n.created_on),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn by_id(conn: &mut DbConn, id: &str) -> QueryResult<InvitationRecord> {
    invitations::table
        .find(id)
        .select(InvitationRecord::as_select())
        .first(conn)
}

pub fn by_token_hash(conn: &mut DbConn, hash: &str) -> QueryResult<Option<InvitationRecord>> {
    invitations::table
        .filter(invitations::token_hash.eq(hash))
        .select(InvitationRecord::as_select())
        .first(conn)
        .optional()
}

pub fn by_dossier(
    conn: &mut DbConn,
    campaign_id: &str,
    dossier_id: &str,
) -> QueryResult<Option<InvitationRecord>> {
    invitations::table
        .filter(invitations::campaign_id.eq(campaign_id))
        .filter(invitations::dossier_id.eq(dossier_id))
        .select(InvitationRecord::as_select())
        .first(conn)
        .optional()
}

/// Keep an unfinished form's answers so the respondent can resume later.
pub fn save_progress(conn: &mut DbConn, id: &str, progress: &str) -> QueryResult<usize> {
    diesel::update(
        invitations::table
            .find(id)
            .filter(invitations::status.ne(InvitationStatus::Answered.as_str())),
    )
    .set(invitations::progress.eq(Some(progress)))
    .execute(conn)
}

/// Mark answered, with the day only, and drop saved progress. Returns 0 when
/// it was already answered. Runs inside the response's transaction.
pub fn mark_answered(conn: &mut DbConn, id: &str, day: NaiveDate) -> QueryResult<usize> {
    diesel::update(
        invitations::table
            .find(id)
            .filter(invitations::status.ne(InvitationStatus::Answered.as_str())),
    )
    .set((
        invitations::status.eq(InvitationStatus::Answered.as_str()),
        invitations::answered_on.eq(Some(day)),
        invitations::progress.eq(None::<String>),
    ))
    .execute(conn)
}

/// The (address, unit id) of a campaign's email invitations.
pub fn email_addresses(conn: &mut DbConn, campaign_id: &str) -> QueryResult<Vec<(String, String)>> {
    Ok(invitations::table
        .filter(invitations::campaign_id.eq(campaign_id))
        .filter(invitations::channel.eq(InvitationChannel::Email.as_str()))
        .select((invitations::email, invitations::unit_id))
        .load::<(Option<String>, String)>(conn)?
        .into_iter()
        .filter_map(|(email, unit)| Some((email?, unit)))
        .collect())
}
