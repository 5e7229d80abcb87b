//! Against mailcrab: a campaign's own wording reaches the
//! inbox (and the default elsewhere), the List-Unsubscribe page stops
//! reminders, and a stopping worker finishes what it is sending.
use std::time::Duration;

use diesel::prelude::*;
use sipas::config::MailSettings;
use sipas::db::schema::outbox_messages;

use crate::helpers::*;
use crate::mail::{
    app_with, both, drained, invited_without_worker, link_in, plain_text, pool, recipients_csv,
    smtp,
};
use crate::smtp_servers::Crab;

fn parsed(data: &str) -> mail_parser::Message<'_> {
    mail_parser::MessageParser::default()
        .parse(data.as_bytes())
        .expect("a message")
}

both!(a_campaigns_own_wording_reaches_the_inbox_and_others_keep_the_default);
async fn a_campaigns_own_wording_reaches_the_inbox_and_others_keep_the_default(db: TestDb) {
    let crab = Crab::start().await;
    let app = app_with(db, smtp(crab.port)).await;
    app.import_sample_units();
    let own = app.create_campaign("hn-mau-02", "SNV");
    let plain = app.create_campaign("hn-mau-02", "SNV");

    // Unknown placeholders and a body without the link are refused, all at once.
    let bad = app.dir.path().join("bad.txt");
    std::fs::write(&bad, "Kính gửi {hoten},\n\nXin mời trả lời.\n").expect("write");
    let out = app.cli(&[
        "campaigns",
        "mail-wording",
        "--campaign",
        &own,
        "--subject",
        "Mời {ten}",
        "--body-file",
        bad.to_str().expect("path"),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("{ten}") && err.contains("Line 1: unknown placeholder: {hoten}"),
        "{err}"
    );
    assert!(err.contains("must contain {link}"), "{err}");

    let body = app.dir.path().join("body.txt");
    std::fs::write(
        &body,
        "Kính gửi lãnh đạo {unit},\n\nMời trả lời tại {link} trước ngày {deadline} <b>gấp</b> & {{cảm ơn}}.\n\n{sender}\n",
    )
    .expect("write");
    let ok = app.cli_ok(&[
        "campaigns",
        "mail-wording",
        "--campaign",
        &own,
        "--subject",
        "Kính mời {unit} tham gia {campaign}",
        "--body-file",
        body.to_str().expect("path"),
    ]);
    assert!(ok.contains("invitation wording saved"), "{ok}");

    let mut csv = String::from("email,unit_code,group\nrieng@hanoi.gov.vn,SNV,lanh-dao\n");
    let f1 = app.dir.path().join("own.csv");
    std::fs::write(&f1, &csv).expect("csv");
    csv = String::from("email,unit_code,group\nchung@hanoi.gov.vn,SNV,lanh-dao\n");
    let f2 = app.dir.path().join("plain.csv");
    std::fs::write(&f2, &csv).expect("csv");
    for (c, f) in [(&own, &f1), (&plain, &f2)] {
        app.cli_ok(&[
            "invitations",
            "import",
            "--campaign",
            c,
            f.to_str().expect("path"),
        ]);
    }
    let pool = pool(&app);
    drained(&pool, Duration::from_secs(20)).await;
    let got = crab.received().await;
    assert_eq!(got.len(), 2);
    let to = |who: &str| {
        got.iter()
            .find(|m| m.rcpt == [who.to_string()])
            .expect("message")
            .data
            .clone()
    };
    let mine = to("rieng@hanoi.gov.vn");
    let m = parsed(&mine);
    assert_eq!(
        m.subject(),
        Some("Kính mời Sở Nội vụ tham gia Khảo sát thử nghiệm 2026")
    );
    let text = plain_text(&mine);
    assert!(text.starts_with("Kính gửi lãnh đạo Sở Nội vụ,"), "{text}");
    assert!(
        text.contains("trước ngày 31/12/2026 <b>gấp</b> & {cảm ơn}."),
        "{text}"
    );
    assert!(text.contains("Sở Nội vụ Hà Nội"), "{{sender}}: {text}");
    let html = m.body_html(0).expect("an HTML part").into_owned();
    assert!(
        html.contains("&lt;b&gt;gấp&lt;/b&gt; &amp; {cảm ơn}"),
        "{html}"
    );
    let link = link_in(&mine);
    assert!(html.contains(&format!("<a href=\"{link}\">")), "{html}");
    let page = app.client.get(&link).send().await.expect("open");
    assert_eq!(page.status(), 200);

    let other = parsed(&to("chung@hanoi.gov.vn"))
        .subject()
        .map(str::to_string);
    assert_eq!(
        other.as_deref(),
        Some("Thư mời tham gia khảo sát: Khảo sát thử nghiệm 2026"),
        "a campaign without its own wording keeps the default"
    );
    assert!(plain_text(&to("chung@hanoi.gov.vn")).contains("Kính gửi Quý Ông/Bà,"));

    // A reminder with no wording of its own reuses the invitation's, marked.
    let out = app.cli_ok(&[
        "invitations",
        "remind",
        "--campaign",
        &own,
        "--after-days",
        "0",
        "--max",
        "1",
    ]);
    assert!(out.contains("1 reminders queued"), "{out}");
    drained(&pool, Duration::from_secs(20)).await;
    let got = crab.received().await;
    assert_eq!(got.len(), 3);
    let reminder = &got[2].data;
    assert_eq!(
        parsed(reminder).subject(),
        Some("Nhắc lại: Kính mời Sở Nội vụ tham gia Khảo sát thử nghiệm 2026")
    );
    assert!(plain_text(reminder).starts_with("Chúng tôi chưa nhận được"));
    // Back to the default.
    let out = app.cli_ok(&["campaigns", "mail-wording", "--campaign", &own]);
    assert!(out.contains("default invitation wording"), "{out}");
}

crate::db_test!(
    the_admin_screen_sets_the_wording_and_explains_mistakes,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", "P-HOANKIEM");
        let admin = app.admin_client().await;
        let url = format!("/admin/campaigns/{id}/mail-wording");
        let page = admin.page(&url).await;
        assert!(page.contains("Đang dùng nội dung mặc định"), "{page}");
        assert!(page.contains("{deadline}"));
        let bad = admin
            .post(
                &url,
                &[
                    ("invitation_subject", "Mời <tham gia> {dotkhaosat}"),
                    ("invitation_body", "Không có đường dẫn"),
                    ("reminder_subject", "Chỉ có tiêu đề"),
                    ("reminder_body", ""),
                ],
            )
            .await;
        assert_eq!(bad.status(), 422);
        let page = bad.text().await.expect("page");
        assert!(page.contains("chỗ điền không có: {dotkhaosat}"), "{page}");
        assert!(page.contains("nội dung phải có {link}"), "{page}");
        assert!(page.contains("cần nhập cả tiêu đề và nội dung"), "{page}");
        assert!(
            page.contains("value=\"Mời &lt;tham gia&gt; {dotkhaosat}\""),
            "what was typed is kept, escaped"
        );
        assert!(page.contains("aria-invalid=\"true\""));
        let ok = admin
            .post(
                &url,
                &[
                    ("invitation_subject", "Mời tham gia {campaign}"),
                    ("invitation_body", "Kính gửi {unit},\r\n\r\n{link}\r\n"),
                    ("reminder_subject", ""),
                    ("reminder_body", ""),
                ],
            )
            .await;
        assert_eq!(ok.status(), 200);
        let page = ok.text().await.expect("page");
        assert!(page.contains("Đã lưu nội dung thư"), "{page}");
        let again = admin.page(&url).await;
        assert!(again.contains("Đang dùng nội dung riêng"));
        assert!(again.contains("Mời tham gia {campaign}"));

        // Wording is the whole campaign's: a unit officer may not change it.
        let name = app
            .create_user(&admin, "unit_officer", Some("P-HOANKIEM"))
            .await;
        let officer = app.login(&name, TEST_PASSWORD).await;
        assert_eq!(officer.get(&url).await.status(), 403);
    }
);

