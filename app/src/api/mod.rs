//! Wire types (`*View` out, `*Params`/`*Filters` in) and `#[server]` functions,
//! one file per area. Compiled for both the server and the browser; server
//! functions hold no query — they call `backend::services`.

pub mod admin;
pub mod agreements;
pub mod auth;
pub mod benchmarks;
pub mod cost;
pub mod negotiation;
pub mod notifications;
pub mod organisations;
pub mod reports;
