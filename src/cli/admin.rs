//! `sipas admin create` (the first administrator) and `sipas api-keys …`.
use std::io::Read;

use crate::db::{self, DbConn};
use crate::domain::account::{parse_role, Role};
use crate::service::auth;

/// Create an administrator. Without `password`, one is generated and returned
/// so it can be shown once. Returns (user id, password).
pub fn create_admin(
    conn: &mut DbConn,
    username: &str,
    password: Option<String>,
) -> anyhow::Result<(String, Option<String>)> {
    let generated = password.is_none();
    let password = password.unwrap_or_else(auth::generate_password);
    let id = auth::create_user(conn, "cli", username, &password, Role::Admin, None)?;
    Ok((id, generated.then_some(password)))
}

/// The first line of standard input, without its line ending.
pub fn password_from_stdin() -> anyhow::Result<String> {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s)?;
    let line = s.lines().next().unwrap_or_default().to_string();
    if line.is_empty() {
        anyhow::bail!("no password on standard input");
    }
    Ok(line)
}

pub fn create_key(
    conn: &mut DbConn,
    name: &str,
    role: &str,
    unit: Option<&str>,
) -> anyhow::Result<auth::IssuedKey> {
    let role = parse_role(role)?;
    Ok(auth::create_api_key(conn, "cli", name, role, unit)?)
}

pub fn revoke_key(conn: &mut DbConn, id: &str) -> anyhow::Result<()> {
    if !auth::revoke_api_key(conn, "cli", id)? {
        anyhow::bail!("no live API key with id {id}; `sipas api-keys list` shows them");
    }
    Ok(())
}

pub fn list_keys(conn: &mut DbConn) -> anyhow::Result<Vec<String>> {
    let units = db::units::all(conn)?;
    Ok(db::accounts::all_api_keys(conn)?
        .into_iter()
        .map(|k| {
            let unit = k
                .unit_id
                .as_deref()
                .and_then(|id| units.iter().find(|u| u.id == id))
                .map(|u| u.code.as_str())
                .unwrap_or("-");
            let state = if k.revoked_at.is_some() {
                "revoked"
            } else {
                "live"
            };
            format!(
                "{}  {}…  {:<16} {:<10} {:<7} {}",
                k.id, k.prefix, k.role, unit, state, k.name
            )
        })
        .collect())
}
