//! One module per page.

pub mod admin;
pub mod agreement;
pub mod agreement_form;
pub mod benchmarks;
pub mod compliance;
pub mod cost_model;
pub mod costs;
pub mod history;
pub mod not_found;
pub mod notifications;
pub mod organisations;
pub mod overview;
pub mod portfolio;
pub mod reporting;
