//! The OpenAPI 3.0 document of /api/v1, at /api/v1/openapi.json.
//! A test checks that every /api/v1 route is documented here and that
//! every documented GET answers.
use actix_web::HttpResponse;
use serde_json::{json, Value};

use crate::service::export::Kind;

fn problem(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } }
    })
}

fn errors() -> Value {
    json!({
        "400": problem("Bad input: the detail says which parameter and why."),
        "401": problem("No or unknown API key."),
        "403": problem("The key's role or unit does not allow this."),
        "404": problem("No such campaign."),
    })
}

fn with_errors(mut ok: Value) -> Value {
    if let (Some(map), Value::Object(errs)) = (ok.as_object_mut(), errors()) {
        map.extend(errs);
    }
    ok
}

fn campaign_param() -> Value {
    json!({ "name": "campaign", "in": "path", "required": true, "description": "Campaign id.", "schema": { "type": "string" } })
}

fn filter_params() -> Vec<Value> {
    vec![
        campaign_param(),
        json!({ "name": "unit", "in": "query", "description": "A unit code: that unit and everything below it.", "schema": { "type": "string" } }),
        json!({ "name": "from", "in": "query", "description": "First day of submission (included).", "schema": { "type": "string", "format": "date" } }),
        json!({ "name": "to", "in": "query", "description": "Last day of submission (included).", "schema": { "type": "string", "format": "date" } }),
        json!({ "name": "compare", "in": "query", "description": "Campaign id to measure changes against (default: the campaign's stored previous campaign).", "schema": { "type": "string" } }),
    ]
}

fn download(media: &str, description: &str, schema: Value) -> Value {
    json!({ "200": { "description": description, "content": { media: { "schema": schema } } } })
}

