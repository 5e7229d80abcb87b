//! Admin: one page per campaign that reaches everything it has: each unit's
//! links, short links and posters (per service too), the poster sheets, the
//! paper form, data entry, invitations and mail wording, results, every
//! export as a form, its settings, and closing it (after a confirmation).
use actix_web::{web, HttpResponse};
use maud::{html, Markup};

use super::kit::{ok, ManageCampaigns, Official, ViewResults};
use super::{admin_page, Ctx};
use crate::domain::account::Permission;
use crate::domain::campaign::CampaignStatus;
use crate::domain::ids::CampaignId;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::service::campaign_overview::{self, Overview, UnitLine};
use crate::service::campaigns as campaign_cases;
use crate::service::export::Kind;
use crate::service::short_links::{self, Codes};
use crate::web::form::form_path;
use crate::web::layout::status_text;
use crate::web::poster::{poster, Poster};
use crate::web::qr;

fn path_of(id: &str, rest: &str) -> String {
    format!("/admin/campaigns/{id}{rest}")
}

/// A unit's links: form, short link, poster, paper form, data entry.
fn unit_links(ctx: &Ctx, o: &Overview, line: &UnitLine, codes: &Codes) -> Markup {
    let id = o.campaign.id.as_str();
    let form = form_path(id, &line.unit.code);
    let code = codes.get(&(line.unit.id.to_string(), String::new()));
    let entry = ctx.principal.can(Permission::EnterPaperForms);
    html! {
        li.unit-links {
            strong lang="vi" { (line.unit.name) }
            " "
            span.muted.small {
                "n = " (line.respondents)
                @if let Some(t) = line.target { " / " (t) }
            }
            br;
            a href=(form) { (ctx.t(Msg::OpenForm)) }
            @if let Some(c) = code { " · " a href={ "/k/" (c) } { "/k/" (c) } }
            " · " a href={ (form) "/poster" } { (ctx.t(Msg::PrintPoster)) }
            " · " a href={ (form) "/print" } { (ctx.t(Msg::PaperForm)) }
            @if entry { " · " a href=(ctx.href(&format!("/admin/entry/{id}/{}", line.unit.code))) { (ctx.t(Msg::DataEntry)) } }
            @if !o.services.is_empty() {
                details {
                    summary { (ctx.t(Msg::ByService)) " (" (o.services.len()) ")" }
                    ul { @for s in &o.services {
                        li {
                            span lang="vi" { (s.name) } " (" (s.code) "): "
                            a href={ (form) "?dv=" (s.code) } { (ctx.t(Msg::OpenForm)) }
                            @if let Some(c) = codes.get(&(line.unit.id.to_string(), s.code.clone())) { " · " a href={ "/k/" (c) } { "/k/" (c) } }
                            " · " a href={ (form) "/poster?dv=" (s.code) } { (ctx.t(Msg::PrintPoster)) }
                        }
                    } }
                }
            }
        }
    }
}

/// Every export, with the unit and period filters, as one GET form: the
/// buttons choose the format (no JavaScript).
fn exports_form(ctx: &Ctx, o: &Overview) -> Markup {
    let id = o.campaign.id.as_str();
    let api = format!("/api/v1/campaigns/{id}");
    html! {
        form.exports method="get" action={ (api) "/export.csv" } {
            div.field {
                label for="kind" { (ctx.t(Msg::ExportTable)) }
                select #kind name="kind" {
                    @for k in Kind::ALL { option value=(k.as_str()) { (k.as_str()) } }
                }
            }
            div.field {
                label for="unit" { (ctx.t(Msg::Unit)) }
                select #unit name="unit" {
                    option value="" { (ctx.t(Msg::AllUnits)) }
                    @for u in &o.units { option value=(u.unit.code) { (u.unit.name) " (" (u.unit.code) ")" } }
                }
            }
            div.field {
                label for="from" { (ctx.t(Msg::PeriodFrom)) }
                input #from type="date" name="from" min=(o.campaign.period_start) max=(o.campaign.period_end);
            }
            div.field {
                label for="to" { (ctx.t(Msg::PeriodTo)) }
                input #to type="date" name="to" min=(o.campaign.period_start) max=(o.campaign.period_end);
            }
            div.actions {
                button type="submit" { "CSV" }
                button.secondary type="submit" formaction={ (api) "/export.xlsx" } { "XLSX" }
                button.secondary type="submit" formaction={ (api) "/export.json" } { "JSON" }
                button.secondary type="submit" formaction={ (api) "/export.ndjson" } { "NDJSON" }
            }
            p.muted.small { (ctx.t(Msg::ExportNote)) }
        }
    }
}

