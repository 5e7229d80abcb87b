//! Personal links from the one-stop system API: one link per dossier, save and
//! resume on the server, one response per link, nothing stored that links the
//! response to the invitation.
use serde_json::json;

use crate::db_test;
use crate::helpers::*;

const CRITERIA: [&str; 9] = [
    "CC1", "CC2", "CC3", "CC4", "KQ1", "KQ2", "PA1", "PA2", "PA3",
];

async fn post_json(app: &TestApp, key: Option<&str>, body: serde_json::Value) -> reqwest::Response {
    let mut req = app
        .client
        .post(format!("{}/api/v1/invitations", app.address))
        .json(&body);
    if let Some(k) = key {
        req = req.bearer_auth(k);
    }
    req.send().await.expect("POST invitations")
}

fn path_of(url: &str, app: &TestApp) -> String {
    url.strip_prefix(&app.address)
        .expect("absolute url on this server")
        .to_string()
}

db_test!(
    one_stop_systems_get_one_link_per_dossier,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", "P-HOANKIEM,SNV");
        let system = app.api_key("unit_officer", Some("P-HOANKIEM"));
        let body =
            json!({ "campaign_id": id, "unit_code": "P-HOANKIEM", "dossier_id": "HS-2026-000123" });

        let first = post_json(&app, Some(&system), body.clone()).await;
        assert_eq!(first.status(), 201);
        let first: serde_json::Value = first.json().await.expect("json");
        let url = first["url"].as_str().expect("url").to_string();
        assert!(url.starts_with(&format!("{}/i/", app.address)));
        assert_eq!(
            url.len() - format!("{}/i/", app.address).len(),
            43,
            "256-bit token"
        );
        assert_eq!(first["status"], "issued");

        let again = post_json(&app, Some(&system), body.clone()).await;
        assert_eq!(again.status(), 200);
        let again: serde_json::Value = again.json().await.expect("json");
        assert_eq!(
            again["url"],
            url.as_str(),
            "the same dossier always gets the same link"
        );
        assert_eq!(again["invitation_id"], first["invitation_id"]);

        let other = post_json(
            &app,
            Some(&system),
            json!({ "campaign_id": id, "unit_code": "P-HOANKIEM", "dossier_id": "HS-2026-000124" }),
        )
        .await;
        let other: serde_json::Value = other.json().await.expect("json");
        assert_ne!(other["url"], url.as_str());

        // Scope, roles and input are checked, with problem documents.
        assert_eq!(post_json(&app, None, body.clone()).await.status(), 401);
        let analyst = app.api_key("analyst", None);
        assert_eq!(
            post_json(&app, Some(&analyst), body.clone()).await.status(),
            403
        );
        let wrong_unit = json!({ "campaign_id": id, "unit_code": "SNV", "dossier_id": "X1" });
        assert_eq!(
            post_json(&app, Some(&system), wrong_unit).await.status(),
            403
        );
        let bad = post_json(
            &app,
            Some(&system),
            json!({ "campaign_id": id, "unit_code": "P-HOANKIEM", "dossier_id": "" }),
        )
        .await;
        assert_eq!(bad.status(), 400);
        assert_eq!(bad.headers()["content-type"], "application/problem+json");
        let bad_email = json!({ "campaign_id": id, "unit_code": "P-HOANKIEM", "dossier_id": "X2", "email": "not an email" });
        assert_eq!(
            post_json(&app, Some(&system), bad_email).await.status(),
            400
        );
        let malformed = app
            .client
            .post(format!("{}/api/v1/invitations", app.address))
            .bearer_auth(&system)
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .expect("post");
        assert_eq!(malformed.status(), 400);
        assert_eq!(
            malformed.headers()["content-type"],
            "application/problem+json"
        );
        let unknown =
            json!({ "campaign_id": "nope", "unit_code": "P-HOANKIEM", "dossier_id": "X3" });
        assert_eq!(post_json(&app, Some(&system), unknown).await.status(), 404);

        // Only a hash of the token is stored.
        let token = url.rsplit('/').next().expect("token").to_string();
        assert!(
            !app.db_dump_contains(&token),
            "the token itself must not be stored"
        );
    }
);

