//! `GET /api/v1/organisations`.

use super::extract::{ApiQuery, Auth};
use super::{List, Page, error::ApiError};
use app::backend::{AppState, services};
use app::wire::organisations::OrganisationView;
use axum::Json;
use axum::extract::State;

/// Every organisation with its kind, sector and jurisdiction.
#[utoipa::path(get, path = "/api/v1/organisations", tag = "organisations",
    params(("limit" = Option<u64>, Query), ("offset" = Option<u64>, Query)),
    responses((status = 200, body = super::List<app::wire::organisations::OrganisationView>),
              (status = 400, body = crate::rest::error::ErrorBody), (status = 401, body = crate::rest::error::ErrorBody), (status = 403, body = crate::rest::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    ApiQuery(page): ApiQuery<Page>,
) -> Result<Json<List<OrganisationView>>, ApiError> {
    let all = services::organisations::list(&ctx, &state.db).await?;
    Ok(Json(List::page(all, page)?))
}
