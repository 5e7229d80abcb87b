//! Admin: the unit list and the CSV import (all rows or none, errors by line).
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::{admin_page, error_box, html_status, Ctx};
use crate::cli::units::{import_text, ImportError};
use crate::db::{self, units::UnitRecord};
use crate::domain::account::Permission;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::service::auth::Principal;
use crate::state::AppState;
use crate::web::auth::check_csrf;
use crate::web::LangQuery;

fn units_page(
    ctx: &Ctx,
    units: &[UnitRecord],
    csv: &str,
    errors: &[String],
    done: Option<(usize, usize)>,
) -> Markup {
    let title = ctx.t(Msg::Units);
    admin_page(
        ctx,
        "/admin/units",
        title,
        html! {
            h1 { (title) }
            @if let Some((added, updated)) = done {
                div.notice role="status" { p { (ctx.t(Msg::ImportDone)) " " (added) " / " (updated) } }
            }
            @if ctx.principal.can(Permission::ManageUnits) {
                h2 { (ctx.t(Msg::ImportUnits)) }
                (error_box(ctx, errors))
                form method="post" action=(ctx.href("/admin/units/import")) {
                    (ctx.csrf_field())
                    div.field {
                        label for="csv" { (ctx.t(Msg::ImportUnitsHint)) }
                        textarea #csv name="csv" rows="10" required { (csv) }
                    }
                    button type="submit" { (ctx.t(Msg::ImportUnits)) }
                }
            }
            h2 { (ctx.t(Msg::Units)) " (" (units.len()) ")" }
            div.table-wrap { table {
                thead { tr {
                    th scope="col" { (ctx.t(Msg::UnitCode)) }
                    th scope="col" { (ctx.t(Msg::Unit)) }
                    th scope="col" { (ctx.t(Msg::UnitKind)) }
                } }
                tbody { @for u in units {
                    tr { td { code { (u.code) } } td { (u.name) } td { (u.kind) } }
                } }
            } }
        },
    )
}

fn visible_units(
    state: &AppState,
    ctx_scope: &crate::service::auth::Scope,
) -> Result<Vec<UnitRecord>, AppError> {
    let mut conn = state.pool.get()?;
    Ok(db::units::all(&mut conn)?
        .into_iter()
        .filter(|u| ctx_scope.has_unit_id(&u.id))
        .collect())
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
    let units = web::block(move || visible_units(&state, &scope)).await??;
    Ok(html_status(
        StatusCode::OK,
        units_page(&ctx, &units, "", &[], None),
    ))
}

#[derive(Deserialize)]
pub struct ImportForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    csv: String,
}

pub async fn import(
    state: web::Data<AppState>,
    principal: Principal,
    session: Session,
    q: web::Query<LangQuery>,
    form: web::Form<ImportForm>,
) -> Result<HttpResponse, AppError> {
    principal.require(Permission::ManageUnits)?;
    check_csrf(&session, &form.csrf)?;
    let ctx = Ctx::new(principal, &session, q.lang());
    let csv = form.into_inner().csv;
    let actor = ctx.principal.actor.clone();
    let text = csv.clone();
    let st = state.clone();
    let line = ctx.t(Msg::Line);
    let outcome = web::block(
        move || -> Result<Result<(usize, usize), Vec<String>>, AppError> {
            let mut conn = st.pool.get()?;
            match import_text(&mut conn, "csv", &text, false) {
                Ok((a, u)) => {
                    db::audit::record(
                        &mut conn,
                        &actor,
                        "units_import",
                        "units",
                        &format!("added={a} updated={u}"),
                    )?;
                    Ok(Ok((a, u)))
                }
                Err(ImportError::Rows { errors, .. }) => Ok(Err(errors
                    .iter()
                    .map(|e| format!("{} {}: {}", line, e.line, e.message))
                    .collect())),
                Err(ImportError::Db(e)) => Err(e.into()),
                Err(ImportError::Read(_, e)) => Ok(Err(vec![e.to_string()])),
            }
        },
    )
    .await??;
    let scope = ctx.principal.scope.clone();
    let units = web::block(move || visible_units(&state, &scope)).await??;
    match outcome {
        Ok(done) => Ok(html_status(
            StatusCode::OK,
            units_page(&ctx, &units, "", &[], Some(done)),
        )),
        Err(errors) => Ok(html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            units_page(&ctx, &units, &csv, &errors, None),
        )),
    }
}
