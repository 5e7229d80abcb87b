//! Accounts: the login lockout, API keys, security headers, sessions
//! ending, and the append-only audit log.
use std::time::Duration;

use diesel::{Connection, RunQueryDsl};

use crate::db_test;
use crate::helpers::*;

db_test!(lockout_trips_and_then_lifts, |app: TestApp| async move {
    let (name, password) = app.create_admin();
    for attempt in 1..=5 {
        let (_, resp) = app.try_login(&name, "wrong password!").await;
        assert_eq!(resp.status(), 401, "attempt {attempt}");
        let html = resp.text().await.expect("body");
        assert!(html.contains("Tên đăng nhập hoặc mật khẩu không đúng"));
    }
    // Locked: even the right password is refused, with its own message.
    let (_, resp) = app.try_login(&name, &password).await;
    assert_eq!(resp.status(), 429);
    assert!(resp.text().await.expect("body").contains("tạm khóa"));
    // Unknown names lock the same way, so locking tells nothing about who exists.
    for _ in 0..5 {
        app.try_login("khong-ton-tai", "wrong password!").await;
    }
    assert_eq!(app.try_login("khong-ton-tai", "x").await.1.status(), 429);

    tokio::time::sleep(Duration::from_secs(LOCKOUT_SECS + 1)).await;
    let admin = app.login(&name, &password).await;
    let audit = admin.page("/admin/audit").await;
    for action in ["login_failed", "lockout", "login_locked", "login"] {
        assert!(
            audit.contains(&format!("<code>{action}</code>")),
            "audit shows {action}"
        );
    }
});

db_test!(
    api_keys_are_stored_hashed_and_stop_working_when_revoked,
    |app: TestApp| async move {
        let out = app.cli(&[
            "api-keys",
            "create",
            "--name",
            "một cửa",
            "--role",
            "analyst",
        ]);
        assert!(out.status.success());
        let key = String::from_utf8_lossy(&out.stdout).trim().to_string();
        assert!(key.starts_with("sipas_") && key.len() == 70, "{key}");
        let id = id_after(&String::from_utf8_lossy(&out.stderr), "API key ");
        assert_eq!(app.api_get(&key, "/api/v1/campaigns").await.status(), 200);
        // The key itself is nowhere in the database or the listing.
        let listing = app.cli_ok(&["api-keys", "list"]);
        assert!(listing.contains(&id) && !listing.contains(&key));
        // An officer key needs a unit, and other roles refuse one.
        assert!(!app
            .cli(&[
                "api-keys",
                "create",
                "--name",
                "x",
                "--role",
                "unit_officer"
            ])
            .status
            .success());
        app.cli_ok(&["api-keys", "revoke", &id]);
        let resp = app.api_get(&key, "/api/v1/campaigns").await;
        assert_eq!(resp.status(), 401);
        assert!(
            !app.cli(&["api-keys", "revoke", &id]).status.success(),
            "revoked twice"
        );
        // Created in the admin screen, a key is shown once and works.
        let admin = app.admin_client().await;
        let resp = admin
            .post(
                "/admin/api-keys",
                &[("name", "hệ thống"), ("role", "analyst"), ("unit", "")],
            )
            .await;
        assert_eq!(resp.status(), 200);
        let html = resp.text().await.expect("body");
        let start = html.find("sipas_").expect("the key is shown");
        let shown = &html[start..start + 70];
        assert_eq!(app.api_get(shown, "/api/v1/campaigns").await.status(), 200);
        assert!(
            !admin.page("/admin/api-keys").await.contains(shown),
            "shown only once"
        );
        // The browser's session opens the API too.
        assert_eq!(admin.get("/api/v1/campaigns").await.status(), 200);
    }
);

db_test!(
    security_headers_are_on_every_page,
    |app: TestApp| async move {
        let resp = app.get("/").await;
        let h = resp.headers();
        let csp = h["content-security-policy"].to_str().expect("csp");
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(h["referrer-policy"], "no-referrer");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert!(
            h.get("strict-transport-security").is_none(),
            "no HSTS over plain HTTP"
        );
        let tls = app
            .client
            .get(format!("{}/", app.address))
            .header("x-forwarded-proto", "https")
            .send()
            .await
            .expect("GET");
        assert!(tls.headers()["strict-transport-security"]
            .to_str()
            .expect("hsts")
            .starts_with("max-age="));
        // The session cookie is HttpOnly and SameSite, and encrypted (no readable content).
        let login = app.get("/admin/login").await;
        let cookie = login.headers()["set-cookie"]
            .to_str()
            .expect("cookie")
            .to_string();
        assert!(cookie.starts_with("sipas_session="));
        assert!(cookie.contains("HttpOnly"));
        assert!(cookie.contains("SameSite=Lax"));
        assert!(!cookie.contains("csrf"));
        assert_eq!(login.headers()["cache-control"], "no-store");
    }
);

