//! Skip logic without JavaScript: a condition starts a new page, answers ride along.
use crate::helpers::*;

const TEMPLATE: &str = r#"
key = "skip-test"
title = { vi = "Phiếu thử bước nhảy", en = "Skip test" }
audience = "citizen"
[scales.yn]
kind = "yes_no"
options = [{ value = 1, vi = "Có", en = "Yes" }, { value = 2, vi = "Không", en = "No" }]
[scales.sat5]
kind = "ordinal"
options = [{ value = 1, vi = "1" }, { value = 2, vi = "2" }, { value = 3, vi = "3" }, { value = 4, vi = "4" }, { value = 5, vi = "5" }]
[[sections]]
code = "N"
title = { vi = "Nhận định" }
scored = false
[[sections]]
code = "SVC"
title = { vi = "Dịch vụ hành chính công" }
[[items]]
code = "N8"
section = "N"
scale = "yn"
text = { vi = "Ông/Bà đã giải quyết thủ tục hành chính trong 12 tháng qua?" }
[[items]]
code = "S1"
section = "SVC"
scale = "sat5"
text = { vi = "Công chức lịch sự" }
ask_if = "N8 = 1"
[[items]]
code = "S2"
section = "SVC"
scale = "sat5"
text = { vi = "Kết quả đúng hẹn" }
ask_if = "N8 = 1"
"#;

fn f(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

async fn skip_logic_runs_on_the_server(db: TestDb) {
    let scratch = tempfile::tempdir().expect("dir");
    std::fs::write(scratch.path().join("skip.toml"), TEMPLATE).expect("write");
    let Some(app) = spawn_app_with(db, scratch.path()).await else {
        return;
    };
    app.import_sample_units();
    let id = app.create_campaign("skip-test", "SNV");
    let path = format!("/s/{id}/SNV");

    let page1 = app.get(&path).await.text().await.expect("page 1");
    assert!(page1.contains("name=\"N8\""));
    assert!(
        !page1.contains("name=\"S1\""),
        "S1 depends on N8, so it waits for page 2"
    );
    assert!(page1.contains("Phần 1/2"));

    // "No": the SVC questions are skipped and the response is stored at once.
    let resp = app
        .post_form(&path, &f(&[("_page", "0"), ("N8", "2")]))
        .await;
    assert_eq!(resp.status(), 303);

    // "Yes": page 2 asks S1 and S2 and carries N8 along.
    let resp = app
        .post_form(&path, &f(&[("_page", "0"), ("N8", "1")]))
        .await;
    assert_eq!(resp.status(), 200);
    let page2 = resp.text().await.expect("page 2");
    assert!(page2.contains("name=\"S1\"") && page2.contains("name=\"S2\""));
    assert!(page2.contains("<input type=\"hidden\" name=\"N8\" value=\"1\">"));
    assert!(page2.contains("value=\"back\""));

    // Half filled: the error is shown and nothing is lost.
    let resp = app
        .post_form(&path, &f(&[("_page", "1"), ("N8", "1"), ("S1", "5")]))
        .await;
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.expect("errors");
    assert!(html.contains("href=\"#q-S2\""));
    assert!(html.contains("id=\"q-S1-5\" name=\"S1\" value=\"5\" checked"));

    // Back keeps the answers too.
    let resp = app
        .post_form(
            &path,
            &f(&[
                ("_page", "1"),
                ("_action", "back"),
                ("N8", "1"),
                ("S1", "5"),
            ]),
        )
        .await;
    let html = resp.text().await.expect("back");
    assert!(html.contains("id=\"q-N8-1\" name=\"N8\" value=\"1\" checked"));
    assert!(html.contains("<input type=\"hidden\" name=\"S1\" value=\"5\">"));

    let resp = app
        .post_form(
            &path,
            &f(&[("_page", "1"), ("N8", "1"), ("S1", "5"), ("S2", "2")]),
        )
        .await;
    assert_eq!(resp.status(), 303);

    let r = app
        .get_json(&format!("/api/v1/campaigns/{id}/results"))
        .await;
    let unit = &r["units"][0];
    assert_eq!(unit["respondents"], 2);
    let items = &unit["components"][0]["items"];
    assert_eq!(items[0]["code"], "S1");
    assert_eq!(
        items[0]["valid_n"], 1,
        "the 'no' respondent never answered S1"
    );
    assert_eq!(items[1]["satisfied_n"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn skip_logic_runs_on_the_server_sqlite() {
    skip_logic_runs_on_the_server(TestDb::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn skip_logic_runs_on_the_server_postgres() {
    skip_logic_runs_on_the_server(TestDb::Postgres).await;
}
