//! Admin: a campaign's settings at /admin/campaigns/{id}/settings, the web
//! face of what the CLI sets after creation: the previous campaign to compare
//! with, sample targets from the sample-size planner (n for a population, or
//! a plan per unit from a transactions file) and the public services.
use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use maud::{html, Markup};

use super::kit::{Checked, ListUpload, ManageCampaigns, Official};
use super::{admin_page, error_box, html_status, list_fields, row_errors, Ctx};
use crate::domain::ids::CampaignId;
use crate::error::AppError;
use crate::i18n::{Lang, Msg};
use crate::service::campaign_overview::{self, Overview};
use crate::service::campaigns::{self as campaign_cases, CampaignError, CampaignRecord};
use crate::service::targets::{self, PlanError};

/// The margin of error the planner starts with (methodology §2.4: e = 5 %).
const DEFAULT_MARGIN: f64 = 0.05;

/// What the page shows besides the stored settings.
#[derive(Default)]
struct Outcome {
    notice: Option<String>,
    errors: Vec<String>,
    /// The population calculator's answer: (N, e, n).
    computed: Option<(u64, f64, u64)>,
    /// Text pasted into a list form, given back after an error.
    targets_text: String,
    services_text: String,
}

/// A margin for a form field: the decimal point HTML number inputs take.
fn margin_text(m: f64) -> String {
    format!("{m}")
}

/// A margin for reading, in the reader's number format (0,05 in Vietnamese).
fn margin_shown(m: f64, lang: Lang) -> String {
    match lang {
        Lang::Vi => margin_text(m).replace('.', ","),
        Lang::En => margin_text(m),
    }
}

fn page(ctx: &Ctx, o: &Overview, others: &[CampaignRecord], out: &Outcome) -> Markup {
    let c = &o.campaign;
    let base = format!("/admin/campaigns/{}/settings", c.id);
    let title = ctx.t(Msg::Settings);
    let planned: u64 = o.units.iter().filter_map(|u| u.target).sum();
    let margin = out.computed.map_or(DEFAULT_MARGIN, |(_, e, _)| e);
    admin_page(
        ctx,
        "/admin/campaigns",
        title,
        html! {
            p { a href=(ctx.href(&format!("/admin/campaigns/{}", c.id))) { "← " (c.name) } }
            h1 { (title) ": " (c.name) }
            @if let Some(n) = &out.notice { div.notice role="status" { p { (n) } } }
            (error_box(ctx, &out.errors))

            section aria-labelledby="previous" {
                h2 #previous { (ctx.t(Msg::ComparedWith)) }
                form method="post" action=(ctx.href(&format!("{base}/previous"))) {
                    (ctx.csrf_field())
                    div.field {
                        label for="previous_id" { (ctx.t(Msg::PreviousCampaign)) }
                        select #previous_id name="previous" {
                            option value="" selected[o.previous.is_none()] { "— " (ctx.t(Msg::NoPreviousCampaign)) " —" }
                            @for p in others {
                                option value=(p.id) selected[o.previous.as_ref().is_some_and(|q| q.id == p.id)] {
                                    (p.name) " (" (p.period_start) " – " (p.period_end) ")"
                                }
                            }
                        }
                    }
                    button type="submit" { (ctx.t(Msg::SaveSetting)) }
                }
            }

            section aria-labelledby="targets" {
                h2 #targets { (ctx.t(Msg::Target)) }
                p.muted { (ctx.t(Msg::SampleRule)) }
                h3 { (ctx.t(Msg::PlanForPopulation)) }
                // A GET form drops its action's query: the language rides as a field.
                form method="get" action=(base) {
                    input type="hidden" name="lang" value=(ctx.lang.code());
                    div.field {
                        label for="population" { (ctx.t(Msg::Population)) }
                        input #population type="number" name="population" min="1" required
                            value=[out.computed.map(|(n, _, _)| n)];
                    }
                    div.field {
                        label for="margin" { (ctx.t(Msg::Margin)) }
                        input #margin type="number" name="margin" min="0.001" max="0.5" step="0.001" required value=(margin_text(margin));
                    }
                    button type="submit" { (ctx.t(Msg::Compute)) }
                }
                @if let Some((n, e, size)) = out.computed {
                    p role="status" { (ctx.t(Msg::Population)) " " (n) ", e = " (margin_shown(e, ctx.lang)) ": " strong { "n = " (size) } }
                }
                h3 { (ctx.t(Msg::PlanFromTransactions)) }
                form method="post" action=(ctx.href(&format!("{base}/targets"))) enctype="multipart/form-data" {
                    (ctx.csrf_field())
                    p.muted #targets_hint {
                        (ctx.t(Msg::TransactionsHint)) " "
                        a href=(format!("{base}/transactions.csv")) { (ctx.t(Msg::TransactionsSheet)) }
                    }
                    (list_fields(ctx, "targets", &out.targets_text))
                    div.field {
                        label for="plan_margin" { (ctx.t(Msg::Margin)) }
                        input #plan_margin type="number" name="margin" min="0.001" max="0.5" step="0.001" required value=(margin_text(DEFAULT_MARGIN));
                    }
                    button type="submit" { (ctx.t(Msg::StoreTargets)) }
                }
                div.table-wrap role="region" aria-labelledby="targets_caption" tabindex="0" {
                    table {
                        caption #targets_caption { (ctx.t(Msg::Target)) ": " (planned) }
                        thead { tr {
                            th scope="col" { (ctx.t(Msg::Unit)) }
                            th.num scope="col" { (ctx.t(Msg::Target)) }
                            th.num scope="col" { (ctx.t(Msg::Respondents)) }
                        } }
                        tbody { @for u in &o.units {
                            tr {
                                th scope="row" { span lang="vi" { (u.unit.name) } " (" (u.unit.code) ")" }
                                td.num { @if let Some(t) = u.target { (t) } @else { "—" } }
                                td.num { (u.respondents) }
                            }
                        } }
                    }
                }
            }

            section aria-labelledby="services" {
                h2 #services { (ctx.t(Msg::Services)) }
                @if o.services.is_empty() {
                    p { (ctx.t(Msg::NoServices)) }
                } @else {
                    ul { @for s in &o.services { li { code { (s.code) } " " span lang="vi" { (s.name) } } } }
                }
                form method="post" action=(ctx.href(&format!("{base}/services"))) enctype="multipart/form-data" {
                    (ctx.csrf_field())
                    p.muted #services_hint { (ctx.t(Msg::ServicesHint)) }
                    (list_fields(ctx, "services", &out.services_text))
                    button type="submit" { (ctx.t(Msg::StoreServices)) }
                }
            }
        },
    )
}

