//! The server functions of `agreements`: each checks nothing itself and calls
//! one service (`backend::services`); its arguments and answers are the
//! wire types of [`crate::wire::agreements`].

#[allow(unused_imports)]
use crate::wire::agreements::*;
use crate::wire::error::AppError;
use leptos::prelude::*;

/// The agreements the caller may see, matching `filters`.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "agreements/list")]
pub async fn list_agreements(
    #[server(default)] filters: AgreementFilters,
) -> Result<Vec<AgreementSummary>, AppError> {
    use crate::backend::services;
    use crate::server_fns::glue::read_once;
    let filters = &filters;
    read_once("agreements", filters, |state, ctx| async move {
        services::agreements::list(&ctx, &state.db, filters).await
    })
    .await
}

/// The portfolio at a glance for the caller.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "agreements/glance")]
pub async fn load_glance() -> Result<PortfolioGlance, AppError> {
    use crate::backend::services;
    use crate::server_fns::glue::read_once;
    read_once("glance", &(), |state, ctx| async move {
        services::agreements::glance_cached(&ctx, &state.db).await
    })
    .await
}

/// One agreement in full; `Ok(None)` when it does not exist (or may not be seen).
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "agreements/get")]
pub async fn get_agreement(id: i32) -> Result<Option<AgreementView>, AppError> {
    use crate::backend::{ServiceError, services};
    use crate::server_fns::glue::read_once;
    read_once("agreement", &id, |state, ctx| async move {
        match services::agreements::get_cached(&ctx, &state.db, id).await {
            Ok(a) => Ok(Some(a)),
            Err(ServiceError::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    })
    .await
}
