//! One binary, two databases: SQLite (embedded default) and PostgreSQL.
//!
//! As in vaultwarden, the backend is picked from the URL scheme and diesel's
//! `MultiConnection` lets one query serve both; the few statements that differ
//! (upserts) go through `per_backend!`.
pub mod accounts;
pub mod audit;
pub mod backfill;
pub mod campaigns;
pub mod entry;
pub mod exports;
mod ids;
pub mod invitation_mail;
pub mod invitations;
pub mod mail_wording;
pub mod outbox;
pub mod pending;
pub mod publications;
pub mod responses;
pub mod schema;
pub mod short_links;
pub mod submission;
pub mod submit;
pub mod targets;
pub mod templates;
pub mod units;
pub mod writer;

use std::path::{Path, PathBuf};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{self, ManageConnection};
use diesel::sqlite::SqliteConnection;
use diesel::Connection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

// diesel takes a migration's version from its folder name: the part before
// the first `_`, dashes removed (migrations_internals' `version_from_string`),
// so `2026-11-25-000100_unit_targets` is version 20261125000100. The words
// after the `_` may change; the part before it must not, or a database that
// recorded the old version runs that migration again.
pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

/// Run the same diesel code on whichever backend the connection is, for the
/// statements `MultiConnection` cannot express (upserts, RETURNING).
#[macro_export]
macro_rules! per_backend {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::db::DbConn::Sqlite($c) => $body,
            $crate::db::DbConn::Pg($c) => $body,
        }
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A parsed database URL: `postgres://…`, `sqlite://path`, `sqlite:path` or a bare path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> DatabaseUrl {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            DatabaseUrl::Postgres(url.to_string())
        } else {
            let path = url
                .strip_prefix("sqlite://")
                .or_else(|| url.strip_prefix("sqlite:"))
                .unwrap_or(url);
            DatabaseUrl::Sqlite(PathBuf::from(path))
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            DatabaseUrl::Sqlite(_) => Backend::Sqlite,
            DatabaseUrl::Postgres(_) => Backend::Postgres,
        }
    }

    fn establish(&self) -> Result<DbConn, diesel::ConnectionError> {
        match self {
            DatabaseUrl::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(&path.to_string_lossy())?;
                // WAL lets readers run beside the one writer; busy_timeout makes
                // writers queue instead of failing under load. It comes first:
                // switching to WAL takes a lock too, and the pool opens several
                // connections at once ("database is locked" otherwise).
                conn.batch_execute(
                    "PRAGMA busy_timeout = 15000; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
                     PRAGMA temp_store = MEMORY;",
                )
                .map_err(|e| diesel::ConnectionError::BadConnection(e.to_string()))?;
                Ok(DbConn::Sqlite(conn))
            }
            DatabaseUrl::Postgres(url) => Ok(DbConn::Pg(PgConnection::establish(url)?)),
        }
    }
}

pub struct Manager {
    url: DatabaseUrl,
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConn, r2d2::Error> {
        self.url.establish().map_err(r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConn) -> bool {
        false
    }
}

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConn = r2d2::PooledConnection<Manager>;

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("cannot create the database folder {0}: {1}")]
    Folder(String, std::io::Error),
    #[error("cannot connect to the database: {0}")]
    Connect(#[from] diesel::ConnectionError),
    #[error("cannot apply migrations: {0}")]
    Migrate(String),
    #[error("cannot build the connection pool: {0}")]
    Pool(#[from] r2d2::PoolError),
    #[error("cannot start the writer thread: {0}")]
    Writer(#[source] std::io::Error),
}

/// Create the database if needed, apply pending migrations and open a pool.
pub fn connect(url: &DatabaseUrl, max_size: u32) -> Result<Pool, SetupError> {
    if let DatabaseUrl::Sqlite(path) = url {
        ensure_parent(path)?;
    }
    migrate(url)?;
    let pool = r2d2::Pool::builder()
        .max_size(max_size)
        .connection_timeout(Duration::from_secs(30))
        .build(Manager { url: url.clone() })?;
    Ok(pool)
}

fn ensure_parent(path: &Path) -> Result<(), SetupError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| SetupError::Folder(dir.display().to_string(), e))?;
    }
    Ok(())
}

/// Apply pending migrations, then fill in the kept counts an older database
/// lacks (`backfill`). On PostgreSQL an advisory lock keeps several
/// instances starting at once from migrating twice.
pub fn migrate(url: &DatabaseUrl) -> Result<(), SetupError> {
    const LOCK: &str = "SELECT pg_advisory_lock(7362521)";
    let mut conn = url.establish()?;
    let pg = matches!(conn, DbConn::Pg(_));
    if pg {
        conn.batch_execute(LOCK)
            .map_err(|e| SetupError::Migrate(e.to_string()))?;
    }
    let result = migrate_and_backfill(&mut conn);
    if pg {
        let _ = conn.batch_execute("SELECT pg_advisory_unlock(7362521)");
    }
    let (applied, backfilled) = result.map_err(SetupError::Migrate)?;
    if applied > 0 || backfilled > 0 {
        tracing::info!(
            applied,
            backfilled,
            backend = url.backend().name(),
            "migrations applied"
        );
    }
    Ok(())
}

fn migrate_and_backfill(conn: &mut DbConn) -> Result<(usize, usize), String> {
    let applied = match conn {
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
        DbConn::Pg(c) => c
            .run_pending_migrations(POSTGRES_MIGRATIONS)
            .map(|v| v.len()),
    }
    .map_err(|e| e.to_string())?;
    let backfilled = backfill::answered_counts(conn).map_err(|e| e.to_string())?;
    Ok((applied, backfilled))
}

/// Is this error a unique-constraint violation (a race lost to another request)?
pub fn is_unique_violation(e: &diesel::result::Error) -> bool {
    matches!(
        e,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}

/// A state column read into its type: an unknown value is a query error.
pub fn state<T>(value: String) -> diesel::QueryResult<T>
where
    T: TryFrom<String, Error = crate::domain::campaign::UnknownState>,
{
    T::try_from(value).map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_pick_the_backend() {
        assert_eq!(
            DatabaseUrl::parse("postgres://u@h/db").backend(),
            Backend::Postgres
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/x.db"),
            DatabaseUrl::Sqlite("data/x.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("data/x.db"),
            DatabaseUrl::Sqlite("data/x.db".into())
        );
    }
}
