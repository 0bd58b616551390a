//! `GET /api/v1/audit` (admins).

use super::error::ApiError;
use super::extract::{ApiQuery, Auth};
use app::backend::{AppState, services};
use app::wire::admin::{AuditFilters, AuditPage};
use axum::Json;
use axum::extract::State;

/// The audit log, newest first (admins).
#[utoipa::path(get, path = "/api/v1/audit", tag = "admin",
    params(("action" = Option<String>, Query, description = "e.g. auth.login_failed"),
           ("entity" = Option<String>, Query), ("actor_id" = Option<i32>, Query),
           ("limit" = Option<u64>, Query), ("offset" = Option<u64>, Query)),
    responses((status = 200, body = app::wire::admin::AuditPage),
              (status = 401, body = crate::rest::error::ErrorBody), (status = 403, body = crate::rest::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    ApiQuery(filters): ApiQuery<AuditFilters>,
) -> Result<Json<AuditPage>, ApiError> {
    Ok(Json(
        services::admin::list_audit(&ctx, &state.db, filters).await?,
    ))
}
