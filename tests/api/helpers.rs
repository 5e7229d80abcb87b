//! Test harness (after zero2prod): every test gets its own database and a
//! real server on port 0. `db_test!` runs a test on SQLite and, when
//! SIPAS_TEST_POSTGRES_URL points at a server, on PostgreSQL too.
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use diesel::{Connection, RunQueryDsl};
use sipas::config::Settings;
use sipas::Application;

pub const PG_ENV: &str = "SIPAS_TEST_POSTGRES_URL";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestDb {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub address: String,
    pub database_url: String,
    pub templates_dir: PathBuf,
    pub client: reqwest::Client,
    pub backend: TestDb,
    // Keeps the SQLite file and scratch files alive for the test's duration.
    pub dir: tempfile::TempDir,
}

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fresh_postgres_database(base: &str) -> String {
    let name = format!("sipas_test_{}", uuid::Uuid::new_v4().simple());
    let mut conn =
        diesel::PgConnection::establish(base).expect("connect to the test PostgreSQL server");
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .expect("create test database");
    let (prefix, _) = base.rsplit_once('/').expect("a database URL with a path");
    format!("{prefix}/{name}")
}

/// Start the server on port 0 with its own fresh database. Returns None for
/// PostgreSQL when no test server is configured.
pub async fn spawn_app(db: TestDb) -> Option<TestApp> {
    spawn_app_with(db, &manifest_dir().join("survey-templates")).await
}

pub async fn spawn_app_with(db: TestDb, templates: &Path) -> Option<TestApp> {
    spawn_app_configured(db, templates, |_| {}).await
}

/// Start with adjusted settings. Abuse limits are off by default in tests
/// (hundreds of posts come from one address); tests of the limits turn them on.
pub async fn spawn_app_configured(
    db: TestDb,
    templates: &Path,
    adjust: impl FnOnce(&mut Settings),
) -> Option<TestApp> {
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = match db {
        TestDb::Sqlite => dir.path().join("sipas.db").display().to_string(),
        TestDb::Postgres => fresh_postgres_database(&std::env::var(PG_ENV).ok()?),
    };
    let mut settings = Settings {
        database_url: database_url.clone(),
        bind: "127.0.0.1:0".into(),
        templates_dir: templates.to_path_buf(),
        base_url: None,
        rate_limit_per_minute: 0,
        device_cap_per_campaign: 0,
        ..Settings::default()
    };
    adjust(&mut settings);
    let app = Application::build(settings).expect("the application starts");
    let port = app.port();
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client");
    Some(TestApp {
        address: format!("http://127.0.0.1:{port}"),
        database_url,
        templates_dir: templates.to_path_buf(),
        client,
        backend: db,
        dir,
    })
}

impl TestApp {
    /// Run the real `sipas` binary against this app's database.
    pub fn cli(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_sipas"))
            .args(args)
            .env("DATABASE_URL", &self.database_url)
            .env("SIPAS_TEMPLATES", &self.templates_dir)
            .env("SIPAS_LOG", "warn")
            .output()
            .expect("run sipas")
    }

    pub fn cli_ok(&self, args: &[&str]) -> String {
        let out = self.cli(args);
        assert!(
            out.status.success(),
            "sipas {args:?} failed:\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn import_sample_units(&self) {
        let file = manifest_dir().join("examples/hanoi-units.csv");
        self.cli_ok(&["units", "import", file.to_str().expect("utf-8 path")]);
    }

    /// Create an open campaign on the given units; returns its id.
    pub fn create_campaign(&self, template: &str, units: &str) -> String {
        let out = self.cli_ok(&[
            "campaigns",
            "create",
            "--template",
            template,
            "--name",
            "Khảo sát thử nghiệm 2026",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--units",
            units,
        ]);
        out.split_whitespace()
            .nth(1)
            .expect("campaign id in output")
            .to_string()
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("GET")
    }

    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        let resp = self.get(path).await;
        assert_eq!(resp.status(), 200, "GET {path}");
        resp.json().await.expect("json body")
    }

    pub async fn post_form(&self, path: &str, fields: &[(String, String)]) -> reqwest::Response {
        let body = serde_urlencoded::to_string(fields).expect("encode form");
        self.client
            .post(format!("{}{path}", self.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("POST")
    }
}

/// Run an async test body on both backends: `db_test!(name, |app| async move { … });`
#[macro_export]
macro_rules! db_test {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::helpers::spawn_app($crate::helpers::TestDb::Sqlite)
                    .await
                    .expect("sqlite app");
                ($body)(app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(app) = $crate::helpers::spawn_app($crate::helpers::TestDb::Postgres).await
                else {
                    eprintln!(
                        "skipped: set {} to run on PostgreSQL",
                        $crate::helpers::PG_ENV
                    );
                    return;
                };
                ($body)(app).await;
            }
        }
    };
}
