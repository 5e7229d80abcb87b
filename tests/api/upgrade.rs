//! Upgrading: a database made by an earlier release (the dumps in
//! tests/fixtures/upgrade, made as its README says) opens with this build's
//! migrations without running any of them again, and its demo campaign's
//! results come out as that release exported them.
use std::path::PathBuf;
use std::process::Command;

use diesel::connection::SimpleConnection;
use diesel::migration::MigrationSource;
use diesel::sql_types::Text;
use diesel::{Connection, PgConnection, RunQueryDsl, SqliteConnection};

use crate::helpers::{self, TestDb};

#[derive(diesel::QueryableByName, Debug, Clone, PartialEq, Eq)]
struct Applied {
    #[diesel(sql_type = Text)]
    version: String,
    #[diesel(sql_type = Text)]
    run_on: String,
}

const APPLIED: &str = "SELECT version, CAST(run_on AS TEXT) AS run_on \
                       FROM __diesel_schema_migrations ORDER BY version";

fn fixture(name: &str) -> PathBuf {
    helpers::manifest_dir()
        .join("tests/fixtures/upgrade")
        .join(name)
}

fn prefix(db: TestDb) -> &'static str {
    match db {
        TestDb::Sqlite => "sqlite",
        TestDb::Postgres => "postgres",
    }
}

/// Run a whole dump on the database. Its own connection: a pg_dump empties
/// the session's search_path.
fn restore(db: TestDb, url: &str, dump: &str) {
    match db {
        TestDb::Sqlite => SqliteConnection::establish(url)
            .expect("open sqlite")
            .batch_execute(dump),
        TestDb::Postgres => PgConnection::establish(url)
            .expect("connect postgres")
            .batch_execute(dump),
    }
    .expect("restore the dump");
}

/// The migrations table: versions and when each was run.
fn applied(db: TestDb, url: &str) -> Vec<Applied> {
    let query = diesel::sql_query(APPLIED);
    match db {
        TestDb::Sqlite => query.load(&mut SqliteConnection::establish(url).expect("open sqlite")),
        TestDb::Postgres => {
            query.load(&mut PgConnection::establish(url).expect("connect postgres"))
        }
    }
    .expect("read the migrations table")
}

/// The versions of the migrations this build embeds, sorted.
fn embedded_versions(db: TestDb) -> Vec<String> {
    let mut v: Vec<String> = match db {
        TestDb::Sqlite => {
            MigrationSource::<diesel::sqlite::Sqlite>::migrations(&sipas::db::SQLITE_MIGRATIONS)
                .expect("sqlite migrations")
                .iter()
                .map(|m| m.name().version().to_string())
                .collect()
        }
        TestDb::Postgres => {
            MigrationSource::<diesel::pg::Pg>::migrations(&sipas::db::POSTGRES_MIGRATIONS)
                .expect("postgres migrations")
                .iter()
                .map(|m| m.name().version().to_string())
                .collect()
        }
    };
    v.sort();
    v
}

/// (response id, item code) → values in their order.
type Choices = std::collections::BTreeMap<(String, String), Vec<i32>>;

#[derive(diesel::QueryableByName)]
struct ChoiceRow {
    #[diesel(sql_type = Text)]
    response_id: String,
    #[diesel(sql_type = Text)]
    item_code: String,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    value: i32,
}

#[derive(diesel::QueryableByName)]
struct PackedRow {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    choices: String,
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn load<
    T: diesel::QueryableByName<diesel::sqlite::Sqlite>
        + diesel::QueryableByName<diesel::pg::Pg>
        + 'static,
>(
    db: TestDb,
    url: &str,
    sql: &str,
) -> Vec<T> {
    let query = diesel::sql_query(sql);
    match db {
        TestDb::Sqlite => query.load(&mut SqliteConnection::establish(url).expect("open sqlite")),
        TestDb::Postgres => {
            query.load(&mut PgConnection::establish(url).expect("connect postgres"))
        }
    }
    .expect("query")
}

/// The choice answers as the release stored them, one row per value.
fn release_choices(db: TestDb, url: &str) -> Choices {
    let mut out = Choices::new();
    let rows: Vec<ChoiceRow> = load(
        db,
        url,
        "SELECT response_id, item_code, value FROM answers WHERE value IS NOT NULL ORDER BY response_id, item_code, seq",
    );
    for r in rows {
        out.entry((r.response_id, r.item_code))
            .or_default()
            .push(r.value);
    }
    out
}

/// The choice answers as packed on each response now, and how many choice
/// rows are left in the answers table.
fn packed_choices(db: TestDb, url: &str) -> (Choices, i64) {
    let mut out = Choices::new();
    let rows: Vec<PackedRow> = load(db, url, "SELECT id, choices FROM responses");
    for r in rows {
        for (item, value) in sipas::domain::packed::unpack(&r.choices) {
            out.entry((r.id.clone(), item.to_string()))
                .or_default()
                .push(value);
        }
    }
    let left: Vec<Count> = load(
        db,
        url,
        "SELECT COUNT(*) AS n FROM answers WHERE value IS NOT NULL",
    );
    (out, left.first().map_or(-1, |c| c.n))
}

async fn upgrade_keeps_everything(db: TestDb) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = match db {
        TestDb::Sqlite => dir.path().join("sipas.db").display().to_string(),
        TestDb::Postgres => match std::env::var(helpers::PG_ENV) {
            Ok(base) => helpers::fresh_postgres_database(&base),
            Err(_) => {
                eprintln!("skipped: set {} to run on PostgreSQL", helpers::PG_ENV);
                return;
            }
        },
    };
    let dump = std::fs::read_to_string(fixture(&format!("{}.sql", prefix(db)))).expect("dump");
    restore(db, &url, &dump);
    let before = applied(db, &url);
    let choices_then = release_choices(db, &url);
    assert!(
        !choices_then.is_empty(),
        "the release stored choice answers"
    );

