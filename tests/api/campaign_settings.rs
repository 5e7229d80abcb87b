//! A campaign's settings in the web: the comparison, the sample-size planner
//! and the public services, each all-or-nothing and audited, as the CLI's.
use crate::db_test;
use crate::helpers::*;

db_test!(
    the_settings_page_sets_the_comparison_targets_and_services,
    |app: TestApp| async move {
        app.import_sample_units();
        let before = app.create_campaign("hn-mau-02", "SNV,P-HOANKIEM,P-BADINH");
        let id = app.create_campaign("hn-mau-02", "SNV,P-HOANKIEM,P-BADINH");
        let admin = app.admin_client().await;
        let hub = format!("/admin/campaigns/{id}");
        let base = format!("{hub}/settings");
        assert!(admin.page(&hub).await.contains(&format!("{base}?lang=")));

        // The planner's calculator: n for a population, nothing stored.
        let html = admin
            .page(&format!("{base}?lang=vi&population=12000&margin=0,05"))
            .await;
        assert!(
            html.contains("e = 0,05: <strong>n = 388</strong>"),
            "{html}"
        );
        let resp = admin.get(&format!("{base}?population=-4")).await;
        assert_eq!(resp.status(), 422);

        // The sheet to fill in lists the campaign's units.
        let sheet = admin.page(&format!("{base}/transactions.csv")).await;
        let mut lines = sheet.lines();
        assert_eq!(lines.next(), Some("unit_code,transactions,unit_name"));
        let codes: Vec<&str> = lines.map(|l| l.split(',').next().unwrap_or("")).collect();
        assert_eq!(codes.len(), 3, "{sheet}");
        for c in ["SNV", "P-HOANKIEM", "P-BADINH"] {
            assert!(codes.contains(&c), "{c} in {sheet}");
        }

        // A bad transactions list: every wrong line named, nothing stored,
        // the pasted text given back.
        let bad = "unit_code,transactions\nSNV,400\nX-NOWHERE,10\nP-BADINH,abc\n";
        let resp = admin
            .post_multipart(
                &format!("{base}/targets"),
                &[("csv", None, bad), ("margin", None, "0.05")],
            )
            .await;
        assert_eq!(resp.status(), 422);
        let html = resp.text().await.expect("page");
        assert!(html.contains("Dòng 3") && html.contains("Dòng 4"), "{html}");
        assert!(html.contains("X-NOWHERE,10"));
        assert_eq!(app.count("unit_targets"), 0);

        // A good one: n = 1400/(1+1400·0.05²) = 311.1, so 312, shared 4:8:2.
        let good = "unit_code,transactions\nSNV,400\nP-HOANKIEM,800\nP-BADINH,200\n";
        let resp = admin
            .post_multipart(
                &format!("{base}/targets"),
                &[("csv", None, good), ("margin", None, "0.05")],
            )
            .await;
        assert_eq!(resp.status(), 200);
        let html = resp.text().await.expect("page");
        assert!(
            html.contains("Đã lưu chỉ tiêu: 312 phiếu cho 3 đơn vị."),
            "{html}"
        );
        assert_eq!(app.count("unit_targets"), 3);
        let cli = app.cli_ok(&["sample-size", "--population", "1400"]);
        assert_eq!(cli.trim(), "312");
        assert!(html.contains("<caption id=\"targets_caption\">Số phiếu cần thu: 312</caption>"));

        // Services: a repeated code refuses the whole list, by line.
        let resp = admin
            .post_multipart(
                &format!("{base}/services"),
                &[(
                    "csv",
                    None,
                    "code,name\nKS,Đăng ký khai sinh\nKS,Khai sinh lại\n",
                )],
            )
            .await;
        assert_eq!(resp.status(), 422);
        let html = resp.text().await.expect("page");
        assert!(html.contains("line 3") || html.contains(":3"), "{html}");
        assert!(html.contains("Khai sinh lại"), "the pasted list is kept");
        assert_eq!(app.count("campaign_services"), 0);
        let resp = admin
            .post_multipart(
                &format!("{base}/services"),
                &[(
                    "csv",
                    None,
                    "code,name\nKS,Đăng ký khai sinh\nCT,Chứng thực bản sao\n",
                )],
            )
            .await;
        assert_eq!(resp.status(), 200);
        assert_eq!(app.count("campaign_services"), 2);
        let page = admin.page(&hub).await;
        assert!(
            page.contains("?dv=KS") && page.contains("/poster?dv=CT"),
            "per-service links"
        );

        // The comparison: another campaign, never itself, then none.
        let resp = admin
            .post(&format!("{base}/previous"), &[("previous", id.as_str())])
            .await;
        assert_eq!(resp.status(), 422);
        let resp = admin
            .post(
                &format!("{base}/previous"),
                &[("previous", before.as_str())],
            )
            .await;
        assert_eq!(resp.status(), 200);
        let api = app
            .get_json(&format!("/api/v1/campaigns/{id}/results"))
            .await;
        assert_eq!(
            api["compared_with"]["id"].as_str(),
            Some(before.as_str()),
            "{api}"
        );
        let resp = admin
            .post(&format!("{base}/previous"), &[("previous", "")])
            .await;
        assert_eq!(resp.status(), 200);
        assert_eq!(app.count("campaign_baselines"), 0);
        // The same from the command line.
        app.cli_ok(&["campaigns", "previous", &id, &before]);
        assert_eq!(app.count("campaign_baselines"), 1);
        let out = app.cli(&["campaigns", "previous", &id, &id]);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be compared with itself"));
        app.cli_ok(&["campaigns", "previous", &id, "--none"]);
        assert_eq!(app.count("campaign_baselines"), 0);

        let audit = admin.page("/admin/audit").await;
        for action in ["campaign_targets", "campaign_services", "campaign_previous"] {
            assert!(audit.contains(action), "{action} audited");
        }

        // A unit officer may not change a campaign.
        let officer = app
            .create_user(&admin, "unit_officer", Some("P-HOANKIEM"))
            .await;
        let officer = app.login(&officer, TEST_PASSWORD).await;
        assert_eq!(officer.get(&base).await.status(), 403);
    }
);
