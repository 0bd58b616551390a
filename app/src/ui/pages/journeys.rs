//! Journeys across channels of one agreement (issue 22, DOMAIN.md §9): the
//! channel-to-channel flow table (rows: the channel a journey started on;
//! columns: the one it ended on, then abandoned; each cell with its share
//! of the row), completion rate and digital take-up for the services and
//! months chosen, by service and by month; and, for a partner who may
//! record, the form and CSV upload that record journeys. The choice of
//! service and months lives in the URL query (`service`, `from`, `to`),
//! under the names `GET /api/v1/agreements/{id}/journeys` takes.

use crate::domain::Channel;
use crate::i18n::{Lang, use_i18n};
use crate::server_fns::journeys::{journey_flows, record_journey};
use crate::ui::auth::error_text;
use crate::ui::components::{CsvUpload, FieldProblem, FormError, Loading, PageTitle, TableRegion};
use crate::wire::error::AppError;
use crate::wire::journeys::*;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

/// A percent of the view (`67.86`) as the reader writes it; a dash-free
/// "none yet" when there is nothing to divide by.
fn rate_text(lang: Lang, r: &RateView) -> String {
    r.percent.as_deref().map_or_else(
        || lang.t().journeys_none_value.to_owned(),
        |p| percent_places(lang, p, 2),
    )
}

/// A percent (`4.60`) with `places` decimals, as the reader writes numbers
/// (`4.6 %`, `4,6 %` with one place): the same number of places down a
/// column.
fn percent_places(lang: Lang, value: &str, places: u32) -> String {
    value.parse::<rust_decimal::Decimal>().map_or_else(
        |_| lang.percent_text(value),
        |d| format!("{}\u{a0}%", lang.amount(d.round_dp(places), places)),
    )
}

fn count_text(lang: Lang, n: u64) -> String {
    lang.count(i64::try_from(n).unwrap_or(i64::MAX))
}

/// The month before today's (`2026-11` in December 2026): the last one a
/// partner can have counted in full.
fn last_month() -> String {
    use chrono::{Datelike, Months};
    let today = crate::clock::today();
    let first = today.with_day(1).unwrap_or(today);
    first
        .checked_sub_months(Months::new(1))
        .unwrap_or(first)
        .format("%Y-%m")
        .to_string()
}

/// What the recording form holds, kept by the page so that reloading the
/// figures after a save keeps what was typed and the last message.
#[derive(Clone, Copy)]
struct RecordState {
    params: RwSignal<JourneyParams>,
    error: RwSignal<Option<AppError>>,
    saved: RwSignal<Option<bool>>,
    upload: RwSignal<Option<Result<u64, AppError>>>,
}

impl RecordState {
    fn new() -> Self {
        RecordState {
            params: RwSignal::new(JourneyParams {
                period: last_month(),
                service_id: 0,
                organisation_id: 0,
                started_on: Channel::Online,
                ended_on: Some(Channel::Online),
                count: 0,
            }),
            error: RwSignal::new(None),
            saved: RwSignal::new(None),
            upload: RwSignal::new(None),
        }
    }
}

