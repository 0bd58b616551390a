//! Server functions: the pages' calls to the server, one file per area,
//! and (server side only) the Leptos glue that gives them the caller's
//! context and turns service errors into answers. They hold no query and
//! no rule: each calls one service in `backend::services`.

#[cfg(feature = "ssr")]
pub mod glue;

pub mod admin;
pub mod agreements;
pub mod auth;
pub mod benchmarks;
pub mod cost;
pub mod negotiation;
pub mod notifications;
pub mod organisations;
pub mod reports;
