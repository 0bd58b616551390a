//! One agreement: its terms, parties, the boundaries it crosses, services,
//! life events, barriers, governance, cost sharing and commitments.

use crate::api::agreements::{AgreementView, get_agreement};
use crate::i18n::use_i18n;
use crate::ui::components::{LoadError, Loading, StatusBadge};
use crate::ui::pages::not_found::NotFound;
use leptos::prelude::*;
use leptos_meta::Title;
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
    let a = StoredValue::new(a);
    let title =
        move || a.with_value(|a| lang().pick_text(&a.title, a.title_fr.as_deref()).to_owned());
    let summary = move || {
        a.with_value(|a| {
            lang()
                .pick_text(&a.summary, a.summary_fr.as_deref())
                .to_owned()
        })
    };
    let v = a.get_value();
    let party_name = move |id: i32| {
        a.with_value(|a| {
            a.party(id)
                .map(|p| lang().pick_text(&p.name, p.name_fr.as_deref()).to_owned())
                .unwrap_or_default()
        })
    };

    view! {
        <Title text=title />
        <p class="breadcrumb"><A href="/">{move || t().nav_portfolio}</A></p>
        <header class="agreement-head">
            <p class="reference">{v.reference.clone()}</p>
            <h1>{title}</h1>
            <StatusBadge status=v.status />
        </header>
        <p class="lede">{summary}</p>

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
                <dt>{move || t().version}</dt>
                <dd>{v.version}</dd>
            </div>
            {v.parent.clone().map(|p| view! {
                <div>
                    <dt>{move || t().parent_agreement}</dt>
                    <dd><A href=format!("/agreements/{}", p.id)>{p.reference} " — " {p.title}</A></dd>
                </div>
            })}
        </dl>

        <section aria-labelledby="h-parties">
            <h2 id="h-parties">{move || t().parties}</h2>
            <div class="table-wrap">
                <table class="data" data-testid="parties">
                    <thead>
                        <tr>
                            <th scope="col">{move || t().col_organisation}</th>
                            <th scope="col">{move || t().col_role}</th>
                            <th scope="col">{move || t().col_kind}</th>
                            <th scope="col">{move || t().col_sector}</th>
                            <th scope="col">{move || t().col_jurisdiction}</th>
                        </tr>
                    </thead>
                    <tbody>
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
                    </tbody>
                </table>
            </div>
        </section>

        <section aria-labelledby="h-boundaries">
            <h2 id="h-boundaries">{move || t().boundaries_crossed}</h2>
            {if v.boundaries.is_empty() {
                view! { <p>{move || t().no_boundaries}</p> }.into_any()
            } else {
                view! {
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
                }.into_any()
            }}
            <p class="note">{move || t().boundaries_note}</p>
        </section>

        <section aria-labelledby="h-services">
            <h2 id="h-services">{move || t().services}</h2>
            {if v.services.is_empty() {
                view! { <p>{move || t().no_services}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data">
                            <thead>
                                <tr>
                                    <th scope="col">{move || t().col_service}</th>
                                    <th scope="col">{move || t().col_delivered_by}</th>
                                    <th scope="col">{move || t().col_channels}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {v.services.iter().cloned().map(|s| {
                                    let channels = s.channels.clone();
                                    view! {
                                        <tr>
                                            <th scope="row">{move || lang().pick_text(&s.name, s.name_fr.as_deref()).to_owned()}</th>
                                            <td>{move || party_name(s.delivered_by)}</td>
                                            <td>
                                                <ul class="tags">
                                                    {channels.into_iter().map(|c| view! {
                                                        <li class="tag">{move || lang().channel(c)}</li>
                                                    }).collect_view()}
                                                </ul>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>

        <section aria-labelledby="h-life-events">
            <h2 id="h-life-events">{move || t().life_events}</h2>
            {if v.life_events.is_empty() {
                view! { <p>{move || t().no_life_events}</p> }.into_any()
            } else {
                view! {
                    <ul class="tags">
                        {v.life_events.iter().cloned().map(|e| view! {
                            <li class="tag">{move || lang().pick_text(&e.name, e.name_fr.as_deref()).to_owned()}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>

        <section aria-labelledby="h-barriers">
            <h2 id="h-barriers">{move || t().barriers}</h2>
            {if v.barriers.is_empty() {
                view! { <p>{move || t().no_barriers}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data">
                            <thead>
                                <tr>
                                    <th scope="col">{move || t().col_category}</th>
                                    <th scope="col">{move || t().col_description}</th>
                                    <th scope="col">{move || t().col_severity}</th>
                                    <th scope="col">{move || t().col_mitigation}</th>
                                    <th scope="col">{move || t().col_owner}</th>
                                    <th scope="col">{move || t().col_status}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {v.barriers.iter().cloned().map(|b| {
                                    let (category, status) = (b.category, b.status);
                                    view! {
                                        <tr>
                                            <td>{move || lang().barrier_category(category)}</td>
                                            <td>{b.description.clone()}</td>
                                            <td class="num">{b.severity}</td>
                                            <td>{b.mitigation.clone().unwrap_or_default()}</td>
                                            <td>{move || b.owner_id.map(party_name).unwrap_or_default()}</td>
                                            <td>{move || lang().barrier_status(status)}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>

        <section aria-labelledby="h-governance">
            <h2 id="h-governance">{move || t().governance}</h2>
            {if v.governance.is_empty() {
                view! { <p>{move || t().no_governance}</p> }.into_any()
            } else {
                view! {
                    <dl class="governance">
                        {v.governance.iter().cloned().map(|g| {
                            let section = g.section;
                            view! {
                                <dt>{move || lang().governance_section(section)}</dt>
                                <dd>{move || lang().pick_text(&g.body, g.body_fr.as_deref()).to_owned()}</dd>
                            }
                        }).collect_view()}
                    </dl>
                }.into_any()
            }}
        </section>

        <section aria-labelledby="h-costs">
            <h2 id="h-costs">{move || t().cost_sharing}</h2>
            {match v.cost_model.clone() {
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
                        <div class="table-wrap">
                            <table class="data">
                                <thead>
                                    <tr>
                                        <th scope="col">{move || t().col_organisation}</th>
                                        <th scope="col" class="num">{move || t().col_percent}</th>
                                        <th scope="col">{move || t().col_rates}</th>
                                        <th scope="col" class="num">{move || t().col_floor}</th>
                                        <th scope="col" class="num">{move || t().col_cap}</th>
                                    </tr>
                                </thead>
                                <tbody>
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
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }
            }}
        </section>

        <section aria-labelledby="h-commitments">
            <h2 id="h-commitments">{move || t().commitments}</h2>
            {if v.commitments.is_empty() {
                view! { <p>{move || t().no_commitments}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data">
                            <thead>
                                <tr>
                                    <th scope="col">{move || t().col_kpi}</th>
                                    <th scope="col">{move || t().col_organisation}</th>
                                    <th scope="col" class="num">{move || t().col_target}</th>
                                    <th scope="col" class="num">{move || t().col_warning_band}</th>
                                    <th scope="col">{move || t().col_channel}</th>
                                    <th scope="col">{move || t().col_frequency}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {v.commitments.iter().cloned().map(|c| {
                                    let (channel, frequency) = (c.channel, c.frequency);
                                    view! {
                                        <tr>
                                            <th scope="row">{move || lang().pick_text(&c.kpi_name, c.kpi_name_fr.as_deref()).to_owned()}</th>
                                            <td>{move || party_name(c.organisation_id)}</td>
                                            <td class="num">{c.target.clone()}</td>
                                            <td class="num">{c.warning_band.unwrap_or_else(|| "—".into())}</td>
                                            <td>{move || channel.map_or(t().all_channels, |ch| lang().channel(ch))}</td>
                                            <td>{move || lang().frequency(frequency)}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}
