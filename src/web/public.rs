//! The respondent's side: open links, the paged form, the thank-you page,
//! and the QR posters put up at the one-stop desk.
use std::net::IpAddr;

use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::html;
use serde::Deserialize;

use crate::domain::ids::CampaignId;
use crate::domain::unit::UnitCode;
use crate::error::AppError;
use crate::i18n::{Lang, Msg};
use crate::service::responses::{self, FormContext, Posted, ResponseChannel, Submit};
use crate::state::AppState;
use crate::web::form::{self, form_path, PageView};
use crate::web::layout::{page, with_lang};
use crate::web::qr;
use crate::web::respond::{html, rejected, respond};
use crate::web::run_blocking;

const DEVICE_COOKIE: &str = "sipas_device";

#[derive(Debug, Deserialize)]
pub struct FormQuery {
    pub lang: Option<String>,
    /// The public service (TTHC) code of an open link.
    pub dv: Option<String>,
}

impl FormQuery {
    fn lang(&self) -> Lang {
        self.lang
            .as_deref()
            .and_then(Lang::parse)
            .unwrap_or_default()
    }
}

fn client_ip(req: &HttpRequest, state: &AppState) -> Option<IpAddr> {
    if state.settings.trust_proxy {
        if let Some(ip) = req
            .connection_info()
            .realip_remote_addr()
            .and_then(|s| s.parse().ok())
        {
            return Some(ip);
        }
    }
    req.peer_addr().map(|a| a.ip())
}

/// The device cookie: a random id, never stored beside a response.
fn device_id(req: &HttpRequest) -> Option<String> {
    req.cookie(DEVICE_COOKIE)
        .and_then(|c| uuid::Uuid::parse_str(c.value()).ok())
        .map(|u| u.to_string())
}

fn device_cookie(id: String) -> Cookie<'static> {
    Cookie::build(DEVICE_COOKIE, id)
        .path("/s/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::days(365))
        .finish()
}

/// `/s/{campaign}/{unit}`: parsed once; anything else is a 404.
type FormPath = (CampaignId, UnitCode);

pub async fn form_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<FormPath>,
    q: web::Query<FormQuery>,
) -> Result<HttpResponse, AppError> {
    let lang = q.lang();
    let (campaign, unit) = path.into_inner();
    let dv = q.dv.clone();
    let ctx = load_form(state, campaign, unit, dv).await?;
    if ctx.campaign.status() != crate::domain::campaign::CampaignStatus::Open {
        return Err(AppError::Closed);
    }
    let key = uuid::Uuid::new_v4().to_string();
    let body = form::render(&PageView {
        ctx: &ctx,
        lang,
        given: &Default::default(),
        errors: &Default::default(),
        page: 0,
        key: &key,
        action: None,
    });
    let mut resp = html(StatusCode::OK, body);
    if device_id(&req).is_none() {
        resp.add_cookie(&device_cookie(uuid::Uuid::new_v4().to_string()))
            .map_err(|e| AppError::internal("device cookie", e))?;
    }
    Ok(resp)
}

pub async fn form_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<FormPath>,
    q: web::Query<FormQuery>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let lang = q.lang();
    if let (Some(limiter), Some(ip)) = (&state.form_limiter, client_ip(&req, &state)) {
        if limiter.check_key(&ip).is_err() {
            // An expected refusal: the request log records the 429.
            tracing::debug!(%ip, "form rate limit reached");
            return Ok(rejected(
                StatusCode::TOO_MANY_REQUESTS,
                lang,
                Msg::RateLimitedBody,
            ));
        }
    }
    let posted = Posted::parse(body.into_inner());
    if posted.honeypot_filled {
        tracing::debug!("honeypot filled; submission refused");
        return Ok(rejected(StatusCode::BAD_REQUEST, lang, Msg::HoneypotBody));
    }
    let (campaign, unit) = path.into_inner();
    let (c2, u2) = (campaign.clone(), unit.clone());
    let device = device_id(&req);
    let service = posted.service.clone();
    let outcome = run_blocking(&state, move |state, conn| {
        let submit = Submit {
            campaign_id: &c2,
            unit_code: &u2,
            channel: ResponseChannel::OpenLink,
            posted,
            device_id: device.as_deref(),
            invitation_id: None,
        };
        responses::step(
            &state.templates,
            state.settings.device_cap_per_campaign,
            conn,
            submit,
        )
    })
    .await?;
    let mut thanks = with_lang(&format!("{}/thanks", form_path(&campaign, &unit)), lang);
    if let Some(dv) = service {
        thanks.push_str(&format!("&dv={dv}"));
    }
    Ok(respond(outcome, lang, &thanks, None))
}

