//! Multiple-choice items (N2 information channels, N4 ways of giving input):
//! each option's share is of the respondents who answered the item, as the
//! official reports give it, in the API, the page and the exports. The
//! respondents count is kept at submit time, pooled up the unit tree, counted
//! by the database over a period, and filled in for a database from before
//! it was kept.
use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;

use calamine::{open_workbook_from_rs, Reader, Xlsx};

use diesel::{Connection, RunQueryDsl};
use serde_json::Value;

use crate::db_test;
use crate::helpers::*;
use crate::sheets::{sheet, submit, template};

const N2: [&[i32]; 7] = [
    &[1, 6],
    &[6],
    &[1, 2, 3],
    &[4],
    &[1, 6, 7],
    &[2, 6],
    &[1, 2, 3, 4, 5, 6, 7],
];
const N4: [&[i32]; 4] = [&[1, 4], &[2], &[1, 2, 3, 4], &[5]];

/// What the test sent for one item in one place.
#[derive(Debug, Default, Clone)]
struct Sent {
    respondents: u64,
    ticks: BTreeMap<i32, u64>,
}

impl Sent {
    fn add(&mut self, chosen: &[i32]) {
        self.respondents += 1;
        for v in chosen {
            *self.ticks.entry(*v).or_default() += 1;
        }
    }

    fn pooled(parts: &[&Sent]) -> Sent {
        let mut out = Sent::default();
        for p in parts {
            out.respondents += p.respondents;
            for (v, n) in &p.ticks {
                *out.ticks.entry(*v).or_default() += n;
            }
        }
        out
    }

    fn count(&self, value: i32) -> u64 {
        self.ticks.get(&value).copied().unwrap_or(0)
    }

    /// The share of respondents, recomputed from what was sent.
    fn share(&self, value: i32) -> f64 {
        100.0 * self.count(value) as f64 / self.respondents as f64
    }

    fn ticks(&self) -> u64 {
        self.ticks.values().sum()
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// (unit code → item → what was sent) after posting the pattern: 7 people in
/// Hoàn Kiếm and 3 in Ba Đình, each ticking one to seven options.
async fn post_pattern(app: &TestApp, id: &str) -> HashMap<String, HashMap<&'static str, Sent>> {
    let t = template("sipas-2023.toml");
    let base: Vec<(String, String)> = sheet(&t, true, true)
        .into_iter()
        .filter(|(k, _)| k != "N2" && k != "N4")
        .collect();
    let mut sent: HashMap<String, HashMap<&'static str, Sent>> = HashMap::new();
    for (unit, people, shift) in [("P-HOANKIEM", 7, 0), ("P-BADINH", 3, 3)] {
        for i in 0..people {
            let n2 = N2[(i + shift) % N2.len()];
            let n4 = N4[(i + shift) % N4.len()];
            let mut fields = base.clone();
            fields.extend(n2.iter().map(|v| ("N2".to_string(), v.to_string())));
            fields.extend(n4.iter().map(|v| ("N4".to_string(), v.to_string())));
            submit(app, id, unit, &fields).await;
            let mine = sent.entry(unit.to_string()).or_default();
            mine.entry("N2").or_default().add(n2);
            mine.entry("N4").or_default().add(n4);
        }
    }
    sent
}

/// What was sent for this results unit: its own, or pooled over the units a
/// roll-up includes.
fn expected(sent: &HashMap<String, HashMap<&'static str, Sent>>, u: &Value, item: &str) -> Sent {
    let code = u["unit_code"].as_str().expect("unit code");
    let included: Vec<&str> = match u["units_included"].as_array() {
        Some(list) => list.iter().filter_map(Value::as_str).collect(),
        None => vec![code],
    };
    let parts: Vec<&Sent> = included
        .iter()
        .filter_map(|c| sent.get(*c).and_then(|s| s.get(item)))
        .collect();
    Sent::pooled(&parts)
}

fn distribution<'a>(u: &'a Value, item: &str) -> &'a Value {
    u["distributions"]
        .as_array()
        .expect("distributions")
        .iter()
        .find(|d| d["code"] == item)
        .unwrap_or_else(|| panic!("{item} in {}", u["unit_code"]))
}

