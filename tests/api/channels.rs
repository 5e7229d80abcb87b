//! Open links, posters, idempotent submits and abuse limits.
use crate::db_test;
use crate::helpers::*;

const CRITERIA: [&str; 9] = [
    "CC1", "CC2", "CC3", "CC4", "KQ1", "KQ2", "PA1", "PA2", "PA3",
];

fn full_answers(v: &str) -> Vec<(String, String)> {
    CRITERIA
        .iter()
        .map(|c| (c.to_string(), v.to_string()))
        .collect()
}

fn hidden_value(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .map(|i| i + marker.len())
        .expect("hidden field present");
    html[start..].split('"').next().expect("value").to_string()
}

async fn respondents(app: &TestApp, id: &str) -> u64 {
    let r = app
        .get_json(&format!("/api/v1/campaigns/{id}/results"))
        .await;
    r["units"][0]["respondents"].as_u64().expect("respondents")
}

db_test!(
    a_repeated_or_concurrent_submit_stores_one_response,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", "SNV");
        let page = app
            .get(&format!("/s/{id}/SNV"))
            .await
            .text()
            .await
            .expect("form");
        let key = hidden_value(&page, "_k");
        assert!(uuid::Uuid::parse_str(&key).is_ok());
        let mut fields = full_answers("4");
        fields.push(("_k".into(), key));
        fields.push(("_page".into(), "0".into()));
        let path = format!("/s/{id}/SNV");
        // A double click: two posts at once, then a refresh that re-posts.
        let (a, b) = tokio::join!(app.post_form(&path, &fields), app.post_form(&path, &fields));
        assert_eq!(a.status(), 303);
        assert_eq!(b.status(), 303);
        let c = app.post_form(&path, &fields).await;
        assert_eq!(c.status(), 303);
        assert_eq!(respondents(&app, &id).await, 1);
        // A new form (new key) is a new response.
        let page = app.get(&path).await.text().await.expect("form");
        let mut fields = full_answers("2");
        fields.push(("_k".into(), hidden_value(&page, "_k")));
        assert_eq!(app.post_form(&path, &fields).await.status(), 303);
        assert_eq!(respondents(&app, &id).await, 2);
    }
);

db_test!(
    the_honeypot_refuses_bots_with_a_clear_page,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", "SNV");
        let page = app
            .get(&format!("/s/{id}/SNV"))
            .await
            .text()
            .await
            .expect("form");
        // Out of sight, out of the accessibility tree and out of the tab order.
        assert!(page.contains("<div class=\"hp\" aria-hidden=\"true\">"));
        assert!(page.contains("name=\"website\" tabindex=\"-1\""));
        let mut fields = full_answers("5");
        fields.push(("website".into(), "http://spam.example".into()));
        let resp = app.post_form(&format!("/s/{id}/SNV"), &fields).await;
        assert_eq!(resp.status(), 400);
        assert!(resp
            .text()
            .await
            .expect("body")
            .contains("Phiếu chưa được ghi nhận"));
        assert_eq!(respondents(&app, &id).await, 0);
    }
);

