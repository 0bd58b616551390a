//! The server functions of `reports`: each checks nothing itself and calls
//! one service (`backend::services`); its arguments and answers are the
//! wire types of [`crate::wire::reports`].

#[cfg(feature = "ssr")]
use crate::backend::services;
#[cfg(feature = "ssr")]
use crate::server_fns::glue::{ctx_from_request, server_error};
use crate::wire::error::AppError;
#[allow(unused_imports)]
use crate::wire::reports::*;
use leptos::prelude::*;

/// The caller's reporting home.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "reports/home")]
pub async fn load_reporting_home() -> Result<ReportingHome, AppError> {
    crate::server_fns::glue::read_once("reporting_home", &(), |state, ctx| async move {
        services::reports::home(&ctx, &state.db).await
    })
    .await
}

/// Submits a report; returns the receipt with its compliance.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "reports/submit", input = leptos::server_fn::codec::Json)]
pub async fn submit_report(params: ReportParams) -> Result<ReportReceipt, AppError> {
    let (state, ctx) = ctx_from_request().await?;
    services::reports::submit(&ctx, &state.db, params)
        .await
        .map_err(server_error)
}

/// An agreement's compliance per commitment and period.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "reports/compliance")]
pub async fn agreement_compliance(id: i32) -> Result<ComplianceView, AppError> {
    crate::server_fns::glue::read_once("compliance", &id, |state, ctx| async move {
        services::reports::compliance(&ctx, &state.db, id).await
    })
    .await
}

/// Every revision of one commitment's report for one period.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "reports/revisions")]
pub async fn report_revisions(
    commitment_id: i32,
    period: String,
) -> Result<Vec<RevisionView>, AppError> {
    let period = &period;
    crate::server_fns::glue::read_once(
        "revisions",
        &(commitment_id, period),
        |state, ctx| async move {
            services::reports::revisions(&ctx, &state.db, commitment_id, period).await
        },
    )
    .await
}

/// Adds a commitment to agreement `id` (a new version); returns its id.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "reports/commitment", input = leptos::server_fn::codec::Json)]
pub async fn add_commitment(id: i32, params: CommitmentParams) -> Result<i32, AppError> {
    let (state, ctx) = ctx_from_request().await?;
    services::reports::add_commitment(&ctx, &state.db, id, params)
        .await
        .map(|c| c.id)
        .map_err(server_error)
}

/// Changes a commitment (a new version); returns its id.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "reports/commitment-update", input = leptos::server_fn::codec::Json)]
pub async fn update_commitment(
    id: i32,
    commitment_id: i32,
    params: CommitmentParams,
) -> Result<i32, AppError> {
    let (state, ctx) = ctx_from_request().await?;
    services::reports::update_commitment(&ctx, &state.db, id, commitment_id, params)
        .await
        .map(|c| c.id)
        .map_err(server_error)
}
