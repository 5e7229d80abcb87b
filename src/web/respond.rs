//! Answering a respondent: one way to turn a form step's outcome into a
//! response, shared by open links and personal links, and the plain pages
//! both give.
use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use maud::{html, Markup};

use crate::i18n::{Lang, Msg};
use crate::service::responses::{FormContext, Outcome};
use crate::web::form::{self, PageView};
use crate::web::layout::page;

pub fn html(status: StatusCode, body: Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body.into_string())
}

pub fn see_other(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to.to_string()))
        .finish()
}

/// A clear page for a submission we refuse; never a 500.
pub fn rejected(status: StatusCode, lang: Lang, body: Msg) -> HttpResponse {
    html(
        status,
        page(
            lang,
            Msg::RejectedTitle.get(lang),
            None,
            html! {
                h1 { (Msg::RejectedTitle.get(lang)) }
                p { (body.get(lang)) }
            },
        ),
    )
}

/// "Saved, come back later" for a form kept on the server.
pub fn saved(ctx: &FormContext, lang: Lang) -> Markup {
    page(
        lang,
        Msg::SavedTitle.get(lang),
        None,
        html! {
            h1 { (Msg::SavedTitle.get(lang)) }
            p { (Msg::SavedBody.get(lang)) }
            p.muted { (ctx.template.title.get(lang)) " · " (ctx.unit.name) }
        },
    )
}

/// What a form step gives the respondent: the thank-you page once stored
/// (or stored before: a repeated post), the next page or the same one with
/// its errors (422), the saved page, or the device cap's refusal. `action` is
/// where the form posts to when it is not its own URL.
pub fn respond(outcome: Outcome, lang: Lang, thanks: &str, action: Option<&str>) -> HttpResponse {
    match outcome {
        Outcome::Stored | Outcome::AlreadyStored => see_other(thanks),
        Outcome::Page {
            ctx,
            given,
            page,
            errors,
            key,
        } => {
            let status = if errors.is_empty() {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let view = PageView {
                ctx: &ctx,
                lang,
                given: &given,
                errors: &errors,
                page,
                key: &key,
                action,
                save_for_later: action.is_some(),
                notice: None,
            };
            html(status, form::render(&view))
        }
        Outcome::Saved(ctx) => html(StatusCode::OK, saved(&ctx, lang)),
        Outcome::DeviceCapReached => {
            rejected(StatusCode::TOO_MANY_REQUESTS, lang, Msg::DeviceCapBody)
        }
    }
}
