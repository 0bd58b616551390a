//! The audit log page: every change and sign-in event, newest first, a
//! page at a time.

use super::Text;
use crate::i18n::use_i18n;
use crate::server_fns::admin::*;
use crate::ui::components::PageTitle;
use crate::ui::components::{DataTable, LoadError, Loading, col};
use crate::wire::admin::*;
use leptos::prelude::*;

pub(super) const AUDIT_PAGE: u64 = 50;

#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.lang.get().t();
    let action = RwSignal::new(String::new());
    let entity = RwSignal::new(String::new());
    let offset = RwSignal::new(0u64);
    let applied = RwSignal::new((String::new(), String::new()));
    let page = Resource::new(
        move || (applied.get(), offset.get()),
        |((a, e), off)| {
            list_audit(AuditFilters {
                action: (!a.is_empty()).then_some(a),
                entity: (!e.is_empty()).then_some(e),
                actor_id: None,
                limit: Some(AUDIT_PAGE),
                offset: Some(off),
            })
        },
    );
    let json = |v: Option<serde_json::Value>| v.map(|v| v.to_string()).unwrap_or_default();
    view! {
        <PageTitle text=|l| l.t().audit_title.into() />
        <h1>{move || t().audit_title}</h1>
        <p class="lede">{move || t().audit_intro}</p>
        <form class="filters" on:submit=move |ev| {
            ev.prevent_default();
            offset.set(0);
            applied.set((action.get_untracked().trim().to_owned(), entity.get_untracked().trim().to_owned()));
        }>
            <fieldset>
                <legend>{move || t().filter}</legend>
                <Text id="a-action" label=Signal::derive(move || t().action) value=action />
                <Text id="a-entity" label=Signal::derive(move || t().entity) value=entity />
                <button type="submit" class="secondary">{move || t().filter}</button>
            </fieldset>
        </form>
        <Transition fallback=Loading>
            {move || page.get().map(|r| match r {
                Err(_) => view! { <LoadError /> }.into_any(),
                Ok(p) => {
                    let total = p.total;
                    view! {
                        <p class="count">{total} " " {move || t().entries}</p>
                        <DataTable columns=vec![col(|m| m.when), col(|m| m.who), col(|m| m.action), col(|m| m.entity), col(|m| m.before), col(|m| m.after)] testid="audit"
                            empty=|m| m.no_audit_entries is_empty=p.items.is_empty()>
                            {p.items.into_iter().map(|e| view! {
                                <tr>
                                    <td class="nowrap">{e.at.clone()}</td>
                                    <td>{e.actor_email.clone().unwrap_or_else(|| if e.api_token_id.is_some() { "API".into() } else { "—".into() })}</td>
                                    <td class="code">{e.action.clone()}</td>
                                    <td class="code">{e.entity.clone()} {e.entity_id.map(|i| format!(" #{i}"))}</td>
                                    <td class="json">{json(e.before.clone())}</td>
                                    <td class="json">{json(e.after)}</td>
                                </tr>
                            }).collect_view()}
                        </DataTable>
                        <div class="pager">
                            <button type="button" class="secondary" disabled=move || offset.get() == 0
                                on:click=move |_| offset.update(|o| *o = o.saturating_sub(AUDIT_PAGE))>
                                {move || t().previous}
                            </button>
                            <button type="button" class="secondary" disabled=move || offset.get() + AUDIT_PAGE >= total
                                on:click=move |_| offset.update(|o| *o += AUDIT_PAGE)>
                                {move || t().next}
                            </button>
                        </div>
                    }.into_any()
                }
            })}
        </Transition>
    }
}