fn publish_switch(ctx: &Ctx, id: &str, published: Option<chrono::NaiveDate>) -> Markup {
    html! {
        @if let Some(d) = published {
            p { (ctx.t(Msg::PublishedNote)) " " a href={ "/p/" (id) } { "/p/" (id) } " (" (d) ")." }
        } @else {
            p { (ctx.t(Msg::NotPublishedNote)) }
        }
        @if ctx.principal.can(Permission::ManageCampaigns) {
            form.inline method="post" action=(ctx.href(&path_of(id, "/publish"))) {
                (ctx.csrf_field())
                input type="hidden" name="publish" value=(if published.is_some() { "0" } else { "1" });
                @if published.is_some() {
                    button.secondary type="submit" { (ctx.t(Msg::Unpublish)) }
                } @else {
                    button type="submit" { (ctx.t(Msg::Publish)) }
                }
            }
        }
    }
}

fn body(ctx: &Ctx, o: &Overview, codes: &Codes, published: Option<chrono::NaiveDate>) -> Markup {
    let c = &o.campaign;
    let id = c.id.as_str();
    let manage = ctx.principal.can(Permission::ManageCampaigns);
    let invitations = ctx.principal.can(Permission::ManageInvitations);
    let with_targets = o.units.iter().filter(|u| u.target.is_some()).count();
    html! {
        h1 { (c.name) }
        p {
            (status_text(c.status(), ctx.lang)) " · " (c.period_start) " – " (c.period_end)
            " · " (o.template_key) " v" (o.template_version)
            " · " (o.units.len()) " " (ctx.t(Msg::Units).to_lowercase())
            " · " (ctx.t(Msg::Respondents)) ": " strong { (o.respondents()) }
        }
        nav aria-label=(ctx.t(Msg::OnThisPage)) {
            ul.inline-list {
                li { a href="#collect" { (ctx.t(Msg::Collecting)) } }
                li { a href="#results" { (ctx.t(Msg::ResultsTitle)) } }
                li { a href="#exports" { (ctx.t(Msg::Exports)) } }
                li { a href="#settings" { (ctx.t(Msg::Settings)) } }
            }
        }
        section aria-labelledby="results" {
            h2 #results { (ctx.t(Msg::ResultsTitle)) }
            ul {
                li { a href=(ctx.href(&format!("/campaigns/{id}/results"))) { (ctx.t(Msg::ViewResults)) } }
                li {
                    a href=(ctx.href(&format!("/campaigns/{id}/report"))) { (ctx.t(Msg::Report)) }
                    " · " a href=(format!("/campaigns/{id}/report.xlsx")) { "XLSX" }
                }
                @if let Some(p) = &o.previous {
                    li { (ctx.t(Msg::ComparedWith)) ": " (p.name) }
                    li { a href=(ctx.href(&format!("/campaigns/{id}/results/units-before"))) { (ctx.t(Msg::UnitsBeforeLink)) } }
                }
                li { a href=(format!("/api/v1/campaigns/{id}/results")) { (ctx.t(Msg::ResultsJson)) } }
            }
            (publish_switch(ctx, id, published))
        }
        section aria-labelledby="collect" {
            h2 #collect { (ctx.t(Msg::Collecting)) }
            p {
                a href=(ctx.href(&path_of(id, "/posters"))) { (ctx.t(Msg::PosterSheetAll)) }
                @for (level, n) in &o.levels {
                    " · " a href=(ctx.href(&path_of(id, &format!("/posters?under={}", level.code)))) { (ctx.t(Msg::PosterSheetOf)) " " span lang="vi" { (level.name) } " (" (n) ")" }
                }
            }
            @if invitations {
                p {
                    a href=(ctx.href(&path_of(id, "/invitations"))) { (ctx.t(Msg::Invitations)) }
                    " · " a href=(ctx.href(&path_of(id, "/mail-wording"))) { (ctx.t(Msg::MailWording)) }
                }
            }
            ul.unit-list { @for line in &o.units { (unit_links(ctx, o, line, codes)) } }
        }
        section aria-labelledby="exports" {
            h2 #exports { (ctx.t(Msg::Exports)) }
            (exports_form(ctx, o))
        }
        section aria-labelledby="settings" {
            h2 #settings { (ctx.t(Msg::Settings)) }
            dl {
                dt { (ctx.t(Msg::ComparedWith)) }
                dd { @if let Some(p) = &o.previous { (p.name) } @else { "—" } }
                dt { (ctx.t(Msg::Target)) }
                dd { (with_targets) " / " (o.units.len()) " " (ctx.t(Msg::Units).to_lowercase()) }
                dt { (ctx.t(Msg::Services)) }
                dd { @if o.services.is_empty() { "—" } @else { (o.services.len()) } }
            }
            @if manage {
                p { a href=(ctx.href(&path_of(id, "/settings"))) { (ctx.t(Msg::ChangeSettings)) } }
                @let (to, label) = match c.status() {
                    CampaignStatus::Open => (CampaignStatus::Closed, Msg::CloseCampaign),
                    _ => (CampaignStatus::Open, Msg::OpenCampaign),
                };
                p { a.button href=(ctx.href(&path_of(id, &format!("/status?to={}", to.as_str())))) { (ctx.t(label)) } }
            }
        }
    }
}

