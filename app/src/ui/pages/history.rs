//! An agreement's version history, and any two versions compared side by
//! side, field by field.

use crate::i18n::use_i18n;
use crate::server_fns::negotiation::{compare_versions, list_versions};
use crate::ui::auth::error_text;
use crate::ui::components::PageTitle;
use crate::ui::components::{DataTable, Loading, col};
use crate::ui::pages::agreement_form::ChangeTable;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn HistoryPage() -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let id = super::agreement_id();
    let versions = Resource::new(id, list_versions);
    let from = RwSignal::new(1);
    let to = RwSignal::new(1);
    // Default comparison: the last two versions.
    Effect::new(move |_| {
        if let Some(Ok(v)) = versions.get() {
            let n = v.len() as i32;
            to.set(n.max(1));
            from.set((n - 1).max(1));
        }
    });
    let comparison = Resource::new(
        move || (id(), from.get(), to.get()),
        |(id, f, t)| compare_versions(id, f, t),
    );
    view! {
        <PageTitle text=|l| l.t().history.into() />
        <p class="breadcrumb"><A href=move || format!("/agreements/{}", id())>{move || t().back_to_agreement}</A></p>
        <h1>{move || t().history}</h1>
        <Suspense fallback=Loading>
            {move || versions.get().map(|r| match r {
                Err(e) => view! { <p class="error" role="alert">{error_text(&e)}</p> }.into_any(),
                Ok(list) => {
                    let numbers: Vec<i32> = list.iter().map(|v| v.number).collect();
                    let numbers2 = numbers.clone();
                    view! {
                        <DataTable columns=vec![col(|m| m.version_label), col(|m| m.change_summary), col(|m| m.author), col(|m| m.saved_at), col(|m| m.effective_from), col(|m| m.status_label)] testid="versions">
                            {list.into_iter().map(|v| view! {
                                <tr>
                                    <th scope="row">{v.number}</th>
                                    <td>{v.change_summary.clone()}</td>
                                    <td>{v.author_name.clone().unwrap_or_else(|| "—".into())}</td>
                                    <td class="nowrap">{v.created_at.clone()}</td>
                                    <td class="nowrap">{move || lang().date(v.effective_from)}</td>
                                    <td>
                                        {v.in_force.then(|| view! { <span class="badge status-active">{move || t().in_force}</span> })}
                                        {v.approved_at.map(|_| view! { " " <span class="muted">{move || t().approved}</span> })}
                                        {v.withdrawn_at.map(|_| view! { " " <span class="muted">{move || t().withdrawn}</span> })}
                                    </td>
                                </tr>
                            }).collect_view()}
                        </DataTable>
                        <h2>{move || t().compare}</h2>
                        <div class="inline-form">
                            <div class="field">
                                <label for="cmp-from">{move || t().compare_from}</label>
                                <select id="cmp-from" on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse() { from.set(v) } }>
                                    {numbers.into_iter().map(|n| view! { <option value=n.to_string() selected=move || from.get() == n>{n}</option> }).collect_view()}
                                </select>
                            </div>
                            <div class="field">
                                <label for="cmp-to">{move || t().compare_to}</label>
                                <select id="cmp-to" on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse() { to.set(v) } }>
                                    {numbers2.into_iter().map(|n| view! { <option value=n.to_string() selected=move || to.get() == n>{n}</option> }).collect_view()}
                                </select>
                            </div>
                        </div>
                    }.into_any()
                }
            })}
        </Suspense>
        <Transition fallback=Loading>
            {move || comparison.get().map(|r| match r {
                Err(e) => view! { <p class="error" role="alert">{error_text(&e)}</p> }.into_any(),
                Ok(c) => view! { <ChangeTable changes=Signal::derive(move || c.changes.clone()) /> }.into_any(),
            })}
        </Transition>
    }
}
