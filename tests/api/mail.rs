//! Invitations by email against real SMTP servers (tests/api/smtp_servers.rs):
//! mailcrab in-process for headers and a working link, a server that is down
//! and comes back, two workers sharing one outbox, bounces; aiosmtpd for 550
//! rejections and 451 retries. And no way back from a response to its recipient.
use std::time::{Duration, Instant};

use diesel::prelude::*;
use sipas::config::{MailSettings, SmtpTls};
use sipas::db::{self, schema::invitations, schema::outbox_messages, DatabaseUrl, Pool};

use crate::helpers::*;
use crate::smtp_servers::{aiosmtpd_python, free_port, Aiosmtpd, Crab};

macro_rules! both {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(crate::helpers::TestDb::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if std::env::var(crate::helpers::PG_ENV).is_err() {
                    eprintln!(
                        "skipped: set {} to run on PostgreSQL",
                        crate::helpers::PG_ENV
                    );
                    return;
                }
                super::$name(crate::helpers::TestDb::Postgres).await
            }
        }
    };
}
pub(crate) use both;

pub fn smtp(port: u16) -> MailSettings {
    MailSettings {
        smtp_host: Some("127.0.0.1".into()),
        smtp_port: port,
        smtp_tls: SmtpTls::None,
        from: "Sở Nội vụ Hà Nội <khaosat@hanoi.gov.vn>".into(),
        rate_per_second: 1000,
        retry_base_ms: 200,
        max_attempts: 50,
        timeout_secs: 5,
        ..MailSettings::default()
    }
}

pub async fn app_with(db: TestDb, mail: MailSettings) -> TestApp {
    spawn_app_configured(db, &manifest_dir().join("survey-templates"), move |s| {
        let dir = s.mail.outbox_dir.clone();
        s.mail = MailSettings {
            outbox_dir: dir,
            ..mail
        };
    })
    .await
    .expect("app")
}

/// An app whose own mail worker is off (the test runs workers itself), with
/// the sample units, a campaign on SNV and `n` recipients imported.
pub async fn invited_without_worker(db: TestDb, mail: MailSettings, n: usize) -> TestApp {
    let app = app_with(
        db,
        MailSettings {
            worker: false,
            ..mail
        },
    )
    .await;
    app.import_sample_units();
    let id = app.create_campaign("hn-mau-02", "SNV");
    let file = recipients_csv(&app, n, "SNV");
    app.cli_ok(&["invitations", "import", "--campaign", &id, &file]);
    app
}

pub fn pool(app: &TestApp) -> Pool {
    db::connect(&DatabaseUrl::parse(&app.database_url), 4).expect("pool")
}

pub fn recipients_csv(app: &TestApp, n: usize, unit: &str) -> String {
    let mut csv = String::from("email,unit_code,group,name\n");
    for i in 0..n {
        csv.push_str(&format!(
            "can.bo{i}@hanoi.gov.vn,{unit},lanh-dao,Nguyễn Văn {i}\n"
        ));
    }
    let path = app.dir.path().join(format!("recipients-{n}.csv"));
    std::fs::write(&path, csv).expect("write csv");
    path.display().to_string()
}

