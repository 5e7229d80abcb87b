//! Personal links (/i/{token}): one response per link, progress kept on the
//! server between visits, "already answered" once used. The token is in the
//! path, so every page here is served with Referrer-Policy: no-referrer (set
//! for the whole site) and the done page carries no token.
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use maud::html;

use crate::error::AppError;
use crate::i18n::{Lang, Msg};
use crate::service::invitations::{self, link_path, Opened};
use crate::service::responses::{self, decode_progress, Outcome, Posted, ResponseChannel, Submit};
use crate::state::AppState;
use crate::web::form::{self, PageView};
use crate::web::layout::{page, with_lang};
use crate::web::respond::{html, respond, see_other};
use crate::web::run_blocking;
use crate::web::LangQuery;

fn already_answered(lang: Lang) -> HttpResponse {
    html(
        StatusCode::OK,
        page(
            lang,
            Msg::AlreadyAnsweredTitle.get(lang),
            None,
            html! {
                h1 { (Msg::AlreadyAnsweredTitle.get(lang)) }
                p { (Msg::AlreadyAnsweredBody.get(lang)) }
            },
        ),
    )
}

pub async fn show(
    state: web::Data<AppState>,
    path: web::Path<String>,
    q: web::Query<LangQuery>,
) -> Result<HttpResponse, AppError> {
    let lang = q.lang();
    let tok = path.into_inner();
    let action = link_path(&tok);
    let opened = run_blocking(&state, move |state, conn| {
        invitations::open_link(&state.templates, conn, &tok)
    })
    .await?;
    let Opened::Form {
        form: ctx,
        progress,
        ..
    } = opened
    else {
        return Ok(already_answered(lang));
    };
    let (given, page_no) = progress.as_deref().map(decode_progress).unwrap_or_default();
    let key = uuid::Uuid::new_v4().to_string();
    Ok(html(
        StatusCode::OK,
        form::render(&PageView {
            ctx: &ctx,
            lang,
            given: &given,
            errors: &Default::default(),
            page: page_no,
            key: &key,
            action: Some(&action),
            save_for_later: true,
            notice: None,
        }),
    ))
}

pub async fn submit(
    state: web::Data<AppState>,
    path: web::Path<String>,
    q: web::Query<LangQuery>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let lang = q.lang();
    let tok = path.into_inner();
    let action = link_path(&tok);
    let mut posted = Posted::parse(body.into_inner());
    let outcome = run_blocking(
        &state,
        move |state, conn| -> Result<Option<Outcome>, AppError> {
            let opened = invitations::open_link(&state.templates, conn, &tok)?;
            let Opened::Form {
                form: ctx,
                invitation_id,
                ..
            } = opened
            else {
                return Ok(None);
            };
            // The link fixes the campaign, unit and service; nothing posted can change them.
            posted.service = ctx.service.as_ref().map(|s| s.code.clone());
            let submit = Submit {
                campaign_id: &ctx.campaign.id,
                unit_code: &ctx.unit.code,
                channel: ResponseChannel::PersonalLink,
                posted,
                device_id: None,
                invitation_id: Some(&invitation_id),
            };
            responses::step(
                &state.templates,
                &state.forms,
                &state.writes,
                state.settings.device_cap_per_campaign,
                conn,
                submit,
            )
            .map(Some)
        },
    )
    .await?;
    let done = with_lang("/i/done", lang);
    Ok(match outcome {
        // The link was answered meanwhile: its thank-you page.
        None => see_other(&done),
        Some(outcome) => respond(outcome, lang, &done, Some(&action)),
    })
}

/// The thank-you page of personal links: no token in its URL.
pub async fn done(q: web::Query<LangQuery>) -> HttpResponse {
    let lang = q.lang();
    html(
        StatusCode::OK,
        page(
            lang,
            Msg::ThanksTitle.get(lang),
            Some(&with_lang("/i/done", lang.other())),
            html! {
                h1 { (Msg::ThanksTitle.get(lang)) }
                p { (Msg::ThanksBody.get(lang)) }
            },
        ),
    )
}