db_test!(
    password_changes_and_disabling_end_sessions,
    |app: TestApp| async move {
        let admin = app.admin_client().await;
        let name = app.create_user(&admin, "analyst", None).await;
        let first = app.login(&name, TEST_PASSWORD).await;
        let second = app.login(&name, TEST_PASSWORD).await;
        let new = "mat-khau-moi-rat-dai";
        let resp = first
            .post(
                "/admin/password",
                &[("current", TEST_PASSWORD), ("new", new), ("confirm", new)],
            )
            .await;
        assert_eq!(resp.status(), 200);
        assert_eq!(
            first.get("/admin").await.status(),
            200,
            "this session stays"
        );
        assert_eq!(
            second.get("/admin").await.status(),
            303,
            "the other one ends"
        );
        assert_eq!(app.try_login(&name, TEST_PASSWORD).await.1.status(), 401);
        // A wrong current password changes nothing.
        let resp = first
            .post(
                "/admin/password",
                &[
                    ("current", "sai"),
                    ("new", "x1234567890"),
                    ("confirm", "x1234567890"),
                ],
            )
            .await;
        assert_eq!(resp.status(), 422);
        let third = app.login(&name, new).await;

        let users = admin.page("/admin/users").await;
        let at = users.find(&name).expect("listed");
        let uid = id_after(&users[at..], "/admin/users/");
        let resp = admin
            .post(
                &format!("/admin/users/{uid}/disable"),
                &[("disabled", "true")],
            )
            .await;
        assert_eq!(resp.status(), 303);
        assert_eq!(
            third.get("/admin").await.status(),
            303,
            "a disabled account is logged out"
        );
        assert_eq!(app.try_login(&name, new).await.1.status(), 401);
    }
);

db_test!(the_audit_log_cannot_be_changed, |app: TestApp| async move {
    app.import_sample_units();
    let id = app.create_campaign("hn-mau-02", "SNV");
    let admin = app.admin_client().await;
    app.create_user(&admin, "analyst", None).await;
    let audit = admin.page("/admin/audit").await;
    // Who, what, on what: the CLI's work is logged too.
    assert!(audit.contains("<code>units_import</code>"));
    assert!(audit.contains(&id), "the campaign created from the CLI");
    assert!(audit.contains("<td>cli</td>"));
    assert!(audit.contains("<code>user_create</code>"));
    assert!(audit.contains("<code>login</code>"));
    let update = "UPDATE audit_log SET actor = 'someone else'";
    let delete = "DELETE FROM audit_log";
    match app.backend {
        TestDb::Sqlite => {
            let mut c = diesel::SqliteConnection::establish(&app.database_url).expect("db");
            assert!(diesel::sql_query(update).execute(&mut c).is_err());
            assert!(diesel::sql_query(delete).execute(&mut c).is_err());
        }
        TestDb::Postgres => {
            let mut c = diesel::PgConnection::establish(&app.database_url).expect("db");
            assert!(diesel::sql_query(update).execute(&mut c).is_err());
            assert!(diesel::sql_query(delete).execute(&mut c).is_err());
        }
    }
    assert!(admin
        .page("/admin/audit")
        .await
        .contains("<code>user_create</code>"));
});

db_test!(
    logging_out_ends_every_session_of_the_user,
    |app: TestApp| async move {
        let (name, password) = app.create_admin();
        let here = app.login(&name, &password).await;
        let elsewhere = app.login(&name, &password).await;
        assert_eq!(elsewhere.get("/admin").await.status(), 200);
        assert_eq!(here.post("/admin/logout", &[]).await.status(), 303);
        // Cookie sessions cannot be revoked one by one: logging out kills them all,
        // so a copied cookie is worthless afterwards.
        let resp = elsewhere.get("/admin").await;
        assert_eq!(resp.status(), 303);
        assert_eq!(resp.headers()["location"], "/admin/login");
        let again = app.login(&name, &password).await;
        assert!(again
            .page("/admin/audit")
            .await
            .contains("<code>logout</code>"));
    }
);

