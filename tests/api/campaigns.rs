use crate::db_test;
use crate::helpers::*;

db_test!(
    campaigns_api_lists_form_urls_per_unit,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", "SNV,P-HOANKIEM,X-SOCSON");
        let body = app.get_json("/api/v1/campaigns").await;
        let campaigns = body["campaigns"].as_array().expect("list");
        assert_eq!(campaigns.len(), 1);
        let c = &campaigns[0];
        assert_eq!(c["id"], id.as_str());
        assert_eq!(c["status"], "open");
        assert_eq!(c["template"]["key"], "hn-mau-02");
        let units = c["units"].as_array().expect("units");
        let codes: Vec<&str> = units
            .iter()
            .map(|u| u["unit_code"].as_str().expect("code"))
            .collect();
        assert_eq!(codes, vec!["P-HOANKIEM", "SNV", "X-SOCSON"]);
        for u in units {
            let url = u["form_url"].as_str().expect("url");
            assert_eq!(
                url,
                format!(
                    "{}/s/{id}/{}",
                    app.address,
                    u["unit_code"].as_str().expect("code")
                )
            );
            let page = app.client.get(url).send().await.expect("GET form");
            assert_eq!(page.status(), 200);
        }
    }
);

db_test!(
    campaign_create_rejects_bad_input_clearly,
    |app: TestApp| async move {
        app.import_sample_units();
        let out = app.cli(&[
            "campaigns",
            "create",
            "--template",
            "no-such",
            "--name",
            "X",
            "--from",
            "2026-01-01",
            "--to",
            "2026-02-01",
            "--units",
            "SNV",
        ]);
        assert!(String::from_utf8_lossy(&out.stderr).contains("no template with key \"no-such\""));
        let out = app.cli(&[
            "campaigns",
            "create",
            "--template",
            "hn-mau-02",
            "--name",
            "X",
            "--from",
            "2026-03-01",
            "--to",
            "2026-02-01",
            "--units",
            "SNV",
        ]);
        assert!(String::from_utf8_lossy(&out.stderr).contains("ends (2026-02-01) before it starts"));
        let out = app.cli(&[
            "campaigns",
            "create",
            "--template",
            "hn-mau-02",
            "--name",
            "X",
            "--from",
            "2026-01-01",
            "--to",
            "2026-02-01",
            "--units",
            "SNV,NOPE",
        ]);
        assert!(String::from_utf8_lossy(&out.stderr).contains("unknown unit code(s): NOPE"));
        // --under takes a unit and its whole subtree.
        let out = app.cli_ok(&[
            "campaigns",
            "create",
            "--template",
            "hn-mau-02",
            "--name",
            "Toàn thành phố",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--under",
            "HN",
        ]);
        assert_eq!(
            out.lines().filter(|l| l.contains("/s/")).count(),
            31,
            "{out}"
        );
    }
);
