//! The organisations page: the public bodies, businesses and community
//! organisations that take part in agreements.

use super::{Choice, Text, settle};
use crate::domain::OrganisationKind;
use crate::i18n::{Lang, use_i18n};
use crate::server_fns::admin::*;
use crate::server_fns::organisations::list_organisations;
use crate::ui::components::{FormError, LoadError, Loading};
use crate::wire::admin::*;
use crate::wire::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OrganisationsAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let orgs = Resource::new(|| (), |_| list_organisations());
    let error = RwSignal::new(None::<AppError>);
    let editing = RwSignal::new(None::<i32>);
    let code = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let name_fr = RwSignal::new(String::new());
    let kind = RwSignal::new(OrganisationKind::Ministry);
    let jurisdiction = RwSignal::new(String::new());
    let clear = move || {
        editing.set(None);
        for s in [code, name, name_fr, jurisdiction] {
            s.set(String::new());
        }
    };
    let save = Action::new(move |(id, p): &(Option<i32>, OrganisationParams)| {
        let (id, p) = (*id, p.clone());
        async move {
            match id {
                Some(id) => update_organisation(id, p).await,
                None => create_organisation(p).await,
            }
        }
    });
    Effect::new(move |_| {
        if let Some(r) = save.value().get()
            && settle(r, error).is_some()
        {
            clear();
            orgs.refetch();
        }
    });
    view! {
        <Title text=move || t().organisations_admin_title />
        <h1>{move || t().organisations_admin_title}</h1>
        <p class="lede">{move || t().organisations_admin_intro}</p>
        <FormError error />
        <h2>{move || if editing.get().is_some() { t().edit_organisation } else { t().new_organisation }}</h2>
        <form class="grid-form" on:submit=move |ev| {
            ev.prevent_default();
            let j = jurisdiction.get_untracked();
            let fr = name_fr.get_untracked();
            save.dispatch((editing.get_untracked(), OrganisationParams {
                code: code.get_untracked(),
                name: name.get_untracked(),
                name_fr: (!fr.trim().is_empty()).then_some(fr),
                kind: kind.get_untracked(),
                jurisdiction_code: (!j.trim().is_empty()).then_some(j),
            }));
        }>
            <Text id="org-code" label=Signal::derive(move || t().col_code) value=code required=true field="code" problems=error />
            <Text id="org-name" label=Signal::derive(move || t().name_en) value=name required=true field="name" problems=error />
            <Text id="org-name-fr" label=Signal::derive(move || t().name_fr) value=name_fr field="name_fr" problems=error />
            <Choice id="org-kind" label=Signal::derive(move || t().col_kind) all=OrganisationKind::ALL name=OrganisationKind::as_str text=Lang::kind value=kind />
            <Text id="org-jurisdiction" label=Signal::derive(move || t().jurisdiction_code) value=jurisdiction field="jurisdiction_code" problems=error />
            <div class="form-actions">
                <button type="submit" class="primary">{move || if editing.get().is_some() { t().save } else { t().create }}</button>
                <Show when=move || editing.get().is_some()>
                    <button type="button" class="secondary" on:click=move |_| clear()>{move || t().cancel}</button>
                </Show>
            </div>
        </form>
        <Suspense fallback=Loading>
            {move || orgs.get().map(|r| match r {
                Err(_) => view! { <LoadError /> }.into_any(),
                Ok(list) => view! {
                    <div class="table-wrap">
                        <table class="data">
                            <thead>
                                <tr>
                                    <th scope="col">{move || t().col_code}</th>
                                    <th scope="col">{move || t().col_name}</th>
                                    <th scope="col">{move || t().col_kind}</th>
                                    <th scope="col">{move || t().col_jurisdiction}</th>
                                    <th scope="col">{move || t().actions}</th>
                                </tr>
                            </thead>
                            <tbody>
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
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            })}
        </Suspense>
    }
}
