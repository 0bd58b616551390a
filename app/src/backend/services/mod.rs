//! Services: the one place rules, permissions and queries meet. Each takes
//! the acting `Ctx` first. No HTTP here.

pub mod admin;
pub mod agreements;
pub mod auth;
pub mod barriers;
pub mod benchmarks;
pub mod costs;
pub mod coverage;
pub mod export;
pub mod inventory;
pub mod journeys;
pub(crate) mod months;
pub mod negotiation;
pub mod notices;
pub mod notifications;
pub mod organisations;
pub(crate) mod readings;
pub mod reports;
pub mod results;
pub(crate) mod rows;
pub mod satisfaction;
pub(crate) mod service_rows;
pub mod versions;

pub use crate::backend::ctx::{Ctx, Person, VisibleOnce};
pub(crate) use crate::backend::stored::{plain_decimal, rfc3339, stored};
