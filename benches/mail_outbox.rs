//! Outbox throughput: N invitations imported into a campaign, then sent by one
//! mail worker to mailcrab (an in-process Rust SMTP test server, see
//! tests/api/smtp_servers.rs) over plain SMTP. Built by `cargo bench` in the
//! release profile; the worker runs in this process, the CLI steps (units,
//! campaign, recipient import) run the `sipas` binary of the same profile.
//!
//! cargo bench --bench mail_outbox           (see docs/BENCHMARKS.md)
//! Env: BENCH_MESSAGES (default 20000), SIPAS_TEST_POSTGRES_URL (also runs on
//!      PostgreSQL, a fresh database), BENCH_SMTP_POOL (default 8).
//! Prints messages/s per backend as a Markdown table row.
#[path = "../tests/api/smtp_servers.rs"]
#[allow(dead_code)]
mod smtp_servers;

mod common;

use std::time::{Duration, Instant};

use sipas::config::{MailSettings, SmtpTls};
use sipas::db::{self, DatabaseUrl};

use common::{campaign_on, env_or, sipas};

const UNITS: [&str; 4] = ["SNV", "STC", "P-HOANKIEM", "X-SOCSON"];

async fn run(backend: &str, db: &str, dir: &std::path::Path, n: usize, pool_size: u32) {
    let id = campaign_on(db, "hn-mau-02", &UNITS);
    let mut csv = String::from("email,unit_code,group\n");
    for i in 0..n {
        csv.push_str(&format!(
            "can.bo{i}@hanoi.gov.vn,{},lanh-dao\n",
            UNITS[i % 4]
        ));
    }
    let file = dir.join(format!("{backend}.csv"));
    std::fs::write(&file, csv).expect("csv");
    let t = Instant::now();
    sipas(
        db,
        &[
            "invitations",
            "import",
            "--campaign",
            &id,
            file.to_str().expect("path"),
        ],
    );
    let import = t.elapsed();

    let sink = smtp_servers::Crab::start().await;
    let settings = MailSettings {
        smtp_host: Some("127.0.0.1".into()),
        smtp_port: sink.port,
        smtp_tls: SmtpTls::None,
        rate_per_second: 100_000,
        pool_size,
        ..MailSettings::default()
    };
    let pool = db::connect(&DatabaseUrl::parse(db), 8).expect("pool");
    let worker = sipas::mail::Worker::new(pool.clone(), &settings, "https://khaosat.example.vn")
        .expect("worker");
    let t = Instant::now();
    tokio::spawn(worker.run());
    loop {
        let left = {
            let mut c = pool.get().expect("conn");
            db::outbox::pending(&mut c).expect("pending")
        };
        if left == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let send = t.elapsed();
    // mailcrab broadcasts each message after its 250 reply; give the last
    // ones a moment to reach the collecting task.
    let t_end = Instant::now();
    while sink.count() < n && t_end.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let got = sink.received().await;
    let mut rcpts: Vec<&String> = got.iter().flat_map(|m| m.rcpt.iter()).collect();
    rcpts.sort();
    rcpts.dedup();
    assert_eq!(got.len(), n, "every message reached mailcrab");
    assert_eq!(rcpts.len(), n, "and none twice");
    println!(
        "| {backend} | {n} | {:.1} s | {:.1} s | {:.0} |",
        import.as_secs_f64(),
        send.as_secs_f64(),
        n as f64 / send.as_secs_f64()
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let n: usize = env_or("BENCH_MESSAGES", 20_000);
    let pool_size: u32 = env_or("BENCH_SMTP_POOL", 8);
    println!("| backend | messages | import | send | messages/s |");
    println!("|---|---|---|---|---|");
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = dir.path().join("bench.db").display().to_string();
    run("sqlite", &sqlite, dir.path(), n, pool_size).await;
    if let Ok(base) = std::env::var("SIPAS_TEST_POSTGRES_URL") {
        let (url, name) = common::create_pg_database(&base);
        run("postgres", &url, dir.path(), n, pool_size).await;
        common::drop_pg_database(&base, &name);
    }
}
