//! An agreement's costs: the reconciliation of a period (each party's due
//! share, what it paid, its balance, the settling transfers, budget versus
//! actual), exportable as CSV and printable; the forms and CSV upload that
//! record cost entries and volumes; and the period's ledger.

use crate::domain::{Channel, CostCategory, CostKind, Currency, Period};
use crate::i18n::use_i18n;
use crate::server_fns::cost::{
    cost_page, record_cost, record_volume, remove_cost_entry, remove_volume,
};
use crate::ui::auth::error_text;
use crate::ui::components::{
    BarChart, BarSeries, DataTable, LoadError, Loading, TableRegion, Translated, action, col, num,
};
use crate::ui::components::{PageTitle, PrintHead};
use crate::ui::pages::not_found::NotFound;
use crate::wire::agreements::ServiceView;
use crate::wire::cost::{CostEntryParams, LedgerView, ReconciliationView, VolumeEntryParams};
use crate::wire::cost_page::CostPageView;
use crate::wire::error::AppError;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;

#[component]
pub fn CostsPage() -> impl IntoView {
    let id = super::agreement_id();
    let query = use_query_map();
    let asked = move || query.read().get("period").unwrap_or_default();
    let refresh = RwSignal::new(0u32);
    // One resource, one server function, awaited in one boundary. The page
    // used to load the agreement, the reconciliation and the ledger as three
    // resources, two of which chained server functions (the agreement, for
    // its default period, then the period's figures). On the server, a
    // server function called after another's `.await` sometimes ran outside
    // the render's context and failed, so the answer sent to the browser
    // was not the one rendered, and about one load in a hundred failed to
    // hydrate.
    let page = Resource::new(
        move || (id(), asked(), refresh.get()),
        |(id, asked, _)| cost_page(id, asked),
    );
    // What the recording forms hold outlives a reload of the page's data.
    let record = RecordState::new(&query.with_untracked(|q| q.get("period").unwrap_or_default()));
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match page.await {
                    Err(_) => view! { <LoadError /> }.into_any(),
                    Ok(None) => view! { <NotFound /> }.into_any(),
                    Ok(Some(p)) => view! { <CostsDetail p refresh record /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CostsDetail(p: CostPageView, refresh: RwSignal<u32>, record: RecordState) -> impl IntoView {
    let CostPageView {
        agreement: a,
        period,
        recon,
        ledger,
    } = p;
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let id = a.id;
    let digits = Currency::parse(&a.currency).map_or(2, |c| c.minor_units());
    let fmt = move |s: &str| {
        Decimal::from_str(s).map_or_else(|_| s.to_owned(), |d| lang().amount(d, digits))
    };
    let names: BTreeMap<i32, String> = a
        .parties
        .iter()
        .map(|p| {
            (
                p.organisation_id,
                lang().pick_text(&p.name, p.name_fr.as_deref()).to_owned(),
            )
        })
        .collect();
    let names = StoredValue::new(names);
    // The agreement's services in force: a volume may name one.
    let services = StoredValue::new(a.services.clone());
    let name_of = move |org: i32| {
        names.with_value(|n| n.get(&org).cloned().unwrap_or_else(|| org.to_string()))
    };
    let title = view! { <Translated en=a.title.clone() fr=a.title_fr.clone() /> };
    let navigate = use_navigate();
    let typed = RwSignal::new(period);
    let go = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let p = typed.get_untracked().trim().to_uppercase();
        navigate(
            &format!("/agreements/{id}/costs?period={p}"),
            Default::default(),
        );
    };
    let reference = a.reference.clone();

    view! {
        <PageTitle text=move |l| format!("{} — {}", l.t().costs_title, reference) />
        <PrintHead reference=a.reference.clone() />
        <p class="breadcrumb no-print"><A href=format!("/agreements/{id}")>{move || t().back_to_agreement}</A></p>
        <h1>{move || t().costs_title}</h1>
        <p class="lede">{a.reference.clone()} " · " {title} " · " {a.currency}</p>

        <form class="inline-form no-print" on:submit=go>
            <div class="field">
                <label for="period">{move || t().period_label}</label>
                <input id="period" type="text" placeholder="2026-Q3" aria-describedby="period-hint"
                    prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev)) />
                <span id="period-hint" class="hint">{move || t().period_hint}</span>
            </div>
            <button type="submit" class="secondary">{move || t().show}</button>
            <A href=format!("/agreements/{id}/cost-model") attr:class="button secondary">{move || t().cost_model_title}</A>
        </form>

        {match recon {
            Err(e) => view! { <p class="error" role="alert" data-testid="recon-error">{error_text(&e)}</p> }.into_any(),
            Ok(r) => view! { <Reconciliation r fmt=Callback::new(move |s: String| fmt(&s)) name_of=Callback::new(name_of) /> }.into_any(),
        }}

        {match ledger {
            Err(e) => view! { <p class="error" role="alert">{error_text(&e)}</p> }.into_any(),
            Ok(l) => view! {
                <Recording id l=l.clone() refresh state=record name_of=Callback::new(name_of) services=services.get_value() />
                <Ledger id l refresh fmt=Callback::new(move |s: String| fmt(&s)) name_of=Callback::new(name_of) services=services.get_value() />
            }.into_any(),
        }}
    }
}

