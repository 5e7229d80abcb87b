//! Admin: the campaign list, creating a campaign, opening and closing it.
use std::collections::BTreeMap;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use maud::{html, Markup};

use super::{admin_page, error_box, html_status, see_other, Ctx};
use crate::cli::campaigns::{self as create_campaign, CampaignError, NewCampaign, UnitSelection};
use crate::db::{self, campaigns::CampaignRecord, units::UnitRecord};
use crate::domain::account::Permission;
use crate::domain::campaign::CampaignStatus;
use crate::error::AppError;
use crate::i18n::{Lang, Msg};
use crate::service::access;
use crate::service::auth::Principal;
use crate::state::AppState;
use crate::web::auth::check_csrf;
use crate::web::LangQuery;

pub fn status_text(s: CampaignStatus, lang: Lang) -> &'static str {
    match s {
        CampaignStatus::Draft => Msg::StatusDraft.get(lang),
        CampaignStatus::Open => Msg::StatusOpen.get(lang),
        CampaignStatus::Closed => Msg::StatusClosed.get(lang),
    }
}

pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    session: Session,
    q: web::Query<LangQuery>,
) -> Result<HttpResponse, AppError> {
    principal.require(Permission::ViewResults)?;
    let ctx = Ctx::new(principal, &session, q.lang());
    let scope = ctx.principal.scope.clone();
    let rows = web::block(move || -> Result<Vec<(CampaignRecord, usize)>, AppError> {
        let mut conn = state.pool.get()?;
        let mut out = Vec::new();
        for c in db::campaigns::all(&mut conn)? {
            let units = access::visible_units(&scope, db::campaigns::units_of(&mut conn, &c.id)?);
            if !units.is_empty() {
                out.push((c, units.len()));
            }
        }
        Ok(out)
    })
    .await??;
    let manage = ctx.principal.can(Permission::ManageCampaigns);
    let title = ctx.t(Msg::AdminCampaigns);
    Ok(html_status(
        StatusCode::OK,
        admin_page(
            &ctx,
            "/admin/campaigns",
            title,
            html! {
                h1 { (title) }
                @if manage { p { a href=(ctx.href("/admin/campaigns/new")) { (ctx.t(Msg::NewCampaign)) } } }
                @if rows.is_empty() { p.muted { (ctx.t(Msg::NoCampaigns)) } }
                @else {
                    div.table-wrap { table {
                        thead { tr {
                            th scope="col" { (ctx.t(Msg::CampaignName)) }
                            th scope="col" { (ctx.t(Msg::Period)) }
                            th scope="col" { (ctx.t(Msg::Status)) }
                            th.num scope="col" { (ctx.t(Msg::Units)) }
                            th scope="col" { span.hp { (ctx.t(Msg::Actions)) } }
                        } }
                        tbody { @for (c, n) in &rows {
                            tr {
                                th scope="row" { (c.name) }
                                td { (c.period_start) " – " (c.period_end) }
                                td { (status_text(c.status(), ctx.lang)) }
                                td.num { (n) }
                                td {
                                    a href=(ctx.href(&format!("/campaigns/{}/results", c.id))) { (ctx.t(Msg::ViewResults)) }
                                    @if ctx.principal.can(Permission::ManageInvitations) {
                                        " " a href=(ctx.href(&format!("/admin/campaigns/{}/invitations", c.id))) { (ctx.t(Msg::Invitations)) }
                                    }
                                    @if manage { (status_buttons(&ctx, c)) }
                                }
                            }
                        } }
                    } }
                }
            },
        ),
    ))
}

fn status_buttons(ctx: &Ctx, c: &CampaignRecord) -> Markup {
    let next = match c.status() {
        CampaignStatus::Open => (CampaignStatus::Closed, Msg::CloseCampaign),
        _ => (CampaignStatus::Open, Msg::OpenCampaign),
    };
    html! {
        form.inline method="post" action=(ctx.href(&format!("/admin/campaigns/{}/status", c.id))) {
            (ctx.csrf_field())
            input type="hidden" name="status" value=(next.0.as_str());
            button.secondary type="submit" { (ctx.t(next.1)) span.hp { ": " (c.name) } }
        }
    }
}

/// What the create form holds, kept when the form comes back with errors.
#[derive(Default)]
struct Draft {
    template: String,
    name: String,
    from: String,
    to: String,
    units: Vec<String>,
    draft: bool,
}

fn new_page(
    ctx: &Ctx,
    templates: &BTreeMap<String, String>,
    units: &[UnitRecord],
    d: &Draft,
    errors: &[String],
) -> Markup {
    let title = ctx.t(Msg::NewCampaign);
    admin_page(
        ctx,
        "/admin/campaigns/new",
        title,
        html! {
            h1 { (title) }
            (error_box(ctx, errors))
            form method="post" action=(ctx.href("/admin/campaigns")) {
                (ctx.csrf_field())
                div.field {
                    label for="template" { (ctx.t(Msg::Template)) }
                    select #template name="template" required {
                        @for (key, t) in templates {
                            option value=(key) selected[*key == d.template] { (t) " (" (key) ")" }
                        }
                    }
                }
                div.field {
                    label for="name" { (ctx.t(Msg::CampaignName)) }
                    input #name type="text" name="name" value=(d.name) required maxlength="200";
                }
                div.field {
                    label for="from" { (ctx.t(Msg::PeriodFrom)) }
                    input #from type="date" name="from" value=(d.from) required;
                }
                div.field {
                    label for="to" { (ctx.t(Msg::PeriodTo)) }
                    input #to type="date" name="to" value=(d.to) required;
                }
                fieldset {
                    legend { (ctx.t(Msg::Units)) }
                    div.choices {
                        @for u in units {
                            label.choice {
                                input type="checkbox" name="unit" value=(u.code) checked[d.units.contains(&u.code)];
                                span { (u.name) " (" (u.code) ")" }
                            }
                        }
                    }
                }
                label.choice {
                    input type="checkbox" name="draft" value="1" checked[d.draft];
                    span { (ctx.t(Msg::CreateAsDraft)) }
                }
                button type="submit" { (ctx.t(Msg::Create)) }
            }
        },
    )
}

