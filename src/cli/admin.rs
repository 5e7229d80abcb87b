//! `sipas admin create`: an administrator (the first one, or another).
use std::io::Read;

use crate::config::Settings;
use crate::domain::account::Role;
use crate::service::audit::Actor;
use crate::service::auth;
use crate::service::DbConn;

/// Create an administrator and print its name; a generated password is
/// printed once, with where to change it.
pub fn create(settings: &Settings, username: &str, password_stdin: bool) -> anyhow::Result<()> {
    // Read before touching the database, so a missing password changes nothing.
    let password = if password_stdin {
        Some(password_from_stdin()?)
    } else {
        None
    };
    let mut conn = super::connect(settings)?;
    let (_, generated) = create_admin(&mut conn, username, password)?;
    println!("administrator {} created", username.trim().to_lowercase());
    if let Some(p) = generated {
        println!("password: {p}");
        println!("log in at /admin/login and change it under “Change password”.");
    }
    Ok(())
}

/// Create an administrator. Without `password`, one is generated and returned
/// so it can be shown once. Returns (user id, password).
pub fn create_admin(
    conn: &mut DbConn,
    username: &str,
    password: Option<String>,
) -> anyhow::Result<(String, Option<String>)> {
    let generated = password.is_none();
    let password = password.unwrap_or_else(auth::generate_password);
    let id = auth::create_user(conn, &Actor::Cli, username, &password, Role::Admin, None)?;
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
