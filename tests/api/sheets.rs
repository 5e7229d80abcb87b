//! The shipped SIPAS 2023 questionnaire filled in through the real form:
//! answer sheets, a paged submit that follows the server's skip logic, and
//! lookups in the results JSON. Shared by the measurement and export tests.
use serde_json::Value;
use sipas::domain::template::Template;

use crate::helpers::*;

pub fn template(name: &str) -> Template {
    let path = manifest_dir().join("survey-templates").join(name);
    let source = std::fs::read_to_string(&path).expect("read template");
    Template::parse(name, &source).expect("valid template")
}

/// A full SIPAS 2023 answer sheet. `tthc`: N8 says the person handled an
/// administrative procedure. SVC items are always sent; the server must drop
/// them when N8 says no. `satisfied` picks 5 or 2 on every satisfaction item.
pub fn sheet(t: &Template, tthc: bool, satisfied: bool) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    for item in &t.items {
        let value = match item.code.as_str() {
            "N2" => {
                fields.push(("N2".to_string(), "1".to_string()));
                "6"
            }
            "N8-3" if tthc => "1",
            c if c.starts_with("N8-") => "2",
            "N1" | "N3" | "N7" => "3",
            "N4" => "2",
            "N5" | "N6" | "GIOI_TINH" => "1",
            c if c.starts_with('E') && c.len() <= 3 => "4",
            c if c.starts_with("P-") || c.starts_with("S-") => {
                if satisfied {
                    "5"
                } else {
                    "2"
                }
            }
            _ => continue,
        };
        fields.push((item.code.to_string(), value.to_string()));
    }
    fields
}

/// Post a complete sheet, stepping through the form's pages (skip logic
/// splits the questionnaire) until the response is stored.
pub async fn submit(app: &TestApp, id: &str, unit: &str, fields: &[(String, String)]) {
    let mut page = "0".to_string();
    for _ in 0..5 {
        let mut posted = fields.to_vec();
        posted.push(("_page".to_string(), page.clone()));
        let resp = app.post_form(&format!("/s/{id}/{unit}"), &posted).await;
        if resp.status() == 303 {
            return;
        }
        let status = resp.status();
        let html = resp.text().await.unwrap_or_default();
        assert_eq!(status, 200, "{html}");
        let marker = "name=\"_page\" value=\"";
        let start = html
            .find(marker)
            .map(|i| i + marker.len())
            .expect("a next page");
        page = html[start..].split('"').next().unwrap_or("0").to_string();
    }
    panic!("the form never finished");
}

/// The first node (component or item) with this code anywhere in a unit's
/// tree of the results JSON.
pub fn node<'a>(u: &'a Value, code: &str) -> &'a Value {
    fn walk<'a>(v: &'a Value, code: &str) -> Option<&'a Value> {
        if v["code"] == code {
            return Some(v);
        }
        ["components", "items"]
            .iter()
            .filter_map(|k| v[*k].as_array())
            .flatten()
            .find_map(|c| walk(c, code))
    }
    u["components"]
        .as_array()
        .expect("components")
        .iter()
        .find_map(|c| walk(c, code))
        .unwrap_or_else(|| panic!("{code} in {}", u["unit_code"]))
}
