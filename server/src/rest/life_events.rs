//! `GET /api/v1/life-events/coverage`.

use super::error::ApiError;
use super::extract::Auth;
use app::backend::{AppState, services};
use app::wire::coverage::CoverageView;
use axum::Json;
use axum::extract::State;

/// For each life event and jurisdiction, the agreements in force the
/// caller may see that cover it, with their services, parties and
/// channels; and the gaps: a life event no agreement covers in a
/// jurisdiction, an agreement covering one with no propagation term.
#[utoipa::path(get, path = "/api/v1/life-events/coverage", tag = "life-events",
    responses((status = 200, body = app::wire::coverage::CoverageView),
              (status = 401, body = crate::rest::error::ErrorBody), (status = 403, body = crate::rest::error::ErrorBody)))]
pub async fn coverage(
    State(state): State<AppState>,
    Auth(ctx): Auth,
) -> Result<Json<CoverageView>, ApiError> {
    Ok(Json(services::coverage::coverage(&ctx, &state.db).await?))
}