/// Wait until the outbox has nothing queued or being sent.
pub async fn drained(pool: &Pool, within: Duration) {
    let start = Instant::now();
    loop {
        let left = {
            let mut c = pool.get().expect("conn");
            db::outbox::pending(&mut c).expect("pending")
        };
        if left == 0 {
            return;
        }
        assert!(start.elapsed() < within, "{left} messages still pending");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub fn statuses(pool: &Pool) -> Vec<(String, String, Option<String>)> {
    let mut c = pool.get().expect("conn");
    invitations::table
        .select((
            invitations::id,
            invitations::status,
            invitations::status_detail,
        ))
        .order(invitations::id)
        .load(&mut c)
        .expect("invitations")
}

pub fn headers_of(data: &str) -> &str {
    data.split("\r\n\r\n").next().unwrap_or("")
}

/// The plain-text body of a received message, decoded by mail-parser.
pub fn plain_text(data: &str) -> String {
    let m = mail_parser::MessageParser::default()
        .parse(data.as_bytes())
        .expect("a message");
    m.body_text(0).expect("a text/plain part").into_owned()
}

/// The first link in a received message's plain text.
pub fn link_in(data: &str) -> String {
    plain_text(data)
        .split_whitespace()
        .find(|w| w.starts_with("http"))
        .expect("a link in the body")
        .to_string()
}

both!(invitations_arrive_with_headers_and_a_working_link);
async fn invitations_arrive_with_headers_and_a_working_link(db: TestDb) {
    let sink = Crab::start().await;
    let app = app_with(db, smtp(sink.port)).await;
    app.import_sample_units();
    let id = app.create_campaign("hn-mau-02", "P-HOANKIEM,SNV");
    let file = recipients_csv(&app, 3, "P-HOANKIEM");
    let out = app.cli_ok(&[
        "invitations",
        "import",
        "--campaign",
        &id,
        &file,
        "--allow-domain",
        "hanoi.gov.vn",
    ]);
    assert!(out.contains("3 invitations queued"), "{out}");
    let pool = pool(&app);
    drained(&pool, Duration::from_secs(20)).await;

    let got = sink.received().await;
    assert_eq!(got.len(), 3);
    let m = got
        .iter()
        .find(|m| m.rcpt == ["can.bo1@hanoi.gov.vn"])
        .expect("message to can.bo1");
    let h = headers_of(&m.data);
    for name in [
        "Message-ID: <",
        "Date: ",
        "List-Unsubscribe: <http://127.0.0.1:",
        "<mailto:khaosat@hanoi.gov.vn?subject=unsubscribe%20",
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
        "X-Sipas-Invitation: ",
    ] {
        assert!(h.contains(name), "header {name} missing in:\n{h}");
    }
    assert!(
        h.contains("Subject: =?utf-8?"),
        "UTF-8 subject is encoded:\n{h}"
    );
    assert!(
        h.contains("From: =?utf-8?"),
        "UTF-8 sender name is encoded:\n{h}"
    );
    // Decoded by an independent parser, the words come back intact.
    let parsed = mail_parser::MessageParser::default()
        .parse(m.data.as_bytes())
        .expect("parse");
    assert_eq!(
        parsed.subject(),
        Some("Thư mời tham gia khảo sát: Khảo sát thử nghiệm 2026")
    );
    let from = parsed.from().and_then(|f| f.first()).expect("from");
    assert_eq!(from.name(), Some("Sở Nội vụ Hà Nội"));
    assert!(parsed.date().is_some(), "a parseable Date");
    let mid = parsed.message_id().expect("Message-ID");
    assert!(mid.ends_with("@hanoi.gov.vn"), "{mid}");
    let inv = parsed
        .header_raw("X-Sipas-Invitation")
        .expect("X-Sipas-Invitation")
        .trim()
        .to_string();
    assert!(
        statuses(&pool).iter().any(|(i, _, _)| *i == inv),
        "the header names a real invitation: {inv}"
    );
    assert!(
        !m.data.contains("Nguyễn Văn"),
        "the recipient's name is not used or stored"
    );
    let text = plain_text(&m.data);
    assert!(text.contains("Kính gửi"), "{text}");
    assert!(text.contains("Khảo sát thử nghiệm 2026"), "{text}");
    let link = text
        .split_whitespace()
        .find(|w| w.starts_with("http"))
        .expect("a link in the body");
    assert!(link.starts_with(&format!("{}/i/", app.address)), "{link}");

    // The link opens the form.
    let page = app.client.get(link).send().await.expect("open link");
    assert_eq!(page.status(), 200);
    assert!(page.text().await.expect("form").contains("<form"));
    // Every invitation is sent; the token is not stored anywhere.
    assert!(statuses(&pool).iter().all(|(_, s, _)| s == "sent"));
    let tok = link.rsplit('/').next().expect("token");
    assert!(!app.db_dump_contains(tok));

    // A second import of the same list merges everything and sends nothing new.
    let again = app.cli_ok(&["invitations", "import", "--campaign", &id, &file]);
    assert!(
        again.contains("0 invitations queued, 3 duplicates merged"),
        "{again}"
    );
    // An address outside the allowed domains fails the whole file, by line.
    let bad = app.dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "email,unit_code,group\nx@hanoi.gov.vn,SNV,g\ny@gmail.com,SNV,g\nz@hanoi.gov.vn,NOPE,g\n",
    )
    .expect("write");
    let out = app.cli(&[
        "invitations",
        "import",
        "--campaign",
        &id,
        bad.to_str().expect("path"),
        "--allow-domain",
        "hanoi.gov.vn",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.csv:3:") && err.contains("gmail.com"),
        "{err}"
    );
    assert!(err.contains("bad.csv:4:") && err.contains("NOPE"), "{err}");
    assert_eq!(
        statuses(&pool).len(),
        3,
        "nothing from the bad file was imported"
    );
}

both!(a_server_down_for_a_while_gets_every_message_exactly_once);
async fn a_server_down_for_a_while_gets_every_message_exactly_once(db: TestDb) {
    let port = free_port();
    let app = app_with(db, smtp(port)).await;
    app.import_sample_units();
    let id = app.create_campaign("hn-mau-02", "SNV");
    let file = recipients_csv(&app, 20, "SNV");
    app.cli_ok(&["invitations", "import", "--campaign", &id, &file]);
    let pool = pool(&app);
    // Nothing listens: connections are refused and retried with backoff.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let retried: Vec<(i32, Option<String>)> = {
        let mut c = pool.get().expect("conn");
        outbox_messages::table
            .select((outbox_messages::attempts, outbox_messages::last_error))
            .load(&mut c)
            .expect("outbox")
    };
    assert!(
        retried.iter().all(|(a, e)| *a >= 1 && e.is_some()),
        "{retried:?}"
    );
    assert!(statuses(&pool).iter().all(|(_, s, _)| s == "queued"));

    // mailcrab comes up on that port: everything queued arrives once.
    let first = Crab::start_on(port).await;
    drained(&pool, Duration::from_secs(30)).await;
    assert!(statuses(&pool).iter().all(|(_, s, _)| s == "sent"));
    // It goes down and comes back on the same port; a second list is queued
    // meanwhile. (Sessions already open on the first server may still finish.)
    first.stop().await;
    let more = app.dir.path().join("more.csv");
    let mut csv = String::from("email,unit_code,group\n");
    for i in 0..20 {
        csv.push_str(&format!("sau.{i}@hanoi.gov.vn,SNV,lanh-dao\n"));
    }
    std::fs::write(&more, csv).expect("csv");
    app.cli_ok(&[
        "invitations",
        "import",
        "--campaign",
        &id,
        more.to_str().expect("path"),
    ]);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let second = Crab::start_on(port).await;
    drained(&pool, Duration::from_secs(30)).await;

    let mut rcpts: Vec<String> = first
        .received()
        .await
        .iter()
        .chain(second.received().await.iter())
        .flat_map(|m| m.rcpt.clone())
        .collect();
    rcpts.sort();
    let total = rcpts.len();
    rcpts.dedup();
    assert_eq!(total, 40, "every message arrives");
    assert_eq!(rcpts.len(), 40, "and none twice");
    assert!(statuses(&pool).iter().all(|(_, s, _)| s == "sent"));
}

both!(a_550_rejection_marks_the_invitation_failed_and_451_is_retried);
async fn a_550_rejection_marks_the_invitation_failed_and_451_is_retried(db: TestDb) {
    let Some(python) = aiosmtpd_python() else {
        eprintln!("skipped: pip install aiosmtpd / apt install python3-aiosmtpd (or set SIPAS_TEST_PYTHON)");
        return;
    };
    let server = Aiosmtpd::start(&python).await;
    let app = app_with(db, smtp(server.port)).await;
    app.import_sample_units();
    let id = app.create_campaign("hn-mau-02", "SNV");
    let file = app.dir.path().join("mixed.csv");
    std::fs::write(
        &file,
        "email,unit_code,group\nreject.a@hanoi.gov.vn,SNV,g\nreject.b@hanoi.gov.vn,SNV,g\n\
tempfail.c@hanoi.gov.vn,SNV,g\nok.d@hanoi.gov.vn,SNV,g\n",
    )
    .expect("csv");
    app.cli_ok(&[
        "invitations",
        "import",
        "--campaign",
        &id,
        file.to_str().expect("path"),
    ]);
    let pool = pool(&app);
    drained(&pool, Duration::from_secs(30)).await;
    let by_email: Vec<(String, String, Option<String>, i32)> = {
        let mut c = pool.get().expect("conn");
        invitations::table
            .inner_join(outbox_messages::table)
            .select((
                invitations::email.assume_not_null(),
                invitations::status,
                invitations::status_detail,
                outbox_messages::attempts,
            ))
            .order(invitations::email)
            .load(&mut c)
            .expect("invitations")
    };
    assert_eq!(by_email.len(), 4, "{by_email:?}");
    for (email, status, detail, attempts) in &by_email {
        if email.starts_with("reject") {
            assert_eq!(status, "failed", "{email}");
            let d = detail.as_deref().unwrap_or("");
            assert!(
                d.contains("550") && d.contains("mailbox unavailable"),
                "{d}"
            );
            assert_eq!(*attempts, 1, "a permanent failure is not retried");
        } else if email.starts_with("tempfail") {
            assert_eq!(status, "sent", "{email}: {detail:?}");
            assert_eq!(*attempts, 3, "451 twice, then accepted");
        } else {
            assert_eq!(status, "sent", "{email}");
            assert_eq!(*attempts, 1);
        }
    }
    let mut got: Vec<String> = server
        .received()
        .await
        .iter()
        .flat_map(|m| m.rcpt.clone())
        .collect();
    got.sort();
    assert_eq!(got, ["ok.d@hanoi.gov.vn", "tempfail.c@hanoi.gov.vn"]);
    let status = app.cli_ok(&["invitations", "status", "--campaign", &id]);
    assert!(
        status
            .lines()
            .any(|l| l.starts_with("SNV") && l.contains('g')),
        "{status}"
    );
}

both!(two_workers_send_each_message_once);
async fn two_workers_send_each_message_once(db: TestDb) {
    let sink = Crab::start().await;
    // The server's own worker is off: two separate workers, each with its own
    // connection pool, stand for two instances.
    let app = invited_without_worker(db, smtp(sink.port), 300).await;
    for _ in 0..2 {
        let w =
            sipas::mail::Worker::new(pool(&app), &smtp(sink.port), &app.address).expect("worker");
        tokio::spawn(w.run());
    }
    let pool = pool(&app);
    drained(&pool, Duration::from_secs(60)).await;
    let got = sink.received().await;
    let mut rcpts: Vec<String> = got.iter().flat_map(|m| m.rcpt.clone()).collect();
    assert_eq!(rcpts.len(), 300);
    rcpts.sort();
    rcpts.dedup();
    assert_eq!(rcpts.len(), 300, "no message was sent twice");
}

both!(bounces_reminders_and_no_link_from_response_to_recipient);
async fn bounces_reminders_and_no_link_from_response_to_recipient(db: TestDb) {
    let sink = Crab::start().await;
    let app = app_with(db, smtp(sink.port)).await;
    app.import_sample_units();
    let id = app.create_campaign("hn-mau-02", "SNV");
    let file = recipients_csv(&app, 3, "SNV");
    app.cli_ok(&["invitations", "import", "--campaign", &id, &file]);
    let pool = pool(&app);
    drained(&pool, Duration::from_secs(20)).await;
    let got = sink.received().await;
    let by = |who: &str| {
        got.iter()
            .find(|m| m.rcpt == [who.to_string()])
            .expect("message")
            .data
            .clone()
    };

    // can.bo0 bounces: the DSN returns the whole original, base64-encoded
    // (as some servers do), so our header is only visible once decoded.
    let original = by("can.bo0@hanoi.gov.vn");
    let bounced_id = headers_of(&original)
        .lines()
        .find_map(|l| l.strip_prefix("X-Sipas-Invitation: "))
        .expect("header")
        .trim()
        .to_string();
    let encoded = {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(original.as_bytes())
    };
    let wrapped: String = encoded
        .as_bytes()
        .chunks(76)
        .map(|c| format!("{}\r\n", String::from_utf8_lossy(c)))
        .collect();
    let maildir = app.dir.path().join("Maildir");
    std::fs::create_dir_all(maildir.join("new")).expect("maildir");
    std::fs::create_dir_all(maildir.join("cur")).expect("maildir");
    let dsn = format!(
        "From: MAILER-DAEMON@mx.hanoi.gov.vn\r\nSubject: Undelivered Mail\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n\
--B\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n\
--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.hanoi.gov.vn\r\n\r\n\
Final-Recipient: rfc822; can.bo0@hanoi.gov.vn\r\nAction: failed\r\nStatus: 5.1.1\r\n\
Diagnostic-Code: smtp; 550 5.1.1 mailbox unknown\r\n\r\n\
--B\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n{wrapped}\
--B--\r\n"
    );
    std::fs::write(maildir.join("new/1.mx"), dsn).expect("dsn");
    std::fs::write(
        maildir.join("cur/2.mx"),
        "Subject: hello\r\n\r\nnot a report\r\n",
    )
    .expect("other");
    let out = app.cli_ok(&["bounces", "ingest", maildir.to_str().expect("path")]);
    assert!(out.contains("1 invitations marked bounced"), "{out}");
    let st = statuses(&pool);
    for (inv, status, detail) in &st {
        if *inv == bounced_id {
            assert_eq!(status, "bounced");
            assert!(detail.as_deref().unwrap_or("").contains("mailbox unknown"));
        } else {
            assert_eq!(status, "sent");
        }
    }

    // can.bo1 answers through the link in the message.
    let text = plain_text(&by("can.bo1@hanoi.gov.vn"));
    let link = text
        .split_whitespace()
        .find(|w| w.starts_with("http"))
        .expect("link")
        .to_string();
    let path = link
        .strip_prefix(&app.address)
        .expect("own link")
        .to_string();
    let mut full: Vec<(String, String)> = [
        "CC1", "CC2", "CC3", "CC4", "KQ1", "KQ2", "PA1", "PA2", "PA3",
    ]
    .iter()
    .map(|c| (c.to_string(), "4".to_string()))
    .collect();
    full.push(("_k".into(), uuid::Uuid::new_v4().to_string()));
    assert_eq!(app.post_form(&path, &full).await.status(), 303);

    // Reminders: only can.bo2 (sent, not answered, not bounced) is due.
    let out = app.cli_ok(&[
        "invitations",
        "remind",
        "--campaign",
        &id,
        "--after-days",
        "0",
        "--max",
        "1",
    ]);
    assert!(out.contains("1 reminders queued"), "{out}");
    drained(&pool, Duration::from_secs(20)).await;
    let got = sink.received().await;
    assert_eq!(got.len(), 4);
    let reminder = got.last().expect("reminder");
    assert_eq!(reminder.rcpt, ["can.bo2@hanoi.gov.vn"]);
    assert!(plain_text(&reminder.data).contains("chưa nhận được"));
    let out = app.cli_ok(&[
        "invitations",
        "remind",
        "--campaign",
        &id,
        "--after-days",
        "0",
        "--max",
        "1",
    ]);
    assert!(
        out.contains("0 reminders queued"),
        "at most K reminders: {out}"
    );

    // Anonymity by construction: the response row holds nothing that leads back.
    let mut c = pool.get().expect("conn");
    let answered: Vec<(String, Option<chrono::NaiveDate>)> = invitations::table
        .filter(invitations::status.eq("answered"))
        .select((invitations::id, invitations::answered_on))
        .load(&mut c)
        .expect("answered");
    assert_eq!(answered.len(), 1);
    assert!(answered[0].1.is_some(), "only the day is kept");
    let inv_id = answered[0].0.clone();
    #[derive(QueryableByName)]
    struct Line {
        #[diesel(sql_type = diesel::sql_types::Text)]
        line: String,
    }
    let sql = "SELECT r.id || '|' || r.campaign_id || '|' || r.unit_id AS line FROM responses r";
    let rows: Vec<Line> =
        sipas::per_backend!(&mut *c, cc => diesel::sql_query(sql).load(cc)).expect("responses");
    assert_eq!(rows.len(), 1);
    let token = link.rsplit('/').next().expect("token");
    for r in &rows {
        assert!(
            !r.line.contains(&inv_id) && !r.line.contains(token) && !r.line.contains("can.bo1"),
            "{}",
            r.line
        );
    }
}

crate::db_test!(
    the_admin_screen_imports_lists_and_counts_per_unit_and_group,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", "P-HOANKIEM,SNV");
        let admin = app.admin_client().await;
        let base = format!("/admin/campaigns/{id}/invitations");
        let bad = admin
            .post_multipart(
                &format!("{base}/import"),
                &[(
                    "file",
                    Some("l.csv"),
                    "email,unit_code,group\nnot-an-address,SNV,g\n",
                )],
            )
            .await;
        assert_eq!(bad.status(), 422);
        assert!(bad.text().await.expect("page").contains("not-an-address"));
        let csv = "email,unit_code,group\na@hanoi.gov.vn,SNV,lanh-dao\nb@hanoi.gov.vn,SNV,chuyen-vien\nc@hanoi.gov.vn,P-HOANKIEM,lanh-dao\na@hanoi.gov.vn,SNV,lanh-dao\n";
        let ok = admin
            .post_multipart(&format!("{base}/import"), &[("file", Some("l.csv"), csv)])
            .await;
        assert_eq!(ok.status(), 200);
        let page = ok.text().await.expect("page");
        assert!(page.contains("3 / 1"), "3 added, 1 merged");
        assert!(page.contains("chuyen-vien") && page.contains("P-HOANKIEM"));
        let remind = admin
            .post(
                &format!("{base}/remind"),
                &[("after_days", "0"), ("max", "1")],
            )
            .await;
        assert_eq!(remind.status(), 200);

        // A ward officer sees only the ward's row.
        let name = app
            .create_user(&admin, "unit_officer", Some("P-HOANKIEM"))
            .await;
        let officer = app.login(&name, TEST_PASSWORD).await;
        let seen = officer.page(&base).await;
        assert!(seen.contains("P-HOANKIEM"));
        assert!(
            !seen.contains("chuyen-vien"),
            "rows outside the subtree are hidden"
        );
    }
);

