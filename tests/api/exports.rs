//! Exports read back by independent readers (the csv crate and
//! calamine) match the results API; filters by unit subtree and period;
//! unit officers only get their subtree.
use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use serde_json::Value;

use crate::db_test;
use crate::helpers::*;
use crate::sheets::{node, sheet, submit, template};

/// Hoàn Kiếm 3 satisfied, Ba Đình 2 satisfied (ties at 100), Sóc Sơn 1 of 2.
async fn campaign_with_answers(app: &TestApp) -> String {
    let t = template("sipas-2023.toml");
    app.import_sample_units();
    let id = app.create_small_sample_campaign("sipas-2023", "P-HOANKIEM,P-BADINH,X-SOCSON");
    for _ in 0..3 {
        submit(app, &id, "P-HOANKIEM", &sheet(&t, true, true)).await;
    }
    for _ in 0..2 {
        submit(app, &id, "P-BADINH", &sheet(&t, true, true)).await;
    }
    submit(app, &id, "X-SOCSON", &sheet(&t, true, true)).await;
    submit(app, &id, "X-SOCSON", &sheet(&t, true, false)).await;
    id
}

async fn analyst_bytes(app: &TestApp, path: &str) -> (u16, Vec<u8>) {
    let key = app
        .analyst_key
        .get_or_init(|| app.api_key("analyst", None))
        .clone();
    let resp = app.api_get(&key, path).await;
    let status = resp.status().as_u16();
    (status, resp.bytes().await.expect("body").to_vec())
}

