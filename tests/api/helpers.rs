//! Test harness (after zero2prod): every test gets its own database and a
//! real server on port 0. `db_test!` runs a test on SQLite and, when
//! SIPAS_TEST_POSTGRES_URL points at a server, on PostgreSQL too.
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use diesel::{Connection, RunQueryDsl};
use sipas::config::Settings;
use sipas::Application;

pub const PG_ENV: &str = "SIPAS_TEST_POSTGRES_URL";
/// Test servers lock a login for this long after 5 failures.
pub const LOCKOUT_SECS: u64 = 2;

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
    /// An analyst API key, created through the CLI on first use by `get_json` on /api.
    pub analyst_key: std::sync::OnceLock<String>,
    // Keeps the SQLite file and scratch files alive for the test's duration.
    pub dir: tempfile::TempDir,
}

/// The `sipas` binary the tests run: cargo's build of it, or SIPAS_TEST_BIN
/// (a copy taken right after the build, when other checkouts share the
/// target directory and may overwrite cargo's).
pub fn sipas_bin() -> String {
    std::env::var("SIPAS_TEST_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_sipas").to_string())
}

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A new, empty database on the PostgreSQL test server; returns its URL.
pub fn fresh_postgres_database(base: &str) -> String {
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
    Some(start_app(db, dir, database_url, templates, adjust))
}

/// Start the server on a database that already exists (a restored fixture);
/// `dir` holds the test's scratch files.
pub fn start_app(
    db: TestDb,
    dir: tempfile::TempDir,
    database_url: String,
    templates: &Path,
    adjust: impl FnOnce(&mut Settings),
) -> TestApp {
    let mut settings = Settings {
        database_url: database_url.clone(),
        bind: "127.0.0.1:0".into(),
        templates_dir: templates.to_path_buf(),
        base_url: None,
        rate_limit_per_minute: 0,
        device_cap_per_campaign: 0,
        // Short enough that the lockout test watches it lift.
        login_lockout_secs: LOCKOUT_SECS,
        ..Settings::default()
    };
    // Mail goes to .eml files in the test's own folder unless a test sets SMTP.
    settings.mail.outbox_dir = dir.path().join("outbox");
    adjust(&mut settings);
    let app = Application::build(settings).expect("the application starts");
    let port = app.port();
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client");
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        database_url,
        templates_dir: templates.to_path_buf(),
        client,
        backend: db,
        analyst_key: std::sync::OnceLock::new(),
        dir,
    }
}