#[component]
pub fn JourneysPage() -> impl IntoView {
    let id = super::agreement_id();
    let query = use_query_map();
    let filters = move || {
        let q = query.read();
        let text = |k: &str| {
            q.get(k)
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
        };
        JourneyFilters {
            from: text("from"),
            to: text("to"),
            service: text("service"),
        }
    };
    let refresh = RwSignal::new(0u32);
    // One resource, awaited in one boundary (`Suspend`), never read with
    // `.get()` (see costs.rs for the hydration race that avoids).
    let data = Resource::new(
        move || (id(), filters(), refresh.get()),
        |(id, f, _)| journey_flows(id, f),
    );
    let record = RecordState::new();
    let i18n = use_i18n();
    let t = move || i18n.lang.get().t();
    view! {
        <PageTitle text=|l| l.t().journeys_title.into() />
        <p class="breadcrumb no-print"><A href=move || format!("/agreements/{}", id())>{move || t().back_to_agreement}</A></p>
        <h1>{move || t().journeys_title}</h1>
        <p class="lede">{move || t().journeys_intro}</p>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p class="error" role="alert">{error_text(&e)}</p> }.into_any(),
                    Ok(v) => view! { <Journeys v refresh record /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Journeys(v: JourneysView, refresh: RwSignal<u32>, record: RecordState) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let id = v.agreement_id;
    let navigate = use_navigate();
    let service = RwSignal::new(v.service.clone().unwrap_or_default());
    let from = RwSignal::new(v.from.clone());
    let to = RwSignal::new(v.to.clone());
    let go = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut q = format!(
            "?from={}&to={}",
            from.get_untracked().trim(),
            to.get_untracked().trim()
        );
        let s = service.get_untracked();
        if !s.is_empty() {
            q.push_str(&format!("&service={s}"));
        }
        navigate(
            &format!("/agreements/{id}/journeys{q}"),
            leptos_router::NavigateOptions {
                scroll: false,
                ..Default::default()
            },
        );
    };
    let options = v.service_options.clone();
    let service_name = {
        let services = v.services.clone();
        move |code: &str| {
            services
                .iter()
                .find(|s| s.code == code)
                .map(|s| (s.name.clone(), s.name_fr.clone()))
        }
    };
    let months_line = format!("{} – {}", v.from, v.to);
    let all = v.all.clone();
    let heading_of_view = v.service.clone().and_then(|c| {
        service_name(&c).or_else(|| {
            v.service_options
                .iter()
                .find(|o| o.code == c)
                .map(|o| (o.name.clone(), o.name_fr.clone()))
        })
    });
    view! {
        <form class="filters no-print" role="search" on:submit=go data-testid="journey-filters">
            <fieldset>
                <legend>{move || t().journeys_filters}</legend>
                <div class="field">
                    <label for="j-service">{move || t().col_service}</label>
                    <select id="j-service" on:change=move |ev| service.set(event_target_value(&ev))>
                        <option value="" selected=move || service.get().is_empty()>{move || t().journeys_all_services}</option>
                        {options.iter().map(|o| {
                            let code = o.code.clone();
                            let c2 = code.clone();
                            let (name, name_fr) = (o.name.clone(), o.name_fr.clone());
                            view! {
                                <option value=code selected=move || service.get() == c2>
                                    {o.code.clone()} " — " {move || lang().pick_text(&name, name_fr.as_deref()).to_owned()}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field month">
                    <label for="j-from">{move || t().from_period}</label>
                    <input id="j-from" type="text" inputmode="numeric" size="8" aria-describedby="j-from-hint"
                        prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev)) />
                    <span id="j-from-hint" class="hint">{move || t().month_hint}</span>
                </div>
                <div class="field month">
                    <label for="j-to">{move || t().to_period}</label>
                    <input id="j-to" type="text" inputmode="numeric" size="8" aria-describedby="j-to-hint"
                        prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev)) />
                    <span id="j-to-hint" class="hint">{move || t().month_hint}</span>
                </div>
                <div class="filter-actions">
                    <button type="submit" class="secondary">{move || t().journeys_show}</button>
                </div>
            </fieldset>
        </form>
        <p class="note" data-testid="journey-months">
            {move || t().journeys_months} " " {months_line} " · "
            {match heading_of_view {
                Some((name, name_fr)) => view! { <span>{move || lang().pick_text(&name, name_fr.as_deref()).to_owned()}</span> }.into_any(),
                None => view! { <span>{move || t().journeys_all_services}</span> }.into_any(),
            }}
        </p>
        {if all.started == 0 {
            view! {
                <div class="empty" role="status" data-testid="journeys-empty"><p>{move || t().journeys_empty}</p></div>
            }.into_any()
        } else {
            view! {
                <Kpis flow=all.clone() />
                <FlowTable flow=all />
                <ByService services=v.services.clone() />
                <ByMonth months=v.months.clone() />
            }.into_any()
        }}
        <Recording v refresh record />
    }
}