both!(the_list_unsubscribe_page_stops_reminders);
async fn the_list_unsubscribe_page_stops_reminders(db: TestDb) {
    let crab = Crab::start().await;
    let app = app_with(db, smtp(crab.port)).await;
    app.import_sample_units();
    let id = app.create_campaign("hn-mau-02", "SNV");
    let file = recipients_csv(&app, 2, "SNV");
    app.cli_ok(&["invitations", "import", "--campaign", &id, &file]);
    let pool = pool(&app);
    drained(&pool, Duration::from_secs(20)).await;
    let got = crab.received().await;
    let first = &got
        .iter()
        .find(|m| m.rcpt == ["can.bo0@hanoi.gov.vn"])
        .expect("message")
        .data;
    let m = parsed(first);
    let header = m
        .header_raw("List-Unsubscribe")
        .expect("List-Unsubscribe")
        .to_string();
    assert_eq!(
        m.header_raw("List-Unsubscribe-Post").map(str::trim),
        Some("List-Unsubscribe=One-Click")
    );
    let url = header
        .split(['<', '>'])
        .find(|p| p.starts_with("http"))
        .expect("an https (here http) opt-out URL")
        .trim()
        .to_string();
    assert!(header.contains("<mailto:"), "{header}");
    let link = link_in(first);
    assert_eq!(url, format!("{link}/unsubscribe"));
    assert!(
        plain_text(first).contains(&url),
        "the body names the page too"
    );

    // Opening the page (as a link scanner would) changes nothing.
    let page = app.client.get(&url).send().await.expect("get");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("page");
    assert!(html.contains("Ngừng nhận thư nhắc") && html.contains("method=\"post\""));
    assert!(!html.contains("<script"), "no JavaScript");
    let en = app
        .client
        .get(format!("{url}?lang=en"))
        .send()
        .await
        .expect("en");
    assert!(en.text().await.expect("page").contains("Stop reminders"));

    // The one-click POST a mail client sends: no cookie, no CSRF token; the
    // secret token in the URL is the authority.
    let r = app
        .client
        .post(&url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 200);
    assert!(r
        .text()
        .await
        .expect("page")
        .contains("không nhận thêm thư nhắc"));
    // Twice is harmless; a made-up token is not found.
    let again = app.client.post(&url).send().await.expect("post");
    assert_eq!(again.status(), 200);
    let fake = format!("{}/i/{}/unsubscribe", app.address, "A".repeat(43));
    assert_eq!(
        app.client.post(&fake).send().await.expect("post").status(),
        404
    );

    // Only the other recipient is reminded; the counts show the opt-out.
    let out = app.cli_ok(&[
        "invitations",
        "remind",
        "--campaign",
        &id,
        "--after-days",
        "0",
        "--max",
        "3",
    ]);
    assert!(out.contains("1 reminders queued"), "{out}");
    drained(&pool, Duration::from_secs(20)).await;
    let got = crab.received().await;
    assert_eq!(got.len(), 3);
    assert_eq!(got[2].rcpt, ["can.bo1@hanoi.gov.vn"]);
    let status = app.cli_ok(&["invitations", "status", "--campaign", &id]);
    let row = status
        .lines()
        .find(|l| l.starts_with("SNV"))
        .expect("row")
        .to_string();
    assert!(row.trim_end().ends_with(" 1"), "opted-out column: {status}");
    let admin = app.admin_client().await;
    let screen = admin
        .page(&format!("/admin/campaigns/{id}/invitations"))
        .await;
    assert!(screen.contains("Từ chối thư nhắc"));
    // The survey link itself still works.
    assert_eq!(
        app.client.get(&link).send().await.expect("form").status(),
        200
    );
}