both!(a_one_stop_link_with_an_address_is_mailed_once);
async fn a_one_stop_link_with_an_address_is_mailed_once(db: TestDb) {
    let sink = Crab::start().await;
    let app = app_with(db, smtp(sink.port)).await;
    app.import_sample_units();
    let id = app.create_campaign("hn-mau-02", "P-HOANKIEM");
    let key = app.api_key("unit_officer", Some("P-HOANKIEM"));
    let body = serde_json::json!({ "campaign_id": id, "unit_code": "P-HOANKIEM", "dossier_id": "HS-9", "email": "Dan@Example.vn" });
    for expected in [201, 200] {
        let r = app
            .client
            .post(format!("{}/api/v1/invitations", app.address))
            .bearer_auth(&key)
            .json(&body)
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), expected);
    }
    drained(&pool(&app), Duration::from_secs(20)).await;
    let got = sink.received().await;
    assert_eq!(got.len(), 1, "the same dossier is mailed once");
    assert_eq!(got[0].rcpt, ["dan@example.vn"]);
}

crate::db_test!(
    without_smtp_messages_become_eml_files,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", "SNV");
        let file = recipients_csv(&app, 2, "SNV");
        app.cli_ok(&["invitations", "import", "--campaign", &id, &file]);
        drained(&pool(&app), Duration::from_secs(20)).await;
        let dir = app.dir.path().join("outbox");
        let files: Vec<_> = std::fs::read_dir(&dir)
            .expect("outbox folder")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        assert_eq!(files.len(), 2);
        let eml = std::fs::read_to_string(&files[0]).expect("eml");
        assert!(eml.contains("X-Sipas-Invitation: "));
        assert!(plain_text(&eml).contains("/i/"));
        assert!(statuses(&pool(&app)).iter().all(|(_, s, _)| s == "sent"));
    }
);

