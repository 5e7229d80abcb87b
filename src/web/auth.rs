//! Who is asking: the `Principal` extractor (session cookie, or an API key on
//! /api), CSRF tokens, and the security headers every response carries.
use std::future::Future;
use std::pin::Pin;

use actix_session::config::{CookieContentSecurity, PersistentSession};
use actix_session::storage::CookieSessionStore;
use actix_session::{Session, SessionExt, SessionMiddleware};
use actix_web::cookie::{time, Key, SameSite};
use actix_web::dev::Payload;
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::{web, FromRequest, HttpRequest};
use chrono::Utc;
use rand::Rng;

use crate::config::Settings;
use crate::error::{ApiError, AppError};
use crate::service::auth::{self, Principal};
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "sipas_session";
const UID: &str = "uid";
const EPOCH: &str = "epoch";
const ISSUED: &str = "iat";
const CSRF: &str = "csrf";

/// Sessions live in the cookie itself, encrypted and signed with the shared
/// key: any instance can read any session, with no session store.
pub fn session_middleware(
    settings: &Settings,
    key_bytes: &[u8],
) -> SessionMiddleware<CookieSessionStore> {
    SessionMiddleware::builder(CookieSessionStore::default(), Key::from(key_bytes))
        .cookie_name(SESSION_COOKIE.to_string())
        .cookie_http_only(true)
        .cookie_secure(settings.secure_cookies)
        .cookie_same_site(SameSite::Lax)
        .cookie_path("/".to_string())
        .cookie_content_security(CookieContentSecurity::Private)
        .session_lifecycle(
            PersistentSession::default().session_ttl(time::Duration::seconds(
                settings.session_secs.min(i64::MAX as u64) as i64,
            )),
        )
        .build()
}

/// Start the session of a user who just logged in, with a fresh CSRF token.
pub fn start_session(session: &Session, user_id: &str, epoch: i32) -> Result<(), AppError> {
    session.renew();
    let set = |k: &str, v: serde_json::Value| {
        session
            .insert(k, v)
            .map_err(|e| AppError::internal("session", e))
    };
    set(UID, user_id.into())?;
    set(EPOCH, epoch.into())?;
    set(ISSUED, Utc::now().timestamp().into())?;
    set(CSRF, new_token().into())?;
    Ok(())
}

/// Keep the current session valid after the user's epoch moved (own password change).
pub fn set_epoch(session: &Session, epoch: i32) -> Result<(), AppError> {
    session
        .insert(EPOCH, epoch)
        .map_err(|e| AppError::internal("session", e))
}

fn new_token() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    hex::encode(bytes)
}

/// The session's CSRF token, created when the session has none yet.
pub fn csrf_token(session: &Session) -> String {
    if let Ok(Some(t)) = session.get::<String>(CSRF) {
        return t;
    }
    let t = new_token();
    let _ = session.insert(CSRF, &t);
    t
}

/// Every state-changing form carries the session's token in a `csrf` field.
pub fn check_csrf(session: &Session, given: &str) -> Result<(), AppError> {
    match session.get::<String>(CSRF) {
        Ok(Some(t)) if !given.is_empty() && auth::constant_time_eq(&t, given) => Ok(()),
        _ => {
            tracing::debug!("csrf token missing or wrong");
            Err(AppError::Csrf)
        }
    }
}

