//! Small pieces shared by pages.

use crate::domain::{AgreementStatus, Boundary};
use crate::i18n::use_i18n;
use leptos::prelude::*;

/// A coloured status label (colour is never the only signal: the text is there).
#[component]
pub fn StatusBadge(status: AgreementStatus) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=format!("badge status-{}", status.as_str())>
            {move || i18n.lang.get().status(status)}
        </span>
    }
}

/// The boundaries crossed, as labels.
#[component]
pub fn BoundaryList(boundaries: Vec<Boundary>) -> impl IntoView {
    let i18n = use_i18n();
    if boundaries.is_empty() {
        return view! { <span class="muted">{move || i18n.lang.get().t().none_crossed}</span> }
            .into_any();
    }
    view! {
        <ul class="tags">
            {boundaries
                .into_iter()
                .map(|b| {
                    view! {
                        <li class=format!("tag boundary-{}", b.as_str())>
                            {move || i18n.lang.get().boundary(b)}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// What to show while loading and when loading failed.
#[component]
pub fn LoadError() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="error" role="alert">{move || i18n.lang.get().t().load_failed}</p> }
}

#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="muted" aria-live="polite">{move || i18n.lang.get().t().loading}</p> }
}

/// The error summary at the top of a form (announced to screen readers).
#[component]
pub fn FormError(error: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || error.read().is_some()>
            <div class="error-summary" role="alert" tabindex="-1">
                <h2>{move || i18n.lang.get().t().there_is_a_problem}</h2>
                <p>{move || error.get().unwrap_or_default()}</p>
            </div>
        </Show>
    }
}
