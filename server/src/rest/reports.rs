//! Service levels: commitments, reports (one, or a CSV file), compliance
//! and what a reporter owes.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiQuery, Auth};
use super::parse_id;
use app::backend::{AppState, services};
use app::wire::agreements::CommitmentView;
use app::wire::cost::ImportOutcome;
use app::wire::reports::*;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

type E = ErrorBody;

/// Adds a commitment: a change of terms, so a new version.
#[utoipa::path(post, path = "/api/v1/agreements/{id}/commitments", tag = "service-levels", params(("id" = i32, Path)),
    request_body = CommitmentParams,
    responses((status = 201, body = CommitmentView), (status = 400, body = E), (status = 401, body = E),
              (status = 403, body = E), (status = 404, body = E), (status = 409, body = E), (status = 422, body = E)))]
pub async fn add_commitment(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
    ApiJson(params): ApiJson<CommitmentParams>,
) -> Result<(StatusCode, Json<CommitmentView>), ApiError> {
    let id = parse_id(&id)?;
    let c = services::reports::add_commitment(&ctx, &state.db, id, params).await?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// Submits a report (the next revision for its commitment and period).
#[utoipa::path(post, path = "/api/v1/reports", tag = "service-levels", request_body = ReportParams,
    responses((status = 201, body = ReportReceipt), (status = 400, body = E), (status = 401, body = E),
              (status = 403, body = E), (status = 404, description = "No such commitment for your organisation", body = E),
              (status = 422, description = "A bad period or an implausible value", body = E)))]
pub async fn submit(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    ApiJson(params): ApiJson<ReportParams>,
) -> Result<(StatusCode, Json<ReportReceipt>), ApiError> {
    let r = services::reports::submit(&ctx, &state.db, params).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// Imports reports from CSV (`commitment_id,period,value,numerator,denominator,volume,comment`): all rows or none.
#[utoipa::path(post, path = "/api/v1/reports/import", tag = "service-levels",
    request_body(content = String, content_type = "text/csv"),
    responses((status = 201, body = ImportOutcome), (status = 401, body = E), (status = 403, body = E),
              (status = 413, body = E),
              (status = 422, description = "Every bad row by line; nothing written", body = E)))]
pub async fn import(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<(StatusCode, Json<ImportOutcome>), ApiError> {
    let bytes = super::cost::csv_body(&headers, body)?;
    let v = services::reports::import(&ctx, &state.db, &bytes).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// Compliance per commitment and period, and each year's error budget.
#[utoipa::path(get, path = "/api/v1/agreements/{id}/compliance", tag = "service-levels", params(("id" = i32, Path)),
    responses((status = 200, body = ComplianceView), (status = 401, body = E), (status = 404, body = E)))]
pub async fn compliance(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
) -> Result<Json<ComplianceView>, ApiError> {
    let id = parse_id(&id)?;
    Ok(Json(
        services::reports::compliance(&ctx, &state.db, id).await?,
    ))
}

/// The same compliance items as CSV.
#[utoipa::path(get, path = "/api/v1/agreements/{id}/compliance.csv", tag = "service-levels", params(("id" = i32, Path)),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = E), (status = 404, body = E)))]
pub async fn compliance_csv(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id)?;
    let v = services::reports::compliance(&ctx, &state.db, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"compliance-{id}.csv\""),
            ),
        ],
        services::reports::compliance_csv(&v),
    )
        .into_response())
}

/// What the caller's organisation owes: due and missing reports.
#[utoipa::path(get, path = "/api/v1/reports/due", tag = "service-levels",
    responses((status = 200, body = ReportingHome), (status = 401, body = E)))]
pub async fn due(
    State(state): State<AppState>,
    Auth(ctx): Auth,
) -> Result<Json<ReportingHome>, ApiError> {
    Ok(Json(services::reports::home(&ctx, &state.db).await?))
}

/// `?period=P`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct RevisionQuery {
    pub period: String,
}

/// Every revision of a commitment's report for a period, newest first.
#[utoipa::path(get, path = "/api/v1/commitments/{id}/reports", tag = "service-levels",
    params(("id" = i32, Path), RevisionQuery),
    responses((status = 200, body = Vec<RevisionView>), (status = 400, body = E), (status = 401, body = E), (status = 404, body = E)))]
pub async fn revisions(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<RevisionQuery>,
) -> Result<Json<Vec<RevisionView>>, ApiError> {
    let id = parse_id(&id)?;
    Ok(Json(
        services::reports::revisions(&ctx, &state.db, id, &q.period).await?,
    ))
}

/// The agreement's commitments as OpenSLO v1 SLO documents (YAML).
#[utoipa::path(get, path = "/api/v1/agreements/{id}/export/openslo", tag = "service-levels", params(("id" = i32, Path)),
    responses((status = 200, content_type = "application/yaml", body = String),
              (status = 401, body = E), (status = 404, body = E)))]
pub async fn export_openslo(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id)?;
    let yaml = services::export::openslo(&ctx, &state.db, id).await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/yaml; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"openslo-{id}.yaml\""),
            ),
        ],
        yaml,
    )
        .into_response())
}

/// Changes a commitment's terms: a change of terms, so a new version; the
/// commitment keeps its id.
#[utoipa::path(put, path = "/api/v1/agreements/{id}/commitments/{commitment_id}", tag = "service-levels",
    params(("id" = i32, Path), ("commitment_id" = i32, Path)), request_body = CommitmentParams,
    responses((status = 200, body = CommitmentView), (status = 400, body = E), (status = 401, body = E),
              (status = 403, body = E), (status = 404, body = E), (status = 409, body = E), (status = 422, body = E)))]
pub async fn update_commitment(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path((id, commitment_id)): Path<(String, String)>,
    ApiJson(params): ApiJson<CommitmentParams>,
) -> Result<Json<CommitmentView>, ApiError> {
    let (id, commitment_id) = (parse_id(&id)?, parse_id(&commitment_id)?);
    Ok(Json(
        services::reports::update_commitment(&ctx, &state.db, id, commitment_id, params).await?,
    ))
}
