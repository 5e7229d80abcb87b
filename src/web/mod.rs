//! HTTP routes. Handlers stay thin: parse, call a service, render.
pub mod admin;
pub mod api;
pub mod auth;
pub mod charts;
pub mod errors;
pub mod exports;
pub mod form;
pub mod layout;
pub mod openapi;
pub mod opt_out;
pub mod page_cache;
pub mod pages;
pub mod personal;
pub mod poster;
pub mod public;
pub mod qr;
pub mod report_pages;
pub mod request_log;
pub mod respond;
pub mod results_page;

use actix_web::web;
use serde::Deserialize;

use crate::error::AppError;
use crate::i18n::Lang;
use crate::service::DbConn;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct LangQuery {
    pub lang: Option<String>,
}

impl LangQuery {
    pub fn lang(&self) -> Lang {
        self.lang
            .as_deref()
            .and_then(Lang::parse)
            .unwrap_or_default()
    }
}

/// Database work off the async threads, with a connection from the pool:
/// the one way handlers reach the blocking use cases.
pub async fn run_blocking<T, F>(state: &web::Data<AppState>, work: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&AppState, &mut DbConn) -> Result<T, AppError> + Send + 'static,
{
    let state = state.clone();
    web::block(move || {
        let mut conn = state.pool.get()?;
        work(&state, &mut conn)
    })
    .await?
}

/// A path segment that is not the id or code it stands for names nothing:
/// a 404 page (a problem document under /api), before any handler runs.
fn not_found_page(
    err: actix_web::error::PathError,
    _: &actix_web::HttpRequest,
) -> actix_web::Error {
    tracing::debug!(error = %err, "path names nothing");
    AppError::NotFound.into()
}

fn not_found_problem(
    err: actix_web::error::PathError,
    _: &actix_web::HttpRequest,
) -> actix_web::Error {
    tracing::debug!(error = %err, "path names nothing");
    crate::error::ApiError(AppError::NotFound).into()
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::PathConfig::default().error_handler(not_found_page))
        .route("/", web::get().to(pages::home))
        .route("/healthz", web::get().to(api::health))
        .route("/static/app.css", web::get().to(pages::stylesheet))
        .route("/static/favicon.svg", web::get().to(pages::favicon))
        .route("/favicon.ico", web::get().to(pages::favicon))
        .route("/k/{code}", web::get().to(public::short_link))
        .route("/p/{campaign}", web::get().to(report_pages::public_report))
        .route(
            "/p/{campaign}/report.xlsx",
            web::get().to(report_pages::public_report_xlsx),
        )
        .route(
            "/campaigns/{campaign}/report",
            web::get().to(report_pages::report),
        )
        .route(
            "/campaigns/{campaign}/report.xlsx",
            web::get().to(report_pages::report_xlsx),
        )
        .route("/s/{campaign}/{unit}", web::get().to(public::form_page))
        .route("/s/{campaign}/{unit}", web::post().to(public::form_submit))
        .route("/s/{campaign}/{unit}/thanks", web::get().to(public::thanks))
        .route("/s/{campaign}/{unit}/poster", web::get().to(public::poster))
        .route("/s/{campaign}/{unit}/print", web::get().to(public::paper))
        .route("/s/{campaign}/{unit}/qr.svg", web::get().to(public::qr_svg))
        .route("/s/{campaign}/{unit}/qr.png", web::get().to(public::qr_png))
        .route("/i/done", web::get().to(personal::done))
        .route("/i/{token}", web::get().to(personal::show))
        .route("/i/{token}", web::post().to(personal::submit))
        .route("/i/{token}/unsubscribe", web::get().to(opt_out::ask))
        .route("/i/{token}/unsubscribe", web::post().to(opt_out::confirm))
        .route(
            "/campaigns/{campaign}/results",
            web::get().to(pages::results),
        )
        .route(
            "/campaigns/{campaign}/results/{list}/{unit}",
            web::get().to(pages::unit_results),
        )
        .route(
            "/campaigns/{campaign}/results/units-before",
            web::get().to(pages::units_before),
        )
        .service(
            web::scope("/api/v1")
                .app_data(web::PathConfig::default().error_handler(not_found_problem))
                .route("/campaigns", web::get().to(api::campaigns))
                .route("/invitations", web::post().to(api::issue_invitation))
                .route("/campaigns/{campaign}/results", web::get().to(api::results))
                .route(
                    "/campaigns/{campaign}/results/units-before",
                    web::get().to(api::units_before),
                )
                // Exports and the OpenAPI document.
                .route("/openapi.json", web::get().to(openapi::openapi))
                .route(
                    "/campaigns/{campaign}/export.csv",
                    web::get().to(exports::download),
                )
                .route(
                    "/campaigns/{campaign}/export.xlsx",
                    web::get().to(exports::download),
                )
                .route(
                    "/campaigns/{campaign}/export.json",
                    web::get().to(exports::download),
                )
                .route(
                    "/campaigns/{campaign}/export.ndjson",
                    web::get().to(exports::download),
                ),
        )
        .configure(admin::routes);
}