/// The two derived KPIs and the totals they come from.
#[component]
fn Kpis(flow: FlowView) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let (completion, take_up) = (flow.completion_rate.clone(), flow.digital_take_up.clone());
    let c2 = completion.clone();
    let u2 = take_up.clone();
    let completion_value = completion.percent.clone().unwrap_or_default();
    let take_up_value = take_up.percent.clone().unwrap_or_default();
    view! {
        <section aria-labelledby="h-journey-kpis">
            <h2 id="h-journey-kpis" class="visually-hidden">{move || t().journeys_completion_rate} " · " {move || t().journeys_digital_take_up}</h2>
            <dl class="figures journey-kpis" data-testid="journey-kpis">
                <div>
                    <dt>{move || t().journeys_completion_rate}</dt>
                    <dd data-testid="completion-rate" data-value=completion_value>
                        {move || rate_text(lang(), &completion)}
                    </dd>
                    <dd class="hint">{move || t().journeys_completion_def} " ("
                        {move || count_text(lang(), c2.numerator)} " / " {move || count_text(lang(), c2.denominator)} ")"</dd>
                </div>
                <div>
                    <dt>{move || t().journeys_digital_take_up}</dt>
                    <dd data-testid="digital-take-up" data-value=take_up_value>
                        {move || rate_text(lang(), &take_up)}
                    </dd>
                    <dd class="hint">{move || t().journeys_take_up_def} " ("
                        {move || count_text(lang(), u2.numerator)} " / " {move || count_text(lang(), u2.denominator)} ")"</dd>
                </div>
                <div>
                    <dt>{move || t().journeys_started}</dt>
                    <dd data-testid="journeys-started">{move || count_text(lang(), flow.started)}</dd>
                    <dd class="hint">
                        {move || t().journeys_completed} " " {move || count_text(lang(), flow.completed)} " · "
                        {move || t().journeys_abandoned} " " {move || count_text(lang(), flow.abandoned)} " · "
                        {move || t().journeys_switched} " " {move || count_text(lang(), flow.switched)}
                    </dd>
                </div>
            </dl>
            <p class="note">{move || t().journeys_derived_note}</p>
        </section>
    }
}

