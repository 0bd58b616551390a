//! The signed-in user's notifications.

use crate::i18n::{Messages, use_i18n};
use crate::server_fns::notifications::{list_notifications, mark_notifications_read};
use crate::ui::components::PageTitle;
use crate::ui::components::{LoadError, Loading};
use crate::wire::notifications::NotificationView;
use leptos::prelude::*;
use leptos_router::components::A;

/// The words for a notification kind.
pub fn kind_text(t: &'static Messages, kind: &str) -> &'static str {
    match kind {
        "approval_requested" => t.n_approval_requested,
        "new_comment" => t.n_new_comment,
        "new_version" => t.n_new_version,
        "version_approved" => t.n_version_approved,
        "agreement_activated" => t.n_agreement_activated,
        "amendment_proposed" => t.n_amendment_proposed,
        "amendment_withdrawn" => t.n_amendment_withdrawn,
        "amendment_in_force" => t.n_amendment_in_force,
        "breach" => t.n_breach,
        "report_due" => t.n_report_due,
        "report_missing" => t.n_report_missing,
        "life_event_notice" => t.n_life_event_notice,
        _ => t.notifications,
    }
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.lang.get().t();
    let list = Resource::new(|| (), |_| list_notifications());
    let mark = Action::new(|_: &()| mark_notifications_read());
    Effect::new(move |_| {
        if mark.value().get().is_some() {
            list.refetch();
        }
    });
    view! {
        <PageTitle text=|l| l.t().notifications.into() />
        <h1>{move || t().notifications}</h1>
        <button type="button" class="secondary" on:click=move |_| { mark.dispatch(()); }>{move || t().mark_all_read}</button>
        <Suspense fallback=Loading>
            {move || list.get().map(|r| match r {
                Err(_) => view! { <LoadError /> }.into_any(),
                Ok(items) if items.is_empty() => view! { <p class="empty">{move || t().no_notifications}</p> }.into_any(),
                Ok(items) => view! {
                    <ul class="notifications" data-testid="notifications">
                        {items.into_iter().map(|n: NotificationView| {
                            let kind = n.kind.clone();
                            let href = n.agreement_id.map_or_else(|| "/".into(), |a| format!("/agreements/{a}"));
                            view! {
                                <li class:unread=!n.read>
                                    <A href=href>{move || kind_text(t(), &kind)} " — " {n.message}</A>
                                    <span class="muted">" " {n.created_at.clone()}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </Suspense>
    }
}
