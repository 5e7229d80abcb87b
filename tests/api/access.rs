//! Roles and per-unit access: the allow/deny matrix, CSRF and escaping.
use crate::db_test;
use crate::helpers::*;

/// Who calls: a role's session, another unit's officer, or nobody.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Admin,
    Manager,
    Officer,
    OtherOfficer,
    Analyst,
    Anonymous,
}

const EVERYONE: [Who; 6] = [
    Who::Admin,
    Who::Manager,
    Who::Officer,
    Who::OtherOfficer,
    Who::Analyst,
    Who::Anonymous,
];

/// A state-changing route: path, form fields (CSRF added), who may.
type PostCase = (String, Vec<(&'static str, String)>, Vec<Who>);

fn allowed(resp_status: u16, location: Option<&str>) -> bool {
    match resp_status {
        200 | 201 | 204 => true,
        303 => !location.unwrap_or_default().starts_with("/admin/login"),
        _ => false,
    }
}

async fn check(who: Who, method: &str, path: &str, resp: reqwest::Response, expect: bool) {
    let status = resp.status().as_u16();
    let location = resp
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .map(str::to_string);
    let ok = allowed(status, location.as_deref());
    let body = if ok != expect {
        resp.text().await.unwrap_or_default()
    } else {
        String::new()
    };
    assert_eq!(
        ok,
        expect,
        "{who:?} {method} {path}: status {status}, location {location:?}\n{}",
        &body[..body.len().min(600)]
    );
    if !ok {
        assert!(
            matches!(status, 401 | 403 | 303),
            "{who:?} {method} {path}: a denial must be 401, 403 or a redirect to login, not {status}"
        );
    }
}

db_test!(
    every_admin_route_and_api_call_allows_and_denies_by_role,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", "SNV,P-HOANKIEM,X-SOCSON");

        let admin = app.admin_client().await;
        let mut browsers = Vec::new();
        for (who, role, unit) in [
            (Who::Manager, "campaign_manager", None),
            (Who::Officer, "unit_officer", Some("P-HOANKIEM")),
            (Who::OtherOfficer, "unit_officer", Some("X-BAVI")),
            (Who::Analyst, "analyst", None),
        ] {
            let name = app.create_user(&admin, role, unit).await;
            browsers.push((who, app.login(&name, TEST_PASSWORD).await));
        }
        let anonymous = Browser {
            address: app.address.clone(),
            client: cookie_client(),
            csrf: String::new(),
        };
        // Targets for the state-changing routes.
        let victim = app.create_user(&admin, "analyst", None).await;
        let users_page = admin.page("/admin/users").await;
        let victim_at = users_page.find(&victim).expect("victim listed");
        let victim_id = id_after(&users_page[victim_at..], "/admin/users/");
        let out = app.cli(&[
            "api-keys", "create", "--name", "victim", "--role", "analyst",
        ]);
        assert!(out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        let key_id = id_after(&stderr, "API key ");

        use Who::*;
        let read_all = [Admin, Manager, Officer, OtherOfficer, Analyst];
        let results = [Admin, Manager, Officer, Analyst];
        let gets: Vec<(String, Vec<Who>)> = vec![
            ("/admin".into(), read_all.to_vec()),
            ("/admin/campaigns".into(), read_all.to_vec()),
            ("/admin/campaigns/new".into(), vec![Admin, Manager]),
            ("/admin/units".into(), read_all.to_vec()),
            ("/admin/users".into(), vec![Admin]),
            ("/admin/api-keys".into(), vec![Admin]),
            ("/admin/audit".into(), vec![Admin]),
            ("/admin/password".into(), read_all.to_vec()),
            (format!("/campaigns/{id}/results"), results.to_vec()),
            ("/api/v1/campaigns".into(), read_all.to_vec()),
            (format!("/api/v1/campaigns/{id}/results"), results.to_vec()),
            // Paper entry for a unit: its officer, managers and administrators.
            (
                format!("/admin/entry/{id}/P-HOANKIEM"),
                vec![Admin, Manager, Officer],
            ),
        ];
        let csv = "code,name,kind,parent_code\nSNV,Sở Nội vụ,department,HN\n";
        let posts: Vec<PostCase> = vec![
            (
                "/admin/campaigns".into(),
                vec![
                    ("template", "hn-mau-02".into()),
                    ("name", "Đợt thử quyền".into()),
                    ("from", "2026-01-01".into()),
                    ("to", "2026-06-30".into()),
                    ("unit", "SNV".into()),
                ],
                vec![Admin, Manager],
            ),
            (
                format!("/admin/campaigns/{id}/status"),
                vec![("status", "open".into())],
                vec![Admin, Manager],
            ),
            (
                "/admin/users".into(),
                vec![
                    ("username", "placeholder".into()),
                    ("password", TEST_PASSWORD.into()),
                    ("role", "analyst".into()),
                    ("unit", String::new()),
                ],
                vec![Admin],
            ),
            (
                format!("/admin/users/{victim_id}/password"),
                vec![("password", "mot-mat-khau-moi-dai".into())],
                vec![Admin],
            ),
            (
                format!("/admin/users/{victim_id}/disable"),
                vec![("disabled", "false".into())],
                vec![Admin],
            ),
            (
                "/admin/api-keys".into(),
                vec![
                    ("name", "matrix".into()),
                    ("role", "analyst".into()),
                    ("unit", String::new()),
                ],
                vec![Admin],
            ),
            (
                format!("/admin/api-keys/{key_id}/revoke"),
                vec![],
                vec![Admin],
            ),
        ];

        let mut all: Vec<(Who, &Browser)> = vec![(Admin, &admin), (Anonymous, &anonymous)];
        all.extend(browsers.iter().map(|(w, b)| (*w, b)));
        assert_eq!(all.len(), EVERYONE.len());
        for (who, b) in &all {
            for (path, ok) in &gets {
                check(*who, "GET", path, b.get(path).await, ok.contains(who)).await;
            }
            for (n, (path, fields, ok)) in posts.iter().enumerate() {
                let unique = format!("u{n}{who:?}").to_lowercase();
                let fields: Vec<(&str, &str)> = fields
                    .iter()
                    .map(|(k, v)| {
                        let v = if v == "placeholder" {
                            unique.as_str()
                        } else {
                            v.as_str()
                        };
                        (*k, v)
                    })
                    .collect();
                check(
                    *who,
                    "POST",
                    path,
                    b.post(path, &fields).await,
                    ok.contains(who),
                )
                .await;
            }
            // The unit import is a file upload.
            let import = "/admin/units/import";
            let resp = b
                .post_multipart(import, &[("file", Some("units.csv"), csv)])
                .await;
            check(*who, "POST", import, resp, *who == Admin).await;
        }

        // API keys: the same answers for systems, with unit scope.
        let keys = [
            (Admin, app.api_key("admin", None)),
            (Manager, app.api_key("campaign_manager", None)),
            (Officer, app.api_key("unit_officer", Some("P-HOANKIEM"))),
            (OtherOfficer, app.api_key("unit_officer", Some("X-BAVI"))),
            (Analyst, app.api_key("analyst", None)),
            (Anonymous, "sipas_not-a-key".to_string()),
        ];
        for (who, key) in &keys {
            for (path, ok) in gets.iter().filter(|(p, _)| p.starts_with("/api/")) {
                check(
                    *who,
                    "GET (key)",
                    path,
                    app.api_get(key, path).await,
                    ok.contains(who),
                )
                .await;
            }
            // A key opens the API only, never the admin screens.
            let resp = app.api_get(key, "/admin/users").await;
            assert_eq!(resp.status(), 303, "{who:?} key on /admin/users");
        }
        let anon = app.get("/api/v1/campaigns").await;
        assert_eq!(anon.status(), 401);
        assert_eq!(anon.headers()["content-type"], "application/problem+json");

        // Unit scope: an officer sees only their subtree's units.
        let officer_key = &keys[2].1;
        let list: serde_json::Value = app
            .api_get(officer_key, "/api/v1/campaigns")
            .await
            .json()
            .await
            .expect("json");
        let campaigns = list["campaigns"].as_array().expect("list");
        assert_eq!(campaigns.len(), 1, "only the campaign covering P-HOANKIEM");
        assert_eq!(campaigns[0]["units"].as_array().map(Vec::len), Some(1));
        assert_eq!(campaigns[0]["units"][0]["unit_code"], "P-HOANKIEM");
        let res: serde_json::Value = app
            .api_get(officer_key, &format!("/api/v1/campaigns/{id}/results"))
            .await
            .json()
            .await
            .expect("json");
        let codes: Vec<&str> = res["units"]
            .as_array()
            .expect("units")
            .iter()
            .map(|u| u["unit_code"].as_str().expect("code"))
            .collect();
        assert_eq!(codes, vec!["P-HOANKIEM"]);
        let other: serde_json::Value = app
            .api_get(&keys[3].1, "/api/v1/campaigns")
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(other["campaigns"].as_array().map(Vec::len), Some(0));
        // The whole city's officer sees every unit below it.
        let city = app.api_key("unit_officer", Some("HN"));
        let res: serde_json::Value = app
            .api_get(&city, &format!("/api/v1/campaigns/{id}/results"))
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(res["units"].as_array().map(Vec::len), Some(3));
        // The officer's results page shows their unit and not the others.
        let officer = &browsers[1].1;
        let page = officer.page(&format!("/campaigns/{id}/results")).await;
        assert!(page.contains("Phường Hoàn Kiếm"));
        assert!(!page.contains("Xã Sóc Sơn"));
        // The same ranking, of their units only.
        assert!(page.contains("Khối UBND xã, phường, thị trấn"));
        assert!(!page.contains("X-SOCSON") && !page.contains("P-BADINH"));
    }
);

db_test!(
    forms_without_their_csrf_token_are_rejected,
    |app: TestApp| async move {
        app.import_sample_units();
        let admin = app.admin_client().await;
        let fields = [
            ("username", "khong-token"),
            ("password", TEST_PASSWORD),
            ("role", "analyst"),
            ("unit", ""),
        ];
        let resp = admin.post_raw("/admin/users", &fields).await;
        assert_eq!(resp.status(), 403);
        let mut wrong = vec![("csrf", "0000")];
        wrong.extend_from_slice(&fields);
        assert_eq!(admin.post_raw("/admin/users", &wrong).await.status(), 403);
        // A token from another session does not work either.
        let other = app.admin_client().await;
        let mut stolen = vec![("csrf", other.csrf.as_str())];
        stolen.extend_from_slice(&fields);
        assert_eq!(admin.post_raw("/admin/users", &stolen).await.status(), 403);
        assert!(!admin.page("/admin/users").await.contains("khong-token"));
        // With the token, the same form works.
        assert_eq!(admin.post("/admin/users", &fields).await.status(), 303);
        assert!(admin.page("/admin/users").await.contains("khong-token"));

        // Logging in and out need the token too.
        let (name, password) = app.create_admin();
        let fresh = Browser {
            address: app.address.clone(),
            client: cookie_client(),
            csrf: String::new(),
        };
        let resp = fresh
            .post_raw(
                "/admin/login",
                &[("username", &name), ("password", &password)],
            )
            .await;
        assert_eq!(resp.status(), 403);
        assert_eq!(admin.post_raw("/admin/logout", &[]).await.status(), 403);
        assert_eq!(admin.get("/admin").await.status(), 200, "still logged in");
        assert_eq!(admin.post("/admin/logout", &[]).await.status(), 303);
        let after = admin.get("/admin").await;
        assert_eq!(after.status(), 303, "logged out");
        assert_eq!(after.headers()["location"], "/admin/login");
    }
);

const SCRIPT: &str = "<script>alert('x')</script>";

db_test!(
    script_in_names_and_answers_comes_back_escaped,
    |app: TestApp| async move {
        let admin = app.admin_client().await;
        let csv = format!(
            "code,name,kind,parent_code\nHN,Thành phố Hà Nội,city,\nXSS,\"{SCRIPT}\",ward,HN\n"
        );
        let resp = admin
            .post_multipart("/admin/units/import", &[("csv", None, &csv)])
            .await;
        assert_eq!(
            resp.status(),
            200,
            "{}",
            resp.text().await.unwrap_or_default()
        );
        let name = format!("Đợt {SCRIPT}");
        let resp = admin
            .post(
                "/admin/campaigns",
                &[
                    ("template", "hn-mau-02"),
                    ("name", &name),
                    ("from", "2026-01-01"),
                    ("to", "2026-12-31"),
                    ("unit", "XSS"),
                ],
            )
            .await;
        assert_eq!(
            resp.status(),
            303,
            "{}",
            resp.text().await.unwrap_or_default()
        );
        let list = admin.page("/admin/campaigns").await;
        let marker = "href=\"/campaigns/";
        let start = list.find(marker).expect("a results link") + marker.len();
        let id = list[start..start + 36].to_string();

        let escaped = "&lt;script&gt;";
        for path in [
            "/".to_string(),
            "/admin/units".to_string(),
            "/admin/campaigns".to_string(),
            format!("/campaigns/{id}/results"),
            format!("/s/{id}/XSS"),
        ] {
            let html = admin.page(&path).await;
            assert!(html.contains(escaped), "{path} shows the name escaped");
            assert!(!html.contains("<script"), "{path} carries no script tag");
        }
        // The error screens of the admin keep what was typed, escaped too.
        let resp = admin
            .post(
                "/admin/campaigns",
                &[
                    ("template", "hn-mau-02"),
                    ("name", &name),
                    ("from", "not a date"),
                    ("to", "2026-12-31"),
                    ("unit", "XSS"),
                ],
            )
            .await;
        assert_eq!(resp.status(), 422);
        let html = resp.text().await.expect("body");
        assert!(html.contains(escaped) && !html.contains("<script"));
    }
);

db_test!(
    a_free_text_answer_with_script_comes_back_escaped,
    |app: TestApp| async move {
        // A questionnaire with a free-text question.
        let dir = app.dir.path().join("templates");
        std::fs::create_dir_all(&dir).expect("dir");
        let base = std::fs::read_to_string(manifest_dir().join("survey-templates/hn-mau-02.toml"))
            .expect("template");
        let with_text = format!(
            "{base}\n[scales.comment]\nkind = \"text\"\nmax_length = 500\n\n[[items]]\ncode = \"GOP_Y\"\nsection = \"TT\"\nscale = \"comment\"\nrequired = false\ntext = {{ vi = \"Góp ý\", en = \"Comments\" }}\n"
        );
        std::fs::write(dir.join("hn-mau-02.toml"), with_text).expect("write");
        let out = app.cli(&["templates", "check", dir.to_str().expect("utf-8")]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let Some(app2) = spawn_app_with(app.backend, &dir).await else {
            return;
        };
        app2.import_sample_units();
        let id = app2.create_campaign("hn-mau-02", "SNV");
        // CC1 is left out, so the form comes back with every answer kept.
        let fields = vec![
            ("CC2".to_string(), "5".to_string()),
            ("GOP_Y".to_string(), SCRIPT.to_string()),
        ];
        let resp = app2.post_form(&format!("/s/{id}/SNV"), &fields).await;
        assert_eq!(resp.status(), 422);
        let html = resp.text().await.expect("body");
        assert!(
            html.contains("&lt;script&gt;alert("),
            "the answer is kept, escaped"
        );
        assert!(!html.contains("<script"));
    }
);

db_test!(
    units_upload_imports_all_rows_or_none_with_line_errors,
    |app: TestApp| async move {
        let admin = app.admin_client().await;
        let bad = std::fs::read_to_string(manifest_dir().join("examples/bad-units.csv"))
            .expect("bad units");
        let resp = admin
            .post_multipart(
                "/admin/units/import",
                &[("file", Some("bad-units.csv"), &bad)],
            )
            .await;
        assert_eq!(resp.status(), 422);
        let html = resp.text().await.expect("body");
        assert!(
            html.contains("Dòng 4") && html.contains("Dòng 6"),
            "errors carry their line: {html}"
        );
        assert!(html.contains("Chưa lưu được"));
        let units = admin.page("/admin/units").await;
        assert!(units.contains("(0)"), "nothing was imported");

        let good = std::fs::read_to_string(manifest_dir().join("examples/hanoi-units.csv"))
            .expect("units");
        let resp = admin
            .post_multipart(
                "/admin/units/import",
                &[("file", Some("hanoi-units.csv"), &good)],
            )
            .await;
        assert_eq!(resp.status(), 200);
        let html = resp.text().await.expect("body");
        assert!(html.contains("Sở Nội vụ") && html.contains("Xã Quốc Oai"));
        let audit = admin.page("/admin/audit").await;
        assert!(audit.contains("<code>units_import</code>"));
    }
);

/// POST /api/v1/invitations with a key.
async fn issue(app: &TestApp, key: &str, body: serde_json::Value) -> reqwest::Response {
    app.client
        .post(format!("{}/api/v1/invitations", app.address))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .expect("POST invitations")
}

db_test!(
    no_key_or_session_reaches_another_units_data,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", "P-HOANKIEM,X-SOCSON");
        let ward = app.api_key("unit_officer", Some("P-HOANKIEM"));
        let commune = app.api_key("unit_officer", Some("X-SOCSON"));

        // A dossier id the ward used: the commune's key gets a 409 that says
        // nothing of the ward's invitation, never its link.
        let dossier = |unit: &str, d: &str| serde_json::json!({ "campaign_id": id, "unit_code": unit, "dossier_id": d });
        let first = issue(&app, &ward, dossier("P-HOANKIEM", "HS-001")).await;
        assert_eq!(first.status(), 201);
        let first: serde_json::Value = first.json().await.expect("json");
        let (inv, url) = (
            first["invitation_id"].as_str().expect("id").to_string(),
            first["url"].as_str().expect("url").to_string(),
        );
        let token = url.rsplit('/').next().expect("token").to_string();
        let refused = issue(&app, &commune, dossier("X-SOCSON", "HS-001")).await;
        assert_eq!(refused.status(), 409);
        assert_eq!(
            refused.headers()["content-type"],
            "application/problem+json"
        );
        let body = refused.text().await.expect("body");
        assert!(
            body.contains("already used in this campaign by another unit"),
            "{body}"
        );
        assert!(!body.contains(&inv) && !body.contains(&token) && !body.contains("P-HOANKIEM"));
        let again = issue(&app, &ward, dossier("P-HOANKIEM", "HS-001")).await;
        assert_eq!(again.status(), 200, "the ward still gets its own link");
        let again: serde_json::Value = again.json().await.expect("json");
        assert_eq!(again["invitation_id"], inv.as_str());

        // The same race many times: whoever comes first gets the link, the
        // other a 409, never the first one's invitation.
        for n in 0..12 {
            let d = format!("HS-RACE-{n}");
            let (a, b) = tokio::join!(
                issue(&app, &ward, dossier("P-HOANKIEM", &d)),
                issue(&app, &commune, dossier("X-SOCSON", &d)),
            );
            let mut statuses = [a.status().as_u16(), b.status().as_u16()];
            let bodies = [a.text().await.expect("a"), b.text().await.expect("b")];
            statuses.sort_unstable();
            assert_eq!(statuses, [201, 409], "{d}: {bodies:?}");
            let winner: serde_json::Value = bodies
                .iter()
                .filter_map(|b| serde_json::from_str::<serde_json::Value>(b).ok())
                .find(|v| v.get("invitation_id").is_some())
                .expect("the winner's link");
            let winner_id = winner["invitation_id"].as_str().expect("id");
            assert_eq!(bodies.iter().filter(|b| b.contains(winner_id)).count(), 1);
        }

        // compare= names a campaign the caller must be able to see, and is
        // checked before anything is computed.
        let other = app.create_campaign("hn-mau-02", "SNV");
        let results = |c: &str| format!("/api/v1/campaigns/{id}/results?compare={c}");
        assert_eq!(app.api_get(&ward, &results(&other)).await.status(), 403);
        assert_eq!(
            app.api_get(&ward, &results("no-such-campaign"))
                .await
                .status(),
            400
        );
        let export = format!("/api/v1/campaigns/{id}/export.csv?kind=summary&compare={other}");
        assert_eq!(app.api_get(&ward, &export).await.status(), 403);
        let admin_key = app.api_key("admin", None);
        assert_eq!(
            app.api_get(&admin_key, &results(&other)).await.status(),
            200
        );
        let bavi = app.api_key("unit_officer", Some("X-BAVI"));
        for path in [
            format!("/api/v1/campaigns/{id}/results"),
            format!("/api/v1/campaigns/{id}/export.csv?kind=summary"),
            format!("/api/v1/campaigns/{id}/export.json"),
        ] {
            assert_eq!(app.api_get(&bavi, &path).await.status(), 403, "{path}");
        }

        // A recipient another unit invited is none of this unit's business:
        // the same address is a new recipient here, not a "merged" duplicate.
        let admin = app.admin_client().await;
        let import = format!("/admin/campaigns/{id}/invitations/import");
        let list = |unit: &str| format!("email,unit_code,group\nlanh.dao@hanoi.gov.vn,{unit},g\n");
        let ward_list = list("P-HOANKIEM");
        let resp = admin
            .post_multipart(&import, &[("file", Some("l.csv"), &ward_list)])
            .await;
        assert!(resp.text().await.expect("page").contains("1 / 0"));
        let commune_officer = app
            .create_user(&admin, "unit_officer", Some("X-SOCSON"))
            .await;
        let commune_officer = app.login(&commune_officer, TEST_PASSWORD).await;
        let commune_list = list("X-SOCSON");
        let resp = commune_officer
            .post_multipart(&import, &[("file", Some("l.csv"), &commune_list)])
            .await;
        assert_eq!(resp.status(), 200);
        assert!(
            resp.text().await.expect("page").contains("1 / 0"),
            "no oracle"
        );

        // An officer with none of the campaign's units changes nothing there.
        let bavi_officer = app
            .create_user(&admin, "unit_officer", Some("X-BAVI"))
            .await;
        let bavi_officer = app.login(&bavi_officer, TEST_PASSWORD).await;
        let remind = format!("/admin/campaigns/{id}/invitations/remind");
        let resp = bavi_officer
            .post(&remind, &[("after_days", "0"), ("max", "1")])
            .await;
        assert_eq!(resp.status(), 404);
        let empty = "email,unit_code,group\n";
        let resp = bavi_officer
            .post_multipart(&import, &[("file", Some("l.csv"), empty)])
            .await;
        assert_eq!(resp.status(), 404);
        let audit = admin.page("/admin/audit").await;
        assert!(
            !audit.contains("invitations_remind"),
            "nothing was recorded"
        );
    }
);

db_test!(
    a_unit_coded_all_is_served_its_own_results_page_only,
    |app: TestApp| async move {
        app.import_sample_units();
        let path = app.dir.path().join("all.csv");
        std::fs::write(
            &path,
            "code,name,kind,parent_code\nall,Phường Tất Cả,ward,HN\n",
        )
        .expect("write");
        app.cli_ok(&["units", "import", path.to_str().expect("path")]);
        let id = app.create_campaign("hn-mau-02", "all,P-HOANKIEM");
        let admin = app.admin_client().await;
        let page = format!("/campaigns/{id}/results");
        assert!(admin.page(&page).await.contains("Phường Hoàn Kiếm"));
        let name = app.create_user(&admin, "unit_officer", Some("all")).await;
        let officer = app.login(&name, TEST_PASSWORD).await;
        let seen = officer.page(&page).await;
        assert!(seen.contains("Phường Tất Cả"));
        assert!(
            !seen.contains("Phường Hoàn Kiếm"),
            "not the administrator's page"
        );
    }
);
