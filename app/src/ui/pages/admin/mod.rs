//! Administration pages: users, organisations, jurisdictions, API tokens and
//! the audit log. Every action goes through a server function, so the
//! service layer decides what is allowed; these pages only show it.

mod audit;
mod jurisdictions;
mod kpis;
mod life_events;
mod organisations;
mod tokens;
mod users;

pub use audit::AuditPage;
pub use jurisdictions::JurisdictionsPage;
pub use kpis::KpisPage;
pub use life_events::LifeEventsAdminPage;
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

/// A form that creates a thing or saves the one picked for editing from the
/// list below it: which one is picked, the problems the server found, and
/// the action that sends the form to `create` or `update`.
struct Editor<P: Send + Sync + 'static, V: Send + Sync + 'static> {
    editing: RwSignal<Option<i32>>,
    error: RwSignal<Option<AppError>>,
    save: Action<(Option<i32>, P), Result<V, AppError>>,
    reset: Callback<()>,
}

impl<P: Send + Sync + 'static, V: Send + Sync + 'static> Clone for Editor<P, V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P: Send + Sync + 'static, V: Send + Sync + 'static> Copy for Editor<P, V> {}

impl<P, V> Editor<P, V>
where
    P: Clone + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    /// `reset` empties the form's fields; `saved` runs after each save that
    /// succeeds (to load the list again).
    fn new<C, CF, U, UF>(
        create: C,
        update: U,
        reset: impl Fn() + Send + Sync + 'static,
        saved: impl Fn() + 'static,
    ) -> Self
    where
        C: Fn(P) -> CF + Copy + Send + Sync + 'static,
        CF: Future<Output = Result<V, AppError>> + Send + 'static,
        U: Fn(i32, P) -> UF + Copy + Send + Sync + 'static,
        UF: Future<Output = Result<V, AppError>> + Send + 'static,
    {
        let editing = RwSignal::new(None::<i32>);
        let error = RwSignal::new(None::<AppError>);
        let reset = Callback::new(move |()| {
            editing.set(None);
            reset();
        });
        let save = Action::new(move |(id, p): &(Option<i32>, P)| {
            let (id, p) = (*id, p.clone());
            async move {
                match id {
                    Some(id) => update(id, p).await,
                    None => create(p).await,
                }
            }
        });
        Effect::new(move |_| {
            if let Some(r) = save.value().get()
                && settle(r, error).is_some()
            {
                reset.run(());
                saved();
            }
        });
        Editor {
            editing,
            error,
            save,
            reset,
        }
    }

    /// Sends the form: an update of the picked thing, or a new one.
    fn submit(&self, params: P) {
        self.save.dispatch((self.editing.get_untracked(), params));
    }
}

/// The buttons under an [`Editor`]'s form: create or save, and cancel while
/// editing.
#[component]
fn EditorActions(editing: RwSignal<Option<i32>>, cancel: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.lang.get().t();
    view! {
        <div class="form-actions">
            <button type="submit" class="primary">
                {move || if editing.get().is_some() { t().save } else { t().create }}
            </button>
            <Show when=move || editing.get().is_some()>
                <button type="button" class="secondary" on:click=move |_| cancel.run(())>
                    {move || t().cancel}
                </button>
            </Show>
        </div>
    }
}
