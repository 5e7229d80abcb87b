//! Users, API keys, the login throttle and instance secrets.
use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;

use super::schema::{api_keys, login_throttle, secrets, users};
use super::DbConn;
use crate::domain::account::{Role, ThrottleState};
use crate::per_backend;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRecord {
    pub id: String,
    pub username: String,
    pub password_hash: String,
    /// Read through `TryFrom<String>`: an unknown role fails the query.
    #[diesel(deserialize_as = String)]
    pub role: Role,
    pub unit_id: Option<String>,
    pub disabled: bool,
    pub session_epoch: i32,
    pub created_at: NaiveDateTime,
}

pub fn create_user(
    conn: &mut DbConn,
    username: &str,
    password_hash: &str,
    role: Role,
    unit_id: Option<&str>,
) -> QueryResult<String> {
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(users::table)
        .values((
            users::id.eq(&id),
            users::username.eq(username),
            users::password_hash.eq(password_hash),
            users::role.eq(role.as_str()),
            users::unit_id.eq(unit_id),
            users::disabled.eq(false),
            users::session_epoch.eq(0),
            users::created_at.eq(Utc::now().naive_utc()),
        ))
        .execute(conn)?;
    Ok(id)
}

pub fn user(conn: &mut DbConn, id: &str) -> QueryResult<Option<UserRecord>> {
    users::table
        .find(id)
        .select(UserRecord::as_select())
        .first(conn)
        .optional()
}

pub fn user_by_name(conn: &mut DbConn, username: &str) -> QueryResult<Option<UserRecord>> {
    users::table
        .filter(users::username.eq(username))
        .select(UserRecord::as_select())
        .first(conn)
        .optional()
}

pub fn all_users(conn: &mut DbConn) -> QueryResult<Vec<UserRecord>> {
    users::table
        .order(users::username)
        .select(UserRecord::as_select())
        .load(conn)
}

/// Set a new password hash and end every session of the user.
pub fn set_password(conn: &mut DbConn, id: &str, hash: &str) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(hash),
            users::session_epoch.eq(users::session_epoch + 1),
        ))
        .execute(conn)
}

/// End every session of the user (a cookie session cannot be revoked one by one).
pub fn end_sessions(conn: &mut DbConn, id: &str) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set(users::session_epoch.eq(users::session_epoch + 1))
        .execute(conn)
}

/// Disable (or enable) an account; disabling ends its sessions.
pub fn set_disabled(conn: &mut DbConn, id: &str, disabled: bool) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((
            users::disabled.eq(disabled),
            users::session_epoch.eq(users::session_epoch + 1),
        ))
        .execute(conn)
}

pub fn count_admins(conn: &mut DbConn) -> QueryResult<i64> {
    users::table
        .filter(users::role.eq(Role::Admin.as_str()))
        .filter(users::disabled.eq(false))
        .count()
        .get_result(conn)
}

pub fn throttle(conn: &mut DbConn, login: &str) -> QueryResult<ThrottleState> {
    Ok(login_throttle::table
        .find(login)
        .select((login_throttle::failures, login_throttle::locked_until))
        .first::<(i32, Option<NaiveDateTime>)>(conn)
        .optional()?
        .map(|(failures, locked_until)| ThrottleState {
            failures,
            locked_until,
        })
        .unwrap_or_default())
}

pub fn set_throttle(conn: &mut DbConn, login: &str, s: ThrottleState) -> QueryResult<()> {
    per_backend!(conn, c => diesel::insert_into(login_throttle::table)
        .values((
            login_throttle::login.eq(login),
            login_throttle::failures.eq(s.failures),
            login_throttle::locked_until.eq(s.locked_until),
        ))
        .on_conflict(login_throttle::login)
        .do_update()
        .set((
            login_throttle::failures.eq(s.failures),
            login_throttle::locked_until.eq(s.locked_until),
        ))
        .execute(c))?;
    Ok(())
}

pub fn clear_throttle(conn: &mut DbConn, login: &str) -> QueryResult<usize> {
    diesel::delete(login_throttle::table.find(login)).execute(conn)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_keys)]
pub struct ApiKeyRecord {
    pub id: String,
    pub name: String,
    pub prefix: String,
    #[diesel(deserialize_as = String)]
    pub role: Role,
    pub unit_id: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

pub struct NewApiKey<'a> {
    pub name: &'a str,
    pub key_hash: &'a str,
    pub prefix: &'a str,
    pub role: Role,
    pub unit_id: Option<&'a str>,
    pub created_by: &'a str,
}

pub fn create_api_key(conn: &mut DbConn, k: NewApiKey<'_>) -> QueryResult<String> {
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(api_keys::table)
        .values((
            api_keys::id.eq(&id),
            api_keys::name.eq(k.name),
            api_keys::key_hash.eq(k.key_hash),
            api_keys::prefix.eq(k.prefix),
            api_keys::role.eq(k.role.as_str()),
            api_keys::unit_id.eq(k.unit_id),
            api_keys::created_by.eq(k.created_by),
            api_keys::created_at.eq(Utc::now().naive_utc()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// The live (not revoked) key with this hash.
pub fn live_api_key(conn: &mut DbConn, key_hash: &str) -> QueryResult<Option<ApiKeyRecord>> {
    api_keys::table
        .filter(api_keys::key_hash.eq(key_hash))
        .filter(api_keys::revoked_at.is_null())
        .select(ApiKeyRecord::as_select())
        .first(conn)
        .optional()
}

pub fn all_api_keys(conn: &mut DbConn) -> QueryResult<Vec<ApiKeyRecord>> {
    api_keys::table
        .order(api_keys::created_at.desc())
        .select(ApiKeyRecord::as_select())
        .load(conn)
}

/// Revoke a key; returns false when no live key had that id.
pub fn revoke_api_key(conn: &mut DbConn, id: &str) -> QueryResult<bool> {
    let n = diesel::update(
        api_keys::table
            .find(id)
            .filter(api_keys::revoked_at.is_null()),
    )
    .set(api_keys::revoked_at.eq(Some(Utc::now().naive_utc())))
    .execute(conn)?;
    Ok(n > 0)
}

/// The secret called `name`, created with `make` by whichever instance asks first.
pub fn secret_or_create(
    conn: &mut DbConn,
    name: &str,
    make: impl FnOnce() -> String,
) -> QueryResult<String> {
    let fresh = make();
    per_backend!(conn, c => diesel::insert_into(secrets::table)
        .values((
            secrets::name.eq(name),
            secrets::value.eq(&fresh),
            secrets::created_at.eq(Utc::now().naive_utc()),
        ))
        .on_conflict(secrets::name)
        .do_nothing()
        .execute(c))?;
    secrets::table.find(name).select(secrets::value).first(conn)
}