    // Every migration the release recorded is one of this build's (a
    // renamed folder kept its version), and they come first: this build only
    // adds newer ones.
    let recorded: Vec<String> = before.iter().map(|a| a.version.clone()).collect();
    let embedded = embedded_versions(db);
    assert_eq!(
        recorded,
        embedded[..recorded.len()],
        "recorded vs embedded versions"
    );
    let newer = &embedded[recorded.len()..];

    // `sipas migrate` applies the newer migrations once and runs none of
    // the recorded ones again (their run_on stamps stay).
    let templates = helpers::manifest_dir().join("survey-templates");
    let migrate = || {
        let out = Command::new(helpers::sipas_bin())
            .arg("migrate")
            .env("DATABASE_URL", &url)
            .env("SIPAS_TEMPLATES", &templates)
            .env("SIPAS_LOG", "info")
            .output()
            .expect("run sipas migrate");
        let log = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{log}");
        log
    };
    let log = migrate();
    assert_eq!(
        log.contains("migrations applied"),
        !newer.is_empty(),
        "{log}"
    );
    let upgraded = applied(db, &url);
    assert_eq!(
        upgraded[..before.len()],
        before[..],
        "same versions and run_on stamps"
    );
    let versions: Vec<String> = upgraded.iter().map(|a| a.version.clone()).collect();
    assert_eq!(versions, embedded);
    // A second run finds nothing to do.
    let log = migrate();
    assert!(log.contains("migrations are up to date"), "{log}");
    assert!(!log.contains("migrations applied"), "{log}");
    assert_eq!(
        applied(db, &url),
        upgraded,
        "same versions and run_on stamps"
    );
    let before = upgraded;

    // The server starts on it (migrating again in-process) and the results
    // are those the release exported.
    let app = helpers::start_app(db, dir, url.clone(), &templates, |_| {});
    let health = app.get_json("/healthz").await;
    assert_eq!(health["status"], "ok");
    assert_eq!(applied(db, &url), before, "same versions and run_on stamps");
    let saved: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture(&format!("{}-results.json", prefix(db))))
            .expect("saved results"),
    )
    .expect("json");
    let campaign = saved["campaign_id"].as_str().expect("campaign id");
    // Every figure the release exported is unchanged. Fields added since
    // are left out, and so are ranks: units below the template's minimum
    // of respondents are no longer ranked, and blocks are ranked apart.
    let mut now = app.export_json(campaign);
    strip_ranking(&mut now, &saved);
    let mut then = saved.clone();
    strip_ranking(&mut then, &saved);
    assert_eq!(now, then);
    // Every choice answer the release stored one per row is now packed on
    // its response, value for value, and only free text is left as rows.
    let (choices_now, choice_rows_left) = packed_choices(db, &url);
    assert_eq!(choices_now, choices_then);
    assert_eq!(choice_rows_left, 0);
    // The release's units are in force always: no period was known.
    let units = app.cli_ok(&["units", "list", "--all"]);
    assert!(units.lines().count() > 1, "{units}");
    assert!(units.lines().all(|l| l.contains("always")), "{units}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    upgrade_keeps_everything(TestDb::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    upgrade_keeps_everything(TestDb::Postgres).await;
}

/// `v` without the keys `like` lacks (added by later releases) and without
/// each unit's rank.
fn strip_ranking(v: &mut serde_json::Value, like: &serde_json::Value) {
    match (v, like) {
        (serde_json::Value::Object(map), serde_json::Value::Object(old)) => {
            map.retain(|k, _| old.contains_key(k) && k != "rank");
            for (k, x) in map.iter_mut() {
                strip_ranking(x, &old[k]);
            }
        }
        (serde_json::Value::Array(items), serde_json::Value::Array(old)) => {
            for (x, o) in items.iter_mut().zip(old) {
                strip_ranking(x, o);
            }
        }
        _ => {}
    }
}
