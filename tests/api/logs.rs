//! What an operator reads: the log lines of a real `sipas serve` process,
//! and the messages of the CLI when it is run twice or from another folder.
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use diesel::RunQueryDsl;

use crate::db_test;
use crate::helpers::*;
use crate::mail::pool;

/// A `sipas serve` child on this app's database, its stderr piped (not a terminal).
struct Served {
    child: std::process::Child,
    address: String,
    /// Lines logged up to `listening`.
    before: Vec<String>,
    lines: mpsc::Receiver<String>,
}

impl Served {
    fn start(app: &TestApp) -> Served {
        let mut child = Command::new(sipas_bin())
            .args([
                "serve",
                "--bind",
                "127.0.0.1:0",
                "--rate-limit-per-minute",
                "1",
            ])
            .env("DATABASE_URL", &app.database_url)
            .env("SIPAS_TEMPLATES", &app.templates_dir)
            .env("SIPAS_LOG", "info")
            .env_remove("SIPAS_LOG_FORMAT")
            .env("SIPAS_MAIL_WORKER", "0")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start sipas serve");
        let (tx, lines) = mpsc::channel();
        let stderr = child.stderr.take().expect("stderr");
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut before = Vec::new();
        let port = loop {
            let line = lines
                .recv_timeout(Duration::from_secs(30))
                .expect("a `listening` line");
            before.push(line.clone());
            if line.contains("listening") {
                break line
                    .split_whitespace()
                    .find_map(|w| w.strip_prefix("port="))
                    .expect("port= in the listening line")
                    .to_string();
            }
        };
        Served {
            child,
            address: format!("http://127.0.0.1:{port}"),
            before,
            lines,
        }
    }

    /// Stop the server and return every line it logged.
    fn stop(mut self) -> Vec<String> {
        let killed = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(killed.success());
        let exit = self.child.wait().expect("wait");
        assert!(exit.success(), "sipas serve stops cleanly: {exit}");
        let mut lines = std::mem::take(&mut self.before);
        // Until the reader thread reaches the end of the closed pipe.
        lines.extend(self.lines.iter());
        lines
    }
}

fn lines_with<'a>(lines: &'a [String], needles: &[&str]) -> Vec<&'a String> {
    lines
        .iter()
        .filter(|l| needles.iter().all(|n| l.contains(n)))
        .collect()
}

db_test!(
    refusals_are_info_lines_and_a_server_error_is_one_error_line,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", "SNV");
        let analyst = app.api_key("analyst", None);
        let server = Served::start(&app);
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let url = |p: &str| format!("{}{p}", server.address);

        let not_found = client.get(url("/s/nope/SNV")).send().await.expect("GET");
        assert_eq!(not_found.status(), 404);
        let no_route = client.get(url("/no-such-page")).send().await.expect("GET");
        assert_eq!(no_route.status(), 404);
        let anonymous = client
            .get(url("/api/v1/campaigns"))
            .send()
            .await
            .expect("GET");
        assert_eq!(anonymous.status(), 401);
        let issue = serde_json::json!({
            "campaign_id": id, "unit_code": "SNV", "dossier_id": "HS-1"
        });
        let analyst_issues = client
            .post(url("/api/v1/invitations"))
            .bearer_auth(&analyst)
            .json(&issue)
            .send()
            .await
            .expect("POST");
        assert_eq!(analyst_issues.status(), 403);
        let form = url(&format!("/s/{id}/SNV"));
        let incomplete = [("CC1", "4")];
        let first = client
            .post(&form)
            .form(&incomplete)
            .send()
            .await
            .expect("POST");
        assert_eq!(first.status(), 422);
        let second = client
            .post(&form)
            .form(&incomplete)
            .send()
            .await
            .expect("POST");
        assert_eq!(second.status(), 429);

        // A real database failure: the table the home page reads is gone.
        {
            let mut conn = pool(&app).get().expect("conn");
            diesel::sql_query("ALTER TABLE campaigns RENAME TO campaigns_gone")
                .execute(&mut *conn)
                .expect("rename");
        }
        let broken = client.get(url("/")).send().await.expect("GET");
        assert_eq!(broken.status(), 500);

        let lines = server.stop();
        let all = lines.join("\n");
        assert!(!all.contains("\x1b["), "no colour codes in a pipe:\n{all}");
        assert!(
            !all.contains("Error encountered"),
            "no default tracing-actix-web event:\n{all}"
        );
        assert!(
            lines_with(&lines, &["WARN"]).is_empty(),
            "no warnings:\n{all}"
        );
        for (method, route, status) in [
            ("GET", "route=/s/{campaign}/{unit}", "status=404"),
            ("GET", "path=/no-such-page", "status=404"),
            ("GET", "route=/api/v1/campaigns", "status=401"),
            ("POST", "route=/api/v1/invitations", "status=403"),
            ("POST", "route=/s/{campaign}/{unit}", "status=422"),
            ("POST", "route=/s/{campaign}/{unit}", "status=429"),
        ] {
            let found = lines_with(
                &lines,
                &[
                    "INFO",
                    "request refused",
                    &format!("method={method}"),
                    route,
                    status,
                ],
            );
            assert_eq!(
                found.len(),
                1,
                "one info line {method} {route} {status}:\n{all}"
            );
        }
        let errors = lines_with(&lines, &["ERROR"]);
        assert_eq!(errors.len(), 1, "the 500 is logged once:\n{all}");
        let error = errors[0];
        for needle in [
            "request failed",
            "status=500",
            "method=GET",
            "route=/",
            "campaigns",
        ] {
            assert!(error.contains(needle), "{needle} in {error}");
        }
    }
);

