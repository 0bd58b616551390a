//! The server functions of `auth`: each checks nothing itself and calls
//! one service (`backend::services`); its arguments and answers are the
//! wire types of [`crate::wire::auth`].

#[allow(unused_imports)]
use crate::wire::auth::*;
use crate::wire::error::AppError;
use leptos::prelude::*;

/// The signed-in user, if any (`None` when nobody is signed in).
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "auth/me")]
pub async fn current_user() -> Result<Option<UserView>, AppError> {
    use crate::backend::{AppState, ctx_from_parts, services};
    use crate::server_fns::glue::server_error;
    let state = use_context::<AppState>().ok_or_else(crate::server_fns::glue::missing_state)?;
    let Some(parts) = use_context::<http::request::Parts>() else {
        return Ok(None);
    };
    // An expired or revoked session simply means nobody is signed in here.
    let Ok(ctx) = ctx_from_parts(&state, &parts).await else {
        return Ok(None);
    };
    if ctx.actor.as_ref().is_none_or(|a| a.user_id().is_none()) {
        return Ok(None);
    }
    services::auth::me(&ctx, &state.db)
        .await
        .map(Some)
        .map_err(server_error)
}

/// Signs in and sets the session cookie. Returns the user on success.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "auth/sign-in")]
pub async fn sign_in(email: String, password: String) -> Result<UserView, AppError> {
    use crate::backend::services;
    use crate::server_fns::glue::{ctx_from_request_ignoring_stale, server_error};
    let (state, ctx) = ctx_from_request_ignoring_stale().await?;
    let login = services::auth::login(&ctx, &state.db, &state.auth, &email, &password)
        .await
        .map_err(server_error)?;
    crate::server_fns::glue::set_cookie(&state.auth.session_cookie(&login.token));
    Ok(login.user)
}

/// Signs out: the session token stops working at once, everywhere.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "auth/sign-out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::backend::services;
    use crate::server_fns::glue::{ctx_from_request_ignoring_stale, server_error};
    let (state, ctx) = ctx_from_request_ignoring_stale().await?;
    if ctx.actor.is_some() {
        services::auth::logout(&ctx, &state.db)
            .await
            .map_err(server_error)?;
    }
    crate::server_fns::glue::set_cookie(&state.auth.clear_cookie());
    Ok(())
}

/// Keeps the language the signed-in user reads in on their account, so that
/// what Concord writes to them (notifications) is in it.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "auth/language")]
pub async fn set_language(lang: crate::domain::Lang) -> Result<UserView, AppError> {
    use crate::backend::services;
    use crate::server_fns::glue::{ctx_from_request, server_error};
    let (state, ctx) = ctx_from_request().await?;
    services::auth::set_language(&ctx, &state.db, lang)
        .await
        .map_err(server_error)
}

/// Changes the signed-in user's password (every other session ends).
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "auth/change-password")]
pub async fn change_password(current: String, new_password: String) -> Result<(), AppError> {
    use crate::backend::services;
    use crate::server_fns::glue::{ctx_from_request, server_error};
    let (state, ctx) = ctx_from_request().await?;
    services::auth::change_password(&ctx, &state.db, &state.auth, &current, &new_password)
        .await
        .map_err(server_error)?;
    // This session was issued before the change: start a fresh one.
    let user = services::auth::me(&ctx, &state.db)
        .await
        .map_err(server_error)?;
    let login = services::auth::issue_session(&ctx, &state.db, &state.auth, user.id)
        .await
        .map_err(server_error)?;
    crate::server_fns::glue::set_cookie(&state.auth.session_cookie(&login.token));
    Ok(())
}

/// Sets a new password with a one-time reset link's token.
#[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = "auth/reset-password")]
pub async fn reset_password(token: String, new_password: String) -> Result<(), AppError> {
    use crate::backend::services;
    use crate::server_fns::glue::{ctx_from_request_ignoring_stale, server_error};
    // Whoever follows a reset link may still hold an expired session.
    let (state, ctx) = ctx_from_request_ignoring_stale().await?;
    services::auth::reset_password(&ctx, &state.db, &token, &new_password)
        .await
        .map_err(server_error)
}
