//! The one public error shape of API.md, and how service errors and
//! extractor rejections map onto it. Internal details are logged, never sent.

use app::backend::{PublicError, ServiceError};
use app::wire::error::{AppError, BAD_REQUEST};
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// A REST answer that went wrong: the status, the error of API.md's shape
/// (sent as `{"error": …}`), and how long to wait.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub error: AppError,
    /// Seconds to wait before trying again (`Retry-After`), when busy.
    pub retry_after: Option<u64>,
}

#[derive(Serialize)]
struct Body<'a> {
    error: &'a AppError,
}

/// The error body, as documented (the shape of API.md): the body
/// [`ApiError`] sends.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ErrorBody {
    error: AppError,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            error: AppError::new(code, message),
            retry_after: None,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, BAD_REQUEST, message)
    }

    pub fn not_found() -> Self {
        ServiceError::NotFound.into()
    }

    pub fn payload_too_large(limit: &str) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("The request body is larger than the {limit} this endpoint accepts."),
        )
    }

    pub fn internal() -> Self {
        PublicError::internal().into()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body { error: &self.error };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(seconds),
            );
        }
        response
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        e.public().into()
    }
}

impl From<PublicError> for ApiError {
    fn from(p: PublicError) -> Self {
        ApiError {
            status: StatusCode::from_u16(p.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            error: p.error,
            retry_after: p.retry_after,
        }
    }
}

impl From<axum::extract::rejection::QueryRejection> for ApiError {
    fn from(e: axum::extract::rejection::QueryRejection) -> Self {
        ApiError::bad_request(e.body_text())
    }
}

impl From<axum::extract::rejection::JsonRejection> for ApiError {
    fn from(e: axum::extract::rejection::JsonRejection) -> Self {
        use axum::extract::rejection::JsonRejection as J;
        match &e {
            J::BytesRejection(b) if b.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                ApiError::payload_too_large("1 MiB")
            }
            J::MissingJsonContentType(_) => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "bad_request",
                "Send the body as application/json.",
            ),
            _ => ApiError::bad_request(e.body_text()),
        }
    }
}
