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
        assert!(
            html.contains("Phiếu này có 12 câu cần gõ.")
                && html.contains("Câu không có câu trả lời trên phiếu: gõ “.”."),
            "the screen explains the keys"
        );
        let batch = field(&html, "batch");
        let k = field(&html, "k");

        // A whole form in one go; Enter goes straight to the next empty form.
        let resp = officer
            .post(
                &path,
                &[("batch", &batch), ("k", &k), ("keys", "545445345.3.")],
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
                &[("batch", &batch), ("k", &k), ("keys", "545445345.3.")],
            )
            .await;
        assert_eq!(resp.status(), 303);

        // Mistakes are located by question and the typed keys are kept.
        let k2 = field(&html, "k");
        let resp = officer
            .post(&path, &[("batch", &batch), ("k", &k2), ("keys", "54x")])
            .await;
        assert_eq!(resp.status(), 422);
        let body = resp.text().await.expect("body");
        assert!(
            body.contains("Câu 3 (CC3 · Công chức trả lời, giải thích đầy đủ")
                && body.contains("“x” không phải phím trả lời")
                && body.contains("value=\"54x\""),
            "{body}"
        );

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

/// The hn-mau-02 form "545445345.3." with the third key dropped.
const DROPPED: &str = "54445345.3.";

db_test!(
    short_long_and_repeated_entries_store_only_whole_forms,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", "P-HOANKIEM");
        let admin = app.admin_client().await;
        let name = app
            .create_user(&admin, "unit_officer", Some("P-HOANKIEM"))
            .await;
        let officer = app.login(&name, TEST_PASSWORD).await;
        let path = format!("/admin/entry/{id}/P-HOANKIEM");
        let html = officer.page(&path).await;
        let batch = field(&html, "batch");
        let post = |k: String, keys: &'static str, lang: &'static str| {
            let (officer, path, batch) = (&officer, &path, &batch);
            async move {
                let to = format!("{path}?lang={lang}");
                officer
                    .post(&to, &[("batch", batch), ("k", &k), ("keys", keys)])
                    .await
            }
        };
        let new_key = || uuid::Uuid::new_v4().to_string();

        // A dropped key: refused, saying where the keys stop and how many are missing;
        // the answers it shifted onto the wrong questions are listed first.
        let resp = post(new_key(), DROPPED, "vi").await;
        assert_eq!(resp.status(), 422);
        let body = resp.text().await.expect("body");
        let required = body.find("Câu 9 (PA3 · ").expect("PA3 got the “.”");
        let gender = body
            .find("Câu 10 (GIOI_TINH · Giới tính): 3 không phải phương án của câu này; các phương án: 1, 2.")
            .expect("the gender question got a 3");
        let short = body
            .find("Dừng ở câu 12 (HOC_VAN · Trình độ học vấn): còn thiếu 1 câu.")
            .expect("where it stops");
        assert!(
            required < gender && gender < short,
            "question order: {body}"
        );
        assert!(
            body.contains(&format!("value=\"{DROPPED}\"")),
            "the keys are kept to fix"
        );
        let resp = post(new_key(), "5454", "en").await;
        assert_eq!(resp.status(), 422);
        assert!(resp.text().await.expect("body").contains(
            "Stopped at question 5 (KQ1 · The result received was as the rules require): \
             8 questions have no key."
        ));

        // A key too many.
        let resp = post(new_key(), "545445345.3.12", "vi").await;
        assert_eq!(resp.status(), 422);
        let body = resp.text().await.expect("body");
        assert!(
            body.contains(
                "Thừa 2 phím sau câu cuối cùng, câu 12 (HOC_VAN · Trình độ học vấn): phiếu chỉ có 12 câu."
            ),
            "{body}"
        );

        // The whole form, then Enter again and again on it: one response, counted once.
        let k = new_key();
        for _ in 0..3 {
            let resp = post(k.clone(), "545445345.3.", "vi").await;
            assert_eq!(resp.status(), 303);
            let to = resp.headers()["location"].to_str().expect("location");
            assert!(to.contains("saved=1"), "{to}");
        }
        let html = officer.page(&format!("{path}?batch={batch}")).await;
        assert!(
            html.contains(&format!(
                "Lượt nhập (số phiếu · người nhập): 1 · user:{name}"
            )),
            "{html}"
        );
        let results = app
            .get_json(&format!("/api/v1/campaigns/{id}/results"))
            .await;
        let unit = &results["units"][0];
        assert_eq!(unit["respondents"], 1, "{unit}");
        assert_eq!(
            unit["components"][0]["items"][0]["valid_n"], 1,
            "the refused entries stored nothing"
        );
    }
);

