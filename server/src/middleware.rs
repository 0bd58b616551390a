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
