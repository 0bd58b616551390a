//! The life-event coverage map (Tell Us Once, issue 21): for each life
//! event and jurisdiction, the agreements in force that cover it, and the
//! gaps — a life event nobody covers there, an agreement covering one
//! without saying who passes the citizen's notice on.

use crate::i18n::use_i18n;
use crate::server_fns::coverage::life_event_coverage;
use crate::ui::components::{LoadError, Loading, PageTitle, TableRegion};
use crate::wire::coverage::CoverageView;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn CoveragePage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.lang.get().t();
    let data = Resource::new(|| (), |_| life_event_coverage());
    view! {
        <PageTitle text=|l| l.t().coverage_title.into() />
        <h1>{move || t().coverage_title}</h1>
        <p class="lede">{move || t().coverage_intro}</p>
        <Suspense fallback=Loading>
            {move || data.get().map(|r| match r {
                Err(_) => view! { <LoadError /> }.into_any(),
                Ok(v) if v.cells.is_empty() => view! { <p class="empty" data-testid="coverage-empty">{move || t().coverage_empty}</p> }.into_any(),
                Ok(v) => view! { <CoverageMap v /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn CoverageMap(v: CoverageView) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let name_of_event = {
        let events = v.life_events.clone();
        move |code: &str| {
            events.iter().find(|e| e.code == code).map_or_else(
                || code.to_owned(),
                |e| lang().pick_text(&e.name, e.name_fr.as_deref()).to_owned(),
            )
        }
    };
    let missing: Vec<_> = v
        .gaps
        .iter()
        .filter(|g| g.kind == "no_propagation")
        .cloned()
        .collect();
    let jurisdictions = v.jurisdictions.clone();
    view! {
        <TableRegion>
            <table class="data coverage" data-testid="coverage">
                <caption>{move || t().coverage_caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || t().col_life_event}</th>
                        {jurisdictions.iter().map(|j| {
                            let (name, name_fr) = (j.name.clone(), j.name_fr.clone());
                            view! { <th scope="col">{move || lang().pick_text(&name, name_fr.as_deref()).to_owned()}</th> }
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {v.life_events.iter().map(|e| {
                        let (name, name_fr) = (e.name.clone(), e.name_fr.clone());
                        let row = jurisdictions.iter().map(|j| {
                            match v.cells.iter().find(|c| c.life_event == e.code && c.jurisdiction_id == j.id).cloned() {
                                None => view! { <td class="gap" data-gap="not_covered">{move || t().coverage_gap}</td> }.into_any(),
                                Some(c) => {
                                    let parties = c.parties.join(", ");
                                    let notices = c.notices;
                                    view! {
                                        <td class="covered">
                                            <ul class="plain">
                                                {c.agreements.into_iter().map(|a| view! {
                                                    <li>
                                                        <A href=format!("/agreements/{}", a.id)>{a.reference.clone()}</A>
                                                        {(!a.has_propagation).then(|| view! { " " <span class="muted" data-gap="no_propagation">{move || t().coverage_no_propagation_mark}</span> })}
                                                    </li>
                                                }).collect_view()}
                                            </ul>
                                            <span class="muted small">{parties}</span>
                                            {(notices > 0).then(|| view! {
                                                <br /><span class="small" data-testid="cell-notices" data-notices=notices.to_string()>{move || lang().count(i64::try_from(notices).unwrap_or(i64::MAX))} " " {move || t().coverage_notices}</span>
                                            })}
                                        </td>
                                    }.into_any()
                                }
                            }
                        }).collect_view();
                        view! {
                            <tr data-life-event=e.code.clone()>
                                <th scope="row">{move || lang().pick_text(&name, name_fr.as_deref()).to_owned()}</th>
                                {row}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </TableRegion>
        <section aria-labelledby="h-no-propagation">
            <h2 id="h-no-propagation">{move || t().coverage_no_propagation_title}</h2>
            {if missing.is_empty() {
                view! { <p class="empty">{move || t().coverage_all_propagated}</p> }.into_any()
            } else {
                view! {
                    <ul data-testid="no-propagation">
                        {missing.into_iter().map(|g| {
                            let (name, code) = (name_of_event.clone(), g.life_event.clone());
                            let href = g.agreement_id.map_or_else(|| "/".to_owned(), |id| format!("/agreements/{id}"));
                            view! { <li><A href=href>{g.reference.clone().unwrap_or_default()}</A> " — " {move || name(&code)}</li> }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
