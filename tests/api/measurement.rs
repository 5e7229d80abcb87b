//! The measurement engine through the real server: the shipped SIPAS 2023
//! template's skip logic, roll-up up the unit tree, ranking, distributions,
//! comparison with a previous campaign, PAR points and sample targets.
use std::process::Command;

use serde_json::Value;

use crate::db_test;
use crate::helpers::*;
use crate::sheets::{node, sheet, submit, template};

fn unit<'a>(results: &'a Value, list: &str, code: &str) -> &'a Value {
    results[list]
        .as_array()
        .expect("list")
        .iter()
        .find(|u| u["unit_code"] == code)
        .unwrap_or_else(|| panic!("{code} in {list}"))
}

fn close(v: &Value, expected: f64) -> bool {
    v.as_f64().is_some_and(|x| (x - expected).abs() < 1e-9)
}

db_test!(
    sipas_2023_skips_svc_rolls_up_and_ranks,
    |app: TestApp| async move {
        let t = template("sipas-2023.toml");
        app.import_sample_units();
        let id = app.create_small_sample_campaign("sipas-2023", "P-HOANKIEM,P-BADINH,X-SOCSON");
        let form = app.get(&format!("/s/{id}/P-HOANKIEM")).await;
        assert_eq!(form.status(), 200);
        let form = form.text().await.expect("form");
        assert!(
            form.contains("Rất quan tâm theo dõi") && form.contains("Không biết/Không có ý kiến")
        );
        // Hoàn Kiếm: 2 with a procedure, 2 without; all satisfied.
        for tthc in [true, true, false, false] {
            submit(&app, &id, "P-HOANKIEM", &sheet(&t, tthc, true)).await;
        }
        // Ba Đình: 1 with a procedure; all satisfied: ties Hoàn Kiếm at 100.
        for tthc in [true, false, false, false] {
            submit(&app, &id, "P-BADINH", &sheet(&t, tthc, true)).await;
        }
        // Sóc Sơn: the one with a procedure is dissatisfied.
        submit(&app, &id, "X-SOCSON", &sheet(&t, true, false)).await;
        submit(&app, &id, "X-SOCSON", &sheet(&t, false, true)).await;

        let r = app
            .get_json(&format!("/api/v1/campaigns/{id}/results"))
            .await;
        let hk = unit(&r, "units", "P-HOANKIEM");
        let bd = unit(&r, "units", "P-BADINH");
        let ss = unit(&r, "units", "X-SOCSON");
        // Skip logic: SVC answers of people without a procedure were dropped.
        assert_eq!(node(hk, "S-TC1")["valid_n"], 2);
        assert_eq!(node(bd, "S-TC1")["valid_n"], 1);
        assert_eq!(node(hk, "P-A1")["valid_n"], 4);
        assert_eq!(hk["respondents"], 4);
        // Sóc Sơn: POL 50 %, SVC 0 % → 25.
        assert!(close(&node(ss, "POL")["rate"], 50.0));
        assert!(close(&node(ss, "SVC")["rate"], 0.0));
        assert!(close(&ss["overall"]["rate"], 25.0));
        // Ranking: ties share a rank.
        assert_eq!(
            (
                hk["rank"].as_u64(),
                bd["rank"].as_u64(),
                ss["rank"].as_u64()
            ),
            (Some(1), Some(1), Some(3))
        );
        // Wilson interval and low-sample flag on every item.
        let ci = node(hk, "S-TC1")["ci95"].as_array().expect("ci95").clone();
        assert!(ci[0].as_f64() < ci[1].as_f64() && close(&ci[1], 100.0));
        assert_eq!(node(hk, "S-TC1")["low_sample"], true);
        assert_eq!(hk["overall"]["low_sample"], true);

        // The city: pooled counts of its three units, not a mean of percentages.
        let city = unit(&r, "rollups", "HN");
        assert_eq!(city["respondents"], 10);
        assert_eq!(city["rank"], Value::Null);
        assert_eq!(
            city["units_included"],
            serde_json::json!(["P-BADINH", "P-HOANKIEM", "X-SOCSON"])
        );
        let s_tc1 = node(city, "S-TC1");
        assert_eq!(
            (s_tc1["valid_n"].as_u64(), s_tc1["satisfied_n"].as_u64()),
            (Some(4), Some(3))
        );
        assert!(close(&node(city, "SVC")["rate"], 75.0));
        assert!(close(&node(city, "POL")["rate"], 90.0));
        assert!(close(&city["overall"]["rate"], 82.5));
        assert!(close(&city["overall"]["points"], 8.25), "index_points = 10");

        // Distributions of non-scored items: N8 (experience), N2 (multiple), expectations.
        let dist = |u: &Value, code: &str| -> Value {
            u["distributions"]
                .as_array()
                .expect("distributions")
                .iter()
                .find(|d| d["code"] == code)
                .cloned()
                .unwrap_or_else(|| panic!("distribution of {code}"))
        };
        let n8 = dist(city, "N8-3");
        assert_eq!(n8["n"], 10);
        assert_eq!(n8["scored"], false);
        assert_eq!(n8["options"][0]["label"], "Có");
        assert!(close(&n8["options"][0]["share"], 40.0) && close(&n8["options"][1]["share"], 60.0));
        let n2 = dist(city, "N2");
        assert_eq!(
            (
                n2["options"][0]["count"].as_u64(),
                n2["options"][5]["count"].as_u64()
            ),
            (Some(10), Some(10))
        );
        let e1 = dist(hk, "E1");
        assert!(close(&e1["options"][3]["share"], 100.0), "{e1}");
        assert!(dist(hk, "P-A1")["scored"] == true);

        // The page shows the roll-up, intervals and ranks.
        let html = app
            .admin_client()
            .await
            .page(&format!("/campaigns/{id}/results"))
            .await;
        assert!(html.contains("Tổng hợp theo cấp") && html.contains("Thành phố Hà Nội"));
        assert!(html.contains("82,50"));
        // Each unit's page: every criterion with its interval, the answers.
        let hk_page = app
            .admin_client()
            .await
            .page(&format!("/campaigns/{id}/results/units/P-HOANKIEM"))
            .await;
        assert!(hk_page.contains("Khoảng tin cậy 95%") && hk_page.contains("Phân bố câu trả lời"));
        let en = app
            .admin_client()
            .await
            .page(&format!("/campaigns/{id}/results?lang=en"))
            .await;
        assert!(en.contains("Roll-up by level") && en.contains("Policy making and implementation"));
        assert!(en.contains("82.50"));
        let en_hk = app
            .admin_client()
            .await
            .page(&format!("/campaigns/{id}/results/units/P-HOANKIEM?lang=en"))
            .await;
        assert!(en_hk.contains("Strongly wanted"));

        // A later campaign, compared with this one for the same units.
        let id2 = app.create_campaign("sipas-2023", "P-HOANKIEM,P-BADINH,X-SOCSON");
        submit(&app, &id2, "P-HOANKIEM", &sheet(&t, false, false)).await;
        let r2 = app
            .get_json(&format!("/api/v1/campaigns/{id2}/results?compare={id}"))
            .await;
        assert_eq!(r2["compared_with"]["id"], id.as_str());
        let hk2 = unit(&r2, "units", "P-HOANKIEM");
        assert!(close(&hk2["overall"]["change"]["delta"], -100.0));
        assert!(close(&hk2["overall"]["change"]["previous"], 100.0));
        assert!(close(&node(hk2, "P-A1")["change"]["delta"], -100.0));
        let bd2 = unit(&r2, "units", "P-BADINH");
        assert_eq!(bd2["overall"]["change"]["delta"], Value::Null);
        let city2 = unit(&r2, "rollups", "HN");
        assert!(close(&city2["overall"]["change"]["previous"], 82.5));
        let page = app
            .admin_client()
            .await
            .page(&format!("/campaigns/{id2}/results?compare={id}"))
            .await;
        assert!(page.contains("-100,00"), "change column");
        // Stored with the campaign: compared by default.
        let out = app.cli_ok(&[
            "campaigns",
            "create",
            "--template",
            "sipas-2023",
            "--name",
            "Khảo sát 2027",
            "--from",
            "2027-01-01",
            "--to",
            "2027-12-31",
            "--units",
            "P-HOANKIEM",
            "--previous",
            &id,
        ]);
        let id3 = out.split_whitespace().nth(1).expect("id").to_string();
        let r3 = app
            .get_json(&format!("/api/v1/campaigns/{id3}/results"))
            .await;
        assert_eq!(r3["compared_with"]["id"], id.as_str());
        assert!(close(
            &unit(&r3, "units", "P-HOANKIEM")["overall"]["change"]["previous"],
            100.0
        ));
        let bad = app.cli(&[
            "campaigns",
            "create",
            "--template",
            "sipas-2023",
            "--name",
            "X",
            "--from",
            "2027-01-01",
            "--to",
            "2027-12-31",
            "--units",
            "P-HOANKIEM",
            "--previous",
            "nope",
        ]);
        assert!(!bad.status.success());
        assert!(
            String::from_utf8_lossy(&bad.stderr).contains("--previous: no campaign has id nope")
        );
        let key = app.api_key("analyst", None);
        let missing = app
            .api_get(
                &key,
                &format!("/api/v1/campaigns/{id2}/results?compare=nope"),
            )
            .await;
        assert_eq!(missing.status(), 400);
    }
);

