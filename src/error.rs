//! One error type for the app. Pages get an HTML error page (both languages,
//! since the error may come before we know the reader's); the API gets JSON.
//! Errors are logged once, with their status, by `web::request_log`.
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use maud::html;

use crate::i18n::{Lang, Msg};
use crate::web::layout;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    BadRequest(String),
    #[error("campaign is not open")]
    Closed,
    /// The request clashes with what exists (409), e.g. a dossier id already
    /// used by another unit. The message must not reveal that unit's data.
    #[error("{0}")]
    Conflict(String),
    #[error("database error: {0}")]
    Db(#[from] diesel::result::Error),
    #[error("database pool error: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("internal error: {0}")]
    Internal(String),
    /// Not logged in (pages redirect to the login page; the API answers 401).
    #[error("authentication required")]
    Unauthorized,
    /// Logged in, but the role or unit does not allow this.
    #[error("forbidden")]
    Forbidden,
    /// A state-changing form came without its CSRF token, or with a wrong one.
    #[error("the form is stale or was not sent from this site; reload the page and try again")]
    Csrf,
}

pub fn not_found() -> AppError {
    AppError::NotFound
}

pub fn bad_request(msg: impl Into<String>) -> AppError {
    AppError::BadRequest(msg.into())
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        AppError::Internal(e.to_string())
    }
}

impl AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Closed => StatusCode::GONE,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Db(_) | AppError::Pool(_) | AppError::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    fn titles(&self) -> (Msg, Option<Msg>) {
        match self {
            AppError::NotFound => (Msg::NotFoundTitle, Some(Msg::NotFoundBody)),
            AppError::BadRequest(_) | AppError::Conflict(_) => (Msg::BadRequestTitle, None),
            AppError::Closed => (Msg::ClosedTitle, Some(Msg::ClosedBody)),
            AppError::Unauthorized | AppError::Forbidden => {
                (Msg::ForbiddenTitle, Some(Msg::ForbiddenBody))
            }
            AppError::Csrf => (Msg::ForbiddenTitle, Some(Msg::CsrfBody)),
            _ => (Msg::ServerErrorTitle, Some(Msg::ServerErrorBody)),
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        if matches!(self, AppError::Unauthorized) {
            return HttpResponse::SeeOther()
                .insert_header((actix_web::http::header::LOCATION, "/admin/login"))
                .finish();
        }
        let (title, body) = self.titles();
        let detail = match self {
            AppError::BadRequest(m) | AppError::Conflict(m) => Some(m.clone()),
            _ => None,
        };
        let page = layout::page(
            Lang::Vi,
            title.get(Lang::Vi),
            None,
            html! {
                @for lang in [Lang::Vi, Lang::En] {
                    section lang=(lang.code()) {
                        h1 { (title.get(lang)) }
                        @if let Some(b) = body { p { (b.get(lang)) } }
                        @if let Some(d) = &detail { p { (d) } }
                        p { a href="/" { (Msg::BackHome.get(lang)) } }
                    }
                }
            },
        );
        HttpResponse::build(self.status())
            .content_type("text/html; charset=utf-8")
            .body(page.into_string())
    }
}

/// The same errors, answered as JSON problem documents (RFC 9457) for /api.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct ApiError(#[from] pub AppError);

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        ApiError(AppError::Db(e))
    }
}

impl From<diesel::r2d2::PoolError> for ApiError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        ApiError(AppError::Pool(e))
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        ApiError(e.into())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.0.status()
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.0.status();
        let detail = match &self.0 {
            AppError::Db(_) | AppError::Pool(_) | AppError::Internal(_) => {
                "internal error".to_string()
            }
            other => other.to_string(),
        };
        let mut builder = HttpResponse::build(status);
        if matches!(self.0, AppError::Unauthorized) {
            builder.insert_header((
                actix_web::http::header::WWW_AUTHENTICATE,
                "Bearer realm=\"sipas\"",
            ));
        }
        builder
            .content_type("application/problem+json")
            .json(serde_json::json!({
                "title": status.canonical_reason().unwrap_or("error"),
                "status": status.as_u16(),
                "detail": detail,
            }))
    }
}