/// The document.
pub fn document() -> Value {
    let mut csv_params = filter_params();
    csv_params.push(json!({
        "name": "kind", "in": "query",
        "description": "Which table (default summary).",
        "schema": { "type": "string", "enum": Kind::ALL.map(Kind::as_str) }
    }));
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "sipas API",
            "version": "1",
            "description": "Results and exports of citizen-satisfaction surveys (SIPAS, PAR Index). Authenticate with `Authorization: Bearer sipas_…` (an API key from `sipas api-keys create`). Analysts read everything; a unit officer's key sees its unit's subtree only. Errors are RFC 9457 problem documents."
        },
        "servers": [{ "url": "/" }],
        "security": [{ "apiKey": [] }],
        "paths": {
            "/api/v1/openapi.json": {
                "get": {
                    "summary": "This document.",
                    "security": [],
                    "responses": download("application/json", "The OpenAPI document.", json!({ "type": "object" }))
                }
            },
            "/api/v1/campaigns": {
                "get": {
                    "summary": "Campaigns in the caller's scope, with each unit's public form URL.",
                    "responses": with_errors(download("application/json", "Campaign list.", json!({
                        "type": "object",
                        "required": ["campaigns"],
                        "properties": { "campaigns": { "type": "array", "items": { "$ref": "#/components/schemas/Campaign" } } }
                    })))
                }
            },
            "/api/v1/campaigns/{campaign}/results": {
                "get": {
                    "summary": "Results per unit and per level above the units, from the counts kept at submit time.",
                    "parameters": [
                        campaign_param(),
                        { "name": "compare", "in": "query", "description": "Campaign id to measure changes against.", "schema": { "type": "string" } }
                    ],
                    "responses": with_errors(download("application/json", "Results.", json!({ "$ref": "#/components/schemas/Results" })))
                }
            },
            "/api/v1/campaigns/{campaign}/results/units-before": {
                "get": {
                    "summary": "A campaign on a new tree reported by the units before the reorganisation (old districts, or old departments): each new unit's counts divided among its predecessors in proportion to what each brought, pooled and scored; respondents are estimates. Officials who see every unit only.",
                    "parameters": [
                        campaign_param(),
                        { "name": "compare", "in": "query", "description": "Campaign id (on the old tree) to measure changes against.", "schema": { "type": "string" } }
                    ],
                    "responses": with_errors(download("application/json", "The old units with their estimated figures.", json!({ "type": "object", "required": ["campaign_id", "campaign_name", "units"], "properties": {
                        "campaign_id": { "type": "string" }, "campaign_name": { "type": "string" },
                        "compared_with": { "type": "object" },
                        "units": { "type": "array", "items": { "$ref": "#/components/schemas/UnitResult" } }
                    } })))
                }
            },
            "/api/v1/campaigns/{campaign}/export.csv": {
                "get": {
                    "summary": "One table as CSV (UTF-8 with a BOM), streamed.",
                    "parameters": csv_params,
                    "responses": with_errors(download("text/csv", "The table; the first row names the columns.", json!({ "type": "string" })))
                }
            },
            "/api/v1/campaigns/{campaign}/export.xlsx": {
                "get": {
                    "summary": "Workbook with sheets Summary, Units, Criteria, Distributions, Breakdowns (small cells suppressed), Responses (anonymised) and Codebook.",
                    "parameters": filter_params(),
                    "responses": with_errors(download("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "The workbook.", json!({ "type": "string", "format": "binary" })))
                }
            },
            "/api/v1/campaigns/{campaign}/export.json": {
                "get": {
                    "summary": "The results JSON with the export filters.",
                    "parameters": filter_params(),
                    "responses": with_errors(download("application/json", "Results.", json!({ "$ref": "#/components/schemas/Results" })))
                }
            },
            "/api/v1/campaigns/{campaign}/export.ndjson": {
                "get": {
                    "summary": "Anonymised responses, one JSON object per line, streamed.",
                    "parameters": filter_params(),
                    "responses": with_errors(download("application/x-ndjson", "One AnonymisedResponse per line.", json!({ "$ref": "#/components/schemas/AnonymisedResponse" })))
                }
            },
            "/api/v1/invitations": {
                "post": {
                    "summary": "Invite the citizen of a completed dossier (one-stop systems).",
                    "requestBody": {
                        "required": true,
                        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/InvitationRequest" } } }
                    },
                    "responses": with_errors(json!({
                        "201": { "description": "Invitation created.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Invitation" } } } },
                        "200": { "description": "This dossier of this unit was already invited: the same invitation.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Invitation" } } } },
                        "409": problem("Another unit already used this dossier_id in this campaign; nothing of its invitation is returned."),
                        "410": problem("The campaign is not open.")
                    }))
                }
            }
        },
        "components": {
            "securitySchemes": {
                "apiKey": { "type": "http", "scheme": "bearer", "description": "An API key: sipas_…" }
            },
            "schemas": schemas()
        }
    })
}

