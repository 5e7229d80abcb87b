//! The officials' workspace: from /admin, every tool of a campaign is a
//! click away, followed here link by link as a person would.
use crate::db_test;
use crate::helpers::*;

/// Every `href` (and `formaction`) of a page, entities decoded.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "formaction=\"", "action=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').expect("closing quote");
            out.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    out
}

fn find<'a>(all: &'a [String], what: &str, part: &str) -> &'a str {
    all.iter()
        .find(|l| l.contains(part))
        .unwrap_or_else(|| panic!("a link to {what} ({part}) among {all:?}"))
}

db_test!(
    a_crawl_from_admin_reaches_every_tool_of_a_campaign,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", "SNV,P-HOANKIEM,P-BADINH");
        let admin = app.admin_client().await;
        let home = links(&admin.page("/admin").await);
        let list = links(
            &admin
                .page(find(&home, "the campaigns", "/admin/campaigns"))
                .await,
        );
        let hub_path = find(
            &list,
            "the campaign's page",
            &format!("/admin/campaigns/{id}"),
        )
        .to_string();
        let hub_html = admin.page(&hub_path).await;
        let hub = links(&hub_html);
        for (what, part) in [
            ("a poster", "/poster"),
            ("the poster sheet", "/posters"),
            ("a district's posters", "/posters?under=HN"),
            ("the paper form", "/print"),
            ("data entry", "/admin/entry/"),
            ("the open form", &format!("/s/{id}/P-HOANKIEM")),
            ("a short link", "/k/"),
            ("the results", &format!("/campaigns/{id}/results")),
            ("invitations", "/invitations"),
            ("mail wording", "/mail-wording"),
            ("the close switch", "/status?to=closed"),
            ("the ranking report", &format!("/campaigns/{id}/report")),
            ("the report as XLSX", "/report.xlsx"),
        ] {
            let target = find(&hub, what, part);
            let resp = admin.get(target).await;
            let status = resp.status().as_u16();
            assert!(status == 200 || status == 303, "{what} {target}: {status}");
        }
        assert!(
            hub.iter().any(|l| l.contains("/publish")),
            "the publish switch"
        );
        // Every export is a format button of one form with its filters.
        assert!(hub_html.contains("name=\"kind\"") && hub_html.contains("name=\"unit\""));
        assert!(hub_html.contains("name=\"from\"") && hub_html.contains("name=\"to\""));
        for ext in ["csv", "xlsx", "json", "ndjson"] {
            let target = find(&hub, ext, &format!("/export.{ext}"));
            let resp = admin
                .get(&format!("{target}?unit=P-HOANKIEM&from=&to="))
                .await;
            assert_eq!(resp.status(), 200, "{ext}");
        }
        // The poster sheet of the whole campaign has a poster per unit.
        let sheet = admin.page(&format!("/admin/campaigns/{id}/posters")).await;
        assert_eq!(sheet.matches("<article class=\"poster\">").count(), 3);
        // Closing asks first; the confirmation closes it.
        let confirm = admin
            .page(&format!("/admin/campaigns/{id}/status?to=closed"))
            .await;
        assert!(confirm.contains("Đóng đợt khảo sát"));
        let resp = admin
            .post(
                &format!("/admin/campaigns/{id}/status"),
                &[("status", "closed")],
            )
            .await;
        assert_eq!(resp.status(), 303);
        assert!(admin.page(&hub_path).await.contains("Đã đóng"));
    }
);

db_test!(
    the_dashboard_counts_today_the_week_and_the_total_against_target,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", "SNV,P-HOANKIEM,P-BADINH");
        let file = app.dir.path().join("transactions.csv");
        std::fs::write(
            &file,
            "unit_code,transactions\nSNV,400\nP-HOANKIEM,800\nP-BADINH,200\n",
        )
        .expect("write");
        app.cli_ok(&[
            "sample-size",
            "--campaign",
            &id,
            "--transactions",
            file.to_str().expect("path"),
        ]);
        crate::lineage::answer(&app, &id, "P-HOANKIEM", 3, 0).await;
        crate::lineage::answer(&app, &id, "P-BADINH", 1, 0).await;
        let admin = app.admin_client().await;
        let html = admin.page("/admin").await;
        let card = &html[html.find("class=\"pulse\"").expect("the campaign's card")..];
        let figure = |label: &str| -> String {
            let at = card
                .find(&format!("<dt>{label}</dt><dd>"))
                .unwrap_or_else(|| panic!("{label}"));
            let rest = &card[at + label.len() + 13..];
            rest[..rest.find("</dd>").expect("dd end")].to_string()
        };
        assert_eq!(figure("Hôm nay"), "4");
        assert_eq!(figure("7 ngày qua"), "4");
        assert_eq!(figure("Tổng"), "4");
        // Furthest behind first: the department has nothing yet.
        let behind = &card[card.find("class=\"behind\"").expect("units behind")..];
        let snv = behind.find("Sở Nội vụ").expect("SNV behind");
        let hk = behind.find("Phường Hoàn Kiếm").expect("HK behind");
        assert!(snv < hk, "{behind}");
        // A unit officer sees their own unit's figures only.
        let officer = app
            .create_user(&admin, "unit_officer", Some("P-HOANKIEM"))
            .await;
        let own = app
            .login(&officer, TEST_PASSWORD)
            .await
            .page("/admin")
            .await;
        let card = &own[own.find("class=\"pulse\"").expect("card")..];
        assert!(card.contains("<dt>Tổng</dt><dd>3</dd>"), "{card}");
        assert!(!card.contains("Sở Nội vụ"));
    }
);

