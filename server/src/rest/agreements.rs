//! `GET /api/v1/agreements` and `GET /api/v1/agreements/{id}`.

use super::extract::{ApiQuery, Auth};
use super::{List, Page, error::ApiError, parse_id};
use app::backend::{AppState, services};
use app::wire::agreements::{AgreementFilters, AgreementSummary, AgreementView};
use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use std::str::FromStr;

/// The query string of the list: enum filters are checked here so that an
/// unknown value is a 400 naming the allowed ones.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    structure: Option<String>,
    purpose: Option<String>,
    boundary: Option<String>,
    q: Option<String>,
    limit: Option<u64>,
    offset: Option<u64>,
}

fn parse_filter<T: FromStr>(raw: Option<&str>) -> Result<Option<T>, ApiError>
where
    T::Err: std::fmt::Display,
{
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|e: T::Err| ApiError::bad_request(e.to_string())),
    }
}

/// The agreements the caller may see.
#[utoipa::path(get, path = "/api/v1/agreements", tag = "agreements",
    params(("status" = Option<app::domain::AgreementStatus>, Query),
           ("structure" = Option<app::domain::Structure>, Query),
           ("purpose" = Option<app::domain::Purpose>, Query),
           ("boundary" = Option<app::domain::Boundary>, Query),
           ("q" = Option<String>, Query, description = "Text in the title, reference or a party's name"),
           ("limit" = Option<u64>, Query), ("offset" = Option<u64>, Query)),
    responses((status = 200, body = super::List<app::wire::agreements::AgreementSummary>),
              (status = 400, description = "Unknown filter value", body = crate::rest::error::ErrorBody),
              (status = 401, body = crate::rest::error::ErrorBody), (status = 403, body = crate::rest::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<List<AgreementSummary>>, ApiError> {
    let filters = AgreementFilters {
        status: parse_filter(q.status.as_deref())?,
        structure: parse_filter(q.structure.as_deref())?,
        purpose: parse_filter(q.purpose.as_deref())?,
        boundary: parse_filter(q.boundary.as_deref())?,
        q: q.q.filter(|s| !s.trim().is_empty()),
    };
    let all = services::agreements::list(&ctx, &state.db, &filters).await?;
    Ok(Json(List::page(
        all,
        Page {
            limit: q.limit,
            offset: q.offset,
        },
    )?))
}

/// One agreement with its terms, parties, boundaries, cost model, commitments and approvals.
#[utoipa::path(get, path = "/api/v1/agreements/{id}", tag = "agreements",
    params(("id" = i32, Path)),
    responses((status = 200, body = app::wire::agreements::AgreementView),
              (status = 400, body = crate::rest::error::ErrorBody), (status = 401, body = crate::rest::error::ErrorBody),
              (status = 404, description = "No such agreement, or not visible to the caller", body = crate::rest::error::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
) -> Result<Json<AgreementView>, ApiError> {
    let id = parse_id(&id)?;
    Ok(Json(
        services::agreements::get_cached(&ctx, &state.db, id).await?,
    ))
}