db_test!(
    account_form_errors_are_clear_and_keep_what_was_typed,
    |app: TestApp| async move {
        app.import_sample_units();
        let admin = app.admin_client().await;
        let cases = [
            (
                ("ngan-qua", "ngan", "analyst", ""),
                "Mật khẩu phải có ít nhất 10 ký tự",
            ),
            (
                ("can-bo-x", TEST_PASSWORD, "unit_officer", ""),
                "Cán bộ đơn vị cần được gắn với một đơn vị",
            ),
            (
                ("can-bo-y", TEST_PASSWORD, "unit_officer", "KHONG-CO"),
                "Không có đơn vị mang mã KHONG-CO",
            ),
            (
                ("phan-tich", TEST_PASSWORD, "analyst", "SNV"),
                "Chỉ cán bộ đơn vị mới gắn với đơn vị",
            ),
            (
                ("a b", TEST_PASSWORD, "analyst", ""),
                "Tên đăng nhập chỉ gồm",
            ),
        ];
        for ((username, password, role, unit), message) in cases {
            let resp = admin
                .post(
                    "/admin/users",
                    &[
                        ("username", username),
                        ("password", password),
                        ("role", role),
                        ("unit", unit),
                    ],
                )
                .await;
            assert_eq!(resp.status(), 422, "{username}");
            let html = resp.text().await.expect("body");
            assert!(html.contains(message), "{username}: {message}");
            assert!(
                html.contains(&format!("value=\"{username}\"")),
                "{username} kept"
            );
        }
        let name = app.create_user(&admin, "analyst", None).await;
        let resp = admin
            .post(
                "/admin/users",
                &[
                    ("username", &name),
                    ("password", TEST_PASSWORD),
                    ("role", "analyst"),
                    ("unit", ""),
                ],
            )
            .await;
        assert_eq!(resp.status(), 422);
        assert!(resp
            .text()
            .await
            .expect("body")
            .contains("Tên đăng nhập đã có người dùng"));
        let cli = app.cli(&["api-keys", "create", "--name", "x", "--role", "boss"]);
        assert!(!cli.status.success());
        assert!(String::from_utf8_lossy(&cli.stderr).contains("unknown role \"boss\""));
    }
);

db_test!(
    a_new_account_or_key_starts_with_the_least_privilege,
    |app: TestApp| async move {
        let admin = app.admin_client().await;
        for page in ["/admin/users", "/admin/api-keys"] {
            let html = admin.page(page).await;
            assert!(
                html.contains(r#"<option value="analyst" selected>"#),
                "{page}: the analyst role is chosen by default"
            );
            assert!(
                !html.contains(r#"<option value="admin" selected>"#),
                "{page}"
            );
        }
    }
);

db_test!(
    logging_in_returns_to_the_page_asked_for,
    |app: TestApp| async move {
        let (name, password) = app.create_admin();
        let browser = cookie_client();
        let asked = browser
            .get(format!("{}/admin/campaigns?lang=en", app.address))
            .send()
            .await
            .expect("get");
        assert_eq!(asked.status(), 303);
        let to = asked.headers()["location"]
            .to_str()
            .expect("location")
            .to_string();
        assert_eq!(to, "/admin/login?next=%2Fadmin%2Fcampaigns%3Flang%3Den");
        let login = browser
            .get(format!("{}{to}", app.address))
            .send()
            .await
            .expect("login page")
            .text()
            .await
            .expect("html");
        assert!(
            login.contains(r#"name="next" value="/admin/campaigns?lang=en""#),
            "{login}"
        );
        // Each login from its own browser: a login renews the session.
        let post = |next: &'static str| {
            let (name, password) = (name.clone(), password.clone());
            let base = app.address.clone();
            async move {
                let browser = cookie_client();
                let login = browser
                    .get(format!("{base}/admin/login"))
                    .send()
                    .await
                    .expect("login page")
                    .text()
                    .await
                    .expect("html");
                let fields = [
                    ("csrf", csrf_in(&login)),
                    ("username", name),
                    ("password", password),
                    ("next", next.to_string()),
                ];
                let resp = browser
                    .post(format!("{base}/admin/login"))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(serde_urlencoded::to_string(fields).expect("encode"))
                    .send()
                    .await
                    .expect("post");
                assert_eq!(resp.status(), 303);
                resp.headers()["location"]
                    .to_str()
                    .expect("location")
                    .to_string()
            }
        };
        assert_eq!(
            post("/admin/campaigns?lang=en").await,
            "/admin/campaigns?lang=en"
        );
        // Never to another site.
        assert_eq!(post("https://evil.example/admin").await, "/admin?lang=vi");
        assert_eq!(post("//evil.example/admin").await, "/admin?lang=vi");
    }
);
