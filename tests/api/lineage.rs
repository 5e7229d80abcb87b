//! Units through time: Hà Nội's trees before and from 1 July 2025 (the
//! files in examples/hanoi-2025, derived from the statistics office's
//! conversion table), the lineage between them, and comparisons across it.
use std::collections::HashMap;

use serde_json::Value;

use crate::db_test;
use crate::helpers::*;
use crate::sheets::{node, submit, template};

const DAY: &str = "2025-07-01";

fn example(name: &str) -> String {
    manifest_dir()
        .join("examples/hanoi-2025")
        .join(name)
        .to_str()
        .expect("utf-8 path")
        .to_string()
}

fn import_real_trees(app: &TestApp, with_lineage: bool) {
    app.cli_ok(&["units", "import", &example("units-before-2025-07-01.csv")]);
    let out = app.cli_ok(&[
        "units",
        "import",
        &example("units-from-2025-07-01.csv"),
        "--valid-from",
        DAY,
    ]);
    assert!(out.contains("126 units added"), "{out}");
    assert!(out.contains("556 ended on 2025-06-30"), "{out}");
    if with_lineage {
        let out = app.cli_ok(&[
            "units",
            "lineage",
            "import",
            &example("lineage-2025-07-01.csv"),
        ]);
        assert!(out.contains("795 links into 126 units"), "{out}");
    }
}

/// Create a campaign on `units` over a period; returns its id.
fn campaign(app: &TestApp, from: &str, to: &str, units: &str, previous: Option<&str>) -> String {
    let mut args = vec![
        "campaigns",
        "create",
        "--template",
        "hn-mau-02",
        "--name",
        "Khảo sát",
        "--from",
        from,
        "--to",
        to,
        "--units",
        units,
    ];
    if let Some(p) = previous {
        args.extend(["--previous", p]);
    }
    let out = app.cli_ok(&args);
    out.split_whitespace().nth(1).expect("id").to_string()
}

/// A complete "Mẫu số 02" sheet with every satisfaction item at `value`.
pub(crate) fn sheet(value: u8) -> Vec<(String, String)> {
    let t = template("hn-mau-02.toml");
    t.items
        .iter()
        .filter_map(|item| {
            let scale = t.scale_of(item);
            let v = match scale.kind {
                sipas::domain::template::ScaleKind::Ordinal => value.to_string(),
                sipas::domain::template::ScaleKind::Text => return None,
                _ => scale.options.first()?.value.to_string(),
            };
            Some((item.code.to_string(), v))
        })
        .collect()
}

/// Post `satisfied` sheets at 5 and `not` sheets at 2 to a unit.
pub(crate) async fn answer(app: &TestApp, id: &str, unit: &str, satisfied: usize, not: usize) {
    for _ in 0..satisfied {
        submit(app, id, unit, &sheet(5)).await;
    }
    for _ in 0..not {
        submit(app, id, unit, &sheet(2)).await;
    }
}

pub(crate) fn unit<'a>(results: &'a Value, list: &str, code: &str) -> &'a Value {
    results[list]
        .as_array()
        .expect("list")
        .iter()
        .find(|u| u["unit_code"] == code)
        .unwrap_or_else(|| panic!("{code} in {list}"))
}

