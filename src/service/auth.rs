//! Accounts: password hashing (argon2), login with throttle and lockout, API
//! keys (see `api_keys`), the session key, and who a request is (a `Principal`).
use std::collections::HashSet;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{Duration, Utc};
use rand::Rng;
use sha2::{Digest, Sha512};

use diesel::Connection;

use crate::config::Settings;
pub use crate::db::accounts::UserRecord;
use crate::db::{self, DbConn};
use crate::domain::account::{
    check_password_policy, parse_username, AccountRule, Permission, Role, ThrottleRule,
};
use crate::error::AppError;
use crate::service::audit::{self, Actor, AuditAction};

pub use super::api_keys::{
    create_api_key, hash_api_key, principal_for_key, revoke_api_key, IssuedKey,
};

/// Who is making a request, with what role over which units.
#[derive(Debug, Clone)]
pub struct Principal {
    /// `user:NAME` or `key:NAME`, as written in the audit log.
    pub actor: Actor,
    /// Set for people (not API keys).
    pub user_id: Option<String>,
    pub role: Role,
    pub scope: Scope,
}

/// The units a principal may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    /// A unit and everything below it, by id and by code.
    Subtree {
        ids: HashSet<String>,
        codes: HashSet<String>,
    },
}

impl Scope {
    /// The same text for the same units, to key what is kept per scope. The
    /// two forms cannot meet: "*" is no unit code, and a subtree's key starts
    /// with "units:" (a unit coded `all` must not be served everyone's page).
    pub fn key(&self) -> String {
        match self {
            Scope::All => "*".to_string(),
            Scope::Subtree { codes, .. } => {
                let mut codes: Vec<&str> = codes.iter().map(String::as_str).collect();
                codes.sort_unstable();
                format!("units:{}", codes.join(","))
            }
        }
    }

    pub fn has_unit_code(&self, code: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Subtree { codes, .. } => codes.contains(code),
        }
    }

    pub fn has_unit_id(&self, id: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Subtree { ids, .. } => ids.contains(id),
        }
    }
}

impl Principal {
    pub fn can(&self, p: Permission) -> bool {
        self.role.allows(p)
    }

    /// Forbidden unless the role allows `p`.
    pub fn require(&self, p: Permission) -> Result<(), AppError> {
        if self.can(p) {
            Ok(())
        } else {
            // The request log records the 403; this detail is for debugging.
            tracing::debug!(actor = %self.actor, permission = ?p, "denied");
            Err(AppError::Forbidden)
        }
    }
}

/// The units a role with `unit_id` may see.
pub fn scope_of(conn: &mut DbConn, role: Role, unit_id: Option<&str>) -> Result<Scope, AppError> {
    if !role.needs_unit() {
        return Ok(Scope::All);
    }
    let tree = db::units::tree_of(&db::units::all(conn)?);
    let ids = match unit_id {
        Some(root) => db::units::walked(tree.subtree(root)),
        None => HashSet::new(),
    };
    let codes = ids
        .iter()
        .filter_map(|id| tree.code_of(id))
        .map(str::to_string)
        .collect();
    Ok(Scope::Subtree { ids, codes })
}

pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt_bytes: [u8; 16] = rand::rng().random();
    let salt = SaltString::encode_b64(&salt_bytes)
        .map_err(|e| AppError::internal("salt", e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal("argon2", e.to_string()))
}

pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A real argon2 hash of a random password, verified for unknown logins so
/// their timing does not tell which names exist.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password(&generate_password()).unwrap_or_default())
}

/// An account or key refused for a reason the user can fix, or a failure of ours.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error(transparent)]
    Rule(#[from] AccountRule),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<diesel::result::Error> for AccountError {
    fn from(e: diesel::result::Error) -> Self {
        AccountError::App(AppError::Db(e))
    }
}

impl AccountError {
    /// Split into what to show on the form (Ok(rule)) and what is a server error.
    pub fn into_rule(self) -> Result<AccountRule, AppError> {
        match self {
            AccountError::Rule(r) => Ok(r),
            AccountError::App(e) => Err(e),
        }
    }
}

pub enum LoginOutcome {
    Ok(Box<UserRecord>),
    /// Wrong name or password (or a disabled account): the same answer for all.
    Invalid,
    /// Too many failures: locked until the lockout lifts.
    Locked,
}

