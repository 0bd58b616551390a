//! `POST /api/v1/auth/login`, `POST /api/v1/auth/logout`, `GET` and `PATCH /api/v1/me`.

use super::error::ApiError;
use super::extract::{ApiJson, Auth};
use app::backend::{AppState, services};
use app::wire::auth::{LoginParams, LoginView, UserView};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// Signs in; the token goes in `Authorization: Bearer`.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", security(()), request_body = app::wire::auth::LoginParams,
    responses((status = 200, body = app::wire::auth::LoginView),
              (status = 400, description = "Malformed JSON", body = crate::rest::error::ErrorBody),
              (status = 401, description = "Wrong email or password (one answer for both)", body = crate::rest::error::ErrorBody),
              (status = 429, description = "Too many failures for this account or address", body = crate::rest::error::ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    ApiJson(params): ApiJson<LoginParams>,
) -> Result<Json<LoginView>, ApiError> {
    let login = services::auth::login(
        &ctx,
        &state.db,
        &state.auth,
        &params.email,
        &params.password,
    )
    .await?;
    Ok(Json(login))
}

/// Revokes the caller's session token at once.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    responses((status = 204, description = "Signed out"),
              (status = 401, body = crate::rest::error::ErrorBody)))]
pub async fn logout(
    State(state): State<AppState>,
    Auth(ctx): Auth,
) -> Result<StatusCode, ApiError> {
    services::auth::logout(&ctx, &state.db).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth",
    responses((status = 200, body = app::wire::auth::UserView),
              (status = 401, body = crate::rest::error::ErrorBody), (status = 403, description = "An API token", body = crate::rest::error::ErrorBody)))]
pub async fn me(
    State(state): State<AppState>,
    Auth(ctx): Auth,
) -> Result<Json<UserView>, ApiError> {
    Ok(Json(services::auth::me(&ctx, &state.db).await?))
}

/// The signed-in user's own settings: the language Concord writes to them
/// in (`en` or `fr`).
#[utoipa::path(patch, path = "/api/v1/me", tag = "auth", request_body = app::wire::auth::MeParams,
    responses((status = 200, body = app::wire::auth::UserView),
              (status = 401, body = crate::rest::error::ErrorBody), (status = 403, description = "An API token", body = crate::rest::error::ErrorBody),
              (status = 422, body = crate::rest::error::ErrorBody)))]
pub async fn update_me(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    ApiJson(params): ApiJson<app::wire::auth::MeParams>,
) -> Result<Json<UserView>, ApiError> {
    Ok(Json(
        services::auth::set_language(&ctx, &state.db, params.lang).await?,
    ))
}