/// CSV rows as header-keyed maps, after checking the BOM.
fn csv_rows(bytes: &[u8]) -> Vec<std::collections::HashMap<String, String>> {
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM first");
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let headers = r.headers().expect("header").clone();
    r.records()
        .map(|rec| {
            let rec = rec.expect("record");
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn unit<'a>(results: &'a Value, code: &str) -> &'a Value {
    results["units"]
        .as_array()
        .expect("units")
        .iter()
        .chain(results["rollups"].as_array().expect("rollups"))
        .find(|u| u["unit_code"] == code)
        .unwrap_or_else(|| panic!("{code}"))
}

fn same(csv: &str, json: &Value) -> bool {
    match json.as_f64() {
        None => csv.is_empty(),
        Some(x) => csv.parse::<f64>().is_ok_and(|y| (x - y).abs() < 1e-9),
    }
}

db_test!(
    csv_and_xlsx_match_the_results_api,
    |app: TestApp| async move {
        let id = campaign_with_answers(&app).await;
        let api = app
            .get_json(&format!("/api/v1/campaigns/{id}/results"))
            .await;

        // Criteria CSV: every (unit, item) figure as the API gives it.
        let (status, bytes) = analyst_bytes(
            &app,
            &format!("/api/v1/campaigns/{id}/export.csv?kind=criteria"),
        )
        .await;
        assert_eq!(status, 200);
        let rows = csv_rows(&bytes);
        assert!(rows.len() > 20, "{} criteria rows", rows.len());
        for row in &rows {
            let item = node(unit(&api, &row["unit_code"]), &row["item_code"]);
            assert!(same(&row["rate"], &item["rate"]), "{row:?} vs {item}");
            assert_eq!(row["valid_n"], item["valid_n"].to_string(), "{row:?}");
            assert!(same(&row["ci95_low"], &item["ci95"][0]), "{row:?}");
        }
        assert!(rows
            .iter()
            .any(|r| r["text"].contains("ế") || r["text"].contains("ụ")));

        // Summary CSV: ranks with ties and the overall index.
        let (_, bytes) = analyst_bytes(
            &app,
            &format!("/api/v1/campaigns/{id}/export.csv?kind=summary"),
        )
        .await;
        let summary = csv_rows(&bytes);
        let rank = |code: &str| -> String {
            summary
                .iter()
                .find(|r| r["unit_code"] == code && r["level"] == "unit")
                .map(|r| r["rank"].clone())
                .unwrap_or_default()
        };
        assert_eq!(
            (rank("P-HOANKIEM"), rank("P-BADINH"), rank("X-SOCSON")),
            ("1".into(), "1".into(), "3".into())
        );
        for r in &summary {
            let u = unit(&api, &r["unit_code"]);
            assert!(same(&r["overall_rate"], &u["overall"]["rate"]), "{r:?}");
            assert_eq!(r["respondents"], u["respondents"].to_string());
        }

        // XLSX read back with calamine.
        let (status, bytes) =
            analyst_bytes(&app, &format!("/api/v1/campaigns/{id}/export.xlsx")).await;
        assert_eq!(status, 200);
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("an xlsx file");
        assert_eq!(
            book.sheet_names(),
            [
                "Summary",
                "Units",
                "Criteria",
                "Distributions",
                "Breakdowns",
                "Responses",
                "Codebook"
            ]
        );
        let sheet = book.worksheet_range("Summary").expect("Summary");
        let head: Vec<String> = sheet
            .rows()
            .next()
            .expect("header")
            .iter()
            .map(|c| c.to_string())
            .collect();
        let col = |name: &str| head.iter().position(|h| h == name).expect(name);
        let mut seen = 0;
        for row in sheet.rows().skip(1) {
            let code = row[col("unit_code")].to_string();
            let u = unit(&api, &code);
            let rate = match &row[col("overall_rate")] {
                Data::Float(x) => Some(*x),
                Data::Int(n) => Some(*n as f64),
                _ => None,
            };
            assert_eq!(
                rate.map(|x| (x * 1e6).round()),
                u["overall"]["rate"].as_f64().map(|x| (x * 1e6).round()),
                "{code}"
            );
            seen += 1;
        }
        assert_eq!(seen, summary.len());
        let responses = book.worksheet_range("Responses").expect("Responses");
        assert_eq!(responses.rows().count(), 1 + 7, "header + 7 responses");
        let rhead: Vec<String> = responses
            .rows()
            .next()
            .expect("header")
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert_eq!(
            &rhead[..4],
            ["seq", "unit_code", "service_code", "submitted_on"]
        );
        assert!(rhead.contains(&"P-A1".to_string()) && rhead.contains(&"GIOI_TINH".to_string()));
        let codebook = book.worksheet_range("Codebook").expect("Codebook");
        assert!(codebook
            .rows()
            .any(|r| r[0] == Data::String("GIOI_TINH".into())));

        // JSON export is the results JSON.
        let json = app
            .get_json(&format!("/api/v1/campaigns/{id}/export.json"))
            .await;
        assert_eq!(json["units"], api["units"]);
    }
);

db_test!(
    exports_filter_by_unit_subtree_and_period,
    |app: TestApp| async move {
        let id = campaign_with_answers(&app).await;
        let responses = |q: &str| format!("/api/v1/campaigns/{id}/export.csv?kind=responses{q}");

        let (_, all) = analyst_bytes(&app, &responses("")).await;
        let all = csv_rows(&all);
        assert_eq!(all.len(), 7);
        let seqs: Vec<&str> = all.iter().map(|r| r["seq"].as_str()).collect();
        assert_eq!(
            seqs,
            ["1", "2", "3", "4", "5", "6", "7"],
            "sequence numbers, no ids"
        );
        assert!(all.iter().all(|r| !r.contains_key("id")));

        // A district's subtree: Hoàn Kiếm only.
        let (_, hk) = analyst_bytes(&app, &responses("&unit=P-HOANKIEM")).await;
        let hk = csv_rows(&hk);
        assert_eq!(hk.len(), 3);
        assert!(hk.iter().all(|r| r["unit_code"] == "P-HOANKIEM"));
        // The city's subtree: everyone.
        let (_, city) = analyst_bytes(&app, &responses("&unit=HN")).await;
        assert_eq!(csv_rows(&city).len(), 7);

        // Period: a window around today keeps all, one in the future none.
        let (_, now) = analyst_bytes(&app, &responses("&from=2000-01-01&to=2099-12-31")).await;
        assert_eq!(csv_rows(&now).len(), 7);
        let (_, later) = analyst_bytes(&app, &responses("&from=2099-01-01")).await;
        assert_eq!(csv_rows(&later).len(), 0);
        // Figures follow the period too.
        let (_, s) = analyst_bytes(
            &app,
            &format!("/api/v1/campaigns/{id}/export.csv?kind=summary&from=2099-01-01"),
        )
        .await;
        let s = csv_rows(&s);
        assert!(s
            .iter()
            .all(|r| r["respondents"] == "0" && r["overall_rate"].is_empty()));

        // NDJSON: one anonymised object per line.
        let (status, nd) = analyst_bytes(
            &app,
            &format!("/api/v1/campaigns/{id}/export.ndjson?unit=X-SOCSON"),
        )
        .await;
        assert_eq!(status, 200);
        let lines: Vec<Value> = String::from_utf8(nd)
            .expect("utf-8")
            .lines()
            .map(|l| serde_json::from_str(l).expect("json line"))
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["unit_code"], "X-SOCSON");
        assert_eq!(lines[0]["answers"]["GIOI_TINH"], serde_json::json!([1]));

        // Bad input: clear 400s.
        for q in [
            "&from=31/12/2026",
            "&unit=NOPE",
            "&from=2026-12-31&to=2026-01-01",
        ] {
            let (status, body) = analyst_bytes(&app, &responses(q)).await;
            assert_eq!(status, 400, "{q}: {}", String::from_utf8_lossy(&body));
        }
        let (status, _) =
            analyst_bytes(&app, &format!("/api/v1/campaigns/{id}/export.csv?kind=pie")).await;
        assert_eq!(status, 400);

        // A unit officer gets only their subtree, whatever they ask for.
        let officer = app.api_key("unit_officer", Some("P-BADINH"));
        let resp = app.api_get(&officer, &responses("")).await;
        assert_eq!(resp.status(), 200);
        let mine = csv_rows(&resp.bytes().await.expect("body"));
        assert_eq!(mine.len(), 2);
        assert!(mine.iter().all(|r| r["unit_code"] == "P-BADINH"));
        let resp = app.api_get(&officer, &responses("&unit=P-HOANKIEM")).await;
        assert_eq!(resp.status(), 400);
        let resp = app
            .api_get(
                &officer,
                &format!("/api/v1/campaigns/{id}/export.csv?kind=summary"),
            )
            .await;
        let rows = csv_rows(&resp.bytes().await.expect("body"));
        assert!(
            rows.iter().all(|r| r["unit_code"] == "P-BADINH"),
            "{rows:?}"
        );
    }
);

