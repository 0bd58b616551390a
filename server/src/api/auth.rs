//! `POST /api/v1/auth/login`, `POST /api/v1/auth/logout`, `GET /api/v1/me`.

use super::error::ApiError;
use super::extract::{ApiJson, Auth};
use app::api::auth::{LoginParams, LoginView, UserView};
use app::backend::{AppState, services};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

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

pub async fn logout(
    State(state): State<AppState>,
    Auth(ctx): Auth,
) -> Result<StatusCode, ApiError> {
    services::auth::logout(&ctx, &state.db).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn me(
    State(state): State<AppState>,
    Auth(ctx): Auth,
) -> Result<Json<UserView>, ApiError> {
    Ok(Json(services::auth::me(&ctx, &state.db).await?))
}
