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
        ] {
            let target = find(&hub, what, part);
            let resp = admin.get(target).await;
            let status = resp.status().as_u16();
            assert!(status == 200 || status == 303, "{what} {target}: {status}");
        }
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