db_test!(
    par_survey_scores_points_per_field,
    |app: TestApp| async move {
        let t = template("par-2025.toml");
        app.import_sample_units();
        let id = app.create_campaign("par-2025", "SNV,STC");
        let answer = |level: &str| -> Vec<(String, String)> {
            t.items
                .iter()
                .filter(|i| i.section.starts_with('F'))
                .map(|i| (i.code.to_string(), level.to_string()))
                .collect()
        };
        submit(&app, &id, "SNV", &answer("5")).await;
        submit(&app, &id, "STC", &answer("3")).await;
        // "Không đánh giá được" earns nothing and stays out of the mean.
        submit(&app, &id, "STC", &answer("9")).await;
        let r = app
            .get_json(&format!("/api/v1/campaigns/{id}/results"))
            .await;
        let snv = unit(&r, "units", "SNV");
        assert!(close(&snv["points"]["total"], 22.0));
        assert!(close(&snv["points"]["max_total"], 22.0));
        assert_eq!(snv["points"]["fields"].as_array().map(Vec::len), Some(8));
        assert!(close(&snv["points"]["fields"][0]["points"], 2.75));
        let stc = unit(&r, "units", "STC");
        assert!(close(&stc["points"]["total"], 11.0), "{}", stc["points"]);
        // The department level pools both: (1 + 0.5)/2 of 22 points.
        let city = unit(&r, "rollups", "HN");
        assert!(close(&city["points"]["total"], 16.5));
        let html = app
            .admin_client()
            .await
            .page(&format!("/campaigns/{id}/results/levels/HN"))
            .await;
        assert!(html.contains("Điểm tối đa") && html.contains("22,00"));
    }
);

