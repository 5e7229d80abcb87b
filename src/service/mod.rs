//! Work that combines the database with the pure domain: loading templates,
//! taking a submission, assembling results. Handlers and the CLI call these.
/// The connection every use case takes; callers get one from the pool.
pub use crate::db::{DbConn, Pool, PooledConn, SetupError};

/// The health check: the database answers a query.
pub fn database_answers(conn: &mut DbConn) -> Result<(), crate::error::AppError> {
    use diesel::connection::SimpleConnection;
    Ok(conn.batch_execute("SELECT 1")?)
}

/// Create the database if needed and bring its schema up to date.
pub fn migrate(database_url: &str) -> Result<(), SetupError> {
    crate::db::migrate(&crate::db::DatabaseUrl::parse(database_url))
}

pub mod access;
pub mod api_keys;
pub mod audit;
pub mod auth;
pub mod campaign_overview;
pub mod campaigns;
pub mod dashboard;
pub mod entry;
pub mod export;
pub mod form_context;
pub mod invitations;
pub mod lineage;
pub mod mail_wording;
pub mod recipients;
pub mod responses;
pub mod results;
pub mod short_links;
pub mod targets;
pub mod templates;
pub mod units;
