//! HTML pages: home, the public form, results.
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup, PreEscaped};

use crate::domain::account::Permission;
use crate::domain::campaign::CampaignStatus;
use crate::domain::ids::CampaignId;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::service::auth::Principal;
use crate::service::results;
use crate::service::{access, campaigns};
use crate::state::AppState;
use crate::web::form::form_path;
use crate::web::layout::{page, status_text, with_lang};
use crate::web::page_cache::PageCache;
use crate::web::results_page;
use crate::web::run_blocking;
use crate::web::LangQuery;

fn html_ok(m: Markup) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(m.into_string())
}

const STYLESHEET: &str = include_str!("app.css");
const FAVICON: &str = include_str!("favicon.svg");

/// A static file's validator: the start of its SHA-256, computed once.
fn etag_of(body: &str) -> String {
    use sha2::Digest;
    format!(
        "\"{}\"",
        &hex::encode(sha2::Sha256::digest(body.as_bytes()))[..16]
    )
}

/// A file compiled into the binary, with an ETag: a browser that has it
/// asks again with If-None-Match and gets 304 with no body.
fn static_file(
    req: &HttpRequest,
    body: &'static str,
    etag: &str,
    content_type: &str,
) -> HttpResponse {
    let fresh = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag.as_bytes());
    let mut resp = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    resp.insert_header((header::ETAG, etag.to_string()))
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"));
    if fresh {
        resp.finish()
    } else {
        resp.content_type(content_type.to_string()).body(body)
    }
}

pub async fn stylesheet(req: HttpRequest) -> HttpResponse {
    static ETAG: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| etag_of(STYLESHEET));
    static_file(&req, STYLESHEET, &ETAG, "text/css; charset=utf-8")
}

/// The site's icon, also where browsers look for it unasked (/favicon.ico).
pub async fn favicon(req: HttpRequest) -> HttpResponse {
    static ETAG: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| etag_of(FAVICON));
    static_file(&req, FAVICON, &ETAG, "image/svg+xml")
}

