//! HTML pages: home, the public form, results.
use actix_web::http::header;
use actix_web::{web, HttpResponse};
use maud::{html, Markup};

use crate::db;
use crate::domain::account::Permission;
use crate::domain::campaign::CampaignStatus;
use crate::error::AppError;
use crate::i18n::{Lang, Msg};
use crate::service::access;
use crate::service::auth::Principal;
use crate::service::results::{self, ComponentResult};
use crate::state::AppState;
use crate::web::form::form_path;
use crate::web::layout::{fmt_rate, page, with_lang};
use crate::web::LangQuery;

fn html_ok(m: Markup) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(m.into_string())
}

pub async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("app.css"))
}

fn status_text(s: CampaignStatus, lang: Lang) -> &'static str {
    match s {
        CampaignStatus::Draft => Msg::StatusDraft.get(lang),
        CampaignStatus::Open => Msg::StatusOpen.get(lang),
        CampaignStatus::Closed => Msg::StatusClosed.get(lang),
    }
}

pub async fn home(
    state: web::Data<AppState>,
    q: web::Query<LangQuery>,
) -> Result<HttpResponse, AppError> {
    let lang = q.lang();
    let campaigns = web::block(move || -> Result<_, AppError> {
        let mut conn = state.pool.get()?;
        let mut out = Vec::new();
        for c in db::campaigns::all(&mut conn)? {
            let units = db::campaigns::units_of(&mut conn, &c.id)?;
            out.push((c, units));
        }
        Ok(out)
    })
    .await??;
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
                    p { (Msg::FirstStepHint.get(lang)) " " code { "cargo run --release -- demo" } }
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
                        p { a href=(with_lang(&format!("/campaigns/{}/results", c.id), lang)) { (Msg::ViewResults.get(lang)) } }
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

fn component_rows(c: &ComponentResult, depth: usize, lang: Lang) -> Markup {
    html! {
        tr {
            th scope="row" class={ "d" (depth.min(3)) } { (c.code) " · " (c.title) }
            td.num { strong { (fmt_rate(c.rate, lang)) } }
            td.num {} td.num {}
        }
        @for sub in &c.components { (component_rows(sub, depth + 1, lang)) }
        @for i in &c.items {
            tr {
                td class={ "d" ((depth + 1).min(3)) } { (i.code) " · " (i.text) }
                td.num { (fmt_rate(i.rate, lang)) }
                td.num { (i.valid_n) }
                td.num { (i.satisfied_n) }
            }
        }
    }
}

pub async fn results(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<String>,
    q: web::Query<LangQuery>,
) -> Result<HttpResponse, AppError> {
    principal.require(Permission::ViewResults)?;
    let lang = q.lang();
    let id = path.into_inner();
    let self_path = format!("/campaigns/{id}/results");
    let mut res = web::block(move || {
        let mut conn = state.pool.get()?;
        results::campaign_results(&state, &mut conn, &id)
    })
    .await??;
    access::restrict_results(&principal.scope, &mut res)?;
    let title = format!("{}: {}", Msg::ResultsTitle.get(lang), res.campaign_name);
    Ok(html_ok(page(
        lang,
        &title,
        Some(&with_lang(&self_path, lang.other())),
        html! {
            h1 { (title) }
            p { a href={ "/api/v1/campaigns/" (res.campaign_id) "/results" } { "JSON" } }
            div.table-wrap {
                table {
                    caption.muted { (Msg::Overall.get(lang)) }
                    thead { tr { th scope="col" { (Msg::Unit.get(lang)) } th.num scope="col" { (Msg::Respondents.get(lang)) } th.num scope="col" { (Msg::Overall.get(lang)) } } }
                    tbody {
                        @for u in &res.units {
                            tr {
                                th scope="row" { a href={ "#u-" (u.unit_code) } { (u.unit_name) } }
                                td.num { (u.respondents) }
                                td.num { (fmt_rate(u.overall.rate, lang)) }
                            }
                        }
                    }
                }
            }
            @for u in &res.units {
                section id={ "u-" (u.unit_code) } {
                    h2 { (u.unit_name) " (" (u.unit_code) ")" }
                    p { (Msg::Respondents.get(lang)) ": " (u.respondents) " · " (Msg::Overall.get(lang)) ": " strong { (fmt_rate(u.overall.rate, lang)) } }
                    @if u.respondents > 0 {
                        div.table-wrap {
                            table {
                                thead { tr {
                                    th scope="col" { (Msg::Criterion.get(lang)) }
                                    th.num scope="col" { (Msg::Rate.get(lang)) }
                                    th.num scope="col" { (Msg::ValidN.get(lang)) }
                                    th.num scope="col" { (Msg::SatisfiedN.get(lang)) }
                                } }
                                tbody { @for c in &u.components { (component_rows(c, 0, lang)) } }
                            }
                        }
                    } @else {
                        p.muted { (Msg::NoData.get(lang)) }
                    }
                }
            }
        },
    )))
}
