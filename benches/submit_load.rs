//! Load benchmark of the public form: complete responses POSTed over HTTP to a
//! running `sipas serve` (a separate process) at a fixed concurrency.
//!
//! cargo bench --bench submit_load
//! Env: BENCH_RESPONSES (default 20000), BENCH_CONCURRENCY (default 16),
//!      SIPAS_TEST_POSTGRES_URL (also runs on PostgreSQL, a fresh database).
//! Prints responses/s and p50/p99 latency per backend, as a Markdown table row.
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::{Connection, RunQueryDsl};
use indicatif::{ProgressBar, ProgressStyle};

const BIN: &str = env!("CARGO_BIN_EXE_sipas");
const CRITERIA: [&str; 9] = [
    "CC1", "CC2", "CC3", "CC4", "KQ1", "KQ2", "PA1", "PA2", "PA3",
];
const UNITS: [&str; 4] = ["SNV", "STC", "P-HOANKIEM", "X-SOCSON"];

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn sipas(db: &str, args: &[&str]) -> String {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Command::new(BIN)
        .args(args)
        .env("DATABASE_URL", db)
        .env("SIPAS_TEMPLATES", format!("{root}/survey-templates"))
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

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn run(backend: &str, db: &str, total: usize, concurrency: usize) {
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
            "hn-mau-02",
            "--name",
            "Bench",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--units",
            &UNITS.join(","),
        ],
    );
    let campaign = out
        .split_whitespace()
        .nth(1)
        .expect("campaign id")
        .to_string();
    // The results API needs a key; an analyst's is enough to read them.
    let key = sipas(
        db,
        &["api-keys", "create", "--name", "bench", "--role", "analyst"],
    )
    .trim()
    .to_string();
    let port = free_port();
    let _server = Server(
        Command::new(BIN)
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .env("DATABASE_URL", db)
            .env("SIPAS_TEMPLATES", format!("{root}/survey-templates"))
            .env("SIPAS_RATE_LIMIT_PER_MINUTE", "0")
            .env("SIPAS_DEVICE_CAP", "0")
            .env("SIPAS_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .expect("start server"),
    );
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    for _ in 0..100 {
        if client
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

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
    let results: serde_json::Value = client
        .get(format!("{base}/api/v1/campaigns/{campaign}/results"))
        .bearer_auth(&key)
        .send()
        .await
        .expect("results")
        .json()
        .await
        .expect("json");
    let stored: u64 = results["units"]
        .as_array()
        .map(|u| u.iter().filter_map(|x| x["respondents"].as_u64()).sum())
        .unwrap_or(0);
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
    let total: usize = std::env::var("BENCH_RESPONSES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let concurrency: usize = std::env::var("BENCH_CONCURRENCY")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(16);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    println!("| backend | responses | concurrency | responses/s | p50 ms | p99 ms | max ms |");
    println!("|---|---|---|---|---|---|---|");
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = dir.path().join("bench.db").display().to_string();
    rt.block_on(run("sqlite", &sqlite, total, concurrency));
    if let Ok(base) = std::env::var("SIPAS_TEST_POSTGRES_URL") {
        let name = format!("sipas_bench_{}", uuid::Uuid::new_v4().simple());
        let mut conn = diesel::PgConnection::establish(&base).expect("connect");
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .expect("create db");
        let (prefix, _) = base.rsplit_once('/').expect("url path");
        rt.block_on(run(
            "postgres",
            &format!("{prefix}/{name}"),
            total,
            concurrency,
        ));
    }
}