db_test!(
    a_published_campaign_shows_its_ranking_report_to_everyone,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_small_sample_campaign("hn-mau-02", "SNV,STC,P-HOANKIEM,P-BADINH");
        crate::lineage::answer(&app, &id, "SNV", 9, 1).await;
        crate::lineage::answer(&app, &id, "STC", 5, 5).await;
        crate::lineage::answer(&app, &id, "P-HOANKIEM", 4, 1).await;
        crate::lineage::answer(&app, &id, "P-BADINH", 3, 1).await;
        // Not published: no public page, no link on the home page.
        assert_eq!(app.get(&format!("/p/{id}")).await.status(), 404);
        let home = app.get("/").await.text().await.expect("home");
        assert!(!home.contains(&format!("/p/{id}")) && !home.contains("Xem kết quả"));
        // An administrator publishes it from the campaign's page.
        let admin = app.admin_client().await;
        let resp = admin
            .post(
                &format!("/admin/campaigns/{id}/publish"),
                &[("publish", "1")],
            )
            .await;
        assert_eq!(resp.status(), 303);
        let audit = admin.page("/admin/audit").await;
        assert!(audit.contains("campaign_publish"));
        let home = app.get("/").await.text().await.expect("home");
        assert!(home.contains(&format!("/p/{id}")) && home.contains("Xem kết quả"));
        // The public report: no login, each block ranked, figures as the API gives them.
        let public = app.get(&format!("/p/{id}")).await;
        assert_eq!(public.status(), 200);
        let html = public.text().await.expect("report");
        let api = app
            .get_json(&format!("/api/v1/campaigns/{id}/results"))
            .await;
        for u in api["units"].as_array().expect("units") {
            let name = u["unit_name"].as_str().expect("name");
            let at = html
                .find(&format!(">{name}<"))
                .unwrap_or_else(|| panic!("{name}"));
            let row = &html[html[..at].rfind("<tr").expect("row")
                ..at + html[at..].find("</tr>").expect("end")];
            let rank = u["rank"].as_u64().expect("ranked").to_string();
            assert!(row.contains(&format!(">{rank}</td>")), "{name}: {row}");
            let rate =
                format!("{:.2}", u["overall"]["rate"].as_f64().expect("rate")).replace('.', ",");
            if u["respondents"].as_u64() < Some(5) {
                // Fewer than the template's min_cell: no figure in public.
                assert!(
                    row.contains(">ẩn<") && !row.contains(&rate),
                    "{name}: {row}"
                );
            } else {
                assert!(row.contains(&rate), "{name}: {row}");
            }
        }
        assert!(html.contains("Khối sở") && html.contains("Khối UBND xã, phường"));
        // The same report as a spreadsheet, read back by calamine.
        let bytes = app
            .get(&format!("/p/{id}/report.xlsx"))
            .await
            .bytes()
            .await
            .expect("xlsx");
        use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
        let mut book: Xlsx<_> =
            open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("xlsx");
        let sheet = book.worksheet_range("Báo cáo xếp hạng").expect("sheet");
        let rows: Vec<_> = sheet.rows().collect();
        assert_eq!(rows.len(), 1 + 4);
        let snv = rows
            .iter()
            .find(|r| r[2] == Data::String("SNV".into()))
            .expect("SNV row");
        assert_eq!(snv[1], Data::Float(1.0));
        assert!(
            matches!(snv[4], Data::Float(x) if (x - 90.0).abs() < 1e-9),
            "{:?}",
            snv[4]
        );
        // Withdrawn: gone again.
        admin
            .post(
                &format!("/admin/campaigns/{id}/publish"),
                &[("publish", "0")],
            )
            .await;
        assert_eq!(app.get(&format!("/p/{id}")).await.status(), 404);
    }
);

