//! Admin (administrators only): accounts.
use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::kit::{invalid, ok, Checked, ManageUsers, Official};
use super::{admin_page, error_box, role_name, rule_text, see_other, shown, Ctx};
use crate::domain::account::{parse_role, Role};
use crate::error::AppError;
use crate::i18n::{Lang, Msg};
use crate::service::audit::AuditAction;
use crate::service::auth;
use crate::service::auth::UserRecord;
use crate::service::units::{self, UnitRecord};
use crate::service::DbConn;
use crate::state::AppState;
use crate::web::run_blocking;

/// A role and unit picker shared by the user and API key forms.
pub(super) fn role_fields(ctx: &Ctx, units: &[UnitRecord], role: &str, unit: &str) -> Markup {
    // A new account or key starts with the least it can do: read and export.
    let role = if role.is_empty() {
        Role::Analyst.as_str()
    } else {
        role
    };
    html! {
        div.field {
            label for="role" { (ctx.t(Msg::Role)) }
            select #role name="role" {
                @for r in Role::ALL {
                    option value=(r.as_str()) selected[r.as_str() == role] { (role_name(r, ctx.lang)) }
                }
            }
        }
        div.field {
            label for="unit" { (ctx.t(Msg::UnitForOfficer)) }
            select #unit name="unit" {
                option value="" { "—" }
                @for u in units {
                    option value=(u.code) selected[u.code == *unit] { (u.name) " (" (u.code) ")" }
                }
            }
        }
    }
}

crate::csrf_forms!(UserForm, ResetForm, DisableForm);

/// The role and unit picked in a user or API key form, or the form's message.
pub(super) fn picked_role<'f>(
    role: &str,
    unit: &'f str,
    lang: Lang,
) -> Result<(Role, Option<&'f str>), String> {
    let role = parse_role(role).map_err(|rule| rule_text(&rule, lang))?;
    Ok((role, Some(unit).filter(|u| !u.trim().is_empty())))
}

pub(super) fn unit_code_of(units: &[UnitRecord], id: Option<&str>) -> String {
    id.and_then(|id| units.iter().find(|u| u.id == id))
        .map(|u| u.code.to_string())
        .unwrap_or_default()
}

#[derive(Deserialize, Default, Clone)]
pub struct UserForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit: String,
}

fn users_page(
    ctx: &Ctx,
    users: &[UserRecord],
    units: &[UnitRecord],
    d: &UserForm,
    errors: &[String],
) -> Markup {
    let title = ctx.t(Msg::AdminUsers);
    admin_page(
        ctx,
        "/admin/users",
        title,
        html! {
            h1 { (title) }
            div.table-wrap { table {
                thead { tr {
                    th scope="col" { (ctx.t(Msg::Username)) }
                    th scope="col" { (ctx.t(Msg::Role)) }
                    th scope="col" { (ctx.t(Msg::Unit)) }
                    th scope="col" { (ctx.t(Msg::Status)) }
                    th scope="col" { (ctx.t(Msg::Actions)) }
                } }
                tbody { @for u in users {
                    tr {
                        th scope="row" { (u.username) }
                        td { (role_name(u.role, ctx.lang)) }
                        td { (unit_code_of(units, u.unit_id.as_deref())) }
                        td { @if u.disabled { (ctx.t(Msg::Disabled)) } @else { (ctx.t(Msg::Active)) } }
                        td {
                            form.inline method="post" action=(ctx.href(&format!("/admin/users/{}/password", u.id))) {
                                (ctx.csrf_field())
                                label for={ "pw-" (u.id) } { (ctx.t(Msg::NewPassword)) span.hp { ": " (u.username) } }
                                input id={ "pw-" (u.id) } type="password" name="password" autocomplete="new-password" required minlength="10";
                                button.secondary type="submit" { (ctx.t(Msg::ResetPassword)) }
                            }
                            form.inline method="post" action=(ctx.href(&format!("/admin/users/{}/disable", u.id))) {
                                (ctx.csrf_field())
                                input type="hidden" name="disabled" value=(if u.disabled { "false" } else { "true" });
                                button.secondary type="submit" {
                                    @if u.disabled { (ctx.t(Msg::Enable)) } @else { (ctx.t(Msg::Disable)) }
                                    span.hp { ": " (u.username) }
                                }
                            }
                        }
                    }
                } }
            } }
            h2 { (ctx.t(Msg::CreateUser)) }
            (error_box(ctx, errors))
            form method="post" action=(ctx.href("/admin/users")) {
                (ctx.csrf_field())
                div.field {
                    label for="username" { (ctx.t(Msg::Username)) }
                    input #username type="text" name="username" value=(d.username) required autocomplete="off";
                }
                div.field {
                    label for="password" { (ctx.t(Msg::Password)) }
                    input #password type="password" name="password" required minlength="10" autocomplete="new-password";
                }
                (role_fields(ctx, units, &d.role, &d.unit))
                button type="submit" { (ctx.t(Msg::Create)) }
            }
        },
    )
}