db_test!(
    personal_links_save_resume_and_answer_once,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", "P-HOANKIEM");
        let system = app.api_key("unit_officer", Some("P-HOANKIEM"));
        let issued: serde_json::Value = post_json(
            &app,
            Some(&system),
            json!({ "campaign_id": id, "unit_code": "P-HOANKIEM", "dossier_id": "HS-1" }),
        )
        .await
        .json()
        .await
        .expect("json");
        let link = path_of(issued["url"].as_str().expect("url"), &app);

        let page = app.get(&link).await;
        assert_eq!(page.status(), 200);
        assert_eq!(page.headers()["referrer-policy"], "no-referrer");
        let html = page.text().await.expect("form");
        assert!(html.contains("Lưu để làm tiếp sau"));
        assert!(html.contains(&format!("action=\"{link}?lang=vi\"")));

        // Half done, saved for later: the answers are on the server, not in the browser.
        let partial: Vec<(String, String)> = vec![
            ("CC1".into(), "5".into()),
            ("CC2".into(), "4".into()),
            ("_action".into(), "save".into()),
        ];
        let saved = app.post_form(&link, &partial).await;
        assert_eq!(saved.status(), 200);
        assert!(saved
            .text()
            .await
            .expect("saved")
            .contains("Đã lưu các câu trả lời"));
        let resumed = app.get(&link).await.text().await.expect("resumed");
        assert!(resumed.contains("id=\"q-CC1-5\" name=\"CC1\" value=\"5\" checked"));
        assert!(resumed.contains("id=\"q-CC2-4\" name=\"CC2\" value=\"4\" checked"));

        let mut full: Vec<(String, String)> = CRITERIA
            .iter()
            .map(|c| (c.to_string(), "4".to_string()))
            .collect();
        full.push(("_k".into(), uuid::Uuid::new_v4().to_string()));
        let done = app.post_form(&link, &full).await;
        assert_eq!(done.status(), 303);
        assert_eq!(
            done.headers()["location"],
            "/i/done?lang=vi",
            "the thank-you URL carries no token"
        );

        // Used: the link says so and offers no way to answer again; a retried POST stores nothing.
        let used = app.get(&link).await.text().await.expect("used");
        assert!(used.contains("Phiếu này đã được trả lời"));
        assert!(!used.contains("<form"));
        assert_eq!(app.post_form(&link, &full).await.status(), 303);
        let results = app
            .get_json(&format!("/api/v1/campaigns/{id}/results"))
            .await;
        assert_eq!(results["units"][0]["respondents"], 1);

        // A made-up token is a plain 404.
        assert_eq!(
            app.get("/i/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
                .await
                .status(),
            404
        );
    }
);

db_test!(
    links_stop_working_when_the_campaign_closes,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", "SNV");
        let system = app.api_key("unit_officer", Some("SNV"));
        let issued: serde_json::Value = post_json(
            &app,
            Some(&system),
            json!({ "campaign_id": id, "unit_code": "SNV", "dossier_id": "HS-9" }),
        )
        .await
        .json()
        .await
        .expect("json");
        let link = path_of(issued["url"].as_str().expect("url"), &app);
        assert_eq!(app.get(&link).await.status(), 200);
        let admin = app.admin_client().await;
        let resp = admin
            .post(
                &format!("/admin/campaigns/{id}/status"),
                &[("status", "closed")],
            )
            .await;
        assert!(
            resp.status().is_redirection() || resp.status().is_success(),
            "{}",
            resp.status()
        );
        assert_eq!(app.get(&link).await.status(), 410);
        let again = post_json(
            &app,
            Some(&system),
            json!({ "campaign_id": id, "unit_code": "SNV", "dossier_id": "HS-10" }),
        )
        .await;
        assert_eq!(again.status(), 410);
    }
);