/// The schemas of every body the API sends or takes.
fn schemas() -> Value {
    let mut all = json!({
        "Problem": {
            "type": "object",
            "required": ["type", "title", "status", "detail"],
            "properties": {
                "type": { "type": "string", "description": "A stable name of the kind of error, `urn:sipas:problem:KIND`: not-found, bad-request, campaign-not-open, conflict, unauthorized, forbidden, stale-form, internal.", "enum": ["urn:sipas:problem:not-found", "urn:sipas:problem:bad-request", "urn:sipas:problem:campaign-not-open", "urn:sipas:problem:conflict", "urn:sipas:problem:unauthorized", "urn:sipas:problem:forbidden", "urn:sipas:problem:stale-form", "urn:sipas:problem:internal"] },
                "title": { "type": "string" },
                "status": { "type": "integer" },
                "detail": { "type": "string" }
            }
        },
        "Campaign": {
            "type": "object",
            "required": ["id", "name", "status", "period_start", "period_end", "template", "results_url", "units"],
            "properties": {
                "id": { "type": "string" },
                "name": { "type": "string" },
                "status": { "type": "string" },
                "period_start": { "type": "string", "format": "date" },
                "period_end": { "type": "string", "format": "date" },
                "template": { "$ref": "#/components/schemas/TemplateRef" },
                "results_url": { "type": "string" },
                "units": { "type": "array", "items": { "type": "object", "required": ["unit_code", "unit_name", "form_url"], "properties": {
                    "unit_code": { "type": "string" }, "unit_name": { "type": "string" }, "form_url": { "type": "string" }
                } } }
            }
        },
        "AnonymisedResponse": {
            "type": "object",
            "required": ["seq", "unit_code", "submitted_on", "answers"],
            "properties": {
                "seq": { "type": "integer", "description": "A running number, not the response id." },
                "unit_code": { "type": "string" },
                "service_code": { "type": "string", "nullable": true },
                "submitted_on": { "type": "string", "format": "date" },
                "answers": { "type": "object", "additionalProperties": { "type": "array", "items": { "type": "integer" } }, "description": "Item code → chosen option values; free text is never exported." }
            }
        },
        "InvitationRequest": {
            "type": "object",
            "required": ["campaign_id", "unit_code", "dossier_id"],
            "properties": {
                "campaign_id": { "type": "string" },
                "unit_code": { "type": "string" },
                "service_code": { "type": "string" },
                "dossier_id": { "type": "string" },
                "email": { "type": "string", "format": "email" }
            }
        },
        "Invitation": {
            "type": "object",
            "required": ["invitation_id", "url", "status"],
            "properties": {
                "invitation_id": { "type": "string" },
                "url": { "type": "string" },
                "status": { "type": "string" }
            }
        }
    });
    if let Some(map) = all.as_object_mut() {
        map.extend(result_schemas());
    }
    all
}

