//! The portfolio: every agreement the caller may see, filtered in the
//! browser (no reload) by filters kept in the URL query, so a view can be
//! shared and bookmarked.

use crate::domain::{AgreementStatus, Boundary, Purpose, Structure};
use crate::i18n::{Lang, Messages, use_i18n};
use crate::server_fns::agreements::list_agreements;
use crate::ui::components::PageTitle;
use crate::ui::components::{
    BoundaryList, DataTable, LoadError, Loading, StatusBadge, Translated, col,
};
use crate::wire::agreements::{AgreementFilters, AgreementSummary};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;

fn filters_from(q: &ParamsMap) -> AgreementFilters {
    AgreementFilters {
        status: q.get_str("status").and_then(|s| s.parse().ok()),
        structure: q.get_str("structure").and_then(|s| s.parse().ok()),
        purpose: q.get_str("purpose").and_then(|s| s.parse().ok()),
        boundary: q.get_str("boundary").and_then(|s| s.parse().ok()),
        q: q.get("q").filter(|s| !s.trim().is_empty()),
    }
}

#[component]
pub fn PortfolioPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.lang.get().t();
    let query = use_query_map();
    let filters = Memo::new(move |_| filters_from(&query.read()));
    // Everything visible is loaded once; filtering happens in the browser.
    let agreements = Resource::new(|| (), |_| list_agreements(AgreementFilters::default()));

    let navigate = use_navigate();
    let set_param = move |key: &'static str, value: String| {
        let mut params = query.get_untracked();
        params.remove(key);
        if !value.trim().is_empty() {
            params.insert(key, value);
        }
        navigate(
            &format!("/{}", params.to_query_string()),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    };
    let clear = {
        let navigate = use_navigate();
        move |_| {
            navigate(
                "/",
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        }
    };

    let select = {
        let set_param = set_param.clone();
        move |key: &'static str| {
            let set = set_param.clone();
            move |value: String| set(key, value)
        }
    };
    let set = set_param.clone();

    let user = crate::ui::auth::use_current_user().0;
    let can_draft = move || {
        user.get().and_then(Result::ok).flatten().is_some_and(|u| {
            matches!(
                u.role,
                crate::domain::Role::Manager | crate::domain::Role::Admin
            )
        })
    };
    view! {
        <PageTitle text=|l| l.t().portfolio_title.into() />
        <h1>{move || t().portfolio_title}</h1>
        <p class="lede">{move || t().portfolio_intro}</p>
        <form class="filters" role="search" on:submit=|ev| ev.prevent_default()>
            <fieldset>
                <legend>{move || t().filters}</legend>
                <div class="field search">
                    <label for="f-q">{move || t().search_label}</label>
                    <input
                        id="f-q"
                        type="search"
                        aria-describedby="f-q-hint"
                        prop:value=move || filters.read().q.clone().unwrap_or_default()
                        on:input=move |ev| set("q", event_target_value(&ev))
                    />
                    <span id="f-q-hint" class="hint">{move || t().search_hint}</span>
                </div>
                <FilterSelect
                    id="f-status"
                    label=|t| t.f_status
                    all=AgreementStatus::ALL
                    name=AgreementStatus::as_str
                    text=Lang::status
                    current=Signal::derive(move || filters.read().status)
                    on_pick=select("status")
                />
                <FilterSelect
                    id="f-structure"
                    label=|t| t.f_structure
                    all=Structure::ALL
                    name=Structure::as_str
                    text=Lang::structure
                    current=Signal::derive(move || filters.read().structure)
                    on_pick=select("structure")
                />
                <FilterSelect
                    id="f-purpose"
                    label=|t| t.f_purpose
                    all=Purpose::ALL
                    name=Purpose::as_str
                    text=Lang::purpose
                    current=Signal::derive(move || filters.read().purpose)
                    on_pick=select("purpose")
                />
                <FilterSelect
                    id="f-boundary"
                    label=|t| t.f_boundary
                    all=Boundary::ALL
                    name=Boundary::as_str
                    text=Lang::boundary
                    current=Signal::derive(move || filters.read().boundary)
                    on_pick=select("boundary")
                />
                <button type="button" class="secondary" on:click=clear>
                    {move || t().clear_filters}
                </button>
            </fieldset>
        </form>
        <Transition fallback=Loading>
            {move || {
                agreements
                    .get()
                    .map(|result| match result {
                        Err(_) => view! { <LoadError /> }.into_any(),
                        Ok(all) => {
                            let shown: Vec<AgreementSummary> = all
                                .iter()
                                .filter(|a| a.matches(&filters.read()))
                                .cloned()
                                .collect();
                            let none_visible = all.is_empty();
                            view! {
                                {can_draft().then(|| view! {
                                    <p><A href="/agreements/new" attr:class="button primary" attr:data-testid="new-agreement">{move || t().new_agreement}</A></p>
                                })}
                                <Renewals all />
                                <PortfolioTable rows=shown none_visible />
                            }
                                .into_any()
                        }
                    })
            }}
        </Transition>
    }
}

