//! The opt-out page behind List-Unsubscribe: /i/{token}/unsubscribe.
//!
//! GET only asks (mail scanners open links; RFC 8058 forbids acting on GET);
//! POST stops further reminders for that invitation. The personal token in
//! the URL is what authorises the POST, so the one-click POST a mail client
//! sends ("List-Unsubscribe=One-Click", no cookies) works as the page's own
//! button does; no session or CSRF cookie is involved. The survey link keeps
//! working: opting out only stops reminders.
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use maud::html;

use crate::error::AppError;
use crate::i18n::Msg;
use crate::service::invitations::{self, link_path};
use crate::state::AppState;
use crate::web::layout::{page, with_lang};
use crate::web::respond::html;
use crate::web::run_blocking;
use crate::web::LangQuery;

fn path_of(tok: &str) -> String {
    format!("{}/unsubscribe", link_path(tok))
}

pub async fn ask(
    state: web::Data<AppState>,
    path: web::Path<String>,
    q: web::Query<LangQuery>,
) -> Result<HttpResponse, AppError> {
    let lang = q.lang();
    let tok = path.into_inner();
    let here = path_of(&tok);
    run_blocking(&state, move |_, conn| {
        invitations::by_token(conn, &tok).map(|_| ())
    })
    .await?;
    Ok(html(
        StatusCode::OK,
        page(
            lang,
            Msg::OptOutTitle.get(lang),
            Some(&with_lang(&here, lang.other())),
            html! {
                h1 { (Msg::OptOutTitle.get(lang)) }
                p { (Msg::OptOutQuestion.get(lang)) }
                form method="post" action=(with_lang(&here, lang)) {
                    input type="hidden" name="List-Unsubscribe" value="One-Click";
                    button type="submit" { (Msg::OptOutButton.get(lang)) }
                }
            },
        ),
    ))
}

pub async fn confirm(
    state: web::Data<AppState>,
    path: web::Path<String>,
    q: web::Query<LangQuery>,
) -> Result<HttpResponse, AppError> {
    let lang = q.lang();
    let tok = path.into_inner();
    run_blocking(&state, move |_, conn| {
        let today = crate::clock::today();
        invitations::opt_out(conn, &tok, today).map(drop)
    })
    .await?;
    Ok(html(
        StatusCode::OK,
        page(
            lang,
            Msg::OptOutTitle.get(lang),
            None,
            html! {
                h1 { (Msg::OptOutTitle.get(lang)) }
                p role="status" { (Msg::OptOutDone.get(lang)) }
            },
        ),
    ))
}
