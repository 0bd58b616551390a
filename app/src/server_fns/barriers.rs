//! The server functions of the barrier register: each checks nothing
//! itself and calls one service (`backend::services::barriers`); its
//! arguments and answers are the wire types of [`crate::wire::barriers`].

#[cfg(feature = "ssr")]
use crate::backend::services;
#[cfg(feature = "ssr")]
use crate::server_fns::glue::{ctx_from_request, server_error};
#[allow(unused_imports)]
use crate::wire::barriers::*;
use crate::wire::error::AppError;
use leptos::prelude::*;

/// The barriers of the agreements the caller may see, filtered, with the
/// summary by category and boundary.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "barriers/register", input = leptos::server_fn::codec::Json)]
pub async fn barrier_register(query: BarrierQuery) -> Result<BarrierRegisterView, AppError> {
    use crate::server_fns::glue::read_once;
    let query = &query;
    read_once("barrier-register", query, |state, ctx| async move {
        services::barriers::register(&ctx, &state.db, query).await
    })
    .await
}

/// The owning party updates barrier `id`'s status, mitigation and actions.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "barriers/update", input = leptos::server_fn::codec::Json)]
pub async fn update_barrier(id: i32, params: BarrierUpdateParams) -> Result<BarrierItem, AppError> {
    let (state, ctx) = ctx_from_request().await?;
    services::barriers::update(&ctx, &state.db, id, params)
        .await
        .map_err(server_error)
}
