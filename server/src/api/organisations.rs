//! `GET /api/v1/organisations`.

use super::extract::Auth;
use super::{List, Page, error::ApiError};
use app::api::organisations::OrganisationView;
use app::backend::{AppState, services};
use axum::Json;
use axum::extract::{Query, State};

pub async fn list(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    page: Result<Query<Page>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<List<OrganisationView>>, ApiError> {
    let Query(page) = page?;
    let all = services::organisations::list(&ctx, &state.db).await?;
    Ok(Json(List::page(all, page)?))
}