/// The results' schemas (split out of `schemas` to keep each `json!` small).
fn result_schemas() -> serde_json::Map<String, Value> {
    match json!({
        "Change": {
            "type": "object",
            "required": ["current", "previous", "delta", "estimated"],
            "properties": {
                "current": { "type": "number", "nullable": true },
                "previous": { "type": "number", "nullable": true },
                "delta": { "type": "number", "nullable": true, "description": "Percentage points." },
                "estimated": { "type": "boolean", "description": "The previous figure is estimated from the units before a reorganisation: their pooled counts, a whole link bringing all of an old unit's counts and a part link its share (or an equal split)." }
            }
        },
        "Item": {
            "type": "object",
            "description": "A criterion (scored item).",
            "required": ["code", "text", "text_en", "valid_n", "satisfied_n", "rate", "ci95", "low_sample"],
            "properties": {
                "code": { "type": "string" }, "text": { "type": "string" }, "text_en": { "type": "string" },
                "valid_n": { "type": "integer", "description": "Answers counted (excluded answers such as 'no opinion' left out)." },
                "satisfied_n": { "type": "integer" },
                "rate": { "type": "number", "nullable": true, "description": "Percent satisfied, full precision." },
                "ci95": { "type": "array", "nullable": true, "items": { "type": "number" }, "minItems": 2, "maxItems": 2, "description": "Wilson 95 % interval, percent." },
                "low_sample": { "type": "boolean" },
                "change": { "$ref": "#/components/schemas/Change" }
            }
        },
        "Component": {
            "type": "object",
            "description": "A scored section: domain, component indicator or content area.",
            "required": ["code", "title", "title_en", "rate", "valid_n", "low_sample", "items"],
            "properties": {
                "code": { "type": "string" }, "title": { "type": "string" }, "title_en": { "type": "string" },
                "rate": { "type": "number", "nullable": true }, "valid_n": { "type": "integer" },
                "low_sample": { "type": "boolean" },
                "change": { "$ref": "#/components/schemas/Change" },
                "components": { "type": "array", "items": { "$ref": "#/components/schemas/Component" } },
                "items": { "type": "array", "items": { "$ref": "#/components/schemas/Item" } }
            }
        },
        "Distribution": {
            "type": "object",
            "description": "Shares of each option of a choice item (free text is never published). Shares are of the respondents who answered the item; for a multiple-choice item they may add up to more than 100.",
            "required": ["code", "text", "text_en", "section", "scored", "multiple", "respondents", "n", "options"],
            "properties": {
                "code": { "type": "string" }, "text": { "type": "string" }, "text_en": { "type": "string" },
                "section": { "type": "string" },
                "scored": { "type": "boolean" },
                "multiple": { "type": "boolean", "description": "Several options may be chosen (e.g. N2 information channels, N4 ways of giving input)." },
                "respondents": { "type": "integer", "description": "Respondents who answered the item (chose at least one option): the base of every share." },
                "n": { "type": "integer", "description": "Answers given among the options: for a multiple-choice item its ticks (a respondent may give several); otherwise equal to respondents." },
                "options": { "type": "array", "items": {
                    "type": "object",
                    "required": ["value", "label", "label_en", "count", "share", "excluded", "satisfied"],
                    "properties": {
                        "value": { "type": "integer" }, "label": { "type": "string" }, "label_en": { "type": "string" },
                        "count": { "type": "integer", "description": "Respondents who chose this option (its ticks, for a multiple-choice item)." },
                        "share": { "type": "number", "description": "Percent of the item's respondents: 100 × count / respondents, full precision." },
                        "excluded": { "type": "boolean", "description": "An answer such as \"Không biết\" that stays out of a rate's denominator." },
                        "satisfied": { "type": "boolean", "description": "The answer counts as satisfied in the item's rate." }
                    }
                } }
            }
        },
        "Breakdown": {
            "type": "object",
            "description": "The index by the answer to one breakdown item (gender, age band, education). A group with fewer respondents than the template's min_cell is suppressed: no figure is given.",
            "required": ["code", "text", "text_en", "groups"],
            "properties": {
                "code": { "type": "string" }, "text": { "type": "string" }, "text_en": { "type": "string" },
                "groups": { "type": "array", "items": {
                    "type": "object",
                    "required": ["value", "label", "label_en", "suppressed", "respondents", "rate", "components"],
                    "properties": {
                        "value": { "type": "integer" }, "label": { "type": "string" }, "label_en": { "type": "string" },
                        "suppressed": { "type": "boolean" },
                        "respondents": { "type": "integer", "nullable": true },
                        "rate": { "type": "number", "nullable": true },
                        "components": { "type": "array", "items": {
                            "type": "object",
                            "required": ["code", "rate"],
                            "properties": { "code": { "type": "string" }, "rate": { "type": "number", "nullable": true } }
                        } }
                    }
                } }
            }
        },
        "Points": {
            "type": "object",
            "description": "PAR templates: points per field and in total.",
            "required": ["total", "max_total", "fields"],
            "properties": {
                "total": { "type": "number" }, "max_total": { "type": "number" },
                "fields": { "type": "array", "items": {
                    "type": "object",
                    "required": ["code", "points", "max_points", "items"],
                    "properties": {
                        "code": { "type": "string" }, "points": { "type": "number" }, "max_points": { "type": "number" },
                        "items": { "type": "array", "items": {
                            "type": "object",
                            "required": ["code", "points", "max_points"],
                            "properties": { "code": { "type": "string" }, "points": { "type": "number", "nullable": true }, "max_points": { "type": "number" } }
                        } }
                    }
                } }
            }
        },
        "UnitResult": {
            "type": "object",
            "required": ["unit_code", "unit_name", "unit_kind", "respondents", "target", "rank", "block", "standing", "band", "overall", "components", "distributions"],
            "properties": {
                "unit_code": { "type": "string" }, "unit_name": { "type": "string" }, "unit_kind": { "type": "string", "enum": ["city", "department", "district", "urban_district", "rural_district", "town", "ward", "commune", "township"] },
                "respondents": { "type": "integer" },
                "target": { "type": "integer", "nullable": true, "description": "Sample target from `sipas sample-size --campaign`." },
                "rank": { "type": "integer", "nullable": true, "description": "1 = best within the unit's block; ties share a rank on the template's decimals. Null unless standing is ranked." },
                "block": { "type": "string", "enum": ["departments", "districts", "communes", "city"], "description": "The group the unit is ranked in: blocks are ranked apart, as Hà Nội publishes them." },
                "standing": { "type": "string", "enum": ["ranked", "too_few_respondents", "level", "no_data"], "description": "Whether the unit takes a place in its block's ranking: too_few_respondents below the template's rank_min_respondents; level for a unit with other campaign units below it (shown among the roll-ups) and for every roll-up." },
                "band": { "type": "string", "nullable": true, "description": "The band of the overall rate, by the template's bands (default A ≥ 90, B ≥ 80, C ≥ 70, D below)." },
                "units_included": { "type": "array", "items": { "type": "string" }, "description": "Roll-ups: the units pooled here." },
                "rank_before": { "type": "integer", "description": "With a comparison: the rank of the unit's baseline among this campaign's units." },
                "estimated_from": { "type": "array", "items": { "type": "string" }, "description": "Across a reorganisation: the codes of the compared campaign's units whose counts make this unit's baseline." },
                "overall": { "type": "object", "required": ["rate", "valid_n", "low_sample"], "properties": {
                    "rate": { "type": "number", "nullable": true }, "valid_n": { "type": "integer" },
                    "low_sample": { "type": "boolean" }, "points": { "type": "number" },
                    "change": { "$ref": "#/components/schemas/Change" }
                } },
                "components": { "type": "array", "items": { "$ref": "#/components/schemas/Component" } },
                "distributions": { "type": "array", "items": { "$ref": "#/components/schemas/Distribution" } },
                "points": { "$ref": "#/components/schemas/Points" },
                "breakdowns": { "type": "array", "items": { "$ref": "#/components/schemas/Breakdown" } }
            }
        },
        "Results": {
            "type": "object",
            "required": ["campaign_id", "campaign_name", "status", "template", "settings", "units", "rollups"],
            "properties": {
                "campaign_id": { "type": "string" },
                "campaign_name": { "type": "string" },
                "status": { "type": "string" },
                "template": { "$ref": "#/components/schemas/TemplateRef" },
                "settings": { "type": "object", "required": ["aggregation", "rollup", "low_sample_n", "decimals", "rank_min_respondents", "bands"], "properties": {
                    "rank_min_respondents": { "type": "integer", "description": "Units with fewer respondents are listed as too_few_respondents and not ranked." },
                    "bands": { "type": "object", "required": ["a", "b", "c"], "properties": { "a": { "type": "number" }, "b": { "type": "number" }, "c": { "type": "number" } }, "description": "Lower bounds of bands A, B and C in percent." },
                    "aggregation": { "type": "string", "enum": ["mean", "pooled"] },
                    "rollup": { "type": "string", "enum": ["counts", "mean"] },
                    "low_sample_n": { "type": "integer" },
                    "decimals": { "type": "integer" }
                } },
                "compared_with": { "type": "object", "required": ["id", "name"], "properties": { "id": { "type": "string" }, "name": { "type": "string" } } },
                "units": { "type": "array", "items": { "$ref": "#/components/schemas/UnitResult" } },
                "rollups": { "type": "array", "items": { "$ref": "#/components/schemas/UnitResult" } }
            }
        },
        "TemplateRef": {
            "type": "object",
            "required": ["key", "version"],
            "properties": { "key": { "type": "string" }, "version": { "type": "integer" } }
        }
    }) {
        Value::Object(map) => map,
        _ => serde_json::Map::new(),
    }
}

pub async fn openapi() -> HttpResponse {
    HttpResponse::Ok().json(document())
}
