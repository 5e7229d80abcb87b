//! JSON API v1.
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use crate::domain::account::Permission;
use crate::domain::campaign::CampaignStatus;
use crate::domain::ids::CampaignId;
use crate::error::ApiError;
use crate::service::auth::Principal;
use crate::service::templates::TemplateRecord;
use crate::service::{self, results};
use crate::state::AppState;
use crate::web::form::form_path;
use crate::web::run_blocking;

pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    let backend = state.backend.name();
    let db_ok = run_blocking(&state, |_, conn| service::database_answers(conn))
        .await
        .is_ok();
    let body =
        serde_json::json!({ "status": if db_ok { "ok" } else { "degraded" }, "database": backend });
    if db_ok {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}

/// The absolute base URL for links we hand out.
pub fn base_url(state: &AppState, req: &HttpRequest) -> String {
    match &state.settings.base_url {
        Some(b) => b.trim_end_matches('/').to_string(),
        None => {
            let info = req.connection_info();
            format!("{}://{}", info.scheme(), info.host())
        }
    }
}

#[derive(Serialize)]
struct CampaignUnitJson {
    unit_code: String,
    unit_name: String,
    form_url: String,
}

#[derive(Serialize)]
struct CampaignJson {
    id: String,
    name: String,
    status: CampaignStatus,
    period_start: String,
    period_end: String,
    template: results::TemplateRef,
    results_url: String,
    units: Vec<CampaignUnitJson>,
}

pub async fn campaigns(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ViewResults)?;
    let base = base_url(&state, &req);
    let scope = principal.scope;
    let list = run_blocking(&state, move |_, conn| {
        let templates: std::collections::HashMap<String, TemplateRecord> =
            service::templates::all(conn)?
                .into_iter()
                .map(|t| (t.id.clone(), t))
                .collect();
        let mut out = Vec::new();
        for (c, units) in service::campaigns::visible(conn, &scope)? {
            let t = templates.get(&c.template_id);
            out.push(CampaignJson {
                units: units
                    .into_iter()
                    .map(|u| CampaignUnitJson {
                        form_url: format!("{base}{}", form_path(&c.id, &u.code)),
                        unit_code: u.code.into(),
                        unit_name: u.name,
                    })
                    .collect(),
                results_url: format!("{base}/api/v1/campaigns/{}/results", c.id),
                template: results::TemplateRef {
                    key: t.map(|t| t.key.clone()).unwrap_or_default(),
                    version: t.map(|t| t.version).unwrap_or_default(),
                },
                period_start: c.period_start.to_string(),
                period_end: c.period_end.to_string(),
                id: c.id.into(),
                name: c.name,
                status: c.status,
            });
        }
        Ok(out)
    })
    .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "campaigns": list })))
}

#[derive(Debug, serde::Deserialize)]
pub struct ResultsQuery {
    /// Another campaign to measure changes against.
    pub compare: Option<String>,
}

pub async fn results(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<CampaignId>,
    q: web::Query<ResultsQuery>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ViewResults)?;
    let id = path.into_inner();
    let compare = q.into_inner().compare.filter(|c| !c.is_empty());
    let scope = principal.scope.clone();
    let body = run_blocking(&state, move |state, conn| {
        state
            .results_for(conn, &scope, &id, compare.as_deref())?
            .json_for(&scope)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type(actix_web::http::header::ContentType::json())
        .body(body))
}

/// The campaign reported by the units before the reorganisation
/// (`results::units_before`).
pub async fn units_before(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<CampaignId>,
    q: web::Query<ResultsQuery>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ViewResults)?;
    let id = path.into_inner();
    let compare = q.into_inner().compare.filter(|c| !c.is_empty());
    let scope = principal.scope.clone();
    let res = run_blocking(&state, move |state, conn| {
        crate::service::results::units_before(
            &state.templates,
            conn,
            &scope,
            &id,
            compare.as_deref(),
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(res))
}

/// A one-stop system asks for the personal link of a returned dossier.
/// 201 with a new link; 200 with the same link when the dossier already has one.
pub async fn issue_invitation(
    state: web::Data<AppState>,
    req: HttpRequest,
    principal: Principal,
    body: web::Json<crate::service::invitations::IssueRequest>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ManageInvitations)?;
    let base = base_url(&state, &req);
    let scope = principal.scope.clone();
    let issued = run_blocking(&state, move |_, conn| {
        crate::service::invitations::issue_for_dossier(conn, &scope, &body)
    })
    .await?;
    let body = serde_json::json!({
        "invitation_id": issued.invitation_id,
        "url": format!("{base}{}", crate::service::invitations::link_path(&issued.token)),
        "status": issued.status,
    });
    Ok(if issued.created {
        HttpResponse::Created().json(body)
    } else {
        HttpResponse::Ok().json(body)
    })
}
