//! `GET /api/v1/benchmarks` and `benchmarks.csv`.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiQuery, Auth};
use app::backend::{AppState, services};
use app::wire::benchmarks::{BenchmarkQuery, BenchmarksView};
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

type E = ErrorBody;

/// Compliance and KPI statistics of the agreements the caller may see,
/// grouped one way over a range of periods.
#[utoipa::path(get, path = "/api/v1/benchmarks", tag = "benchmarks", params(BenchmarkQuery),
    responses((status = 200, body = BenchmarksView), (status = 400, body = E), (status = 401, body = E),
              (status = 403, body = E), (status = 422, body = E)))]
pub async fn list(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    ApiQuery(q): ApiQuery<BenchmarkQuery>,
) -> Result<Json<BenchmarksView>, ApiError> {
    Ok(Json(
        services::benchmarks::benchmarks_cached(&ctx, &state.db, &q).await?,
    ))
}

/// The same rows as CSV.
#[utoipa::path(get, path = "/api/v1/benchmarks.csv", tag = "benchmarks", params(BenchmarkQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = E),
              (status = 403, body = E), (status = 422, body = E)))]
pub async fn csv(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    ApiQuery(q): ApiQuery<BenchmarkQuery>,
) -> Result<Response, ApiError> {
    let v = services::benchmarks::benchmarks_cached(&ctx, &state.db, &q).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"benchmarks.csv\"",
            ),
        ],
        services::benchmarks::benchmarks_csv(&v),
    )
        .into_response())
}

/// `?from=YYYY-MM-DD&to=YYYY-MM-DD`.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct DateRange {
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
}

/// Channel mix and cost per transaction by channel, per currency.
#[utoipa::path(get, path = "/api/v1/benchmarks/channels", tag = "benchmarks", params(DateRange),
    responses((status = 200, body = Vec<app::wire::benchmarks::ChannelRow>), (status = 400, body = E),
              (status = 401, body = E), (status = 403, body = E)))]
pub async fn channels(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    ApiQuery(q): ApiQuery<DateRange>,
) -> Result<Json<Vec<app::wire::benchmarks::ChannelRow>>, ApiError> {
    Ok(Json(
        services::benchmarks::channels_cached(&ctx, &state.db, q.from, q.to).await?,
    ))
}
