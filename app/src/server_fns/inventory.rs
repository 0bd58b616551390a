//! The server function of the service inventory: it checks nothing itself
//! and calls one service (`backend::services::inventory`); its answer is
//! the wire type of [`crate::wire::inventory`].

use crate::wire::error::AppError;
#[allow(unused_imports)]
use crate::wire::inventory::*;
use leptos::prelude::*;

/// The services of the agreements the caller may see, filtered and sorted.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "services/inventory", input = leptos::server_fn::codec::Json)]
pub async fn service_inventory(query: InventoryQuery) -> Result<InventoryView, AppError> {
    use crate::backend::services;
    use crate::server_fns::glue::read_once;
    let query = &query;
    read_once("service-inventory", query, |state, ctx| async move {
        services::inventory::inventory(&ctx, &state.db, query).await
    })
    .await
}
