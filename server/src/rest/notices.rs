//! Tell Us Once: notices an intake party records (one, or a CSV file), the
//! deliveries each party told acknowledges and acts on, and the holidays
//! that working days skip.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, Auth};
use super::parse_id;
use app::backend::{AppState, services};
use app::wire::cost::ImportOutcome;
use app::wire::notices::*;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Serialize;

type E = ErrorBody;

/// Records a notice of a life event: one delivery per party to be told.
#[utoipa::path(post, path = "/api/v1/life-event-notices", tag = "life-events", request_body = NoticeParams,
    responses((status = 201, body = NoticeView), (status = 400, description = "Unknown fields (a name, an address…) are refused", body = E),
              (status = 401, body = E), (status = 403, body = E),
              (status = 409, description = "This case reference is recorded already", body = E),
              (status = 422, description = "Not the intake party, a bad day or channel, or personal data in the case reference", body = E)))]
pub async fn record(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    ApiJson(params): ApiJson<NoticeParams>,
) -> Result<(StatusCode, Json<NoticeView>), ApiError> {
    let n = services::notices::record(&ctx, &state.db, params).await?;
    Ok((StatusCode::CREATED, Json(n)))
}

/// Imports notices from CSV (`agreement_id,life_event,received_on,channel,case_reference`): all rows or none.
#[utoipa::path(post, path = "/api/v1/life-event-notices/import", tag = "life-events",
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
    let v = services::notices::import(&ctx, &state.db, &bytes).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// Records from CSV (`delivery_id,action,on,text`; `action` is `acknowledge`, `act` or `decline`) what the caller's organisation did with its deliveries: all rows or none.
#[utoipa::path(post, path = "/api/v1/life-event-deliveries/import", tag = "life-events",
    request_body(content = String, content_type = "text/csv"),
    responses((status = 201, body = ImportOutcome), (status = 401, body = E), (status = 403, body = E),
              (status = 409, body = E), (status = 413, body = E),
              (status = 422, description = "Every bad row by line; nothing written", body = E)))]
pub async fn import_deliveries(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<(StatusCode, Json<ImportOutcome>), ApiError> {
    let bytes = super::cost::csv_body(&headers, body)?;
    let v = services::notices::import_deliveries(&ctx, &state.db, &bytes).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// `{"items": [...]}`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Deliveries {
    pub items: Vec<DeliveryView>,
}

/// The deliveries to the caller's party (every one for whoever sees the
/// whole portfolio), newest first, at most 200.
#[utoipa::path(get, path = "/api/v1/life-event-deliveries", tag = "life-events",
    responses((status = 200, body = Deliveries), (status = 401, body = E)))]
pub async fn deliveries(
    State(state): State<AppState>,
    Auth(ctx): Auth,
) -> Result<Json<Deliveries>, ApiError> {
    let page = services::notices::page(&ctx, &state.db).await?;
    Ok(Json(Deliveries {
        items: page.deliveries,
    }))
}

/// One delivery, to its party told, its intake party, or whoever sees everything.
#[utoipa::path(get, path = "/api/v1/life-event-deliveries/{id}", tag = "life-events", params(("id" = i32, Path)),
    responses((status = 200, body = DeliveryView), (status = 401, body = E), (status = 404, body = E)))]
pub async fn delivery(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
) -> Result<Json<DeliveryView>, ApiError> {
    let id = parse_id(&id)?;
    Ok(Json(
        services::notices::delivery(&ctx, &state.db, id).await?,
    ))
}

/// Acknowledges a delivery (`{"on"}` optional, today by default).
#[utoipa::path(post, path = "/api/v1/life-event-deliveries/{id}/acknowledge", tag = "life-events",
    params(("id" = i32, Path)), request_body = AcknowledgeParams,
    responses((status = 201, body = DeliveryView), (status = 401, body = E), (status = 403, body = E),
              (status = 404, description = "Not a delivery to your organisation", body = E),
              (status = 409, description = "Acknowledged, acted on or declined already", body = E), (status = 422, body = E)))]
pub async fn acknowledge(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<DeliveryView>), ApiError> {
    let id = parse_id(&id)?;
    let params = optional_json::<AcknowledgeParams>(&body)?;
    let d = services::notices::acknowledge(&ctx, &state.db, id, params).await?;
    Ok((StatusCode::CREATED, Json(d)))
}

/// Records the action taken (`{"outcome"}`) or declines (`{"declined": reason}`).
#[utoipa::path(post, path = "/api/v1/life-event-deliveries/{id}/act", tag = "life-events",
    params(("id" = i32, Path)), request_body = ActParams,
    responses((status = 201, body = DeliveryView), (status = 401, body = E), (status = 403, body = E),
              (status = 404, description = "Not a delivery to your organisation", body = E),
              (status = 409, description = "Acted on or declined already", body = E), (status = 422, body = E)))]
pub async fn act(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
    ApiJson(params): ApiJson<ActParams>,
) -> Result<(StatusCode, Json<DeliveryView>), ApiError> {
    let id = parse_id(&id)?;
    let d = services::notices::act(&ctx, &state.db, id, params).await?;
    Ok((StatusCode::CREATED, Json(d)))
}

/// An empty body, or a JSON object of `T`.
fn optional_json<T: serde::de::DeserializeOwned + Default>(body: &[u8]) -> Result<T, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body).map_err(|e| {
        ApiError::bad_request(format!("The body is not the JSON this endpoint takes: {e}"))
    })
}

/// `{"items": [...]}`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Holidays {
    pub items: Vec<HolidayView>,
}

/// A jurisdiction's holidays, by day.
#[utoipa::path(get, path = "/api/v1/jurisdictions/{id}/holidays", tag = "admin", params(("id" = i32, Path)),
    responses((status = 200, body = Holidays), (status = 401, body = E), (status = 404, body = E)))]
pub async fn holidays(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
) -> Result<Json<Holidays>, ApiError> {
    let id = parse_id(&id)?;
    Ok(Json(Holidays {
        items: services::notices::calendar::list(&ctx, &state.db, id).await?,
    }))
}

/// Adds a holiday to a jurisdiction (admins).
#[utoipa::path(post, path = "/api/v1/jurisdictions/{id}/holidays", tag = "admin", params(("id" = i32, Path)),
    request_body = HolidayParams,
    responses((status = 201, body = HolidayView), (status = 401, body = E), (status = 403, body = E),
              (status = 404, body = E), (status = 409, body = E), (status = 422, body = E)))]
pub async fn add_holiday(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path(id): Path<String>,
    ApiJson(params): ApiJson<HolidayParams>,
) -> Result<(StatusCode, Json<HolidayView>), ApiError> {
    let id = parse_id(&id)?;
    let h = services::notices::calendar::add(&ctx, &state.db, id, params).await?;
    Ok((StatusCode::CREATED, Json(h)))
}

/// Removes a holiday (admins).
#[utoipa::path(delete, path = "/api/v1/jurisdictions/{id}/holidays/{holiday_id}", tag = "admin",
    params(("id" = i32, Path), ("holiday_id" = i32, Path)),
    responses((status = 204, description = "Removed"), (status = 401, body = E), (status = 403, body = E),
              (status = 404, body = E)))]
pub async fn remove_holiday(
    State(state): State<AppState>,
    Auth(ctx): Auth,
    Path((id, holiday)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let (id, holiday) = (parse_id(&id)?, parse_id(&holiday)?);
    services::notices::calendar::remove(&ctx, &state.db, id, holiday).await?;
    Ok(StatusCode::NO_CONTENT)
}
