//! Server functions: the pages' calls to the server, one file per area,
//! and (server side only) the Leptos glue that gives them the caller's
//! context and turns service errors into answers. They hold no query and
//! no rule: each calls one service in `backend::services`.

pub mod codec;
#[cfg(feature = "ssr")]
pub mod glue;

pub mod admin;
pub mod agreements;
pub mod auth;
pub mod barriers;
pub mod benchmarks;
pub mod cost;
pub mod coverage;
pub mod inventory;
pub mod journeys;
pub mod negotiation;
pub mod notices;
pub mod notifications;
pub mod organisations;
pub mod public;
pub mod reports;
pub mod satisfaction;

use crate::wire::error::{AppError, BAD_REQUEST, UNREACHABLE};
use codec::JsonText;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};

/// Server functions fail with the error of API.md's shape, so a form
/// shows the server's field details beside its fields. What Leptos itself
/// reports (arguments that do not parse, a request that got no answer)
/// takes that shape too.
impl FromServerFnError for AppError {
    type Encoder = JsonText;

    fn from_server_fn_error(e: ServerFnErrorErr) -> Self {
        match e {
            ServerFnErrorErr::Request(_) => AppError::new(
                UNREACHABLE,
                "The server could not be reached. Check the connection and try again.",
            ),
            ServerFnErrorErr::Args(m)
            | ServerFnErrorErr::MissingArg(m)
            | ServerFnErrorErr::Deserialization(m)
            | ServerFnErrorErr::UnsupportedRequestMethod(m) => {
                AppError::new(BAD_REQUEST, format!("The request was malformed: {m}"))
            }
            // Faults of the server's own: no details are sent.
            ServerFnErrorErr::Serialization(_)
            | ServerFnErrorErr::Registration(_)
            | ServerFnErrorErr::ServerError(_)
            | ServerFnErrorErr::MiddlewareError(_)
            | ServerFnErrorErr::Response(_) => AppError::internal(),
        }
    }
}
