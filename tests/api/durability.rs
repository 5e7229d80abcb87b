//! An acknowledged response survives the server being killed (-9) under
//! submit load, and none is stored twice: not by the kill, and not when the
//! respondents' browsers send the same forms again afterwards.
use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::prelude::*;

use crate::db_test;
use crate::helpers::*;

const CRITERIA: [&str; 9] = [
    "CC1", "CC2", "CC3", "CC4", "KQ1", "KQ2", "PA1", "PA2", "PA3",
];

/// A `sipas serve` child on the app's database, and its address.
fn serve(app: &TestApp) -> (Child, String) {
    let mut child = Command::new(sipas_bin())
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("DATABASE_URL", &app.database_url)
        .env("SIPAS_TEMPLATES", &app.templates_dir)
        .env("SIPAS_LOG", "info")
        .env_remove("SIPAS_LOG_FORMAT")
        .env("SIPAS_MAIL_WORKER", "0")
        .env("SIPAS_RATE_LIMIT_PER_MINUTE", "0")
        .env("SIPAS_DEVICE_CAP", "0")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start sipas serve");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let port = loop {
        let line = lines
            .next()
            .expect("a `listening` line")
            .expect("a line of the log");
        if line.contains("listening") {
            break line
                .split_whitespace()
                .find_map(|w| w.strip_prefix("port="))
                .expect("port= in the listening line")
                .to_string();
        }
    };
    // Keep reading, so a full pipe never stalls the server.
    std::thread::spawn(move || lines.map_while(Result::ok).for_each(drop));
    (child, format!("http://127.0.0.1:{port}"))
}

fn form(key: &str, i: usize) -> String {
    let mut f: Vec<(String, String)> = CRITERIA
        .iter()
        .map(|c| (c.to_string(), (i % 5 + 1).to_string()))
        .collect();
    f.push(("_k".into(), key.to_string()));
    serde_urlencoded::to_string(&f).expect("encode")
}

async fn post(client: &reqwest::Client, url: &str, key: &str, i: usize) -> Option<u16> {
    client
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(key, i))
        .timeout(Duration::from_secs(20))
        .send()
        .await
        .ok()
        .map(|r| r.status().as_u16())
}

/// A form's key and the status it got (None: no answer, the server was gone).
type Answered = (String, Option<u16>);

#[derive(QueryableByName)]
struct Key {
    #[diesel(sql_type = diesel::sql_types::Text)]
    key: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// The stored idempotency keys, responses and counted respondents.
fn stored(app: &TestApp, campaign: &str) -> (Vec<String>, i64, i64) {
    let keys = format!("SELECT key FROM submission_keys WHERE campaign_id = '{campaign}'");
    let responses = format!("SELECT COUNT(*) AS n FROM responses WHERE campaign_id = '{campaign}'");
    let counted = format!(
        "SELECT CAST(COALESCE(SUM(respondents), 0) AS BIGINT) AS n FROM unit_counts WHERE campaign_id = '{campaign}'"
    );
    macro_rules! read {
        ($c:expr) => {{
            let k: Vec<Key> = diesel::sql_query(&keys).load($c).expect("keys");
            let r: Vec<Count> = diesel::sql_query(&responses).load($c).expect("responses");
            let u: Vec<Count> = diesel::sql_query(&counted).load($c).expect("counts");
            (k.into_iter().map(|k| k.key).collect(), r[0].n, u[0].n)
        }};
    }
    match app.backend {
        TestDb::Sqlite => {
            read!(&mut diesel::SqliteConnection::establish(&app.database_url).expect("db"))
        }
        TestDb::Postgres => {
            read!(&mut diesel::PgConnection::establish(&app.database_url).expect("db"))
        }
    }
}

db_test!(
    a_kill_under_load_loses_no_acknowledged_response,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", "SNV");
        let (mut child, base) = serve(&app);
        let url = format!("{base}/s/{id}/SNV");
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let acked: Arc<Mutex<Vec<String>>> = Arc::default();
        let sent: Arc<Mutex<Vec<String>>> = Arc::default();
        let mut workers = Vec::new();
        for w in 0..8 {
            let (client, url, acked, sent) =
                (client.clone(), url.clone(), acked.clone(), sent.clone());
            workers.push(tokio::spawn(async move {
                for i in 0.. {
                    let key = uuid::Uuid::new_v4().to_string();
                    sent.lock().expect("sent").push(key.clone());
                    match post(&client, &url, &key, w + i).await {
                        Some(303) => acked.lock().expect("acked").push(key),
                        // The server is gone.
                        _ => break,
                    }
                }
            }));
        }
        // Let some responses through, then kill the server mid-load.
        while acked.lock().expect("acked").len() < 150 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        child.kill().expect("kill -9");
        child.wait().expect("wait");
        for w in workers {
            w.await.expect("worker");
        }
        let acked = acked.lock().expect("acked").clone();
        let sent = sent.lock().expect("sent").clone();
        let (keys, responses, counted) = stored(&app, &id);
        let keys: HashSet<String> = keys.into_iter().collect();
        let lost: Vec<&String> = acked.iter().filter(|k| !keys.contains(*k)).collect();
        assert!(
            lost.is_empty(),
            "{} acknowledged responses lost",
            lost.len()
        );
        assert_eq!(
            responses as usize,
            keys.len(),
            "one response per stored key"
        );
        assert_eq!(counted, responses, "the counts match the responses");
        assert!(keys.len() <= sent.len());

        // The browsers send every form again, to a new server: nothing more is stored.
        let (mut child, base) = serve(&app);
        let url = format!("{base}/s/{id}/SNV");
        for (i, key) in sent.iter().enumerate() {
            assert_eq!(post(&client, &url, key, i).await, Some(303), "resent form");
        }
        child.kill().expect("stop");
        child.wait().expect("wait");
        let (again, responses_after, counted_after) = stored(&app, &id);
        assert_eq!(again.len(), sent.len(), "every form stored once");
        assert_eq!(responses_after as usize, sent.len());
        assert_eq!(counted_after, responses_after);
    }
);

