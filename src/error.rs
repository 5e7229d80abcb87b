//! One error type for the app, with its status and catalogue texts. How it
//! is answered (an HTML page, a problem document) is the web layer's: see
//! `web::errors`.
//! Errors are logged once, with their status, by `web::request_log`.
use actix_web::http::StatusCode;

use crate::i18n::Msg;

/// The error an internal error came from.
pub type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

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
    /// Something failed that the request could not cause; `source` is why,
    /// when another error is.
    #[error("internal error: {context}")]
    Internal {
        context: String,
        #[source]
        source: Option<Cause>,
    },
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
        AppError::internal("blocking task", e)
    }
}

/// An error with every cause below it, `: `-separated; a cause whose text
/// its parent already ends with is not repeated.
pub fn report(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    while let Some(cause) = next {
        let text = cause.to_string();
        if !out.ends_with(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        next = cause.source();
    }
    out
}

impl AppError {
    /// An internal error caused by `cause` (an error, or its text).
    pub fn internal(context: impl Into<String>, cause: impl Into<Cause>) -> AppError {
        AppError::Internal {
            context: context.into(),
            source: Some(cause.into()),
        }
    }

    /// An internal error no other error caused: a broken invariant.
    pub fn invariant(context: impl Into<String>) -> AppError {
        AppError::Internal {
            context: context.into(),
            source: None,
        }
    }

    /// A stable name per kind of error: the `type` of its problem document.
    pub fn kind(&self) -> &'static str {
        match self {
            AppError::NotFound => "not-found",
            AppError::BadRequest(_) => "bad-request",
            AppError::Closed => "campaign-not-open",
            AppError::Conflict(_) => "conflict",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::Csrf => "stale-form",
            AppError::Db(_) | AppError::Pool(_) | AppError::Internal { .. } => "internal",
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Closed => StatusCode::GONE,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Db(_) | AppError::Pool(_) | AppError::Internal { .. } => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// The page's title and text, in the catalogue.
    pub fn titles(&self) -> (Msg, Option<Msg>) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_internal_error_reports_its_cause_once() {
        let io = std::io::Error::other("disk full");
        let e = AppError::internal("export: write", io);
        assert_eq!(e.to_string(), "internal error: export: write");
        assert_eq!(report(&e), "internal error: export: write: disk full");
        let db = AppError::Db(diesel::result::Error::NotFound);
        assert_eq!(report(&db), db.to_string());
    }
}