db_test!(
    sample_size_planner_allocates_and_the_results_show_targets,
    |app: TestApp| async move {
        assert_eq!(
            app.cli_ok(&["sample-size", "--population", "12000"]).trim(),
            "388"
        );
        assert_eq!(
            app.cli_ok(&["sample-size", "--population", "400", "--margin", "0.05"])
                .trim(),
            "200"
        );
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", "P-HOANKIEM,P-BADINH,X-SOCSON");

        let bad = app.dir.path().join("bad.csv");
        std::fs::write(
            &bad,
            "unit_code,transactions\nP-HOANKIEM,abc\nSNV,5\nP-BADINH,10\n",
        )
        .expect("write");
        let out = app.cli(&[
            "sample-size",
            "--campaign",
            &id,
            "--transactions",
            bad.to_str().expect("utf-8"),
        ]);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("bad.csv:2: transactions must be a whole number"),
            "{err}"
        );
        let r = app
            .get_json(&format!("/api/v1/campaigns/{id}/results"))
            .await;
        assert_eq!(
            unit(&r, "units", "P-BADINH")["target"],
            Value::Null,
            "nothing stored"
        );
        // Second pass over the rows: a unit outside the campaign, one missing.
        std::fs::write(
            &bad,
            "unit_code,transactions\nP-HOANKIEM,6000\nSNV,5\nP-BADINH,10\n",
        )
        .expect("write");
        let out = app.cli(&[
            "sample-size",
            "--campaign",
            &id,
            "--transactions",
            bad.to_str().expect("utf-8"),
        ]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("bad.csv:3: unit SNV is not in this campaign"),
            "{err}"
        );
        assert!(err.contains("missing from the file: X-SOCSON"), "{err}");

        let good = app.dir.path().join("transactions.csv");
        std::fs::write(
            &good,
            "unit_code,transactions\nP-HOANKIEM,6000\nP-BADINH,4000\nX-SOCSON,2000\n",
        )
        .expect("write");
        let out = app.cli_ok(&[
            "sample-size",
            "--campaign",
            &id,
            "--transactions",
            good.to_str().expect("utf-8"),
        ]);
        assert!(out.contains("388 questionnaires"), "{out}");
        let r = app
            .get_json(&format!("/api/v1/campaigns/{id}/results"))
            .await;
        let targets: Vec<Option<u64>> = ["P-HOANKIEM", "P-BADINH", "X-SOCSON"]
            .iter()
            .map(|c| unit(&r, "units", c)["target"].as_u64())
            .collect();
        assert_eq!(targets, vec![Some(194), Some(129), Some(65)]);
        assert_eq!(unit(&r, "rollups", "HN")["target"], 388);
        let html = app
            .admin_client()
            .await
            .page(&format!("/campaigns/{id}/results"))
            .await;
        assert!(html.contains("Số phiếu cần thu") && html.contains("194"));
    }
);