db_test!(
    demo_run_twice_keeps_one_campaign,
    |app: TestApp| async move {
        let first = app.cli_ok(&["demo", "--responses", "5"]);
        assert!(first.contains("is open with 5 responses"), "{first}");
        assert!(first.contains("sipas serve"), "{first}");
        assert!(!first.contains("cargo"), "{first}");
        let units = app.cli_ok(&["units", "list"]);

        let second = app.cli_ok(&["demo", "--responses", "5"]);
        let id = first.split_whitespace().nth(2).expect("campaign id");
        let lines: Vec<&str> = second.lines().collect();
        assert!(
            lines[0].starts_with("Dữ liệu mẫu đã được nạp") && lines[0].ends_with(id),
            "Vietnamese first:\n{second}"
        );
        assert!(
            lines[1].contains("already loaded") && lines[1].ends_with(id),
            "then English:\n{second}"
        );
        assert!(second.contains("sipas serve"), "{second}");
        assert!(!second.contains("cargo"), "{second}");

        let campaigns = app.cli_ok(&["campaigns", "list"]);
        assert_eq!(campaigns.lines().count(), 1, "{campaigns}");
        assert_eq!(app.cli_ok(&["units", "list"]), units);
        let out = app.dir.path().join("demo.json");
        let exported = app.cli_ok(&[
            "export",
            "--campaign",
            id,
            "--format",
            "json",
            "--out",
            out.to_str().expect("utf-8 path"),
        ]);
        assert!(exported.contains("(5 responses in scope)"), "{exported}");
    }
);

#[test]
fn run_from_another_folder_says_where_it_looked_for_the_templates() {
    let elsewhere = tempfile::tempdir().expect("dir");
    let looked_at = elsewhere.path().join("survey-templates");
    for args in [
        vec!["demo"],
        vec!["serve", "--bind", "127.0.0.1:0"],
        vec![],
        vec!["templates", "check"],
    ] {
        let out = Command::new(sipas_bin())
            .args(&args)
            .current_dir(elsewhere.path())
            .env_remove("SIPAS_TEMPLATES")
            .env_remove("DATABASE_URL")
            .env("SIPAS_LOG", "warn")
            .output()
            .expect("run sipas");
        assert!(!out.status.success(), "sipas {args:?} fails");
        let err = String::from_utf8_lossy(&out.stderr);
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines.len(), 4, "sipas {args:?}:\n{err}");
        assert!(
            lines[0].contains("Không tìm thấy thư mục mẫu phiếu"),
            "{err}"
        );
        assert!(lines[2].contains("not found"), "{err}");
        for line in [lines[0], lines[2]] {
            assert!(
                line.ends_with(&looked_at.display().to_string()),
                "the absolute path looked at, in {line}"
            );
        }
        for line in [lines[1], lines[3]] {
            assert!(
                line.contains("--templates DIR") && line.contains("SIPAS_TEMPLATES=DIR"),
                "how to point elsewhere, in {line}"
            );
        }
        assert!(
            !elsewhere.path().join("data").exists(),
            "sipas {args:?} left no database behind"
        );
    }

    // Pointed at the right folder, the same run works.
    let out = Command::new(sipas_bin())
        .args(["templates", "check"])
        .current_dir(elsewhere.path())
        .env("SIPAS_TEMPLATES", manifest_dir().join("survey-templates"))
        .env("SIPAS_LOG", "warn")
        .output()
        .expect("run sipas");
    assert!(out.status.success(), "{out:?}");
}