async fn rate_limit_trips_with_a_clear_message(db: TestDb) {
    let Some(app) = spawn_app_configured(db, &manifest_dir().join("survey-templates"), |s| {
        s.rate_limit_per_minute = 3
    })
    .await
    else {
        return;
    };
    app.import_sample_units();
    let id = app.create_campaign("hn-mau-02", "SNV");
    for _ in 0..3 {
        assert_eq!(
            app.post_form(&format!("/s/{id}/SNV"), &full_answers("5"))
                .await
                .status(),
            303
        );
    }
    let resp = app
        .post_form(&format!("/s/{id}/SNV"), &full_answers("5"))
        .await;
    assert_eq!(resp.status(), 429);
    assert!(resp
        .text()
        .await
        .expect("body")
        .contains("vui lòng đợi một phút"));
    assert_eq!(respondents(&app, &id).await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_trips_with_a_clear_message_sqlite() {
    rate_limit_trips_with_a_clear_message(TestDb::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_trips_with_a_clear_message_postgres() {
    rate_limit_trips_with_a_clear_message(TestDb::Postgres).await;
}

async fn device_cap_applies_per_cookie(db: TestDb) {
    let Some(app) = spawn_app_configured(db, &manifest_dir().join("survey-templates"), |s| {
        s.device_cap_per_campaign = 2
    })
    .await
    else {
        return;
    };
    app.import_sample_units();
    let id = app.create_campaign("hn-mau-02", "SNV");
    let phone = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let url = format!("{}/s/{id}/SNV", app.address);
    let post = |fields: Vec<(String, String)>| {
        let phone = phone.clone();
        let url = url.clone();
        async move {
            phone
                .post(&url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(serde_urlencoded::to_string(&fields).expect("encode"))
                .send()
                .await
                .expect("post")
        }
    };
    let first = phone.get(&url).send().await.expect("get");
    assert!(first
        .headers()
        .get("set-cookie")
        .is_some_and(|c| c.to_str().unwrap_or("").contains("HttpOnly")));
    assert_eq!(post(full_answers("5")).await.status(), 303);
    assert_eq!(post(full_answers("4")).await.status(), 303);
    let third = post(full_answers("3")).await;
    assert_eq!(third.status(), 429);
    assert!(third
        .text()
        .await
        .expect("body")
        .contains("số phiếu tối đa"));
    // Another device is not affected.
    assert_eq!(
        app.post_form(&format!("/s/{id}/SNV"), &full_answers("5"))
            .await
            .status(),
        303
    );
    assert_eq!(respondents(&app, &id).await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn device_cap_applies_per_cookie_sqlite() {
    device_cap_applies_per_cookie(TestDb::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn device_cap_applies_per_cookie_postgres() {
    device_cap_applies_per_cookie(TestDb::Postgres).await;
}

fn decode_png_qr(bytes: &[u8]) -> String {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes.to_vec()));
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("png frame");
    let (w, h) = (info.width as usize, info.height as usize);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| buf[y * w + x]);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the image");
    grids[0].decode().expect("decodes").1
}

db_test!(
    posters_carry_a_working_qr_code_per_unit_and_service,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", "SNV,P-HOANKIEM");
        let services = app.dir.path().join("services.csv");
        std::fs::write(
            &services,
            "code,name\n1.004227,Đăng ký khai sinh\n2.000889,Chứng thực bản sao từ bản chính\n",
        )
        .expect("write");
        let out = app.cli_ok(&[
            "campaigns",
            "services",
            &id,
            services.to_str().expect("path"),
        ]);
        assert!(out.contains("2 services set"), "{out}");

        let poster = app
            .get(&format!("/s/{id}/P-HOANKIEM/poster?dv=1.004227"))
            .await;
        assert_eq!(poster.status(), 200);
        let html = poster.text().await.expect("poster");
        assert!(html.contains("<svg"));
        assert!(html.contains("Đăng ký khai sinh"));
        // The poster and its QR code carry the short link, which leads to
        // the unit's open link for the service; the long link still works.
        let png = app
            .get(&format!("/s/{id}/P-HOANKIEM/qr.png?dv=1.004227"))
            .await;
        assert_eq!(png.headers()["content-type"], "image/png");
        let bytes = png.bytes().await.expect("png");
        let short = decode_png_qr(&bytes);
        let code = short
            .strip_prefix(&format!("{}/k/", app.address))
            .unwrap_or_else(|| panic!("a short link: {short}"));
        assert!(
            code.len() == 4 && code.chars().all(|c| c.is_ascii_alphanumeric()),
            "{code}"
        );
        assert!(html.contains(&format!("/k/{code}")), "the poster prints it");
        for typed in [code.to_string(), code.to_lowercase()] {
            let hop = app.get(&format!("/k/{typed}")).await;
            assert_eq!(hop.status(), 303);
            assert_eq!(
                hop.headers()["location"],
                format!("/s/{id}/P-HOANKIEM?dv=1.004227").as_str()
            );
        }
        assert_eq!(app.get("/k/ZZZZ").await.status(), 404);
        // The unit's own link has a code of its own.
        let own = decode_png_qr(
            &app.get(&format!("/s/{id}/P-HOANKIEM/qr.png"))
                .await
                .bytes()
                .await
                .expect("png"),
        );
        assert_ne!(own, short);
        let svg = app.get(&format!("/s/{id}/SNV/qr.svg")).await;
        assert_eq!(svg.headers()["content-type"], "image/svg+xml");
        assert!(svg.text().await.expect("svg").starts_with("<svg"));

        // The open link names the service; an unknown service is a clear 404.
        let form = app
            .get(&format!("/s/{id}/P-HOANKIEM?dv=1.004227"))
            .await
            .text()
            .await
            .expect("form");
        assert!(form.contains("Thủ tục") && form.contains("Đăng ký khai sinh"));
        assert!(form.contains("name=\"_dv\" value=\"1.004227\""));
        assert_eq!(
            app.get(&format!("/s/{id}/P-HOANKIEM?dv=9.999"))
                .await
                .status(),
            404
        );
        let mut fields = full_answers("5");
        fields.push(("_dv".into(), "1.004227".into()));
        let resp = app.post_form(&format!("/s/{id}/P-HOANKIEM"), &fields).await;
        assert_eq!(resp.status(), 303);
        assert!(resp.headers()["location"]
            .to_str()
            .expect("loc")
            .ends_with("&dv=1.004227"));

        let bad = app.dir.path().join("bad-services.csv");
        std::fs::write(&bad, "code,name\n1.1,A\nbad code,B\n1.1,C\n").expect("write");
        let out = app.cli(&["campaigns", "services", &id, bad.to_str().expect("path")]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("bad-services.csv:3: code \"bad code\""),
            "{err}"
        );
        assert!(
            err.contains("bad-services.csv:4: code 1.1 appears twice"),
            "{err}"
        );
        assert!(app
            .cli_ok(&[
                "campaigns",
                "services",
                &id,
                services.to_str().expect("path")
            ])
            .contains("2 services"));
    }
);

db_test!(responses_store_no_identity, |app: TestApp| async move {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct Col {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    let cols: Vec<String> = match app.backend {
        TestDb::Sqlite => {
            assert!(std::path::Path::new(&app.database_url).exists(), "{} {:?} {:?}", app.database_url, std::fs::read_dir(app.dir.path()).map(|d| d.count()), app.dir.path());
            let mut c = diesel::SqliteConnection::establish(&app.database_url).expect("db");
            diesel::sql_query("SELECT name FROM pragma_table_info('responses') UNION ALL SELECT name FROM pragma_table_info('answers')")
                .load::<Col>(&mut c)
                .expect("columns")
        }
        TestDb::Postgres => {
            let mut c = diesel::PgConnection::establish(&app.database_url).expect("db");
            diesel::sql_query("SELECT column_name::text AS name FROM information_schema.columns WHERE table_name IN ('responses', 'answers')")
                .load::<Col>(&mut c)
                .expect("columns")
        }
    }
    .into_iter()
    .map(|c| c.name)
    .collect();
    assert!(cols.contains(&"item_code".to_string()));
    for forbidden in [
        "name",
        "phone",
        "email",
        "ip",
        "ip_address",
        "user_agent",
        "invitation_id",
        "token",
        "device_id",
    ] {
        assert!(
            !cols.iter().any(|c| c == forbidden),
            "responses must not store {forbidden}"
        );
    }
});

/// Concurrent submissions are written together (one transaction per batch
/// on SQLite); each keeps its own outcome: a repeated key stores nothing and
/// still thanks the sender, a device over its cap is refused, and its
/// neighbours are stored with all their counts.
async fn concurrent_submissions_keep_their_own_outcome(db: TestDb) {
    let Some(app) = spawn_app_configured(db, &manifest_dir().join("survey-templates"), |s| {
        s.device_cap_per_campaign = 3
    })
    .await
    else {
        return;
    };
    app.import_sample_units();
    let id = app.create_campaign("hn-mau-02", "SNV");
    let url = format!("{}/s/{id}/SNV", app.address);
    let send = |client: reqwest::Client, value: usize, key: String| {
        let url = url.clone();
        async move {
            let mut fields = full_answers(&(value % 5 + 1).to_string());
            fields.push(("_k".into(), key));
            client
                .post(&url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(serde_urlencoded::to_string(&fields).expect("encode"))
                .send()
                .await
                .expect("post")
                .status()
                .as_u16()
        }
    };
    // 16 forms, 8 of them sent twice, all at once, each from its own device.
    let keys: Vec<String> = (0..16).map(|_| uuid::Uuid::new_v4().to_string()).collect();
    let mut posts = Vec::new();
    for (i, k) in keys.iter().chain(keys[..8].iter()).enumerate() {
        posts.push(send(cookie_client(), i % 16, k.clone()));
    }
    // One phone sends 6 new forms at once; its cap is 3.
    let phone = cookie_client();
    assert_eq!(phone.get(&url).send().await.expect("cookie").status(), 200);
    for i in 0..6 {
        posts.push(send(phone.clone(), i, uuid::Uuid::new_v4().to_string()));
    }
    let posts: Vec<_> = posts.into_iter().map(tokio::spawn).collect();
    let mut statuses = Vec::new();
    for p in posts {
        statuses.push(p.await.expect("post task"));
    }
    let (forms, phone_statuses) = statuses.split_at(24);
    assert!(forms.iter().all(|s| *s == 303), "{forms:?}");
    let mut phone_statuses = phone_statuses.to_vec();
    phone_statuses.sort_unstable();
    assert_eq!(phone_statuses, [303, 303, 303, 429, 429, 429]);
    assert_eq!(respondents(&app, &id).await, 19);
    // Every stored response is in the tallies once: CC1's answers add up.
    let r = app
        .get_json(&format!("/api/v1/campaigns/{id}/results"))
        .await;
    let cc1 = r["units"][0]["distributions"]
        .as_array()
        .expect("distributions")
        .iter()
        .find(|d| d["code"] == "CC1")
        .expect("CC1");
    assert_eq!(cc1["n"].as_u64(), Some(19), "{cc1}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_submissions_keep_their_own_outcome_sqlite() {
    concurrent_submissions_keep_their_own_outcome(TestDb::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_submissions_keep_their_own_outcome_postgres() {
    concurrent_submissions_keep_their_own_outcome(TestDb::Postgres).await;
}

db_test!(
    posters_opened_at_once_draw_each_short_link_once,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", "SNV,P-HOANKIEM");
        // Services added after creation: their codes are drawn when a page first needs them.
        let services = app.dir.path().join("services.csv");
        std::fs::write(
            &services,
            "code,name\n1.004227,Đăng ký khai sinh\n2.000889,Chứng thực\n1.001193,Đăng ký kết hôn\n",
        )
        .expect("write");
        app.cli_ok(&[
            "campaigns",
            "services",
            &id,
            services.to_str().expect("path"),
        ]);
        let mut pages = tokio::task::JoinSet::new();
        for i in 0..8 {
            let (client, url) = (
                reqwest::Client::new(),
                format!(
                    "{}/s/{id}/{}/poster",
                    app.address,
                    ["SNV", "P-HOANKIEM"][i % 2]
                ),
            );
            pages.spawn(async move { client.get(url).send().await.expect("GET").status() });
        }
        while let Some(status) = pages.join_next().await {
            assert_eq!(status.expect("join"), 200);
        }
        // One code per unit and per unit and service: 2 × (1 + 3).
        assert_eq!(app.count("short_links"), 8);
    }
);
