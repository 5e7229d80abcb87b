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
