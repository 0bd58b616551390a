//! An agreement's compliance: a heatmap of commitments × periods coloured by
//! status (with a symbol, and the value on hover and focus), filters by
//! year, party, KPI and channel, each commitment's error budget, every
//! revision of a period on demand, and a CSV export.

use crate::domain::{Channel, Frequency};
use crate::i18n::use_i18n;
use crate::server_fns::agreements::get_agreement;
use crate::server_fns::reports::{agreement_compliance, report_revisions};
use crate::ui::components::{DataTable, LoadError, Loading, TableRegion, Translated, col, num};
use crate::ui::components::{PageTitle, PrintHead};
use crate::ui::pages::not_found::NotFound;
use crate::ui::pages::reporting::status_label;
use crate::wire::agreements::{AgreementView, CommitmentView};
use crate::wire::error::AppError;
use crate::wire::reports::{ComplianceItem, ComplianceView};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use std::collections::{BTreeMap, BTreeSet};

#[component]
pub fn CompliancePage() -> impl IntoView {
    let id = super::agreement_id();
    let agreement = Resource::new(id, get_agreement);
    let compliance = Resource::new(id, agreement_compliance);
    let perms = Resource::new(id, crate::server_fns::negotiation::agreement_permissions);
    // Created here, not in the form, so the browser finds them where the
    // server rendered them.
    let kpis = Resource::new(|| (), |_| crate::server_fns::admin::list_kpis());
    let selected = RwSignal::new(None::<(i32, String)>);
    let revisions: RevisionsResource = Resource::new(
        move || selected.get(),
        |s| async move {
            match s {
                Some((c, p)) => report_revisions(c, p).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <Suspense fallback=Loading>
            {move || match (agreement.get(), compliance.get()) {
                (Some(Ok(Some(a))), Some(Ok(c))) => {
                    let may_edit = perms.get().and_then(Result::ok).is_some_and(|p| p.edit);
                    let catalogue = kpis.get().and_then(Result::ok).unwrap_or_default();
                    let form = may_edit.then(|| view! { <CommitmentForm a=a.clone() kpis=catalogue /> });
                    view! { <Heatmap a c selected revisions /> {form} }.into_any()
                }
                (Some(Ok(None)), _) => view! { <NotFound /> }.into_any(),
                (Some(Err(_)), _) | (_, Some(Err(_))) => view! { <LoadError /> }.into_any(),
                _ => view! { <Loading /> }.into_any(),
            }}
        </Suspense>
    }
}

type RevisionsResource =
    Resource<Result<Option<Vec<crate::wire::reports::RevisionView>>, AppError>>;

/// The filters, read from and written to the URL.
#[derive(Clone, Debug, PartialEq, Default)]
struct Filters {
    year: String,
    party: Option<i32>,
    kpi: Option<String>,
    channel: Option<Channel>,
}

#[component]
fn Heatmap(
    a: AgreementView,
    c: ComplianceView,
    selected: RwSignal<Option<(i32, String)>>,
    revisions: RevisionsResource,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let id = a.id;
    let query = use_query_map();
    let navigate = use_navigate();
    let years: Vec<String> = c
        .items
        .iter()
        .map(|i| i.period[..4].to_owned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .rev()
        .collect();
    let latest_year = years.first().cloned().unwrap_or_default();
    let filters = Memo::new(move |_| {
        let q = query.read();
        Filters {
            year: q.get("year").unwrap_or_else(|| latest_year.clone()),
            party: q.get("party").and_then(|p| p.parse().ok()),
            kpi: q.get("kpi").filter(|k| !k.is_empty()),
            channel: q.get("channel").and_then(|c| c.parse().ok()),
        }
    });
    let set = move |key: &'static str, value: String| {
        let mut q = query.get_untracked();
        if value.is_empty() {
            q.remove(key);
        } else {
            q.replace(key, value);
        }
        navigate(
            &format!("/agreements/{id}/compliance{}", q.to_query_string()),
            leptos_router::NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    };
    let set = StoredValue::new(set);
    let parties: Vec<(i32, String)> = a
        .parties
        .iter()
        .map(|p| {
            (
                p.organisation_id,
                lang().pick_text(&p.name, p.name_fr.as_deref()).to_owned(),
            )
        })
        .collect();
    let party_list = StoredValue::new(parties.clone());
    let party_name = move |org: i32| {
        party_list.with_value(|ps| {
            ps.iter()
                .find(|(o, _)| *o == org)
                .map_or_else(|| org.to_string(), |(_, n)| n.clone())
        })
    };
    let kpis: Vec<(String, String)> = a
        .commitments
        .iter()
        .map(|c| {
            (
                c.kpi.clone(),
                lang()
                    .pick_text(&c.kpi_name, c.kpi_name_fr.as_deref())
                    .to_owned(),
            )
        })
        .collect::<BTreeMap<_, _>>()
        .into_iter()
        .collect();
    let items = StoredValue::new(c.items.clone());
    let budgets = c.error_budgets;
    let commitments = StoredValue::new(a.commitments.clone());
    let visible = move |c: &CommitmentView, f: &Filters| {
        f.party.is_none_or(|p| p == c.organisation_id)
            && f.kpi.as_ref().is_none_or(|k| *k == c.kpi)
            && f.channel.is_none_or(|ch| Some(ch) == c.channel)
    };
    let grid = move |frequency: Frequency| {
        let f = filters.get();
        let rows: Vec<CommitmentView> = commitments.with_value(|cs| {
            cs.iter()
                .filter(|c| c.frequency == frequency && visible(c, &f))
                .cloned()
                .collect()
        });
        if rows.is_empty() {
            return ().into_any();
        }
        let cells: Vec<ComplianceItem> = items.with_value(|is| {
            is.iter()
                .filter(|i| i.period.starts_with(&f.year))
                .cloned()
                .collect()
        });
        let periods: Vec<String> = cells
            .iter()
            .filter(|i| rows.iter().any(|c| c.id == i.commitment_id))
            .map(|i| i.period.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        view! {
            <TableRegion>
                <table class="heatmap" data-testid=format!("heatmap-{}", frequency.as_str())>
                    <caption>{move || lang().frequency(frequency)} " · " {f.year}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || t().col_commitment}</th>
                            {periods.iter().map(|p| view! { <th scope="col" class="period">{p.clone()}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|c| {
                            let name = view! { <Translated en=c.kpi_name.clone() fr=c.kpi_name_fr.clone() /> };
                            let who = party_name(c.organisation_id);
                            let channel = c.channel;
                            view! {
                                <tr data-commitment=c.id.to_string()>
                                    <th scope="row" class="commitment">
                                        {name} {channel.map(|ch| view! { " · " {move || lang().channel(ch)} })}
                                        <span class="muted">" — " {who} " · " {move || t().col_target} " " {c.target.clone()}</span>
                                    </th>
                                    {periods.iter().map(|p| {
                                        let cell = cells.iter().find(|i| i.commitment_id == c.id && i.period == *p).cloned();
                                        match cell {
                                            None => view! { <td class="cell none"></td> }.into_any(),
                                            Some(i) => {
                                                let (symbol, word) = status_label(lang(), i.status);
                                                let value = i.value.clone().unwrap_or_else(|| "—".into());
                                                let label = format!("{}: {} {} ({} {}) — {}", i.period, t().col_value, value, t().col_target, i.target, word);
                                                let key = (i.commitment_id, i.period.clone());
                                                view! {
                                                    <td class=format!("cell status-{}", i.status.as_str())>
                                                        <button type="button" class="cell-button" title=label.clone() aria-label=label
                                                            data-status=i.status.as_str()
                                                            on:click=move |_| selected.set(Some(key.clone()))>{symbol}</button>
                                                    </td>
                                                }.into_any()
                                            }
                                        }
                                    }).collect_view()}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </TableRegion>
        }
        .into_any()
    };
    let legend = [
        crate::domain::compliance::Status::Met,
        crate::domain::compliance::Status::AtRisk,
        crate::domain::compliance::Status::Breached,
        crate::domain::compliance::Status::Missing,
        crate::domain::compliance::Status::Pending,
    ];
    let budget_rows = {
        move || {
            let f = filters.get();
            budgets
                .iter()
                .filter(|b| b.year.contains(&f.year))
                .filter_map(|b| {
                    commitments.with_value(|cs| cs.iter().find(|c| c.id == b.commitment_id).cloned())
                        .filter(|c| visible(c, &f))
                        .map(|c| (b.clone(), c))
                })
                .map(|(b, c)| {
                    let name = view! { <Translated en=c.kpi_name.clone() fr=c.kpi_name_fr.clone() /> };
                    view! {
                        <tr class=if b.exhausted { "exhausted" } else { "" }>
                            <th scope="row">{name} <span class="muted">" — " {party_name(c.organisation_id)}</span></th>
                            <td>{b.year.clone()}</td>
                            <td class="num">{b.allowed}</td>
                            <td class="num">{b.spent}</td>
                            <td class="num">{b.remaining}</td>
                            <td>{if b.exhausted { t().budget_lost } else { t().budget_ok }}</td>
                        </tr>
                    }
                })
                .collect_view()
        }
    };
    let title = view! { <Translated en=a.title.clone() fr=a.title_fr.clone() /> };
    let reference = a.reference.clone();
    view! {
        <PageTitle text=move |l| format!("{} — {}", l.t().compliance_title, reference) />
        <PrintHead reference=a.reference.clone() />
        <p class="breadcrumb no-print"><A href=format!("/agreements/{id}")>{move || t().back_to_agreement}</A></p>
        <h1>{move || t().compliance_title}</h1>
        <p class="lede">{a.reference} " · " {title}</p>
        <form class="inline-form filters no-print" on:submit=|ev| ev.prevent_default()>
            <div class="field">
                <label for="f-year">{move || t().year}</label>
                <select id="f-year" on:change=move |ev| set.with_value(|s| s("year", event_target_value(&ev)))>
                    {years.iter().map(|y| {
                        let (y1, y2, y3) = (y.clone(), y.clone(), y.clone());
                        view! { <option value=y1 selected=move || filters.with(|f| f.year == y2)>{y3}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="f-party">{move || t().col_organisation}</label>
                <select id="f-party" on:change=move |ev| set.with_value(|s| s("party", event_target_value(&ev)))>
                    <option value="">{move || t().all}</option>
                    {parties.iter().map(|(o, n)| {
                        let o = *o;
                        view! { <option value=o.to_string() selected=move || filters.with(|f| f.party == Some(o))>{n.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="f-kpi">{move || t().col_kpi}</label>
                <select id="f-kpi" on:change=move |ev| set.with_value(|s| s("kpi", event_target_value(&ev)))>
                    <option value="">{move || t().all}</option>
                    {kpis.iter().map(|(code, name)| {
                        let code2 = code.clone();
                        view! { <option value=code.clone() selected=move || filters.with(|f| f.kpi.as_deref() == Some(code2.as_str()))>{name.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="f-channel">{move || t().col_channel}</label>
                <select id="f-channel" on:change=move |ev| set.with_value(|s| s("channel", event_target_value(&ev)))>
                    <option value="">{move || t().all}</option>
                    {Channel::ALL.iter().copied().map(|ch| view! {
                        <option value=ch.as_str() selected=move || filters.with(|f| f.channel == Some(ch))>{move || lang().channel(ch)}</option>
                    }).collect_view()}
                </select>
            </div>
            <a class="button secondary" href=format!("/api/v1/agreements/{id}/compliance.csv") download="">{move || t().download_csv}</a>
            <a class="button secondary" href=format!("/api/v1/agreements/{id}/export/openslo") download="">{move || t().export_openslo}</a>
        </form>
        <ul class="legend" aria-label=move || t().legend>
            {legend.into_iter().map(|s| {
                let (symbol, word) = status_label(lang(), s);
                view! { <li><span class=format!("status-chip status-{}", s.as_str())>{symbol}</span> " " {word}</li> }
            }).collect_view()}
        </ul>
        {move || grid(Frequency::Monthly)}
        {move || grid(Frequency::Quarterly)}
        {move || grid(Frequency::Annual)}
        <Transition>
            {move || revisions.get().map(|r| match r {
                Ok(Some(list)) => {
                    let (c, p) = selected.get_untracked().unwrap_or_default();
                    let c = commitments.with_value(|cs| {
                        cs.iter().find(|x| x.id == c).map_or_else(
                            || c.to_string(),
                            |x| lang().pick_text(&x.kpi_name, x.kpi_name_fr.as_deref()).to_owned(),
                        )
                    });
                    view! {
                        <section aria-labelledby="h-revisions" data-testid="revisions">
                            <h2 id="h-revisions">{move || t().revisions_title} " — " {c} " · " {p}</h2>
                            {if list.is_empty() {
                                view! { <p>{move || t().no_report}</p> }.into_any()
                            } else {
                                view! {
                                    <DataTable columns=vec![col(|m| m.revision), num(|m| m.col_value), num(|m| m.numerator), num(|m| m.denominator), num(|m| m.col_transactions), col(|m| m.attestation), col(|m| m.submitted)]>
                                        {list.into_iter().enumerate().map(|(n, r)| view! {
                                            <tr class=if n == 0 { "latest" } else { "superseded" }>
                                                <th scope="row">{r.revision} {(n > 0).then(|| view! { " " <span class="muted">{move || t().superseded}</span> })}</th>
                                                <td class="num">{r.value.unwrap_or_default()}</td>
                                                <td class="num">{r.numerator.unwrap_or_default()}</td>
                                                <td class="num">{r.denominator.unwrap_or_default()}</td>
                                                <td class="num">{r.volume.map(|v| v.to_string()).unwrap_or_default()}</td>
                                                <td>{r.comment.unwrap_or_default()}</td>
                                                <td>{r.submitted_by.unwrap_or_default()} " · " {r.submitted_at}</td>
                                            </tr>
                                        }).collect_view()}
                                    </DataTable>
                                }.into_any()
                            }}
                        </section>
                    }.into_any()
                }
                Ok(None) => ().into_any(),
                Err(e) => view! { <p class="error" role="alert">{crate::ui::auth::error_text(&e)}</p> }.into_any(),
            })}
        </Transition>
        <section aria-labelledby="h-budgets">
            <h2 id="h-budgets">{move || t().error_budgets}</h2>
            <p class="note">{move || t().error_budget_intro}</p>
            <DataTable
                columns=vec![col(|m| m.col_commitment), col(|m| m.year), num(|m| m.budget_allowed), num(|m| m.budget_spent), num(|m| m.budget_remaining), col(|m| m.status_label)]
                testid="budgets"
            >
                {budget_rows}
            </DataTable>
        </section>
    }
}

/// Adds a commitment to the agreement (managers of a party): saved as the
/// next version, for every party to approve.
#[component]
#[allow(clippy::needless_pass_by_value)] // component props are owned
pub fn CommitmentForm(a: AgreementView, kpis: Vec<crate::wire::admin::KpiView>) -> impl IntoView {
    use crate::server_fns::reports::{add_commitment, update_commitment};
    use crate::wire::reports::{CommitmentParams, Num};
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let id = a.id;
    let org = RwSignal::new(a.parties.first().map_or(0, |p| p.organisation_id));
    let kpi = RwSignal::new(String::new());
    let target = RwSignal::new(String::new());
    let band = RwSignal::new(String::new());
    let channel = RwSignal::new(String::new());
    let service = RwSignal::new(String::new());
    let frequency = RwSignal::new(Frequency::Monthly);
    let grace = RwSignal::new("15".to_owned());
    let from = RwSignal::new(
        a.starts_on
            .max(crate::clock::today())
            .min(a.ends_on)
            .to_string(),
    );
    let misses = RwSignal::new(String::new());
    let message = RwSignal::new(None::<Result<String, String>>);
    // The commitment being changed, or `None` for a new one.
    let editing = RwSignal::new(None::<i32>);
    let existing = StoredValue::new(a.commitments.clone());
    let pick = move |value: String| {
        let chosen = value.parse::<i32>().ok();
        editing.set(chosen);
        if let Some(c) =
            chosen.and_then(|c| existing.with_value(|cs| cs.iter().find(|x| x.id == c).cloned()))
        {
            org.set(c.organisation_id);
            kpi.set(c.kpi.clone());
            target.set(c.target.clone());
            band.set(c.warning_band.clone().unwrap_or_default());
            channel.set(
                c.channel
                    .map(|ch| ch.as_str().to_owned())
                    .unwrap_or_default(),
            );
            service.set(c.service.clone().unwrap_or_default());
            frequency.set(c.frequency);
            grace.set(c.grace_days.to_string());
            from.set(c.effective_from.to_string());
            misses.set(c.allowed_misses.map(|m| m.to_string()).unwrap_or_default());
        }
    };
    let save = Action::new(move |(which, p): &(Option<i32>, CommitmentParams)| {
        let (which, p) = (*which, p.clone());
        async move {
            match which {
                Some(c) => update_commitment(id, c, p).await,
                None => add_commitment(id, p).await,
            }
        }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => {
            let text = if editing.get_untracked().is_some() {
                t().commitment_changed
            } else {
                t().commitment_added
            };
            message.set(Some(Ok(text.to_owned())));
            if editing.get_untracked().is_none() {
                target.set(String::new());
                band.set(String::new());
            }
        }
        Some(Err(e)) => message.set(Some(Err(crate::ui::auth::error_text(&e)))),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(effective_from) =
            chrono::NaiveDate::parse_from_str(&from.get_untracked(), "%Y-%m-%d")
        else {
            message.set(Some(Err(t().date_needed.to_owned())));
            return;
        };
        let text = |s: RwSignal<String>| {
            Some(s.get_untracked().trim().to_owned()).filter(|s| !s.is_empty())
        };
        save.dispatch((
            editing.get_untracked(),
            CommitmentParams {
                organisation_id: org.get_untracked(),
                kpi: kpi.get_untracked(),
                target: Num::Text(target.get_untracked()),
                warning_band: text(band).map(Num::Text),
                channel: channel.get_untracked().parse().ok(),
                service: text(service),
                frequency: frequency.get_untracked(),
                grace_days: grace.get_untracked().trim().parse().ok(),
                effective_from,
                effective_to: None,
                allowed_misses: text(misses).and_then(|m| m.parse().ok()),
                version: None,
                change_summary: None,
                terms_effective_from: None,
            },
        ));
    };
    let parties: Vec<(i32, String)> = a
        .parties
        .iter()
        .map(|p| {
            (
                p.organisation_id,
                lang().pick_text(&p.name, p.name_fr.as_deref()).to_owned(),
            )
        })
        .collect();
    view! {
            <section aria-labelledby="h-add-commitment" class="no-print">
                <h2 id="h-add-commitment">{move || t().add_commitment}</h2>
                <p class="note">{move || t().add_commitment_intro}</p>
                <form class="grid-form" on:submit=submit data-testid="commitment-form">
                    <div class="field wide">
                        <label for="c-which">{move || t().commitment_to_change}</label>
                        <select id="c-which" on:change=move |ev| pick(event_target_value(&ev))>
                            <option value="">{move || t().new_commitment}</option>
                            {a.commitments.iter().map(|c| {
                                let cid = c.id;
                                let label = format!("#{} {} — {}", c.id, lang().pick_text(&c.kpi_name, c.kpi_name_fr.as_deref()), c.target);
                                view! { <option value=cid.to_string() selected=move || editing.get() == Some(cid)>{label}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="c-org">{move || t().responsible_party}</label>
                        <select id="c-org" disabled=move || editing.get().is_some() on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse() { org.set(v) } }>
                            {parties.into_iter().map(|(o, n)| view! { <option value=o.to_string() selected=move || org.get() == o>{n}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="c-kpi">{move || t().col_kpi}</label>
                        <select id="c-kpi" required disabled=move || editing.get().is_some() on:change=move |ev| kpi.set(event_target_value(&ev))>
                            <option value="">"—"</option>
    {kpis.into_iter().map(|k| {
                                let code = k.code.clone();
                                let code2 = k.code.clone();
                                view! { <option value=code selected=move || kpi.get() == code2>{move || lang().pick_text(&k.name, k.name_fr.as_deref()).to_owned()}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="c-target">{move || t().col_target}</label>
                        <input id="c-target" type="text" inputmode="decimal" required prop:value=move || target.get() on:input=move |ev| target.set(event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for="c-band">{move || t().warning_band}</label>
                        <input id="c-band" type="text" inputmode="decimal" prop:value=move || band.get() on:input=move |ev| band.set(event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for="c-channel">{move || t().col_channel}</label>
                        <select id="c-channel" on:change=move |ev| channel.set(event_target_value(&ev))>
                            <option value="">{move || t().all}</option>
                            {Channel::ALL.iter().copied().map(|ch| view! { <option value=ch.as_str() selected=move || channel.get() == ch.as_str()>{move || lang().channel(ch)}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="c-service">{move || t().col_service}</label>
                        <select id="c-service" data-testid="commitment-service" on:change=move |ev| service.set(event_target_value(&ev))>
                            <option value="">{move || t().all}</option>
                            {a.services.iter().map(|s| {
                                let (code, chosen) = (s.code.clone(), s.code.clone());
                                let (name, name_fr, shown) = (s.name.clone(), s.name_fr.clone(), s.code.clone());
                                view! { <option value=code selected=move || service.get() == chosen>{move || format!("{shown} — {}", lang().pick_text(&name, name_fr.as_deref()))}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="c-frequency">{move || t().col_frequency}</label>
                        <select id="c-frequency" on:change=move |ev| { if let Ok(f) = event_target_value(&ev).parse() { frequency.set(f) } }>
                            {Frequency::ALL.iter().copied().map(|f| view! { <option value=f.as_str() selected=move || frequency.get() == f>{move || lang().frequency(f)}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="c-grace">{move || t().grace_days}</label>
                        <input id="c-grace" type="number" min="0" max="365" prop:value=move || grace.get() on:input=move |ev| grace.set(event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for="c-from">{move || t().effective_from}</label>
                        <input id="c-from" type="date" required prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for="c-misses">{move || t().allowed_misses}</label>
                        <input id="c-misses" type="number" min="0" placeholder=move || t().allowed_misses_default prop:value=move || misses.get() on:input=move |ev| misses.set(event_target_value(&ev)) />
                    </div>
                    <div class="form-actions">
                        <button type="submit" class="primary" disabled=move || save.pending().get()>{move || if editing.get().is_some() { t().save_commitment } else { t().add_commitment }}</button>
                    </div>
                </form>
                {move || message.get().map(|m| match m {
                    Ok(s) => view! { <p class="success" role="status">{s}</p> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                })}
            </section>
        }
}
