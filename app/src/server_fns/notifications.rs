//! The server functions of `notifications`: each checks nothing itself and calls
//! one service (`backend::services`); its arguments and answers are the
//! wire types of [`crate::wire::notifications`].

use crate::wire::error::AppError;
#[allow(unused_imports)]
use crate::wire::notifications::*;
use leptos::prelude::*;

/// The caller's notifications, newest first.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "notifications/list")]
pub async fn list_notifications() -> Result<Vec<NotificationView>, AppError> {
    use crate::backend::services;
    use crate::server_fns::glue::read_once;
    read_once("list_notifications", &(), |state, ctx| async move {
        services::notifications::list(&ctx, &state.db).await
    })
    .await
}

/// How many notifications the caller has not read (0 when signed out).
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "notifications/unread")]
pub async fn unread_notifications() -> Result<u64, AppError> {
    use crate::backend::services;
    use crate::server_fns::glue::read_once;
    read_once("unread_notifications", &(), |state, ctx| async move {
        services::notifications::unread(&ctx, &state.db).await
    })
    .await
}

/// Marks every notification read.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "notifications/read")]
pub async fn mark_notifications_read() -> Result<(), AppError> {
    use crate::backend::services;
    use crate::server_fns::glue::{ctx_from_request, server_error};
    let (state, ctx) = ctx_from_request().await?;
    services::notifications::mark_all_read(&ctx, &state.db)
        .await
        .map_err(server_error)
}

/// The life events an agreement can name (code, English, French).
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "life-events/list")]
pub async fn list_life_events() -> Result<Vec<(String, String, Option<String>)>, AppError> {
    use crate::backend::services;
    use crate::server_fns::glue::read_once;
    read_once("life_events", &(), |state, ctx| async move {
        services::organisations::life_events(&ctx, &state.db).await
    })
    .await
}
