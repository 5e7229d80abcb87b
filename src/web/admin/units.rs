//! Admin: the unit list and the CSV import (all rows or none, errors by line).
use actix_multipart::Multipart;
use actix_web::{web, HttpResponse};
use maud::{html, Markup};

use super::kit::{invalid, ok, ListUpload, ManageUnits, Official, ViewResults};
use super::{admin_page, error_box, row_errors, Ctx, LIST_FILES};
use crate::domain::account::Permission;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::service::units::{self, ImportError};
use crate::service::units::{self as unit_cases, UnitRecord};
use crate::state::AppState;
use crate::web::run_blocking;

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
                form method="post" action=(ctx.href("/admin/units/import")) enctype="multipart/form-data" {
                    (ctx.csrf_field())
                    p.muted { (ctx.t(Msg::ImportUnitsHint)) }
                    div.field {
                        label for="file" { (ctx.t(Msg::CsvFile)) }
                        input #file type="file" name="file" accept=(LIST_FILES);
                    }
                    div.field {
                        label for="csv" { (ctx.t(Msg::CsvPaste)) }
                        textarea #csv name="csv" rows="8" { (csv) }
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

async fn visible_units(
    state: &web::Data<AppState>,
    scope: &crate::service::auth::Scope,
) -> Result<Vec<UnitRecord>, AppError> {
    let scope = scope.clone();
    run_blocking(state, move |_, conn| {
        Ok(unit_cases::all(conn)?
            .into_iter()
            .filter(|u| scope.has_unit_id(&u.id))
            .collect())
    })
    .await
}

pub async fn list(me: Official<ViewResults>) -> Result<HttpResponse, AppError> {
    let units = visible_units(&me.state, &me.principal().scope).await?;
    Ok(ok(units_page(&me.ctx, &units, "", &[], None)))
}

pub async fn import(
    me: Official<ManageUnits>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let form = ListUpload::read(payload, &me.session).await?;
    let (bytes, csv) = (form.bytes(), form.kept_text());
    let (actor, lang) = (me.actor(), me.ctx.lang);
    let outcome = me
        .run(
            move |_, conn| match units::import(conn, &actor, "csv", &bytes, || {}) {
                Ok(counts) => Ok(Ok(counts)),
                Err(ImportError::Rows { sheet, errors, .. }) => {
                    Ok(Err(row_errors(lang, sheet.as_deref(), &errors)))
                }
                Err(ImportError::Db(e)) => Err(e.into()),
                Err(ImportError::Read(_, e)) => Ok(Err(vec![e.to_string()])),
            },
        )
        .await?;
    let units = visible_units(&me.state, &me.principal().scope).await?;
    Ok(match outcome {
        Ok(done) => ok(units_page(&me.ctx, &units, "", &[], Some(done))),
        Err(errors) => invalid(units_page(&me.ctx, &units, csv, &errors, None)),
    })
}
