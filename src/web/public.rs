//! The respondent's side: open links, the paged form, the thank-you page,
//! and the QR posters put up at the one-stop desk.
use std::net::IpAddr;

use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::http::StatusCode;
use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use maud::html;
use serde::Deserialize;

use crate::domain::ids::CampaignId;
use crate::domain::unit::UnitCode;
use crate::error::AppError;
use crate::i18n::{Lang, Msg};
use crate::service::responses::{self, FormContext, Posted, ResponseChannel, Submit};
use crate::service::short_links;
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

pub async fn form_page(req: HttpRequest, named: NamedForm) -> Result<HttpResponse, AppError> {
    let NamedForm { form: ctx, lang } = named;
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
        save_for_later: false,
        notice: None,
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
            &state.forms,
            &state.writes,
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

pub async fn thanks(named: NamedForm) -> HttpResponse {
    html(StatusCode::OK, form::thanks(&named.form, named.lang))
}

/// The short URL of a unit's (or service's) open link, drawing the
/// campaign's codes on first use.
async fn short_url(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    form: &FormContext,
) -> Result<String, AppError> {
    let campaign = form.campaign.id.to_string();
    let key = (
        form.unit.id.to_string(),
        form.service
            .as_ref()
            .map(|s| s.code.clone())
            .unwrap_or_default(),
    );
    let code = run_blocking(state, move |_, conn| {
        let mut codes = short_links::ensure(conn, &campaign)?;
        codes.remove(&key).ok_or(AppError::NotFound)
    })
    .await?;
    Ok(format!("{}/k/{code}", super::api::base_url(state, req)))
}

/// A printable poster for the one-stop desk: the unit, the QR code of its
/// short link, the link in large type.
pub async fn poster(
    state: web::Data<AppState>,
    req: HttpRequest,
    named: NamedForm,
) -> Result<HttpResponse, AppError> {
    let NamedForm { form: ctx, lang } = named;
    let url = short_url(&state, &req, &ctx).await?;
    let svg = qr::svg(&url).map_err(|e| AppError::internal("QR code", e))?;
    let base = form_path(&ctx.campaign.id, &ctx.unit.code);
    let body = crate::web::poster::poster(
        &crate::web::poster::Poster {
            campaign: &ctx.campaign,
            unit_name: &ctx.unit.name,
            service: ctx.service.as_ref(),
            template: &ctx.template,
            url: &url,
            qr_svg: &svg,
            form_path: &base,
        },
        lang,
    );
    Ok(html(
        StatusCode::OK,
        page(lang, Msg::PosterTitle.get(lang), None, body),
    ))
}

/// A short link typed or scanned from a poster: on to the form.
pub async fn short_link(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let typed = code.into_inner();
    let found = run_blocking(&state, move |_, conn| short_links::resolve(conn, &typed)).await?;
    match found {
        Some((campaign, unit, service)) => {
            let mut to = form_path(&campaign, &unit);
            if !service.is_empty() {
                to.push_str(&format!("?dv={service}"));
            }
            Ok(HttpResponse::SeeOther()
                .insert_header((actix_web::http::header::LOCATION, to))
                .finish())
        }
        None => Ok(html(
            StatusCode::NOT_FOUND,
            page(
                Lang::Vi,
                Msg::PosterTitle.get(Lang::Vi),
                None,
                html! {
                    h1 { (Msg::PosterTitle.get(Lang::Vi)) }
                    p { (Msg::ShortLinkUnknown.get(Lang::Vi)) }
                    p lang="en" { (Msg::ShortLinkUnknown.get(Lang::En)) }
                },
            ),
        )),
    }
}

/// The QR code of an open link as an image: SVG for print shops.
pub async fn qr_svg(
    state: web::Data<AppState>,
    req: HttpRequest,
    named: NamedForm,
) -> Result<HttpResponse, AppError> {
    let url = short_url(&state, &req, &named.form).await?;
    let svg = qr::svg(&url).map_err(|e| AppError::internal("QR code", e))?;
    Ok(HttpResponse::Ok().content_type("image/svg+xml").body(svg))
}

/// The QR code of an open link as an image: PNG for documents.
pub async fn qr_png(
    state: web::Data<AppState>,
    req: HttpRequest,
    named: NamedForm,
) -> Result<HttpResponse, AppError> {
    let url = short_url(&state, &req, &named.form).await?;
    let png = qr::png(&url, 10).map_err(|e| AppError::internal("QR code", e))?;
    Ok(HttpResponse::Ok().content_type("image/png").body(png))
}

/// The paper questionnaire for enumerators and for people who prefer paper.
pub async fn paper(named: NamedForm) -> HttpResponse {
    html(StatusCode::OK, form::paper(&named.form, named.lang))
}

/// The form a `/s/{campaign}/{unit}` URL names (`?dv=` adds its service),
/// loaded before the handler runs, with the reader's language.
pub struct NamedForm {
    pub form: FormContext,
    pub lang: Lang,
}

impl FromRequest for NamedForm {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let (campaign, unit) = web::Path::<FormPath>::extract(&req).await?.into_inner();
            let q = web::Query::<FormQuery>::extract(&req).await?.into_inner();
            let state = web::Data::<AppState>::extract(&req).await?;
            let lang = q.lang();
            let dv = q.dv.as_deref();
            // Kept in memory: no blocking thread, no database (most views).
            if let Some(form) = state.forms.peek(&campaign, &unit, dv) {
                return Ok(NamedForm { form, lang });
            }
            let form = run_blocking(&state, move |state, conn| {
                let dv = q.dv.as_deref();
                state
                    .forms
                    .context(&state.templates, conn, &campaign, &unit, dv)
            })
            .await?;
            Ok(NamedForm { form, lang })
        })
    }
}