db_test!(
    the_web_creates_a_campaign_of_everything_under_a_unit_compared_with_another,
    |app: TestApp| async move {
        app.import_sample_units();
        let before = app.create_campaign("hn-mau-02", "SNV,P-HOANKIEM");
        let admin = app.admin_client().await;
        let form = admin.page("/admin/campaigns/new").await;
        assert!(form.contains("name=\"mode\"") && form.contains("name=\"previous\""));
        let resp = admin
            .post(
                "/admin/campaigns",
                &[
                    ("template", "hn-mau-02"),
                    ("name", "Khảo sát 2027"),
                    ("from", "2027-01-01"),
                    ("to", "2027-12-31"),
                    ("mode", "under"),
                    ("under", "HN"),
                    ("previous", &before),
                ],
            )
            .await;
        assert_eq!(resp.status(), 303);
        let hub = resp.headers()["location"]
            .to_str()
            .expect("location")
            .to_string();
        let html = admin.page(&hub).await;
        assert!(
            html.contains("Khảo sát 2027") && html.contains("So sánh với đợt"),
            "{html}"
        );
        let id = hub
            .trim_start_matches("/admin/campaigns/")
            .split('?')
            .next()
            .expect("id");
        let api = app
            .get_json(&format!("/api/v1/campaigns/{id}/results"))
            .await;
        let n = api["units"].as_array().expect("units").len();
        assert!(n > 2, "every unit under the city: {n}");
        assert_eq!(api["compared_with"]["id"], before.as_str());
    }
);

db_test!(
    every_template_version_has_a_preview_of_its_questionnaire,
    |app: TestApp| async move {
        app.import_sample_units();
        app.create_campaign("hn-mau-02", "SNV");
        let admin = app.admin_client().await;
        let form = links(&admin.page("/admin/campaigns/new").await);
        let list_html = admin
            .page(find(&form, "the templates", "/admin/templates"))
            .await;
        assert!(list_html.contains("hn-mau-02 v1") && list_html.contains("sipas-2023 v1"));
        let list = links(&list_html);
        let previews: Vec<&String> = list
            .iter()
            .filter(|l| l.contains("/admin/templates/"))
            .collect();
        assert!(previews.len() >= 4, "{previews:?}");
        for p in previews {
            let page = admin.get(p).await;
            assert_eq!(page.status(), 200, "{p}");
        }
        let mau02 = list_html[..list_html.find("hn-mau-02 v1").expect("row")]
            .rfind("<li>")
            .expect("li");
        let row = &list_html[mau02..];
        let href = links(row)
            .into_iter()
            .find(|l| l.contains("/admin/templates/"))
            .expect("link");
        // As a citizen sees it: the web form, numbered questions, nothing stored.
        let html = admin.page(&href).await;
        assert!(
            html.contains("Câu 1. Công chức có thái độ giao tiếp lịch sự"),
            "{html}"
        );
        assert!(html.contains("không lưu câu trả lời nào"), "{html}");
        let half = admin.post(&href, &[("_page", "0"), ("CC1", "5")]).await;
        assert_eq!(half.status(), 422);
        let half = half.text().await.expect("body");
        assert!(
            half.contains("error-summary") && half.contains("Câu 2."),
            "{half}"
        );
        assert!(
            half.contains(r#"value="5" checked"#),
            "the given answer is kept: {half}"
        );
        let criteria = [
            "CC1", "CC2", "CC3", "CC4", "KQ1", "KQ2", "PA1", "PA2", "PA3",
        ];
        let mut all: Vec<(&str, &str)> = criteria.iter().map(|c| (*c, "4")).collect();
        all.push(("_page", "0"));
        let done = admin.post(&href, &all).await;
        assert_eq!(done.status(), 200);
        let done = done.text().await.expect("body");
        assert!(done.contains("Hết phiếu (xem trước)"), "{done}");
        assert_eq!(app.count("responses"), 0, "a preview stores nothing");
        // And as the paper form.
        let paper = links(&html)
            .into_iter()
            .find(|l| l.ends_with("/paper") || l.contains("/paper?"))
            .expect("a link to the paper form");
        let paper = admin.page(&paper).await;
        assert!(
            paper.contains("CC1. </strong>Công chức có thái độ giao tiếp lịch sự"),
            "{paper}"
        );
    }
);
