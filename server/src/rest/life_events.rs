//! `/api/v1/life-events`: the catalogue (read by anyone signed in, kept by
//! admins) and `GET /api/v1/life-events/coverage`.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiQuery, Auth};
use super::{List, Page, parse_id};
use app::backend::{AppState, services};
use app::wire::admin::{LifeEventAdminView, LifeEventParams, RenameLifeEventParams};
use app::wire::coverage::CoverageView;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

type E = ErrorBody;

/// The life-event catalogue by code, with how many agreements cover each.
#[utoipa::path(get, path = "/api/v1/life-events", tag = "life-events",
    params(("limit" = Option<u64>, Query), ("offset" = Option<u64>, Query)),
    responses((status = 200, body = super::List<app::wire::admin::LifeEventAdminView>),
              (status = 400, body = E), (status = 401, body = E), (status = 403, body = E)))]
pub async fn list(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    ApiQuery(page): ApiQuery<Page>,
) -> Result<Json<List<LifeEventAdminView>>, ApiError> {
    let all = services::admin::list_life_events(&ctx, &state.db).await?;
    Ok(Json(List::page(all, page)?))
}

/// Adds a life event (admins): a stable code — 2 to 64 lowercase letters,
/// digits and underscores — and its English and French names. A code
/// already taken is a 409.
#[utoipa::path(post, path = "/api/v1/life-events", tag = "life-events",
    request_body = LifeEventParams,
    responses((status = 201, body = LifeEventAdminView), (status = 400, body = E), (status = 401, body = E),
              (status = 403, body = E), (status = 409, description = "The code is taken", body = E),
              (status = 422, body = E)))]
pub async fn create(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    ApiJson(params): ApiJson<LifeEventParams>,
) -> Result<(StatusCode, Json<LifeEventAdminView>), ApiError> {
    let e = services::admin::create_life_event(&ctx, &state.db, params).await?;
    Ok((StatusCode::CREATED, Json(e)))
}

/// Renames a life event (admins): its English name and its French name
/// (absent or empty removes it). The code never changes: a `code` other
/// than the life event's own is a 422.
#[utoipa::path(patch, path = "/api/v1/life-events/{id}", tag = "life-events", params(("id" = i32, Path)),
    request_body = RenameLifeEventParams,
    responses((status = 200, body = LifeEventAdminView), (status = 400, body = E), (status = 401, body = E),
              (status = 403, body = E), (status = 404, body = E), (status = 422, body = E)))]
pub async fn rename(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
    ApiJson(params): ApiJson<RenameLifeEventParams>,
) -> Result<Json<LifeEventAdminView>, ApiError> {
    let id = parse_id(&id)?;
    Ok(Json(
        services::admin::rename_life_event(&ctx, &state.db, id, params).await?,
    ))
}

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
