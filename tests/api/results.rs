use std::collections::HashMap;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::db_test;
use crate::helpers::*;

const COMPONENTS: [(&str, &[&str]); 3] = [
    ("CC", &["CC1", "CC2", "CC3", "CC4"]),
    ("KQ", &["KQ1", "KQ2"]),
    ("PA", &["PA1", "PA2", "PA3"]),
];
const UNITS: [&str; 3] = ["SNV", "P-HOANKIEM", "X-SOCSON"];

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

db_test!(
    results_match_rates_computed_from_what_was_sent,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", &UNITS.join(","));
        let mut rng = StdRng::seed_from_u64(20261125);
        // unit -> item -> (valid, satisfied)
        let mut sent: HashMap<&str, HashMap<&str, (u64, u64)>> = HashMap::new();
        let mut respondents: HashMap<&str, u64> = HashMap::new();
        for _ in 0..300 {
            let unit = UNITS[rng.random_range(0..UNITS.len())];
            let mut fields = Vec::new();
            for (_, items) in COMPONENTS {
                for item in items {
                    let v: u64 = rng.random_range(1..=5);
                    fields.push((item.to_string(), v.to_string()));
                    let e = sent.entry(unit).or_default().entry(item).or_default();
                    e.0 += 1;
                    e.1 += u64::from(v >= 4);
                }
            }
            if rng.random_bool(0.7) {
                fields.push(("GIOI_TINH".into(), rng.random_range(1..=2).to_string()));
            }
            let resp = app.post_form(&format!("/s/{id}/{unit}"), &fields).await;
            assert_eq!(
                resp.status(),
                303,
                "{}",
                resp.text().await.unwrap_or_default()
            );
            *respondents.entry(unit).or_default() += 1;
        }

        let results = app
            .get_json(&format!("/api/v1/campaigns/{id}/results"))
            .await;
        assert_eq!(results["campaign_id"], id.as_str());
        let units = results["units"].as_array().expect("units");
        assert_eq!(units.len(), 3);
        for u in units {
            let code = u["unit_code"].as_str().expect("code");
            assert_eq!(u["respondents"].as_u64(), respondents.get(code).copied());
            let mut component_rates = Vec::new();
            for (ci, (ccode, items)) in COMPONENTS.iter().enumerate() {
                let c = &u["components"][ci];
                assert_eq!(c["code"], *ccode);
                let mut item_rates = Vec::new();
                for (ii, item) in items.iter().enumerate() {
                    let (valid, satisfied) = sent[code][item];
                    let j = &c["items"][ii];
                    assert_eq!(j["code"], *item);
                    assert_eq!(j["valid_n"].as_u64(), Some(valid));
                    assert_eq!(j["satisfied_n"].as_u64(), Some(satisfied));
                    let rate = 100.0 * satisfied as f64 / valid as f64;
                    assert!(
                        close(j["rate"].as_f64().expect("rate"), rate),
                        "{code} {item}"
                    );
                    item_rates.push(rate);
                }
                let crate_ = item_rates.iter().sum::<f64>() / item_rates.len() as f64;
                assert!(
                    close(c["rate"].as_f64().expect("rate"), crate_),
                    "{code} {ccode}"
                );
                component_rates.push(crate_);
            }
            let overall = component_rates.iter().sum::<f64>() / 3.0;
            assert!(
                close(u["overall"]["rate"].as_f64().expect("rate"), overall),
                "{code} overall"
            );
        }

        // The HTML page shows the same figures, rounded for display only.
        let html = app
            .admin_client()
            .await
            .page(&format!("/campaigns/{id}/results"))
            .await;
        let first = &units[0];
        let shown =
            format!("{:.2}", first["overall"]["rate"].as_f64().expect("rate")).replace('.', ",");
        assert!(html.contains(&shown), "page shows {shown}");
        assert!(html.contains("Sở Nội vụ"));
    }
);

db_test!(
    unknown_campaign_results_are_a_json_404,
    |app: TestApp| async move {
        let key = app.api_key("analyst", None);
        let resp = app.api_get(&key, "/api/v1/campaigns/nope/results").await;
        assert_eq!(resp.status(), 404);
        assert_eq!(resp.headers()["content-type"], "application/problem+json");
    }
);

