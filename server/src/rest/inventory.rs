//! `GET /api/v1/services` and `services.csv`: the service inventory.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiQuery, Auth};
use app::backend::{AppState, services};
use app::wire::inventory::{InventoryQuery, InventoryView};
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

type E = ErrorBody;

/// The services of the agreements the caller may see, filtered and sorted,
/// with each channel's standard judged over a range of months.
#[utoipa::path(get, path = "/api/v1/services", tag = "services", params(InventoryQuery),
    responses((status = 200, body = InventoryView), (status = 400, body = E), (status = 401, body = E),
              (status = 422, body = E)))]
pub async fn list(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    ApiQuery(q): ApiQuery<InventoryQuery>,
) -> Result<Json<InventoryView>, ApiError> {
    Ok(Json(
        services::inventory::inventory(&ctx, &state.db, &q).await?,
    ))
}

/// The same services as CSV, one row each.
#[utoipa::path(get, path = "/api/v1/services.csv", tag = "services", params(InventoryQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = E),
              (status = 422, body = E)))]
pub async fn csv(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    ApiQuery(q): ApiQuery<InventoryQuery>,
) -> Result<Response, ApiError> {
    let body = services::inventory::inventory_csv(&ctx, &state.db, &q).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"services.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}
