//! Citizen satisfaction by driver (issue 22, DOMAIN.md §9). For those who
//! read the portfolio: benchmarks by driver, grouped by agreement,
//! structure or boundary crossed over a range of months (the choices live
//! in the URL query, under the names `GET /api/v1/satisfaction/benchmarks`
//! takes), and the driver analysis with its method. For those who record
//! (a partner's reporter, a manager, an admin): one survey result by form
//! or many by CSV for an active agreement chosen here, and that agreement's
//! results. The server computes every figure; the page only shows them.

use crate::domain::satisfaction::Driver;
use crate::domain::{Boundary, Channel, Role, Structure};
use crate::i18n::{Lang, Messages, use_i18n};
use crate::server_fns::satisfaction::{
    record_satisfaction, satisfaction_benchmarks, satisfaction_drivers, satisfaction_recordable,
    satisfaction_results,
};
use crate::ui::auth::{error_text, use_current_user};
use crate::ui::components::UrlQuery;
use crate::ui::components::{
    BarChart, BarSeries, Column, CsvUpload, DataTable, FieldProblem, FormError, Loading, PageTitle,
    col, num,
};
use crate::ui::pages::services::percent_text;
use crate::wire::error::AppError;
use crate::wire::satisfaction::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;
use rust_decimal::Decimal;

/// The page's address; its query is the benchmarks'.
const PATH: &str = "/satisfaction";

fn query_from(q: &ParamsMap) -> SatisfactionBenchmarkQuery {
    let text = |key: &str| {
        q.get_str(key)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    SatisfactionBenchmarkQuery {
        group_by: q.get_str("group_by").and_then(|g| {
            SatisfactionGroupBy::ALL
                .iter()
                .copied()
                .find(|v| v.as_str() == g)
        }),
        from: text("from"),
        to: text("to"),
        driver: q.get_str("driver").and_then(|d| d.parse().ok()),
    }
}

fn group_by_name(m: &Messages, g: SatisfactionGroupBy) -> &'static str {
    match g {
        SatisfactionGroupBy::Agreement => m.sat_group_agreement,
        SatisfactionGroupBy::Structure => m.sat_group_structure,
        SatisfactionGroupBy::Boundary => m.sat_group_boundary,
    }
}

/// A group's name in the reader's language: a structure or a boundary by
/// its translated name, an agreement by its title.
fn group_label(lang: Lang, g: SatisfactionGroupBy, row: &SatisfactionBenchmarkRow) -> String {
    match g {
        SatisfactionGroupBy::Structure => row
            .group
            .parse::<Structure>()
            .map_or_else(|_| row.label.clone(), |s| lang.structure(s).to_owned()),
        SatisfactionGroupBy::Boundary => row
            .group
            .parse::<Boundary>()
            .map_or_else(|_| row.label.clone(), |b| lang.boundary(b).to_owned()),
        SatisfactionGroupBy::Agreement => lang
            .pick_text(&row.label, row.label_fr.as_deref())
            .to_owned(),
    }
}

/// A percentage, or why there is none.
fn score_text(lang: Lang, v: Option<&str>) -> String {
    v.map_or_else(
        || lang.t().sat_not_asked.to_owned(),
        |v| percent_text(lang, v),
    )
}

/// A decimal as the reader's language writes it, as many decimals as it
/// has.
fn number_text(lang: Lang, v: &str) -> String {
    v.parse::<Decimal>().map_or_else(
        |_| v.to_owned(),
        |d| {
            let d = d.normalize();
            lang.amount(d, d.scale())
        },
    )
}

fn driver_label(d: Driver) -> fn(&Messages) -> &'static str {
    match d {
        Driver::Timeliness => |m| m.driver_timeliness,
        Driver::Knowledge => |m| m.driver_knowledge,
        Driver::Courtesy => |m| m.driver_courtesy,
        Driver::Fairness => |m| m.driver_fairness,
        Driver::Outcome => |m| m.driver_outcome,
    }
}