/// (satisfied, valid) of an item of a unit in a results document.
fn counts(u: &Value, item: &str) -> (f64, f64) {
    let n = node(u, item);
    (
        n["satisfied_n"].as_f64().expect("satisfied_n"),
        n["valid_n"].as_f64().expect("valid_n"),
    )
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

/// The lineage file's links as (new, old, whole).
fn real_links() -> Vec<(String, String, bool)> {
    let mut r = csv::Reader::from_path(example("lineage-2025-07-01.csv")).expect("lineage file");
    r.deserialize::<HashMap<String, String>>()
        .map(|row| {
            let row = row.expect("row");
            (
                row["new_code"].clone(),
                row["old_code"].clone(),
                row["kind"] == "whole",
            )
        })
        .collect()
}

/// The rule, written again from the data: a whole link brings all of the
/// old unit; its part links split equally what the whole links leave.
fn weight_into(links: &[(String, String, bool)], new: &str, old: &str) -> f64 {
    let of_old: Vec<_> = links.iter().filter(|l| l.1 == old).collect();
    let whole = of_old.iter().filter(|l| l.2).count() as f64;
    let parts = of_old.iter().filter(|l| !l.2).count() as f64;
    let link = of_old.iter().find(|l| l.0 == new).expect("link");
    if link.2 {
        1.0
    } else {
        (1.0 - whole).max(0.0) / parts
    }
}

db_test!(
    ba_dinh_is_compared_with_the_pooled_counts_of_its_predecessors,
    |app: TestApp| async move {
        import_real_trees(&app, true);
        let links = real_links();
        let olds: Vec<String> = links
            .iter()
            .filter(|l| l.0 == "00004")
            .map(|l| l.1.clone())
            .collect();
        assert!(olds.len() >= 4 && olds.contains(&"00004".to_string()));
        let y2024 = campaign(&app, "2024-09-01", "2024-11-30", &olds.join(","), None);
        for (i, code) in olds.iter().enumerate() {
            answer(&app, &y2024, code, 1 + i % 3, 1 + i % 2).await;
        }
        let y2025 = campaign(
            &app,
            "2025-09-01",
            "2025-11-30",
            "00004,00008",
            Some(&y2024),
        );
        answer(&app, &y2025, "00004", 3, 1).await;
        answer(&app, &y2025, "00008", 1, 1).await;

        let before = app
            .get_json(&format!("/api/v1/campaigns/{y2024}/results"))
            .await;
        let after = app
            .get_json(&format!("/api/v1/campaigns/{y2025}/results"))
            .await;
        let bd = unit(&after, "units", "00004");
        assert_eq!(bd["unit_name"], "Phường Ba Đình");
        // A part of an old unit whose whole population joined another new
        // unit (00112: "part of the area") brings nothing.
        let mut from: Vec<String> = olds
            .iter()
            .filter(|o| weight_into(&links, "00004", o) > 0.0)
            .cloned()
            .collect();
        from.sort();
        assert!(from.len() < olds.len(), "{olds:?}");
        assert_eq!(bd["estimated_from"], serde_json::json!(from));
        // Every item's baseline: Σ weight × satisfied over Σ weight × valid.
        for item in ["CC1", "KQ1", "PA1"] {
            let (mut sat, mut valid) = (0.0, 0.0);
            for old in &olds {
                let w = weight_into(&links, "00004", old);
                let (s, v) = counts(unit(&before, "units", old), item);
                sat += w * s;
                valid += w * v;
            }
            let change = &node(bd, item)["change"];
            let previous = change["previous"].as_f64().expect("a baseline");
            assert!(
                close(previous, 100.0 * sat / valid),
                "{item}: {previous} vs {}",
                100.0 * sat / valid
            );
            assert_eq!(change["estimated"], true);
        }
        assert_eq!(bd["overall"]["change"]["estimated"], true);
        // Not a mean of the predecessors' percentages.
        let rates: Vec<f64> = olds
            .iter()
            .map(|o| {
                node(unit(&before, "units", o), "CC1")["rate"]
                    .as_f64()
                    .unwrap()
            })
            .collect();
        let mean = rates.iter().sum::<f64>() / rates.len() as f64;
        let previous = node(bd, "CC1")["change"]["previous"].as_f64().unwrap();
        assert!(
            !close(previous, mean),
            "pooled {previous} equals the mean {mean}"
        );

        // The page says so, once, and marks the changes.
        let admin = app.admin_client().await;
        let page = admin.page(&format!("/campaigns/{y2025}/results")).await;
        assert_eq!(
            page.matches("ước tính bằng cách cộng dồn số phiếu").count(),
            1
        );
        assert!(page.contains("title=\"ước tính từ các đơn vị trước sắp xếp\""));
        // The summary export marks them too.
        let key = app.api_key("analyst", None);
        let csv = app
            .api_get(
                &key,
                &format!("/api/v1/campaigns/{y2025}/export.csv?kind=summary"),
            )
            .await
            .text()
            .await
            .expect("csv");
        let mut rows = csv::Reader::from_reader(csv.as_bytes());
        let header = rows.headers().expect("header").clone();
        let col = |name: &str| header.iter().position(|h| h == name).expect(name);
        let (code, estimated) = (col("unit_code"), col("change_estimated"));
        let bd_row = rows
            .records()
            .map(|r| r.expect("row"))
            .find(|r| &r[code] == "00004")
            .expect("Ba Đình's row");
        assert_eq!(&bd_row[estimated], "1");
    }
);

/// Small trees of our own: two old wards and a split ward become three.
fn import_small_trees(app: &TestApp, lineage: &str) {
    let old = app.dir.path().join("old.csv");
    std::fs::write(
        &old,
        "code,name,kind,parent_code\nHN,Hà Nội,city,\nQ1,Quận Một,quan,HN\nQ2,Huyện Hai,huyen,HN\nA,Phường A,phuong,Q1\nB,Phường B,phuong,Q1\nC,Xã C,xa,Q2\n",
    )
    .expect("write");
    let new = app.dir.path().join("new.csv");
    std::fs::write(
        &new,
        "code,name,kind,parent_code\nN1,Phường Mới 1,phuong,HN\nN2,Phường Mới 2,phuong,HN\nN3,Phường Mới 3,phuong,HN\n",
    )
    .expect("write");
    let links = app.dir.path().join("links.csv");
    std::fs::write(&links, lineage).expect("write");
    app.cli_ok(&["units", "import", old.to_str().unwrap()]);
    app.cli_ok(&[
        "units",
        "import",
        new.to_str().unwrap(),
        "--valid-from",
        DAY,
    ]);
    app.cli_ok(&["units", "lineage", "import", links.to_str().unwrap()]);
}

async fn small_campaigns(app: &TestApp) -> (Value, Value) {
    let y2024 = campaign(app, "2024-09-01", "2024-11-30", "A,B,C", None);
    answer(app, &y2024, "A", 4, 0).await;
    answer(app, &y2024, "B", 1, 2).await;
    answer(app, &y2024, "C", 1, 3).await;
    let y2025 = campaign(app, "2025-09-01", "2025-11-30", "N1,N2,N3", Some(&y2024));
    answer(app, &y2025, "N1", 1, 1).await;
    answer(app, &y2025, "N2", 2, 0).await;
    answer(app, &y2025, "N3", 0, 1).await;
    let before = app
        .get_json(&format!("/api/v1/campaigns/{y2024}/results"))
        .await;
    let after = app
        .get_json(&format!("/api/v1/campaigns/{y2025}/results"))
        .await;
    (before, after)
}

fn previous_of(results: &Value, list: &str, code: &str, item: &str) -> f64 {
    node(unit(results, list, code), item)["change"]["previous"]
        .as_f64()
        .unwrap_or_else(|| panic!("{code} has a baseline"))
}

db_test!(
    given_shares_carry_that_part_of_an_old_units_counts,
    |app: TestApp| async move {
        import_small_trees(
            &app,
            "new_code,old_code,kind,share,note\nN1,A,whole,,\nN1,B,part,25%,\nN2,B,part,\"0,75\",\nN3,C,whole,,\n",
        );
        let (before, after) = small_campaigns(&app).await;
        let (sa, va) = counts(unit(&before, "units", "A"), "CC1");
        let (sb, vb) = counts(unit(&before, "units", "B"), "CC1");
        let (sc, vc) = counts(unit(&before, "units", "C"), "CC1");
        let n1 = previous_of(&after, "units", "N1", "CC1");
        assert!(
            close(n1, 100.0 * (sa + 0.25 * sb) / (va + 0.25 * vb)),
            "{n1}"
        );
        // A share alone keeps the old unit's rate.
        let n2 = previous_of(&after, "units", "N2", "CC1");
        assert!(close(n2, 100.0 * sb / vb), "{n2}");
        // The city: every old unit given away whole, so its old figure.
        let city_then = node(unit(&before, "rollups", "HN"), "CC1")["rate"]
            .as_f64()
            .unwrap();
        let city = previous_of(&after, "rollups", "HN", "CC1");
        assert!(close(city, city_then), "{city} vs {city_then}");
        assert!(close(city, 100.0 * (sa + sb + sc) / (va + vb + vc)));
        assert_eq!(
            unit(&after, "rollups", "HN")["overall"]["change"]["estimated"],
            true
        );
    }
);

db_test!(
    an_old_unit_split_equally_among_three_successors,
    |app: TestApp| async move {
        import_small_trees(
            &app,
            "new_code,old_code,kind,share,note\nN1,A,whole,,\nN1,B,part,,\nN2,B,part,,\nN3,B,part,,\nN3,C,whole,,\n",
        );
        let (before, after) = small_campaigns(&app).await;
        let (sa, va) = counts(unit(&before, "units", "A"), "CC1");
        let (sb, vb) = counts(unit(&before, "units", "B"), "CC1");
        let (sc, vc) = counts(unit(&before, "units", "C"), "CC1");
        let third = 1.0 / 3.0;
        let n1 = previous_of(&after, "units", "N1", "CC1");
        assert!(
            close(n1, 100.0 * (sa + third * sb) / (va + third * vb)),
            "{n1}"
        );
        let n2 = previous_of(&after, "units", "N2", "CC1");
        assert!(close(n2, 100.0 * sb / vb), "{n2}");
        let n3 = previous_of(&after, "units", "N3", "CC1");
        assert!(
            close(n3, 100.0 * (sc + third * sb) / (vc + third * vb)),
            "{n3}"
        );
        // A previous rank follows the earlier campaign's own minimum sample:
        // these baselines rest on 3 to 4 respondents of 2024, too few to have
        // been ranked then, so none has a previous rank now.
        let rank_before = |code: &str| unit(&after, "units", code)["rank_before"].as_u64();
        assert_eq!(
            (rank_before("N1"), rank_before("N2"), rank_before("N3")),
            (None, None, None)
        );
        // Two respondents are too few to take a place (the default minimum
        // is the template's low-sample threshold).
        let n2 = unit(&after, "units", "N2");
        assert_eq!(n2["standing"], "too_few_respondents");
        assert_eq!(n2["rank"], Value::Null);
        let city = previous_of(&after, "rollups", "HN", "CC1");
        assert!(
            close(city, 100.0 * (sa + sb + sc) / (va + vb + vc)),
            "{city}"
        );

        // The other way round: 2025 by the old districts. N1 owes 3/4 to A
        // and 1/4 to B, N2 all to B, N3 1/4 to B and 3/4 to C.
        let y2025 = after["campaign_id"].as_str().expect("id");
        let by_old = app
            .get_json(&format!("/api/v1/campaigns/{y2025}/results/units-before"))
            .await;
        let (s1, v1) = counts(unit(&after, "units", "N1"), "CC1");
        let (s2, v2) = counts(unit(&after, "units", "N2"), "CC1");
        let (s3, v3) = counts(unit(&after, "units", "N3"), "CC1");
        let q1 = unit(&by_old, "units", "Q1");
        let rate = node(q1, "CC1")["rate"].as_f64().expect("a rate");
        assert!(
            close(rate, 100.0 * (s1 + s2 + 0.25 * s3) / (v1 + v2 + 0.25 * v3)),
            "{rate}"
        );
        assert_eq!(q1["units_included"], serde_json::json!(["N1", "N2", "N3"]));
        let q2 = unit(&by_old, "units", "Q2");
        assert!(close(
            node(q2, "CC1")["rate"].as_f64().unwrap(),
            100.0 * s3 / v3
        ));
        // Compared with each old district as it was in 2024.
        let q1_then = node(unit(&before, "rollups", "Q1"), "CC1")["rate"]
            .as_f64()
            .unwrap();
        assert!(close(
            node(q1, "CC1")["change"]["previous"].as_f64().unwrap(),
            q1_then
        ));
        let r1 = unit(&after, "units", "N1")["respondents"].as_f64().unwrap();
        let r2 = unit(&after, "units", "N2")["respondents"].as_f64().unwrap();
        let r3 = unit(&after, "units", "N3")["respondents"].as_f64().unwrap();
        assert_eq!(
            q1["respondents"].as_f64().unwrap(),
            (r1 + r2 + 0.25 * r3).round()
        );
        // A unit officer cannot see the old districts.
        let officer = app.api_key("unit_officer", Some("N1"));
        let refused = app
            .api_get(
                &officer,
                &format!("/api/v1/campaigns/{y2025}/results/units-before"),
            )
            .await;
        assert_eq!(refused.status(), 403);
        let admin = app.admin_client().await;
        let page = admin
            .page(&format!("/campaigns/{y2025}/results/units-before"))
            .await;
        assert!(
            page.contains("Quận Một") && page.contains("Huyện Hai"),
            "{page}"
        );
    }
);

db_test!(
    a_reused_code_never_matches_itself_across_campaigns,
    |app: TestApp| async move {
        // The trees without their lineage: 00004 is Trúc Bạch before the
        // day and Ba Đình from it, two units that share nothing.
        import_real_trees(&app, false);
        let y2024 = campaign(&app, "2024-09-01", "2024-11-30", "00004,00008", None);
        answer(&app, &y2024, "00004", 2, 0).await;
        let y2025 = campaign(&app, "2025-09-01", "2025-11-30", "00004", Some(&y2024));
        answer(&app, &y2025, "00004", 1, 1).await;
        let before = app
            .get_json(&format!("/api/v1/campaigns/{y2024}/results"))
            .await;
        assert_eq!(
            unit(&before, "units", "00004")["unit_name"],
            "Phường Trúc Bạch"
        );
        let after = app
            .get_json(&format!("/api/v1/campaigns/{y2025}/results"))
            .await;
        let bd = unit(&after, "units", "00004");
        assert_eq!(bd["unit_name"], "Phường Ba Đình");
        assert_eq!(bd["overall"]["change"]["previous"], Value::Null, "{bd}");
        assert!(bd.get("estimated_from").is_none());
        // The older campaign keeps its unit, with its name as it was.
        let again = app
            .get_json(&format!("/api/v1/campaigns/{y2024}/results"))
            .await;
        assert_eq!(
            unit(&again, "units", "00004")["unit_name"],
            "Phường Trúc Bạch"
        );
        // A 2025 campaign cannot take the old unit by its code.
        let out = app.cli(&[
            "campaigns",
            "create",
            "--template",
            "hn-mau-02",
            "--name",
            "x",
            "--from",
            "2025-09-01",
            "--to",
            "2025-11-30",
            "--units",
            "00013",
        ]);
        assert!(!out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("unknown unit code(s): 00013"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // The tree as it was on a day.
        let then = app.cli_ok(&["units", "list", "--on", "2025-06-30"]);
        assert!(then.contains("Phường Trúc Bạch") && !then.contains("Phường Ba Đình"));
        assert_eq!(then.lines().count(), 557);
        let now = app.cli_ok(&["units", "list", "--on", DAY]);
        assert_eq!(now.lines().count(), 127);
    }
);

db_test!(
    lineage_imports_are_refused_with_line_numbers,
    |app: TestApp| async move {
        import_real_trees(&app, false);
        let path = app.dir.path().join("bad-lineage.csv");
        std::fs::write(
            &path,
            "new_code,old_code,kind,share,note\n\
             00004,00004,whole,,\n\
             99999,00013,whole,,\n\
             00004,00016,part,0.8,\n\
             00008,00016,part,0.4,\n\
             00004,00008,whole,,\n\
             00013,00019,whole,,\n",
        )
        .expect("write");
        let out = app.cli(&["units", "lineage", "import", path.to_str().unwrap()]);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("bad-lineage.csv:3: new_code 99999 names no unit"),
            "{err}"
        );
        assert!(
            err.contains(
                "bad-lineage.csv:5: the shares of old unit 00016 (Phường Ngọc Hà) add up to 1.200"
            ),
            "{err}"
        );
        // 00013 was Quán Thánh, before the day only: a link into the wrong tree.
        assert!(
            err.contains("bad-lineage.csv:7: new_code 00013 names no unit in force on 2025-07-01"),
            "{err}"
        );
        assert!(err.contains("wrong tree"), "{err}");
        assert!(err.contains("nothing was imported"));
        let listed = app.cli_ok(&["units", "lineage", "list"]);
        assert_eq!(listed.lines().count(), 1, "{listed}");
    }
);

db_test!(
    the_admin_screens_show_the_tree_on_a_day_and_a_units_lineage,
    |app: TestApp| async move {
        import_real_trees(&app, true);
        let admin = app.admin_client().await;
        let then = admin.page("/admin/units?on=2025-06-30").await;
        assert!(then.contains("Phường Trúc Bạch") && then.contains("Quận Ba Đình"));
        assert!(!then.contains("Phường Ba Đình<"));
        let now = admin.page("/admin/units?on=2025-07-01").await;
        let marker = "/admin/units/";
        let at = now
            .find("Phường Ba Đình")
            .and_then(|i| now[..i].rfind(marker))
            .expect("a link to Ba Đình");
        let id = &now[at + marker.len()..at + marker.len() + 36];
        let page = admin.page(&format!("/admin/units/{id}")).await;
        assert!(page.contains("Hình thành từ các đơn vị trước sắp xếp"));
        for old in ["Phường Trúc Bạch", "Phường Quán Thánh", "Phường Ngọc Hà"] {
            assert!(page.contains(old), "{old}");
        }
        assert!(page.contains("Nhập một phần") && page.contains("Toàn bộ"));
    }
);

db_test!(
    merged_departments_are_compared_with_the_departments_they_came_from,
    |app: TestApp| async move {
        // The illustrative merger of 1 March 2025 in examples/hanoi-2025.
        app.cli_ok(&[
            "units",
            "import",
            &example("departments-before-2025-03-01.csv"),
        ]);
        let out = app.cli_ok(&[
            "units",
            "import",
            &example("departments-from-2025-03-01.csv"),
            "--valid-from",
            "2025-03-01",
        ]);
        assert!(out.contains("6 ended on 2025-02-28"), "{out}");
        app.cli_ok(&[
            "units",
            "lineage",
            "import",
            &example("departments-lineage-2025-03-01.csv"),
            "--date",
            "2025-03-01",
        ]);
        let y2024 = campaign(
            &app,
            "2024-09-01",
            "2024-11-30",
            "SNV,SLDTBXH,STNMT,SNNPTNT",
            None,
        );
        answer(&app, &y2024, "SNV", 3, 0).await;
        answer(&app, &y2024, "SLDTBXH", 1, 3).await;
        answer(&app, &y2024, "STNMT", 2, 1).await;
        answer(&app, &y2024, "SNNPTNT", 0, 2).await;
        let y2025 = campaign(&app, "2025-09-01", "2025-11-30", "SNV,SNNMT", Some(&y2024));
        answer(&app, &y2025, "SNV", 1, 0).await;
        answer(&app, &y2025, "SNNMT", 1, 0).await;
        let before = app
            .get_json(&format!("/api/v1/campaigns/{y2024}/results"))
            .await;
        let after = app
            .get_json(&format!("/api/v1/campaigns/{y2025}/results"))
            .await;
        let c = |code: &str| counts(unit(&before, "units", code), "CC1");
        let ((snv_s, snv_v), (ld_s, ld_v)) = (c("SNV"), c("SLDTBXH"));
        let ((tn_s, tn_v), (nn_s, nn_v)) = (c("STNMT"), c("SNNPTNT"));
        // Sở Nội vụ continued and took 60 % of Lao động – TB&XH (a given share).
        let snv = previous_of(&after, "units", "SNV", "CC1");
        assert!(
            close(snv, 100.0 * (snv_s + 0.6 * ld_s) / (snv_v + 0.6 * ld_v)),
            "{snv}"
        );
        assert_eq!(
            unit(&after, "units", "SNV")["estimated_from"],
            serde_json::json!(["SLDTBXH", "SNV"])
        );
        // A new department formed from two whole ones.
        let nnmt = previous_of(&after, "units", "SNNMT", "CC1");
        assert!(close(nnmt, 100.0 * (tn_s + nn_s) / (tn_v + nn_v)), "{nnmt}");
    }
);
