//! Admin (administrators only): API keys for systems, shown once, revocable.
use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::kit::{invalid, ok, Checked, ManageApiKeys, Official};
use super::users::{picked_role, role_fields, unit_code_of, with_units};
use super::{admin_page, error_box, role_name, see_other, shown, Ctx};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::service::api_keys::{self, ApiKeyRecord};
use crate::service::auth;
use crate::service::units::UnitRecord;
use crate::state::AppState;

crate::csrf_forms!(KeyForm);

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
                        td { (role_name(k.role, ctx.lang)) }
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

async fn keys_data(
    state: &web::Data<AppState>,
) -> Result<(Vec<ApiKeyRecord>, Vec<UnitRecord>), AppError> {
    with_units(state, api_keys::all).await
}

pub async fn keys(me: Official<ManageApiKeys>) -> Result<HttpResponse, AppError> {
    let (keys, units) = keys_data(&me.state).await?;
    let blank = KeyForm::default();
    Ok(ok(keys_page(&me.ctx, &keys, &units, &blank, &[], None)))
}

pub async fn create_key(
    me: Official<ManageApiKeys>,
    Checked(f): Checked<KeyForm>,
) -> Result<HttpResponse, AppError> {
    let (actor, lang, g) = (me.actor(), me.ctx.lang, f.clone());
    let result = me
        .run(move |_, conn| {
            let (role, unit) = match picked_role(&g.role, &g.unit, lang) {
                Ok(picked) => picked,
                Err(message) => return Ok(Err(message)),
            };
            let created = auth::create_api_key(conn, &actor, &g.name, role, unit);
            shown(created.map(|k| k.key), lang)
        })
        .await?;
    let (keys, units) = keys_data(&me.state).await?;
    let blank = KeyForm::default();
    Ok(match result {
        Ok(key) => ok(keys_page(&me.ctx, &keys, &units, &blank, &[], Some(&key))),
        Err(e) => invalid(keys_page(&me.ctx, &keys, &units, &f, &[e], None)),
    })
}

pub async fn revoke_key(
    me: Official<ManageApiKeys>,
    path: web::Path<String>,
    Checked(_): Checked<super::CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    let (id, actor) = (path.into_inner(), me.actor());
    let done = me
        .run(move |_, conn| auth::revoke_api_key(conn, &actor, &id))
        .await?;
    if !done {
        return Err(AppError::NotFound);
    }
    Ok(see_other(&me.ctx.href("/admin/api-keys")))
}
