//! The server functions of `benchmarks`: each checks nothing itself and calls
//! one service (`backend::services`); its arguments and answers are the
//! wire types of [`crate::wire::benchmarks`].

#[allow(unused_imports)]
use crate::wire::benchmarks::*;
use crate::wire::error::AppError;
use chrono::NaiveDate;
use leptos::prelude::*;

/// The benchmarks for `query`.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "benchmarks", input = leptos::server_fn::codec::Json)]
pub async fn load_benchmarks(query: BenchmarkQuery) -> Result<BenchmarksView, AppError> {
    use crate::backend::services;
    use crate::server_fns::glue::read_once;
    let query = &query;
    read_once("benchmarks", query, |state, ctx| async move {
        services::benchmarks::benchmarks_cached(&ctx, &state.db, query).await
    })
    .await
}

/// The caller's portfolio costs over `from`..=`to`, per currency.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "benchmarks/costs")]
pub async fn load_portfolio_costs(
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<CurrencyCosts>, AppError> {
    use crate::backend::services;
    use crate::server_fns::glue::read_once;
    read_once("portfolio_costs", &(from, to), |state, ctx| async move {
        services::costs::portfolio_costs_cached(&ctx, &state.db, from, to).await
    })
    .await
}

/// Channel mix and cost per transaction by channel over `from..=to`.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "benchmarks/channels")]
pub async fn load_channels(from: NaiveDate, to: NaiveDate) -> Result<Vec<ChannelRow>, AppError> {
    use crate::backend::services;
    use crate::server_fns::glue::read_once;
    read_once("channels", &(from, to), |state, ctx| async move {
        services::benchmarks::channels_cached(&ctx, &state.db, from, to).await
    })
    .await
}
