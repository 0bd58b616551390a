//! `GET /api/v1/audit` (admins).

use super::error::ApiError;
use super::extract::Auth;
use app::api::admin::{AuditFilters, AuditPage};
use app::backend::{AppState, services};
use axum::Json;
use axum::extract::{Query, State};

pub async fn list(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    query: Result<Query<AuditFilters>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<AuditPage>, ApiError> {
    let Query(filters) = query?;
    Ok(Json(
        services::admin::list_audit(&ctx, &state.db, filters).await?,
    ))
}
