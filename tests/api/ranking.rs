//! The ranking as Hà Nội publishes it: blocks ranked apart, the levels
//! above the units never among them, small samples listed but not ranked;
//! the page and the API agree.
use crate::db_test;
use crate::helpers::*;
use crate::lineage::{answer, unit};

db_test!(
    blocks_are_ranked_apart_and_small_samples_and_levels_are_not_ranked,
    |app: TestApp| async move {
        app.import_sample_units();
        // The city is surveyed as a unit too: it is then the level above
        // the others, never their rival.
        let id = app.create_campaign("hn-mau-02", "HN,SNV,STC,P-HOANKIEM,P-BADINH,X-SOCSON");
        answer(&app, &id, "SNV", 27, 3).await; // 90 %
        answer(&app, &id, "STC", 24, 6).await; // 80 %
        answer(&app, &id, "P-HOANKIEM", 21, 9).await; // 70 %
        answer(&app, &id, "P-BADINH", 21, 9).await; // 70 %: a tie
        answer(&app, &id, "X-SOCSON", 2, 0).await; // 100 % on 2: too few
        answer(&app, &id, "HN", 30, 0).await;
        let r = app
            .get_json(&format!("/api/v1/campaigns/{id}/results"))
            .await;
        assert_eq!(
            r["settings"]["rank_min_respondents"], 30,
            "low_sample_n by default"
        );
        let standing = |code: &str| {
            let u = unit(&r, "units", code);
            (
                u["block"].as_str().unwrap_or("").to_string(),
                u["standing"].as_str().unwrap_or("").to_string(),
                u["rank"].as_u64(),
                u["band"].as_str().map(str::to_string),
            )
        };
        let s = |b: &str, st: &str, rank: Option<u64>, band: Option<&str>| {
            (
                b.to_string(),
                st.to_string(),
                rank,
                band.map(str::to_string),
            )
        };
        assert_eq!(
            standing("SNV"),
            s("departments", "ranked", Some(1), Some("A"))
        );
        assert_eq!(
            standing("STC"),
            s("departments", "ranked", Some(2), Some("B"))
        );
        assert_eq!(
            standing("P-HOANKIEM"),
            s("communes", "ranked", Some(1), Some("C"))
        );
        assert_eq!(
            standing("P-BADINH"),
            s("communes", "ranked", Some(1), Some("C"))
        );
        assert_eq!(
            standing("X-SOCSON"),
            s("communes", "too_few_respondents", None, Some("A"))
        );
        // Its own answers (all satisfied) are its own figure, unranked.
        assert_eq!(standing("HN"), s("city", "level", None, Some("A")));
        // The city's roll-up pools everyone, itself included.
        let city = unit(&r, "rollups", "HN");
        assert_eq!(city["respondents"], 30 * 5 + 2);
        assert_eq!(city["standing"], "level");

        // The page: one table per block, in rank order, the small unit
        // listed last as "chưa đủ số phiếu", the city among the levels only.
        let html = app
            .admin_client()
            .await
            .page(&format!("/campaigns/{id}/results"))
            .await;
        let block = |name: &str| -> String {
            let start = html.find(&format!("id=\"b-{name}\"")).expect(name);
            let end = start + html[start..].find("</table>").expect("table end");
            html[start..end].to_string()
        };
        let departments = block("departments");
        assert!(departments.contains("Khối sở"));
        assert!(departments.find("Sở Nội vụ") < departments.find("Sở Tài chính"));
        assert!(departments.contains("90,00") && departments.contains("Loại A"));
        let communes = block("communes");
        let rows: Vec<&str> = communes.split("<tr").skip(2).collect();
        assert_eq!(rows.len(), 3, "{communes}");
        for (row, (rank, name)) in
            rows.iter()
                .zip([("1", "Phường"), ("1", "Phường"), ("—", "Xã Sóc Sơn")])
        {
            assert!(
                row.contains(&format!(">{rank}</td>")) && row.contains(name),
                "{row}"
            );
        }
        assert!(rows[2].contains("chưa đủ số phiếu"));
        assert!(
            !communes.contains("Thành phố Hà Nội") && !departments.contains("Thành phố Hà Nội")
        );
        assert!(
            !html.contains("id=\"b-city\""),
            "the city is a level, not a block"
        );
        let levels = &html[html.find("id=\"levels\"").expect("levels")..];
        assert!(levels.contains("Thành phố Hà Nội"));
        // Each unit's summary opens from the ranking, and links its page.
        assert!(html.contains("href=\"#u-SNV\"") && html.contains("id=\"u-SNV\""));
        let page = app
            .admin_client()
            .await
            .page(&format!("/campaigns/{id}/results/units/SNV"))
            .await;
        assert!(page.contains("Sở Nội vụ") && page.contains("Xếp hạng: 1"));
    }
);

