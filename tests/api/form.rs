use crate::db_test;
use crate::helpers::*;

const CRITERIA: [&str; 9] = [
    "CC1", "CC2", "CC3", "CC4", "KQ1", "KQ2", "PA1", "PA2", "PA3",
];

fn answers(v: &str) -> Vec<(String, String)> {
    CRITERIA
        .iter()
        .map(|c| (c.to_string(), v.to_string()))
        .collect()
}

db_test!(form_is_accessible_plain_html, |app: TestApp| async move {
    app.import_sample_units();
    let id = app.create_campaign("hn-mau-02", "SNV");
    let html = app
        .get(&format!("/s/{id}/SNV"))
        .await
        .text()
        .await
        .expect("body");
    for c in CRITERIA {
        for v in 1..=5 {
            assert!(
                html.contains(&format!(
                    "type=\"radio\" id=\"q-{c}-{v}\" name=\"{c}\" value=\"{v}\""
                )),
                "missing radio {c}={v}"
            );
            assert!(
                html.contains(&format!("for=\"q-{c}-{v}\"")),
                "missing label for {c}={v}"
            );
        }
    }
    assert_eq!(
        html.matches("<fieldset").count(),
        12,
        "one fieldset per question"
    );
    assert_eq!(html.matches("<legend>").count(), 12);
    assert!(html.contains("Công chức có thái độ giao tiếp lịch sự"));
    assert!(html.contains("sẽ được bảo mật theo quy định"));
    assert!(!html.contains("<script"), "the form needs no JavaScript");

    let en = app
        .get(&format!("/s/{id}/SNV?lang=en"))
        .await
        .text()
        .await
        .expect("body");
    assert!(en.contains("lang=\"en\""));
    assert!(en.contains("The civil servant was polite and respectful"));
});

db_test!(
    a_valid_submission_goes_to_the_thank_you_page,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", "SNV");
        let mut fields = answers("5");
        fields.push(("GIOI_TINH".into(), "2".into()));
        let resp = app.post_form(&format!("/s/{id}/SNV"), &fields).await;
        assert_eq!(resp.status(), 303);
        let to = resp.headers()["location"]
            .to_str()
            .expect("location")
            .to_string();
        assert_eq!(to, format!("/s/{id}/SNV/thanks?lang=vi"));
        let thanks = app.get(&to).await;
        assert_eq!(thanks.status(), 200);
        assert!(thanks.text().await.expect("body").contains("Cảm ơn Ông/Bà"));
        let results = app
            .get_json(&format!("/api/v1/campaigns/{id}/results"))
            .await;
        assert_eq!(results["units"][0]["respondents"], 1);
        assert_eq!(results["units"][0]["overall"]["rate"], 100.0);
    }
);

db_test!(
    errors_are_listed_and_nothing_entered_is_lost,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", "SNV");
        let fields: Vec<(String, String)> = vec![
            ("CC1".into(), "4".into()),
            ("CC3".into(), "9".into()),
            ("KQ1".into(), "2".into()),
            ("DO_TUOI".into(), "3".into()),
        ];
        let resp = app.post_form(&format!("/s/{id}/SNV"), &fields).await;
        assert_eq!(resp.status(), 422);
        let html = resp.text().await.expect("body");
        assert!(html.contains("class=\"error-summary\""));
        assert!(
            html.contains("href=\"#q-CC2\""),
            "the summary links to each field in error"
        );
        // Each question by its number and text, as the form shows it.
        assert!(html.contains(
            "Câu 3. Công chức trả lời, giải thích đầy đủ các ý kiến của người dân, đại diện tổ chức: Câu trả lời không hợp lệ."
        ), "{html}");
        assert!(html.contains("autofocus"), "the summary takes focus");
        assert!(html.contains("id=\"q-CC2-error\""));
        assert!(html.contains("aria-describedby=\"q-CC2-error\""));
        // What was entered comes back checked.
        assert!(html.contains("id=\"q-CC1-4\" name=\"CC1\" value=\"4\" checked"));
        assert!(html.contains("id=\"q-KQ1-2\" name=\"KQ1\" value=\"2\" checked"));
        assert!(html.contains("id=\"q-DO_TUOI-3\" name=\"DO_TUOI\" value=\"3\" checked"));
        // Nothing was stored.
        let results = app
            .get_json(&format!("/api/v1/campaigns/{id}/results"))
            .await;
        assert_eq!(results["units"][0]["respondents"], 0);
    }
);

db_test!(
    unknown_and_closed_forms_answer_clearly,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", "SNV");
        assert_eq!(app.get(&format!("/s/{id}/P-HOANKIEM")).await.status(), 404);
        assert_eq!(
            app.get("/s/00000000-0000-0000-0000-000000000000/SNV")
                .await
                .status(),
            404
        );
        let out = app.cli_ok(&[
            "campaigns",
            "create",
            "--template",
            "hn-mau-02",
            "--name",
            "Nháp",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--units",
            "SNV",
            "--draft",
        ]);
        let draft = out.split_whitespace().nth(1).expect("id").to_string();
        let resp = app.get(&format!("/s/{draft}/SNV")).await;
        assert_eq!(resp.status(), 410);
        assert!(resp
            .text()
            .await
            .expect("body")
            .contains("Đợt khảo sát không nhận phiếu"));
        let resp = app
            .post_form(&format!("/s/{draft}/SNV"), &answers("5"))
            .await;
        assert_eq!(resp.status(), 410);
        // Closed while a respondent is on the form: the post just before
        // (kept in memory for a moment) does not let the next one in.
        let half: Vec<(String, String)> = answers("5").into_iter().skip(1).collect();
        let resp = app.post_form(&format!("/s/{id}/SNV"), &half).await;
        assert_eq!(resp.status(), 422);
        let admin = app.admin_client().await;
        let resp = admin
            .post(
                &format!("/admin/campaigns/{id}/status"),
                &[("status", "closed")],
            )
            .await;
        assert_eq!(resp.status(), 303);
        let resp = app.post_form(&format!("/s/{id}/SNV"), &answers("5")).await;
        assert_eq!(resp.status(), 410);
        assert_eq!(app.count("responses"), 0);
    }
);

db_test!(
    paper_version_lists_every_question_with_boxes,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", "SNV");
        let resp = app.get(&format!("/s/{id}/SNV/print")).await;
        assert_eq!(resp.status(), 200);
        let html = resp.text().await.expect("body");
        for c in CRITERIA {
            assert!(
                html.contains(&format!("<strong>{c}. </strong>")),
                "{c} on paper"
            );
        }
        // 9 criteria × 5 levels + 2 genders + 5 age bands + 6 education levels.
        assert_eq!(html.matches("class=\"box\"").count(), 9 * 5 + 2 + 5 + 6);
        assert!(html.contains("đánh dấu (✓)"));
        assert!(!html.contains("<input"), "paper has no inputs");
    }
);
