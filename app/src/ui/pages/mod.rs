//! One module per page.

pub mod admin;
pub mod agreement;
pub mod agreement_form;
pub mod barriers;
pub mod benchmarks;
pub mod compliance;
pub mod cost_model;
pub mod costs;
pub mod coverage;
pub mod history;
pub mod journeys;
pub mod not_found;
pub mod notices;
pub mod notifications;
pub mod open_data;
pub mod organisations;
pub mod overview;
pub mod portfolio;
pub mod reporting;
pub mod satisfaction;
pub mod services;

/// The agreement id in the page's address (`/agreements/:id/…`), as a
/// reactive read; 0, which names no agreement, when it is not a number.
pub(crate) fn agreement_id() -> impl Fn() -> i32 + Copy + Send + Sync + 'static {
    let params = leptos_router::hooks::use_params_map();
    move || {
        use leptos::prelude::Read;
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i32>().ok())
            .unwrap_or(0)
    }
}