pub async fn show(
    me: Official<ViewResults>,
    path: web::Path<CampaignId>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let scope = me.ctx.principal.scope.clone();
    let (o, codes, published) = me
        .run(move |_, conn| {
            let o = campaign_overview::overview(conn, &scope, &id)?;
            let codes = short_links::ensure(conn, &o.campaign.id)?;
            let published = campaign_cases::published_on(conn, &o.campaign.id)?;
            Ok((o, codes, published))
        })
        .await?;
    let here = path_of(o.campaign.id.as_str(), "");
    let page = body(&me.ctx, &o, &codes, published);
    Ok(ok(admin_page(&me.ctx, &here, &o.campaign.name, page)))
}

#[derive(serde::Deserialize)]
pub struct SheetQuery {
    /// A level's code: the posters of the campaign's units under it.
    under: Option<String>,
}

/// A sheet of posters, one per A4 page: the whole campaign, or the units
/// under one level (a district).
pub async fn posters(
    me: Official<ViewResults>,
    req: actix_web::HttpRequest,
    path: web::Path<CampaignId>,
    q: web::Query<SheetQuery>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let scope = me.ctx.principal.scope.clone();
    let (o, codes, template) = me
        .run(move |state, conn| {
            let o = campaign_overview::overview(conn, &scope, &id)?;
            let codes = short_links::ensure(conn, &o.campaign.id)?;
            let template = state.templates.get(conn, &o.campaign.template_id)?;
            Ok((o, codes, template))
        })
        .await?;
    let base = crate::web::api::base_url(&me.state, &req);
    let lang = me.ctx.lang;
    let lines = campaign_overview::units_under(&o, q.under.as_deref());
    let mut sheets = Vec::new();
    for line in &lines {
        let Some(code) = codes.get(&(line.unit.id.to_string(), String::new())) else {
            continue;
        };
        let url = format!("{base}/k/{code}");
        let svg = qr::svg(&url).map_err(|e| AppError::internal("QR code", e))?;
        let form = form_path(o.campaign.id.as_str(), &line.unit.code);
        sheets.push(poster(
            &Poster {
                campaign: &o.campaign,
                unit_name: &line.unit.name,
                service: None,
                template: &template,
                url: &url,
                qr_svg: &svg,
                form_path: &form,
            },
            lang,
        ));
    }
    let here = path_of(o.campaign.id.as_str(), "/posters");
    let title = me.ctx.t(Msg::PosterSheetAll);
    Ok(ok(admin_page(
        &me.ctx,
        &here,
        title,
        html! {
            div.sheet-note {
                h1 { (title) ": " (o.campaign.name) }
                p { (sheets.len()) " " (me.ctx.t(Msg::PostersPrintNote)) }
                p { a href=(me.ctx.href(&path_of(o.campaign.id.as_str(), ""))) { "← " (o.campaign.name) } }
            }
            @for s in sheets { (s) }
        },
    )))
}

