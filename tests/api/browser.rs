//! The respondent form in a real browser: headless Chromium fills in and
//! submits it, keeps screenshots, and axe-core checks the form and the error
//! page for serious or critical WCAG 2.1 AA violations.
//! Runs when SIPAS_TEST_CHROMIUM is set (CI sets it) or Chromium and the
//! node modules in tests/browser are present; otherwise it says it skipped.
use std::path::Path;
use std::process::Command;

use crate::db_test;
use crate::helpers::*;

fn browser_ready() -> Option<String> {
    let required = std::env::var("SIPAS_TEST_CHROMIUM").ok();
    let chromium = required
        .clone()
        .unwrap_or_else(|| "/usr/bin/chromium".into());
    let modules = manifest_dir().join("tests/browser/node_modules/playwright-core");
    let ready = Path::new(&chromium).exists() && modules.exists();
    if required.is_some() {
        assert!(
            ready,
            "SIPAS_TEST_CHROMIUM is set but Chromium or tests/browser/node_modules is missing"
        );
    }
    ready.then_some(chromium)
}

db_test!(
    form_works_in_headless_chromium_and_passes_axe,
    |app: TestApp| async move {
        let Some(chromium) = browser_ready() else {
            eprintln!("skipped: install chromium and run `npm install --prefix tests/browser` to run the browser test");
            return;
        };
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", "P-HOANKIEM");
        let url = format!("{}/s/{id}/P-HOANKIEM", app.address);
        let backend = match app.backend {
            TestDb::Sqlite => "sqlite",
            TestDb::Postgres => "postgres",
        };
        let shots = manifest_dir()
            .join("target/browser-screenshots")
            .join(backend);
        let url2 = url.clone();
        let out = tokio::task::spawn_blocking(move || {
            Command::new("node")
                .arg(manifest_dir().join("tests/browser/form-a11y.mjs"))
                .arg(&url2)
                .arg(&shots)
                .env("SIPAS_TEST_CHROMIUM", chromium)
                .output()
                .expect("run node")
        })
        .await
        .expect("join");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        println!("{stdout}");
        assert!(
            out.status.success(),
            "browser test failed:\n{stdout}\n{stderr}"
        );
        assert!(stdout.contains("form: no serious or critical accessibility violations"));
        assert!(stdout.contains("error page: no serious or critical accessibility violations"));
        assert!(stdout.contains("thank-you page: Cảm ơn Ông/Bà!"));
        let results = app
            .get_json(&format!("/api/v1/campaigns/{id}/results"))
            .await;
        assert_eq!(
            results["units"][0]["respondents"], 1,
            "the browser's submission was stored once"
        );
        assert!(manifest_dir()
            .join("target/browser-screenshots")
            .join(backend)
            .join("form.png")
            .exists());
    }
);

/// Runs pages-a11y.mjs on `paths` as `user` (or "-" for no login).
async fn check_pages(app: &TestApp, chromium: &str, user: &str, paths: &[String]) -> String {
    let backend = match app.backend {
        TestDb::Sqlite => "sqlite",
        TestDb::Postgres => "postgres",
    };
    let shots = manifest_dir()
        .join("target/browser-screenshots")
        .join(backend)
        .join("workspace");
    let mut args: Vec<String> = vec![
        manifest_dir()
            .join("tests/browser/pages-a11y.mjs")
            .display()
            .to_string(),
        app.address.clone(),
        user.to_string(),
        TEST_PASSWORD.to_string(),
        shots.display().to_string(),
    ];
    args.extend(paths.iter().cloned());
    let chromium = chromium.to_string();
    let out = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .args(&args)
            .env("SIPAS_TEST_CHROMIUM", chromium)
            .output()
            .expect("run node")
    })
    .await
    .expect("join");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "pages failed in the browser as {user}:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

db_test!(
    workspace_pages_fit_a_phone_and_pass_axe_for_each_role,
    |app: TestApp| async move {
        let Some(chromium) = browser_ready() else {
            eprintln!("skipped: install chromium and run `npm install --prefix tests/browser` to run the browser test");
            return;
        };
        app.import_sample_units();
        let id = app.create_small_sample_campaign("hn-mau-02", "HN,SNV,STC,P-HOANKIEM,P-BADINH");
        crate::lineage::answer(&app, &id, "SNV", 6, 1).await;
        crate::lineage::answer(&app, &id, "STC", 4, 3).await;
        crate::lineage::answer(&app, &id, "P-HOANKIEM", 5, 2).await;
        crate::lineage::answer(&app, &id, "P-BADINH", 5, 2).await;
        let admin = app.admin_client().await;
        admin
            .post(
                &format!("/admin/campaigns/{id}/publish"),
                &[("publish", "1")],
            )
            .await;
        let manager = app.create_user(&admin, "campaign_manager", None).await;
        let officer = app
            .create_user(&admin, "unit_officer", Some("P-HOANKIEM"))
            .await;
        // The preview of the questionnaire's first version, as the list links it.
        let templates = admin.page("/admin/templates").await;
        let at = templates
            .find("href=\"/admin/templates/")
            .expect("a template preview link")
            + "href=\"".len();
        let preview =
            templates[at..at + templates[at..].find(['"', '?']).expect("end")].to_string();
        let pages: Vec<String> = [
            "/admin".to_string(),
            "/admin/campaigns".to_string(),
            "/admin/campaigns/new".to_string(),
            "/admin/templates".to_string(),
            preview.clone(),
            format!("{preview}/paper"),
            format!("/admin/campaigns/{id}"),
            format!("/admin/campaigns/{id}/settings?population=12000&margin=0.05"),
            format!("/admin/campaigns/{id}/posters?under=HN"),
            format!("/admin/campaigns/{id}/status?to=closed"),
            format!("/campaigns/{id}/results"),
            format!("/campaigns/{id}/results?lang=en"),
            format!("/campaigns/{id}/results/units/P-HOANKIEM"),
            format!("/campaigns/{id}/results/levels/HN"),
            format!("/campaigns/{id}/report"),
        ]
        .to_vec();
        let out = check_pages(&app, &chromium, &manager, &pages).await;
        assert_eq!(
            out.lines().filter(|l| l.starts_with("ok ")).count(),
            2 * pages.len()
        );
        let own: Vec<String> = vec![
            "/admin".into(),
            format!("/admin/campaigns/{id}"),
            format!("/campaigns/{id}/results"),
            format!("/campaigns/{id}/results/units/P-HOANKIEM"),
            format!("/campaigns/{id}/report"),
        ];
        check_pages(&app, &chromium, &officer, &own).await;
        let public: Vec<String> = vec![
            "/".into(),
            format!("/p/{id}"),
            format!("/p/{id}?lang=en"),
            format!("/s/{id}/P-HOANKIEM/poster"),
        ];
        check_pages(&app, &chromium, "-", &public).await;
    }
);
