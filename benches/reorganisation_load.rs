//! A comparison across Hà Nội's reorganisation at scale: the real trees of
//! examples/hanoi-2025 and their lineage, a 2024 campaign on the 556 old
//! units (30 districts, 526 communes) and a 2025 campaign on the 126 new
//! ones, each with BENCH_RESPONSES synthetic sipas-2023 responses
//! (benches/results_load/synth.rs), the 2025 one compared with 2024. Then
//! the real `sipas serve` is measured over HTTP, beside the 2024 campaign
//! alone (no comparison) as the reference of the same session.
//!
//! cargo bench --bench reorganisation_load
//! Env: BENCH_RESPONSES (per campaign, default 1000000), BENCH_REQUESTS
//!      (default 100), SIPAS_TEST_POSTGRES_URL + BENCH_BACKENDS=postgres
//!      (PostgreSQL instead of SQLite).
use std::time::{Duration, Instant};

use diesel::Connection;
use sipas::db::DbConn;
use sipas::domain::template::Template;

mod common;
// Shared with results_load, which also uses its units file and form sheets.
#[allow(dead_code)]
#[path = "results_load/synth.rs"]
mod synth;

use common::{env_or, get_json, percentile, sipas, Server};

fn example(name: &str) -> String {
    format!("{}/examples/hanoi-2025/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn codes_on(db: &str, day: &str) -> Vec<String> {
    sipas(db, &["units", "list", "--on", day])
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "HN")
        .map(str::to_string)
        .collect()
}

fn campaign(
    db: &str,
    name: &str,
    from: &str,
    to: &str,
    codes: &[String],
    previous: Option<&str>,
) -> String {
    let units = codes.join(",");
    let mut args = vec![
        "campaigns",
        "create",
        "--template",
        "sipas-2023",
        "--name",
        name,
        "--from",
        from,
        "--to",
        to,
        "--units",
        &units,
    ];
    if let Some(p) = previous {
        args.extend(["--previous", p]);
    }
    let out = sipas(db, &args);
    out.split_whitespace()
        .nth(1)
        .expect("campaign id")
        .to_string()
}

fn connect(db: &str) -> DbConn {
    match sipas::db::DatabaseUrl::parse(db) {
        sipas::db::DatabaseUrl::Sqlite(p) => DbConn::Sqlite(
            diesel::SqliteConnection::establish(&p.to_string_lossy()).expect("sqlite"),
        ),
        sipas::db::DatabaseUrl::Postgres(u) => {
            DbConn::Pg(diesel::PgConnection::establish(&u).expect("postgres"))
        }
    }
}

