//! Admin: the campaign list, creating a campaign, opening and closing it.
use std::collections::BTreeMap;

use actix_web::{web, HttpResponse};
use maud::{html, Markup};

use super::kit::{invalid, ok, Checked, CsrfField, ManageCampaigns, Official, ViewResults};
use super::{admin_page, error_box, see_other, Ctx};
use crate::domain::account::Permission;
use crate::domain::campaign::CampaignStatus;
use crate::domain::ids::CampaignId;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::service::campaigns::{
    self as campaign_cases, CampaignError, CampaignRecord, NewCampaign, UnitSelection,
};
use crate::service::templates;
use crate::service::units::{self, UnitRecord};
use crate::state::AppState;
use crate::web::layout::status_text;
use crate::web::run_blocking;

pub async fn list(me: Official<ViewResults>) -> Result<HttpResponse, AppError> {
    let ctx = &me.ctx;
    let scope = ctx.principal.scope.clone();
    let rows: Vec<(CampaignRecord, usize)> = me
        .run(move |_, conn| {
            let visible = campaign_cases::visible(conn, &scope)?;
            Ok(visible.into_iter().map(|(c, u)| (c, u.len())).collect())
        })
        .await?;
    let manage = ctx.principal.can(Permission::ManageCampaigns);
    let title = ctx.t(Msg::AdminCampaigns);
    Ok(ok(admin_page(
        ctx,
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
                            th scope="row" { a href=(ctx.href(&format!("/admin/campaigns/{}", c.id))) { (c.name) } }
                            td { (c.period_start) " – " (c.period_end) }
                            td { (status_text(c.status(), ctx.lang)) }
                            td.num { (n) }
                            td {
                                a href=(ctx.href(&format!("/campaigns/{}/results", c.id))) { (ctx.t(Msg::ViewResults)) }
                                @if ctx.principal.can(Permission::ManageInvitations) {
                                    " " a href=(ctx.href(&format!("/admin/campaigns/{}/invitations", c.id))) { (ctx.t(Msg::Invitations)) }
                                }
                            }
                        }
                    } }
                } }
            }
        },
    )))
}

/// What the create form holds, kept when the form comes back with errors.
#[derive(Default, Clone)]
struct Draft {
    template: String,
    name: String,
    from: String,
    to: String,
    units: Vec<String>,
    /// "all", "under" (a unit and everything below it) or "pick".
    mode: String,
    under: String,
    previous: String,
    draft: bool,
}

fn new_page(ctx: &Ctx, data: &FormData, d: &Draft, errors: &[String]) -> Markup {
    let (templates, units, campaigns) = data;
    // Units with others below them: the roots "everything under" can take.
    let parents: Vec<&UnitRecord> = units
        .iter()
        .filter(|u| {
            units
                .iter()
                .any(|c| c.parent_id.as_deref() == Some(u.id.as_str()))
        })
        .collect();
    let mode = if d.mode.is_empty() {
        "pick"
    } else {
        d.mode.as_str()
    };
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
                    p.small { a href=(ctx.href("/admin/templates")) { (ctx.t(Msg::PreviewQuestionnaire)) } }
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
                        label.choice {
                            input type="radio" name="mode" value="all" checked[mode == "all"];
                            span { (ctx.t(Msg::AllUnitsInForce)) }
                        }
                        label.choice {
                            input type="radio" name="mode" value="under" checked[mode == "under"];
                            span { (ctx.t(Msg::EverythingUnder)) }
                        }
                    }
                    div.field {
                        label for="under" { (ctx.t(Msg::UnderUnit)) }
                        select #under name="under" {
                            @for u in &parents {
                                option value=(u.code) selected[d.under == u.code.as_str()] { (u.name) " (" (u.code) ")" }
                            }
                        }
                    }
                    div.choices {
                        label.choice {
                            input type="radio" name="mode" value="pick" checked[mode == "pick"];
                            span { (ctx.t(Msg::PickedUnits)) }
                        }
                    }
                    details open[mode == "pick"] {
                        summary { (ctx.t(Msg::PickedUnits)) " (" (units.len()) ")" }
                        p.muted.small { (ctx.t(Msg::FindInPageHint)) }
                        div.choices {
                            @for u in units {
                                label.choice {
                                    input type="checkbox" name="unit" value=(u.code) checked[d.units.contains(&u.code.to_string())];
                                    span { (u.name) " (" (u.code) ")" }
                                }
                            }
                        }
                    }
                }
                div.field {
                    label for="previous" { (ctx.t(Msg::ComparedWith)) }
                    select #previous name="previous" {
                        option value="" { "—" }
                        @for c in campaigns {
                            option value=(c.id) selected[d.previous == c.id.as_str()] { (c.name) " (" (c.period_start) ")" }
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

type FormData = (
    BTreeMap<String, String>,
    Vec<UnitRecord>,
    Vec<CampaignRecord>,
);

async fn form_data(state: &web::Data<AppState>) -> Result<FormData, AppError> {
    run_blocking(state, |_, conn| {
        let mut templates = BTreeMap::new();
        for t in templates::all(conn)? {
            templates.insert(t.key.clone(), t.title.clone());
        }
        let units = super::units::current(units::all(conn)?);
        Ok((templates, units, campaign_cases::all(conn)?))
    })
    .await
}

/// The new-campaign form again, with its messages.
async fn refused(
    state: &web::Data<AppState>,
    ctx: &Ctx,
    d: &Draft,
    errors: &[String],
) -> Result<HttpResponse, AppError> {
    let data = form_data(state).await?;
    Ok(invalid(new_page(ctx, &data, d, errors)))
}

pub async fn new_form(me: Official<ManageCampaigns>) -> Result<HttpResponse, AppError> {
    let data = form_data(&me.state).await?;
    let blank = Draft::default();
    Ok(ok(new_page(&me.ctx, &data, &blank, &[])))
}

/// The posted form's fields in order: units come as repeated `unit` fields.
pub struct CampaignForm(Vec<(String, String)>);

impl CampaignForm {
    fn field(&self, k: &str) -> String {
        self.0
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    fn draft(&self) -> Draft {
        Draft {
            template: self.field("template"),
            name: self.field("name"),
            from: self.field("from"),
            to: self.field("to"),
            units: self
                .0
                .iter()
                .filter(|(n, _)| n == "unit")
                .map(|(_, v)| v.clone())
                .collect(),
            mode: self.field("mode"),
            under: self.field("under"),
            previous: self.field("previous"),
            draft: !self.field("draft").is_empty(),
        }
    }
}

impl<'de> serde::Deserialize<'de> for CampaignForm {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<(String, String)>::deserialize(d).map(CampaignForm)
    }
}

impl CsrfField for CampaignForm {
    fn csrf(&self) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == "csrf")
            .map_or("", |(_, v)| v.as_str())
    }
}