#[component]
pub fn SatisfactionPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.lang.get().t();
    let user = use_current_user().0;
    // The portfolio's resources are made here, in the render's own
    // context, never after an `.await`: a server function called after
    // another's await sometimes ran outside it on the server, and the page
    // then failed to hydrate (see `costs.rs`). A reporter's are refused
    // (403) and never shown.
    let query = use_query_map();
    let current = Memo::new(move |_| query_from(&query.read()));
    let benchmarks = Resource::new(move || current.get(), satisfaction_benchmarks);
    let months = Memo::new(move |_| {
        let q = current.get();
        SatisfactionQuery {
            from: q.from,
            to: q.to,
        }
    });
    let drivers = Resource::new(move || months.get(), satisfaction_drivers);
    view! {
        <PageTitle text=|l| l.t().sat_title.into() />
        <h1>{move || t().sat_title}</h1>
        <p class="lede">{move || t().sat_intro}</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let role = user.await.ok().flatten().map(|u| u.role);
                let reads = role.is_some_and(|r| matches!(r, Role::Executive | Role::Manager | Role::Admin));
                let records = role.is_some_and(|r| matches!(r, Role::Reporter | Role::Manager | Role::Admin));
                view! {
                    {reads.then(|| view! { <Portfolio current benchmarks drivers /> })}
                    {records.then(|| view! { <InBrowser><Recording /></InBrowser> })}
                }
            })}
        </Suspense>
    }
}

