//! Results and exports at scale: a campaign on the sipas-2023
//! template over 150 units with 1,000,000 synthetic responses, bulk-loaded
//! with the tallies the submit path keeps; then the real `sipas serve` (a
//! child process, bench profile) is measured over HTTP: results JSON and
//! page latency, CSV/XLSX/NDJSON export time, size and the server's peak RSS.
//!
//! cargo bench --bench results_load
//! Env: BENCH_RESPONSES (default 1000000), BENCH_REQUESTS (default 200),
//!      SIPAS_TEST_POSTGRES_URL (also runs on PostgreSQL, a fresh database),
//!      BENCH_BACKENDS (e.g. "postgres" to run only that one),
//!      BENCH_VERIFY=0 (skip the check of the tallies against a scan of the answers),
//!      BENCH_KEEP=1 (keep the database and print where it is),
//!      BENCH_DB=<kept SQLite file or postgres URL> (measure a database a
//!      previous run kept instead of loading one; nothing else is run),
//!      BENCH_EXPORTS=0 (skip the exports).
use std::time::{Duration, Instant};

use diesel::Connection;
use sipas::db::DbConn;
use sipas::domain::template::Template;

mod common;
#[path = "results_load/synth.rs"]
mod synth;

use common::{env_or, get_json, percentile, sipas, Server};

/// What to call and how to authenticate.
#[derive(Clone, Copy)]
enum Auth<'a> {
    Key(&'a str),
    Session,
}

#[derive(Default)]
struct Timing {
    sorted: Vec<Duration>,
    bytes: usize,
}

/// One GET, answered 200: (time to the last byte, body size).
async fn timed_get(client: &reqwest::Client, url: &str, auth: Auth<'_>) -> (Duration, usize) {
    let t = Instant::now();
    let r = match auth {
        Auth::Key(k) => client.get(url).bearer_auth(k),
        Auth::Session => client.get(url),
    }
    .send()
    .await
    .expect("request");
    assert_eq!(r.status(), 200, "GET {url}");
    let bytes = r.bytes().await.expect("body").len();
    (t.elapsed(), bytes)
}