#[test]
fn templates_check_reports_every_kind_of_error_with_file_line_and_field() {
    let dir = tempfile::tempdir().expect("dir");
    let source = std::fs::read_to_string(manifest_dir().join("survey-templates/sipas-2023.toml"))
        .expect("read");
    let broken = source
        .replacen("scale = \"interest4\"", "scale = \"interest7\"", 1)
        .replacen("code = \"P-A2\"", "code = \"P-A1\"", 1)
        .replacen("ask_if = \"N8-3 = 1\"", "ask_if = \"N9 = 1\"", 1)
        .replacen("weight = 0.5 ", "weight = 0.6 ", 1);
    assert_ne!(broken, source);
    std::fs::write(dir.path().join("sipas-2023.toml"), &broken).expect("write");
    let out = Command::new(sipas_bin())
        .args(["templates", "check", dir.path().to_str().expect("utf-8")])
        .env("SIPAS_LOG", "warn")
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let line_of = |needle: &str| {
        broken
            .lines()
            .position(|l| l.contains(needle))
            .map(|i| i + 1)
            .expect(needle)
    };
    let file = dir.path().join("sipas-2023.toml").display().to_string();
    for expected in [
        format!(
            "{file}:{}: items[0].scale (N1): unknown scale interest7",
            line_of("interest7")
        ),
        format!(
            "{file}:{}: items[14].code (P-A1): duplicate code P-A1",
            line_of("code = \"P-A1\"") + 6
        ),
        format!("{file}:{}: items[", line_of("N9 = 1")),
        "names N9, which is not an earlier item".to_string(),
        format!(
            "{file}:{}: sections[1].weight: the weights under the overall index sum to 1.1, not 1",
            line_of("weight = 0.6")
        ),
    ] {
        assert!(err.contains(&expected), "missing {expected:?} in:\n{err}");
    }
}

/// `rollup = "mean"`: the city is the mean of its units, each counting once.
async fn mean_rollup(db: TestDb) {
    let scratch = tempfile::tempdir().expect("dir");
    let source = std::fs::read_to_string(manifest_dir().join("survey-templates/hn-mau-02.toml"))
        .expect("read");
    let edited = source.replacen(
        "audience = \"citizen\"",
        "audience = \"citizen\"\nrollup = \"mean\"",
        1,
    );
    std::fs::write(scratch.path().join("hn-mau-02.toml"), edited).expect("write");
    let Some(app) = spawn_app_with(db, scratch.path()).await else {
        return;
    };
    app.import_sample_units();
    let id = app.create_campaign("hn-mau-02", "SNV,STC");
    let items = [
        "CC1", "CC2", "CC3", "CC4", "KQ1", "KQ2", "PA1", "PA2", "PA3",
    ];
    let sheet = |v: &str| -> Vec<(String, String)> {
        items
            .iter()
            .map(|i| (i.to_string(), v.to_string()))
            .collect()
    };
    // Sở Nội vụ: 3 satisfied of 3; Sở Tài chính: 0 of 1.
    for _ in 0..3 {
        submit(&app, &id, "SNV", &sheet("5")).await;
    }
    submit(&app, &id, "STC", &sheet("1")).await;
    let r = app
        .get_json(&format!("/api/v1/campaigns/{id}/results"))
        .await;
    assert_eq!(r["settings"]["rollup"], "mean");
    let city = unit(&r, "rollups", "HN");
    // Mean of 100 and 0, not the pooled 3/4.
    assert!(close(&city["overall"]["rate"], 50.0), "{}", city["overall"]);
    assert!(close(&node(city, "CC1")["rate"], 50.0));
    assert_eq!(node(city, "CC1")["valid_n"], 4);
    assert_eq!(city["respondents"], 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mean_rollup_sqlite() {
    mean_rollup(TestDb::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mean_rollup_postgres() {
    mean_rollup(TestDb::Postgres).await;
}