pub async fn create(
    me: Official<ManageCampaigns>,
    Checked(form): Checked<CampaignForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = &me.ctx;
    let d = form.draft();
    let selection = match d.mode.as_str() {
        "all" => UnitSelection::All,
        "under" if !d.under.is_empty() => UnitSelection::Under(d.under.clone()),
        _ if d.units.is_empty() => {
            return refused(&me.state, ctx, &d, &[ctx.t(Msg::ChooseUnits).to_string()]).await;
        }
        _ => UnitSelection::Codes(d.units.clone()),
    };
    let (actor, g) = (ctx.principal.actor.clone(), d.clone());
    let result = me
        .run(move |_, conn| {
            let status = if g.draft {
                CampaignStatus::Draft
            } else {
                CampaignStatus::Open
            };
            let new = NewCampaign {
                template_key: &g.template,
                name: &g.name,
                from: &g.from,
                to: &g.to,
                units: selection,
                status,
                previous: (!g.previous.is_empty()).then_some(g.previous.as_str()),
            };
            match campaign_cases::create(conn, &actor, new) {
                Ok(c) => Ok(Ok(c)),
                Err(e @ (CampaignError::Invalid(_) | CampaignError::NoPrevious(_))) => {
                    Ok(Err(e.to_string()))
                }
                Err(CampaignError::Db(e)) => Err(e.into()),
            }
        })
        .await?;
    match result {
        Ok(c) => Ok(see_other(&ctx.href(&format!("/admin/campaigns/{}", c.id)))),
        Err(m) => refused(&me.state, ctx, &d, &[m]).await,
    }
}

#[derive(serde::Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    status: String,
}

crate::csrf_forms!(StatusForm);

pub async fn set_status(
    me: Official<ManageCampaigns>,
    path: web::Path<CampaignId>,
    Checked(form): Checked<StatusForm>,
) -> Result<HttpResponse, AppError> {
    let status = match CampaignStatus::parse(form.status.trim()) {
        Some(s @ (CampaignStatus::Open | CampaignStatus::Closed)) => s,
        _ => return Err(AppError::BadRequest("status must be open or closed".into())),
    };
    let (id, actor) = (path.into_inner(), me.actor());
    let id_text = id.to_string();
    let found = me
        .run(move |_, conn| Ok(campaign_cases::set_status(conn, &actor, &id, status)?))
        .await?;
    if !found {
        return Err(AppError::NotFound);
    }
    Ok(see_other(
        &me.ctx.href(&format!("/admin/campaigns/{id_text}")),
    ))
}
