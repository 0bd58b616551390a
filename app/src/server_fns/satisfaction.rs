//! The server functions of citizen satisfaction: each checks nothing
//! itself and calls one service (`backend::services::satisfaction`); its
//! arguments and answers are the wire types of
//! [`crate::wire::satisfaction`]. CSV uploads go to the REST import.

#[cfg(feature = "ssr")]
use crate::backend::services;
#[cfg(feature = "ssr")]
use crate::server_fns::glue::{ctx_from_request, server_error};
use crate::wire::error::AppError;
#[allow(unused_imports)]
use crate::wire::satisfaction::*;
use leptos::prelude::*;

/// Benchmarks by driver over the agreements the caller may see.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "satisfaction/benchmarks", input = leptos::server_fn::codec::Json)]
pub async fn satisfaction_benchmarks(
    query: SatisfactionBenchmarkQuery,
) -> Result<SatisfactionBenchmarksView, AppError> {
    use crate::server_fns::glue::read_once;
    let query = &query;
    read_once("satisfaction-benchmarks", query, |state, ctx| async move {
        services::satisfaction::benchmarks(&ctx, &state.db, query).await
    })
    .await
}

/// The driver analysis over the agreements the caller may see.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "satisfaction/drivers", input = leptos::server_fn::codec::Json)]
pub async fn satisfaction_drivers(
    query: SatisfactionQuery,
) -> Result<DriverAnalysisView, AppError> {
    use crate::server_fns::glue::read_once;
    let query = &query;
    read_once("satisfaction-drivers", query, |state, ctx| async move {
        services::satisfaction::drivers(&ctx, &state.db, query).await
    })
    .await
}

/// The active agreements the caller may record results for.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "satisfaction/recordable")]
pub async fn satisfaction_recordable() -> Result<Vec<RecordableAgreement>, AppError> {
    let (state, ctx) = ctx_from_request().await?;
    services::satisfaction::recordable(&ctx, &state.db)
        .await
        .map_err(server_error)
}

/// Agreement `id`'s results over some months, with their aggregates.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "satisfaction/results", input = leptos::server_fn::codec::Json)]
pub async fn satisfaction_results(
    id: i32,
    query: SatisfactionQuery,
) -> Result<AgreementSatisfactionView, AppError> {
    let (state, ctx) = ctx_from_request().await?;
    services::satisfaction::results(&ctx, &state.db, id, &query)
        .await
        .map_err(server_error)
}

/// Records one survey result for agreement `id`.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "satisfaction/record", input = leptos::server_fn::codec::Json)]
pub async fn record_satisfaction(
    id: i32,
    params: SatisfactionParams,
) -> Result<SatisfactionResultView, AppError> {
    let (state, ctx) = ctx_from_request().await?;
    services::satisfaction::record(&ctx, &state.db, id, params)
        .await
        .map_err(server_error)
}
