//! Helpers shared by the benches: the real `sipas` binary of the bench
//! profile, run as a CLI or as a server child process.
// Each bench uses part of these.
#![allow(dead_code)]
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use diesel::{Connection, RunQueryDsl};

pub const BIN: &str = env!("CARGO_BIN_EXE_sipas");

pub fn templates_dir() -> String {
    format!("{}/survey-templates", env!("CARGO_MANIFEST_DIR"))
}

/// A running `sipas serve`, killed when dropped.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    /// Start `sipas serve` on a free port and wait for /healthz.
    pub async fn start(db: &str) -> Server {
        Server::start_with(db, &[]).await
    }

    /// The same, with more settings in the environment.
    pub async fn start_with(db: &str, env: &[(&str, &str)]) -> Server {
        let port = free_port();
        let child = Command::new(BIN)
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .env("DATABASE_URL", db)
            .env("SIPAS_TEMPLATES", templates_dir())
            .env("SIPAS_RATE_LIMIT_PER_MINUTE", "0")
            .env("SIPAS_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .spawn()
            .expect("start server");
        let server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let client = reqwest::Client::new();
        for _ in 0..300 {
            if client
                .get(format!("{}/healthz", server.base))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the server did not answer /healthz");
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// A field of /proc/<pid>/status in KiB (VmRSS, VmHWM).
    pub fn status_kib(&self, field: &str) -> u64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix(&format!("{field}:")).map(str::to_string))
            })
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }

    /// Reset the peak RSS (VmHWM) to the current RSS (Linux ≥ 4.0).
    pub fn reset_peak(&self) {
        let _ = std::fs::write(format!("/proc/{}/clear_refs", self.pid()), "5");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Run the CLI against `db`; panics unless it succeeds. Returns stdout.
pub fn sipas(db: &str, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(args)
        .env("DATABASE_URL", db)
        .env("SIPAS_TEMPLATES", templates_dir())
        .env("SIPAS_LOG", "warn")
        .output()
        .expect("run sipas");
    assert!(
        out.status.success(),
        "sipas {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A number from the environment, or the default.
pub fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The example units and a campaign "Bench" on `template` over `units`;
/// returns the campaign id.
pub fn campaign_on(db: &str, template: &str, units: &[&str]) -> String {
    let root = env!("CARGO_MANIFEST_DIR");
    sipas(
        db,
        &[
            "units",
            "import",
            &format!("{root}/examples/hanoi-units.csv"),
        ],
    );
    let out = sipas(
        db,
        &[
            "campaigns",
            "create",
            "--template",
            template,
            "--name",
            "Bench",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--units",
            &units.join(","),
        ],
    );
    out.split_whitespace()
        .nth(1)
        .expect("campaign id")
        .to_string()
}

/// GET a JSON body with an API key; panics on failure.
pub async fn get_json(client: &reqwest::Client, url: &str, key: &str) -> serde_json::Value {
    client
        .get(url)
        .bearer_auth(key)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"))
        .json()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: not JSON: {e}"))
}

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// A fresh database on the PostgreSQL server of `base`; returns its URL.
pub fn create_pg_database(base: &str) -> (String, String) {
    let name = format!("sipas_bench_{}", uuid::Uuid::new_v4().simple());
    let mut conn = diesel::PgConnection::establish(base).expect("connect");
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .expect("create db");
    let (prefix, _) = base.rsplit_once('/').expect("url path");
    (format!("{prefix}/{name}"), name)
}

pub fn drop_pg_database(base: &str, name: &str) {
    if let Ok(mut conn) = diesel::PgConnection::establish(base) {
        let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name}")).execute(&mut conn);
    }
}