async fn time_gets(client: &reqwest::Client, url: &str, auth: Auth<'_>, n: usize) -> Timing {
    let mut bytes = 0;
    for _ in 0..3 {
        bytes = timed_get(client, url, auth).await.1;
    }
    let mut sorted = Vec::with_capacity(n);
    for _ in 0..n {
        let (took, body) = timed_get(client, url, auth).await;
        sorted.push(took);
        assert_eq!(body, bytes, "the same answer every time");
    }
    sorted.sort();
    Timing { sorted, bytes }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A latency row of the results table.
fn latency_row(backend: &str, what: &str, t: &Timing) {
    println!(
        "| {backend} | {what} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {} KB |",
        t.sorted.len(),
        ms(percentile(&t.sorted, 0.50)),
        ms(percentile(&t.sorted, 0.95)),
        ms(percentile(&t.sorted, 0.99)),
        ms(t.sorted.last().copied().unwrap_or_default()),
        t.bytes / 1000
    );
}

/// One export over HTTP: (wall time, bytes, server RSS before and peak during, in MiB).
async fn time_export(
    server: &Server,
    client: &reqwest::Client,
    key: &str,
    path: &str,
) -> (Duration, u64, f64, f64) {
    server.reset_peak();
    let before = server.status_kib("VmRSS");
    let t = Instant::now();
    let mut r = client
        .get(format!("{}{path}", server.base))
        .bearer_auth(key)
        .send()
        .await
        .expect("export");
    assert_eq!(r.status(), 200, "GET {path}");
    let mut bytes = 0u64;
    while let Some(chunk) = r.chunk().await.expect("export body") {
        bytes += chunk.len() as u64;
    }
    let took = t.elapsed();
    let peak = server.status_kib("VmHWM");
    (took, bytes, before as f64 / 1024.0, peak as f64 / 1024.0)
}

/// The figures of a unit that must agree between the kept tallies and a scan of the answers.
fn comparable(u: &serde_json::Value) -> serde_json::Value {
    serde_json::json!([
        u["unit_code"],
        u["respondents"],
        u["overall"],
        u["components"],
        u["distributions"]
    ])
}

/// Units imported and a sipas-2023 campaign over them; its id.
fn new_campaign(db: &str, dir: &std::path::Path, codes: &[String]) -> String {
    let csv = dir.join("units.csv");
    std::fs::write(&csv, synth::units_csv()).expect("write units csv");
    sipas(db, &["units", "import", &csv.display().to_string()]);
    let out = sipas(
        db,
        &[
            "campaigns",
            "create",
            "--template",
            "sipas-2023",
            "--name",
            "Bench 1M",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--units",
            &codes.join(","),
        ],
    );
    out.split_whitespace()
        .nth(1)
        .expect("campaign id")
        .to_string()
}

/// The campaign of a database an earlier run kept.
fn existing_campaign(db: &str) -> String {
    sipas(db, &["campaigns", "list"])
        .lines()
        .find(|l| l.contains("Bench 1M"))
        .and_then(|l| l.split_whitespace().next())
        .expect("a kept bench database")
        .to_string()
}

async fn run(
    backend: &str,
    db: &str,
    dir: &std::path::Path,
    total: usize,
    requests: usize,
    reuse: bool,
) {
    let codes = synth::campaign_unit_codes();
    let campaign = if reuse {
        existing_campaign(db)
    } else {
        new_campaign(db, dir, &codes)
    };
    let total = if reuse { 0 } else { total };
    let key = sipas(
        db,
        &["api-keys", "create", "--name", "bench", "--role", "analyst"],
    )
    .trim()
    .to_string();
    let unit_key = sipas(
        db,
        &[
            "api-keys",
            "create",
            "--name",
            "bench-unit",
            "--role",
            "unit_officer",
            "--unit",
            "BQ01",
        ],
    )
    .trim()
    .to_string();
    let admin_name = format!(
        "bench-admin-{}",
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    );
    let admin = sipas(db, &["admin", "create", "--username", &admin_name]);
    let password = admin
        .lines()
        .find_map(|l| l.strip_prefix("password: "))
        .expect("a generated password")
        .trim()
        .to_string();

    // Bulk load through the database layer.
    let mut conn = match sipas::db::DatabaseUrl::parse(db) {
        sipas::db::DatabaseUrl::Sqlite(p) => DbConn::Sqlite(
            diesel::SqliteConnection::establish(&p.to_string_lossy()).expect("sqlite"),
        ),
        sipas::db::DatabaseUrl::Postgres(u) => {
            DbConn::Pg(diesel::PgConnection::establish(&u).expect("postgres"))
        }
    };
    let units = sipas::db::campaigns::units_of(&mut conn, &campaign).expect("campaign units");
    let unit_ids: Vec<String> = codes
        .iter()
        .map(|c| {
            units
                .iter()
                .find(|u| u.code == *c)
                .map(|u| u.id.to_string())
                .expect("unit in campaign")
        })
        .collect();
    let path = format!("{}/sipas-2023.toml", common::templates_dir());
    let source = std::fs::read_to_string(&path).expect("template file");
    let template = Template::parse(&path, &source).expect("template parses");
    let t = Instant::now();
    let loaded = (!reuse).then(|| synth::load(&mut conn, &template, &campaign, &unit_ids, total));
    let load_time = t.elapsed();
    drop(conn);
    if let Some(loaded) = &loaded {
        eprintln!(
            "{backend}: loaded {total} responses, {} free-text answers, {} tallies, {} breakdown tallies in {:.0} s",
            loaded.answers,
            loaded.tallies,
            loaded.breakdown_tallies,
            load_time.as_secs_f64()
        );
    }

    // Responses posted during the run come from one client.
    let server = Server::start_with(db, &[("SIPAS_DEVICE_CAP", "0")]).await;
    let base = server.base.clone();
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(3600))
        .build()
        .expect("client");

    // The kept tallies agree with the answers: results over a period that
    // spans the campaign are counted by the database from the answers.
    let results_url = format!("{base}/api/v1/campaigns/{campaign}/results");
    // The first request loads and scores the tallies; later ones reuse the
    // finished results until a response (or a unit, target…) changes them.
    let cold = Instant::now();
    let results = get_json(&client, &results_url, &key).await;
    let cold = cold.elapsed();
    let units_json = results["units"].as_array().expect("units");
    assert_eq!(units_json.len(), 150, "150 units");
    let stored: u64 = units_json
        .iter()
        .filter_map(|u| u["respondents"].as_u64())
        .sum();
    if !reuse {
        assert_eq!(stored as usize, total, "every response counted once");
    }
    let total = stored as usize;
    let mut scan_time = None;
    if env_or("BENCH_VERIFY", 1u8) == 1 {
        let t = Instant::now();
        let scanned = get_json(
            &client,
            &format!(
                "{base}/api/v1/campaigns/{campaign}/export.json?from=2026-01-01&to=2026-12-31"
            ),
            &key,
        )
        .await;
        scan_time = Some(t.elapsed());
        let a: Vec<_> = units_json.iter().map(comparable).collect();
        let b: Vec<_> = scanned["units"]
            .as_array()
            .expect("units")
            .iter()
            .map(comparable)
            .collect();
        assert!(a == b, "tallies agree with a scan of the answers");
    }

    // Log in for the results page.
    let login = client
        .get(format!("{base}/admin/login"))
        .send()
        .await
        .expect("login page")
        .text()
        .await
        .expect("login html");
    let marker = r#"name="csrf" value=""#;
    let start = login.find(marker).expect("csrf field") + marker.len();
    let csrf = &login[start..start + login[start..].find('"').expect("csrf end")];
    let r = client
        .post(format!("{base}/admin/login"))
        .form(&[
            ("csrf", csrf),
            ("username", admin_name.as_str()),
            ("password", password.as_str()),
        ])
        .send()
        .await
        .expect("login");
    assert_eq!(r.status(), 303, "login");

    let page_url = format!("{base}/campaigns/{campaign}/results");
    let whole = time_gets(&client, &results_url, Auth::Key(&key), requests).await;
    let subtree = time_gets(&client, &results_url, Auth::Key(&unit_key), requests).await;
    let page = time_gets(&client, &page_url, Auth::Session, requests).await;
    for (what, t) in [
        ("results JSON, whole campaign", &whole),
        ("results JSON, one district's subtree", &subtree),
        ("results page (HTML), whole campaign", &page),
    ] {
        latency_row(backend, what, t);
    }
    println!(
        "| {backend} | results JSON, first request of an instance (all tallies loaded and scored) | 1 | {:.0} | | | | |",
        ms(cold)
    );
    if let Some(d) = scan_time {
        println!(
            "| {backend} | results over a period (counted from the answers), once | 1 | {:.0} | | | | |",
            ms(d)
        );
    }

    // During collection most requests follow a new response: post one real
    // response through the form, then time the next request.
    let mut generator = synth::Generator::new(&template, codes.len(), 99);
    let mut fresh = [
        (
            "results JSON, whole campaign, right after a new response",
            results_url.clone(),
            Auth::Key(&key),
            Timing::default(),
        ),
        (
            "results page (HTML), right after a new response",
            page_url.clone(),
            Auth::Session,
            Timing::default(),
        ),
    ];
    for i in 0..requests.min(50) * fresh.len() {
        let unit = i % codes.len();
        let fields = generator.form_fields(unit, total + i);
        post_response(&client, &base, &campaign, &codes[unit], fields).await;
        let (_, url, auth, timing) = &mut fresh[i % fresh.len()];
        let (took, bytes) = timed_get(&client, url, *auth).await;
        timing.sorted.push(took);
        timing.bytes = bytes;
    }
    for (what, _, _, mut timing) in fresh {
        timing.sorted.sort();
        latency_row(backend, what, &timing);
    }

    let api = format!("/api/v1/campaigns/{campaign}");
    let exports = if env_or("BENCH_EXPORTS", 1u8) == 1 {
        vec![
            ("responses CSV", format!("{api}/export.csv?kind=responses")),
            ("XLSX, all sheets", format!("{api}/export.xlsx")),
            ("responses NDJSON", format!("{api}/export.ndjson")),
            ("results JSON export", format!("{api}/export.json")),
            (
                "responses CSV, one district",
                format!("{api}/export.csv?kind=responses&unit=BQ01"),
            ),
        ]
    } else {
        Vec::new()
    };
    for (what, path) in exports {
        let (took, bytes, before, peak) = time_export(&server, &client, &key, &path).await;
        println!(
            "| {backend} | {what} | {:.1} s | {:.1} MB | {:.1} MiB | {:.1} MiB |",
            took.as_secs_f64(),
            bytes as f64 / 1e6,
            before,
            peak
        );
    }
    if let Some(loaded) = loaded {
        println!(
            "| {backend} | bulk load of {total} responses ({} free-text answer rows) | {:.0} s | | | |",
            loaded.answers,
            load_time.as_secs_f64()
        );
    }
    drop(server);
}

