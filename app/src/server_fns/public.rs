//! The server functions of what anyone may read without signing in: each
//! checks nothing itself and calls one service (`backend::services`).

#[allow(unused_imports)]
use crate::wire::agreements::PublishedAgreement;
use crate::wire::error::AppError;
use leptos::prelude::*;

/// The agreements their parties publish as open contracting data.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "public/agreements")]
pub async fn published_agreements() -> Result<Vec<PublishedAgreement>, AppError> {
    use crate::backend::services;
    use crate::server_fns::glue::read_once;
    read_once("published_agreements", &(), |state, _ctx| async move {
        services::export::published(&state.db).await
    })
    .await
}
