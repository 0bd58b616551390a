//! Drafting and negotiation endpoints: create, replace terms, withdraw,
//! versions and comparison, comments, lifecycle moves, approvals.

use super::error::ApiError;
use super::extract::{ApiJson, ApiQuery, Auth};
use super::parse_id;
use app::backend::{AppState, services};
use app::wire::agreements::AgreementView;
use app::wire::negotiation::*;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

type E = super::error::ErrorBody;

/// `{"items": [...]}` for lists that are never paged.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Items<T> {
    pub items: Vec<T>,
}

/// Creates a draft (`version: 1`, `status: "draft"`).
#[utoipa::path(post, path = "/api/v1/agreements", tag = "agreements", request_body = AgreementTermsParams,
    responses((status = 201, body = AgreementView), (status = 400, body = E), (status = 401, body = E),
              (status = 403, body = E), (status = 422, description = "Every problem, by field", body = E)))]
pub async fn create(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    ApiJson(terms): ApiJson<AgreementTermsParams>,
) -> Result<(StatusCode, Json<AgreementView>), ApiError> {
    let view = services::negotiation::create(&ctx, &state.db, terms).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Replaces the terms, based on `version`; creates version + 1.
#[utoipa::path(put, path = "/api/v1/agreements/{id}", tag = "agreements", params(("id" = i32, Path)),
    request_body = UpdateAgreementParams,
    responses((status = 200, body = AgreementView), (status = 400, body = E), (status = 401, body = E),
              (status = 403, body = E), (status = 404, body = E),
              (status = 409, description = "Stale version (details list what changed) or a closed agreement", body = E),
              (status = 422, body = E)))]
pub async fn update(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
    ApiJson(params): ApiJson<UpdateAgreementParams>,
) -> Result<Json<AgreementView>, ApiError> {
    let id = parse_id(&id)?;
    Ok(Json(
        services::negotiation::update(&ctx, &state.db, id, params).await?,
    ))
}

/// Withdraws (deletes) a draft that never left draft.
#[utoipa::path(delete, path = "/api/v1/agreements/{id}", tag = "agreements", params(("id" = i32, Path)),
    responses((status = 204, description = "Withdrawn"), (status = 401, body = E), (status = 403, body = E),
              (status = 404, body = E), (status = 409, body = E)))]
pub async fn withdraw(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = parse_id(&id)?;
    services::negotiation::withdraw(&ctx, &state.db, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every version, oldest first.
#[utoipa::path(get, path = "/api/v1/agreements/{id}/versions", tag = "agreements", params(("id" = i32, Path)),
    responses((status = 200, body = Items<VersionView>), (status = 401, body = E), (status = 404, body = E)))]
pub async fn versions(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
) -> Result<Json<Items<VersionView>>, ApiError> {
    let id = parse_id(&id)?;
    Ok(Json(Items {
        items: services::negotiation::versions(&ctx, &state.db, id).await?,
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct CompareQuery {
    from: i32,
    to: i32,
}

/// Two versions compared field by field.
#[utoipa::path(get, path = "/api/v1/agreements/{id}/versions/compare", tag = "agreements",
    params(("id" = i32, Path), CompareQuery),
    responses((status = 200, body = ComparisonView), (status = 400, body = E), (status = 401, body = E), (status = 404, body = E)))]
pub async fn compare(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<CompareQuery>,
) -> Result<Json<ComparisonView>, ApiError> {
    let id = parse_id(&id)?;
    Ok(Json(
        services::negotiation::compare(&ctx, &state.db, id, q.from, q.to).await?,
    ))
}

/// Comments, oldest first; `parent_id` threads replies.
#[utoipa::path(get, path = "/api/v1/agreements/{id}/comments", tag = "agreements", params(("id" = i32, Path)),
    responses((status = 200, body = Items<CommentView>), (status = 401, body = E), (status = 404, body = E)))]
pub async fn comments(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
) -> Result<Json<Items<CommentView>>, ApiError> {
    let id = parse_id(&id)?;
    Ok(Json(Items {
        items: services::negotiation::comments(&ctx, &state.db, id).await?,
    }))
}

/// Comments on a version (users of the parties).
#[utoipa::path(post, path = "/api/v1/agreements/{id}/comments", tag = "agreements", params(("id" = i32, Path)),
    request_body = CommentParams,
    responses((status = 201, body = CommentView), (status = 401, body = E), (status = 403, body = E),
              (status = 404, body = E), (status = 422, body = E)))]
pub async fn add_comment(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
    ApiJson(params): ApiJson<CommentParams>,
) -> Result<(StatusCode, Json<CommentView>), ApiError> {
    let id = parse_id(&id)?;
    let c = services::negotiation::add_comment(&ctx, &state.db, id, params).await?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// Moves the agreement along its lifecycle.
#[utoipa::path(post, path = "/api/v1/agreements/{id}/transitions", tag = "agreements", params(("id" = i32, Path)),
    request_body = TransitionParams,
    responses((status = 200, body = AgreementView), (status = 400, body = E), (status = 401, body = E),
              (status = 403, body = E), (status = 404, body = E), (status = 409, description = "A move the lifecycle forbids", body = E)))]
pub async fn transition(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
    ApiJson(params): ApiJson<TransitionParams>,
) -> Result<Json<AgreementView>, ApiError> {
    let id = parse_id(&id)?;
    Ok(Json(
        services::negotiation::transition(&ctx, &state.db, id, params.to).await?,
    ))
}

/// Approves a version for the caller's organisation (executives of a party).
#[utoipa::path(post, path = "/api/v1/agreements/{id}/approvals", tag = "agreements", params(("id" = i32, Path)),
    request_body = ApprovalParams,
    responses((status = 201, body = AgreementView), (status = 401, body = E), (status = 403, body = E),
              (status = 404, body = E), (status = 409, body = E)))]
pub async fn approve(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
    ApiJson(params): ApiJson<ApprovalParams>,
) -> Result<(StatusCode, Json<AgreementView>), ApiError> {
    let id = parse_id(&id)?;
    let view = services::negotiation::approve(&ctx, &state.db, id, params.version).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Withdraws the pending amendment: the terms in force are untouched and
/// the version stays in the history, marked withdrawn.
#[utoipa::path(delete, path = "/api/v1/agreements/{id}/amendment", tag = "agreements", params(("id" = i32, Path)),
    responses((status = 200, body = AgreementView), (status = 401, body = E), (status = 403, body = E),
              (status = 404, body = E), (status = 409, body = E)))]
pub async fn withdraw_amendment(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
) -> Result<Json<AgreementView>, ApiError> {
    let id = parse_id(&id)?;
    Ok(Json(
        services::negotiation::withdraw_amendment(&ctx, &state.db, id).await?,
    ))
}

/// The agreement as an Open Contracting Data Standard record package.
#[utoipa::path(get, path = "/api/v1/agreements/{id}/export/ocds", tag = "agreements", params(("id" = i32, Path)),
    responses((status = 200, description = "An OCDS record package", body = Object),
              (status = 401, body = E), (status = 404, body = E)))]
pub async fn export_ocds(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let id = parse_id(&id)?;
    Ok(Json(
        services::export::ocds(&ctx, &state.db, id, &state.publisher).await?,
    ))
}