fn load(db: &str, template: &Template, campaign: &str, codes: &[String], total: usize) {
    let mut conn = connect(db);
    let units = sipas::db::campaigns::units_of(&mut conn, campaign).expect("units");
    let ids: Vec<String> = codes
        .iter()
        .map(|c| {
            units
                .iter()
                .find(|u| u.code == *c)
                .map(|u| u.id.to_string())
                .expect("unit in campaign")
        })
        .collect();
    let t = Instant::now();
    synth::load(&mut conn, template, campaign, &ids, total);
    eprintln!(
        "loaded {total} responses over {} units in {:.0} s",
        codes.len(),
        t.elapsed().as_secs_f64()
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn timed(client: &reqwest::Client, url: &str, key: &str, n: usize) -> (Vec<Duration>, usize) {
    let mut bytes = 0;
    for _ in 0..3 {
        bytes = client
            .get(url)
            .bearer_auth(key)
            .send()
            .await
            .expect("GET")
            .bytes()
            .await
            .expect("body")
            .len();
    }
    let mut sorted = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        let r = client.get(url).bearer_auth(key).send().await.expect("GET");
        assert_eq!(r.status(), 200, "GET {url}");
        let body = r.bytes().await.expect("body");
        sorted.push(t.elapsed());
        assert_eq!(body.len(), bytes, "the same answer every time");
    }
    sorted.sort();
    (sorted, bytes)
}

fn row(backend: &str, what: &str, (sorted, bytes): &(Vec<Duration>, usize)) {
    println!(
        "| {backend} | {what} | {} | {:.1} | {:.1} | {:.1} | {} KB |",
        sorted.len(),
        ms(percentile(sorted, 0.50)),
        ms(percentile(sorted, 0.95)),
        ms(percentile(sorted, 0.99)),
        bytes / 1000
    );
}

async fn run(backend: &str, db: &str, total: usize, requests: usize) {
    sipas(
        db,
        &["units", "import", &example("units-before-2025-07-01.csv")],
    );
    sipas(
        db,
        &[
            "units",
            "import",
            &example("units-from-2025-07-01.csv"),
            "--valid-from",
            "2025-07-01",
        ],
    );
    sipas(
        db,
        &[
            "units",
            "lineage",
            "import",
            &example("lineage-2025-07-01.csv"),
        ],
    );
    let old_codes = codes_on(db, "2024-09-01");
    let new_codes = codes_on(db, "2025-09-01");
    assert_eq!((old_codes.len(), new_codes.len()), (556, 126));
    let old = campaign(
        db,
        "Bench 2024",
        "2024-09-01",
        "2024-11-30",
        &old_codes,
        None,
    );
    let new = campaign(
        db,
        "Bench 2025",
        "2025-09-01",
        "2025-11-30",
        &new_codes,
        Some(&old),
    );
    let path = format!("{}/sipas-2023.toml", common::templates_dir());
    let source = std::fs::read_to_string(&path).expect("template file");
    let template = Template::parse(&path, &source).expect("template parses");
    load(db, &template, &old, &old_codes, total);
    load(db, &template, &new, &new_codes, total);
    let key = sipas(
        db,
        &["api-keys", "create", "--name", "bench", "--role", "analyst"],
    )
    .trim()
    .to_string();

    let server = Server::start_with(db, &[("SIPAS_DEVICE_CAP", "0")]).await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(3600))
        .build()
        .expect("client");
    let url = |c: &str| format!("{}/api/v1/campaigns/{c}/results", server.base);
    // First requests: the start-up warm-up skips closed campaigns, these are
    // open, so a request may still wait for it; timed once each.
    let t = Instant::now();
    let compared = get_json(&client, &url(&new), &key).await;
    let cold_new = t.elapsed();
    let estimated = compared["units"]
        .as_array()
        .expect("units")
        .iter()
        .filter(|u| u["overall"]["change"]["estimated"] == true)
        .count();
    assert_eq!(
        estimated, 126,
        "every new unit compared through the lineage"
    );
    let t = Instant::now();
    get_json(&client, &url(&old), &key).await;
    let cold_old = t.elapsed();
    let before = format!(
        "{}/api/v1/campaigns/{new}/results/units-before",
        server.base
    );
    let t = Instant::now();
    get_json(&client, &before, &key).await;
    let cold_before = t.elapsed();

    println!("| backend | what ({total} responses per campaign) | requests | p50 ms | p95 ms | p99 ms | body |");
    println!("|---|---|---|---|---|---|---|");
    row(
        backend,
        "results JSON, 2024 (556 units, no comparison)",
        &timed(&client, &url(&old), &key, requests).await,
    );
    row(
        backend,
        "results JSON, 2025 (126 units) compared with 2024 through the lineage",
        &timed(&client, &url(&new), &key, requests).await,
    );
    row(
        backend,
        "2025 by the old districts (units-before), computed per request",
        &timed(&client, &before, &key, requests.min(20)).await,
    );
    println!("| {backend} | first request, 2025 compared (all tallies of both loaded and scored) | 1 | {:.0} | | | |", ms(cold_new));
    println!(
        "| {backend} | first request, 2024 | 1 | {:.0} | | | |",
        ms(cold_old)
    );
    println!(
        "| {backend} | first request, 2025 by the old districts | 1 | {:.0} | | | |",
        ms(cold_before)
    );
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let total: usize = env_or("BENCH_RESPONSES", 1_000_000);
    let requests: usize = env_or("BENCH_REQUESTS", 100);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::Builder::new()
        .prefix("reorganisation-load-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("temp dir");
    let only = std::env::var("BENCH_BACKENDS").unwrap_or_default();
    if only == "postgres" {
        let base = std::env::var("SIPAS_TEST_POSTGRES_URL").expect("SIPAS_TEST_POSTGRES_URL");
        let (url, name) = common::create_pg_database(&base);
        rt.block_on(run("postgres", &url, total, requests));
        common::drop_pg_database(&base, &name);
    } else {
        let db = dir.path().join("bench.db").display().to_string();
        rt.block_on(run("sqlite", &db, total, requests));
    }
}
