//! Admin (administrators only): accounts.
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::{admin_page, error_box, html_status, role_name, rule_text, see_other, shown, Ctx};
use crate::db::{self, accounts::UserRecord, units::UnitRecord};
use crate::domain::account::{parse_role, Permission, Role};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::service::auth::{self, Principal};
use crate::state::AppState;
use crate::web::auth::check_csrf;
use crate::web::layout::with_lang;
use crate::web::LangQuery;

/// A role and unit picker shared by the user and API key forms.
pub(super) fn role_fields(ctx: &Ctx, units: &[UnitRecord], role: &str, unit: &str) -> Markup {
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
                    option value=(u.code) selected[u.code == unit] { (u.name) " (" (u.code) ")" }
                }
            }
        }
    }
}

pub(super) fn unit_code_of(units: &[UnitRecord], id: Option<&str>) -> String {
    id.and_then(|id| units.iter().find(|u| u.id == id))
        .map(|u| u.code.clone())
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
                        td { (Role::parse(&u.role).map(|r| role_name(r, ctx.lang)).unwrap_or(&u.role)) }
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

type UsersData = (Vec<UserRecord>, Vec<UnitRecord>);

fn users_data(state: &AppState) -> Result<UsersData, AppError> {
    let mut conn = state.pool.get()?;
    Ok((
        db::accounts::all_users(&mut conn)?,
        db::units::all(&mut conn)?,
    ))
}

pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    session: Session,
    q: web::Query<LangQuery>,
) -> Result<HttpResponse, AppError> {
    principal.require(Permission::ManageUsers)?;
    let ctx = Ctx::new(principal, &session, q.lang());
    let (users, units) = web::block(move || users_data(&state)).await??;
    Ok(html_status(
        StatusCode::OK,
        users_page(&ctx, &users, &units, &UserForm::default(), &[]),
    ))
}

pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    session: Session,
    q: web::Query<LangQuery>,
    form: web::Form<UserForm>,
) -> Result<HttpResponse, AppError> {
    principal.require(Permission::ManageUsers)?;
    check_csrf(&session, &form.csrf)?;
    let ctx = Ctx::new(principal, &session, q.lang());
    let f = form.into_inner();
    let (actor, g) = (ctx.principal.actor.clone(), f.clone());
    let st = state.clone();
    let lang = ctx.lang;
    let result = web::block(move || -> Result<Result<String, String>, AppError> {
        let mut conn = st.pool.get()?;
        let role = match parse_role(&g.role) {
            Ok(r) => r,
            Err(rule) => return Ok(Err(rule_text(&rule, lang))),
        };
        let unit = Some(g.unit.as_str()).filter(|u| !u.trim().is_empty());
        shown(
            auth::create_user(&mut conn, &actor, &g.username, &g.password, role, unit),
            lang,
        )
    })
    .await??;
    match result {
        Ok(_) => Ok(see_other(&ctx.href("/admin/users"))),
        Err(e) => {
            let (users, units) = web::block(move || users_data(&state)).await??;
            let kept = UserForm {
                password: String::new(),
                ..f
            };
            Ok(html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                users_page(&ctx, &users, &units, &kept, &[e]),
            ))
        }
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
    state: web::Data<AppState>,
    principal: Principal,
    session: Session,
    path: web::Path<String>,
    q: web::Query<LangQuery>,
    form: web::Form<ResetForm>,
) -> Result<HttpResponse, AppError> {
    principal.require(Permission::ManageUsers)?;
    check_csrf(&session, &form.csrf)?;
    let ctx = Ctx::new(principal, &session, q.lang());
    let (id, actor, password) = (
        path.into_inner(),
        ctx.principal.actor.clone(),
        form.into_inner().password,
    );
    let st = state.clone();
    let lang = ctx.lang;
    let result = web::block(move || -> Result<Result<(), String>, AppError> {
        let mut conn = st.pool.get()?;
        let user = db::accounts::user(&mut conn, &id)?.ok_or(AppError::NotFound)?;
        shown(
            auth::set_password(&mut conn, &actor, &user, &password, "user_password_reset"),
            lang,
        )
    })
    .await??;
    match result {
        Ok(()) => Ok(see_other(&ctx.href("/admin/users"))),
        Err(e) => {
            let (users, units) = web::block(move || users_data(&state)).await??;
            Ok(html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                users_page(&ctx, &users, &units, &UserForm::default(), &[e]),
            ))
        }
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
    state: web::Data<AppState>,
    principal: Principal,
    session: Session,
    path: web::Path<String>,
    q: web::Query<LangQuery>,
    form: web::Form<DisableForm>,
) -> Result<HttpResponse, AppError> {
    principal.require(Permission::ManageUsers)?;
    check_csrf(&session, &form.csrf)?;
    let disabled = form.disabled.trim() != "false";
    let id = path.into_inner();
    if disabled && principal.user_id.as_deref() == Some(id.as_str()) {
        return Err(AppError::BadRequest(
            Msg::ErrDisableSelf.get(q.lang()).to_string(),
        ));
    }
    let actor = principal.actor.clone();
    web::block(move || -> Result<(), AppError> {
        let mut conn = state.pool.get()?;
        let user = db::accounts::user(&mut conn, &id)?.ok_or(AppError::NotFound)?;
        db::accounts::set_disabled(&mut conn, &id, disabled)?;
        let action = if disabled {
            "user_disable"
        } else {
            "user_enable"
        };
        db::audit::record(&mut conn, &actor, action, &user.username, "")?;
        Ok(())
    })
    .await??;
    Ok(see_other(&with_lang("/admin/users", q.lang())))
}
