//! `sipas api-keys create|revoke|list`: keys for systems calling /api/v1.
use crate::config::Settings;
use crate::domain::account::parse_role;
use crate::service::audit::Actor;
use crate::service::auth;
use crate::service::{api_keys, units, DbConn};

/// Create a key and print it once on standard output, the notice on
/// standard error, so `KEY=$(sipas api-keys create …)` holds the key alone.
pub fn create(
    settings: &Settings,
    name: &str,
    role: &str,
    unit: Option<&str>,
) -> anyhow::Result<()> {
    let mut conn = super::connect(settings)?;
    let issued = create_key(&mut conn, name, role, unit)?;
    eprintln!(
        "API key {} created; it is shown once, store it now:",
        issued.id
    );
    println!("{}", issued.key);
    Ok(())
}

pub fn revoke(settings: &Settings, id: &str) -> anyhow::Result<()> {
    let mut conn = super::connect(settings)?;
    revoke_key(&mut conn, id)?;
    println!("API key {id} revoked");
    Ok(())
}

pub fn list(settings: &Settings) -> anyhow::Result<()> {
    let mut conn = super::connect(settings)?;
    for line in list_keys(&mut conn)? {
        println!("{line}");
    }
    Ok(())
}

pub fn create_key(
    conn: &mut DbConn,
    name: &str,
    role: &str,
    unit: Option<&str>,
) -> anyhow::Result<auth::IssuedKey> {
    let role = parse_role(role)?;
    Ok(auth::create_api_key(conn, &Actor::Cli, name, role, unit)?)
}

pub fn revoke_key(conn: &mut DbConn, id: &str) -> anyhow::Result<()> {
    if !auth::revoke_api_key(conn, &Actor::Cli, id)? {
        anyhow::bail!("no live API key with id {id}; `sipas api-keys list` shows them");
    }
    Ok(())
}

/// One line per key: id, prefix, role, unit, live or revoked, name.
pub fn list_keys(conn: &mut DbConn) -> anyhow::Result<Vec<String>> {
    let units = units::all(conn)?;
    Ok(api_keys::all(conn)?
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
                k.id,
                k.prefix,
                k.role.as_str(),
                unit,
                state,
                k.name
            )
        })
        .collect())
}