type FormData = (BTreeMap<String, String>, Vec<UnitRecord>);

fn form_data(state: &AppState) -> Result<FormData, AppError> {
    let mut conn = state.pool.get()?;
    let mut templates = BTreeMap::new();
    for t in db::templates::all(&mut conn)? {
        templates.insert(t.key.clone(), t.title.clone());
    }
    Ok((templates, db::units::all(&mut conn)?))
}

pub async fn new_form(
    state: web::Data<AppState>,
    principal: Principal,
    session: Session,
    q: web::Query<LangQuery>,
) -> Result<HttpResponse, AppError> {
    principal.require(Permission::ManageCampaigns)?;
    let ctx = Ctx::new(principal, &session, q.lang());
    let (templates, units) = web::block(move || form_data(&state)).await??;
    Ok(html_status(
        StatusCode::OK,
        new_page(&ctx, &templates, &units, &Draft::default(), &[]),
    ))
}

pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    session: Session,
    q: web::Query<LangQuery>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    principal.require(Permission::ManageCampaigns)?;
    let field = |k: &str| {
        form.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    check_csrf(&session, &field("csrf"))?;
    let d = Draft {
        template: field("template"),
        name: field("name"),
        from: field("from"),
        to: field("to"),
        units: form
            .iter()
            .filter(|(n, _)| n == "unit")
            .map(|(_, v)| v.clone())
            .collect(),
        draft: !field("draft").is_empty(),
    };
    let ctx = Ctx::new(principal, &session, q.lang());
    if d.units.is_empty() {
        let errs = vec![ctx.t(Msg::ChooseUnits).to_string()];
        let (templates, units) = web::block(move || form_data(&state)).await??;
        return Ok(html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            new_page(&ctx, &templates, &units, &d, &errs),
        ));
    }
    let actor = ctx.principal.actor.clone();
    let (tk, name, from, to, codes, draft) = (
        d.template.clone(),
        d.name.clone(),
        d.from.clone(),
        d.to.clone(),
        d.units.clone(),
        d.draft,
    );
    let st = state.clone();
    let result = web::block(
        move || -> Result<Result<CampaignRecord, String>, AppError> {
            let mut conn = st.pool.get()?;
            let status = if draft {
                CampaignStatus::Draft
            } else {
                CampaignStatus::Open
            };
            let new = NewCampaign {
                template_key: &tk,
                name: &name,
                from: &from,
                to: &to,
                units: UnitSelection::Codes(codes),
                status,
            };
            match create_campaign::create(&mut conn, new) {
                Ok(c) => {
                    let detail = format!("{} ({})", c.name, c.status);
                    db::audit::record(&mut conn, &actor, "campaign_create", &c.id, &detail)?;
                    Ok(Ok(c))
                }
                Err(CampaignError::Invalid(m)) => Ok(Err(m)),
                Err(CampaignError::Db(e)) => Err(e.into()),
            }
        },
    )
    .await??;
    match result {
        Ok(_) => Ok(see_other(&ctx.href("/admin/campaigns"))),
        Err(m) => {
            let (templates, units) = web::block(move || form_data(&state)).await??;
            Ok(html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                new_page(&ctx, &templates, &units, &d, &[m]),
            ))
        }
    }
}

#[derive(serde::Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    status: String,
}

pub async fn set_status(
    state: web::Data<AppState>,
    principal: Principal,
    session: Session,
    path: web::Path<String>,
    q: web::Query<LangQuery>,
    form: web::Form<StatusForm>,
) -> Result<HttpResponse, AppError> {
    principal.require(Permission::ManageCampaigns)?;
    check_csrf(&session, &form.csrf)?;
    let status = match CampaignStatus::parse(form.status.trim()) {
        Some(s @ (CampaignStatus::Open | CampaignStatus::Closed)) => s,
        _ => return Err(AppError::BadRequest("status must be open or closed".into())),
    };
    let id = path.into_inner();
    let actor = principal.actor.clone();
    web::block(move || -> Result<(), AppError> {
        let mut conn = state.pool.get()?;
        db::campaigns::get(&mut conn, &id)?.ok_or(AppError::NotFound)?;
        db::campaigns::set_status(&mut conn, &id, status)?;
        db::audit::record(&mut conn, &actor, "campaign_status", &id, status.as_str())?;
        Ok(())
    })
    .await??;
    Ok(see_other(&crate::web::layout::with_lang(
        "/admin/campaigns",
        q.lang(),
    )))
}
