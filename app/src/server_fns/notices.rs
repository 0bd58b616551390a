//! The server functions of Tell Us Once notices and deliveries, and of the
//! holidays working days skip: each checks nothing itself and calls one
//! service (`backend::services::notices`); its arguments and answers are
//! the wire types of [`crate::wire::notices`].

#[cfg(feature = "ssr")]
use crate::backend::services;
#[cfg(feature = "ssr")]
use crate::server_fns::glue::{ctx_from_request, server_error};
use crate::wire::error::AppError;
#[allow(unused_imports)]
use crate::wire::notices::*;
use leptos::prelude::*;

/// The notices page: deliveries to act on, notices recorded, where the
/// caller may record one.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "notices/page")]
pub async fn load_notices() -> Result<NoticesView, AppError> {
    crate::server_fns::glue::read_once("notices", &(), |state, ctx| async move {
        services::notices::page(&ctx, &state.db).await
    })
    .await
}

/// Records a notice; returns it with its deliveries.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "notices/record", input = leptos::server_fn::codec::Json)]
pub async fn record_notice(params: NoticeParams) -> Result<NoticeView, AppError> {
    let (state, ctx) = ctx_from_request().await?;
    services::notices::record(&ctx, &state.db, params)
        .await
        .map_err(server_error)
}

/// Acknowledges a delivery to the caller's organisation.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "notices/acknowledge", input = leptos::server_fn::codec::Json)]
pub async fn acknowledge_delivery(
    id: i32,
    params: AcknowledgeParams,
) -> Result<DeliveryView, AppError> {
    let (state, ctx) = ctx_from_request().await?;
    services::notices::acknowledge(&ctx, &state.db, id, params)
        .await
        .map_err(server_error)
}

/// Records what was done with a delivery, or declines it.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "notices/act", input = leptos::server_fn::codec::Json)]
pub async fn act_on_delivery(id: i32, params: ActParams) -> Result<DeliveryView, AppError> {
    let (state, ctx) = ctx_from_request().await?;
    services::notices::act(&ctx, &state.db, id, params)
        .await
        .map_err(server_error)
}

/// A jurisdiction's holidays.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "holidays/list")]
pub async fn load_holidays(jurisdiction_id: i32) -> Result<Vec<HolidayView>, AppError> {
    crate::server_fns::glue::read_once("holidays", &jurisdiction_id, |state, ctx| async move {
        services::notices::calendar::list(&ctx, &state.db, jurisdiction_id).await
    })
    .await
}

/// Adds a holiday to a jurisdiction (admins).
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "holidays/add", input = leptos::server_fn::codec::Json)]
pub async fn add_holiday(
    jurisdiction_id: i32,
    params: HolidayParams,
) -> Result<HolidayView, AppError> {
    let (state, ctx) = ctx_from_request().await?;
    services::notices::calendar::add(&ctx, &state.db, jurisdiction_id, params)
        .await
        .map_err(server_error)
}

/// Removes a holiday (admins).
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "holidays/remove", input = leptos::server_fn::codec::Json)]
pub async fn remove_holiday(jurisdiction_id: i32, id: i32) -> Result<(), AppError> {
    let (state, ctx) = ctx_from_request().await?;
    services::notices::calendar::remove(&ctx, &state.db, jurisdiction_id, id)
        .await
        .map_err(server_error)
}
