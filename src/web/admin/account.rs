//! Admin: logging in and out, and changing one's own password.
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::kit::{invalid, ok, Checked, Official, SignedIn};
use super::{admin_page, error_box, html_status, see_other, shown, CsrfOnly, Ctx};
use crate::error::AppError;
use crate::i18n::{Lang, Msg};
use crate::service::audit::AuditAction;
use crate::service::auth::{self, LoginOutcome};
use crate::state::AppState;
use crate::web::auth::{after_login, csrf_token, set_epoch, start_session};
use crate::web::layout::{page, with_lang};
use crate::web::{run_blocking, LangQuery};

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    /// The admin page asked for before logging in.
    #[serde(default)]
    next: String,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    lang: Option<String>,
    #[serde(default)]
    next: String,
}

fn login_page(lang: Lang, csrf: &str, next: &str, username: &str, error: Option<Msg>) -> Markup {
    let title = Msg::Login.get(lang);
    // The other language keeps the page to return to.
    let here = match serde_urlencoded::to_string([("next", next)]) {
        Ok(q) if next != "/admin" => format!("/admin/login?{q}"),
        _ => "/admin/login".to_string(),
    };
    page(
        lang,
        title,
        Some(&with_lang(&here, lang.other())),
        html! {
            h1 { (title) }
            @if let Some(e) = error {
                div.error-summary role="alert" tabindex="-1" { p { (e.get(lang)) } }
            }
            form method="post" action=(with_lang("/admin/login", lang)) {
                input type="hidden" name="csrf" value=(csrf);
                @if !next.is_empty() { input type="hidden" name="next" value=(next); }
                div.field {
                    label for="username" { (Msg::Username.get(lang)) }
                    input #username type="text" name="username" value=(username) autocomplete="username" required;
                }
                div.field {
                    label for="password" { (Msg::Password.get(lang)) }
                    input #password type="password" name="password" autocomplete="current-password" required;
                }
                button type="submit" { (Msg::Login.get(lang)) }
            }
        },
    )
}

pub async fn login_form(session: Session, q: web::Query<LoginQuery>) -> HttpResponse {
    let csrf = csrf_token(&session);
    let lang = LangQuery {
        lang: q.lang.clone(),
    }
    .lang();
    ok(login_page(lang, &csrf, after_login(&q.next), "", None))
}

pub async fn login_submit(
    state: web::Data<AppState>,
    session: Session,
    q: web::Query<LangQuery>,
    Checked(form): Checked<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let lang = q.lang();
    let (username, next) = (form.username.clone(), after_login(&form.next).to_string());
    let outcome = run_blocking(&state, move |state, conn| {
        auth::login(&state.settings, conn, &form.username, &form.password)
    })
    .await?;
    let refused = |status, why| {
        let page = login_page(lang, &csrf_token(&session), &next, &username, Some(why));
        html_status(status, page)
    };
    Ok(match outcome {
        LoginOutcome::Ok(user) => {
            start_session(&session, &user.id, user.session_epoch)?;
            if next == "/admin" {
                see_other(&with_lang("/admin", lang))
            } else {
                see_other(&next)
            }
        }
        LoginOutcome::Invalid => refused(StatusCode::UNAUTHORIZED, Msg::LoginInvalid),
        LoginOutcome::Locked => refused(StatusCode::TOO_MANY_REQUESTS, Msg::LoginLocked),
    })
}

pub async fn logout(
    state: web::Data<AppState>,
    session: Session,
    q: web::Query<LangQuery>,
    Checked(_): Checked<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    if let Ok(Some(uid)) = session.get::<String>("uid") {
        run_blocking(&state, move |_, conn| auth::logout(conn, &uid)).await?;
    }
    session.purge();
    Ok(see_other(&with_lang("/admin/login", q.lang())))
}

crate::csrf_forms!(LoginForm, PasswordForm);

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

fn password_page(ctx: &Ctx, errors: &[String], done: bool) -> Markup {
    let title = ctx.t(Msg::ChangePassword);
    admin_page(
        ctx,
        "/admin/password",
        title,
        html! {
            h1 { (title) }
            (error_box(ctx, errors))
            @if done { div.notice role="status" { p { (ctx.t(Msg::PasswordChanged)) } } }
            form method="post" action=(ctx.href("/admin/password")) {
                (ctx.csrf_field())
                div.field {
                    label for="current" { (ctx.t(Msg::CurrentPassword)) }
                    input #current type="password" name="current" autocomplete="current-password" required;
                }
                div.field {
                    label for="new" { (ctx.t(Msg::NewPassword)) }
                    input #new type="password" name="new" autocomplete="new-password" required minlength="10";
                }
                div.field {
                    label for="confirm" { (ctx.t(Msg::ConfirmPassword)) }
                    input #confirm type="password" name="confirm" autocomplete="new-password" required minlength="10";
                }
                button type="submit" { (title) }
            }
        },
    )
}

pub async fn password_form(me: Official<SignedIn>) -> Result<HttpResponse, AppError> {
    if me.principal().user_id.is_none() {
        return Err(AppError::Forbidden);
    }
    Ok(ok(password_page(&me.ctx, &[], false)))
}

pub async fn password_submit(
    me: Official<SignedIn>,
    Checked(form): Checked<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    let Some(uid) = me.principal().user_id.clone() else {
        return Err(AppError::Forbidden);
    };
    let ctx = &me.ctx;
    if form.new != form.confirm {
        let errs = [ctx.t(Msg::PasswordsDiffer).to_string()];
        return Ok(invalid(password_page(ctx, &errs, false)));
    }
    let actor = ctx.principal.actor.clone();
    let wrong = ctx.t(Msg::CurrentPasswordWrong).to_string();
    let lang = ctx.lang;
    let result = me
        .run(move |_, conn| {
            let user = auth::user(conn, &uid)?.ok_or(AppError::Unauthorized)?;
            if !auth::verify_password(&user.password_hash, &form.current) {
                return Ok(Err(wrong));
            }
            shown(
                auth::set_password(conn, &actor, &user, &form.new, AuditAction::PasswordChange)
                    .map(|_| user.session_epoch + 1),
                lang,
            )
        })
        .await?;
    Ok(match result {
        Ok(epoch) => {
            set_epoch(&me.session, epoch)?;
            ok(password_page(ctx, &[], true))
        }
        Err(e) => invalid(password_page(ctx, &[e], false)),
    })
}
