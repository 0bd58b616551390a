//! The barrier register (issue 23): every barrier of the agreements the
//! caller may see, with a summary by category × boundary crossed (what
//! holds back which kind of partnership: Kernaghan's "barriers and
//! benchmarks"), then the barriers themselves with their age, status and
//! mitigation progress. The filters live in the URL query, under the names
//! `GET /api/v1/barriers` takes; the server filters.

use crate::domain::barrier::Progress;
use crate::domain::{BarrierCategory, BarrierStatus, Boundary};
use crate::i18n::{Lang, use_i18n};
use crate::server_fns::barriers::barrier_register;
use crate::ui::auth::error_text;
use crate::ui::components::UrlQuery;
use crate::ui::components::{Loading, PageTitle, StatusBadge, TableRegion, Translated};
use crate::ui::pages::services::Choice;
use crate::wire::barriers::{BarrierItem, BarrierQuery, BarrierRegisterView, BarrierSummaryRow};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::params::ParamsMap;

/// The page's address; its query is the register's.
const PATH: &str = "/barriers";

/// The URL query keys that choose which barriers are shown.
const FILTER_KEYS: [&str; 6] = [
    "q",
    "category",
    "boundary",
    "status",
    "progress",
    "agreement_id",
];

fn query_from(q: &ParamsMap) -> BarrierQuery {
    let parsed = |key: &str| q.get_str(key).map(str::trim);
    BarrierQuery {
        q: parsed("q").filter(|s| !s.is_empty()).map(str::to_owned),
        category: parsed("category").and_then(|s| s.parse().ok()),
        boundary: parsed("boundary").and_then(|s| s.parse().ok()),
        status: parsed("status").and_then(|s| s.parse().ok()),
        progress: parsed("progress").and_then(|s| s.parse().ok()),
        agreement_id: parsed("agreement_id").and_then(|s| s.parse().ok()),
        ..Default::default()
    }
}

#[component]
pub fn BarriersPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.lang.get().t();
    let url = UrlQuery::new(PATH);
    let query = url.query;
    let current = Memo::new(move |_| query_from(&query.read()));
    let data = Resource::new(move || current.get(), barrier_register);
    let pick = move |key: &'static str| url.pick(key);
    let clear = Callback::new(move |()| url.clear(&FILTER_KEYS));
    let raw = move |key: &'static str| url.raw(key);

    view! {
        <PageTitle text=|l| l.t().barriers_title.into() />
        <h1>{move || t().barriers_title}</h1>
        <p class="lede">{move || t().barriers_intro}</p>
        <form class="filters" role="search" on:submit=|ev| ev.prevent_default() data-testid="barrier-filters">
            <fieldset>
                <legend>{move || t().barriers_filters}</legend>
                <div class="field search">
                    <label for="b-q">{move || t().search_label}</label>
                    <input id="b-q" type="search" aria-describedby="b-q-hint" prop:value=raw("q")
                        on:change=move |ev| pick("q")(event_target_value(&ev)) />
                    <span id="b-q-hint" class="hint">{move || t().barriers_search_hint}</span>
                </div>
                <Choice id="b-category" label=|m| m.col_category all=BarrierCategory::ALL
                    name=BarrierCategory::as_str text=Lang::barrier_category
                    current=Signal::derive(move || current.read().category) on_pick=pick("category") />
                <Choice id="b-boundary" label=|m| m.col_boundary all=Boundary::ALL
                    name=Boundary::as_str text=Lang::boundary
                    current=Signal::derive(move || current.read().boundary) on_pick=pick("boundary") />
                <Choice id="b-status" label=|m| m.col_status all=BarrierStatus::ALL
                    name=BarrierStatus::as_str text=Lang::barrier_status
                    current=Signal::derive(move || current.read().status) on_pick=pick("status") />
                <Choice id="b-progress" label=|m| m.col_progress all=Progress::ALL
                    name=Progress::as_str text=|l, p| l.t().barrier_progress(p)
                    current=Signal::derive(move || current.read().progress) on_pick=pick("progress") />
                <div class="filter-actions">
                    <button type="button" class="secondary" on:click=move |_| clear.run(())>
                        {move || t().clear_filters}
                    </button>
                </div>
            </fieldset>
        </form>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p class="error" role="alert">{error_text(&e)}</p> }.into_any(),
                    Ok(v) => {
                        let filtered = FILTER_KEYS
                            .iter()
                            .any(|k| query.get_untracked().get_str(k).is_some_and(|v| !v.trim().is_empty()));
                        view! { <Register v filtered /> }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn Register(v: BarrierRegisterView, filtered: bool) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    if v.items.is_empty() {
        return view! {
            <div class="empty" role="status" data-testid="barriers-empty">
                <p>{move || if filtered { t().barriers_none_match } else { t().barriers_none_visible }}</p>
            </div>
        }
        .into_any();
    }
    let total = v.total;
    view! {
        <p class="count" role="status" data-testid="barrier-count" data-count=total.to_string()>
            {move || lang().count(i64::try_from(total).unwrap_or(i64::MAX))} " " {move || t().barriers_shown}
        </p>
        <Summary rows=v.summary />
        <section aria-labelledby="h-barrier-list">
            <h2 id="h-barrier-list">{move || t().barriers_list_title}</h2>
            <TableRegion>
                <table class="data barriers" data-testid="barriers">
                    <thead>
                        <tr>
                            <th scope="col">{move || t().col_description}</th>
                            <th scope="col">{move || t().col_agreement}</th>
                            <th scope="col">{move || t().col_category}</th>
                            <th scope="col">{move || t().col_boundaries}</th>
                            <th scope="col" class="num">{move || t().col_severity}</th>
                            <th scope="col">{move || t().col_owner}</th>
                            <th scope="col" class="num">{move || t().col_age}</th>
                            <th scope="col">{move || t().col_status}</th>
                            <th scope="col">{move || t().col_progress}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {v.items.into_iter().map(|item| view! { <BarrierRow item /> }).collect_view()}
                    </tbody>
                </table>
            </TableRegion>
        </section>
    }
    .into_any()
}

