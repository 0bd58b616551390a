//! Extractors that answer in the API's error shape: the acting `Ctx` from
//! the request's credentials, and JSON bodies.

use super::error::ApiError;
use app::backend::{AppState, Ctx, ctx_from_parts};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// The acting context: anonymous when the request has no credentials; a
/// 401 at once when it has invalid ones.
pub struct Auth(pub Ctx);

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(Auth(ctx_from_parts(state, parts).await?))
    }
}

/// A JSON body; malformed JSON, wrong types and unknown enum values are a
/// 400, an oversized body a 413.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let axum::Json(v) = axum::Json::<T>::from_request(req, state).await?;
        Ok(ApiJson(v))
    }
}

/// A query string; a missing or malformed parameter is a 400 in the error
/// shape (axum's own `Query` would answer in plain text).
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned> FromRequestParts<AppState> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let axum::extract::Query(v) =
            axum::extract::Query::<T>::from_request_parts(parts, state).await?;
        Ok(ApiQuery(v))
    }
}