impl TestApp {
    /// Run the real `sipas` binary against this app's database.
    pub fn cli(&self, args: &[&str]) -> Output {
        Command::new(sipas_bin())
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

    /// A campaign's results as `sipas export --format json` writes them: a
    /// fresh process computing everything from the stored tallies.
    pub fn export_json(&self, campaign: &str) -> serde_json::Value {
        let path = self
            .dir
            .path()
            .join(format!("results-{}.json", next_name("x")));
        let out = path.to_str().expect("utf-8 path");
        self.cli_ok(&[
            "export",
            "--campaign",
            campaign,
            "--format",
            "json",
            "--out",
            out,
        ]);
        serde_json::from_str(&std::fs::read_to_string(&path).expect("export")).expect("json")
    }

    pub fn import_sample_units(&self) {
        let file = manifest_dir().join("examples/hanoi-units.csv");
        self.cli_ok(&["units", "import", file.to_str().expect("utf-8 path")]);
    }

    /// Create an open campaign whose template ranks every unit with at least
    /// one respondent (`rank_min_respondents = 1`), for tests of the
    /// ranking's arithmetic on a handful of responses; returns its id.
    pub fn create_small_sample_campaign(&self, template: &str, units: &str) -> String {
        let dir = self.dir.path().join("small-sample-templates");
        std::fs::create_dir_all(&dir).expect("templates dir");
        let file = format!("{template}.toml");
        let source = std::fs::read_to_string(self.templates_dir.join(&file)).expect("template");
        // Top-level keys go before the first table: right after `key = …`.
        let (head, rest) = source.split_once("\nkey = ").expect("a key line");
        let (key_line, tail) = rest.split_once('\n').expect("more lines");
        let patched = format!("{head}\nkey = {key_line}\nrank_min_respondents = 1\n{tail}");
        std::fs::write(dir.join(&file), patched).expect("write template");
        self.create_campaign_from(&dir, template, units)
    }

    /// Create an open campaign on the given units; returns its id.
    pub fn create_campaign(&self, template: &str, units: &str) -> String {
        self.create_campaign_from(&self.templates_dir.clone(), template, units)
    }

    /// Create an open campaign with the templates of `templates`.
    fn create_campaign_from(&self, templates: &Path, template: &str, units: &str) -> String {
        let out = Command::new(sipas_bin())
            .args([
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
            ])
            .env("DATABASE_URL", &self.database_url)
            .env("SIPAS_TEMPLATES", templates)
            .env("SIPAS_LOG", "warn")
            .output()
            .expect("run sipas");
        assert!(
            out.status.success(),
            "campaigns create failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
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

    /// GET a JSON document. Paths under /api/ are read with an analyst API key
    /// (access control itself is tested in tests/api/access.rs).
    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        let resp = if path.starts_with("/api/") {
            let key = self
                .analyst_key
                .get_or_init(|| self.api_key("analyst", None))
                .clone();
            self.api_get(&key, path).await
        } else {
            self.get(path).await
        };
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

/// A browser: a client keeping cookies, with the session's CSRF token.
pub struct Browser {
    pub address: String,
    pub client: reqwest::Client,
    pub csrf: String,
}

pub fn cookie_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client")
}

/// The value of the first hidden `csrf` field in a page.
pub fn csrf_in(html: &str) -> String {
    let marker = r#"name="csrf" value=""#;
    let start = html.find(marker).expect("a csrf field in the page") + marker.len();
    let end = html[start..].find('"').expect("end of the csrf value");
    html[start..start + end].to_string()
}

impl Browser {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("GET")
    }

    /// GET a page that must answer 200; returns its HTML.
    pub async fn page(&self, path: &str) -> String {
        let resp = self.get(path).await;
        assert_eq!(resp.status(), 200, "GET {path}");
        resp.text().await.expect("page body")
    }

    /// POST a form with this session's CSRF token added.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut all: Vec<(&str, &str)> = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// POST multipart/form-data (a file upload) with this session's CSRF token:
    /// parts are (name, file name for file parts, content).
    pub async fn post_multipart(
        &self,
        path: &str,
        parts: &[(&str, Option<&str>, &str)],
    ) -> reqwest::Response {
        let parts: Vec<(&str, Option<&str>, &[u8])> = parts
            .iter()
            .map(|(name, file, content)| (*name, *file, content.as_bytes()))
            .collect();
        self.post_multipart_bytes(path, &parts).await
    }

    /// A multipart form whose files are any bytes (a workbook, UTF-16 text).
    pub async fn post_multipart_bytes(
        &self,
        path: &str,
        parts: &[(&str, Option<&str>, &[u8])],
    ) -> reqwest::Response {
        let boundary = "sipas-test-boundary-7c1e";
        let mut body: Vec<u8> = Vec::new();
        let csrf = [("csrf", None, self.csrf.as_bytes())];
        for (name, file, content) in csrf.iter().chain(parts) {
            body.extend(format!("--{boundary}\r\n").as_bytes());
            match file {
                Some(f) => body.extend(format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                ).as_bytes()),
                None => body.extend(format!(
                    "Content-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                ).as_bytes()),
            }
            body.extend_from_slice(content);
            body.extend(b"\r\n");
        }
        body.extend(format!("--{boundary}--\r\n").as_bytes());
        self.client
            .post(format!("{}{path}", self.address))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await
            .expect("POST multipart")
    }

    /// POST a form exactly as given (no CSRF token unless it is among the fields).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
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

static NEXT_USER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(1);

fn next_name(prefix: &str) -> String {
    let n = NEXT_USER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{prefix}-{n}-u")
}

pub const TEST_PASSWORD: &str = "mat-khau-thu-nghiem-2026";

impl TestApp {
    /// Try a login with a fresh browser: GET the form (for its CSRF token), then POST.
    pub async fn try_login(&self, username: &str, password: &str) -> (Browser, reqwest::Response) {
        let client = cookie_client();
        let html = client
            .get(format!("{}/admin/login", self.address))
            .send()
            .await
            .expect("GET login")
            .text()
            .await
            .expect("login page");
        let mut b = Browser {
            address: self.address.clone(),
            client,
            csrf: csrf_in(&html),
        };
        let resp = b
            .post(
                "/admin/login",
                &[("username", username), ("password", password)],
            )
            .await;
        if resp.status() == 303 {
            // The session (and its token) is renewed at login.
            let dash = b.page("/admin").await;
            b.csrf = csrf_in(&dash);
        }
        (b, resp)
    }

    /// Log in; panics unless the login succeeds.
    pub async fn login(&self, username: &str, password: &str) -> Browser {
        let (b, resp) = self.try_login(username, password).await;
        assert_eq!(resp.status(), 303, "login as {username}");
        b
    }

    /// Create an administrator through `sipas admin create`; returns (name, password).
    pub fn create_admin(&self) -> (String, String) {
        let name = next_name("admin");
        let out = self.cli_ok(&["admin", "create", "--username", &name]);
        let password = out
            .lines()
            .find_map(|l| l.strip_prefix("password: "))
            .expect("a generated password in the output")
            .trim()
            .to_string();
        (name, password)
    }

    /// A browser logged in as a new administrator.
    pub async fn admin_client(&self) -> Browser {
        let (name, password) = self.create_admin();
        self.login(&name, &password).await
    }

    /// Create an account with `role` (and `unit` for unit officers) through the
    /// admin screen; returns its login name. The password is TEST_PASSWORD.
    pub async fn create_user(&self, admin: &Browser, role: &str, unit: Option<&str>) -> String {
        let name = next_name(role.split('_').next().unwrap_or("u"));
        let resp = admin
            .post(
                "/admin/users",
                &[
                    ("username", name.as_str()),
                    ("password", TEST_PASSWORD),
                    ("role", role),
                    ("unit", unit.unwrap_or("")),
                ],
            )
            .await;
        assert_eq!(
            resp.status(),
            303,
            "create {role} {name}: {}",
            resp.text().await.unwrap_or_default()
        );
        name
    }

    /// A new API key through `sipas api-keys create`.
    pub fn api_key(&self, role: &str, unit: Option<&str>) -> String {
        let mut args = vec![
            "api-keys",
            "create",
            "--name",
            "test system",
            "--role",
            role,
        ];
        if let Some(u) = unit {
            args.extend(["--unit", u]);
        }
        self.cli_ok(&args).trim().to_string()
    }

    pub async fn api_get(&self, key: &str, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .bearer_auth(key)
            .send()
            .await
            .expect("GET")
    }
}

/// The 36-character id right after `prefix` in a page or message.
pub fn id_after(html: &str, prefix: &str) -> String {
    let start = html.find(prefix).expect(prefix) + prefix.len();
    html[start..start + 36].to_string()
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

impl TestApp {
    /// Whether `needle` appears anywhere in the invitations table: used to
    /// show that personal-link tokens are never stored.
    pub fn db_dump_contains(&self, needle: &str) -> bool {
        use diesel::prelude::*;
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            line: String,
        }
        let sql = "SELECT id || '|' || token_hash || '|' || COALESCE(dossier_id, '') || '|' || COALESCE(progress, '') AS line FROM invitations";
        let rows: Vec<Row> = match self.backend {
            TestDb::Sqlite => {
                let mut c = diesel::SqliteConnection::establish(&self.database_url).expect("db");
                diesel::sql_query(sql).load(&mut c).expect("rows")
            }
            TestDb::Postgres => {
                let mut c = diesel::PgConnection::establish(&self.database_url).expect("db");
                diesel::sql_query(sql).load(&mut c).expect("rows")
            }
        };
        assert!(!rows.is_empty(), "there are invitations to look at");
        rows.iter().any(|r| r.line.contains(needle))
    }

    /// How many rows `table` holds, read straight from the database.
    pub fn count(&self, table: &str) -> i64 {
        use diesel::prelude::*;
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let sql = format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM {table}");
        let rows: Vec<Row> = match self.backend {
            TestDb::Sqlite => {
                let mut c = diesel::SqliteConnection::establish(&self.database_url).expect("db");
                diesel::sql_query(&sql).load(&mut c).expect("count")
            }
            TestDb::Postgres => {
                let mut c = diesel::PgConnection::establish(&self.database_url).expect("db");
                diesel::sql_query(&sql).load(&mut c).expect("count")
            }
        };
        rows[0].n
    }
}