pub fn throttle_rule(settings: &Settings) -> ThrottleRule {
    ThrottleRule {
        max_failures: settings.login_max_failures,
        lockout: Duration::seconds(settings.login_lockout_secs.min(i64::MAX as u64) as i64),
    }
}

/// Check a login. Failures count per login name in the database, so the
/// limit holds across instances; the `max_failures`-th locks the name.
pub fn login(
    settings: &Settings,
    conn: &mut DbConn,
    username: &str,
    password: &str,
) -> Result<LoginOutcome, AppError> {
    let login = username.trim().to_lowercase();
    let now = Utc::now().naive_utc();
    let state = db::accounts::throttle(conn, &login)?;
    if state.is_locked(now) {
        audit::record(
            conn,
            &Actor::Login(login.clone()),
            AuditAction::LoginLocked,
            &login,
            "",
        )?;
        return Ok(LoginOutcome::Locked);
    }
    let user = db::accounts::user_by_name(conn, &login)?;
    let ok = match &user {
        Some(u) => verify_password(&u.password_hash, password) && !u.disabled,
        None => {
            let _ = verify_password(dummy_hash(), password);
            false
        }
    };
    match user {
        Some(u) if ok => {
            db::accounts::clear_throttle(conn, &login)?;
            let actor = Actor::User(u.username.clone());
            audit::record(conn, &actor, AuditAction::Login, &login, "")?;
            Ok(LoginOutcome::Ok(Box::new(u)))
        }
        _ => {
            let next = state.after_failure(throttle_rule(settings), now);
            db::accounts::set_throttle(conn, &login, next)?;
            let action = if next.is_locked(now) {
                AuditAction::Lockout
            } else {
                AuditAction::LoginFailed
            };
            audit::record(conn, &Actor::Login(login.clone()), action, &login, "")?;
            Ok(LoginOutcome::Invalid)
        }
    }
}

/// Create an account. `unit_code` is required for unit officers and refused for others.
pub fn create_user(
    conn: &mut DbConn,
    actor: &Actor,
    username: &str,
    password: &str,
    role: Role,
    unit_code: Option<&str>,
) -> Result<String, AccountError> {
    let username = parse_username(username)?;
    check_password_policy(password)?;
    let unit_id = unit_for_role(conn, role, unit_code)?;
    let hash = hash_password(password)?;
    let id = match db::accounts::create_user(conn, &username, &hash, role, unit_id.as_deref()) {
        Ok(id) => id,
        Err(e) if db::is_unique_violation(&e) => {
            return Err(AccountRule::NameTaken(username).into())
        }
        Err(e) => return Err(e.into()),
    };
    let detail = match unit_code {
        Some(c) if role.needs_unit() => format!("role={} unit={c}", role.as_str()),
        _ => format!("role={}", role.as_str()),
    };
    audit::record(conn, actor, AuditAction::UserCreate, &username, &detail)?;
    Ok(id)
}

pub(crate) fn unit_for_role(
    conn: &mut DbConn,
    role: Role,
    unit_code: Option<&str>,
) -> Result<Option<String>, AccountError> {
    let code = unit_code.map(str::trim).filter(|c| !c.is_empty());
    match (role.needs_unit(), code) {
        (true, None) => Err(AccountRule::UnitNeeded.into()),
        (false, Some(_)) => Err(AccountRule::UnitRefused.into()),
        (false, None) => Ok(None),
        (true, Some(code)) => {
            let found = db::units::by_codes(conn, &[code.to_string()])?;
            match found.into_iter().next() {
                Some(u) => Ok(Some(u.id.into())),
                None => Err(AccountRule::UnknownUnit(code.to_string()).into()),
            }
        }
    }
}

/// Set a new password after checking the policy; ends the user's other sessions.
pub fn set_password(
    conn: &mut DbConn,
    actor: &Actor,
    user: &UserRecord,
    password: &str,
    action: AuditAction,
) -> Result<(), AccountError> {
    check_password_policy(password)?;
    let hash = hash_password(password)?;
    conn.transaction(|conn| {
        db::accounts::set_password(conn, &user.id, &hash)?;
        audit::record(conn, actor, action, &user.username, "")
    })?;
    Ok(())
}

