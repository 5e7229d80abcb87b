//! The machine's floor for the submit bench: the least a server can do to
//! store the same response durably, measured beside sipas in the same
//! session. actix-web takes the POST; one writer thread commits whatever has
//! queued up in one transaction (group commit) with `synchronous = FULL`, and
//! only then answers 303. Per response it writes what sipas writes on the hot
//! path: the idempotency key, the response, one row per answer, the tally
//! upsert and the unit's count. No template, no validation, no breakdowns,
//! no device cap: anything sipas spends beyond this is its own.
use std::sync::mpsc;
use std::thread;

use actix_web::{web, App, HttpResponse, HttpServer};
use diesel::connection::SimpleConnection;
use diesel::{Connection, RunQueryDsl, SqliteConnection};

/// One response, parsed from the form: (item, value) pairs and its key.
struct Job {
    unit: String,
    key: String,
    answers: Vec<(String, i32)>,
    done: mpsc::SyncSender<bool>,
}

const SCHEMA: &str = "
    PRAGMA busy_timeout = 15000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
    CREATE TABLE IF NOT EXISTS keys (key TEXT PRIMARY KEY) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS responses (id INTEGER PRIMARY KEY, unit TEXT NOT NULL, day TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS answers (response_id INTEGER NOT NULL, item TEXT NOT NULL,
        value INTEGER NOT NULL, PRIMARY KEY (response_id, item)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS tallies (unit TEXT NOT NULL, item TEXT NOT NULL, value INTEGER NOT NULL,
        n INTEGER NOT NULL, PRIMARY KEY (unit, item, value)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS unit_counts (unit TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
";

/// Text safe to put in SQL as written: the bench's own codes and uuids.
fn plain(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn write_one(conn: &mut SqliteConnection, j: &Job) -> diesel::QueryResult<bool> {
    conn.transaction(|c| {
        let fresh = diesel::sql_query(format!(
            "INSERT INTO keys (key) VALUES ('{}') ON CONFLICT DO NOTHING",
            j.key
        ))
        .execute(c)?;
        if fresh == 0 {
            return Ok(false);
        }
        diesel::sql_query(format!(
            "INSERT INTO responses (unit, day) VALUES ('{}', date('now'))",
            j.unit
        ))
        .execute(c)?;
        let values: Vec<String> = j
            .answers
            .iter()
            .map(|(item, v)| format!("(last_insert_rowid(), '{item}', {v})"))
            .collect();
        diesel::sql_query(format!(
            "INSERT INTO answers (response_id, item, value) VALUES {}",
            values.join(",")
        ))
        .execute(c)?;
        let tallies: Vec<String> = j
            .answers
            .iter()
            .map(|(item, v)| format!("('{}', '{item}', {v}, 1)", j.unit))
            .collect();
        diesel::sql_query(format!(
            "INSERT INTO tallies (unit, item, value, n) VALUES {} \
             ON CONFLICT (unit, item, value) DO UPDATE SET n = n + excluded.n",
            tallies.join(",")
        ))
        .execute(c)?;
        diesel::sql_query(format!(
            "INSERT INTO unit_counts (unit, n) VALUES ('{}', 1) \
             ON CONFLICT (unit) DO UPDATE SET n = n + 1",
            j.unit
        ))
        .execute(c)?;
        Ok(true)
    })
}

fn writer(mut conn: SqliteConnection, rx: mpsc::Receiver<Job>) {
    while let Ok(first) = rx.recv() {
        let mut jobs = vec![first];
        while let Ok(j) = rx.try_recv() {
            jobs.push(j);
            if jobs.len() == 256 {
                break;
            }
        }
        let stored = conn.transaction(|c| {
            jobs.iter()
                .map(|j| write_one(c, j))
                .collect::<diesel::QueryResult<Vec<bool>>>()
        });
        let ok = stored.is_ok();
        for j in jobs {
            let _ = j.done.send(ok);
        }
    }
}

async fn submit(
    queue: web::Data<mpsc::SyncSender<Job>>,
    path: web::Path<(String, String)>,
    form: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    let (_, unit) = path.into_inner();
    let mut key = String::new();
    let mut answers = Vec::new();
    for (k, v) in form.into_inner() {
        if k == "_k" {
            key = v;
        } else if let Ok(v) = v.parse::<i32>() {
            answers.push((k, v));
        }
    }
    if !plain(&unit) || !plain(&key) || answers.iter().any(|(k, _)| !plain(k)) {
        return HttpResponse::BadRequest().finish();
    }
    let (done, answer) = mpsc::sync_channel(1);
    let job = Job {
        unit,
        key,
        answers,
        done,
    };
    let stored = web::block(move || {
        queue.send(job).ok()?;
        answer.recv().ok()
    })
    .await;
    match stored {
        Ok(Some(true)) => HttpResponse::SeeOther()
            .insert_header(("Location", "/thanks"))
            .finish(),
        _ => HttpResponse::InternalServerError().finish(),
    }
}

/// Respondents stored, to check the run lost nothing.
async fn count(db: web::Data<String>) -> HttpResponse {
    let db = db.get_ref().clone();
    let n = web::block(move || -> Option<i64> {
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut c = SqliteConnection::establish(&db).ok()?;
        let rows: Vec<N> = diesel::sql_query("SELECT COALESCE(SUM(n), 0) AS n FROM unit_counts")
            .load(&mut c)
            .ok()?;
        rows.first().map(|r| r.n)
    })
    .await
    .ok()
    .flatten()
    .unwrap_or(-1);
    HttpResponse::Ok().body(n.to_string())
}

/// Start the floor server on `port` with a fresh database at `db`; it runs
/// on its own threads until the bench exits.
pub fn start(db: &str, port: u16) {
    let mut conn = SqliteConnection::establish(db).expect("floor database");
    conn.batch_execute(SCHEMA).expect("floor schema");
    let (tx, rx) = mpsc::sync_channel::<Job>(4096);
    thread::spawn(move || writer(conn, rx));
    let db = db.to_string();
    thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            HttpServer::new(move || {
                App::new()
                    .app_data(web::Data::new(tx.clone()))
                    .app_data(web::Data::new(db.clone()))
                    .route("/s/{campaign}/{unit}", web::post().to(submit))
                    .route("/count", web::get().to(count))
            })
            .workers(2)
            .bind(("127.0.0.1", port))
            .expect("bind floor")
            .run()
            .await
            .expect("floor server");
        });
    });
}
