//! /api/v1/openapi.json validates as OpenAPI 3, documents every
//! /api/v1 route the server registers, every documented GET answers, and
//! the bodies the server really sends (results, exports, problems, the
//! invitation POST) match the documented schemas field for field.
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

/// The document's schemas as one JSON Schema (draft 4, which OpenAPI 3.0's
/// schema objects extend): `#/components/schemas/X` becomes
/// `#/definitions/X`, `nullable` becomes a `null` type, and every object
/// that lists its properties gets `additionalProperties: false`, so a field
/// the server sends but the document does not name fails the test. (The
/// document itself stays open, so clients survive new fields.)
fn strict(v: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            for (k, x) in map {
                match (k.as_str(), x) {
                    ("$ref", Value::String(r)) => {
                        out.insert(
                            k.clone(),
                            Value::String(r.replace("#/components/schemas/", "#/definitions/")),
                        );
                    }
                    ("nullable" | "description" | "format" | "example", _) => {}
                    _ => {
                        out.insert(k.clone(), strict(x));
                    }
                }
            }
            if map.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(Value::String(t)) = map.get("type") {
                    out.insert("type".into(), serde_json::json!([t, "null"]));
                }
            }
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                out.insert("additionalProperties".into(), Value::Bool(false));
            }
            Value::Object(out)
        }
        Value::Array(list) => Value::Array(list.iter().map(strict).collect()),
        other => other.clone(),
    }
}

/// Checks real bodies against what the document says for a route.
struct Contract {
    doc: serde_json::Value,
    definitions: serde_json::Value,
}

impl Contract {
    fn new(doc: serde_json::Value) -> Contract {
        let definitions = strict(&doc["components"]["schemas"]);
        Contract { doc, definitions }
    }

    fn check(&self, path: &str, method: &str, status: u16, media: &str, body: &serde_json::Value) {
        let schema = &self.doc["paths"][path][method]["responses"][status.to_string()]["content"]
            [media]["schema"];
        assert!(
            !schema.is_null(),
            "{method} {path} {status} {media} is not documented"
        );
        let mut schema = strict(schema);
        schema["definitions"] = self.definitions.clone();
        let validator = jsonschema::draft4::new(&schema).expect("a valid JSON Schema");
        let errors: Vec<String> = validator
            .iter_errors(body)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{method} {path} {status}: the body does not match the document:\n{}",
            errors.join("\n")
        );
    }
}

db_test!(
    real_responses_match_the_documented_schemas,
    |app: TestApp| async move {
        use crate::sheets::{sheet, submit, template};
        let doc: serde_json::Value = app
            .get("/api/v1/openapi.json")
            .await
            .json()
            .await
            .expect("json");
        let contract = Contract::new(doc);
        let json = "application/json";
        let problem = "application/problem+json";

        // A campaign with answers (breakdowns, distributions) and a previous
        // one to compare with, so every optional part of the results shows.
        let t = template("sipas-2023.toml");
        app.import_sample_units();
        let previous = app.create_campaign("sipas-2023", "P-HOANKIEM,X-SOCSON");
        let id = app.create_campaign("sipas-2023", "P-HOANKIEM,X-SOCSON");
        for c in [&previous, &id] {
            for satisfied in [true, false, true, true, true, true] {
                submit(&app, c, "P-HOANKIEM", &sheet(&t, true, satisfied)).await;
            }
            submit(&app, c, "X-SOCSON", &sheet(&t, false, true)).await;
        }
        let key = app.api_key("analyst", None);
        let get = |path: String| {
            let key = key.clone();
            let app = &app;
            async move {
                let resp = app.api_get(&key, &path).await;
                let status = resp.status().as_u16();
                let ct = resp.headers()["content-type"]
                    .to_str()
                    .unwrap_or_default()
                    .to_string();
                (status, ct, resp.text().await.expect("body"))
            }
        };
        let parse = |s: &str| -> serde_json::Value { serde_json::from_str(s).expect("json body") };

        let (status, ct, body) = get("/api/v1/campaigns".into()).await;
        assert!(ct.starts_with(json));
        contract.check("/api/v1/campaigns", "get", status, json, &parse(&body));

        let results = "/api/v1/campaigns/{campaign}/results";
        let (status, _, body) =
            get(format!("/api/v1/campaigns/{id}/results?compare={previous}")).await;
        let body = parse(&body);
        assert!(body["units"][0]["breakdowns"].is_array() && body["compared_with"].is_object());
        contract.check(results, "get", status, json, &body);

        let (status, _, body) = get(format!(
            "/api/v1/campaigns/{id}/export.json?unit=P-HOANKIEM"
        ))
        .await;
        contract.check(
            "/api/v1/campaigns/{campaign}/export.json",
            "get",
            status,
            json,
            &parse(&body),
        );

        let (status, ct, body) = get(format!("/api/v1/campaigns/{id}/export.ndjson")).await;
        assert!(ct.starts_with("application/x-ndjson"), "{ct}");
        let lines: Vec<&str> = body.lines().collect();
        assert_eq!(lines.len(), 7);
        for line in lines {
            contract.check(
                "/api/v1/campaigns/{campaign}/export.ndjson",
                "get",
                status,
                "application/x-ndjson",
                &parse(line),
            );
        }

        // Errors are the documented problem documents.
        let (status, ct, body) = get("/api/v1/campaigns/nope/results".into()).await;
        assert_eq!((status, ct.as_str()), (404, problem));
        contract.check(results, "get", status, problem, &parse(&body));
        let (status, _, body) =
            get(format!("/api/v1/campaigns/{id}/export.csv?from=31/12/2026")).await;
        assert_eq!(status, 400);
        contract.check(
            "/api/v1/campaigns/{campaign}/export.csv",
            "get",
            status,
            problem,
            &parse(&body),
        );
        let resp = app.get(&format!("/api/v1/campaigns/{id}/results")).await;
        assert_eq!(resp.status(), 401);
        contract.check(
            results,
            "get",
            401,
            problem,
            &resp.json().await.expect("json"),
        );

        // The one-stop system's POST: created, then the same invitation.
        let system = app.api_key("unit_officer", Some("P-HOANKIEM"));
        let body = serde_json::json!({
            "campaign_id": id, "unit_code": "P-HOANKIEM", "dossier_id": "HS-2026-1"
        });
        for expected in [201, 200] {
            let resp = app
                .client
                .post(format!("{}/api/v1/invitations", app.address))
                .bearer_auth(&system)
                .json(&body)
                .send()
                .await
                .expect("POST");
            assert_eq!(resp.status().as_u16(), expected);
            let reply: serde_json::Value = resp.json().await.expect("json");
            contract.check("/api/v1/invitations", "post", expected, json, &reply);
        }
    }
);
