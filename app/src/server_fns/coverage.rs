//! The server functions of the life-event coverage map: each checks
//! nothing itself and calls one service (`backend::services`); its answers
//! are the wire types of [`crate::wire::coverage`].

#[allow(unused_imports)]
use crate::wire::coverage::*;
use crate::wire::error::AppError;
use leptos::prelude::*;

/// The coverage map over the agreements in force the caller may see.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "life-events/coverage")]
pub async fn life_event_coverage() -> Result<CoverageView, AppError> {
    use crate::backend::services;
    use crate::server_fns::glue::read_once;
    read_once("life-event-coverage", &(), |state, ctx| async move {
        services::coverage::coverage(&ctx, &state.db).await
    })
    .await
}
