//! The server side (feature `ssr` only): entities, services, database,
//! fixtures. Never compiled into the browser bundle.

pub mod db;
pub mod entities;
pub mod error;
pub mod exact;
pub mod fixtures;
pub mod services;
pub mod state;

pub use error::{FieldError, ServiceError, ServiceResult};
pub use services::Ctx;
pub use state::AppState;

use leptos::prelude::*;

/// The server-function form of a service error. Database details stay in
/// the log; the caller learns only that the request failed.
pub fn server_error(e: ServiceError) -> ServerFnError {
    match e {
        ServiceError::Db(err) => {
            tracing::error!(error = %err, "database error in a server function");
            ServerFnError::ServerError("The server could not complete the request.".into())
        }
        other => ServerFnError::ServerError(other.to_string()),
    }
}

/// The state and acting context of the current server-function call.
///
/// Fails when the server did not provide `AppState` (a wiring bug).
pub async fn ctx_from_request() -> Result<(AppState, Ctx), ServerFnError> {
    let state =
        use_context::<AppState>().ok_or_else(|| ServerFnError::new("application state missing"))?;
    Ok((state, Ctx::anonymous()))
}
