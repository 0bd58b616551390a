//! Administration pages: users, organisations, jurisdictions, API tokens and
//! the audit log. Every action goes through a server function, so the
//! service layer decides what is allowed; these pages only show it.

mod audit;
mod jurisdictions;
mod kpis;
mod organisations;
mod tokens;
mod users;

pub use audit::AuditPage;
pub use jurisdictions::JurisdictionsPage;
pub use kpis::KpisPage;
pub use organisations::OrganisationsAdminPage;
pub use tokens::TokensPage;
pub use users::UsersPage;

use crate::i18n::{Lang, use_i18n};
use crate::ui::components::FieldProblem;
use crate::wire::error::AppError;
use leptos::prelude::*;

/// A labelled text input bound to a signal; with `problems`, the
/// server's problem with `field` (its name in the request) beside it.
#[component]
fn Text(
    id: &'static str,
    label: Signal<&'static str>,
    value: RwSignal<String>,
    #[prop(optional)] kind: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] field: Option<&'static str>,
    #[prop(optional)] problems: Option<RwSignal<Option<AppError>>>,
) -> impl IntoView {
    let invalid = move || {
        problems
            .zip(field)
            .is_some_and(|(p, f)| p.with(|e| e.as_ref().and_then(|e| e.about(f)).is_some()))
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {problems.zip(field).map(|(error, field)| view! { <FieldProblem error field /> })}
            <input id=id name=id type=kind.unwrap_or("text") required=required
                aria-invalid=move || invalid().then_some("true") bind:value=value />
        </div>
    }
}

/// A labelled `<select>` over an enum's values.
#[component]
fn Choice<T>(
    id: &'static str,
    label: Signal<&'static str>,
    all: &'static [T],
    name: fn(T) -> &'static str,
    text: fn(Lang, T) -> &'static str,
    value: RwSignal<T>,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + std::str::FromStr + 'static,
{
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select
                id=id
                name=id
                on:change=move |ev| {
                    if let Ok(v) = event_target_value(&ev).parse::<T>() {
                        value.set(v);
                    }
                }
            >
                {all
                    .iter()
                    .map(|v| {
                        let v = *v;
                        view! {
                            <option value=name(v) selected=move || value.get() == v>
                                {move || text(i18n.lang.get(), v)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// Runs `result`'s outcome into `error` and returns whether it succeeded.
fn settle<T>(result: Result<T, AppError>, error: RwSignal<Option<AppError>>) -> Option<T> {
    match result {
        Ok(v) => {
            error.set(None);
            Some(v)
        }
        Err(e) => {
            error.set(Some(e));
            None
        }
    }
}