/// Counts by category (rows) × boundary crossed (columns): open, mitigated
/// and closed, with a bar that shows the three shares.
#[component]
fn Summary(rows: Vec<BarrierSummaryRow>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let mut columns: Vec<Option<Boundary>> = Boundary::ALL.iter().copied().map(Some).collect();
    columns.push(None);
    columns.retain(|c| rows.iter().any(|r| r.boundary == *c));
    let categories: Vec<BarrierCategory> = BarrierCategory::ALL
        .iter()
        .copied()
        .filter(|c| rows.iter().any(|r| r.category == *c))
        .collect();
    let heads = columns.clone();
    view! {
        <section aria-labelledby="h-barrier-summary">
            <h2 id="h-barrier-summary">{move || t().barriers_summary_title}</h2>
            <p class="note">{move || t().barriers_summary_note}</p>
            <TableRegion>
                <table class="data barrier-summary" data-testid="barrier-summary">
                    <thead>
                        <tr>
                            <th scope="col">{move || t().col_category}</th>
                            {heads.into_iter().map(|b| view! {
                                <th scope="col">{move || b.map_or(t().no_boundary_crossed, |b| lang().boundary(b))}</th>
                            }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {categories.into_iter().map(|c| {
                            let cells: Vec<Option<BarrierSummaryRow>> = columns
                                .iter()
                                .map(|b| rows.iter().find(|r| r.category == c && r.boundary == *b).cloned())
                                .collect();
                            view! {
                                <tr data-category=c.as_str()>
                                    <th scope="row">{move || lang().barrier_category(c)}</th>
                                    {cells.into_iter().map(|cell| match cell {
                                        None => view! { <td class="muted">"–"</td> }.into_any(),
                                        Some(r) => view! { <SummaryCell r /> }.into_any(),
                                    }).collect_view()}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </TableRegion>
        </section>
    }
}

#[component]
fn SummaryCell(r: BarrierSummaryRow) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let share = |n: u64| (n * 100).checked_div(r.total).unwrap_or(0);
    let (open, mitigated) = (share(r.open), share(r.mitigated));
    let closed = 100 - open - mitigated;
    view! {
        <td data-boundary=r.boundary.map_or("none", |b| b.as_str()) data-total=r.total.to_string()>
            <strong>{r.total}</strong>
            <span class="barrier-counts">
                " " {move || lang().barrier_status(BarrierStatus::Open)} " " {r.open}
                " · " {move || lang().barrier_status(BarrierStatus::Mitigated)} " " {r.mitigated}
                " · " {move || lang().barrier_status(BarrierStatus::Closed)} " " {r.closed}
            </span>
            // Drawn in SVG: the content security policy allows no inline
            // style, so widths are attributes.
            <svg class="status-bar" viewBox="0 0 100 4" preserveAspectRatio="none" aria-hidden="true">
                <rect class="bar-open" x="0" y="0" height="4" width=open.to_string() />
                <rect class="bar-mitigated" x=open.to_string() y="0" height="4" width=mitigated.to_string() />
                <rect class="bar-closed" x=(open + mitigated).to_string() y="0" height="4" width=closed.to_string() />
            </svg>
        </td>
    }
}

#[component]
fn BarrierRow(item: BarrierItem) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let BarrierItem {
        id,
        key,
        agreement_id,
        agreement_reference,
        agreement_status,
        boundaries,
        category,
        description,
        description_fr,
        severity,
        status,
        progress,
        mitigation,
        mitigation_fr,
        actions,
        actions_fr,
        owner_name,
        owner_name_fr,
        age_days,
        ..
    } = item;
    let owner = move || {
        owner_name
            .as_deref()
            .map(|n| lang().pick_text(n, owner_name_fr.as_deref()).to_owned())
            .unwrap_or_default()
    };
    let (row_key, row_agreement) = (key.clone(), agreement_reference.clone());
    view! {
        <tr data-id=id.to_string() data-key=row_key data-status=status.as_str() data-agreement=row_agreement>
            <th scope="row" class="barrier-description">
                <span class="code">{key}</span> " "
                <Translated en=description fr=description_fr />
                {mitigation.map(|m| view! {
                    <p class="note"><span class="muted">{move || t().col_mitigation} ": "</span><Translated en=m fr=mitigation_fr.clone() /></p>
                })}
                {actions.map(|a| view! {
                    <p class="note" data-testid="barrier-actions"><span class="muted">{move || t().col_actions} ": "</span><Translated en=a fr=actions_fr.clone() /></p>
                })}
            </th>
            <td class="agreement-cell">
                <A href=format!("/agreements/{agreement_id}#h-barriers") attr:class="nowrap">{agreement_reference}</A>
                <br />
                <StatusBadge status=agreement_status />
            </td>
            <td>{move || lang().barrier_category(category)}</td>
            <td>
                {if boundaries.is_empty() {
                    view! { <span class="muted">{move || t().no_boundary_crossed}</span> }.into_any()
                } else {
                    view! {
                        <ul class="tags">
                            {boundaries.into_iter().map(|b| view! { <li class="tag">{move || lang().boundary(b)}</li> }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </td>
            <td class="num">{severity}</td>
            <td>{owner}</td>
            <td class="num nowrap">{move || lang().count(age_days)} " " {move || t().days_old}</td>
            <td data-testid="barrier-status">{move || lang().barrier_status(status)}</td>
            <td>
                <progress max="3" value=progress.step().to_string()></progress>
                " " {move || t().barrier_progress(progress)}
            </td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_query_becomes_the_register_query_and_unknown_values_are_ignored() {
        let mut map = ParamsMap::new();
        map.insert("category", "legal".to_owned());
        map.insert("boundary", "sectoral".to_owned());
        map.insert("status", "no-such".to_owned());
        map.insert("q", "  ".to_owned());
        let q = query_from(&map);
        assert_eq!(q.category, Some(BarrierCategory::Legal));
        assert_eq!(q.boundary, Some(Boundary::Sectoral));
        assert_eq!(q.status, None);
        assert_eq!(q.q, None);
    }
}
