//! `POST /api/v1/cost-sharing/simulate`.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, Auth};
use app::api::cost::{SimulateParams, SplitView};
use app::backend::services;
use axum::Json;

/// Each party's share of a projected total under a model (a pure calculation).
#[utoipa::path(post, path = "/api/v1/cost-sharing/simulate", tag = "cost-sharing", request_body = SimulateParams,
    responses((status = 200, body = SplitView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 422, description = "A bad amount or model, or a split the model cannot make", body = ErrorBody)))]
pub async fn simulate(
    Auth(ctx): Auth,
    ApiJson(params): ApiJson<SimulateParams>,
) -> Result<Json<SplitView>, ApiError> {
    Ok(Json(services::cost::simulate(&ctx, &params)?))
}