/// How many administrators exist: none means the first step is to create one.
pub fn count_admins(conn: &mut DbConn) -> Result<i64, AppError> {
    Ok(db::accounts::count_admins(conn)?)
}

/// Every account, as the users screen lists them.
pub fn users(conn: &mut DbConn) -> Result<Vec<UserRecord>, AppError> {
    Ok(db::accounts::all_users(conn)?)
}

/// An account by id, for the screens that act on one.
pub fn user(conn: &mut DbConn, user_id: &str) -> Result<Option<UserRecord>, AppError> {
    Ok(db::accounts::user(conn, user_id)?)
}

/// Log a user out everywhere: their epoch moves, so every cookie issued
/// before is dead (a cookie stays readable until it expires). Audited in
/// the same transaction. An unknown id does nothing.
pub fn logout(conn: &mut DbConn, user_id: &str) -> Result<(), AppError> {
    conn.transaction(|conn| {
        if let Some(u) = db::accounts::user(conn, user_id)? {
            db::accounts::end_sessions(conn, &u.id)?;
            let actor = Actor::User(u.username.clone());
            audit::record(conn, &actor, AuditAction::Logout, &u.username, "")?;
        }
        Ok(())
    })
}

/// Disable or enable an account by `actor`, audited in the same transaction.
pub fn set_disabled(
    conn: &mut DbConn,
    actor: &Actor,
    user_id: &str,
    disabled: bool,
) -> Result<(), AppError> {
    conn.transaction(|conn| {
        let user = db::accounts::user(conn, user_id)?.ok_or(AppError::NotFound)?;
        db::accounts::set_disabled(conn, user_id, disabled)?;
        let action = if disabled {
            AuditAction::UserDisable
        } else {
            AuditAction::UserEnable
        };
        audit::record(conn, actor, action, &user.username, "")?;
        Ok(())
    })
}

/// The principal of a live session: the user exists, is enabled, and the
/// session was issued after the user's last password change or disable.
pub fn principal_for_user(
    conn: &mut DbConn,
    user_id: &str,
    epoch: i32,
) -> Result<Option<(Principal, UserRecord)>, AppError> {
    let Some(u) = db::accounts::user(conn, user_id)? else {
        return Ok(None);
    };
    if u.disabled || u.session_epoch != epoch {
        return Ok(None);
    }
    let role = u.role;
    let p = Principal {
        actor: Actor::User(u.username.clone()),
        user_id: Some(u.id.clone()),
        scope: scope_of(conn, role, u.unit_id.as_deref())?,
        role,
    };
    Ok(Some((p, u)))
}

/// The 64-byte key that signs and encrypts session cookies: from
/// SIPAS_SECRET_KEY, or created once in the database and shared by every instance.
pub fn session_key_bytes(settings: &Settings, conn: &mut DbConn) -> Result<Vec<u8>, String> {
    if let Some(s) = &settings.secret_key {
        if s.len() < 32 {
            return Err("SIPAS_SECRET_KEY must be at least 32 characters long".into());
        }
        return Ok(Sha512::digest(s.as_bytes()).to_vec());
    }
    let stored = db::accounts::secret_or_create(conn, "session_key", || {
        let bytes: [u8; 32] = rand::rng().random();
        let more: [u8; 32] = rand::rng().random();
        format!("{}{}", hex::encode(bytes), hex::encode(more))
    })
    .map_err(|e| format!("cannot read the session key: {e}"))?;
    hex::decode(stored.trim())
        .ok()
        .filter(|b| b.len() == 64)
        .ok_or_else(|| "the stored session key is not 64 hex bytes".to_string())
}

/// A random password for `sipas admin create` when none is given.
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..20)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// Compare two secrets in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2_hashes_verify_only_their_password() {
        let h = hash_password("correct horse battery").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password(&h, "correct horse battery"));
        assert!(!verify_password(&h, "wrong horse battery"));
        assert!(!verify_password(dummy_hash(), "anything at all"));
        assert!(PasswordHash::new(dummy_hash()).is_ok());
    }

    #[test]
    fn keys_compare_exactly() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "abcd"));
    }
}
