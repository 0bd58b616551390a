//! `GET /api/v1/organisations`.

use super::{List, Page, error::ApiError};
use app::api::organisations::OrganisationView;
use app::backend::{AppState, Ctx, services};
use axum::Json;
use axum::extract::{Query, State};

pub async fn list(
    State(state): State<AppState>,
    page: Result<Query<Page>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<List<OrganisationView>>, ApiError> {
    let Query(page) = page?;
    let all = services::organisations::list(&Ctx::anonymous(), &state.db).await?;
    Ok(Json(List::page(all, page)?))
}