impl FromRequest for Principal {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let is_api = req.path().starts_with("/api/");
        let state = req.app_data::<web::Data<AppState>>().cloned();
        // API keys are for systems calling /api; pages only know sessions.
        let bearer = if is_api {
            req.headers()
                .get(header::AUTHORIZATION)
                .map(|v| v.to_str().unwrap_or_default().to_string())
        } else {
            None
        };
        // A browser session opens the API for reading only: calls that change
        // state need an API key, so cookies (and CSRF) never reach them.
        let cookie_may_write = !is_api || req.method().is_safe();
        let session = req.get_session();
        Box::pin(async move {
            let wrap = move |e: AppError| -> actix_web::Error {
                if is_api {
                    ApiError(e).into()
                } else {
                    e.into()
                }
            };
            let state = state.ok_or_else(|| wrap(AppError::invariant("no app state")))?;
            if let Some(h) = bearer {
                let key = h
                    .strip_prefix("Bearer ")
                    .map(str::trim)
                    .filter(|k| !k.is_empty())
                    .ok_or_else(|| wrap(AppError::Unauthorized))?
                    .to_string();
                let found = web::block(move || {
                    let mut conn = state.pool.get()?;
                    auth::principal_for_key(&mut conn, &key)
                })
                .await
                .map_err(|e| wrap(e.into()))?
                .map_err(wrap)?;
                return found.ok_or_else(|| wrap(AppError::Unauthorized));
            }
            if !cookie_may_write {
                return Err(wrap(AppError::Unauthorized));
            }
            let uid = session.get::<String>(UID).ok().flatten();
            let epoch = session.get::<i32>(EPOCH).ok().flatten();
            let issued = session.get::<i64>(ISSUED).ok().flatten();
            let (Some(uid), Some(epoch), Some(issued)) = (uid, epoch, issued) else {
                return Err(wrap(AppError::Unauthorized));
            };
            let age = Utc::now().timestamp() - issued;
            if age < -60 || age as u64 > state.settings.session_secs {
                session.purge();
                return Err(wrap(AppError::Unauthorized));
            }
            let found = web::block(move || {
                let mut conn = state.pool.get()?;
                auth::principal_for_user(&mut conn, &uid, epoch)
            })
            .await
            .map_err(|e| wrap(e.into()))?
            .map_err(wrap)?;
            match found {
                Some((p, _)) => Ok(p),
                None => {
                    session.purge();
                    Err(wrap(AppError::Unauthorized))
                }
            }
        })
    }
}

/// The Content-Security-Policy of every response: no inline script or style,
/// no framing, forms post only to us.
pub const CSP: &str =
    "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Security headers on every response. Referrer-Policy no-referrer everywhere,
/// so personal tokens in form URLs never leak; HSTS only when served over TLS
/// (directly or behind a proxy saying so); admin pages are never cached.
/// A signed-out visitor sent to the login page from an admin page (GET)
/// goes back there after logging in: the page rides along as `?next=`.
pub fn remember_destination(h: &mut HeaderMap, asked_for: &str) {
    // The dashboard is where a login goes anyway.
    let dashboard = matches!(asked_for, "/admin" | "/admin/");
    if dashboard || !asked_for.starts_with("/admin") || asked_for.starts_with("/admin/login") {
        return;
    }
    let to_login = h
        .get(header::LOCATION)
        .is_some_and(|l| l.as_bytes() == b"/admin/login");
    if !to_login {
        return;
    }
    let Ok(query) = serde_urlencoded::to_string([("next", asked_for)]) else {
        return;
    };
    if let Ok(v) = HeaderValue::from_str(&format!("/admin/login?{query}")) {
        h.insert(header::LOCATION, v);
    }
}

/// Where to go after logging in: `next` when it is one of our admin pages,
/// never another site (`//host`, `https://…`) nor the login page again.
pub fn after_login(next: &str) -> &str {
    let ours = next.starts_with("/admin")
        && !next.starts_with("/admin/login")
        && !next.contains("//")
        && !next.contains('\\');
    if ours {
        next
    } else {
        "/admin"
    }
}

pub fn security_headers(h: &mut HeaderMap, https: bool, private: bool) {
    let mut set = |name: header::HeaderName, value: &'static str| {
        if !h.contains_key(&name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    };
    set(header::CONTENT_SECURITY_POLICY, CSP);
    set(header::X_FRAME_OPTIONS, "DENY");
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "no-referrer");
    if https {
        set(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    if private {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}
