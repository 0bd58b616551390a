//! The server functions of `cost`: each checks nothing itself and calls
//! one service (`backend::services`); its arguments and answers are the
//! wire types of [`crate::wire::cost`].

#[cfg(feature = "ssr")]
use crate::backend::services;
#[cfg(feature = "ssr")]
use crate::server_fns::glue::{ctx_from_request, server_error};
#[allow(unused_imports)]
use crate::wire::cost::*;
#[allow(unused_imports)]
use crate::wire::cost_page::*;
use crate::wire::error::AppError;
use leptos::prelude::*;

/// Cost entries and volumes of agreement `id` within `period` (all when empty).
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "costs/ledger")]
pub async fn cost_ledger(id: i32, period: String) -> Result<LedgerView, AppError> {
    let period = &period;
    crate::server_fns::glue::read_once("cost_ledger", &(id, period), |state, ctx| async move {
        services::costs::ledger(&ctx, &state.db, id, Some(period)).await
    })
    .await
}

/// What each channel's transactions cost agreement `id` over the months
/// `query` names: the basis of the channel-shift business case.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "costs/channels", input = leptos::server_fn::codec::Json)]
pub async fn channel_costs(
    id: i32,
    query: ChannelCostsQuery,
) -> Result<ChannelCostsView, AppError> {
    let query = &query;
    crate::server_fns::glue::read_once("channel_costs", &(id, query), |state, ctx| async move {
        services::costs::channel_costs(&ctx, &state.db, id, query).await
    })
    .await
}

#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "costs/record", input = leptos::server_fn::codec::Json)]
pub async fn record_cost(id: i32, params: CostEntryParams) -> Result<CostEntryView, AppError> {
    let (state, ctx) = ctx_from_request().await?;
    services::costs::add_entry(&ctx, &state.db, id, params)
        .await
        .map_err(server_error)
}

#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "costs/volume", input = leptos::server_fn::codec::Json)]
pub async fn record_volume(
    id: i32,
    params: VolumeEntryParams,
) -> Result<VolumeEntryView, AppError> {
    let (state, ctx) = ctx_from_request().await?;
    services::costs::add_volume(&ctx, &state.db, id, params)
        .await
        .map_err(server_error)
}

#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "costs/remove-entry")]
pub async fn remove_cost_entry(id: i32, entry_id: i32) -> Result<(), AppError> {
    let (state, ctx) = ctx_from_request().await?;
    services::costs::delete_entry(&ctx, &state.db, id, entry_id)
        .await
        .map_err(server_error)
}

#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "costs/remove-volume")]
pub async fn remove_volume(id: i32, volume_id: i32) -> Result<(), AppError> {
    let (state, ctx) = ctx_from_request().await?;
    services::costs::delete_volume(&ctx, &state.db, id, volume_id)
        .await
        .map_err(server_error)
}

/// The costs page of agreement `id` for `period` (empty: the default), as
/// one answer; `Ok(None)` when the caller may not see the agreement. One
/// server function, not three chained in the page: a page render then
/// asks the database once, in the request's own context.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "costs/page")]
pub async fn cost_page(id: i32, period: String) -> Result<Option<CostPageView>, AppError> {
    use crate::backend::ServiceError;
    let period = &period;
    crate::server_fns::glue::read_once("cost_page", &(id, period), |state, ctx| async move {
        let agreement = match services::agreements::get_cached(&ctx, &state.db, id).await {
            Ok(a) => a,
            Err(ServiceError::NotFound) => return Ok(None),
            Err(e) => return Err(e),
        };
        let period = if period.trim().is_empty() {
            default_period(&agreement, crate::clock::today())
        } else {
            period.trim().to_owned()
        };
        let recon = services::costs::reconcile(&ctx, &state.db, id, &period)
            .await
            .map_err(server_error);
        let ledger = services::costs::ledger(&ctx, &state.db, id, Some(&period))
            .await
            .map_err(server_error);
        Ok(Some(CostPageView {
            agreement,
            period,
            recon,
            ledger,
        }))
    })
    .await
}

/// The reconciliation of `period`.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "costs/reconcile")]
pub async fn reconcile_period(id: i32, period: String) -> Result<ReconciliationView, AppError> {
    let (state, ctx) = ctx_from_request().await?;
    services::costs::reconcile(&ctx, &state.db, id, &period)
        .await
        .map_err(server_error)
}

/// Saves a new cost model as the next version; returns its number.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "costs/model", input = leptos::server_fn::codec::Json)]
pub async fn save_cost_model(id: i32, params: CostModelChangeParams) -> Result<i32, AppError> {
    let (state, ctx) = ctx_from_request().await?;
    services::negotiation::set_cost_model(&ctx, &state.db, id, params)
        .await
        .map(|a| a.version)
        .map_err(server_error)
}