/// The settings page with what was done (200) or what was wrong (422).
async fn render(
    me: &Official<ManageCampaigns>,
    id: CampaignId,
    out: Outcome,
) -> Result<HttpResponse, AppError> {
    let status = if out.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let scope = me.principal().scope.clone();
    let (o, others) = me
        .run(move |_, conn| {
            let o = campaign_overview::overview(conn, &scope, &id)?;
            let others: Vec<CampaignRecord> = campaign_cases::all(conn)?
                .into_iter()
                .filter(|c| c.id != id)
                .collect();
            Ok((o, others))
        })
        .await?;
    Ok(html_status(status, page(&me.ctx, &o, &others, &out)))
}

#[derive(serde::Deserialize)]
pub struct PlannerQuery {
    population: Option<String>,
    margin: Option<String>,
}

pub async fn show(
    me: Official<ManageCampaigns>,
    path: web::Path<CampaignId>,
    q: web::Query<PlannerQuery>,
) -> Result<HttpResponse, AppError> {
    let mut out = Outcome::default();
    // The calculator stores nothing, so it is a GET the reader can bookmark.
    if let Some(pop) = q.population.as_deref().filter(|s| !s.trim().is_empty()) {
        let margin = q.margin.as_deref().unwrap_or("0.05");
        match (pop.trim().parse::<u64>(), parse_margin(margin)) {
            (Ok(n), Ok(e)) if n > 0 => match targets::for_population(n, e) {
                Ok(size) => out.computed = Some((n, e, size)),
                Err(e) => out.errors.push(e.to_string()),
            },
            (Ok(_) | Err(_), Ok(_)) => out.errors.push(me.ctx.t(Msg::BadPopulation).into()),
            (_, Err(e)) => out.errors.push(e),
        }
    }
    render(&me, path.into_inner(), out).await
}

fn parse_margin(s: &str) -> Result<f64, String> {
    let s = s.trim().replace(',', ".");
    let m: f64 = s
        .parse()
        .map_err(|_| PlanError::Margin(f64::NAN).to_string())?;
    targets::check_margin(m).map_err(|e| e.to_string())
}

