//! One module per page.

pub mod admin;
pub mod agreement;
pub mod not_found;
pub mod organisations;
pub mod portfolio;