db_test!(cli_exports_csv_xlsx_and_json, |app: TestApp| async move {
    let id = campaign_with_answers(&app).await;
    let dir = app.dir.path();
    let csv_path = dir.join("units.csv");
    let out = app.cli_ok(&[
        "export",
        "--campaign",
        &id,
        "--format",
        "csv",
        "--kind",
        "responses",
        "--unit",
        "P-BADINH",
        "--out",
        csv_path.to_str().expect("path"),
    ]);
    assert!(out.contains("2 responses"), "{out}");
    let rows = csv_rows(&std::fs::read(&csv_path).expect("csv file"));
    assert_eq!(rows.len(), 2);

    let xlsx_path = dir.join("all.xlsx");
    app.cli_ok(&[
        "export",
        "--campaign",
        &id,
        "--format",
        "xlsx",
        "--out",
        xlsx_path.to_str().expect("path"),
    ]);
    let bytes = std::fs::read(&xlsx_path).expect("xlsx file");
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("an xlsx file");
    assert_eq!(
        book.worksheet_range("Responses")
            .expect("sheet")
            .rows()
            .count(),
        8
    );

    let json: Value = app.export_json(&id);
    assert_eq!(json["units"].as_array().map(Vec::len), Some(3));

    let bad = app.cli(&["export", "--campaign", &id, "--format", "pdf", "--out", "x"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--format"));
});

db_test!(breakdowns_suppress_small_cells, |app: TestApp| async move {
    let t = template("sipas-2023.toml");
    app.import_sample_units();
    let id = app.create_campaign("sipas-2023", "P-HOANKIEM,P-BADINH");
    // Hoàn Kiếm: 5 men (satisfied), 2 women (dissatisfied).
    for _ in 0..5 {
        submit(&app, &id, "P-HOANKIEM", &sheet(&t, true, true)).await;
    }
    let mut women = sheet(&t, true, false);
    for f in women.iter_mut().filter(|f| f.0 == "GIOI_TINH") {
        f.1 = "2".to_string();
    }
    for _ in 0..2 {
        submit(&app, &id, "P-HOANKIEM", &women).await;
    }
    let r = app
        .get_json(&format!("/api/v1/campaigns/{id}/results"))
        .await;
    let hk = unit(&r, "P-HOANKIEM");
    let gender = hk["breakdowns"]
        .as_array()
        .expect("breakdowns")
        .iter()
        .find(|b| b["code"] == "GIOI_TINH")
        .expect("a gender breakdown");
    let group = |v: i64| {
        gender["groups"]
            .as_array()
            .expect("groups")
            .iter()
            .find(|g| g["value"] == v)
            .cloned()
            .expect("group")
    };
    let men = group(1);
    assert_eq!(men["suppressed"], false);
    assert_eq!(men["respondents"], 5);
    assert!(
        men["rate"]
            .as_f64()
            .is_some_and(|x| (x - 100.0).abs() < 1e-9),
        "{men}"
    );
    let women = group(2);
    assert_eq!(women["suppressed"], true, "2 < min_cell 5");
    assert_eq!(women["respondents"], Value::Null);
    assert_eq!(women["rate"], Value::Null);
    // The page shows the cell hidden, not its figure.
    let admin = app.admin_client().await;
    let html = admin
        .page(&format!("/campaigns/{id}/results/units/P-HOANKIEM"))
        .await;
    assert!(
        html.contains("Theo giới tính") && html.contains(">ẩn<"),
        "breakdown table"
    );
    // The export carries the same cells, and hides the same ones.
    let (status, bytes) = analyst_bytes(
        &app,
        &format!("/api/v1/campaigns/{id}/export.csv?kind=breakdowns&unit=P-HOANKIEM"),
    )
    .await;
    assert_eq!(status, 200);
    let rows = csv_rows(&bytes);
    let gender_rows = |v: &str| -> Vec<_> {
        rows.iter()
            .filter(|r| r["item_code"] == "GIOI_TINH" && r["option_value"] == v)
            .collect()
    };
    let men_rows = gender_rows("1");
    let men_overall = men_rows
        .iter()
        .find(|r| r["component_code"].is_empty())
        .expect("an overall row for men");
    assert_eq!(
        (
            men_overall["suppressed"].as_str(),
            men_overall["respondents"].as_str()
        ),
        ("0", "5")
    );
    assert!(same(&men_overall["rate"], &men["rate"]));
    assert!(men_rows.len() > 1, "a row per component too");
    for c in men["components"].as_array().expect("components") {
        let row = men_rows
            .iter()
            .find(|r| r["component_code"] == c["code"].as_str().unwrap_or("?"))
            .expect("the component's row");
        assert!(same(&row["rate"], &c["rate"]), "{row:?} vs {c}");
    }
    let women_rows = gender_rows("2");
    assert_eq!(women_rows.len(), 1, "a suppressed group has one bare row");
    assert_eq!(women_rows[0]["suppressed"], "1");
    assert!(women_rows[0]["respondents"].is_empty() && women_rows[0]["rate"].is_empty());
    // The city pools its units: still 2 women, still suppressed.
    let city = unit(&r, "HN");
    let g = &city["breakdowns"][0]["groups"];
    assert!(g
        .as_array()
        .expect("groups")
        .iter()
        .any(|x| x["value"] == 2 && x["suppressed"] == true));
});

db_test!(
    results_page_draws_svg_charts_without_inline_style,
    |app: TestApp| async move {
        let id = campaign_with_answers(&app).await;
        let admin = app.admin_client().await;
        let html = admin.page(&format!("/campaigns/{id}/results")).await;
        assert!(!html.contains("style="), "the CSP forbids inline styles");
        let api = app
            .get_json(&format!("/api/v1/campaigns/{id}/results"))
            .await;
        let rate_text = |u: &Value| {
            format!("{:.2}", u["overall"]["rate"].as_f64().expect("rate")).replace('.', ",")
        };
        // The ranking chart of the communes block: one row per ranked unit,
        // best first, its full name in the row's title, its value as text,
        // and an axis.
        let start = html.find("<figure class=\"chart\">").expect("a chart");
        let chart = &html[start..start + html[start..].find("</figure>").expect("closed")];
        assert!(chart.contains("Xếp hạng theo chỉ số chung"), "{chart}");
        assert!(chart.contains("bar-row axis"), "an axis: {chart}");
        let mut ranked: Vec<&Value> = api["units"]
            .as_array()
            .expect("units")
            .iter()
            .filter(|u| u["standing"] == "ranked")
            .collect();
        ranked.sort_by_key(|u| u["rank"].as_u64());
        assert_eq!(ranked.len(), 3);
        let mut at = 0;
        for u in &ranked {
            let name = u["unit_name"].as_str().expect("name");
            let row = chart[at..]
                .find(&format!("title=\"{name}\""))
                .map(|i| i + at)
                .unwrap_or_else(|| panic!("{name} in ranking order: {chart}"));
            let end = row + chart[row..].find("</div>").expect("row end");
            assert!(chart[row..end].contains(&rate_text(u)), "{name}'s value");
            at = end;
        }
        // A unit's page: each criterion as a 100 % stacked bar with its
        // satisfied share as a number, and a legend of the scale.
        let unit_page = admin
            .page(&format!("/campaigns/{id}/results/units/P-HOANKIEM"))
            .await;
        assert!(!unit_page.contains("style="));
        assert!(unit_page.contains("class=\"legend\"") && unit_page.contains("Rất hài lòng"));
        let hk = api["units"]
            .as_array()
            .expect("units")
            .iter()
            .find(|u| u["unit_code"] == "P-HOANKIEM")
            .expect("HK");
        fn first_item(c: &Value) -> Option<&Value> {
            c["items"]
                .as_array()
                .and_then(|i| i.first())
                .or_else(|| c["components"].as_array()?.iter().find_map(first_item))
        }
        let item = first_item(&hk["components"][0]).expect("a criterion");
        let code = item["code"].as_str().expect("item code");
        let row_at = unit_page
            .find(&format!("<span class=\"bar-label\">{code}</span>"))
            .expect("the criterion's bar");
        let row = &unit_page[row_at..row_at + unit_page[row_at..].find("</div>").expect("end")];
        let rate = format!("{:.2}", item["rate"].as_f64().expect("rate")).replace('.', ",");
        assert!(row.contains(&rate) && row.contains("role=\"img\""), "{row}");
    }
);

db_test!(
    exports_carry_the_change_from_the_previous_campaign,
    |app: TestApp| async move {
        let t = template("sipas-2023.toml");
        let previous = campaign_with_answers(&app).await;
        // This year Hoàn Kiếm is dissatisfied on everything, Sóc Sơn satisfied.
        let id = app.create_campaign("sipas-2023", "P-HOANKIEM,P-BADINH,X-SOCSON");
        submit(&app, &id, "P-HOANKIEM", &sheet(&t, true, false)).await;
        submit(&app, &id, "X-SOCSON", &sheet(&t, true, true)).await;
        let before = app
            .get_json(&format!("/api/v1/campaigns/{previous}/results"))
            .await;
        let api = app
            .get_json(&format!(
                "/api/v1/campaigns/{id}/results?compare={previous}"
            ))
            .await;

        let (status, bytes) = analyst_bytes(
            &app,
            &format!("/api/v1/campaigns/{id}/export.csv?kind=summary&compare={previous}"),
        )
        .await;
        assert_eq!(status, 200);
        let rows = csv_rows(&bytes);
        let row = |code: &str| {
            rows.iter()
                .find(|r| r["unit_code"] == code && r["level"] == "unit")
                .unwrap_or_else(|| panic!("{code}"))
        };
        // By hand: 100 last year, 0 now.
        let hk = row("P-HOANKIEM");
        assert!(
            same(&hk["previous_rate"], &serde_json::json!(100.0)),
            "{hk:?}"
        );
        assert!(same(&hk["change"], &serde_json::json!(-100.0)), "{hk:?}");
        // Sóc Sơn: now 100, before whatever last year's index said.
        let socson_before = unit(&before, "X-SOCSON")["overall"]["rate"]
            .as_f64()
            .expect("last year's rate");
        let ss = row("X-SOCSON");
        assert!(same(
            &ss["previous_rate"],
            &serde_json::json!(socson_before)
        ));
        assert!(same(
            &ss["change"],
            &serde_json::json!(100.0 - socson_before)
        ));
        // No answer this year: no change, not a fall to zero.
        let bd = row("P-BADINH");
        assert!(bd["change"].is_empty(), "{bd:?}");
        // Every row agrees with the API, roll-ups included.
        for r in &rows {
            let c = &unit(&api, &r["unit_code"])["overall"]["change"];
            assert!(same(&r["previous_rate"], &c["previous"]), "{r:?} vs {c}");
            assert!(same(&r["change"], &c["delta"]), "{r:?} vs {c}");
        }
        // The CLI writes the same figures.
        let path = app.dir.path().join("summary.csv");
        app.cli_ok(&[
            "export",
            "--campaign",
            &id,
            "--format",
            "csv",
            "--compare",
            &previous,
            "--out",
            path.to_str().expect("path"),
        ]);
        let cli_rows = csv_rows(&std::fs::read(&path).expect("csv file"));
        assert_eq!(cli_rows, rows);
        // Per criterion too.
        let (_, bytes) = analyst_bytes(
            &app,
            &format!("/api/v1/campaigns/{id}/export.csv?kind=criteria&unit=P-HOANKIEM&compare={previous}"),
        )
        .await;
        let criteria = csv_rows(&bytes);
        assert!(!criteria.is_empty());
        for r in &criteria {
            assert!(same(&r["change"], &serde_json::json!(-100.0)), "{r:?}");
        }
    }
);
