//! One log line per request, at a level an operator can act on: refusals
//! (4xx) are expected and logged at info, server errors at error with their
//! cause, everything else at debug.
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::Error;
use tracing::{Level, Span};
use tracing_actix_web::RootSpanBuilder;

use crate::error::{report, ApiError, AppError};

/// The span around each request carries only the method and the route
/// pattern: the raw path may hold personal tokens (`/i/{token}`).
pub struct RequestLog;

impl RootSpanBuilder for RequestLog {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let span = tracing::info_span!(
            "request",
            method = %request.method(),
            route = tracing::field::Empty,
            path = tracing::field::Empty,
        );
        use tracing::field::display;
        match request.match_pattern() {
            Some(route) => span.record("route", display(route)),
            // No route matched, so no token can be in the path.
            None => span.record("path", display(request.path())),
        };
        span
    }

    fn on_request_end<B: MessageBody>(_span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        let (status, error) = match outcome {
            Ok(res) => (res.status(), res.response().error().map(describe)),
            Err(e) => (e.as_response_error().status_code(), Some(describe(e))),
        };
        log(status, error.as_deref());
    }
}

/// The error with its chain of causes, when it is one of ours: the only
/// place that chain is logged.
fn describe(e: &Error) -> String {
    let app = e
        .as_error::<AppError>()
        .or_else(|| e.as_error::<ApiError>().map(|a| &a.0));
    match app {
        Some(app) => report(app),
        None => e.to_string(),
    }
}

/// The level a finished request is logged at.
pub fn level_for(status: StatusCode) -> Level {
    if status.is_server_error() {
        Level::ERROR
    } else if status.is_client_error() {
        Level::INFO
    } else {
        Level::DEBUG
    }
}

fn log(code: StatusCode, error: Option<&str>) {
    let status = code.as_u16();
    // `tracing` needs the level at compile time, hence one call per level.
    match (level_for(code), error) {
        (Level::ERROR, Some(error)) => tracing::error!(status, error, "request failed"),
        (Level::ERROR, None) => tracing::error!(status, "request failed"),
        (Level::INFO, Some(reason)) => tracing::info!(status, reason, "request refused"),
        (Level::INFO, None) => tracing::info!(status, "request refused"),
        _ => tracing::debug!(status, "request"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_info_and_server_errors_are_errors() {
        for code in [400, 401, 403, 404, 410, 413, 422, 429] {
            let s = StatusCode::from_u16(code).unwrap();
            assert_eq!(level_for(s), Level::INFO, "{code}");
        }
        for code in [500, 502, 503] {
            let s = StatusCode::from_u16(code).unwrap();
            assert_eq!(level_for(s), Level::ERROR, "{code}");
        }
        for code in [200, 204, 303, 304] {
            let s = StatusCode::from_u16(code).unwrap();
            assert_eq!(level_for(s), Level::DEBUG, "{code}");
        }
    }
}
