//! Admin: logging in and out, and changing one's own password.
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::{admin_page, error_box, html_status, see_other, shown, CsrfOnly, Ctx};
use crate::db;
use crate::error::AppError;
use crate::i18n::{Lang, Msg};
use crate::service::auth::{self, LoginOutcome, Principal};
use crate::state::AppState;
use crate::web::auth::{check_csrf, csrf_token, set_epoch, start_session};
use crate::web::layout::{page, with_lang};
use crate::web::LangQuery;

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

fn login_page(lang: Lang, csrf: &str, username: &str, error: Option<Msg>) -> Markup {
    let title = Msg::Login.get(lang);
    page(
        lang,
        title,
        Some(&with_lang("/admin/login", lang.other())),
        html! {
            h1 { (title) }
            @if let Some(e) = error {
                div.error-summary role="alert" tabindex="-1" { p { (e.get(lang)) } }
            }
            form method="post" action=(with_lang("/admin/login", lang)) {
                input type="hidden" name="csrf" value=(csrf);
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

pub async fn login_form(session: Session, q: web::Query<LangQuery>) -> HttpResponse {
    let csrf = csrf_token(&session);
    html_status(StatusCode::OK, login_page(q.lang(), &csrf, "", None))
}

pub async fn login_submit(
    state: web::Data<AppState>,
    session: Session,
    q: web::Query<LangQuery>,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let lang = q.lang();
    check_csrf(&session, &form.csrf)?;
    let form = form.into_inner();
    let username = form.username.clone();
    let outcome = web::block(move || {
        let mut conn = state.pool.get()?;
        auth::login(&state.settings, &mut conn, &form.username, &form.password)
    })
    .await??;
    match outcome {
        LoginOutcome::Ok(user) => {
            start_session(&session, &user.id, user.session_epoch)?;
            Ok(see_other(&with_lang("/admin", lang)))
        }
        LoginOutcome::Invalid => Ok(html_status(
            StatusCode::UNAUTHORIZED,
            login_page(
                lang,
                &csrf_token(&session),
                &username,
                Some(Msg::LoginInvalid),
            ),
        )),
        LoginOutcome::Locked => Ok(html_status(
            StatusCode::TOO_MANY_REQUESTS,
            login_page(
                lang,
                &csrf_token(&session),
                &username,
                Some(Msg::LoginLocked),
            ),
        )),
    }
}

pub async fn logout(
    state: web::Data<AppState>,
    session: Session,
    q: web::Query<LangQuery>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&session, &form.csrf)?;
    if let Ok(Some(uid)) = session.get::<String>("uid") {
        web::block(move || -> Result<(), AppError> {
            let mut conn = state.pool.get()?;
            if let Some(u) = db::accounts::user(&mut conn, &uid)? {
                // The cookie itself stays readable until it expires, so logging
                // out moves the user's epoch: every cookie issued before is dead.
                db::accounts::end_sessions(&mut conn, &u.id)?;
                db::audit::record(
                    &mut conn,
                    &format!("user:{}", u.username),
                    "logout",
                    &u.username,
                    "",
                )?;
            }
            Ok(())
        })
        .await??;
    }
    session.purge();
    Ok(see_other(&with_lang("/admin/login", q.lang())))
}

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

pub async fn password_form(
    principal: Principal,
    session: Session,
    q: web::Query<LangQuery>,
) -> Result<HttpResponse, AppError> {
    if principal.user_id.is_none() {
        return Err(AppError::Forbidden);
    }
    let ctx = Ctx::new(principal, &session, q.lang());
    Ok(html_status(StatusCode::OK, password_page(&ctx, &[], false)))
}

pub async fn password_submit(
    state: web::Data<AppState>,
    principal: Principal,
    session: Session,
    q: web::Query<LangQuery>,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&session, &form.csrf)?;
    let Some(uid) = principal.user_id.clone() else {
        return Err(AppError::Forbidden);
    };
    let ctx = Ctx::new(principal, &session, q.lang());
    let form = form.into_inner();
    if form.new != form.confirm {
        let errs = vec![ctx.t(Msg::PasswordsDiffer).to_string()];
        return Ok(html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            password_page(&ctx, &errs, false),
        ));
    }
    let actor = ctx.principal.actor.clone();
    let wrong = ctx.t(Msg::CurrentPasswordWrong).to_string();
    let lang = ctx.lang;
    let result = web::block(move || -> Result<Result<i32, String>, AppError> {
        let mut conn = state.pool.get()?;
        let user = db::accounts::user(&mut conn, &uid)?.ok_or(AppError::Unauthorized)?;
        if !auth::verify_password(&user.password_hash, &form.current) {
            return Ok(Err(wrong));
        }
        shown(
            auth::set_password(&mut conn, &actor, &user, &form.new, "password_change")
                .map(|_| user.session_epoch + 1),
            lang,
        )
    })
    .await??;
    match result {
        Ok(epoch) => {
            set_epoch(&session, epoch)?;
            Ok(html_status(StatusCode::OK, password_page(&ctx, &[], true)))
        }
        Err(e) => Ok(html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            password_page(&ctx, &[e], false),
        )),
    }
}
