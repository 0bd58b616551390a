//! Journeys across channels: a partner records counts of journeys by
//! service, month and channels (one by one or by CSV), and the flow view
//! reads the channel-to-channel matrix, completion rate and digital take-up.

use super::cost::csv_body;
use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiQuery, Auth};
use super::parse_id;
use app::backend::{AppState, services};
use app::wire::cost::ImportOutcome;
use app::wire::journeys::*;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};

type E = ErrorBody;

/// Records one count of journeys (replacing an earlier count for the same
/// month, service, partner and channels).
#[utoipa::path(post, path = "/api/v1/agreements/{id}/journeys", tag = "services",
    params(("id" = i32, Path)), request_body = JourneyParams,
    responses((status = 201, body = JourneyView), (status = 400, body = E), (status = 401, body = E),
              (status = 403, body = E), (status = 404, body = E),
              (status = 409, description = "The agreement is not active", body = E),
              (status = 422, body = E)))]
pub async fn record(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
    ApiJson(params): ApiJson<JourneyParams>,
) -> Result<(StatusCode, Json<JourneyView>), ApiError> {
    let id = parse_id(&id)?;
    let v = services::journeys::record(&ctx, &state.db, id, params).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// Imports journeys from CSV
/// (`period,service,organisation_id,started_on,ended_on,count`): all rows
/// or none.
#[utoipa::path(post, path = "/api/v1/agreements/{id}/journeys/import", tag = "services",
    params(("id" = i32, Path)), request_body(content = String, content_type = "text/csv"),
    responses((status = 201, body = ImportOutcome), (status = 401, body = E), (status = 403, body = E),
              (status = 404, body = E), (status = 409, description = "The agreement is not active", body = E),
              (status = 413, body = E),
              (status = 422, description = "Every bad row by line; nothing written", body = E)))]
pub async fn import(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<(StatusCode, Json<ImportOutcome>), ApiError> {
    let id = parse_id(&id)?;
    let bytes = csv_body(&headers, body)?;
    let v = services::journeys::import(&ctx, &state.db, id, &bytes).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// The flow matrix, completion rate and digital take-up per service and
/// month, over `from`..`to` (months), for one service or all.
#[utoipa::path(get, path = "/api/v1/agreements/{id}/journeys", tag = "services",
    params(("id" = i32, Path), JourneyFilters),
    responses((status = 200, body = JourneysView), (status = 401, body = E), (status = 403, body = E),
              (status = 404, body = E),
              (status = 422, description = "A malformed or reversed range, or an unknown service", body = E)))]
pub async fn flows(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<JourneyFilters>,
) -> Result<Json<JourneysView>, ApiError> {
    let id = parse_id(&id)?;
    Ok(Json(
        services::journeys::flows(&ctx, &state.db, id, &q).await?,
    ))
}
