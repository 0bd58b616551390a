//! One agreement: its terms, parties, the boundaries it crosses, services,
//! life events, barriers, governance, cost sharing and commitments.

use crate::domain::{AgreementStatus, OnlineStage};
use crate::i18n::use_i18n;
use crate::server_fns::agreements::get_agreement;
use crate::ui::components::{DataTable, LoadError, Loading, Section, StatusBadge, col, num};
use crate::ui::components::{PageTitle, PrintHead, Translated};
use crate::ui::pages::not_found::NotFound;
use crate::ui::pages::services::{fee_text, percent_text, stages_text};
use crate::wire::agreements::AgreementView;
use crate::wire::error::AppError;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn AgreementPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i32>().ok());
    let agreement = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_agreement(id).await,
            None => Ok(None),
        }
    });
    // Created at the page's top level (not inside the Suspense) so the
    // browser finds them where the server rendered them.
    let perms = Resource::new(id, |id| async move {
        crate::server_fns::negotiation::agreement_permissions(id.unwrap_or_default()).await
    });
    let comments = Resource::new(id, |id| async move {
        crate::server_fns::negotiation::list_comments(id.unwrap_or_default()).await
    });
    provide_context(PanelData { perms, comments });
    view! {
        <Suspense fallback=Loading>
            {move || {
                agreement
                    .get()
                    .map(|r| match r {
                        Err(_) => view! { <LoadError /> }.into_any(),
                        Ok(None) => view! { <NotFound /> }.into_any(),
                        Ok(Some(a)) => view! { <AgreementDetail a /> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

#[component]
fn AgreementDetail(a: AgreementView) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let (title_en, title_fr) = (a.title.clone(), a.title_fr.clone());
    let a = StoredValue::new(a);
    let v = a.get_value();
    let party_name = party_name_in(a);

    // Each propagation term beside its life event's names.
    let propagation: Vec<_> = v
        .propagation
        .iter()
        .map(|p| {
            let event = v
                .life_events
                .iter()
                .find(|e| e.code == p.life_event)
                .cloned();
            (p.clone(), event)
        })
        .collect();
    // Each commitment's service (code, and names when the terms have it).
    let service_names: std::collections::HashMap<String, (String, Option<String>)> = v
        .services
        .iter()
        .map(|s| (s.code.clone(), (s.name.clone(), s.name_fr.clone())))
        .collect();
    view! {
        <PageTitle text=move |l| l.pick_text(&title_en, title_fr.as_deref()).to_owned() />
        <p class="breadcrumb"><A href="/">{move || t().nav_portfolio}</A></p>
        <PrintHead reference=v.reference.clone() />
        <header class="agreement-head">
            <p class="reference">{v.reference.clone()}</p>
            <h1><Translated en=v.title.clone() fr=v.title_fr.clone() /></h1>
            <StatusBadge status=v.status />
        </header>
        <p class="lede"><Translated en=v.summary.clone() fr=v.summary_fr.clone() /></p>

        <Facts a />
        <NegotiationPanel a />

        <section aria-labelledby="h-parties">
            <h2 id="h-parties">{move || t().parties}</h2>
            <DataTable columns=vec![col(|m| m.col_organisation), col(|m| m.col_role), col(|m| m.col_kind), col(|m| m.col_sector), col(|m| m.col_jurisdiction)] testid="parties">
                {v.parties.iter().cloned().map(|p| {
                    let (role, kind, sector) = (p.role, p.kind, p.sector);
                    view! {
                        <tr>
                            <th scope="row">
                                {move || lang().pick_text(&p.name, p.name_fr.as_deref()).to_owned()}
                                " " <span class="code">"(" {p.code.clone()} ")"</span>
                            </th>
                            <td>{move || lang().role(role)}</td>
                            <td>{move || lang().kind(kind)}</td>
                            <td>{move || lang().sector(sector)}</td>
                            <td>
                                {move || {
                                    p.jurisdiction
                                        .as_deref()
                                        .map_or_else(|| "—".to_owned(), |j| lang().pick_text(j, p.jurisdiction_fr.as_deref()).to_owned())
                                }}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </DataTable>
        </section>

        <Section id="h-boundaries" title=|m| m.boundaries_crossed empty=|m| m.no_boundaries is_empty=v.boundaries.is_empty() note=|m| m.boundaries_note>
            <ul class="boundaries" data-testid="boundaries">
                {v.boundaries.iter().copied().map(|b| view! {
                    <li>
                        <strong class=format!("tag boundary-{}", b.as_str())>
                            {move || lang().boundary(b)}
                        </strong>
                        " " {move || lang().boundary_explanation(b)}
                    </li>
                }).collect_view()}
            </ul>
        </Section>

        <Section id="h-services" title=|m| m.services empty=|m| m.no_services is_empty=v.services.is_empty()>
            <DataTable columns=vec![col(|m| m.col_service_id), col(|m| m.col_service), col(|m| m.col_delivered_by), col(|m| m.col_service_type), col(|m| m.col_client_types), col(|m| m.col_channels), num(|m| m.col_fee), col(|m| m.col_online_stages), col(|m| m.col_standards)] testid="services">
                {v.services.iter().cloned().map(|s| {
                    let (channels, clients, service_type) = (s.channels.clone(), s.client_types.clone(), s.service_type);
                    let currency = v.currency.clone();
                    let fee = s.fee.clone();
                    let stages = s.online_stages.clone();
                    let stage_names = stages.clone();
                    view! {
                        <tr data-code=s.code>
                            <td class="code nowrap">{s.code.clone()}</td>
                            <th scope="row"><Translated en=s.name.clone() fr=s.name_fr.clone() /></th>
                            <td>{move || party_name(s.delivered_by)}</td>
                            <td>{move || t().service_type(service_type)}</td>
                            <td>
                                <ul class="tags">
                                    {clients.into_iter().map(|c| view! {
                                        <li class="tag">{move || t().client_type(c)}</li>
                                    }).collect_view()}
                                </ul>
                            </td>
                            <td>
                                <ul class="tags">
                                    {channels.into_iter().map(|c| view! {
                                        <li class="tag">{move || lang().channel(c)}</li>
                                    }).collect_view()}
                                </ul>
                            </td>
                            <td class="num nowrap">
                                {move || fee.as_deref().map_or_else(|| t().no_fee.to_owned(), |f| fee_text(lang(), f, &currency))}
                            </td>
                            <td class="stages">
                                <strong class="nowrap">{move || stages_text(lang(), &stages).0}</strong>
                                // Every stage online: said once, not listed.
                                {if stage_names.len() == OnlineStage::ALL.len() {
                                    view! { " " <span class="tag fully-online">{move || t().f_fully_online}</span> }.into_any()
                                } else {
                                    view! { <span class="stage-names">{move || stages_text(lang(), &stage_names).1}</span> }.into_any()
                                }}
                            </td>
                            <td class="standards-cell">
                                {if s.standards.is_empty() {
                                    view! { <span class="muted">{move || t().no_standards}</span> }.into_any()
                                } else {
                                    view! {
                                        <ul class="standards">
                                            {s.standards.iter().map(|st| {
                                                let channel = st.channel;
                                                let target = st.target.clone();
                                                view! {
                                                    <li>
                                                        <span class="tag">{move || lang().channel(channel)}</span>
                                                        " " <Translated en=st.standard.clone() fr=st.standard_fr.clone() />
                                                        " " <span class="nowrap">"— " {move || percent_text(lang(), &target)}</span>
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </DataTable>
            <p><A href=format!("/services?agreement_id={}", v.id) attr:data-testid="open-inventory">{move || t().open_in_inventory}</A></p>
        </Section>

        <Section id="h-life-events" title=|m| m.life_events empty=|m| m.no_life_events is_empty=v.life_events.is_empty()>
            <ul class="tags">
                {v.life_events.iter().cloned().map(|e| view! {
                    <li class="tag">{move || lang().pick_text(&e.name, e.name_fr.as_deref()).to_owned()}</li>
                }).collect_view()}
            </ul>
        </Section>

        <Section id="h-barriers" title=|m| m.barriers empty=|m| m.no_barriers is_empty=v.barriers.is_empty()>
            <DataTable columns=vec![col(|m| m.col_category), col(|m| m.col_description), col(|m| m.col_severity), col(|m| m.col_mitigation), col(|m| m.col_actions), col(|m| m.col_owner), col(|m| m.col_status)]>
                {v.barriers.iter().cloned().map(|b| {
                    let (category, status) = (b.category, b.status);
                    let form = b.clone();
                    view! {
                        <tr data-barrier=b.key.clone() data-id=b.id.to_string()>
                            <td>{move || lang().barrier_category(category)}</td>
                            <td><span class="code">{b.key.clone()}</span> " " <Translated en=b.description.clone() fr=b.description_fr.clone() /></td>
                            <td class="num">{b.severity}</td>
                            <td>{b.mitigation.clone().map(|m| view! { <Translated en=m fr=b.mitigation_fr.clone() /> })}</td>
                            <td>{b.actions.clone().map(|m| view! { <Translated en=m fr=b.actions_fr.clone() /> })}</td>
                            <td>{move || b.owner_id.map(party_name).unwrap_or_default()}</td>
                            <td data-testid="barrier-status">
                                {move || lang().barrier_status(status)}
                                {b.updated_at.clone().map(|at| view! { <br /><span class="muted small">{move || t().barrier_updated_on} " " {at.get(..10).unwrap_or_default().to_owned()}</span> })}
                                <BarrierUpdateForm b=form />
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </DataTable>
            <p><A href=format!("/barriers?agreement_id={}", v.id) attr:data-testid="open-barrier-register">{move || t().open_barrier_register}</A></p>
        </Section>

        <Section id="h-governance" title=|m| m.governance empty=|m| m.no_governance is_empty=v.governance.is_empty()>
            <dl class="governance">
                {v.governance.iter().map(|g| {
                    let section = g.section;
                    view! {
                        <dt>{move || lang().governance_section(section)}</dt>
                        <dd><Translated en=g.body.clone() fr=g.body_fr.clone() /></dd>
                    }
                }).collect_view()}
            </dl>
        </Section>

        <Section id="h-propagation" title=|m| m.propagation_title empty=|m| m.no_propagation is_empty=v.propagation.is_empty() note=|m| m.propagation_note>
            <DataTable columns=vec![col(|m| m.col_life_event), col(|m| m.col_intake), col(|m| m.col_told), num(|m| m.col_acknowledge_days), num(|m| m.col_act_days)] testid="propagation">
                {propagation.into_iter().map(|(p, event)| {
                    let code = p.life_event.clone();
                    let told = p.told_organisation_ids.clone();
                    view! {
                        <tr>
                            <th scope="row">{move || event.as_ref().map_or_else(|| code.clone(), |e| lang().pick_text(&e.name, e.name_fr.as_deref()).to_owned())}</th>
                            <td>{move || party_name(p.intake_organisation_id)}</td>
                            <td>{move || told.iter().map(|o| party_name(*o)).collect::<Vec<_>>().join(", ")}</td>
                            <td class="num">{p.acknowledge_days}</td>
                            <td class="num">{p.act_days}</td>
                        </tr>
                    }
                }).collect_view()}
            </DataTable>
        </Section>

        <Section id="h-minimums" title=|m| m.minimums_title empty=|m| m.no_minimums is_empty=v.channel_minimums.is_empty() note=|m| m.minimums_note>
            <DataTable columns=vec![col(|m| m.col_channel), num(|m| m.minimum_share)] testid="minimums">
                {v.channel_minimums.iter().cloned().map(|mt| {
                    let channel = mt.channel;
                    view! {
                        <tr data-channel=channel.as_str()>
                            <th scope="row">{move || lang().channel(channel)}</th>
                            <td class="num">{move || lang().percent_text(&mt.share)}</td>
                        </tr>
                    }
                }).collect_view()}
            </DataTable>
        </Section>

        <CostSharing a />

        <Section id="h-commitments" title=|m| m.commitments empty=|m| m.no_commitments is_empty=v.commitments.is_empty()>
            <DataTable columns=vec![col(|m| m.col_kpi), col(|m| m.col_organisation), num(|m| m.col_target), num(|m| m.col_warning_band), col(|m| m.col_channel), col(|m| m.col_service), col(|m| m.col_frequency)] testid="commitments">
                {v.commitments.iter().cloned().map(|c| {
                    let (channel, frequency) = (c.channel, c.frequency);
                    // The service it is about, by its id and name.
                    let service = c
                        .service
                        .as_ref()
                        .map(|code| (code.clone(), service_names.get(code).cloned()));
                    view! {
                        <tr data-commitment=c.id.to_string()>
                            <th scope="row"><Translated en=c.kpi_name.clone() fr=c.kpi_name_fr.clone() /></th>
                            <td>{move || party_name(c.organisation_id)}</td>
                            <td class="num">{c.target.clone()}</td>
                            <td class="num">{c.warning_band.unwrap_or_else(|| "—".into())}</td>
                            <td>{move || channel.map_or(t().all_channels, |ch| lang().channel(ch))}</td>
                            <td data-testid="commitment-service">{move || match &service {
                                None => "—".to_owned(),
                                Some((code, None)) => code.clone(),
                                Some((code, Some((n, fr)))) => format!("{code} — {}", lang().pick_text(n, fr.as_deref())),
                            }}</td>
                            <td>{move || lang().frequency(frequency)}</td>
                        </tr>
                    }
                }).collect_view()}
            </DataTable>
        </Section>
    }
}

/// The name of party `id` of agreement `a`, in the current language.
fn party_name_in(a: StoredValue<AgreementView>) -> impl Fn(i32) -> String + Copy {
    let i18n = use_i18n();
    move |id: i32| {
        a.with_value(|a| {
            a.party(id)
                .map(|p| {
                    i18n.lang
                        .get()
                        .pick_text(&p.name, p.name_fr.as_deref())
                        .to_owned()
                })
                .unwrap_or_default()
        })
    }
}

/// The agreement's heading facts: term, purpose, structure, type,
/// currency, renewal notice, version and parent.
#[component]
fn Facts(a: StoredValue<AgreementView>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let v = a.get_value();
    let published = v.published;
    view! {
        <dl class="facts">
            <div>
                <dt>{move || t().term}</dt>
                <dd>
                    {move || lang().date(v.starts_on)} " " {move || t().term_to} " "
                    {move || lang().date(v.ends_on)}
                </dd>
            </div>
            <div>
                <dt>{move || t().col_purpose}</dt>
                <dd>{move || lang().purpose(v.purpose)}</dd>
            </div>
            <div>
                <dt>{move || t().col_structure}</dt>
                <dd>{move || lang().structure(v.structure)}</dd>
            </div>
            <div>
                <dt>{move || t().partnership_type}</dt>
                <dd>{move || lang().partnership_type(v.partnership_type)}</dd>
            </div>
            <div>
                <dt>{move || t().currency}</dt>
                <dd>{v.currency.clone()}</dd>
            </div>
            <div>
                <dt>{move || t().renewal_notice}</dt>
                <dd>{v.renewal_notice_days} " " {move || t().days}</dd>
            </div>
            <div>
                <dt>{move || t().open_data}</dt>
                <dd data-testid="published">{move || if published { t().published_yes } else { t().published_no }}</dd>
            </div>
            <div>
                <dt>{move || t().version}</dt>
                <dd>{v.version}</dd>
            </div>
            {v.parent.map(|p| view! {
                <div>
                    <dt>{move || t().parent_agreement}</dt>
                    <dd><A href=format!("/agreements/{}", p.id)>{p.reference} " — " {p.title}</A></dd>
                </div>
            })}
        </dl>
    }
}

/// How the agreement shares its costs: the model in force, its channel
/// weights and each party's line, with the ways to the costs, the model
/// and the compliance pages.
#[component]
fn CostSharing(a: StoredValue<AgreementView>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let v = a.get_value();
    let party_name = party_name_in(a);
    view! {
        <section aria-labelledby="h-costs">
            <h2 id="h-costs">{move || t().cost_sharing}</h2>
            <p class="actions no-print">
                <A href=format!("/agreements/{}/costs", v.id) attr:class="button secondary">{move || t().open_costs}</A>
                <A href=format!("/agreements/{}/cost-model", v.id) attr:class="button secondary">{move || t().cost_model_title}</A>
                <A href=format!("/agreements/{}/compliance", v.id) attr:class="button secondary">{move || t().open_compliance}</A>
                <A href=format!("/agreements/{}/journeys", v.id) attr:class="button secondary" attr:data-testid="open-journeys">{move || t().journeys_title}</A>
            </p>
            {match v.cost_model {
                None => view! { <p>{move || t().no_cost_model}</p> }.into_any(),
                Some(m) => {
                    let kind = m.kind;
                    let weights = m.channel_weights.iter()
                        .map(|(c, w)| (*c, w.clone()))
                        .collect::<Vec<_>>();
                    view! {
                        <p>
                            <strong>{move || lang().cost_model_kind(kind)}</strong>
                            {m.fixed_portion.clone().map(|f| view! {
                                " · " {move || t().fixed_portion} " " {f} " %"
                            })}
                        </p>
                        {(!weights.is_empty()).then(|| view! {
                            <p>
                                {move || t().channel_weights} ": "
                                {weights.iter().cloned().map(|(c, w)| view! {
                                    <span class="tag">{move || lang().channel(c)} " × " {w}</span>
                                }).collect_view()}
                            </p>
                        })}
                        <DataTable columns=vec![col(|m| m.col_organisation), num(|m| m.col_percent), col(|m| m.col_rates), num(|m| m.col_floor), num(|m| m.col_cap)]>
                            {m.lines.iter().cloned().map(|l| {
                                let rates = l.rates.iter().map(|(c, r)| (*c, r.clone())).collect::<Vec<_>>();
                                view! {
                                    <tr>
                                        <th scope="row">{move || party_name(l.organisation_id)}</th>
                                        <td class="num">{l.percent.clone().unwrap_or_else(|| "—".into())}</td>
                                        <td>
                                            {rates.into_iter().map(|(c, r)| view! {
                                                <span class="tag">{move || lang().channel(c)} " " {r}</span>
                                            }).collect_view()}
                                        </td>
                                        <td class="num">{l.floor.clone().unwrap_or_else(|| "—".into())}</td>
                                        <td class="num">{l.cap.unwrap_or_else(|| "—".into())}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </DataTable>
                    }.into_any()
                }
            }}
        </section>
    }
}

/// The page-level resources the negotiation panel reads.
#[derive(Clone, Copy)]
struct PanelData {
    perms: Resource<Result<crate::wire::negotiation::Permissions, AppError>>,
    comments: Resource<Result<Vec<crate::wire::negotiation::CommentView>, AppError>>,
}

/// The owning party's update of a barrier, without an amendment: shown to
/// those the server says may update it (`Permissions::barriers`).
#[component]
fn BarrierUpdateForm(b: crate::wire::agreements::BarrierView) -> impl IntoView {
    use crate::domain::BarrierStatus;
    use crate::server_fns::barriers::update_barrier;
    use crate::ui::components::FormError;
    use crate::wire::barriers::BarrierUpdateParams;
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let PanelData { perms, .. } = expect_context::<PanelData>();
    let id = b.id;
    let status = RwSignal::new(b.status.as_str().to_owned());
    let text = |v: &Option<String>| RwSignal::new(v.clone().unwrap_or_default());
    let (mitigation, mitigation_fr) = (text(&b.mitigation), text(&b.mitigation_fr));
    let (actions, actions_fr) = (text(&b.actions), text(&b.actions_fr));
    let error = RwSignal::new(None::<AppError>);
    let save = Action::new(move |p: &BarrierUpdateParams| update_barrier(id, p.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => {
            #[cfg(feature = "hydrate")]
            let _ = window().location().reload();
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let field = move |name: &str| format!("bar-{id}-{name}");
    view! {
        <Suspense>
            {move || perms.get().and_then(Result::ok).filter(|p| p.barriers.contains(&id)).map(|_| view! {
                <details class="barrier-update" data-testid=format!("update-barrier-{id}")>
                    <summary>{move || t().barrier_update_title}</summary>
                    <p class="note">{move || t().barrier_update_note}</p>
                    <FormError error />
                    <form class="stack" on:submit=move |ev| {
                        ev.prevent_default();
                        save.dispatch(BarrierUpdateParams {
                            status: Some(status.get_untracked()),
                            mitigation: Some(mitigation.get_untracked()),
                            mitigation_fr: Some(mitigation_fr.get_untracked()),
                            actions: Some(actions.get_untracked()),
                            actions_fr: Some(actions_fr.get_untracked()),
                        });
                    }>
                        <div class="field">
                            <label for=field("status")>{move || t().col_status}</label>
                            <select id=field("status") name="status" on:change=move |ev| status.set(event_target_value(&ev))>
                                {BarrierStatus::ALL.iter().copied().map(|s| view! {
                                    <option value=s.as_str() selected=move || status.get() == s.as_str()>{move || lang().barrier_status(s)}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for=field("mitigation")>{move || t().col_mitigation}</label>
                            <textarea id=field("mitigation") name="mitigation" rows="2" bind:value=mitigation></textarea>
                        </div>
                        <div class="field">
                            <label for=field("mitigation-fr")>{move || t().f_mitigation_fr}</label>
                            <textarea id=field("mitigation-fr") name="mitigation_fr" lang="fr" rows="2" bind:value=mitigation_fr></textarea>
                        </div>
                        <div class="field">
                            <label for=field("actions")>{move || t().f_actions}</label>
                            <textarea id=field("actions") name="actions" rows="3" bind:value=actions></textarea>
                        </div>
                        <div class="field">
                            <label for=field("actions-fr")>{move || t().f_actions_fr}</label>
                            <textarea id=field("actions-fr") name="actions_fr" lang="fr" rows="3" bind:value=actions_fr></textarea>
                        </div>
                        <button type="submit" class="primary" data-testid="save-barrier">{move || t().save_barrier}</button>
                    </form>
                </details>
            })}
        </Suspense>
    }
}

/// What the caller can do with the agreement now: edit, move it along its
/// lifecycle, approve, withdraw a draft; who has approved; the comments.
#[component]
fn NegotiationPanel(a: StoredValue<AgreementView>) -> impl IntoView {
    use crate::server_fns::negotiation::*;
    use crate::ui::components::FormError;
    use crate::wire::negotiation::*;
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let id = a.with_value(|a| a.id);
    let version = a.with_value(|a| a.version);
    let PanelData { perms, comments } = expect_context::<PanelData>();
    let error = RwSignal::new(None::<AppError>);
    let reload = move || {
        #[cfg(feature = "hydrate")]
        let _ = window().location().reload();
    };
    let transition = Action::new(move |to: &AgreementStatus| transition_agreement(id, *to));
    let approve = Action::new(move |_: &()| approve_agreement(id, version));
    let withdraw = Action::new(move |_: &()| withdraw_agreement(id));
    let withdraw_pending = Action::new(move |_: &()| withdraw_amendment(id));
    Effect::new(move |_| {
        for r in [
            transition.value().get(),
            approve.value().get(),
            withdraw_pending.value().get(),
        ]
        .into_iter()
        .flatten()
        {
            match r {
                Ok(()) => reload(),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    Effect::new(move |_| match withdraw.value().get() {
        Some(Ok(())) => {
            #[cfg(feature = "hydrate")]
            let _ = window().location().assign("/");
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let confirm_withdraw = move |_| {
        #[cfg(feature = "hydrate")]
        if window()
            .confirm_with_message(t().confirm_withdraw)
            .unwrap_or(false)
        {
            withdraw.dispatch(());
        }
    };

    let body = RwSignal::new(String::new());
    let reply_to = RwSignal::new(None::<(i32, String)>);
    let post = Action::new(move |(b, parent): &(String, Option<i32>)| {
        add_comment(
            id,
            CommentParams {
                version: Some(version),
                parent_id: *parent,
                body: b.clone(),
            },
        )
    });
    Effect::new(move |_| match post.value().get() {
        Some(Ok(_)) => {
            body.set(String::new());
            reply_to.set(None);
            error.set(None);
            comments.refetch();
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });

    let confirm_withdraw_pending = move |_| {
        #[cfg(feature = "hydrate")]
        if window()
            .confirm_with_message(t().confirm_withdraw_amendment)
            .unwrap_or(false)
        {
            withdraw_pending.dispatch(());
        }
    };

    let party_ids: Vec<(i32, String, Option<String>)> = a.with_value(|a| {
        a.parties
            .iter()
            .map(|p| (p.organisation_id, p.name.clone(), p.name_fr.clone()))
            .collect()
    });
    let approvals = a.with_value(|a| a.approvals.clone());
    let pending = a.with_value(|a| a.pending_amendment.clone());
    let has_pending = pending.is_some();

    view! {
        <FormError error />
        <section class="actions-panel" aria-labelledby="h-actions">
            <h2 id="h-actions">{move || t().actions_label}</h2>
            <Suspense fallback=Loading>
                {move || perms.get().and_then(Result::ok).map(|p| view! {
                    <div class="form-actions wrap">
                        {p.edit.then(|| view! {
                            <A href=format!("/agreements/{id}/edit") attr:class="button primary" attr:data-testid="edit-agreement">{move || t().edit_agreement}</A>
                        })}
                        {p.transitions.iter().copied().map(|to| view! {
                            <button type="button" class="secondary" data-testid=format!("move-{}", to.as_str())
                                on:click=move |_| { transition.dispatch(to); }>
                                {move || t().move_to} " " {move || lang().status(to)}
                            </button>
                        }).collect_view()}
                        {(p.approve && !has_pending).then(|| view! {
                            <button type="button" class="primary" data-testid="approve" on:click=move |_| { approve.dispatch(()); }>
                                {move || t().approve_version} " " {version}
                            </button>
                        })}
                        {p.withdraw.then(|| view! {
                            <button type="button" class="danger" on:click=confirm_withdraw>{move || t().withdraw_draft}</button>
                        })}
                        <A href=format!("/agreements/{id}/history") attr:class="button secondary">{move || t().history}</A>
                        <button type="button" class="secondary" on:click=move |_| {
                            #[cfg(feature = "hydrate")]
                            let _ = window().print();
                        }>{move || t().print}</button>
                        <a class="button secondary" href=format!("/api/v1/agreements/{id}/export/ocds") download="">{move || t().export_ocds}</a>
                    </div>
                })}
            </Suspense>
            {has_pending.then(|| view! { <p class="notice"><a href="#h-amendment">{move || t().pending_amendment}</a></p> })}
        </section>

        {pending.map(|p| {
            let number = p.version;
            let author = p.author.clone().unwrap_or_default();
            let changes = p.changes.clone();
            let approvals = p.approvals.clone();
            view! {
                <section class="amendment" aria-labelledby="h-amendment" data-testid="pending-amendment">
                    <h2 id="h-amendment">{move || t().amendment_title} " — " {move || t().version} " " {number}</h2>
                    <p class="note">{move || t().amendment_intro}</p>
                    <dl class="facts">
                        <div>
                            <dt>{move || t().amendment_proposed_by}</dt>
                            <dd>{author}</dd>
                        </div>
                        <div>
                            <dt>{move || t().amendment_effective}</dt>
                            <dd>{move || lang().date(p.effective_from)}</dd>
                        </div>
                    </dl>
                    <p class="lede">{p.change_summary.clone()}</p>
                    <h3>{move || t().amendment_changes}</h3>
                    <crate::ui::pages::agreement_form::ChangeTable changes=Signal::derive(move || changes.clone()) />
                    <h3>{move || t().amendment_approvals}</h3>
                    <ul class="approvals" data-testid="amendment-approvals">
                        {p.approvers.into_iter().map(|o| {
                            let done = approvals.iter().find(|ap| ap.organisation_id == o.organisation_id).cloned();
                            let is_done = done.is_some();
                            let name = move || lang().pick_text(&o.name, o.name_fr.as_deref()).to_owned();
                            let (joins, leaves) = (o.role_in_force.is_none(), o.role_proposed.is_none());
                            view! {
                                <li class:approved=is_done>
                                    <strong>{name}</strong> " "
                                    <span class="muted">"("{move || if joins { t().approver_added } else if leaves { t().approver_removed } else { t().approver_stays }}")"</span> " "
                                    {match done {
                                        Some(ap) => view! { <span>"✓ " {move || t().approved_version} " " {ap.version} " (" {ap.approved_at} ")"</span> }.into_any(),
                                        None => view! { <span class="muted">{move || t().not_yet_approved}</span> }.into_any(),
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <Suspense>
                        {move || perms.get().and_then(Result::ok).map(|p| view! {
                            <div class="form-actions wrap">
                                {p.approve.then(|| view! {
                                    <button type="button" class="primary" data-testid="approve-amendment" on:click=move |_| { approve.dispatch(()); }>
                                        {move || t().approve_amendment} " " {number}
                                    </button>
                                })}
                                {p.edit.then(|| view! {
                                    <A href=format!("/agreements/{id}/edit") attr:class="button secondary">{move || t().edit_amendment}</A>
                                })}
                                {p.withdraw_amendment.then(|| view! {
                                    <button type="button" class="danger" data-testid="withdraw-amendment" on:click=confirm_withdraw_pending>{move || t().withdraw_amendment}</button>
                                })}
                            </div>
                        })}
                    </Suspense>
                </section>
            }
        })}

        <section aria-labelledby="h-approvals">
            <h2 id="h-approvals">{move || t().approvals}</h2>
            <p class="note">{move || t().approvals_intro}</p>
            <ul class="approvals" data-testid="approvals">
                {party_ids.into_iter().map(|(org, name, name_fr)| {
                    // The approval of the version in force (or, before the
                    // first activation, of the latest): the others lapsed.
                    let done = approvals.iter().filter(|ap| ap.organisation_id == org).max_by_key(|ap| ap.version).cloned();
                    let is_done = done.is_some();
                    view! {
                        <li class:approved=is_done>
                            <strong>{move || lang().pick_text(&name, name_fr.as_deref()).to_owned()}</strong> " "
                            {match done {
                                Some(ap) => view! { <span>"✓ " {move || t().approved_version} " " {ap.version} " (" {ap.approved_at} ")"</span> }.into_any(),
                                None => view! { <span class="muted">{move || t().not_yet_approved}</span> }.into_any(),
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>

        <section aria-labelledby="h-comments">
            <h2 id="h-comments">{move || t().comments}</h2>
            <Suspense fallback=Loading>
                {move || comments.get().map(|r| match r {
                    Err(e) => view! { <p class="muted">{crate::ui::auth::error_text(&e)}</p> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="muted">{move || t().no_comments}</p> }.into_any(),
                    Ok(list) => {
                        let roots: Vec<CommentView> = list.iter().filter(|c| c.parent_id.is_none()).cloned().collect();
                        view! {
                            <ol class="comments" data-testid="comments">
                                {roots.into_iter().map(|c| {
                                    let replies: Vec<CommentView> = list.iter().filter(|r| r.parent_id == Some(c.id)).cloned().collect();
                                    view! {
                                        <li>
                                            <CommentItem c=c.clone() on_reply=move |cid, who| reply_to.set(Some((cid, who))) />
                                            {(!replies.is_empty()).then(|| view! {
                                                <ol class="replies">
                                                    {replies.into_iter().map(|r| view! {
                                                        <li><CommentItem c=r on_reply=move |_, who| reply_to.set(Some((c.id, who))) /></li>
                                                    }).collect_view()}
                                                </ol>
                                            })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                        }.into_any()
                    }
                })}
            </Suspense>
            <Suspense>
                {move || perms.get().and_then(Result::ok).filter(|p| p.comment).map(|_| view! {
                    <form class="stack comment-form" on:submit=move |ev| {
                        ev.prevent_default();
                        post.dispatch((body.get_untracked(), reply_to.get_untracked().map(|r| r.0)));
                    }>
                        {move || reply_to.get().map(|(_, who)| view! {
                            <p class="muted">{move || t().replying_to} " " {who} " "
                                <button type="button" class="secondary small" on:click=move |_| reply_to.set(None)>{move || t().cancel}</button>
                            </p>
                        })}
                        <div class="field">
                            <label for="comment-body">{move || t().add_comment} " (" {move || t().on_version} " " {version} ")"</label>
                            <textarea id="comment-body" rows="3" required bind:value=body></textarea>
                        </div>
                        <button type="submit" class="primary">{move || t().post_comment}</button>
                    </form>
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn CommentItem(
    c: crate::wire::negotiation::CommentView,
    on_reply: impl Fn(i32, String) + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.lang.get().t();
    let (id, who) = (c.id, c.author_name.clone());
    view! {
        <article class="comment">
            <header>
                <strong>{c.author_name.clone()}</strong> " · " <span class="code">{c.organisation_code.clone()}</span>
                " · " <span class="muted">{move || t().on_version} " " {c.version} " · " {c.created_at.clone()}</span>
            </header>
            <p>{c.body}</p>
            <button type="button" class="link" on:click=move |_| on_reply(id, who.clone())>{move || t().reply}</button>
        </article>
    }
}