/// A labelled `<select>` over every value of an enum; the first option means "any".
#[component]
fn FilterSelect<T>(
    id: &'static str,
    label: fn(&Messages) -> &'static str,
    all: &'static [T],
    name: fn(T) -> &'static str,
    text: fn(Lang, T) -> &'static str,
    current: Signal<Option<T>>,
    on_pick: impl Fn(String) + Send + Sync + 'static,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for=id>{move || label(i18n.lang.get().t())}</label>
            <select id=id name=id on:change=move |ev| on_pick(event_target_value(&ev))>
                <option value="" selected=move || current.get().is_none()>
                    {move || i18n.lang.get().t().any}
                </option>
                {all
                    .iter()
                    .map(|v| {
                        let v = *v;
                        view! {
                            <option value=name(v) selected=move || current.get() == Some(v)>
                                {move || text(i18n.lang.get(), v)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

#[component]
fn PortfolioTable(
    rows: Vec<AgreementSummary>,
    /// The caller may see no agreement at all (not only none that the
    /// filters keep).
    none_visible: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.lang.get().t();
    let count = rows.len();
    if rows.is_empty() {
        let why = move || {
            if none_visible {
                t().no_agreements_visible
            } else {
                t().no_agreements
            }
        };
        return view! { <p class="empty" role="status" data-testid="portfolio-empty">{why}</p> }
            .into_any();
    }
    view! {
        <p class="count" role="status" data-testid="agreement-count">
            {count} " " {move || t().agreements_shown}
        </p>
        <DataTable columns=vec![col(|m| m.col_reference), col(|m| m.col_title), col(|m| m.col_purpose), col(|m| m.col_structure), col(|m| m.col_boundaries), col(|m| m.col_status), col(|m| m.col_term)] testid="portfolio">
            {rows
                .into_iter()
                .map(|a| {
                    let href = format!("/agreements/{}", a.id);
                    let title = a.title.clone();
                    let title_fr = a.title_fr.clone();
                    let (purpose, structure, starts, ends) =
                        (a.purpose, a.structure, a.starts_on, a.ends_on);
                    view! {
                        <tr>
                            <td class="nowrap">
                                <A href=href.clone()>{a.reference.clone()}</A>
                            </td>
                            <th scope="row" class="title-cell">
                                <A href=href>
                                    <Translated en=title fr=title_fr />
                                </A>
                                <span class="parties">
                                    {a
                                        .parties
                                        .iter()
                                        .map(|p| p.code.clone())
                                        .collect::<Vec<_>>()
                                        .join(" · ")}
                                </span>
                            </th>
                            <td>{move || i18n.lang.get().purpose(purpose)}</td>
                            <td>{move || i18n.lang.get().structure(structure)}</td>
                            <td><BoundaryList boundaries=a.boundaries.clone() /></td>
                            <td><StatusBadge status=a.status /></td>
                            <td class="nowrap">
                                <time datetime=starts.to_string()>{starts.to_string()}</time>
                                " – "
                                <time datetime=ends.to_string()>{ends.to_string()}</time>
                            </td>
                        </tr>
                    }
                })
                .collect_view()}
        </DataTable>
    }
    .into_any()
}

/// Agreements in force that end within their renewal notice, most urgent
/// first; the reminder escalates at the notice, two thirds and one third of
/// it (90, 60 and 30 days by default).
#[component]
pub fn Renewals(all: Vec<AgreementSummary>) -> impl IntoView {
    use crate::domain::renewal::renewal_due;
    let i18n = use_i18n();
    let t = move || i18n.lang.get().t();
    let today = crate::clock::today();
    let mut due: Vec<(i64, &'static str, AgreementSummary)> = all
        .into_iter()
        .filter_map(|a| {
            let (left, urgency) = renewal_due(a.status, a.ends_on, a.renewal_notice_days, today)?;
            Some((left, urgency.as_str(), a))
        })
        .collect();
    due.sort_by_key(|(left, _, _)| *left);
    if due.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="renewals" aria-labelledby="h-renewals" data-testid="renewals">
            <h2 id="h-renewals">{move || t().renewals_title}</h2>
            <p class="note">{move || t().renewals_intro}</p>
            <ul>
                {due.into_iter().map(|(left, level, a)| {
                    let title = a.title.clone();
                    let title_fr = a.title_fr.clone();
                    view! {
                        <li class=format!("renewal-{level}")>
                            <A href=format!("/agreements/{}", a.id)>{a.reference.clone()} " — " <Translated en=title fr=title_fr /></A>
                            " · " <strong>{left} " " {move || t().days_left}</strong>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }.into_any()
}
