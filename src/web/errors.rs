//! Errors answered to people and systems: pages get an HTML error page
//! (both languages, since the error may come before we know the reader's);
//! the API gets problem documents (RFC 9457) with a stable `type`.
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use maud::html;

use crate::error::{ApiError, AppError};
use crate::i18n::{Lang, Msg};
use crate::web::layout;

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

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.0.status()
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.0.status();
        let detail = match &self.0 {
            AppError::Db(_) | AppError::Pool(_) | AppError::Internal { .. } => {
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
                "type": format!("urn:sipas:problem:{}", self.0.kind()),
                "title": status.canonical_reason().unwrap_or("error"),
                "status": status.as_u16(),
                "detail": detail,
            }))
    }
}
