//! Cost sharing: `POST /api/v1/cost-sharing/simulate`, the cost model of an
//! agreement, its cost entries and volumes (one by one or by CSV), and the
//! reconciliation of a period (JSON and CSV).

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiQuery, Auth};
use app::backend::services;
use app::wire::cost::{SimulateParams, SplitView};
use axum::Json;

/// Each party's share of a projected total under a model (a pure calculation).
#[utoipa::path(post, path = "/api/v1/cost-sharing/simulate", tag = "cost-sharing", request_body = SimulateParams,
    responses((status = 200, body = SplitView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, description = "An API token", body = ErrorBody),
              (status = 422, description = "A bad amount or model, or a split the model cannot make", body = ErrorBody)))]
pub async fn simulate(
    Auth(ctx): Auth,
    ApiJson(params): ApiJson<SimulateParams>,
) -> Result<Json<SplitView>, ApiError> {
    Ok(Json(services::costs::simulate(&ctx, &params)?))
}

use super::parse_id;
use app::backend::AppState;
use app::wire::agreements::AgreementView;
use app::wire::cost::*;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

type E = ErrorBody;

/// `?period=P`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PeriodQuery {
    /// A month, quarter or year, calendar or fiscal: `2026-10`, `2026-Q3`,
    /// `2026`, `FY2026`, `FY2026-Q1`.
    pub period: Option<String>,
}

/// A CSV body: `text/csv`, at most 10 MiB.
pub(crate) fn csv_body(
    headers: &HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Bytes, ApiError> {
    let is_csv = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("text/csv"));
    if !is_csv {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "bad_request",
            "Send the file as text/csv.",
        ));
    }
    body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::payload_too_large("10 MiB")
        } else {
            ApiError::bad_request(e.body_text())
        }
    })
}

/// Replaces the cost-sharing model, keeping every other term: version + 1.
#[utoipa::path(put, path = "/api/v1/agreements/{id}/cost-model", tag = "cost-sharing", params(("id" = i32, Path)),
    request_body = CostModelChangeParams,
    responses((status = 200, body = AgreementView), (status = 400, body = E), (status = 401, body = E),
              (status = 403, body = E), (status = 404, body = E),
              (status = 409, description = "Stale version or a closed agreement", body = E),
              (status = 422, description = "Every problem of the model, by field", body = E)))]
pub async fn set_model(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
    ApiJson(params): ApiJson<CostModelChangeParams>,
) -> Result<Json<AgreementView>, ApiError> {
    let id = parse_id(&id)?;
    Ok(Json(
        services::negotiation::set_cost_model(&ctx, &state.db, id, params).await?,
    ))
}

/// Cost entries and volumes, within `period` when given.
#[utoipa::path(get, path = "/api/v1/agreements/{id}/ledger", tag = "cost-sharing",
    params(("id" = i32, Path), PeriodQuery),
    responses((status = 200, body = LedgerView), (status = 401, body = E), (status = 404, body = E),
              (status = 422, description = "A malformed period", body = E)))]
pub async fn ledger(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> Result<Json<LedgerView>, ApiError> {
    let id = parse_id(&id)?;
    Ok(Json(
        services::costs::ledger(&ctx, &state.db, id, q.period.as_deref()).await?,
    ))
}

/// What each channel's transactions cost the agreement over some months:
/// the measured basis of a channel-migration business case.
#[utoipa::path(get, path = "/api/v1/agreements/{id}/channel-costs", tag = "cost-sharing",
    params(("id" = i32, Path), app::wire::cost::ChannelCostsQuery),
    responses((status = 200, body = app::wire::cost::ChannelCostsView), (status = 401, body = E),
              (status = 403, body = E), (status = 404, body = E),
              (status = 422, description = "A malformed or reversed range", body = E)))]
pub async fn channel_costs(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<app::wire::cost::ChannelCostsQuery>,
) -> Result<Json<app::wire::cost::ChannelCostsView>, ApiError> {
    let id = parse_id(&id)?;
    Ok(Json(
        services::costs::channel_costs(&ctx, &state.db, id, &q).await?,
    ))
}

/// Records a cost entry (a month, budget or actual).
#[utoipa::path(post, path = "/api/v1/agreements/{id}/cost-entries", tag = "cost-sharing", params(("id" = i32, Path)),
    request_body = CostEntryParams,
    responses((status = 201, body = CostEntryView), (status = 400, body = E), (status = 401, body = E),
              (status = 403, body = E), (status = 404, body = E), (status = 422, body = E)))]
pub async fn add_entry(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
    ApiJson(params): ApiJson<CostEntryParams>,
) -> Result<(StatusCode, Json<CostEntryView>), ApiError> {
    let id = parse_id(&id)?;
    let v = services::costs::add_entry(&ctx, &state.db, id, params).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// Deletes a cost entry recorded in error.
#[utoipa::path(delete, path = "/api/v1/agreements/{id}/cost-entries/{entry_id}", tag = "cost-sharing",
    params(("id" = i32, Path), ("entry_id" = i32, Path)),
    responses((status = 204, description = "Deleted"), (status = 401, body = E), (status = 403, body = E),
              (status = 404, body = E)))]
