//! API keys for systems: `sipas_` and 64 hex digits, stored as SHA-256 only,
//! carrying a role (and a unit for unit officers), revocable.
use rand::Rng;
use sha2::{Digest, Sha256};

pub use crate::db::accounts::ApiKeyRecord;
use crate::db::{self, DbConn};
use crate::domain::account::{AccountRule, Role};
use crate::error::AppError;
use crate::service::audit::{self, Actor, AuditAction};
use crate::service::auth::{scope_of, unit_for_role, AccountError, Principal};

/// A new API key: `sipas_` and 64 hex digits. Only its SHA-256 is stored.
pub struct IssuedKey {
    pub id: String,
    pub key: String,
}

pub fn hash_api_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.trim().as_bytes()))
}

pub fn create_api_key(
    conn: &mut DbConn,
    actor: &Actor,
    name: &str,
    role: Role,
    unit_code: Option<&str>,
) -> Result<IssuedKey, AccountError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AccountRule::KeyName.into());
    }
    let unit_id = unit_for_role(conn, role, unit_code)?;
    let secret: [u8; 32] = rand::rng().random();
    let key = format!("sipas_{}", hex::encode(secret));
    let id = db::accounts::create_api_key(
        conn,
        db::accounts::NewApiKey {
            name,
            key_hash: &hash_api_key(&key),
            prefix: &key[..14],
            role,
            unit_id: unit_id.as_deref(),
            created_by: &actor.to_string(),
        },
    )?;
    let detail = match unit_code {
        Some(c) if role.needs_unit() => format!("{name}; role={} unit={c}", role.as_str()),
        _ => format!("{name}; role={}", role.as_str()),
    };
    audit::record(conn, actor, AuditAction::ApiKeyCreate, &id, &detail)?;
    Ok(IssuedKey { id, key })
}

pub fn revoke_api_key(conn: &mut DbConn, actor: &Actor, id: &str) -> Result<bool, AppError> {
    let done = db::accounts::revoke_api_key(conn, id)?;
    if done {
        audit::record(conn, actor, AuditAction::ApiKeyRevoke, id, "")?;
    }
    Ok(done)
}

/// The principal behind an `Authorization: Bearer sipas_…` key, if it is live.
pub fn principal_for_key(conn: &mut DbConn, key: &str) -> Result<Option<Principal>, AppError> {
    let Some(rec) = db::accounts::live_api_key(conn, &hash_api_key(key))? else {
        return Ok(None);
    };
    let role = rec.role;
    Ok(Some(Principal {
        actor: Actor::Key(rec.name.clone()),
        user_id: None,
        scope: scope_of(conn, role, rec.unit_id.as_deref())?,
        role,
    }))
}

/// Every API key, revoked ones too, as the keys screen lists them.
pub fn all(conn: &mut DbConn) -> Result<Vec<ApiKeyRecord>, AppError> {
    Ok(db::accounts::all_api_keys(conn)?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn key_hashes_are_sha256_hex() {
        assert_eq!(super::hash_api_key("sipas_x").len(), 64);
        assert_eq!(
            super::hash_api_key(" sipas_x "),
            super::hash_api_key("sipas_x")
        );
    }
}