#[component]
fn Reconciliation(
    r: ReconciliationView,
    fmt: Callback<String, String>,
    name_of: Callback<i32, String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let f = move |s: &String| fmt.run(s.clone());
    let csv = format!(
        "/api/v1/agreements/{}/reconciliation.csv?period={}",
        r.agreement_id, r.period
    );
    let dec = |s: &str| Decimal::from_str(s).unwrap_or_default();
    let labels: Vec<String> = r
        .parties
        .iter()
        .map(|p| p.organisation_name.clone())
        .collect();
    let series = vec![
        BarSeries {
            label: t().col_due.to_owned(),
            class: "series-before",
            values: r.parties.iter().map(|p| dec(&p.due)).collect(),
        },
        BarSeries {
            label: t().col_paid.to_owned(),
            class: "series-after",
            values: r.parties.iter().map(|p| dec(&p.paid)).collect(),
        },
    ];
    let unsettled = dec(&r.unsettled);
    view! {
        <section aria-labelledby="h-recon" data-testid="reconciliation">
            <h2 id="h-recon">{move || t().reconciliation} " " {r.period.clone()}
                <span class="muted">" (" {move || lang().date(r.from)} " – " {move || lang().date(r.to)} ")"</span></h2>
            {r.provisional.then(|| view! { <p class="notice">{move || t().provisional_note}</p> })}
            <dl class="figures">
                <div><dt>{move || t().total_cost}</dt><dd data-testid="total-cost">{f(&r.total_cost)}</dd></div>
                <div><dt>{move || t().budget}</dt><dd>{f(&r.budget)}</dd></div>
                <div><dt>{move || t().variance}</dt><dd>{f(&r.variance)}</dd></div>
                {(!unsettled.is_zero()).then(|| view! {
                    <div><dt>{move || t().unsettled}</dt><dd>{f(&r.unsettled)}</dd></div>
                })}
            </dl>
            <div class="actions no-print">
                <a class="button secondary" href=csv download="">{move || t().download_csv}</a>
                <button type="button" class="secondary" on:click=move |_| {
                    #[cfg(feature = "hydrate")]
                    let _ = window().print();
                }>{move || t().print}</button>
            </div>
            <TableRegion>
                <table class="data" data-testid="balances">
                    <caption>{move || t().balances_caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || t().col_organisation}</th>
                            <th scope="col" class="num">{move || t().col_due}</th>
                            <th scope="col" class="num">{move || t().col_paid}</th>
                            <th scope="col" class="num">{move || t().col_balance}</th>
                            <th scope="col" class="num">{move || t().budget}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {r.parties.iter().map(|p| {
                            let b = dec(&p.balance);
                            let note = if b > Decimal::ZERO { t().owes } else if b < Decimal::ZERO { t().is_owed } else { "" };
                            view! {
                                <tr>
                                    <th scope="row">{p.organisation_name.clone()}</th>
                                    <td class="num">{f(&p.due)}</td>
                                    <td class="num">{f(&p.paid)}</td>
                                    <td class="num">{f(&p.balance)} " " <span class="muted">{note}</span></td>
                                    <td class="num">{f(&p.budget)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                    <tfoot>
                        <tr>
                            <th scope="row">{move || t().total}</th>
                            <td class="num">{f(&r.total_due)}</td>
                            <td class="num">{f(&r.total_cost)}</td>
                            <td class="num">{f(&r.unsettled)}</td>
                            <td class="num">{f(&r.budget)}</td>
                        </tr>
                    </tfoot>
                </table>
            </TableRegion>
            <BarChart title=t().balances_caption.to_owned() description=t().recon_chart_description.to_owned()
                labels series format=Callback::new(move |d: Decimal| fmt.run(d.to_string())) />
            <h3>{move || t().transfers}</h3>
            {if r.transfers.is_empty() {
                view! { <p>{move || t().no_transfers}</p> }.into_any()
            } else {
                view! {
                    <ol class="transfers" data-testid="transfers">
                        {r.transfers.iter().map(|tr| view! {
                            <li>{name_of.run(tr.from)} " → " {name_of.run(tr.to)} ": " <strong>{f(&tr.amount)}</strong></li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
            <div class="two-col">
                <DataTable columns=vec![col(|m| m.col_category), num(|m| m.budget), num(|m| m.actual), num(|m| m.variance)] caption=move || t().budget_vs_actual>
                    {r.categories.iter().map(|c| {
                        let cat = c.category;
                        view! {
                            <tr>
                                <th scope="row">{move || lang().cost_category(cat)}</th>
                                <td class="num">{f(&c.budget)}</td>
                                <td class="num">{f(&c.actual)}</td>
                                <td class="num">{f(&c.variance)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </DataTable>
                <DataTable columns=vec![col(|m| m.col_month), col(|m| m.version_label), num(|m| m.total_cost), num(|m| m.col_transactions)] caption=move || t().months_caption>
                    {r.months.into_iter().map(|m| {
                        let kind = m.kind;
                        let n = m.transactions;
                        view! {
                            <tr>
                                <th scope="row">{m.period.clone()}</th>
                                <td>{m.version} " · " {move || lang().cost_model_kind(kind)}</td>
                                <td class="num">{f(&m.total_cost)}</td>
                                <td class="num">{move || lang().count(n)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </DataTable>
            </div>
        </section>
    }
}

/// What the recording forms hold, kept by the page so that refreshing the
/// ledger after a save does not lose what was typed or the last message.
#[derive(Clone, Copy)]
struct RecordState {
    entry: RwSignal<CostEntryParams>,
    volume: RwSignal<VolumeEntryParams>,
    message: RwSignal<Option<Result<String, String>>>,
    upload_result: RwSignal<Option<UploadOutcome>>,
}

/// What an upload said: rows imported, or the refusal and each bad line.
type UploadOutcome = Result<String, AppError>;

impl RecordState {
    /// Empty forms for `period` (their month, when it is one).
    fn new(period: &str) -> Self {
        let month = Period::parse(period)
            .ok()
            .filter(|p| p.kind() == crate::domain::PeriodKind::Month)
            .map(|p| p.to_string())
            .unwrap_or_default();
        RecordState {
            entry: RwSignal::new(CostEntryParams {
                period: month.clone(),
                kind: CostKind::Actual,
                category: CostCategory::Staff,
                amount: String::new(),
                organisation_id: 0,
            }),
            volume: RwSignal::new(VolumeEntryParams {
                period: month,
                channel: Channel::InPerson,
                organisation_id: 0,
                count: 0,
                service_id: None,
                meeting_standard: None,
            }),
            message: RwSignal::new(None),
            upload_result: RwSignal::new(None),
        }
    }
}

#[component]
fn Recording(
    id: i32,
    l: LedgerView,
    refresh: RwSignal<u32>,
    state: RecordState,
    name_of: Callback<i32, String>,
    services: Vec<ServiceView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let services = StoredValue::new(services);
    if l.may_record_for.is_empty() {
        return ().into_any();
    }
    let orgs = l.may_record_for;
    let first = orgs.first().copied().unwrap_or_default();
    let RecordState {
        entry,
        volume,
        message,
        upload_result,
    } = state;
    // The forms name a party the caller may record for.
    if !orgs.contains(&entry.with_untracked(|e| e.organisation_id)) {
        entry.update_untracked(|e| e.organisation_id = first);
    }
    if !orgs.contains(&volume.with_untracked(|v| v.organisation_id)) {
        volume.update_untracked(|v| v.organisation_id = first);
    }
    let add_entry = Action::new(move |p: &CostEntryParams| record_cost(id, p.clone()));
    let add_volume = Action::new(move |p: &VolumeEntryParams| record_volume(id, p.clone()));
    Effect::new(move |_| {
        if let Some(r) = add_entry.value().get() {
            match r {
                Ok(_) => {
                    message.set(Some(Ok(t().entry_recorded.to_owned())));
                    entry.update(|e| e.amount.clear());
                    refresh.update(|n| *n += 1);
                }
                Err(e) => message.set(Some(Err(error_text(&e)))),
            }
        }
    });
    Effect::new(move |_| {
        if let Some(r) = add_volume.value().get() {
            match r {
                Ok(_) => {
                    message.set(Some(Ok(t().volume_recorded.to_owned())));
                    refresh.update(|n| *n += 1);
                }
                Err(e) => message.set(Some(Err(error_text(&e)))),
            }
        }
    });

    let upload_kind = RwSignal::new("cost-entries".to_owned());
    let uploading = RwSignal::new(false);
    let file_input = NodeRef::<leptos::html::Input>::new();
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        upload_result.set(None);
        #[cfg(feature = "hydrate")]
        {
            let Some(file) = file_input
                .get()
                .and_then(|i| i.files())
                .and_then(|f| f.get(0))
            else {
                upload_result.set(Some(Err(AppError::invalid(t().choose_file))));
                return;
            };
            let url = format!(
                "/api/v1/agreements/{id}/{}/import",
                upload_kind.get_untracked()
            );
            uploading.set(true);
            leptos::task::spawn_local(async move {
                let r = crate::ui::components::imported(
                    crate::ui::components::upload_csv(url, file).await,
                );
                uploading.set(false);
                upload_result.set(Some(r.map(|n| {
                    refresh.update(|n| *n += 1);
                    format!("{n} {}", t().rows_imported)
                })));
            });
        }
    };
    let org_options = move |selected: Signal<i32>| {
        orgs.iter()
            .copied()
            .map(|o| view! { <option value=o.to_string() selected=move || selected.get() == o>{name_of.run(o)}</option> })
            .collect_view()
    };
    let org_options2 = org_options.clone();

    view! {
        <section aria-labelledby="h-record" class="no-print">
            <h2 id="h-record">{move || t().record_title}</h2>
            {move || message.get().map(|m| match m {
                Ok(s) => view! { <p class="success" role="status">{s}</p> }.into_any(),
                Err(e) => view! { <p class="error" role="alert" data-testid="record-error">{e}</p> }.into_any(),
            })}
            <div class="two-col">
                <form class="stack" data-testid="entry-form" on:submit=move |ev| { ev.prevent_default(); message.set(None); add_entry.dispatch(entry.get_untracked()); }>
                    <h3>{move || t().cost_entry}</h3>
                    <div class="field">
                        <label for="e-period">{move || t().period_label}</label>
                        <input id="e-period" type="text" placeholder="2026-10" required
                            prop:value=move || entry.with(|e| e.period.clone())
                            on:input=move |ev| entry.update(|e| e.period = event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for="e-kind">{move || t().col_kind}</label>
                        <select id="e-kind" on:change=move |ev| { if let Ok(k) = event_target_value(&ev).parse() { entry.update(|e| e.kind = k) } }>
                            {CostKind::ALL.iter().copied().map(|k| view! {
                                <option value=k.as_str() selected=move || entry.with(|e| e.kind == k)>{move || lang().cost_kind(k)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="e-category">{move || t().col_category}</label>
                        <select id="e-category" on:change=move |ev| { if let Ok(c) = event_target_value(&ev).parse() { entry.update(|e| e.category = c) } }>
                            {CostCategory::ALL.iter().copied().map(|c| view! {
                                <option value=c.as_str() selected=move || entry.with(|e| e.category == c)>{move || lang().cost_category(c)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="e-amount">{move || t().amount}</label>
                        <input id="e-amount" type="text" inputmode="decimal" required
                            prop:value=move || entry.with(|e| e.amount.clone())
                            on:input=move |ev| entry.update(|e| e.amount = event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for="e-org">{move || t().col_organisation}</label>
                        <select id="e-org" on:change=move |ev| { if let Ok(o) = event_target_value(&ev).parse() { entry.update(|e| e.organisation_id = o) } }>
                            {org_options(Signal::derive(move || entry.with(|e| e.organisation_id)))}
                        </select>
                    </div>
                    <button type="submit" class="primary" disabled=move || add_entry.pending().get()>{move || t().record_entry}</button>
                </form>
                <form class="stack" data-testid="volume-form" on:submit=move |ev| { ev.prevent_default(); message.set(None); add_volume.dispatch(volume.get_untracked()); }>
                    <h3>{move || t().volume_entry}</h3>
                    <div class="field">
                        <label for="v-period">{move || t().col_month}</label>
                        <input id="v-period" type="text" placeholder="2026-10" required
                            prop:value=move || volume.with(|v| v.period.clone())
                            on:input=move |ev| volume.update(|v| v.period = event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for="v-channel">{move || t().col_channel}</label>
                        <select id="v-channel" on:change=move |ev| { if let Ok(c) = event_target_value(&ev).parse() { volume.update(|v| v.channel = c) } }>
                            {Channel::ALL.iter().copied().map(|c| view! {
                                <option value=c.as_str() selected=move || volume.with(|v| v.channel == c)>{move || lang().channel(c)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="v-org">{move || t().on_behalf_of}</label>
                        <select id="v-org" on:change=move |ev| { if let Ok(o) = event_target_value(&ev).parse() { volume.update(|v| v.organisation_id = o) } }>
                            {org_options2(Signal::derive(move || volume.with(|v| v.organisation_id)))}
                        </select>
                    </div>
                    <div class="field">
                        <label for="v-count">{move || t().col_transactions}</label>
                        <input id="v-count" type="number" min="0" step="1" required
                            prop:value=move || volume.with(|v| v.count.to_string())
                            on:input=move |ev| { if let Ok(n) = event_target_value(&ev).parse() { volume.update(|v| v.count = n) } } />
                    </div>
                    <div class="field">
                        <label for="v-service">{move || t().col_service}</label>
                        <select id="v-service" on:change=move |ev| {
                            let id = event_target_value(&ev).parse::<i32>().ok();
                            volume.update(|v| { v.service_id = id; if id.is_none() { v.meeting_standard = None; } });
                        }>
                            <option value="" selected=move || volume.with(|v| v.service_id.is_none())>{move || t().no_service}</option>
                            {move || {
                                let channel = volume.with(|v| v.channel);
                                services.with_value(|list| list.iter().filter(|s| s.channels.contains(&channel)).map(|s| {
                                    let sid = s.id;
                                    let label = format!("{} · {}", s.code, lang().pick_text(&s.name, s.name_fr.as_deref()));
                                    view! { <option value=sid.to_string() selected=move || volume.with(|v| v.service_id == Some(sid))>{label}</option> }
                                }).collect_view())
                            }}
                        </select>
                    </div>
                    <div class="field">
                        <label for="v-meeting">{move || t().meeting_standard}</label>
                        <input id="v-meeting" type="number" min="0" step="1" aria-describedby="v-meeting-hint"
                            disabled=move || volume.with(|v| v.service_id.is_none())
                            prop:value=move || volume.with(|v| v.meeting_standard.map(|m| m.to_string()).unwrap_or_default())
                            on:input=move |ev| { let m = event_target_value(&ev).trim().parse().ok(); volume.update(|v| v.meeting_standard = m) } />
                        <span id="v-meeting-hint" class="hint">{move || t().meeting_standard_hint}</span>
                    </div>
                    <button type="submit" class="primary" disabled=move || add_volume.pending().get()>{move || t().record_volume}</button>
                </form>
            </div>
            <form class="stack upload" data-testid="upload-form" on:submit=send>
                <h3>{move || t().upload_title}</h3>
                <p class="note">{move || t().upload_intro}</p>
                <div class="inline-form">
                    <div class="field">
                        <label for="u-kind">{move || t().upload_what}</label>
                        <select id="u-kind" on:change=move |ev| upload_kind.set(event_target_value(&ev))>
                            <option value="cost-entries">{move || t().cost_entries}</option>
                            <option value="volumes">{move || t().volumes}</option>
                        </select>
                    </div>
                    <div class="field">
                        <label for="u-file">{move || t().csv_file}</label>
                        <input id="u-file" type="file" accept=".csv,text/csv" node_ref=file_input />
                    </div>
                    <button type="submit" class="secondary" disabled=move || uploading.get()>{move || if uploading.get() { t().uploading } else { t().upload }}</button>
                </div>
                {move || upload_result.get().map(|r| match r {
                    Ok(s) => view! { <p class="success" role="status" data-testid="upload-ok">{s}</p> }.into_any(),
                    Err(e) => view! {
                        <div class="error-summary" role="alert" data-testid="upload-errors">
                            <h4>{e.message.clone()}</h4>
                            <ul>{e.details.iter().map(|d| view! { <li>{d.describe()}</li> }).collect_view()}</ul>
                        </div>
                    }.into_any(),
                })}
            </form>
        </section>
    }
    .into_any()
}

#[component]
fn Ledger(
    id: i32,
    l: LedgerView,
    refresh: RwSignal<u32>,
    fmt: Callback<String, String>,
    name_of: Callback<i32, String>,
    services: Vec<ServiceView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let codes: BTreeMap<i32, String> = services.into_iter().map(|s| (s.id, s.code)).collect();
    let may = StoredValue::new(l.may_record_for.clone());
    let can = move |org: i32| may.with_value(|m| m.contains(&org));
    let error = RwSignal::new(None::<String>);
    let drop_entry = Action::new(move |e: &i32| remove_cost_entry(id, *e));
    let drop_volume = Action::new(move |v: &i32| remove_volume(id, *v));
    Effect::new(move |_| {
        for r in [drop_entry.value().get(), drop_volume.value().get()]
            .into_iter()
            .flatten()
        {
            match r {
                Ok(()) => refresh.update(|n| *n += 1),
                Err(e) => error.set(Some(error_text(&e))),
            }
        }
    });
    let (entries_count, volumes_count) = (l.entries.len(), l.volumes.len());
    view! {
        <section aria-labelledby="h-ledger">
            <h2 id="h-ledger">{move || t().ledger_title}</h2>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <div class="stack">
                <DataTable columns=vec![col(|m| m.period_label), col(|m| m.col_kind), col(|m| m.col_category), col(|m| m.col_organisation), num(|m| m.amount), action(|m| m.delete)] testid="entries"
                    empty=|m| m.no_cost_entries is_empty=l.entries.is_empty()
                    caption=move || view! { {move || t().cost_entries} " (" {entries_count} ")" }>
                    {l.entries.iter().map(|e| {
                        let (kind, cat, eid, org) = (e.kind, e.category, e.id, e.organisation_id);
                        view! {
                            <tr>
                                <td class="nowrap">{e.period.clone()}</td>
                                <td>{move || lang().cost_kind(kind)}</td>
                                <td>{move || lang().cost_category(cat)}</td>
                                <td>{name_of.run(org)}</td>
                                <td class="num">{fmt.run(e.amount.clone())}</td>
                                <td class="no-print">{can(org).then(|| view! {
                                    <button type="button" class="link" on:click=move |_| { drop_entry.dispatch(eid); }>{move || t().delete}</button>
                                })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </DataTable>
                <DataTable columns=vec![col(|m| m.col_month), col(|m| m.col_channel), col(|m| m.on_behalf_of), col(|m| m.col_service), num(|m| m.col_transactions), num(|m| m.meeting_standard), action(|m| m.delete)] testid="volumes"
                    empty=|m| m.no_volumes is_empty=l.volumes.is_empty()
                    caption=move || view! { {move || t().volumes} " (" {volumes_count} ")" }>
                    {l.volumes.iter().map(|v| {
                        let (ch, vid, org, n) = (v.channel, v.id, v.organisation_id, v.count);
                        // A service since removed from the terms shows its inventory id.
                        let service = v.service_id.map(|s| codes.get(&s).cloned().unwrap_or_else(|| format!("#{s}")));
                        let meeting = v.meeting_standard;
                        view! {
                            <tr>
                                <td class="nowrap">{v.period.clone()}</td>
                                <td>{move || lang().channel(ch)}</td>
                                <td>{name_of.run(org)}</td>
                                <td class="nowrap">{service}</td>
                                <td class="num">{move || lang().count(n)}</td>
                                <td class="num">{move || meeting.map(|m| lang().count(m))}</td>
                                <td class="no-print">{can(org).then(|| view! {
                                    <button type="button" class="link" on:click=move |_| { drop_volume.dispatch(vid); }>{move || t().delete}</button>
                                })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </DataTable>
            </div>
        </section>
    }
}
