//! Keyboard entry of paper questionnaires by enumerators.
use crate::db_test;
use crate::helpers::*;

fn field(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .map(|i| i + marker.len())
        .expect("field present");
    html[start..].split('"').next().expect("value").to_string()
}

db_test!(
    enumerators_type_one_key_per_answer,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", "SNV,P-HOANKIEM");
        let admin = app.admin_client().await;
        let officer_name = app
            .create_user(&admin, "unit_officer", Some("P-HOANKIEM"))
            .await;
        let officer = app.login(&officer_name, TEST_PASSWORD).await;
        let path = format!("/admin/entry/{id}/P-HOANKIEM");

        let html = officer.page(&path).await;
        assert!(
            html.contains("autofocus"),
            "the cursor starts in the keys field"
        );
        assert!(html.contains("CC1 · Công chức có thái độ giao tiếp lịch sự"));
        let batch = field(&html, "batch");
        let k = field(&html, "k");

        // A whole form in one go; Enter goes straight to the next empty form.
        let resp = officer
            .post(
                &path,
                &[("batch", &batch), ("k", &k), ("keys", "545445345-3")],
            )
            .await;
        assert_eq!(resp.status(), 303);
        let next = resp.headers()["location"]
            .to_str()
            .expect("location")
            .to_string();
        assert!(
            next.contains(&format!("batch={batch}")) && next.contains("saved=1"),
            "{next}"
        );
        let html = officer.page(&next).await;
        assert!(html.contains("Đã lưu. Số phiếu đã nhập trong lượt này: <strong>1</strong>"));
        assert!(
            html.contains("name=\"keys\" value=\"\""),
            "an empty form follows"
        );
        // A double Enter on the same form stores nothing more.
        let resp = officer
            .post(
                &path,
                &[("batch", &batch), ("k", &k), ("keys", "545445345-3")],
            )
            .await;
        assert_eq!(resp.status(), 303);

        // Mistakes are located by position and the typed keys are kept.
        let k2 = field(&html, "k");
        let resp = officer
            .post(&path, &[("batch", &batch), ("k", &k2), ("keys", "54x")])
            .await;
        assert_eq!(resp.status(), 422);
        let body = resp.text().await.expect("body");
        assert!(
            body.contains("#3:") && body.contains("value=\"54x\""),
            "{body}"
        );
        let resp = officer
            .post(&path, &[("batch", &batch), ("k", &k2), ("keys", "5")])
            .await;
        assert_eq!(resp.status(), 422);
        assert!(resp
            .text()
            .await
            .expect("body")
            .contains("#2 CC2: Vui lòng chọn một câu trả lời."));

        let results = app
            .get_json(&format!("/api/v1/campaigns/{id}/results"))
            .await;
        let unit = results["units"]
            .as_array()
            .expect("units")
            .iter()
            .find(|u| u["unit_code"] == "P-HOANKIEM")
            .cloned()
            .expect("unit");
        assert_eq!(unit["respondents"], 1);
        assert_eq!(unit["components"][0]["items"][0]["satisfied_n"], 1);

        // Another unit's forms are not this officer's to enter, nor an analyst's.
        assert_eq!(
            officer
                .get(&format!("/admin/entry/{id}/SNV"))
                .await
                .status(),
            403
        );
        let analyst_name = app.create_user(&admin, "analyst", None).await;
        let analyst = app.login(&analyst_name, TEST_PASSWORD).await;
        assert_eq!(analyst.get(&path).await.status(), 403);
        // A batch belongs to whoever started it.
        let resp = admin
            .post(
                &path,
                &[("batch", &batch), ("k", &k2), ("keys", "555555555")],
            )
            .await;
        assert_eq!(resp.status(), 403);
    }
);
