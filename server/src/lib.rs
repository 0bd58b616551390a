//! The Concord server: configuration, telemetry, the HTTP router (Leptos
//! pages, server functions, the `/api/v1` REST API, `/healthz`), its
//! middleware, and the command-line tasks. Rules live in `app::backend`.

pub mod assets;
pub mod config;
pub mod metrics;
pub mod middleware;
pub mod openapi;
pub mod rest;
pub mod router;
pub mod telemetry;

pub use config::Config;
pub use router::build_router;