db_test!(
    a_150_unit_results_page_stays_under_100_kb_compressed,
    |app: TestApp| async move {
        // The city, 10 districts and 139 wards, every one ranked.
        let mut csv = String::from("code,name,kind,parent_code\nHN,Thành phố Hà Nội,city,\n");
        let mut codes = vec!["HN".to_string()];
        for d in 0..10 {
            csv.push_str(&format!("Q{d},Quận Thử nghiệm Số {d},urban_district,HN\n"));
            codes.push(format!("Q{d}"));
        }
        for w in 0..139 {
            csv.push_str(&format!(
                "P{w:03},Phường Thử nghiệm Số {w},ward,Q{}\n",
                w % 10
            ));
            codes.push(format!("P{w:03}"));
        }
        let file = app.dir.path().join("units-150.csv");
        std::fs::write(&file, csv).expect("write");
        app.cli_ok(&["units", "import", file.to_str().expect("path")]);
        let id = app.create_small_sample_campaign("hn-mau-02", &codes.join(","));
        for w in 0..139 {
            crate::lineage::answer(&app, &id, &format!("P{w:03}"), 1 + w % 3, 1).await;
        }
        let admin = app.admin_client().await;
        let html = admin.page(&format!("/campaigns/{id}/results")).await;
        assert!(html.contains("Phường Thử nghiệm Số 138"), "{html}");
        eprintln!("results page of 150 units: {} bytes", html.len());
        for encoding in ["br", "gzip"] {
            let resp = admin
                .client
                .get(format!("{}/campaigns/{id}/results", app.address))
                .header("accept-encoding", encoding)
                .send()
                .await
                .expect("GET");
            assert_eq!(resp.status(), 200);
            assert_eq!(resp.headers()["content-encoding"], encoding);
            let size = resp.bytes().await.expect("body").len();
            assert!(size < 100 * 1024, "{encoding}: {size} bytes");
            eprintln!("results page of 150 units, {encoding}: {size} bytes");
        }
    }
);

db_test!(
    a_previous_rank_needs_enough_respondents_in_the_earlier_campaign,
    |app: TestApp| async move {
        app.import_sample_units();
        // Made first: the small-sample template below becomes the latest version.
        let strict = app.create_campaign("hn-mau-02", "SNV,STC,P-HOANKIEM");
        crate::lineage::answer(&app, &strict, "SNV", 5, 0).await;
        crate::lineage::answer(&app, &strict, "STC", 2, 3).await;
        let before = app.create_small_sample_campaign("hn-mau-02", "SNV,STC,P-HOANKIEM");
        crate::lineage::answer(&app, &before, "SNV", 5, 0).await;
        crate::lineage::answer(&app, &before, "STC", 2, 3).await;
        let now = app.create_small_sample_campaign("hn-mau-02", "SNV,STC,P-HOANKIEM");
        crate::lineage::answer(&app, &now, "SNV", 1, 1).await;
        crate::lineage::answer(&app, &now, "STC", 2, 0).await;
        app.cli_ok(&["campaigns", "previous", &now, &before]);
        let results = app
            .get_json(&format!("/api/v1/campaigns/{now}/results"))
            .await;
        let rank_before =
            |code: &str| crate::lineage::unit(&results, "units", code)["rank_before"].as_u64();
        // Every unit with a respondent was ranked then (minimum 1): SNV
        // first, STC second; P-HOANKIEM had no answer, so no rank.
        assert_eq!(rank_before("SNV"), Some(1));
        assert_eq!(rank_before("STC"), Some(2));
        assert_eq!(rank_before("P-HOANKIEM"), None);
        // Compared with a campaign whose template wants 30 respondents, the
        // same five answers are too few to have had a rank.
        app.cli_ok(&["campaigns", "previous", &now, &strict]);
        let results = app
            .get_json(&format!("/api/v1/campaigns/{now}/results"))
            .await;
        let snv = crate::lineage::unit(&results, "units", "SNV");
        assert_eq!(snv["rank_before"], serde_json::Value::Null);
        assert!(
            snv["overall"]["change"]["previous"].as_f64().is_some(),
            "the change is still shown"
        );
    }
);