both!(claims_are_exclusive_and_a_dead_workers_claims_come_back);
async fn claims_are_exclusive_and_a_dead_workers_claims_come_back(db: TestDb) {
    let app = invited_without_worker(db, MailSettings::default(), 3).await;
    let pool = pool(&app);
    let mut c = pool.get().expect("conn");
    let now = chrono::Utc::now().naive_utc();
    let lease = chrono::Duration::seconds(60);
    let a = db::outbox::claim(&mut c, "a", 10, lease, now).expect("claim a");
    assert_eq!(a.len(), 3);
    let b = db::outbox::claim(&mut c, "b", 10, lease, now).expect("claim b");
    assert!(b.is_empty(), "claimed messages are not claimed again");
    // Worker a dies; after its lease, b takes the messages over.
    let later = now + chrono::Duration::seconds(61);
    let b = db::outbox::claim(&mut c, "b", 10, lease, later).expect("claim b later");
    assert_eq!(b.len(), 3);
    db::outbox::mark_sent(&mut c, &b[0], later).expect("sent");
    let much_later = later + chrono::Duration::seconds(600);
    let again = db::outbox::claim(&mut c, "c", 10, lease, much_later).expect("claim c");
    assert_eq!(again.len(), 2, "a sent message is never claimed again");
}