pub async fn home(
    state: web::Data<AppState>,
    q: web::Query<LangQuery>,
) -> Result<HttpResponse, AppError> {
    let lang = q.lang();
    let (campaigns, published) = run_blocking(&state, |_, conn| {
        Ok((campaigns::with_units(conn)?, campaigns::published(conn)?))
    })
    .await?;
    Ok(html_ok(page(
        lang,
        Msg::HomeTitle.get(lang),
        Some(&with_lang("/", lang.other())),
        html! {
            h1 { (Msg::HomeTitle.get(lang)) }
            p.muted { (Msg::AppTagline.get(lang)) }
            @if campaigns.is_empty() {
                div.notice {
                    p { (Msg::NoCampaigns.get(lang)) }
                    p { (Msg::FirstStepHint.get(lang)) " " code { "sipas demo" } }
                }
            }
            ul.campaigns {
                @for (c, units) in &campaigns {
                    li {
                        h2 { (c.name) }
                        p.muted {
                            (Msg::Period.get(lang)) ": " (c.period_start) " – " (c.period_end) " · "
                            (Msg::Status.get(lang)) ": " (status_text(c.status(), lang))
                        }
                        // Results are public only once published.
                        @if published.iter().any(|p| *p == c.id.as_str()) {
                            p { a href=(with_lang(&format!("/p/{}", c.id), lang)) { (Msg::ViewResults.get(lang)) } }
                        }
                        @if c.status() == CampaignStatus::Open {
                            details {
                                summary { (Msg::OpenForm.get(lang)) " (" (units.len()) " " (Msg::Units.get(lang).to_lowercase()) ")" }
                                ul {
                                    @for u in units {
                                        li { a href=(with_lang(&form_path(&c.id, &u.code), lang)) { (u.name) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )))
}

#[derive(Debug, serde::Deserialize)]
pub struct ResultsPageQuery {
    pub lang: Option<String>,
    /// Another campaign to measure changes against.
    pub compare: Option<String>,
}

pub async fn results(
    state: web::Data<AppState>,
    pages: web::Data<PageCache>,
    principal: Principal,
    path: web::Path<CampaignId>,
    q: web::Query<ResultsPageQuery>,
) -> Result<HttpResponse, AppError> {
    principal.require(Permission::ViewResults)?;
    let q = q.into_inner();
    let lang = LangQuery { lang: q.lang }.lang();
    let compare = q.compare.filter(|c| !c.is_empty());
    let id = path.into_inner();
    let mut self_path = format!("/campaigns/{id}/results");
    if let Some(c) = &compare {
        self_path = format!("{self_path}?compare={c}");
    }
    let scope = principal.scope.clone();
    let snapshot = run_blocking(&state, move |state, conn| {
        state.results_for(conn, &scope, &id, compare.as_deref())
    })
    .await?;
    let title = format!(
        "{}: {}",
        Msg::ResultsTitle.get(lang),
        snapshot.results.campaign_name
    );
    // The body is rendered once per version of the results, language and scope.
    let key = format!("{} {}", lang.code(), principal.scope.key());
    let body = pages.page(&snapshot, &key, |all| {
        let res = access::restricted(&principal.scope, all)?;
        let compare = res.compared_with.is_some();
        // Each unit's summary is kept too, so a new response re-renders
        // only the summaries of the units it changed.
        let section = |u: &results::UnitResult, anchor: &str| {
            let piece = pages.piece(&snapshot, lang.code(), &u.unit_code, anchor == "r", || {
                results_page::unit_summary(&res.campaign_id, u, anchor, lang, compare).into_string()
            });
            PreEscaped(piece.as_str().to_owned())
        };
        Ok(results_page::render(&res, &title, lang, &section).into_string())
    })?;
    Ok(html_ok(page(
        lang,
        &title,
        Some(&with_lang(&self_path, lang.other())),
        PreEscaped(body.as_str().to_owned()),
    )))
}

/// Which list of the results a unit's page reads: the campaign's units or
/// the levels above them.
#[derive(Debug, Clone, Copy, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitList {
    Units,
    Levels,
}

/// One unit's (or level's) page of results: every criterion, its answers,
/// points and breakdowns.
pub async fn unit_results(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(CampaignId, UnitList, String)>,
    q: web::Query<ResultsPageQuery>,
) -> Result<HttpResponse, AppError> {
    principal.require(Permission::ViewResults)?;
    let q = q.into_inner();
    let lang = LangQuery { lang: q.lang }.lang();
    let compare = q.compare.filter(|c| !c.is_empty());
    let (id, list, code) = path.into_inner();
    let kind = match list {
        UnitList::Units => "units",
        UnitList::Levels => "levels",
    };
    let mut self_path = format!("/campaigns/{id}/results/{kind}/{code}");
    let mut back = format!("/campaigns/{id}/results");
    if let Some(c) = &compare {
        self_path = format!("{self_path}?compare={c}");
        back = format!("{back}?compare={c}");
    }
    let scope = principal.scope.clone();
    let snapshot = run_blocking(&state, move |state, conn| {
        state.results_for(conn, &scope, &id, compare.as_deref())
    })
    .await?;
    let res = access::restricted(&principal.scope, &snapshot.results)?;
    let found = match list {
        UnitList::Units => res.units.iter().find(|u| u.unit_code == code),
        UnitList::Levels => res.rollups.iter().find(|u| u.unit_code == code),
    }
    .ok_or(AppError::NotFound)?;
    let title = format!("{}: {}", found.unit_name, res.campaign_name);
    let body = html! {
        p { a href=(with_lang(&back, lang)) { "← " (res.campaign_name) } }
        h1 { (found.unit_name) }
        (results_page::unit_detail(found, lang, res.compared_with.is_some()))
    };
    Ok(html_ok(page(
        lang,
        &title,
        Some(&with_lang(&self_path, lang.other())),
        body,
    )))
}

/// A campaign on a new tree reported by the units before the
/// reorganisation (`results::units_before`).
pub async fn units_before(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<CampaignId>,
    q: web::Query<ResultsPageQuery>,
) -> Result<HttpResponse, AppError> {
    principal.require(Permission::ViewResults)?;
    let q = q.into_inner();
    let lang = LangQuery { lang: q.lang }.lang();
    let compare = q.compare.filter(|c| !c.is_empty());
    let id = path.into_inner();
    let self_path = format!("/campaigns/{id}/results/units-before");
    let scope = principal.scope.clone();
    let res = run_blocking(&state, move |state, conn| {
        results::units_before(&state.templates, conn, &scope, &id, compare.as_deref())
    })
    .await?;
    let title = format!("{}: {}", Msg::UnitsBeforeTitle.get(lang), res.campaign_name);
    Ok(html_ok(page(
        lang,
        &title,
        Some(&with_lang(&self_path, lang.other())),
        results_page::units_before(&res, &title, lang),
    )))
}
