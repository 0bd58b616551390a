//! `/public`: the agreements their parties publish as open contracting
//! data, for anyone, without signing in; and the link to the feed itself
//! (`/public/ocds.json`).

use crate::i18n::use_i18n;
use crate::server_fns::public::published_agreements;
use crate::ui::components::{LoadError, Loading, PageTitle, Translated};
use crate::wire::agreements::PublishedAgreement;
use leptos::prelude::*;

#[component]
pub fn OpenDataPage() -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let list = Resource::new(|| (), |_| published_agreements());
    view! {
        <PageTitle text=|l| l.t().open_data_title.into() />
        <h1>{move || t().open_data_title}</h1>
        <p>{move || t().open_data_intro}</p>
        <p>
            <a href="/public/ocds.json" rel="external" data-testid="ocds-feed">{move || t().open_data_feed}</a>
        </p>
        <Suspense fallback=Loading>
            {move || list.get().map(|r| match r {
                Err(_) => view! { <LoadError /> }.into_any(),
                Ok(items) if items.is_empty() => view! { <p class="empty">{move || t().open_data_empty}</p> }.into_any(),
                Ok(items) => view! {
                    <ul class="published" data-testid="published-agreements">
                        {items.into_iter().map(|a| view! { <Published a /> }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </Suspense>
    }
}

/// One published agreement: what the feed says of it, in words.
#[component]
fn Published(a: PublishedAgreement) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let (status, structure, starts, ends) = (a.status, a.structure, a.starts_on, a.ends_on);
    view! {
        <li class="card">
            <h2>
                <span class="muted">{a.reference.clone()} " — "</span>
                <Translated en=a.title.clone() fr=a.title_fr.clone() />
            </h2>
            <p><Translated en=a.summary.clone() fr=a.summary_fr.clone() /></p>
            <dl class="facts">
                <div>
                    <dt>{move || t().col_status}</dt>
                    <dd>{move || lang().status(status)}</dd>
                </div>
                <div>
                    <dt>{move || t().col_structure}</dt>
                    <dd>{move || lang().structure(structure)}</dd>
                </div>
                <div>
                    <dt>{move || t().term}</dt>
                    <dd>{move || format!("{} – {}", lang().date(starts), lang().date(ends))}</dd>
                </div>
                <div>
                    <dt>{move || t().parties}</dt>
                    <dd>
                        <ul class="plain">
                            {a.parties.into_iter().map(|p| {
                                let role = p.role;
                                view! {
                                    <li>
                                        <Translated en=p.name fr=p.name_fr />
                                        " (" {move || lang().role(role)} ")"
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </dd>
                </div>
            </dl>
        </li>
    }
}