pub async fn thanks(
    state: web::Data<AppState>,
    path: web::Path<FormPath>,
    q: web::Query<FormQuery>,
) -> Result<HttpResponse, AppError> {
    let lang = q.lang();
    let (campaign, unit) = path.into_inner();
    let ctx = load_form(state, campaign, unit, None).await?;
    Ok(html(StatusCode::OK, form::thanks(&ctx, lang)))
}

/// The absolute open-link URL a QR code carries.
fn open_link(
    state: &AppState,
    req: &HttpRequest,
    campaign: &str,
    unit: &str,
    dv: Option<&str>,
) -> String {
    let mut url = format!(
        "{}{}",
        super::api::base_url(state, req),
        form_path(campaign, unit)
    );
    if let Some(dv) = dv.filter(|d| !d.is_empty()) {
        url.push_str(&format!("?dv={dv}"));
    }
    url
}

/// A printable poster for the one-stop desk: the unit, the QR code, the link.
pub async fn poster(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<FormPath>,
    q: web::Query<FormQuery>,
) -> Result<HttpResponse, AppError> {
    let lang = q.lang();
    let (campaign, unit) = path.into_inner();
    let url = open_link(&state, &req, &campaign, &unit, q.dv.as_deref());
    let dv = q.dv.clone();
    let ctx = load_form(state, campaign, unit, dv).await?;
    let svg = qr::svg(&url).map_err(|e| AppError::internal("QR code", e))?;
    let qs = ctx
        .service
        .as_ref()
        .map(|s| format!("?dv={}", s.code))
        .unwrap_or_default();
    let base = form_path(&ctx.campaign.id, &ctx.unit.code);
    Ok(html(
        StatusCode::OK,
        page(
            lang,
            Msg::PosterTitle.get(lang),
            None,
            html! {
                div.poster {
                    h1 { (Msg::PosterTitle.get(lang)) }
                    p { strong { (ctx.unit.name) } }
                    @if let Some(s) = &ctx.service { p { (Msg::Service.get(lang)) ": " (s.name) } }
                    p { (Msg::PosterScan.get(lang)) }
                    figure { (maud::PreEscaped(svg)) }
                    p { (Msg::PosterOrOpen.get(lang)) br; span.url { (url) } }
                    p.muted { a href={ (base) "/qr.svg" (qs) } { "SVG" } " · " a href={ (base) "/qr.png" (qs) } { "PNG" } }
                }
            },
        ),
    ))
}

/// The QR code of an open link as an image: SVG for print shops, PNG for
/// documents.
async fn qr_image(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<FormPath>,
    q: web::Query<FormQuery>,
    png: bool,
) -> Result<HttpResponse, AppError> {
    let (campaign, unit) = path.into_inner();
    let url = open_link(&state, &req, &campaign, &unit, q.dv.as_deref());
    load_form(state, campaign, unit, q.dv.clone()).await?;
    let (content_type, body) = if png {
        (
            "image/png",
            qr::png(&url, 10).map_err(|e| AppError::internal("QR code", e))?,
        )
    } else {
        let svg = qr::svg(&url).map_err(|e| AppError::internal("QR code", e))?;
        ("image/svg+xml", svg.into_bytes())
    };
    Ok(HttpResponse::Ok().content_type(content_type).body(body))
}

pub async fn qr_svg(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<FormPath>,
    q: web::Query<FormQuery>,
) -> Result<HttpResponse, AppError> {
    qr_image(state, req, path, q, false).await
}

pub async fn qr_png(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<FormPath>,
    q: web::Query<FormQuery>,
) -> Result<HttpResponse, AppError> {
    qr_image(state, req, path, q, true).await
}

/// The campaign's form for one unit (and service), resolved off the async threads.
async fn load_form(
    state: web::Data<AppState>,
    campaign: CampaignId,
    unit: UnitCode,
    dv: Option<String>,
) -> Result<FormContext, AppError> {
    run_blocking(&state, move |state, conn| {
        responses::form_context(&state.templates, conn, &campaign, &unit, dv.as_deref())
    })
    .await
}

/// The paper questionnaire for enumerators and for people who prefer paper.
pub async fn paper(
    state: web::Data<AppState>,
    path: web::Path<FormPath>,
    q: web::Query<FormQuery>,
) -> Result<HttpResponse, AppError> {
    let lang = q.lang();
    let (campaign, unit) = path.into_inner();
    let ctx = load_form(state, campaign, unit, None).await?;
    Ok(html(StatusCode::OK, form::paper(&ctx, lang)))
}
