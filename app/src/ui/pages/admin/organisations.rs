//! The organisations page: the public bodies, businesses and community
//! organisations that take part in agreements.

use super::{Choice, Editor, EditorActions, Text};
use crate::domain::OrganisationKind;
use crate::i18n::{Lang, use_i18n};
use crate::server_fns::admin::*;
use crate::server_fns::organisations::list_organisations;
use crate::ui::components::PageTitle;
use crate::ui::components::{DataTable, FormError, LoadError, Loading, col};
use crate::wire::admin::*;
use leptos::prelude::*;

#[component]
pub fn OrganisationsAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let orgs = Resource::new(|| (), |_| list_organisations());
    let code = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let name_fr = RwSignal::new(String::new());
    let kind = RwSignal::new(OrganisationKind::Ministry);
    let jurisdiction = RwSignal::new(String::new());
    let editor = Editor::new(
        create_organisation,
        update_organisation,
        move || {
            for s in [code, name, name_fr, jurisdiction] {
                s.set(String::new());
            }
        },
        move || orgs.refetch(),
    );
    let Editor { editing, error, .. } = editor;
    view! {
        <PageTitle text=|l| l.t().organisations_admin_title.into() />
        <h1>{move || t().organisations_admin_title}</h1>
        <p class="lede">{move || t().organisations_admin_intro}</p>
        <FormError error />
        <h2>{move || if editing.get().is_some() { t().edit_organisation } else { t().new_organisation }}</h2>
        <form class="grid-form" on:submit=move |ev| {
            ev.prevent_default();
            let j = jurisdiction.get_untracked();
            let fr = name_fr.get_untracked();
            editor.submit(OrganisationParams {
                code: code.get_untracked(),
                name: name.get_untracked(),
                name_fr: (!fr.trim().is_empty()).then_some(fr),
                kind: kind.get_untracked(),
                jurisdiction_code: (!j.trim().is_empty()).then_some(j),
            });
        }>
            <Text id="org-code" label=Signal::derive(move || t().col_code) value=code required=true field="code" problems=error />
            <Text id="org-name" label=Signal::derive(move || t().name_en) value=name required=true field="name" problems=error />
            <Text id="org-name-fr" label=Signal::derive(move || t().name_fr) value=name_fr field="name_fr" problems=error />
            <Choice id="org-kind" label=Signal::derive(move || t().col_kind) all=OrganisationKind::ALL name=OrganisationKind::as_str text=Lang::kind value=kind />
            <Text id="org-jurisdiction" label=Signal::derive(move || t().jurisdiction_code) value=jurisdiction field="jurisdiction_code" problems=error />
            <EditorActions editing cancel=editor.reset />
        </form>
        <Suspense fallback=Loading>
            {move || orgs.get().map(|r| match r {
                Err(_) => view! { <LoadError /> }.into_any(),
                Ok(list) => view! {
                    <DataTable columns=vec![col(|m| m.col_code), col(|m| m.col_name), col(|m| m.col_kind), col(|m| m.col_jurisdiction), col(|m| m.actions)]>
                        {list.into_iter().map(|o| {
                            let k = o.kind;
                            let o2 = o.clone();
                            view! {
                                <tr>
                                    <td class="code">{o.code.clone()}</td>
                                    <th scope="row">{o.name.clone()}</th>
                                    <td>{move || lang().kind(k)}</td>
                                    <td class="code">{o.jurisdiction.as_ref().map(|j| j.code.clone()).unwrap_or_default()}</td>
                                    <td>
                                        <button type="button" class="secondary small" aria-label=format!("{} {}", t().edit, o.code) on:click=move |_| {
                                            editing.set(Some(o2.id));
                                            code.set(o2.code.clone());
                                            name.set(o2.name.clone());
                                            name_fr.set(o2.name_fr.clone().unwrap_or_default());
                                            kind.set(o2.kind);
                                            jurisdiction.set(o2.jurisdiction.as_ref().map(|j| j.code.clone()).unwrap_or_default());
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
