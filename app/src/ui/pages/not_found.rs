//! The page for an unknown address (answered with HTTP 404).

use crate::i18n::use_i18n;
use crate::ui::components::PageTitle;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    let t = move || i18n.lang.get().t();
    view! {
        <PageTitle text=|l| l.t().not_found_title.into() />
        <h1>{move || t().not_found_title}</h1>
        <p>{move || t().not_found_body}</p>
        <p><A href="/">{move || t().back_to_portfolio}</A></p>
    }
}