db_test!(
    a_stop_under_load_answers_every_form_it_took,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", "SNV");
        let (mut child, base) = serve(&app);
        let url = format!("{base}/s/{id}/SNV");
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let answers: Arc<Mutex<Vec<Answered>>> = Arc::default();
        let mut workers = Vec::new();
        for w in 0..8 {
            let (client, url, answers) = (client.clone(), url.clone(), answers.clone());
            workers.push(tokio::spawn(async move {
                for i in 0.. {
                    let key = uuid::Uuid::new_v4().to_string();
                    let status = post(&client, &url, &key, w + i).await;
                    answers.lock().expect("answers").push((key, status));
                    if status != Some(303) {
                        break;
                    }
                }
            }));
        }
        while answers.lock().expect("answers").len() < 100 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        // SIGTERM: the server stops taking connections and finishes what it took.
        let term = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .expect("kill -TERM");
        assert!(term.success());
        let exit = child.wait().expect("wait");
        assert!(exit.success(), "a clean stop: {exit}");
        for w in workers {
            w.await.expect("worker");
        }
        let answers = answers.lock().expect("answers").clone();
        // Every answer the server gave is a thank-you; the rest found it gone.
        assert!(
            answers.iter().all(|(_, s)| matches!(s, Some(303) | None)),
            "{:?}",
            answers
                .iter()
                .filter(|(_, s)| !matches!(s, Some(303) | None))
                .collect::<Vec<_>>()
        );
        let (keys, responses, counted) = stored(&app, &id);
        let keys: HashSet<String> = keys.into_iter().collect();
        for (key, status) in &answers {
            if *status == Some(303) {
                assert!(keys.contains(key), "an acknowledged form was lost");
            }
        }
        assert_eq!(responses as usize, keys.len());
        assert_eq!(counted, responses);
    }
);

/// Run `sql` on the app's database, straight.
fn execute(app: &TestApp, sql: &str) {
    use diesel::connection::SimpleConnection;
    match app.backend {
        TestDb::Sqlite => diesel::SqliteConnection::establish(&app.database_url)
            .expect("db")
            .batch_execute(sql),
        TestDb::Postgres => diesel::PgConnection::establish(&app.database_url)
            .expect("db")
            .batch_execute(sql),
    }
    .expect("sql");
}

db_test!(
    a_database_error_fails_its_batch_with_a_clear_page_and_stores_nothing_of_it,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", "SNV,STC");
        // The database refuses any response of STC from now on.
        let sql = match app.backend {
            TestDb::Sqlite => "CREATE TRIGGER refuse_stc BEFORE INSERT ON responses \
                 WHEN NEW.unit_id = (SELECT id FROM units WHERE code = 'STC') \
                 BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;"
                .to_string(),
            TestDb::Postgres => "CREATE FUNCTION refuse_stc() RETURNS trigger AS $$ BEGIN \
                 IF NEW.unit_id = (SELECT id FROM units WHERE code = 'STC') THEN \
                 RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql; \
                 CREATE TRIGGER refuse_stc BEFORE INSERT ON responses FOR EACH ROW EXECUTE FUNCTION refuse_stc();"
                .to_string(),
        };
        execute(&app, &sql);
        let body = |i: usize| -> Vec<(String, String)> {
            let mut f: Vec<(String, String)> = CRITERIA
                .iter()
                .map(|c| (c.to_string(), (i % 5 + 1).to_string()))
                .collect();
            f.push(("_k".into(), uuid::Uuid::new_v4().to_string()));
            f
        };
        let resp = app.post_form(&format!("/s/{id}/STC"), &body(1)).await;
        assert_eq!(resp.status(), 500);
        let page = resp.text().await.expect("page");
        // Says what happened and that going back keeps the answers, in both languages.
        assert!(page.contains("Hệ thống đang gặp sự cố"), "{page}");
        assert!(page.contains("going back keeps your answers"), "{page}");
        // Nothing of the failed batch is left: no key, no response, no count.
        assert_eq!(app.count("responses"), 0);
        assert_eq!(app.count("submission_keys"), 0);
        assert_eq!(app.count("unit_counts"), 0);
        // The writer goes on: the next batch, for another unit, is stored.
        let resp = app.post_form(&format!("/s/{id}/SNV"), &body(2)).await;
        assert_eq!(resp.status(), 303);
        assert_eq!(app.count("responses"), 1);
    }
);