pub async fn delete_entry(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path((id, entry)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let (id, entry) = (parse_id(&id)?, parse_id(&entry)?);
    services::costs::delete_entry(&ctx, &state.db, id, entry).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Imports cost entries from CSV (`period,kind,category,amount,organisation_id`): all rows or none.
#[utoipa::path(post, path = "/api/v1/agreements/{id}/cost-entries/import", tag = "cost-sharing",
    params(("id" = i32, Path)), request_body(content = String, content_type = "text/csv"),
    responses((status = 201, body = ImportOutcome), (status = 401, body = E), (status = 403, body = E),
              (status = 404, body = E), (status = 413, body = E),
              (status = 422, description = "Every bad row by line; nothing written", body = E)))]
pub async fn import_entries(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<(StatusCode, Json<ImportOutcome>), ApiError> {
    let id = parse_id(&id)?;
    let bytes = csv_body(&headers, body)?;
    let v = services::costs::import_entries(&ctx, &state.db, id, &bytes).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// Records a month's transactions for a channel and party (replacing an
/// earlier count for the same three).
#[utoipa::path(post, path = "/api/v1/agreements/{id}/volumes", tag = "cost-sharing", params(("id" = i32, Path)),
    request_body = VolumeEntryParams,
    responses((status = 201, body = VolumeEntryView), (status = 400, body = E), (status = 401, body = E),
              (status = 403, body = E), (status = 404, body = E), (status = 422, body = E)))]
pub async fn add_volume(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
    ApiJson(params): ApiJson<VolumeEntryParams>,
) -> Result<(StatusCode, Json<VolumeEntryView>), ApiError> {
    let id = parse_id(&id)?;
    let v = services::costs::add_volume(&ctx, &state.db, id, params).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// Deletes a volume recorded in error.
#[utoipa::path(delete, path = "/api/v1/agreements/{id}/volumes/{volume_id}", tag = "cost-sharing",
    params(("id" = i32, Path), ("volume_id" = i32, Path)),
    responses((status = 204, description = "Deleted"), (status = 401, body = E), (status = 403, body = E),
              (status = 404, body = E)))]
pub async fn delete_volume(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path((id, volume)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let (id, volume) = (parse_id(&id)?, parse_id(&volume)?);
    services::costs::delete_volume(&ctx, &state.db, id, volume).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Imports volumes from CSV (`period,channel,organisation_id,count`): all rows or none.
#[utoipa::path(post, path = "/api/v1/agreements/{id}/volumes/import", tag = "cost-sharing",
    params(("id" = i32, Path)), request_body(content = String, content_type = "text/csv"),
    responses((status = 201, body = ImportOutcome), (status = 401, body = E), (status = 403, body = E),
              (status = 404, body = E), (status = 413, body = E),
              (status = 422, description = "Every bad row by line; nothing written", body = E)))]
pub async fn import_volumes(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<(StatusCode, Json<ImportOutcome>), ApiError> {
    let id = parse_id(&id)?;
    let bytes = csv_body(&headers, body)?;
    let v = services::costs::import_volumes(&ctx, &state.db, id, &bytes).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

fn required_period(q: &PeriodQuery) -> Result<&str, ApiError> {
    q.period
        .as_deref()
        .filter(|p| !p.trim().is_empty())
        .ok_or_else(|| {
            ApiError::from(app::backend::ServiceError::validation(
                "Name the period to reconcile, as ?period=2026-Q1.",
                vec![app::backend::FieldError::new(
                    "period",
                    "This parameter is required.",
                )],
            ))
        })
}

/// Each party's due share, what it paid, its balance, the settling
/// transfers, and budget versus actual, for a period.
#[utoipa::path(get, path = "/api/v1/agreements/{id}/reconciliation", tag = "cost-sharing",
    params(("id" = i32, Path), PeriodQuery),
    responses((status = 200, body = ReconciliationView), (status = 401, body = E), (status = 404, body = E),
              (status = 422, description = "A malformed period, or one the model cannot split", body = E)))]
pub async fn reconciliation(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> Result<Json<ReconciliationView>, ApiError> {
    let id = parse_id(&id)?;
    let period = required_period(&q)?;
    Ok(Json(
        services::costs::reconcile(&ctx, &state.db, id, period).await?,
    ))
}

/// The same reconciliation as CSV.
#[utoipa::path(get, path = "/api/v1/agreements/{id}/reconciliation.csv", tag = "cost-sharing",
    params(("id" = i32, Path), PeriodQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = E),
              (status = 404, body = E), (status = 422, body = E)))]
pub async fn reconciliation_csv(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id)?;
    let period = required_period(&q)?;
    let r = services::costs::reconcile(&ctx, &state.db, id, period).await?;
    let file = format!(
        "attachment; filename=\"{}-{}-reconciliation.csv\"",
        r.reference, r.period
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, file),
        ],
        services::costs::reconciliation_csv(&r),
    )
        .into_response())
}
