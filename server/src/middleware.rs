//! Cross-cutting HTTP behaviour: security headers on every response and
//! request-body limits answered in the API's error shape.

use crate::api::error::ApiError;
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

/// Adds the headers of API.md to every response, in every mode.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
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
    if safe || headers.contains_key(header::AUTHORIZATION) || !has_session_cookie {
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

/// Server functions answer malformed arguments with a 500 and an `Args|…`
/// (or `Deserialization|…`) body; that is bad input, not a server fault, so
/// it becomes a 400 with the same body.
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
    if bytes.starts_with(b"Args|") || bytes.starts_with(b"Deserialization|") {
        parts.status = axum::http::StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, Body::from(bytes))
}