/// Every unit and roll-up of a results JSON against what was sent.
fn check_results(results: &Value, sent: &HashMap<String, HashMap<&'static str, Sent>>) {
    let all: Vec<&Value> = results["units"]
        .as_array()
        .expect("units")
        .iter()
        .chain(results["rollups"].as_array().expect("rollups"))
        .collect();
    assert_eq!(all.len(), 3, "two wards and the city");
    for u in all {
        for (item, options) in [("N2", 7), ("N4", 5)] {
            let want = expected(sent, u, item);
            let d = distribution(u, item);
            let at = format!("{} {item}", u["unit_code"]);
            assert_eq!(d["multiple"], true, "{at}");
            assert_eq!(d["respondents"].as_u64(), Some(want.respondents), "{at}");
            assert_eq!(d["n"].as_u64(), Some(want.ticks()), "{at}: n is the ticks");
            let opts = d["options"].as_array().expect("options");
            assert_eq!(opts.len(), options, "{at}");
            let mut total = 0.0;
            for o in opts {
                let v = o["value"].as_i64().expect("value") as i32;
                assert_eq!(o["count"].as_u64(), Some(want.count(v)), "{at} option {v}");
                let share = o["share"].as_f64().expect("share");
                assert!(close(share, want.share(v)), "{at} option {v}: {share}");
                total += share;
            }
            // Shares of respondents pass 100 % as soon as someone ticks two.
            let ticks_per_person = want.ticks() as f64 / want.respondents as f64;
            assert!(close(total, 100.0 * ticks_per_person), "{at}: {total}");
            assert!(total > 100.0, "{at}");
        }
        // A single-choice item keeps its shares of answers (everyone said 3).
        let n1 = distribution(u, "N1");
        let people = expected(sent, u, "N2").respondents;
        assert_eq!(n1["multiple"], false);
        assert_eq!(n1["respondents"].as_u64(), Some(people));
        assert_eq!(n1["n"].as_u64(), Some(people));
        let three = n1["options"]
            .as_array()
            .expect("options")
            .iter()
            .find(|o| o["value"] == 3)
            .expect("option 3");
        assert!(close(three["share"].as_f64().expect("share"), 100.0));
    }
}

