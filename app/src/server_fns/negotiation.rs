//! The server functions of `negotiation`: each checks nothing itself and calls
//! one service (`backend::services`); its arguments and answers are the
//! wire types of [`crate::wire::negotiation`].

use crate::domain::AgreementStatus;
use crate::wire::error::AppError;
#[allow(unused_imports)]
use crate::wire::negotiation::*;
use leptos::prelude::*;

/// Creates a draft; returns its id.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "agreements/create", input = leptos::server_fn::codec::Json)]
pub async fn create_agreement(terms: AgreementTermsParams) -> Result<i32, AppError> {
    use crate::backend::services;
    use crate::server_fns::glue::{ctx_from_request, server_error};
    let (state, ctx) = ctx_from_request().await?;
    services::negotiation::create(&ctx, &state.db, terms)
        .await
        .map(|a| a.id)
        .map_err(server_error)
}

/// Saves new terms based on `version`; returns the new version number.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "agreements/update", input = leptos::server_fn::codec::Json)]
pub async fn update_agreement(id: i32, params: UpdateAgreementParams) -> Result<i32, AppError> {
    use crate::backend::services;
    use crate::server_fns::glue::{ctx_from_request, server_error};
    let (state, ctx) = ctx_from_request().await?;
    services::negotiation::update(&ctx, &state.db, id, params)
        .await
        .map(|a| a.version)
        .map_err(server_error)
}

/// The agreement's terms in the shape the edit form submits.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "agreements/terms")]
pub async fn agreement_terms(id: i32) -> Result<(AgreementTermsParams, i32), AppError> {
    use crate::backend::services;
    use crate::server_fns::glue::read_once;
    read_once("agreement_terms", &id, |state, ctx| async move {
        services::negotiation::terms_of(&ctx, &state.db, id).await
    })
    .await
}

#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "agreements/versions")]
pub async fn list_versions(id: i32) -> Result<Vec<VersionView>, AppError> {
    use crate::backend::services;
    use crate::server_fns::glue::read_once;
    read_once("list_versions", &id, |state, ctx| async move {
        services::negotiation::versions(&ctx, &state.db, id).await
    })
    .await
}

#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "agreements/compare")]
pub async fn compare_versions(id: i32, from: i32, to: i32) -> Result<ComparisonView, AppError> {
    use crate::backend::services;
    use crate::server_fns::glue::read_once;
    read_once("compare_versions", &(id, from, to), |state, ctx| async move {
        services::negotiation::compare(&ctx, &state.db, id, from, to)
            .await
    })
    .await
}

#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "agreements/comments")]
pub async fn list_comments(id: i32) -> Result<Vec<CommentView>, AppError> {
    use crate::backend::services;
    use crate::server_fns::glue::read_once;
    read_once("list_comments", &id, |state, ctx| async move {
        services::negotiation::comments_cached(&ctx, &state.db, id).await
    })
    .await
}

#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "agreements/comment")]
pub async fn add_comment(id: i32, params: CommentParams) -> Result<CommentView, AppError> {
    use crate::backend::services;
    use crate::server_fns::glue::{ctx_from_request, server_error};
    let (state, ctx) = ctx_from_request().await?;
    services::negotiation::add_comment(&ctx, &state.db, id, params)
        .await
        .map_err(server_error)
}

#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "agreements/transition")]
pub async fn transition_agreement(id: i32, to: AgreementStatus) -> Result<(), AppError> {
    use crate::backend::services;
    use crate::server_fns::glue::{ctx_from_request, server_error};
    let (state, ctx) = ctx_from_request().await?;
    services::negotiation::transition(&ctx, &state.db, id, to)
        .await
        .map(|_| ())
        .map_err(server_error)
}

#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "agreements/approve")]
pub async fn approve_agreement(id: i32, version: i32) -> Result<(), AppError> {
    use crate::backend::services;
    use crate::server_fns::glue::{ctx_from_request, server_error};
    let (state, ctx) = ctx_from_request().await?;
    services::negotiation::approve(&ctx, &state.db, id, version)
        .await
        .map(|_| ())
        .map_err(server_error)
}

#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "agreements/withdraw")]
pub async fn withdraw_agreement(id: i32) -> Result<(), AppError> {
    use crate::backend::services;
    use crate::server_fns::glue::{ctx_from_request, server_error};
    let (state, ctx) = ctx_from_request().await?;
    services::negotiation::withdraw(&ctx, &state.db, id)
        .await
        .map_err(server_error)
}

/// Withdraws agreement `id`'s pending amendment; the terms in force stay.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "agreements/withdraw-amendment")]
pub async fn withdraw_amendment(id: i32) -> Result<(), AppError> {
    use crate::backend::services;
    use crate::server_fns::glue::{ctx_from_request, server_error};
    let (state, ctx) = ctx_from_request().await?;
    services::negotiation::withdraw_amendment(&ctx, &state.db, id)
        .await
        .map(|_| ())
        .map_err(server_error)
}

#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "agreements/permissions")]
pub async fn agreement_permissions(id: i32) -> Result<Permissions, AppError> {
    use crate::backend::services;
    use crate::server_fns::glue::read_once;
    read_once("permissions", &id, |state, ctx| async move {
        services::negotiation::permissions_cached(&ctx, &state.db, id).await
    })
    .await
}
