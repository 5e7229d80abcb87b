//! Admin (administrators only): API keys for systems, shown once, revocable.
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::users::{role_fields, unit_code_of};
use super::{admin_page, error_box, html_status, role_name, rule_text, see_other, shown, Ctx};
use crate::db::{self, accounts::ApiKeyRecord, units::UnitRecord};
use crate::domain::account::{parse_role, Permission, Role};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::service::auth::{self, Principal};
use crate::state::AppState;
use crate::web::auth::check_csrf;
use crate::web::layout::with_lang;
use crate::web::LangQuery;

#[derive(Deserialize, Default, Clone)]
pub struct KeyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit: String,
}

fn keys_page(
    ctx: &Ctx,
    keys: &[ApiKeyRecord],
    units: &[UnitRecord],
    d: &KeyForm,
    errors: &[String],
    issued: Option<&str>,
) -> Markup {
    let title = ctx.t(Msg::AdminApiKeys);
    admin_page(
        ctx,
        "/admin/api-keys",
        title,
        html! {
            h1 { (title) }
            @if let Some(k) = issued {
                div.notice role="status" {
                    p { (ctx.t(Msg::KeyShownOnce)) }
                    p { code.key { (k) } }
                }
            }
            div.table-wrap { table {
                thead { tr {
                    th scope="col" { (ctx.t(Msg::KeyName)) }
                    th scope="col" { (ctx.t(Msg::KeyPrefix)) }
                    th scope="col" { (ctx.t(Msg::Role)) }
                    th scope="col" { (ctx.t(Msg::Unit)) }
                    th scope="col" { (ctx.t(Msg::Status)) }
                    th scope="col" { (ctx.t(Msg::Actions)) }
                } }
                tbody { @for k in keys {
                    tr {
                        th scope="row" { (k.name) }
                        td { code { (k.prefix) "…" } }
                        td { (Role::parse(&k.role).map(|r| role_name(r, ctx.lang)).unwrap_or(&k.role)) }
                        td { (unit_code_of(units, k.unit_id.as_deref())) }
                        td { @if k.revoked_at.is_some() { (ctx.t(Msg::Revoked)) } @else { (ctx.t(Msg::Active)) } }
                        td { @if k.revoked_at.is_none() {
                            form.inline method="post" action=(ctx.href(&format!("/admin/api-keys/{}/revoke", k.id))) {
                                (ctx.csrf_field())
                                button.secondary type="submit" { (ctx.t(Msg::Revoke)) span.hp { ": " (k.name) } }
                            }
                        } }
                    }
                } }
            } }
            h2 { (ctx.t(Msg::CreateKey)) }
            (error_box(ctx, errors))
            form method="post" action=(ctx.href("/admin/api-keys")) {
                (ctx.csrf_field())
                div.field {
                    label for="name" { (ctx.t(Msg::KeyName)) }
                    input #name type="text" name="name" value=(d.name) required maxlength="100";
                }
                (role_fields(ctx, units, &d.role, &d.unit))
                button type="submit" { (ctx.t(Msg::Create)) }
            }
        },
    )
}

type KeysData = (Vec<ApiKeyRecord>, Vec<UnitRecord>);

fn keys_data(state: &AppState) -> Result<KeysData, AppError> {
    let mut conn = state.pool.get()?;
    Ok((
        db::accounts::all_api_keys(&mut conn)?,
        db::units::all(&mut conn)?,
    ))
}

pub async fn keys(
    state: web::Data<AppState>,
    principal: Principal,
    session: Session,
    q: web::Query<LangQuery>,
) -> Result<HttpResponse, AppError> {
    principal.require(Permission::ManageApiKeys)?;
    let ctx = Ctx::new(principal, &session, q.lang());
    let (keys, units) = web::block(move || keys_data(&state)).await??;
    Ok(html_status(
        StatusCode::OK,
        keys_page(&ctx, &keys, &units, &KeyForm::default(), &[], None),
    ))
}

pub async fn create_key(
    state: web::Data<AppState>,
    principal: Principal,
    session: Session,
    q: web::Query<LangQuery>,
    form: web::Form<KeyForm>,
) -> Result<HttpResponse, AppError> {
    principal.require(Permission::ManageApiKeys)?;
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
            auth::create_api_key(&mut conn, &actor, &g.name, role, unit).map(|k| k.key),
            lang,
        )
    })
    .await??;
    let (keys, units) = web::block(move || keys_data(&state)).await??;
    match result {
        Ok(key) => Ok(html_status(
            StatusCode::OK,
            keys_page(&ctx, &keys, &units, &KeyForm::default(), &[], Some(&key)),
        )),
        Err(e) => Ok(html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            keys_page(&ctx, &keys, &units, &f, &[e], None),
        )),
    }
}

pub async fn revoke_key(
    state: web::Data<AppState>,
    principal: Principal,
    session: Session,
    path: web::Path<String>,
    q: web::Query<LangQuery>,
    form: web::Form<super::CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    principal.require(Permission::ManageApiKeys)?;
    check_csrf(&session, &form.csrf)?;
    let (id, actor) = (path.into_inner(), principal.actor.clone());
    let done = web::block(move || {
        let mut conn = state.pool.get()?;
        auth::revoke_api_key(&mut conn, &actor, &id)
    })
    .await??;
    if !done {
        return Err(AppError::NotFound);
    }
    Ok(see_other(&with_lang("/admin/api-keys", q.lang())))
}