both!(a_stopping_worker_finishes_what_is_in_flight_and_hands_back_the_rest);
async fn a_stopping_worker_finishes_what_is_in_flight_and_hands_back_the_rest(db: TestDb) {
    let crab = Crab::start().await;
    let app = invited_without_worker(db, smtp(crab.port), 60).await;
    let slow = MailSettings {
        rate_per_second: 20,
        ..smtp(crab.port)
    };
    let worker = sipas::mail::Worker::new(pool(&app), &slow, &app.address).expect("worker");
    let running = worker.start();
    let start = std::time::Instant::now();
    while crab.count() < 5 {
        assert!(start.elapsed() < Duration::from_secs(30), "nothing sent");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    running.shutdown(Duration::from_secs(10)).await;

    let pool = pool(&app);
    let rows: Vec<(String, Option<String>)> = {
        let mut c = pool.get().expect("conn");
        outbox_messages::table
            .select((outbox_messages::status, outbox_messages::claimed_by))
            .load(&mut c)
            .expect("outbox")
    };
    let sent = rows.iter().filter(|(s, _)| s == "sent").count();
    assert!(
        rows.iter().all(|(s, _)| s == "sent" || s == "queued"),
        "nothing is left mid-send for the lease to resend: {rows:?}"
    );
    assert!(
        rows.iter()
            .filter(|(s, _)| s == "queued")
            .all(|(_, by)| by.is_none()),
        "unsent claims were handed back"
    );
    assert!((5..60).contains(&sent), "{sent} sent before the stop");
    assert_eq!(
        crab.received().await.len(),
        sent,
        "what arrived is exactly what is recorded as sent"
    );

    // The next worker sends the rest, and nothing twice.
    let next = sipas::mail::Worker::new(pool.clone(), &smtp(crab.port), &app.address)
        .expect("worker")
        .start();
    drained(&pool, Duration::from_secs(30)).await;
    next.shutdown(Duration::from_secs(10)).await;
    let mut rcpts: Vec<String> = crab
        .received()
        .await
        .iter()
        .flat_map(|m| m.rcpt.clone())
        .collect();
    rcpts.sort();
    rcpts.dedup();
    assert_eq!(rcpts.len(), 60);
    assert_eq!(crab.received().await.len(), 60);
}

both!(sigterm_lets_the_server_finish_what_it_is_sending);
async fn sigterm_lets_the_server_finish_what_it_is_sending(db: TestDb) {
    let crab = Crab::start().await;
    // The test app only provides the database; a real `sipas serve` process
    // with a slow mail rate is the one that gets SIGTERM.
    let app = invited_without_worker(db, smtp(crab.port), 60).await;
    let mut server = std::process::Command::new(sipas_bin())
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("DATABASE_URL", &app.database_url)
        .env("SIPAS_TEMPLATES", &app.templates_dir)
        .env("SIPAS_LOG", "warn")
        .env("SIPAS_SMTP_HOST", "127.0.0.1")
        .env("SIPAS_SMTP_PORT", crab.port.to_string())
        .env("SIPAS_SMTP_TLS", "none")
        .env("SIPAS_MAIL_RATE", "20")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start sipas serve");
    let start = std::time::Instant::now();
    while crab.count() < 25 {
        assert!(start.elapsed() < Duration::from_secs(30), "nothing sent");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let exit = tokio::task::spawn_blocking(move || server.wait())
        .await
        .expect("join")
        .expect("wait");
    assert!(
        exit.success(),
        "sipas serve exits cleanly on SIGTERM: {exit}"
    );

    let pool = pool(&app);
    let rows: Vec<(String, Option<String>)> = {
        let mut c = pool.get().expect("conn");
        outbox_messages::table
            .select((outbox_messages::status, outbox_messages::claimed_by))
            .load(&mut c)
            .expect("outbox")
    };
    let sent = rows.iter().filter(|(s, _)| s == "sent").count();
    assert!(
        rows.iter().all(|(s, _)| s == "sent" || s == "queued"),
        "no message is left mid-send: {rows:?}"
    );
    assert!((25..60).contains(&sent), "{sent} sent before the stop");
    assert_eq!(crab.received().await.len(), sent);
}