/// The choices, the benchmarks by driver and the driver analysis.
#[component]
fn Portfolio(
    current: Memo<SatisfactionBenchmarkQuery>,
    benchmarks: Resource<Result<SatisfactionBenchmarksView, AppError>>,
    drivers: Resource<Result<DriverAnalysisView, AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.lang.get().t();
    let url = UrlQuery::new(PATH);
    let pick = move |key: &'static str| url.pick(key);
    let raw = move |key: &'static str| url.raw(key);
    view! {
        <form class="filters" role="search" on:submit=|ev| ev.prevent_default() data-testid="satisfaction-filters">
            <fieldset>
                <legend>{move || t().sat_filters}</legend>
                <div class="field">
                    <label for="sat-group-by">{move || t().sat_group_by}</label>
                    <select id="sat-group-by" data-testid="sat-group-by"
                        on:change=move |ev| pick("group_by")(event_target_value(&ev))>
                        {SatisfactionGroupBy::ALL.iter().map(|g| {
                            let g = *g;
                            view! {
                                <option value=g.as_str() selected=move || current.read().group_by.unwrap_or_default() == g>
                                    {move || group_by_name(t(), g)}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="sat-driver">{move || t().sat_order_by}</label>
                    <select id="sat-driver" data-testid="sat-order-by"
                        on:change=move |ev| pick("driver")(event_target_value(&ev))>
                        <option value="" selected=move || current.read().driver.is_none()>{move || t().sat_order_group}</option>
                        {Driver::ALL.iter().map(|d| {
                            let d = *d;
                            view! {
                                <option value=d.as_str() selected=move || current.read().driver == Some(d)>
                                    {move || t().driver(d)}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field month">
                    <label for="sat-from">{move || t().from_period}</label>
                    <input id="sat-from" type="text" inputmode="numeric" size="8" aria-describedby="sat-from-hint"
                        prop:value=raw("from") on:change=move |ev| pick("from")(event_target_value(&ev)) />
                    <span id="sat-from-hint" class="hint">{move || t().month_hint}</span>
                </div>
                <div class="field month">
                    <label for="sat-to">{move || t().to_period}</label>
                    <input id="sat-to" type="text" inputmode="numeric" size="8" aria-describedby="sat-to-hint"
                        prop:value=raw("to") on:change=move |ev| pick("to")(event_target_value(&ev)) />
                    <span id="sat-to-hint" class="hint">{move || t().month_hint}</span>
                </div>
            </fieldset>
        </form>
        <section aria-labelledby="sat-benchmarks-h">
            <h2 id="sat-benchmarks-h">{move || t().sat_benchmarks_title}</h2>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match benchmarks.await {
                        Err(e) => view! { <p class="error" role="alert">{error_text(&e)}</p> }.into_any(),
                        Ok(v) => view! { <Benchmarks v /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <section aria-labelledby="sat-drivers-h">
            <h2 id="sat-drivers-h">{move || t().sat_drivers_title}</h2>
            <p>{move || t().sat_drivers_intro}</p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match drivers.await {
                        Err(e) => view! { <p class="error" role="alert">{error_text(&e)}</p> }.into_any(),
                        Ok(v) => view! { <Drivers v /> }.into_any(),
                    }
                })}
            </Transition>
            <h3>{move || t().sat_method_title}</h3>
            <p class="note" data-testid="sat-method">{move || t().sat_method}</p>
        </section>
    }
}

/// The benchmark rows: a chart of overall satisfaction, then the table.
#[component]
fn Benchmarks(v: SatisfactionBenchmarksView) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let g = v.group_by;
    let months = format!("{} – {}", v.from, v.to);
    let empty = v.items.is_empty();
    let mut columns: Vec<Column> = vec![
        col(|m| m.sat_col_group),
        num(|m| m.sat_col_results),
        num(|m| m.sat_col_sample),
        num(|m| m.sat_col_overall),
        num(|m| m.sat_col_margin),
    ];
    columns.extend(Driver::ALL.iter().map(|d| num(driver_label(*d))));
    let items = v.items.clone();
    let chart_items = v.items.clone();
    let driver = v.driver;
    let chart = move || {
        (!chart_items.is_empty()).then(|| {
            let l = lang();
            let labels = chart_items.iter().map(|r| group_label(l, g, r)).collect();
            let value = |s: Option<&str>| s.and_then(|s| s.parse::<Decimal>().ok()).unwrap_or_default();
            let mut series = vec![BarSeries {
                // Short: the legend gives each series a fixed width.
                label: l.t().sat_chart_overall.to_owned(),
                class: "series-before",
                values: chart_items.iter().map(|r| value(Some(&r.aggregate.overall))).collect(),
            }];
            if let Some(d) = driver {
                series.push(BarSeries {
                    label: l.t().driver(d).to_owned(),
                    class: "series-after",
                    values: chart_items.iter().map(|r| value(r.aggregate.drivers.get(d))).collect(),
                });
            }
            view! {
                <BarChart
                    title=l.t().sat_chart_title.to_owned()
                    description=l.t().sat_chart_description.to_owned()
                    labels
                    series
                    format=Callback::new(move |d: Decimal| format!("{}\u{a0}%", l.amount(d.normalize(), d.normalize().scale())))
                />
            }
        })
    };
    view! {
        <p class="note" data-testid="sat-months">{move || t().sat_months} " " {months}</p>
        {chart}
        <DataTable
            columns
            testid="sat-benchmarks"
            caption=ViewFn::from(move || t().sat_benchmarks_caption)
            empty=|m| m.sat_benchmarks_empty
            is_empty=empty
        >
            {items.into_iter().map(|r| {
                let a = r.aggregate.clone();
                let key = r.group.clone();
                let label = move || group_label(lang(), g, &r);
                view! {
                    <tr data-group=key>
                        <th scope="row">{label}</th>
                        <td class="num">{move || lang().count(i64::try_from(a.results).unwrap_or(i64::MAX))}</td>
                        <td class="num">{move || lang().count(a.sample_size)}</td>
                        <td class="num" data-testid="sat-overall">{
                            let o = a.overall.clone();
                            move || percent_text(lang(), &o)
                        }</td>
                        <td class="num">{
                            let m = a.margin_of_error.clone();
                            move || number_text(lang(), &m)
                        }</td>
                        {Driver::ALL.iter().map(|d| {
                            let s = a.drivers.get(*d).map(str::to_owned);
                            view! { <td class="num">{move || score_text(lang(), s.as_deref())}</td> }
                        }).collect_view()}
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}

/// The drivers ranked, with a chart of their correlations.
#[component]
fn Drivers(v: DriverAnalysisView) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let portfolio = v.portfolio.clone();
    let empty = v.items.iter().all(|i| i.results == 0);
    let columns = vec![
        num(|m| m.sat_col_rank),
        col(|m| m.sat_col_driver),
        num(|m| m.sat_col_correlation),
        num(|m| m.sat_col_gap),
        num(|m| m.sat_col_mean),
        num(|m| m.sat_col_satisfied),
        num(|m| m.sat_col_dissatisfied),
        num(|m| m.sat_col_results),
    ];
    let chart_items = v.items.clone();
    let chart = move || {
        let l = lang();
        let with: Vec<&DriverEffectRow> = chart_items
            .iter()
            .filter(|i| i.correlation.is_some())
            .collect();
        (!with.is_empty()).then(|| {
            view! {
                <BarChart
                    title=l.t().sat_drivers_chart_title.to_owned()
                    description=l.t().sat_drivers_chart_description.to_owned()
                    labels=with.iter().map(|i| l.t().driver(i.driver).to_owned()).collect()
                    series=vec![BarSeries {
                        label: l.t().sat_col_correlation.to_owned(),
                        class: "series-after",
                        values: with
                            .iter()
                            .map(|i| i.correlation.as_deref().and_then(|c| c.parse().ok()).unwrap_or_default())
                            .collect(),
                    }]
                    format=Callback::new(move |d: Decimal| l.amount(d, 3))
                />
            }
        })
    };
    let items = v.items;
    view! {
        {portfolio.map(|p| view! {
            <p data-testid="sat-portfolio">
                {move || t().sat_portfolio_overall} " "
                <strong>{
                    let o = p.overall.clone();
                    move || percent_text(lang(), &o)
                }</strong>
                " (" {move || lang().count(p.sample_size)} " " {move || t().sat_respondents} ", "
                {move || t().sat_margin_note}{
                    let m = p.margin_of_error;
                    move || number_text(lang(), &m)
                } " " {move || t().sat_points} ")"
            </p>
        })}
        {chart}
        <DataTable
            columns
            testid="sat-drivers"
            caption=ViewFn::from(move || t().sat_drivers_caption)
            empty=|m| m.sat_benchmarks_empty
            is_empty=empty
        >
            {items.into_iter().map(|i| {
                let or_none = move |v: Option<String>, f: fn(Lang, &str) -> String| {
                    move || v.as_deref().map_or_else(|| lang().t().sat_not_computed.to_owned(), |v| f(lang(), v))
                };
                view! {
                    <tr data-driver=i.driver.as_str()>
                        <td class="num">{i.rank}</td>
                        <th scope="row">{move || t().driver(i.driver)}</th>
                        <td class="num" data-testid="sat-correlation">{or_none(i.correlation.clone(), number_text)}</td>
                        <td class="num">{or_none(i.gap.clone(), number_text)}</td>
                        <td class="num">{or_none(i.mean.clone(), percent_text)}</td>
                        <td class="num">{or_none(i.satisfied_mean.clone(), percent_text)}</td>
                        <td class="num">{or_none(i.dissatisfied_mean.clone(), percent_text)}</td>
                        <td class="num">{move || lang().count(i64::try_from(i.results).unwrap_or(i64::MAX))}</td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}

/// `children` once the page runs in the browser: nothing on the server
/// nor while hydrating, so what they load there (`LocalResource`s) can
/// never differ from what the server rendered.
#[component]
fn InBrowser(children: ChildrenFn) -> impl IntoView {
    let mounted = RwSignal::new(false);
    Effect::new(move |_| mounted.set(true));
    view! { <Show when=move || mounted.get()>{children()}</Show> }
}

/// Recording: the agreements the caller may record for, loaded in the
/// browser (a form, nothing to index).
#[component]
fn Recording() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.lang.get().t();
    let choices = LocalResource::new(satisfaction_recordable);
    view! {
        <section aria-labelledby="sat-record-h" data-testid="sat-record">
            <h2 id="sat-record-h">{move || t().sat_record_title}</h2>
            <p>{move || t().sat_record_intro}</p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match choices.await {
                        Err(e) => view! { <p class="error" role="alert">{error_text(&e)}</p> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="empty">{move || t().sat_nothing_to_record}</p> }.into_any(),
                        Ok(list) => view! { <RecordForms list /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// A text input's value, `None` when blank.
fn blank_none(s: &str) -> Option<String> {
    let s = s.trim().to_owned();
    (!s.is_empty()).then_some(s)
}

/// The form, the upload and the chosen agreement's results.
#[component]
#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
fn RecordForms(list: Vec<RecordableAgreement>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let list = StoredValue::new(list);
    let agreement = RwSignal::new(list.with_value(|l| l.first().map_or(0, |a| a.id)));
    let chosen = move || list.with_value(|l| l.iter().find(|a| a.id == agreement.get()).cloned());
    let service = RwSignal::new(0_i32);
    let channel = RwSignal::new(None::<Channel>);
    let party = RwSignal::new(0_i32);
    // A new agreement: its first service, channel and party.
    Effect::new(move |_| {
        if let Some(a) = chosen() {
            let s = a.services.first();
            service.set(s.map_or(0, |s| s.id));
            channel.set(s.and_then(|s| s.channels.first().copied()));
            party.set(a.parties.first().map_or(0, |p| p.id));
        }
    });
    let channels = move || {
        chosen()
            .and_then(|a| a.services.into_iter().find(|s| s.id == service.get()))
            .map(|s| s.channels)
            .unwrap_or_default()
    };
    let period = RwSignal::new(String::new());
    let sample = RwSignal::new(String::new());
    let overall = RwSignal::new(String::new());
    let margin = RwSignal::new(String::new());
    let scores: [RwSignal<String>; 5] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let error = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let version = RwSignal::new(0_u32);
    let results = LocalResource::new(move || {
        let id = agreement.get();
        version.track();
        async move {
            if id == 0 {
                return Ok(None);
            }
            satisfaction_results(id, SatisfactionQuery::default())
                .await
                .map(Some)
        }
    });
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let Some(ch) = channel.get_untracked() else {
            return;
        };
        let score = |i: usize| blank_none(&scores[i].get_untracked());
        let params = SatisfactionParams {
            period: period.get_untracked().trim().to_owned(),
            service_id: service.get_untracked(),
            channel: ch,
            organisation_id: party.get_untracked(),
            sample_size: sample.get_untracked().trim().parse().unwrap_or(0),
            overall: overall.get_untracked().trim().to_owned(),
            margin_of_error: blank_none(&margin.get_untracked()),
            timeliness: score(0),
            knowledge: score(1),
            courtesy: score(2),
            fairness: score(3),
            outcome: score(4),
        };
        let id = agreement.get_untracked();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = record_satisfaction(id, params).await;
            busy.set(false);
            match r {
                Ok(_) => {
                    error.set(None);
                    saved.set(true);
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    // The CSV upload's answer, kept here so that it outlives a redraw.
    let upload_outcome = RwSignal::new(None::<Result<u64, AppError>>);
    let upload_url = Signal::derive(move || {
        format!("/api/v1/agreements/{}/satisfaction/import", agreement.get())
    });
    let text_field = move |id: &'static str,
                           label: fn(&Messages) -> &'static str,
                           field: &'static str,
                           value: RwSignal<String>,
                           mode: &'static str| {
        view! {
            <div class="field">
                <label for=id>{move || label(t())}</label>
                <input id=id type="text" inputmode=mode size="10" prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev)) />
                <FieldProblem error field />
            </div>
        }
    };
    view! {
        <form class="stack narrow" on:submit=send data-testid="sat-record-form">
            <FormError error />
            <div class="field">
                <label for="sat-agreement">{move || t().sat_agreement}</label>
                <select id="sat-agreement" data-testid="sat-agreement"
                    on:change=move |ev| agreement.set(event_target_value(&ev).parse().unwrap_or(0))>
                    {list.with_value(|l| l.iter().map(|a| {
                        let (id, a) = (a.id, a.clone());
                        view! {
                            <option value=id selected=move || agreement.get() == id>
                                {move || format!("{} — {}", a.reference, lang().pick_text(&a.title, a.title_fr.as_deref()))}
                            </option>
                        }
                    }).collect_view())}
                </select>
            </div>
            <div class="field">
                <label for="sat-service">{move || t().sat_service}</label>
                <select id="sat-service" data-testid="sat-service"
                    on:change=move |ev| {
                        let id = event_target_value(&ev).parse().unwrap_or(0);
                        service.set(id);
                        let first = chosen()
                            .and_then(|a| a.services.into_iter().find(|s| s.id == id))
                            .and_then(|s| s.channels.first().copied());
                        channel.set(first);
                    }>
                    {move || chosen().map(|a| a.services.into_iter().map(|s| {
                        let id = s.id;
                        view! {
                            <option value=id selected=move || service.get() == id>
                                {move || format!("{} — {}", s.code, lang().pick_text(&s.name, s.name_fr.as_deref()))}
                            </option>
                        }
                    }).collect_view())}
                </select>
                <FieldProblem error field="service_id" />
            </div>
            <div class="field">
                <label for="sat-channel">{move || t().col_channel}</label>
                <select id="sat-channel" data-testid="sat-channel"
                    on:change=move |ev| channel.set(event_target_value(&ev).parse().ok())>
                    {move || channels().into_iter().map(|c| view! {
                        <option value=c.as_str() selected=move || channel.get() == Some(c)>{move || lang().channel(c)}</option>
                    }).collect_view()}
                </select>
                <FieldProblem error field="channel" />
            </div>
            <div class="field">
                <label for="sat-party">{move || t().sat_party}</label>
                <select id="sat-party" data-testid="sat-party"
                    on:change=move |ev| party.set(event_target_value(&ev).parse().unwrap_or(0))>
                    {move || chosen().map(|a| a.parties.into_iter().map(|p| {
                        let id = p.id;
                        view! {
                            <option value=id selected=move || party.get() == id>
                                {move || lang().pick_text(&p.name, p.name_fr.as_deref()).to_owned()}
                            </option>
                        }
                    }).collect_view())}
                </select>
                <FieldProblem error field="organisation_id" />
            </div>
            <div class="field month">
                <label for="sat-period">{move || t().sat_month}</label>
                <input id="sat-period" type="text" inputmode="numeric" size="8" aria-describedby="sat-period-hint"
                    data-testid="sat-period" prop:value=move || period.get() on:input=move |ev| period.set(event_target_value(&ev)) />
                <span id="sat-period-hint" class="hint">{move || t().month_hint}</span>
                <FieldProblem error field="period" />
            </div>
            {text_field("sat-sample", |m| m.sat_sample, "sample_size", sample, "numeric")}
            {text_field("sat-overall", |m| m.sat_overall_label, "overall", overall, "decimal")}
            {text_field("sat-margin", |m| m.sat_margin_label, "margin_of_error", margin, "decimal")}
            <fieldset>
                <legend>{move || t().sat_drivers_legend}</legend>
                {Driver::ALL.iter().enumerate().map(|(i, d)| {
                    let d = *d;
                    let id = match d {
                        Driver::Timeliness => "sat-d-timeliness",
                        Driver::Knowledge => "sat-d-knowledge",
                        Driver::Courtesy => "sat-d-courtesy",
                        Driver::Fairness => "sat-d-fairness",
                        Driver::Outcome => "sat-d-outcome",
                    };
                    text_field(id, driver_label(d), d.as_str(), scores[i], "decimal")
                }).collect_view()}
            </fieldset>
            <button type="submit" class="primary" disabled=move || busy.get() data-testid="sat-record-submit">{move || t().sat_record_button}</button>
            <Show when=move || saved.get()>
                <p class="success" role="status" data-testid="sat-recorded">{move || t().sat_recorded}</p>
            </Show>
        </form>
        <h3>{move || t().sat_upload_title}</h3>
        <p class="note">{move || t().sat_upload_note}</p>
        <CsvUpload url=upload_url input_id="sat-file" testid="sat-upload" outcome=upload_outcome
            done=Callback::new(move |_| version.update(|v| *v += 1)) />
        <h3>{move || t().sat_results_title}</h3>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match results.await {
                    Err(e) => view! { <p class="error" role="alert">{error_text(&e)}</p> }.into_any(),
                    Ok(None) => ().into_any(),
                    Ok(Some(v)) => view! { <Results v /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// An agreement's results over the months read.
#[component]
fn Results(v: AgreementSatisfactionView) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let mut columns: Vec<Column> = vec![
        col(|m| m.sat_col_month),
        col(|m| m.sat_col_service),
        col(|m| m.col_channel),
        col(|m| m.sat_col_party),
        num(|m| m.sat_col_sample),
        num(|m| m.sat_col_overall),
        num(|m| m.sat_col_margin),
    ];
    columns.extend(Driver::ALL.iter().map(|d| num(driver_label(*d))));
    let empty = v.items.is_empty();
    view! {
        <DataTable
            columns
            testid="sat-results"
            caption=ViewFn::from(move || t().sat_results_caption)
            empty=|m| m.sat_results_empty
            is_empty=empty
        >
            {v.items.into_iter().map(|r| {
                let margin = r.margin_of_error.clone();
                view! {
                    <tr>
                        <th scope="row" class="nowrap">{r.period.clone()}</th>
                        <td class="nowrap">{r.service_code.clone()}</td>
                        <td>{move || lang().channel(r.channel)}</td>
                        <td>{r.organisation_code.clone()}</td>
                        <td class="num">{move || lang().count(r.sample_size)}</td>
                        <td class="num">{
                            let o = r.overall.clone();
                            move || percent_text(lang(), &o)
                        }</td>
                        <td class="num">{move || margin.as_deref().map(|m| number_text(lang(), m)).unwrap_or_default()}</td>
                        {Driver::ALL.iter().map(|d| {
                            let s = r.drivers.get(*d).map(str::to_owned);
                            view! { <td class="num">{move || score_text(lang(), s.as_deref())}</td> }
                        }).collect_view()}
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}
