//! The server side (feature `ssr` only): entities, services, database,
//! fixtures. Never compiled into the browser bundle.

pub mod audit;
pub mod auth;
pub mod batch;
pub mod cache;
pub mod csv_cells;
pub mod csv_out;
pub mod csv_table;
pub mod ctx;
pub mod db;
pub mod entities;
pub mod error;
pub mod exact;
pub mod fixtures;
pub mod generate;
pub mod portable;
pub mod request;
pub mod schema;
pub mod services;
pub mod state;
pub(crate) mod stored;

pub use error::{FieldError, PublicError, ServiceError, ServiceResult};
pub use request::ctx_from_parts;
pub use services::Ctx;
pub use state::AppState;