/// Records a page lists, with the units its role picker offers.
pub(super) async fn with_units<T: Send + 'static>(
    state: &web::Data<AppState>,
    load: fn(&mut DbConn) -> Result<Vec<T>, AppError>,
) -> Result<(Vec<T>, Vec<UnitRecord>), AppError> {
    run_blocking(state, move |_, conn| Ok((load(conn)?, units::all(conn)?))).await
}

async fn users_data(
    state: &web::Data<AppState>,
) -> Result<(Vec<UserRecord>, Vec<UnitRecord>), AppError> {
    with_units(state, auth::users).await
}

pub async fn list(me: Official<ManageUsers>) -> Result<HttpResponse, AppError> {
    let (users, units) = users_data(&me.state).await?;
    let blank = UserForm::default();
    Ok(ok(users_page(&me.ctx, &users, &units, &blank, &[])))
}

/// The users page again with the form's message (the password is not kept).
async fn refused(
    state: &web::Data<AppState>,
    ctx: &Ctx,
    kept: UserForm,
    message: String,
) -> Result<HttpResponse, AppError> {
    let (users, units) = users_data(state).await?;
    let kept = UserForm {
        password: String::new(),
        ..kept
    };
    Ok(invalid(users_page(ctx, &users, &units, &kept, &[message])))
}

pub async fn create(
    me: Official<ManageUsers>,
    Checked(f): Checked<UserForm>,
) -> Result<HttpResponse, AppError> {
    let (actor, lang, g) = (me.actor(), me.ctx.lang, f.clone());
    let result = me
        .run(move |_, conn| {
            let (role, unit) = match picked_role(&g.role, &g.unit, lang) {
                Ok(picked) => picked,
                Err(message) => return Ok(Err(message)),
            };
            shown(
                auth::create_user(conn, &actor, &g.username, &g.password, role, unit),
                lang,
            )
        })
        .await?;
    match result {
        Ok(_) => Ok(see_other(&me.ctx.href("/admin/users"))),
        Err(e) => refused(&me.state, &me.ctx, f, e).await,
    }
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    password: String,
}

pub async fn reset_password(
    me: Official<ManageUsers>,
    path: web::Path<String>,
    Checked(form): Checked<ResetForm>,
) -> Result<HttpResponse, AppError> {
    let (id, actor, lang) = (path.into_inner(), me.actor(), me.ctx.lang);
    let result = me
        .run(move |_, conn| {
            let user = auth::user(conn, &id)?.ok_or(AppError::NotFound)?;
            let reset = AuditAction::UserPasswordReset;
            shown(
                auth::set_password(conn, &actor, &user, &form.password, reset),
                lang,
            )
        })
        .await?;
    match result {
        Ok(()) => Ok(see_other(&me.ctx.href("/admin/users"))),
        Err(e) => refused(&me.state, &me.ctx, UserForm::default(), e).await,
    }
}

#[derive(Deserialize)]
pub struct DisableForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    disabled: String,
}

pub async fn set_disabled(
    me: Official<ManageUsers>,
    path: web::Path<String>,
    Checked(form): Checked<DisableForm>,
) -> Result<HttpResponse, AppError> {
    let disabled = form.disabled.trim() != "false";
    let id = path.into_inner();
    if disabled && me.principal().user_id.as_deref() == Some(id.as_str()) {
        return Err(AppError::BadRequest(
            me.ctx.t(Msg::ErrDisableSelf).to_string(),
        ));
    }
    let actor = me.actor();
    me.run(move |_, conn| auth::set_disabled(conn, &actor, &id, disabled))
        .await?;
    Ok(see_other(&me.ctx.href("/admin/users")))
}
