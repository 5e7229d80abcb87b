//! Load benchmark of the public form: complete responses POSTed over HTTP to a
//! running `sipas serve` (a separate process) at a fixed concurrency.
//!
//! cargo bench --bench submit_load
//! Env: BENCH_RESPONSES (default 20000), BENCH_CONCURRENCY (default 16),
//!      SIPAS_TEST_POSTGRES_URL (also runs on PostgreSQL, a fresh database),
//!      BENCH_FLOOR=0 (skip the floor).
//! Prints responses/s and p50/p99 latency per backend, as a Markdown table
//! row: first the machine's floor (`submit_load/floor.rs`, a minimal server
//! doing the same durable writes with group commit), then sipas.
mod common;
#[path = "submit_load/floor.rs"]
mod floor;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

use common::{campaign_on, env_or, percentile, sipas, Server};

const CRITERIA: [&str; 9] = [
    "CC1", "CC2", "CC3", "CC4", "KQ1", "KQ2", "PA1", "PA2", "PA3",
];
const UNITS: [&str; 4] = ["SNV", "STC", "P-HOANKIEM", "X-SOCSON"];

/// What the load runs against.
enum Target {
    /// `sipas serve` on this database.
    Sipas(String),
    /// The floor server on a fresh SQLite file.
    Floor(String),
}

async fn run(backend: &str, target: Target, total: usize, concurrency: usize) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    // The sipas server lives as long as the run; the floor runs on its own threads.
    let (_server, base, campaign, key) = match &target {
        Target::Sipas(db) => {
            let campaign = campaign_on(db, "hn-mau-02", &UNITS);
            // The results API needs a key; an analyst's is enough to read them.
            let key = sipas(
                db,
                &["api-keys", "create", "--name", "bench", "--role", "analyst"],
            )
            .trim()
            .to_string();
            let server = Server::start_with(db, &[("SIPAS_DEVICE_CAP", "0")]).await;
            let base = server.base.clone();
            (Some(server), base, campaign, key)
        }
        Target::Floor(db) => {
            let port = common::free_port();
            floor::start(db, port);
            let base = format!("http://127.0.0.1:{port}");
            for _ in 0..100 {
                if client.get(format!("{base}/count")).send().await.is_ok() {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            (None, base, "floor".to_string(), String::new())
        }
    };

    let body = |i: usize| {
        let mut f: Vec<(String, String)> = CRITERIA
            .iter()
            .enumerate()
            .map(|(j, c)| (c.to_string(), ((i + j) % 5 + 1).to_string()))
            .collect();
        f.push(("GIOI_TINH".into(), (i % 2 + 1).to_string()));
        f.push(("DO_TUOI".into(), (i % 5 + 1).to_string()));
        f.push(("_k".into(), uuid::Uuid::new_v4().to_string()));
        serde_urlencoded::to_string(&f).expect("encode")
    };
    let post = |client: reqwest::Client, url: String, body: String| async move {
        let t = Instant::now();
        let r = client
            .post(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 303, "submission accepted");
        t.elapsed()
    };
    // Warm up connections and caches.
    for i in 0..200 {
        post(
            client.clone(),
            format!("{base}/s/{campaign}/{}", UNITS[i % UNITS.len()]),
            body(i),
        )
        .await;
    }

    let next = Arc::new(AtomicUsize::new(0));
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(total)));
    let bar = ProgressBar::new(total as u64);
    bar.set_style(
        ProgressStyle::with_template("{msg:>10} [{bar:30}] {pos}/{len} ({per_sec})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message(backend.to_string());
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (client, next, latencies, bar, base, campaign) = (
            client.clone(),
            next.clone(),
            latencies.clone(),
            bar.clone(),
            base.clone(),
            campaign.clone(),
        );
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    break;
                }
                let url = format!("{base}/s/{campaign}/{}", UNITS[i % UNITS.len()]);
                let d = post(client.clone(), url, body(i)).await;
                if let Ok(mut l) = latencies.lock() {
                    l.push(d);
                }
                bar.inc(1);
            }
        }));
    }
    for t in tasks {
        t.await.expect("worker");
    }
    let elapsed = started.elapsed();
    bar.finish_and_clear();
    let mut l = latencies.lock().map(|l| l.clone()).unwrap_or_default();
    l.sort();
    let stored: u64 = match target {
        Target::Sipas(_) => {
            let results = common::get_json(
                &client,
                &format!("{base}/api/v1/campaigns/{campaign}/results"),
                &key,
            )
            .await;
            results["units"]
                .as_array()
                .map(|u| u.iter().filter_map(|x| x["respondents"].as_u64()).sum())
                .unwrap_or(0)
        }
        Target::Floor(_) => client
            .get(format!("{base}/count"))
            .send()
            .await
            .expect("count")
            .text()
            .await
            .expect("count body")
            .trim()
            .parse()
            .expect("a count"),
    };
    assert_eq!(
        stored as usize,
        total + 200,
        "every response stored exactly once"
    );
    println!(
        "| {backend} | {total} | {concurrency} | {:.0} | {:.1} | {:.1} | {:.1} |",
        total as f64 / elapsed.as_secs_f64(),
        percentile(&l, 0.50).as_secs_f64() * 1000.0,
        percentile(&l, 0.99).as_secs_f64() * 1000.0,
        l.last().copied().unwrap_or_default().as_secs_f64() * 1000.0,
    );
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing and should not run the load.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let total: usize = env_or("BENCH_RESPONSES", 20_000);
    let concurrency: usize = env_or("BENCH_CONCURRENCY", 16);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    println!("| backend | responses | concurrency | responses/s | p50 ms | p99 ms | max ms |");
    println!("|---|---|---|---|---|---|---|");
    let dir = tempfile::tempdir().expect("temp dir");
    if env_or("BENCH_FLOOR", 1) == 1 {
        let db = dir.path().join("floor.db").display().to_string();
        rt.block_on(run("floor (sqlite)", Target::Floor(db), total, concurrency));
    }
    let sqlite = dir.path().join("bench.db").display().to_string();
    rt.block_on(run("sqlite", Target::Sipas(sqlite), total, concurrency));
    if let Ok(base) = std::env::var("SIPAS_TEST_POSTGRES_URL") {
        let (url, name) = common::create_pg_database(&base);
        rt.block_on(run("postgres", Target::Sipas(url), total, concurrency));
        common::drop_pg_database(&base, &name);
    }
}