pub async fn store_targets(
    me: Official<ManageCampaigns>,
    path: web::Path<CampaignId>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let form = ListUpload::read(payload, &me.session).await?;
    let mut out = Outcome {
        targets_text: form.kept_text().to_string(),
        ..Outcome::default()
    };
    match parse_margin(form.field("margin")) {
        Err(e) => out.errors.push(e),
        Ok(margin) => {
            let (actor, lang, cid, bytes) = (me.actor(), me.ctx.lang, id.clone(), form.bytes());
            let planned = me
                .run(move |_, conn| {
                    match targets::plan_campaign(conn, &actor, &cid, "csv", &bytes, margin) {
                        Ok((total, plan)) => Ok(Ok((total, plan.len()))),
                        Err(PlanError::Rows { sheet, errors, .. }) => {
                            Ok(Err(row_errors(lang, sheet.as_deref(), &errors)))
                        }
                        Err(PlanError::Db(e)) => Err(e.into()),
                        Err(PlanError::NoCampaign(_)) => Err(AppError::NotFound),
                        Err(e) => Ok(Err(vec![e.to_string()])),
                    }
                })
                .await?;
            match planned {
                Ok((total, units)) => {
                    out.notice = Some(Msg::TargetsStored.fill(me.ctx.lang, &[&total, &units]));
                    out.targets_text.clear();
                }
                Err(errors) => out.errors = errors,
            }
        }
    }
    render(&me, id, out).await
}

/// A use case's refusal as the form's messages, a line each (Ok(Err));
/// a database error stays a server error.
fn shown<T>(r: Result<T, CampaignError>) -> Result<Result<T, Vec<String>>, AppError> {
    match r {
        Ok(v) => Ok(Ok(v)),
        Err(CampaignError::Db(e)) => Err(e.into()),
        Err(other) => Ok(Err(other
            .to_string()
            .lines()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect())),
    }
}

pub async fn store_services(
    me: Official<ManageCampaigns>,
    path: web::Path<CampaignId>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let form = ListUpload::read(payload, &me.session).await?;
    let (actor, cid, bytes) = (me.actor(), id.clone(), form.bytes());
    let stored = me
        .run(move |_, conn| {
            shown(campaign_cases::set_services_list(
                conn, &actor, &cid, "csv", &bytes,
            ))
        })
        .await?;
    let out = match stored {
        Ok(n) => Outcome {
            notice: Some(Msg::ServicesStored.fill(me.ctx.lang, &[&n])),
            ..Outcome::default()
        },
        Err(errors) => Outcome {
            errors,
            services_text: form.kept_text().to_string(),
            ..Outcome::default()
        },
    };
    render(&me, id, out).await
}

#[derive(serde::Deserialize)]
pub struct PreviousForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    previous: String,
}
crate::csrf_forms!(PreviousForm);

pub async fn store_previous(
    me: Official<ManageCampaigns>,
    path: web::Path<CampaignId>,
    Checked(form): Checked<PreviousForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let previous = if form.previous.is_empty() {
        None
    } else {
        Some(CampaignId::parse(&form.previous).map_err(|e| AppError::BadRequest(e.to_string()))?)
    };
    let (actor, cid) = (me.actor(), id.clone());
    let stored = me
        .run(move |_, conn| {
            shown(campaign_cases::set_previous(
                conn,
                &actor,
                &cid,
                previous.as_ref(),
            ))
        })
        .await?;
    let out = match stored {
        Ok(()) => Outcome {
            notice: Some(me.ctx.t(Msg::SettingSaved).into()),
            ..Outcome::default()
        },
        Err(errors) => Outcome {
            errors,
            ..Outcome::default()
        },
    };
    render(&me, id, out).await
}

/// A sheet to fill in: the campaign's unit codes and names, with the
/// transactions column left for the official to complete.
pub async fn transactions_sheet(
    me: Official<ManageCampaigns>,
    path: web::Path<CampaignId>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let scope = me.principal().scope.clone();
    let o = me
        .run(move |_, conn| campaign_overview::overview(conn, &scope, &id))
        .await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let row_err = |e: csv::Error| AppError::internal("transactions sheet", e);
    w.write_record(["unit_code", "transactions", "unit_name"])
        .map_err(row_err)?;
    for u in &o.units {
        w.write_record([u.unit.code.as_str(), "", u.unit.name.as_str()])
            .map_err(row_err)?;
    }
    let body = w
        .into_inner()
        .map_err(|e| AppError::internal("transactions sheet", e.into_error()))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!(
                "attachment; filename=\"transactions-{}.csv\"",
                o.campaign.id
            ),
        ))
        .body(body))
}
