//! The server functions of journeys across channels: each checks nothing
//! itself and calls one service (`backend::services::journeys`); its
//! arguments and answers are the wire types of [`crate::wire::journeys`].
//! (The CSV upload goes to `POST /api/v1/agreements/{id}/journeys/import`.)

#[cfg(feature = "ssr")]
use crate::backend::services;
#[cfg(feature = "ssr")]
use crate::server_fns::glue::{ctx_from_request, server_error};
use crate::wire::error::AppError;
#[allow(unused_imports)]
use crate::wire::journeys::*;
use leptos::prelude::*;

/// The flow view of agreement `id` for `filters`.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "journeys/flows", input = leptos::server_fn::codec::Json)]
pub async fn journey_flows(id: i32, filters: JourneyFilters) -> Result<JourneysView, AppError> {
    let filters = &filters;
    crate::server_fns::glue::read_once("journey_flows", &(id, filters), |state, ctx| async move {
        services::journeys::flows(&ctx, &state.db, id, filters).await
    })
    .await
}

/// Records one count of journeys for agreement `id`.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "journeys/record", input = leptos::server_fn::codec::Json)]
pub async fn record_journey(id: i32, params: JourneyParams) -> Result<JourneyView, AppError> {
    let (state, ctx) = ctx_from_request().await?;
    services::journeys::record(&ctx, &state.db, id, params)
        .await
        .map_err(server_error)
}