db_test!(
    results_follow_new_responses_and_renamed_units_at_once,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", "SNV");
        let answer = |v: &str| -> Vec<(String, String)> {
            COMPONENTS
                .iter()
                .flat_map(|(_, items)| items.iter())
                .map(|item| (item.to_string(), v.to_string()))
                .collect()
        };
        let resp = app.post_form(&format!("/s/{id}/SNV"), &answer("5")).await;
        assert_eq!(resp.status(), 303);
        let url = format!("/api/v1/campaigns/{id}/results");
        let first = app.get_json(&url).await;
        assert_eq!(first["units"][0]["respondents"], 1);
        assert_eq!(first["units"][0]["overall"]["rate"].as_f64(), Some(100.0));
        // The same figures again (kept results), then a new response shows at once.
        assert_eq!(app.get_json(&url).await, first);
        let resp = app.post_form(&format!("/s/{id}/SNV"), &answer("1")).await;
        assert_eq!(resp.status(), 303);
        let second = app.get_json(&url).await;
        assert_eq!(second["units"][0]["respondents"], 2);
        assert_eq!(second["units"][0]["overall"]["rate"].as_f64(), Some(50.0));
        // A renamed unit shows its new name at once too.
        let dir = tempfile::tempdir().expect("temp dir");
        let csv = dir.path().join("rename.csv");
        std::fs::write(
            &csv,
            "code,name,kind,parent_code\nSNV,Sở Nội vụ (mới),department,HN\n",
        )
        .expect("write csv");
        app.cli_ok(&["units", "import", &csv.display().to_string()]);
        let third = app.get_json(&url).await;
        assert_eq!(third["units"][0]["unit_name"], "Sở Nội vụ (mới)");
        assert_eq!(third["units"][0]["respondents"], 2);
    }
);

db_test!(
    results_kept_by_the_server_match_a_fresh_computation_after_each_response,
    |app: TestApp| async move {
        // The server keeps each campaign's results and, on a new response,
        // reloads only that unit and re-scores the levels above it; a fresh
        // process (`sipas export`) computes everything from the tallies.
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", &UNITS.join(","));
        let mut rng = StdRng::seed_from_u64(7);
        // None: random answers; Some(v): every criterion answered v.
        let mut submit = |unit: &str, value: Option<u64>| {
            let mut fields: Vec<(String, String)> = COMPONENTS
                .iter()
                .flat_map(|(_, items)| items.iter())
                .map(|item| {
                    let v = value.unwrap_or_else(|| rng.random_range(1..=5));
                    (item.to_string(), v.to_string())
                })
                .collect();
            fields.push(("GIOI_TINH".into(), rng.random_range(1..=2).to_string()));
            (format!("/s/{id}/{unit}"), fields)
        };
        let url = format!("/api/v1/campaigns/{id}/results");
        let officer = app.api_key("unit_officer", Some("P-HOANKIEM"));
        let admin = app.admin_client().await;
        let officer_login = app
            .create_user(&admin, "unit_officer", Some("P-HOANKIEM"))
            .await;
        let officer_page = app.login(&officer_login, TEST_PASSWORD).await;
        // Rounds: the first fills the cache; then one unit falls to the
        // bottom of the ranking (moving the others up without a response of
        // their own), two units change, and nothing changes.
        let rounds: [(&[&str], Option<u64>); 4] = [
            (&UNITS[..], None),
            (&UNITS[1..2], Some(1)),
            (&UNITS[..2], Some(5)),
            (&[], None),
        ];
        for (round, value) in rounds {
            for unit in round {
                for _ in 0..6 {
                    let (path, fields) = submit(unit, value);
                    assert_eq!(app.post_form(&path, &fields).await.status(), 303);
                }
            }
            let kept = app.get_json(&url).await;
            let fresh = app.export_json(&id);
            assert_eq!(kept, fresh, "after {round:?}");
            assert!(kept["units"][0]["breakdowns"].is_array());

            // A unit officer's JSON is cut from the same pieces.
            let resp = app.api_get(&officer, &url).await;
            assert_eq!(resp.status(), 200);
            let theirs: serde_json::Value = resp.json().await.expect("json");
            let mut expected = fresh.clone();
            for list in ["units", "rollups"] {
                expected[list]
                    .as_array_mut()
                    .expect("list")
                    .retain(|u| u["unit_code"] == "P-HOANKIEM");
            }
            assert_eq!(theirs, expected);

            // The pages kept per version show the new figures, and each
            // scope gets its own page.
            let rate = |u: &serde_json::Value| {
                format!("{:.2}", u["overall"]["rate"].as_f64().expect("rate")).replace('.', ",")
            };
            // A unit's section (kept rendered while the unit is unchanged).
            let section = |html: &str, anchor: &str| -> String {
                let start = html.find(&format!("id=\"{anchor}\"")).expect(anchor);
                let end = start + html[start..].find("</details>").expect("section end");
                html[start..end].to_string()
            };
            let whole = admin.page(&format!("/campaigns/{id}/results")).await;
            let city = section(&whole, "r-HN");
            assert!(
                city.contains(&rate(&fresh["rollups"][0])),
                "city's rate: {city}"
            );
            for u in fresh["units"].as_array().expect("units") {
                let code = u["unit_code"].as_str().expect("code");
                let s = section(&whole, &format!("u-{code}"));
                assert!(s.contains(&rate(u)), "{code}'s rate in its section");
            }
            let own = officer_page.page(&format!("/campaigns/{id}/results")).await;
            let ward = section(&own, "u-P-HOANKIEM");
            assert!(
                ward.contains(&rate(&expected["units"][0])),
                "ward's rate: {ward}"
            );
            assert!(
                !own.contains("Xã Sóc Sơn"),
                "no other unit on the officer's page"
            );
        }
    }
);
