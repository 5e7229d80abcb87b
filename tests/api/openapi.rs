//! Issue 7: /api/v1/openapi.json validates as OpenAPI 3, documents every
//! /api/v1 route the server registers, and every documented GET answers.
use crate::db_test;
use crate::helpers::*;

/// The /api/v1 routes registered in src/web/mod.rs (the `web::scope("/api/v1")` block).
fn registered_routes() -> Vec<(String, String)> {
    let src = std::fs::read_to_string(manifest_dir().join("src/web/mod.rs")).expect("read routes");
    let start = src.find("web::scope(\"/api/v1\")").expect("the api scope");
    let block = &src[start..];
    let end = block.find(".configure(").unwrap_or(block.len());
    let block = &block[..end];
    let mut out = Vec::new();
    let mut rest = block;
    while let Some(i) = rest.find(".route(") {
        rest = &rest[i + ".route(".len()..];
        let path = rest.split('"').nth(1).expect("a quoted path").to_string();
        let method = ["get", "post", "put", "delete", "patch"]
            .into_iter()
            .find(|m| {
                let call = format!("web::{m}()");
                rest.find(&call)
                    .is_some_and(|j| rest[..j].matches(".route(").count() == 0)
            })
            .expect("a method")
            .to_string();
        out.push((format!("/api/v1{path}"), method));
    }
    out
}

db_test!(
    openapi_document_matches_the_server,
    |app: TestApp| async move {
        let resp = app.get("/api/v1/openapi.json").await;
        assert_eq!(resp.status(), 200, "public, no key needed");
        let doc: serde_json::Value = resp.json().await.expect("json");
        let parsed: openapiv3::OpenAPI =
            serde_json::from_value(doc.clone()).expect("a valid OpenAPI 3.0 document");
        assert!(parsed.openapi.starts_with("3.0"));

        let routes = registered_routes();
        assert!(routes.len() >= 7, "{routes:?}");
        for (path, method) in &routes {
            let item = parsed
                .paths
                .paths
                .get(path)
                .and_then(|p| p.as_item())
                .unwrap_or_else(|| panic!("{path} is not documented"));
            let op = match method.as_str() {
                "get" => item.get.as_ref(),
                "post" => item.post.as_ref(),
                "put" => item.put.as_ref(),
                "delete" => item.delete.as_ref(),
                _ => item.patch.as_ref(),
            };
            assert!(op.is_some(), "{method} {path} is not documented");
        }

        // Every documented GET answers 200 for a real campaign with an analyst key.
        app.import_sample_units();
        let id = app.create_campaign("sipas-2023", "P-HOANKIEM,P-BADINH");
        let mut checked = 0;
        for (path, item) in &parsed.paths.paths {
            let Some(item) = item.as_item() else { continue };
            if item.get.is_none() {
                continue;
            }
            let url = path.replace("{campaign}", &id);
            let key = app
                .analyst_key
                .get_or_init(|| app.api_key("analyst", None))
                .clone();
            let resp = app.api_get(&key, &url).await;
            assert_eq!(resp.status(), 200, "GET {url}");
            checked += 1;
            // Documented errors are real: an unknown campaign is a problem+json 404.
            if path.contains("{campaign}") {
                let resp = app.api_get(&key, &path.replace("{campaign}", "nope")).await;
                assert_eq!(resp.status(), 404, "GET {path} with an unknown campaign");
                let ct = resp.headers()["content-type"]
                    .to_str()
                    .unwrap_or_default()
                    .to_string();
                assert!(ct.starts_with("application/problem+json"), "{ct}");
            }
        }
        assert!(checked >= 7);
        // Routes documented ahead of the server (the invitations endpoint lands
        // with the lead's branch) must be registered once they exist: any POST
        // documented and registered answers something other than 404.
        for (path, method) in routes.iter().filter(|(_, m)| m == "post") {
            let resp = app
                .client
                .post(format!("{}{path}", app.address))
                .json(&serde_json::json!({}))
                .send()
                .await
                .expect("POST");
            assert_ne!(resp.status(), 404, "{method} {path}");
        }
    }
);