/// CSV rows as header-keyed maps (after the BOM).
fn csv_rows(bytes: &[u8]) -> Vec<HashMap<String, String>> {
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

/// The distributions export (CSV or the XLSX sheet) against what was sent:
/// every N2 and N4 row.
fn check_csv(
    rows: &[HashMap<String, String>],
    results: &Value,
    sent: &HashMap<String, HashMap<&'static str, Sent>>,
) {
    let units: HashMap<&str, &Value> = results["units"]
        .as_array()
        .expect("units")
        .iter()
        .chain(results["rollups"].as_array().expect("rollups"))
        .map(|u| (u["unit_code"].as_str().expect("code"), u))
        .collect();
    let mut checked = 0;
    for row in rows {
        let item = row["item_code"].as_str();
        if item != "N2" && item != "N4" {
            continue;
        }
        let want = expected(sent, units[row["unit_code"].as_str()], item);
        let v: i32 = row["option_value"].parse().expect("option value");
        let at = format!("{} {item} {v}", row["unit_code"]);
        assert_eq!(row["multiple"], "1", "{at}");
        assert_eq!(row["respondents"], want.respondents.to_string(), "{at}");
        assert_eq!(row["n"], want.ticks().to_string(), "{at}");
        assert_eq!(row["count"], want.count(v).to_string(), "{at}");
        let share: f64 = row["share"].parse().expect("share");
        assert!(close(share, want.share(v)), "{at}: {share}");
        checked += 1;
    }
    assert_eq!(
        checked,
        3 * (7 + 5),
        "every option of N2 and N4 in every place"
    );
}

/// The workbook's Distributions sheet as header-keyed maps, like `csv_rows`.
fn xlsx_distributions(bytes: Vec<u8>) -> Vec<HashMap<String, String>> {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("an xlsx file");
    let sheet = book
        .worksheet_range("Distributions")
        .expect("Distributions");
    let mut rows = sheet.rows();
    let head: Vec<String> = rows
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    rows.map(|r| {
        head.iter()
            .cloned()
            .zip(r.iter().map(|c| c.to_string()))
            .collect()
    })
    .collect()
}

async fn analyst_bytes(app: &TestApp, path: &str) -> Vec<u8> {
    let key = app
        .analyst_key
        .get_or_init(|| app.api_key("analyst", None))
        .clone();
    let resp = app.api_get(&key, path).await;
    assert_eq!(resp.status(), 200, "GET {path}");
    resp.bytes().await.expect("body").to_vec()
}

async fn analyst_csv(app: &TestApp, path: &str) -> Vec<HashMap<String, String>> {
    csv_rows(&analyst_bytes(app, path).await)
}

fn execute(app: &TestApp, sql: &str) -> usize {
    match app.backend {
        TestDb::Sqlite => {
            let mut c = diesel::SqliteConnection::establish(&app.database_url).expect("db");
            diesel::sql_query(sql).execute(&mut c).expect(sql)
        }
        TestDb::Postgres => {
            let mut c = diesel::PgConnection::establish(&app.database_url).expect("db");
            diesel::sql_query(sql).execute(&mut c).expect(sql)
        }
    }
}

db_test!(
    multiple_choice_shares_are_shares_of_respondents,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_campaign("sipas-2023", "P-HOANKIEM,P-BADINH");
        let sent = post_pattern(&app, &id).await;

        let results = app
            .get_json(&format!("/api/v1/campaigns/{id}/results"))
            .await;
        check_results(&results, &sent);

        let csv = format!("/api/v1/campaigns/{id}/export.csv?kind=distributions");
        check_csv(&analyst_csv(&app, &csv).await, &results, &sent);
        // Over a period the database counts the respondents from the answers.
        let period = analyst_csv(&app, &format!("{csv}&from=2000-01-01")).await;
        check_csv(&period, &results, &sent);
        let xlsx = analyst_bytes(&app, &format!("/api/v1/campaigns/{id}/export.xlsx")).await;
        check_csv(&xlsx_distributions(xlsx), &results, &sent);

        // The page gives the shares of respondents and says so.
        let html = app
            .admin_client()
            .await
            .page(&format!("/campaigns/{id}/results/units/P-HOANKIEM"))
            .await;
        assert!(html.contains("% số người trả lời câu hỏi"));
        assert!(html.contains("tổng các tỷ lệ có thể vượt 100%"));
        let hk = &sent["P-HOANKIEM"]["N2"];
        assert!(html.contains(&format!(
            "{} người trả lời · {} lượt chọn",
            hk.respondents,
            hk.ticks()
        )));
        let shown = format!("{:.2}", hk.share(6)).replace('.', ",");
        assert!(html.contains(&shown), "the page shows {shown}");

        // A database from before the count was kept: the next start fills it
        // in from the stored answers (the CLI export is a fresh process).
        let removed = execute(&app, "DELETE FROM tallies WHERE option_value = -2147483648");
        assert_eq!(removed, 2 * 2, "N2 and N4 in both wards");
        check_results(&app.export_json(&id), &sent);
        let restored = execute(
            &app,
            "UPDATE tallies SET n = n WHERE option_value = -2147483648",
        );
        assert_eq!(restored, 4, "filled in once, for every ward and item");
    }
);
