//! Wire types: what crosses between the browser and the server — views
//! (`*View`, out), parameters and filters (`*Params`, `*Filters`, in) —
//! one file per area. Compiled for both sides; imports only `domain`.

pub mod admin;
pub mod agreements;
pub mod auth;
pub mod barriers;
pub mod benchmarks;
pub mod cost;
pub mod cost_page;
pub mod coverage;
pub mod error;
pub mod inventory;
pub mod journeys;
pub mod negotiation;
pub mod notices;
pub mod notifications;
pub mod organisations;
pub mod reports;
pub mod satisfaction;
