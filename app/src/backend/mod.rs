//! The server side (feature `ssr` only): entities, services, database,
//! fixtures. Never compiled into the browser bundle.

pub mod audit;
pub mod auth;
pub mod csv_table;
pub mod db;
pub mod entities;
pub mod error;
pub mod exact;
pub mod fixtures;
pub mod generate;
pub mod services;
pub mod state;

pub use error::{FieldError, ServiceError, ServiceResult};
pub use services::Ctx;
pub use state::AppState;

use leptos::prelude::*;

/// The server-function form of a service error, with the HTTP status the
/// REST API would give it. Database details stay in the log; the caller
/// learns only that the request failed.
pub fn server_error(e: ServiceError) -> ServerFnError {
    use http::StatusCode;
    let status = match &e {
        ServiceError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
        ServiceError::Forbidden => StatusCode::FORBIDDEN,
        ServiceError::NotFound => StatusCode::NOT_FOUND,
        ServiceError::Conflict(_) | ServiceError::Stale { .. } => StatusCode::CONFLICT,
        ServiceError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        ServiceError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
        ServiceError::Db(_) => StatusCode::INTERNAL_SERVER_ERROR,
    };
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
    match e {
        ServiceError::Db(err) => {
            tracing::error!(error = %err, "database error in a server function");
            ServerFnError::ServerError("The server could not complete the request.".into())
        }
        ServiceError::Forbidden => {
            ServerFnError::ServerError("Your role does not allow this.".into())
        }
        ServiceError::NotFound => ServerFnError::ServerError("There is nothing here.".into()),
        other => ServerFnError::ServerError(other.to_string()),
    }
}

/// Like [`server_error`], with each field problem of a validation error
/// appended to the message, for forms that show one sentence.
pub fn server_error_detailed(e: ServiceError) -> ServerFnError {
    match e {
        ServiceError::Validation { message, details } if !details.is_empty() => {
            let parts: Vec<String> = details
                .iter()
                .map(|d| match d.line {
                    Some(l) => format!("line {l}, {}: {}", d.field, d.message),
                    None => format!("{}: {}", d.field, d.message),
                })
                .collect();
            server_error(ServiceError::Validation {
                message: format!("{message} {}", parts.join("; ")),
                details,
            })
        }
        other => server_error(other),
    }
}

/// The state and acting context of the current server-function call (or
/// server render): the caller's credentials resolved exactly as the REST
/// API resolves them.
///
/// Fails when the server did not provide `AppState` (a wiring bug), or the
/// credentials are invalid (an expired or revoked session).
pub async fn ctx_from_request() -> Result<(AppState, Ctx), ServerFnError> {
    let state =
        use_context::<AppState>().ok_or_else(|| ServerFnError::new("application state missing"))?;
    let Some(parts) = use_context::<http::request::Parts>() else {
        return Ok((state, Ctx::anonymous()));
    };
    let ctx = ctx_from_parts(&state, &parts).await.map_err(server_error)?;
    Ok((state, ctx))
}

/// The acting context of a request: its actor, address and request id.
///
/// Fails with `Unauthenticated` for invalid credentials.
pub async fn ctx_from_parts(state: &AppState, parts: &http::request::Parts) -> ServiceResult<Ctx> {
    let actor = auth::resolve(&state.db, &state.auth, &parts.headers).await?;
    Ok(Ctx {
        actor,
        system: false,
        ip: client_ip(parts),
        request_id: parts
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    })
}

/// The peer address of the connection (set by the server as
/// `ConnectInfo`), used to throttle sign-ins per address.
fn client_ip(parts: &http::request::Parts) -> Option<String> {
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
}

/// Adds a `Set-Cookie` header to the current server-function response.
pub fn set_cookie(value: &str) {
    if let (Some(response), Ok(v)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(value),
    ) {
        response.append_header(http::header::SET_COOKIE, v);
    }
}
