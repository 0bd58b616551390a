//! `GET /api/v1/barriers` (the register) and `PATCH /api/v1/barriers/{id}`
//! (the owning party's update, without an amendment).

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiQuery, Auth};
use super::parse_id;
use app::backend::{AppState, services};
use app::wire::barriers::{BarrierItem, BarrierQuery, BarrierRegisterView, BarrierUpdateParams};
use axum::Json;
use axum::extract::{Path, State};

type E = ErrorBody;

/// Every barrier in force of the agreements the caller may see, with its
/// stable `id`, category, severity, status, mitigation progress, age,
/// owning party and the boundaries its agreement crosses; filtered; and a
/// `summary` by category × boundary (total, open, mitigated, closed).
#[utoipa::path(get, path = "/api/v1/barriers", tag = "barriers", params(BarrierQuery),
    responses((status = 200, body = BarrierRegisterView), (status = 400, body = E), (status = 401, body = E),
              (status = 403, body = E)))]
pub async fn list(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    ApiQuery(q): ApiQuery<BarrierQuery>,
) -> Result<Json<BarrierRegisterView>, ApiError> {
    Ok(Json(
        services::barriers::register(&ctx, &state.db, &q).await?,
    ))
}

/// The owning party (its managers and executives) updates a barrier of an
/// active agreement: `status`, `mitigation`, `mitigation_fr`, `actions`,
/// `actions_fr` (absent: unchanged; empty: cleared). No amendment; audited
/// as `barrier.update`. `403` for anyone else who may see the agreement,
/// `404` for who may not, `409` when the agreement is not active (its
/// barriers then change with its terms), `422` for an unknown status or a
/// text over 10,000 characters.
#[utoipa::path(patch, path = "/api/v1/barriers/{id}", tag = "barriers", params(("id" = i32, Path)),
    request_body = BarrierUpdateParams,
    responses((status = 200, body = BarrierItem), (status = 400, body = E), (status = 401, body = E),
              (status = 403, body = E), (status = 404, body = E), (status = 409, body = E),
              (status = 422, body = E)))]
pub async fn update(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
    ApiJson(params): ApiJson<BarrierUpdateParams>,
) -> Result<Json<BarrierItem>, ApiError> {
    let id = parse_id(&id)?;
    Ok(Json(
        services::barriers::update(&ctx, &state.db, id, params).await?,
    ))
}
