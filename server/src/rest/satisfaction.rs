//! Citizen satisfaction by driver: an agreement's survey results (one by
//! one or by CSV, all rows or none) and their aggregates, and across the
//! portfolio, benchmarks by driver and the driver analysis.

use super::cost::csv_body;
use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiQuery, Auth};
use super::parse_id;
use app::backend::{AppState, services};
use app::wire::cost::ImportOutcome;
use app::wire::satisfaction::*;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};

type E = ErrorBody;

/// Records one survey result (replacing an earlier result for the same
/// service, channel, month and party).
#[utoipa::path(post, path = "/api/v1/agreements/{id}/satisfaction", tag = "satisfaction",
    params(("id" = i32, Path)), request_body = SatisfactionParams,
    responses((status = 201, body = SatisfactionResultView), (status = 400, body = E), (status = 401, body = E),
              (status = 403, body = E), (status = 404, body = E),
              (status = 409, description = "The agreement is not active", body = E), (status = 422, body = E)))]
pub async fn record(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
    ApiJson(params): ApiJson<SatisfactionParams>,
) -> Result<(StatusCode, Json<SatisfactionResultView>), ApiError> {
    let id = parse_id(&id)?;
    let v = services::satisfaction::record(&ctx, &state.db, id, params).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// Imports survey results from CSV
/// (`period,service,channel,organisation_id,sample_size,overall,margin_of_error,timeliness,knowledge,courtesy,fairness,outcome`):
/// all rows or none.
#[utoipa::path(post, path = "/api/v1/agreements/{id}/satisfaction/import", tag = "satisfaction",
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
    let v = services::satisfaction::import(&ctx, &state.db, id, &bytes).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// An agreement's results over some months, with their aggregates by
/// service and channel, weighted by sample size.
#[utoipa::path(get, path = "/api/v1/agreements/{id}/satisfaction", tag = "satisfaction",
    params(("id" = i32, Path), SatisfactionQuery),
    responses((status = 200, body = AgreementSatisfactionView), (status = 401, body = E), (status = 403, body = E),
              (status = 404, body = E), (status = 422, body = E)))]
pub async fn results(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<SatisfactionQuery>,
) -> Result<Json<AgreementSatisfactionView>, ApiError> {
    let id = parse_id(&id)?;
    Ok(Json(
        services::satisfaction::results(&ctx, &state.db, id, &q).await?,
    ))
}

/// Satisfaction overall and by driver per agreement, structure or
/// boundary crossed, over the agreements the caller may see.
#[utoipa::path(get, path = "/api/v1/satisfaction/benchmarks", tag = "satisfaction",
    params(SatisfactionBenchmarkQuery),
    responses((status = 200, body = SatisfactionBenchmarksView), (status = 400, body = E), (status = 401, body = E),
              (status = 403, body = E), (status = 422, body = E)))]
pub async fn benchmarks(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    ApiQuery(q): ApiQuery<SatisfactionBenchmarkQuery>,
) -> Result<Json<SatisfactionBenchmarksView>, ApiError> {
    Ok(Json(
        services::satisfaction::benchmarks(&ctx, &state.db, &q).await?,
    ))
}

/// Which drivers most separate satisfied from dissatisfied clients: each
/// driver's sample-size-weighted correlation with overall satisfaction
/// across results, and the gap between satisfied and dissatisfied results.
#[utoipa::path(get, path = "/api/v1/satisfaction/drivers", tag = "satisfaction",
    params(SatisfactionQuery),
    responses((status = 200, body = DriverAnalysisView), (status = 401, body = E), (status = 403, body = E),
              (status = 422, body = E)))]
pub async fn drivers(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    ApiQuery(q): ApiQuery<SatisfactionQuery>,
) -> Result<Json<DriverAnalysisView>, ApiError> {
    Ok(Json(
        services::satisfaction::drivers(&ctx, &state.db, &q).await?,
    ))
}
