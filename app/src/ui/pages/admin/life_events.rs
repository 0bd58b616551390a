//! The life-event catalogue page: the life events agreements cover, added
//! and renamed by admins. A code never changes once added.

use super::{Editor, EditorActions, Text};
use crate::i18n::use_i18n;
use crate::server_fns::admin::*;
use crate::ui::components::PageTitle;
use crate::ui::components::{DataTable, FieldProblem, FormError, LoadError, Loading, col, num};
use crate::wire::admin::*;
use leptos::prelude::*;

/// Renames through the form's own parameters: the code stays the one
/// being renamed.
async fn rename(
    id: i32,
    p: LifeEventParams,
) -> Result<LifeEventAdminView, crate::wire::error::AppError> {
    rename_life_event(
        id,
        RenameLifeEventParams {
            code: Some(p.code),
            name: p.name,
            name_fr: p.name_fr,
        },
    )
    .await
}

/// The life-event catalogue: each life event's stable code, its names in
/// both languages and how many agreements cover it; a form to add one or
/// rename the one picked.
#[component]
pub fn LifeEventsAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let list = Resource::new(|| (), |_| list_life_event_catalogue());
    let code = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let name_fr = RwSignal::new(String::new());
    let editor = Editor::new(
        create_life_event,
        rename,
        move || {
            for s in [code, name, name_fr] {
                s.set(String::new());
            }
        },
        move || list.refetch(),
    );
    let Editor { editing, error, .. } = editor;
    let code_invalid = move || error.with(|e| e.as_ref().and_then(|e| e.about("code")).is_some());
    view! {
        <PageTitle text=|l| l.t().life_events_admin_title.into() />
        <h1>{move || t().life_events_admin_title}</h1>
        <p class="lede">{move || t().life_events_admin_intro}</p>
        <FormError error />
        <h2>{move || if editing.get().is_some() { t().edit_life_event } else { t().new_life_event }}</h2>
        <form class="grid-form" data-testid="life-event-form" on:submit=move |ev| {
            ev.prevent_default();
            let fr = name_fr.get_untracked();
            editor.submit(LifeEventParams {
                code: code.get_untracked(),
                name: name.get_untracked(),
                name_fr: (!fr.trim().is_empty()).then_some(fr),
            });
        }>
            // The code is typed once: while renaming it shows, read-only.
            <div class="field">
                <label for="le-code">{move || t().col_code}</label>
                <FieldProblem error field="code" />
                <input id="le-code" name="le-code" type="text" required=true
                    pattern="[a-z0-9_]{2,64}" aria-describedby="le-code-hint"
                    readonly=move || editing.get().is_some()
                    aria-invalid=move || code_invalid().then_some("true") bind:value=code />
                <span id="le-code-hint" class="hint">{move || t().life_event_code_hint}</span>
            </div>
            <Text id="le-name" label=Signal::derive(move || t().name_en) value=name required=true field="name" problems=error />
            <Text id="le-name-fr" label=Signal::derive(move || t().name_fr) value=name_fr field="name_fr" problems=error />
            <EditorActions editing cancel=editor.reset />
        </form>
        <Suspense fallback=Loading>
            {move || list.get().map(|r| match r {
                Err(_) => view! { <LoadError /> }.into_any(),
                Ok(items) => view! {
                    <DataTable columns=vec![col(|m| m.col_code), col(|m| m.name_en), col(|m| m.name_fr), num(|m| m.col_agreements_covering), col(|m| m.actions)] testid="life-events">
                        {items.into_iter().map(|e| {
                            let e2 = e.clone();
                            let label = format!("{} {}", t().edit, e.code);
                            view! {
                                <tr>
                                    <td class="code">{e.code.clone()}</td>
                                    <th scope="row" lang="en">{e.name.clone()}</th>
                                    <td lang="fr">{e.name_fr.clone().unwrap_or_default()}</td>
                                    <td class="num">{e.agreements}</td>
                                    <td>
                                        <button type="button" class="secondary small" aria-label=label on:click=move |_| {
                                            editing.set(Some(e2.id));
                                            code.set(e2.code.clone());
                                            name.set(e2.name.clone());
                                            name_fr.set(e2.name_fr.clone().unwrap_or_default());
                                        }>{move || t().edit}</button>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </DataTable>
                }.into_any(),
            })}
        </Suspense>
    }
}