/// Posts a whole answer sheet through the paged form, page after page (the
/// skip logic splits it), until the response is stored.
async fn post_response(
    client: &reqwest::Client,
    base: &str,
    campaign: &str,
    unit: &str,
    fields: Vec<(String, String)>,
) {
    let url = format!("{base}/s/{campaign}/{unit}");
    let mut page = "0".to_string();
    let key = uuid::Uuid::new_v4().to_string();
    for _ in 0..8 {
        let mut posted = fields.clone();
        posted.push(("_page".into(), page.clone()));
        posted.push(("_k".into(), key.clone()));
        let r = client
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(serde_urlencoded::to_string(&posted).expect("encode"))
            .send()
            .await
            .expect("post");
        if r.status() == 303 {
            return;
        }
        let status = r.status();
        let html = r.text().await.unwrap_or_default();
        assert_eq!(
            status,
            200,
            "a next page: {}",
            &html[..html.len().min(2000)]
        );
        let marker = "name=\"_page\" value=\"";
        let start = html.find(marker).expect("a next page") + marker.len();
        page = html[start..].split('"').next().unwrap_or("0").to_string();
    }
    panic!("the form never finished");
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing and should not run the load.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let total: usize = env_or("BENCH_RESPONSES", 1_000_000);
    let requests: usize = env_or("BENCH_REQUESTS", 200);
    let keep = std::env::var("BENCH_KEEP").is_ok_and(|v| v == "1");
    let only = std::env::var("BENCH_BACKENDS").unwrap_or_default();
    let wanted = |b: &str| only.is_empty() || only.split(',').any(|x| x.trim() == b);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::Builder::new()
        .prefix("results-load-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("temp dir");
    println!("| backend | what | requests | p50 ms | p95 ms | p99 ms | max ms | body |");
    println!("|---|---|---|---|---|---|---|---|");
    if let Ok(db) = std::env::var("BENCH_DB") {
        let backend = if db.starts_with("postgres") {
            "postgres"
        } else {
            "sqlite"
        };
        rt.block_on(run(backend, &db, dir.path(), total, requests, true));
        return;
    }
    if wanted("sqlite") {
        let db = dir.path().join("bench.db").display().to_string();
        rt.block_on(run("sqlite", &db, dir.path(), total, requests, false));
    }
    if let Ok(base) = std::env::var("SIPAS_TEST_POSTGRES_URL") {
        if wanted("postgres") {
            let (url, name) = common::create_pg_database(&base);
            rt.block_on(run("postgres", &url, dir.path(), total, requests, false));
            if keep {
                eprintln!("kept PostgreSQL database {url}");
            } else {
                common::drop_pg_database(&base, &name);
            }
        }
    }
    if keep {
        eprintln!("kept {}", dir.keep().display());
    }
}