/// The channel-to-channel flow table.
#[component]
fn FlowTable(flow: FlowView) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let ended = flow.ended_channels.clone();
    view! {
        <section aria-labelledby="h-flow">
            <h2 id="h-flow">{move || t().journeys_flow_title}</h2>
            <TableRegion>
                <table class="data flow" data-testid="flow-table">
                    <caption>{move || t().journeys_flow_caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || t().journeys_started_on} " \\ " {move || t().journeys_ended_on}</th>
                            {ended.iter().map(|c| {
                                let c = *c;
                                view! { <th scope="col" class="num">{move || lang().channel(c)}</th> }
                            }).collect_view()}
                            <th scope="col" class="num">{move || t().journeys_abandoned}</th>
                            <th scope="col" class="num">{move || t().journeys_total}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {flow.rows.into_iter().map(|r| {
                            let s = r.started_on;
                            view! {
                                <tr data-started=s.as_str()>
                                    <th scope="row">{move || lang().channel(s)}</th>
                                    {r.cells.into_iter().map(|c| {
                                        let ended = c.ended_on.map_or("abandoned", Channel::as_str);
                                        let share = c.share.clone();
                                        let diagonal = c.ended_on == Some(s);
                                        view! {
                                            <td class="num" class:flow-same=diagonal data-ended=ended data-count=c.count.to_string()>
                                                {move || count_text(lang(), c.count)}
                                                {share.filter(|_| c.count > 0).map(|p| view! {
                                                    <span class="share">" (" {move || percent_places(lang(), &p, 1)} ")"</span>
                                                })}
                                            </td>
                                        }
                                    }).collect_view()}
                                    <td class="num total">{move || count_text(lang(), r.total)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </TableRegion>
        </section>
    }
}

/// Each service's KPIs over the months shown.
#[component]
fn ByService(services: Vec<ServiceJourneysView>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    view! {
        <section aria-labelledby="h-by-service">
            <h2 id="h-by-service">{move || t().journeys_by_service}</h2>
            <TableRegion>
                <table class="data" data-testid="journeys-by-service">
                    <caption>{move || t().journeys_by_service_caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || t().col_service}</th>
                            <th scope="col" class="num">{move || t().journeys_started}</th>
                            <th scope="col" class="num">{move || t().journeys_abandoned}</th>
                            <th scope="col" class="num">{move || t().journeys_completion_rate}</th>
                            <th scope="col" class="num">{move || t().journeys_digital_take_up}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {services.into_iter().map(|s| {
                            let (name, name_fr) = (s.name.clone(), s.name_fr.clone());
                            let f = s.flow;
                            let (c, u) = (f.completion_rate.clone(), f.digital_take_up.clone());
                            let code = s.code.clone();
                            view! {
                                <tr data-service=s.code>
                                    <th scope="row">{code} " — " {move || lang().pick_text(&name, name_fr.as_deref()).to_owned()}</th>
                                    <td class="num">{move || count_text(lang(), f.started)}</td>
                                    <td class="num">{move || count_text(lang(), f.abandoned)}</td>
                                    <td class="num">{move || rate_text(lang(), &c)}</td>
                                    <td class="num">{move || rate_text(lang(), &u)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </TableRegion>
        </section>
    }
}

/// The KPIs of the services shown, month by month.
#[component]
fn ByMonth(months: Vec<MonthKpisView>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    view! {
        <section aria-labelledby="h-by-month">
            <h2 id="h-by-month">{move || t().journeys_by_month}</h2>
            <TableRegion>
                <table class="data" data-testid="journeys-by-month">
                    <caption>{move || t().journeys_by_month_caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || t().col_month}</th>
                            <th scope="col" class="num">{move || t().journeys_started}</th>
                            <th scope="col" class="num">{move || t().journeys_completion_rate}</th>
                            <th scope="col" class="num">{move || t().journeys_digital_take_up}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {months.into_iter().map(|m| {
                            let (c, u) = (m.completion_rate.clone(), m.digital_take_up.clone());
                            let period = m.period.clone();
                            view! {
                                <tr data-period=m.period>
                                    <th scope="row">{period}</th>
                                    <td class="num">{move || count_text(lang(), m.started)}</td>
                                    <td class="num">{move || rate_text(lang(), &c)}</td>
                                    <td class="num">{move || rate_text(lang(), &u)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </TableRegion>
        </section>
    }
}

/// The form and the CSV upload, for those who may record.
#[component]
#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
fn Recording(v: JourneysView, refresh: RwSignal<u32>, record: RecordState) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    if !v.active {
        return view! { <p class="note" data-testid="journeys-not-active">{move || t().journeys_not_active}</p> }.into_any();
    }
    if v.may_record_for.is_empty() || v.service_options.is_empty() {
        return ().into_any();
    }
    let id = v.agreement_id;
    let RecordState {
        params,
        error,
        saved,
        upload,
    } = record;
    let services = StoredValue::new(v.service_options.clone());
    // The form names a service in force and a party the caller may record
    // for.
    let first_service = v.service_options[0].service_id;
    if !v
        .service_options
        .iter()
        .any(|s| s.service_id == params.with_untracked(|p| p.service_id))
    {
        params.update_untracked(|p| p.service_id = first_service);
    }
    if !v
        .may_record_for
        .contains(&params.with_untracked(|p| p.organisation_id))
    {
        params.update_untracked(|p| p.organisation_id = v.may_record_for[0]);
    }
    let channels = move || {
        let sid = params.with(|p| p.service_id);
        services.with_value(|s| {
            s.iter()
                .find(|o| o.service_id == sid)
                .map(|o| o.channels.clone())
                .unwrap_or_default()
        })
    };
    let parties: Vec<JourneyParty> = v
        .parties
        .iter()
        .filter(|p| v.may_record_for.contains(&p.organisation_id))
        .cloned()
        .collect();
    let save = Action::new(move |p: &JourneyParams| record_journey(id, p.clone()));
    Effect::new(move |_| {
        if let Some(r) = save.value().get() {
            match r {
                Ok(j) => {
                    error.set(None);
                    saved.set(Some(j.replaced));
                    refresh.update(|n| *n += 1);
                }
                Err(e) => {
                    saved.set(None);
                    error.set(Some(e));
                }
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(None);
        save.dispatch(params.get_untracked());
    };
    let channel_option = move |c: Channel, selected: Signal<bool>| {
        view! { <option value=c.as_str() selected=move || selected.get()>{move || lang().channel(c)}</option> }
    };
    view! {
        <section aria-labelledby="h-record-journeys" class="no-print">
            <h2 id="h-record-journeys">{move || t().journeys_record_title}</h2>
            <p class="note">{move || t().journeys_record_note}</p>
            <form class="inline-form" on:submit=submit data-testid="record-journey" novalidate>
                <FormError error />
                <div class="field month">
                    <label for="jr-period">{move || t().col_month}</label>
                    <input id="jr-period" type="text" inputmode="numeric" size="8" aria-describedby="jr-period-hint"
                        prop:value=move || params.with(|p| p.period.clone())
                        on:input=move |ev| params.update(|p| p.period = event_target_value(&ev)) />
                    <span id="jr-period-hint" class="hint">{move || t().month_hint}</span>
                    <FieldProblem error field="period" />
                </div>
                <div class="field">
                    <label for="jr-service">{move || t().col_service}</label>
                    <select id="jr-service" on:change=move |ev| {
                        let sid = event_target_value(&ev).parse().unwrap_or(0);
                        params.update(|p| p.service_id = sid);
                    }>
                        {services.get_value().into_iter().map(|o| {
                            let sid = o.service_id;
                            let (name, name_fr) = (o.name.clone(), o.name_fr.clone());
                            view! {
                                <option value=sid.to_string() selected=move || params.with(|p| p.service_id == sid)>
                                    {o.code} " — " {move || lang().pick_text(&name, name_fr.as_deref()).to_owned()}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                    <FieldProblem error field="service_id" />
                </div>
                <div class="field">
                    <label for="jr-org">{move || t().journeys_partner}</label>
                    <select id="jr-org" on:change=move |ev| {
                        let org = event_target_value(&ev).parse().unwrap_or(0);
                        params.update(|p| p.organisation_id = org);
                    }>
                        {parties.into_iter().map(|p| {
                            let org = p.organisation_id;
                            let (name, name_fr) = (p.name, p.name_fr);
                            view! {
                                <option value=org.to_string() selected=move || params.with(|p| p.organisation_id == org)>
                                    {move || lang().pick_text(&name, name_fr.as_deref()).to_owned()}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                    <FieldProblem error field="organisation_id" />
                </div>
                <div class="field">
                    <label for="jr-started">{move || t().journeys_started_on}</label>
                    <select id="jr-started" on:change=move |ev| {
                        if let Ok(c) = event_target_value(&ev).parse::<Channel>() {
                            params.update(|p| p.started_on = c);
                        }
                    }>
                        {move || channels().into_iter().map(|c| {
                            channel_option(c, Signal::derive(move || params.with(|p| p.started_on == c)))
                        }).collect_view()}
                    </select>
                    <FieldProblem error field="started_on" />
                </div>
                <div class="field">
                    <label for="jr-ended">{move || t().journeys_ended_on}</label>
                    <select id="jr-ended" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        params.update(|p| p.ended_on = v.parse::<Channel>().ok());
                    }>
                        {move || channels().into_iter().map(|c| {
                            channel_option(c, Signal::derive(move || params.with(|p| p.ended_on == Some(c))))
                        }).collect_view()}
                        <option value="abandoned" selected=move || params.with(|p| p.ended_on.is_none())>{move || t().journeys_abandoned}</option>
                    </select>
                    <FieldProblem error field="ended_on" />
                </div>
                <div class="field">
                    <label for="jr-count">{move || t().journeys_count}</label>
                    <input id="jr-count" type="number" min="0" max="1000000000" step="1" inputmode="numeric"
                        prop:value=move || params.with(|p| p.count.to_string())
                        on:input=move |ev| {
                            let n = event_target_value(&ev).trim().parse::<i64>().unwrap_or(-1);
                            params.update(|p| p.count = n);
                        } />
                    <FieldProblem error field="count" />
                </div>
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=move || save.pending().get()>{move || t().journeys_record}</button>
                </div>
                {move || saved.get().map(|replaced| view! {
                    <p class="success" role="status" data-testid="journey-saved">
                        {move || if replaced { t().journeys_replaced } else { t().journeys_recorded }}
                    </p>
                })}
            </form>
            <h3>{move || t().journeys_upload_title}</h3>
            <p class="note">{move || t().journeys_upload_note}</p>
            <CsvUpload url=Signal::stored(format!("/api/v1/agreements/{id}/journeys/import"))
                input_id="journeys-file" testid="journeys-upload" outcome=upload
                done=Callback::new(move |_| refresh.update(|n| *n += 1)) />
        </section>
    }
    .into_any()
}