#[derive(serde::Deserialize)]
pub struct StatusQuery {
    to: String,
}

/// Opening or closing a campaign asks first: closing stops every link.
pub async fn confirm_status(
    me: Official<ManageCampaigns>,
    path: web::Path<CampaignId>,
    q: web::Query<StatusQuery>,
) -> Result<HttpResponse, AppError> {
    let to = match CampaignStatus::parse(q.to.trim()) {
        Some(s @ (CampaignStatus::Open | CampaignStatus::Closed)) => s,
        _ => return Err(AppError::BadRequest("to must be open or closed".into())),
    };
    let id = path.into_inner();
    let scope = me.ctx.principal.scope.clone();
    let o = me
        .run(move |_, conn| campaign_overview::overview(conn, &scope, &id))
        .await?;
    let ctx = &me.ctx;
    let id = o.campaign.id.as_str();
    let (question, action) = match to {
        CampaignStatus::Closed => (Msg::CloseConfirm, Msg::CloseCampaign),
        _ => (Msg::OpenConfirm, Msg::OpenCampaign),
    };
    Ok(ok(admin_page(
        ctx,
        &path_of(id, "/status"),
        ctx.t(action),
        html! {
            h1 { (ctx.t(action)) ": " (o.campaign.name) }
            p { (ctx.t(question)) }
            p { (ctx.t(Msg::Respondents)) ": " (o.respondents()) }
            form.inline method="post" action=(ctx.href(&path_of(id, "/status"))) {
                (ctx.csrf_field())
                input type="hidden" name="status" value=(to.as_str());
                button type="submit" { (ctx.t(action)) }
            }
            a href=(ctx.href(&path_of(id, ""))) { (ctx.t(Msg::Cancel)) }
        },
    )))
}

#[derive(serde::Deserialize)]
pub struct PublishForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    publish: String,
}

crate::csrf_forms!(PublishForm);

/// Publishing makes the ranking report public at /p/{id}; withdrawing it
/// takes it down. Either is audited.
pub async fn set_published(
    me: Official<ManageCampaigns>,
    path: web::Path<CampaignId>,
    super::kit::Checked(form): super::kit::Checked<PublishForm>,
) -> Result<HttpResponse, AppError> {
    let on = match form.publish.as_str() {
        "1" => Some(crate::clock::today()),
        "0" => None,
        _ => return Err(AppError::BadRequest("publish must be 1 or 0".into())),
    };
    let (id, actor) = (path.into_inner(), me.actor());
    let back = path_of(id.as_str(), "");
    let found = me
        .run(move |_, conn| Ok(campaign_cases::set_published(conn, &actor, &id, on)?))
        .await?;
    if !found {
        return Err(AppError::NotFound);
    }
    Ok(super::see_other(&me.ctx.href(&back)))
}