db_test!(
    several_ticks_and_skipped_questions_keep_their_place,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_campaign("sipas-2023", "P-HOANKIEM");
        let admin = app.admin_client().await;
        let name = app
            .create_user(&admin, "unit_officer", Some("P-HOANKIEM"))
            .await;
        let officer = app.login(&name, TEST_PASSWORD).await;
        let path = format!("/admin/entry/{id}/P-HOANKIEM");
        let html = officer.page(&path).await;
        assert!(html.contains("nối các số bằng “+”, ví dụ 1+3+6"), "{html}");
        assert!(html.contains("chỉ trả lời nếu N8-3 = 1; nếu không: “.”"));
        let batch = field(&html, "batch");
        // N1, N2 (several), N3, N4 (several), N5–N7, N8-1..6, 23 policy
        // items, 16 service items (asked only if N8-3 = 1), 10 wishes, 7 about you.
        let keys = |n8: &str, svc: &str| {
            format!(
                "3 1+3+6 3 2+4 1 1 3 {n8} {} {svc} 4444444444 1112111",
                "4".repeat(23)
            )
        };
        let post = |keys: String| {
            let (officer, path, batch) = (&officer, &path, &batch);
            async move {
                let k = uuid::Uuid::new_v4().to_string();
                officer
                    .post(path, &[("batch", batch), ("k", &k), ("keys", &keys)])
                    .await
            }
        };
        // N8-3 = 2 (no procedure handled): the service questions are keyed ".".
        let resp = post(keys("122211", &".".repeat(16))).await;
        assert_eq!(resp.status(), 303);
        // N8-3 = 1: they are answered.
        let resp = post(keys("121211", &"5".repeat(16))).await;
        assert_eq!(resp.status(), 303);

        // Service answers typed although N8-3 = 2: refused, as one run.
        let resp = post(keys("122211", &"5".repeat(16))).await;
        assert_eq!(resp.status(), 422);
        let body = resp.text().await.expect("body");
        assert!(
            body.contains(
                "Câu 37 đến 52 (S-TC1 … S-PA3): chỉ trả lời nếu N8-3 = 1, nên gõ “.” cho cả 16 câu này."
            ),
            "{body}"
        );
        let resp = post(keys("122211", &format!("5{}", ".".repeat(15)))).await;
        assert!(resp.text().await.expect("body").contains(
            "Câu 37 (S-TC1 · Nơi giải quyết thủ tục hành chính có biển hiệu, hướng dẫn rõ ràng, \
             giúp người dân dễ tìm, dễ thấy): chỉ trả lời nếu N8-3 = 1, nên gõ “.” cho câu này."
        ));
        // A multiple-choice question left out moves the rest: refused, never stored shifted.
        let resp = post(keys("122211", &".".repeat(16)).replacen("2+4 ", "", 1)).await;
        assert_eq!(resp.status(), 422);
        assert!(resp
            .text()
            .await
            .expect("body")
            .contains("Dừng ở câu 69 (DIA_HINH · "));

        let results = app
            .get_json(&format!("/api/v1/campaigns/{id}/results"))
            .await;
        assert_eq!(results["units"][0]["respondents"], 2);
    }
);
