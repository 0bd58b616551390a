//! Cross-cutting HTTP behaviour: security headers on every response and
//! request-body limits answered in the API's error shape.

use crate::rest::error::ApiError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// JSON (and every other non-CSV) request bodies: 1 MiB.
pub const JSON_LIMIT: usize = 1024 * 1024;
/// CSV uploads: 10 MiB.
pub const CSV_LIMIT: usize = 10 * 1024 * 1024;

/// The policy for responses that are not pages (JSON, files, errors).
/// Pages set their own, with the nonce of their hydration scripts.
const STRICT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// Adds the headers of API.md to every response, in every mode; and to a
/// response to a request that carried credentials (a bearer token or the
/// session cookie), `Cache-Control: no-store` unless the response set its
/// own (the same files for everyone), so that no cache between keeps what
/// one user saw.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let credentials = request.headers().contains_key(header::AUTHORIZATION)
        || request
            .headers()
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|c| c.contains(&format!("{}=", app::backend::auth::SESSION_COOKIE)));
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    // A response that chose its own caching (the site's static files) keeps it.
    if credentials {
        headers
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
    }
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(STRICT_CSP));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    response
}

/// `Strict-Transport-Security` for a server behind HTTPS (secure cookies:
/// the default in production): browsers then never reach it over plain
/// HTTP again.
pub async fn hsts(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response.headers_mut().insert(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static("max-age=31536000; includeSubDomains"),
    );
    response
}

/// Refuses bodies over the limit for their content type with a 413 in the
/// error shape, whether or not the client announced the length.
pub async fn body_limit(request: Request, next: Next) -> Response {
    let is_csv = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("text/csv"));
    let (limit, label) = if is_csv {
        (CSV_LIMIT, "10 MiB")
    } else {
        (JSON_LIMIT, "1 MiB")
    };
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|len| len > limit as u64) {
        return ApiError::payload_too_large(label).into_response();
    }
    // A body without a length is cut off at the limit; extractors then fail
    // with a length error, which the handlers answer as 413.
    let (parts, body) = request.into_parts();
    let body = Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, body)).await
}

/// Refuses cookie-authenticated writes that do not come from this site's own
/// pages (CSRF): a state-changing request carrying the session cookie must
/// name this host in `Origin` (or, failing that, `Referer`). Requests with
/// an `Authorization` header are not cookie-authenticated and pass.
pub async fn same_origin_writes(request: Request, next: Next) -> Response {
    use axum::http::Method;
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let headers = request.headers();
    let has_session_cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| {
            v.split(';')
                .any(|kv| kv.trim().starts_with(app::backend::auth::SESSION_COOKIE))
        });
    // Server functions are called by Concord's own pages alone: every
    // write to one must come from them, signed in or not (a cross-site
    // sign-in would sign the victim in as the attacker).
    let page_call = request.uri().path().starts_with("/sfn/");
    if safe || headers.contains_key(header::AUTHORIZATION) || !(has_session_cookie || page_call) {
        return next.run(request).await;
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let source = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // "http://host:port[/path]" → "host:port"
    let source_host = source
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or("");
    if !host.is_empty() && source_host.eq_ignore_ascii_case(host) {
        next.run(request).await
    } else {
        ApiError::new(
            axum::http::StatusCode::FORBIDDEN,
            "forbidden",
            "This request did not come from Concord's own pages and was refused.",
        )
        .into_response()
    }
}

/// Server functions answer arguments that do not parse with a 500 (Leptos
/// reads them before any of Concord's code runs), in the error shape with
/// the code `bad_request` (see `server_fns`'s `FromServerFnError`); that is
/// bad input, not a server fault, so it becomes a 400 with the same body.
pub async fn server_fn_bad_input(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/sfn/") {
        return next.run(request).await;
    }
    let response = next.run(request).await;
    if response.status() != axum::http::StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, JSON_LIMIT).await else {
        return ApiError::internal().into_response();
    };
    let refused = serde_json::from_slice::<app::wire::error::AppError>(&bytes)
        .is_ok_and(|e| e.code == app::wire::error::BAD_REQUEST);
    if refused {
        parts.status = axum::http::StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// A request id a client sent is not the server's: it moves to
/// `x-client-request-id` (logged as `client_request_id`), and the server
/// gives the request its own id (the one audit rows record).
pub async fn client_request_id(mut request: Request, next: Next) -> Response {
    if let Some(theirs) = request.headers_mut().remove("x-request-id") {
        request.headers_mut().insert("x-client-request-id", theirs);
    }
    next.run(request).await
}

/// The last line of defence: a handler that panics answers 500 in the
/// error shape (never a dropped connection), and the panic is logged.
#[allow(clippy::needless_pass_by_value)] // the signature CatchPanicLayer calls
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let what = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = what, "a request handler panicked");
    ApiError::internal().into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::routing::get;
    use tower::ServiceExt;
    use tower_http::catch_panic::CatchPanicLayer;

    #[tokio::test]
    async fn a_panicking_handler_answers_500_in_the_error_shape() {
        async fn boom() -> &'static str {
            let limit: u64 = std::hint::black_box(u64::MAX);
            let _ = limit.checked_add(1).expect("overflow");
            "unreachable"
        }
        let app = Router::new()
            .route("/boom", get(boom))
            .layer(CatchPanicLayer::custom(panic_response));
        let response = app
            .oneshot(Request::get("/boom").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), 500);
        let body = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["error"]["code"], "internal_error");
    }
}
