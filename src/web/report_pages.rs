//! The ranking report: for accounts at `/campaigns/{id}/report`, for
//! everyone at `/p/{id}` once the campaign is published; each also as XLSX.
use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use rust_xlsxwriter::{Format, Workbook};

use crate::domain::account::Permission;
use crate::domain::ids::CampaignId;
use crate::error::AppError;
use crate::i18n::{Lang, Msg};
use crate::service::auth::{Principal, Scope};
use crate::service::results::CampaignResults;
use crate::service::{access, campaigns};
use crate::state::AppState;
use crate::web::layout::{page, with_lang};
use crate::web::respond::html;
use crate::web::results_page::report::{self, ReportView};
use crate::web::run_blocking;
use crate::web::LangQuery;

/// The report's figures, as `scope` may see them.
struct Loaded {
    results: Arc<CampaignResults>,
    period: String,
    published_on: Option<chrono::NaiveDate>,
    min_cell: u64,
}

async fn load(
    state: &web::Data<AppState>,
    scope: Scope,
    id: CampaignId,
) -> Result<Loaded, AppError> {
    run_blocking(state, move |state, conn| {
        let campaign = campaigns::get(conn, &id)?;
        let template = state.templates.get(conn, &campaign.template_id)?;
        let snapshot = state.results_for(conn, &scope, &id, None)?;
        let results = Arc::new(access::restricted(&scope, &snapshot.results)?.into_owned());
        Ok(Loaded {
            results,
            period: format!(
                "{} – {}",
                campaign.period_start.format("%d/%m/%Y"),
                campaign.period_end.format("%d/%m/%Y")
            ),
            published_on: campaigns::published_on(conn, &id)?,
            min_cell: template.min_cell,
        })
    })
    .await
}

fn render(l: &Loaded, lang: Lang, public: bool, self_path: &str, xlsx_path: &str) -> HttpResponse {
    let title = format!(
        "{}: {}",
        Msg::ReportTitle.get(lang),
        l.results.campaign_name
    );
    let body = report::report(
        &ReportView {
            results: &l.results,
            period: l.period.clone(),
            published_on: l.published_on,
            xlsx_href: with_lang(xlsx_path, lang),
            public,
            min_cell: l.min_cell,
        },
        lang,
    );
    html(
        StatusCode::OK,
        page(
            lang,
            &title,
            Some(&with_lang(self_path, lang.other())),
            body,
        ),
    )
}

/// The report as a one-sheet workbook: numbers as numbers, two decimals,
/// a frozen header and a filter.
fn workbook(l: &Loaded, lang: Lang, public: bool) -> Result<HttpResponse, AppError> {
    let rows = report::rows(&l.results, lang);
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let xlsx = |e: rust_xlsxwriter::XlsxError| AppError::internal("report workbook", e);
    sheet.set_name(Msg::Report.get(lang)).map_err(xlsx)?;
    let bold = Format::new().set_bold().set_text_wrap();
    let two = Format::new().set_num_format("0.00");
    let headers = [
        (Msg::BlockLabel, 34.0),
        (Msg::RankShort, 7.0),
        (Msg::UnitCode, 12.0),
        (Msg::Unit, 40.0),
        (Msg::Overall, 12.0),
        (Msg::BandShort, 7.0),
        (Msg::ChangeShort, 10.0),
        (Msg::RankBefore, 10.0),
        (Msg::Respondents, 10.0),
        (Msg::StandingLabel, 20.0),
    ];
    for (c, (m, w)) in headers.iter().enumerate() {
        let c = c as u16;
        sheet
            .write_string_with_format(0, c, m.get(lang), &bold)
            .map_err(xlsx)?;
        sheet.set_column_width(c, *w).map_err(xlsx)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = (i + 1) as u32;
        let hidden = public && r.respondents < l.min_cell;
        sheet.write_string(row, 0, &r.block).map_err(xlsx)?;
        if let Some(k) = r.rank {
            sheet.write_number(row, 1, f64::from(k)).map_err(xlsx)?;
        }
        sheet.write_string(row, 2, &r.code).map_err(xlsx)?;
        sheet.write_string(row, 3, &r.name).map_err(xlsx)?;
        if let (Some(x), false) = (r.index, hidden) {
            sheet
                .write_number_with_format(row, 4, x, &two)
                .map_err(xlsx)?;
        }
        if let (Some(b), false) = (&r.band, hidden) {
            sheet.write_string(row, 5, b).map_err(xlsx)?;
        }
        if let (Some(d), false) = (r.change, hidden) {
            sheet
                .write_number_with_format(row, 6, d, &two)
                .map_err(xlsx)?;
        }
        if let Some(k) = r.rank_before {
            sheet.write_number(row, 7, f64::from(k)).map_err(xlsx)?;
        }
        sheet
            .write_number(row, 8, r.respondents as f64)
            .map_err(xlsx)?;
        sheet.write_string(row, 9, &r.standing).map_err(xlsx)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx)?;
    sheet
        .autofilter(0, 0, rows.len() as u32, (headers.len() - 1) as u16)
        .map_err(xlsx)?;
    let bytes = book.save_to_buffer().map_err(xlsx)?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"sipas-report-{}.xlsx\"",
                l.results.campaign_id
            ),
        ))
        .body(bytes))
}

pub async fn report(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<CampaignId>,
    q: web::Query<LangQuery>,
) -> Result<HttpResponse, AppError> {
    principal.require(Permission::ViewResults)?;
    let id = path.into_inner();
    let self_path = format!("/campaigns/{id}/report");
    let l = load(&state, principal.scope.clone(), id).await?;
    Ok(render(
        &l,
        q.lang(),
        false,
        &self_path,
        &format!("{self_path}.xlsx"),
    ))
}

pub async fn report_xlsx(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<CampaignId>,
    q: web::Query<LangQuery>,
) -> Result<HttpResponse, AppError> {
    principal.require(Permission::ViewResults)?;
    let l = load(&state, principal.scope.clone(), path.into_inner()).await?;
    workbook(&l, q.lang(), false)
}

/// A published campaign's report, for everyone; an unpublished one is not found.
async fn published(state: &web::Data<AppState>, id: CampaignId) -> Result<Loaded, AppError> {
    let l = load(state, Scope::All, id).await?;
    if l.published_on.is_none() {
        return Err(AppError::NotFound);
    }
    Ok(l)
}

pub async fn public_report(
    state: web::Data<AppState>,
    path: web::Path<CampaignId>,
    q: web::Query<LangQuery>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let self_path = format!("/p/{id}");
    let l = published(&state, id).await?;
    Ok(render(
        &l,
        q.lang(),
        true,
        &self_path,
        &format!("{self_path}/report.xlsx"),
    ))
}

pub async fn public_report_xlsx(
    state: web::Data<AppState>,
    path: web::Path<CampaignId>,
    q: web::Query<LangQuery>,
) -> Result<HttpResponse, AppError> {
    let l = published(&state, path.into_inner()).await?;
    workbook(&l, q.lang(), true)
}
