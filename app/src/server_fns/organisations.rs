//! The server functions of `organisations`: each checks nothing itself and calls
//! one service (`backend::services`); its arguments and answers are the
//! wire types of [`crate::wire::organisations`].

use crate::wire::error::AppError;
#[allow(unused_imports)]
use crate::wire::organisations::*;
use leptos::prelude::*;

/// Every organisation, ordered by name, with its jurisdiction.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "organisations/list")]
pub async fn list_organisations() -> Result<Vec<OrganisationView>, AppError> {
    use crate::backend::services;
    use crate::server_fns::glue::read_once;
    read_once("organisations", &(), |state, ctx| async move {
        services::organisations::list(&ctx, &state.db).await
    })
    .await
}
