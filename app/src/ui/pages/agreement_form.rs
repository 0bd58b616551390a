//! Drafting and editing an agreement's terms. The form checks the rules of
//! DOMAIN.md §2 as the manager types, with the same domain code the server
//! runs, and shows the boundaries the parties cross. A save based on a stale
//! version shows what the other person changed and lets the manager
//! re-apply their edit on top — nothing is silently overwritten.

use crate::domain::service::code_problem;
use crate::domain::{
    BarrierCategory, BarrierStatus, Channel, ClientType, Currency, GovernanceSection, Money,
    OnlineStage, PartnershipType, PartyFacts, PartyRole, Percent, Purpose, ServiceType, Structure,
    boundaries_crossed, check_parties, check_term,
};
use crate::i18n::{Lang, use_i18n};
use crate::server_fns::negotiation::*;
use crate::server_fns::notifications::list_life_events;
use crate::server_fns::organisations::list_organisations;
use crate::ui::auth::error_text;
use crate::ui::components::{BilingualField, Loading, PageTitle, TableRegion, Translated};
use crate::ui::pages::services::{fee_text, percent_text, stages_text};
use crate::wire::error::AppError;
use crate::wire::negotiation::*;
use crate::wire::organisations::OrganisationView;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

fn blank_terms() -> AgreementTermsParams {
    let today = crate::clock::today();
    AgreementTermsParams {
        title: String::new(),
        title_fr: None,
        summary: String::new(),
        summary_fr: None,
        purpose: Purpose::SingleWindow,
        structure: Structure::Shared,
        partnership_type: PartnershipType::Collaborative,
        starts_on: today,
        ends_on: today
            .checked_add_months(chrono::Months::new(36))
            .unwrap_or(today),
        renewal_notice_days: Some(90),
        currency: "CAD".into(),
        fiscal_year_start_month: Some(4),
        parent_id: None,
        parties: Vec::new(),
        services: Vec::new(),
        life_events: Vec::new(),
        barriers: Vec::new(),
        governance: Vec::new(),
        propagation: Vec::new(),
        channel_minimums: Vec::new(),
        published: false,
        effective_from: None,
        cost_model: None,
    }
}

/// `/agreements/new`.
#[component]
pub fn NewAgreementPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.lang.get().t();
    view! {
        <PageTitle text=|l| l.t().draft_agreement_title.into() />
        <h1>{move || t().draft_agreement_title}</h1>
        <AgreementForm id=None initial=blank_terms() version=0 lists=FormLists::new() />
    }
}

/// `/agreements/:id/edit`.
#[component]
pub fn EditAgreementPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.lang.get().t();
    let id = super::agreement_id();
    let terms = Resource::new(id, agreement_terms);
    let lists = FormLists::new();
    // The terms are awaited (`Suspend`), not read with `.get()`: read so,
    // the browser sometimes rendered the form a second time beside the
    // server's while hydrating (the race of leptos issues 4578 and 4851,
    // as the header's and the costs page's were).
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match terms.await {
                    Err(e) => view! { <p class="error" role="alert">{error_text(&e)}</p> }.into_any(),
                    Ok((terms, version)) => {
                        let title = terms.title.clone();
                        let page_title = title.clone();
                        view! {
                            <PageTitle text=move |l| format!("{} {page_title}", l.t().edit_agreement_title) />
                            <h1>{move || t().edit_agreement_title} " " {title}</h1>
                            <AgreementForm id=Some(id()) initial=terms version lists />
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// A problem to show, with the id of the field it belongs to.
#[derive(Clone, PartialEq)]
struct Problem {
    field: &'static str,
    message: String,
}

/// The form's field (its element id) that shows the server's problem with
/// a request field, when the form has one.
fn form_field(server_field: &str) -> Option<&'static str> {
    let head = server_field.split(['.', '[']).next().unwrap_or("");
    Some(match head {
        "title" | "title_fr" => "f-title",
        "starts_on" | "ends_on" => "f-ends-on",
        "currency" => "f-currency",
        "parties" => "f-add-party",
        "services" => "f-services",
        "channel_minimums" => "f-min-share",
        "change_summary" => "f-change-summary",
        _ => return None,
    })
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

type Listed<T> = Resource<Result<Vec<T>, AppError>>;

/// What the form chooses from: organisations, life events and possible
/// parent agreements (layered partnerships). Created at the page's top
/// level, never inside a `Suspense`, so that the browser finds them where
/// the server rendered them: created inside the edit page's `Suspense`,
/// the browser fetched them again while hydrating, and sometimes rendered
/// a second form beside the server's.
#[derive(Clone, Copy)]
struct FormLists {
    orgs: Listed<OrganisationView>,
    events: Listed<(String, String, Option<String>)>,
    parents: Listed<crate::wire::agreements::AgreementSummary>,
}

impl FormLists {
    fn new() -> Self {
        Self {
            orgs: Resource::new(|| (), |_| list_organisations()),
            events: Resource::new(|| (), |_| list_life_events()),
            parents: Resource::new(
                || (),
                |_| crate::server_fns::agreements::list_agreements(Default::default()),
            ),
        }
    }
}

/// The form, once the lists it chooses from are loaded: the server renders
/// it with them and the browser hydrates the same options, whichever
/// answered first.
#[component]
fn AgreementForm(
    id: Option<i32>,
    initial: AgreementTermsParams,
    version: i32,
    lists: FormLists,
) -> impl IntoView {
    let FormLists {
        orgs,
        events,
        parents,
    } = lists;
    view! {
        <Suspense fallback=Loading>
            {move || {
                let initial = initial.clone();
                Suspend::new(async move {
                    let (orgs, events, parents) = (orgs.await, events.await, parents.await);
                    view! {
                        <AgreementFormFields
                            id
                            initial
                            version
                            orgs=orgs.unwrap_or_default()
                            events=events.unwrap_or_default()
                            parents=parents.unwrap_or_default()
                        />
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn AgreementFormFields(
    id: Option<i32>,
    initial: AgreementTermsParams,
    version: i32,
    orgs: Vec<OrganisationView>,
    events: LifeEventList,
    parents: Vec<crate::wire::agreements::AgreementSummary>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let terms = RwSignal::new(initial);
    let base = RwSignal::new(version);
    let change_summary = RwSignal::new(String::new());
    let server_error = RwSignal::new(None::<AppError>);
    let conflict = RwSignal::new(None::<(i32, Vec<FieldChange>)>);
    let orgs = StoredValue::new(orgs);
    let events = StoredValue::new(events);
    let parents = StoredValue::new(parents);
    let org_list = move || orgs.get_value();

    // The domain's facts about each party, for the rules and boundaries.
    let facts = move || {
        let list = org_list();
        terms.with(|tm| {
            tm.parties
                .iter()
                .filter_map(|p| {
                    list.iter().find(|o| o.id == p.organisation_id).map(|o| {
                        (
                            PartyFacts {
                                organisation_id: o.id,
                                sector: o.sector,
                                jurisdiction_id: o.jurisdiction.as_ref().map(|j| j.id),
                            },
                            p.role,
                        )
                    })
                })
                .collect::<Vec<_>>()
        })
    };
    let problems = Memo::new(move |_| {
        let mut out = Vec::new();
        let m = t();
        terms.with(|tm| {
            if tm.title.trim().is_empty() {
                out.push(Problem {
                    field: "f-title",
                    message: m.form_need_title.into(),
                });
            }
            for v in check_term(tm.starts_on, tm.ends_on) {
                out.push(Problem {
                    field: "f-ends-on",
                    message: v.message,
                });
            }
            if Currency::parse(tm.currency.trim()).is_err() {
                out.push(Problem {
                    field: "f-currency",
                    message: m.form_need_currency.into(),
                });
            }
            if tm.parties.is_empty() {
                out.push(Problem {
                    field: "f-add-party",
                    message: m.form_need_parties.into(),
                });
            }
            for (i, s) in tm.services.iter().enumerate() {
                if !tm
                    .parties
                    .iter()
                    .any(|p| p.organisation_id == s.delivered_by)
                {
                    out.push(Problem {
                        field: "f-services",
                        message: format!("{} {}: {}", m.col_service, i + 1, m.form_service_party),
                    });
                }
            }
        });
        if !terms.with(|tm| tm.parties.is_empty()) {
            let structure = terms.with(|tm| tm.structure);
            for v in check_parties(structure, &facts()) {
                out.push(Problem {
                    field: "f-add-party",
                    message: v.message,
                });
            }
        }
        if id.is_some() && change_summary.with(|s| s.trim().is_empty()) {
            out.push(Problem {
                field: "f-change-summary",
                message: m.form_need_change_summary.into(),
            });
        }
        out
    });
    // The page's findings and the server's, beside their fields.
    let problem_at = move |field: &'static str| {
        move || {
            let mut found: Vec<String> = problems.with(|ps| {
                ps.iter()
                    .filter(|p| p.field == field)
                    .map(|p| p.message.clone())
                    .collect()
            });
            server_error.with(|e| {
                found.extend(
                    e.iter()
                        .flat_map(|e| &e.details)
                        .filter(|d| form_field(&d.field) == Some(field))
                        .map(|d| d.message.clone()),
                );
            });
            found.join(" ")
        }
    };
    let attempted = RwSignal::new(false);

    let navigate = use_navigate();
    let save = Action::new(
        move |(terms, base, summary): &(AgreementTermsParams, i32, String)| {
            let (terms, base, summary) = (terms.clone(), *base, summary.clone());
            async move {
                match id {
                    None => create_agreement(terms).await,
                    Some(id) => update_agreement(
                        id,
                        UpdateAgreementParams {
                            terms,
                            version: base,
                            change_summary: summary,
                        },
                    )
                    .await
                    .map(|_| id),
                }
            }
        },
    );
    Effect::new(move |_| {
        let Some(result) = save.value().get() else {
            return;
        };
        match result {
            Ok(saved) => navigate(&format!("/agreements/{saved}"), Default::default()),
            Err(e) => {
                server_error.set(Some(e));
                // A newer version? Show what changed, keep the manager's edits.
                if let Some(id) = id {
                    let based_on = base.get_untracked();
                    leptos::task::spawn_local(async move {
                        if let Ok((_, latest)) = agreement_terms(id).await
                            && latest > based_on
                            && let Ok(cmp) = compare_versions(id, based_on, latest).await
                        {
                            conflict.set(Some((latest, cmp.changes)));
                        }
                    });
                }
            }
        }
    });
    let submit = move || {
        attempted.set(true);
        server_error.set(None);
        if problems.with(Vec::is_empty) {
            save.dispatch((
                terms.get_untracked(),
                base.get_untracked(),
                change_summary.get_untracked(),
            ));
        }
    };
    let reapply = move |_| {
        if let Some((latest, _)) = conflict.get_untracked() {
            base.set(latest);
            conflict.set(None);
            submit();
        }
    };
    let discard = move |_| {
        if let Some(id) = id {
            leptos::task::spawn_local(async move {
                if let Ok((latest_terms, latest)) = agreement_terms(id).await {
                    terms.set(latest_terms);
                    base.set(latest);
                    conflict.set(None);
                    server_error.set(None);
                }
            });
        }
    };

    // Party being added.
    let new_org = RwSignal::new(String::new());
    let new_role = RwSignal::new(PartyRole::Partner);
    // Service being added.
    // Barrier being added.

    let org_name = Callback::new(move |oid: i32| {
        org_list().into_iter().find(|o| o.id == oid).map_or_else(
            || oid.to_string(),
            |o| {
                format!(
                    "{} ({})",
                    lang().pick_text(&o.name, o.name_fr.as_deref()),
                    o.code
                )
            },
        )
    });

    view! {
        <Show when=move || conflict.read().is_some()>
            <div class="error-summary conflict" role="alert" data-testid="conflict">
                <h2>{move || t().conflict_title}</h2>
                <p>{move || t().conflict_body}</p>
                <ChangeTable changes=Signal::derive(move || conflict.get().map(|c| c.1).unwrap_or_default()) />
                <div class="form-actions">
                    <button type="button" class="primary" on:click=reapply>{move || t().reapply}</button>
                    <button type="button" class="secondary" on:click=discard>{move || t().discard_mine}</button>
                </div>
            </div>
        </Show>
        <Show when=move || attempted.get() && !problems.with(Vec::is_empty) || server_error.read().is_some() && conflict.read().is_none()>
            <div class="error-summary" role="alert" tabindex="-1" data-testid="form-errors">
                <h2>{move || t().there_is_a_problem}</h2>
                <ul>
                    {move || problems.get().into_iter().map(|p| view! {
                        <li><a href=format!("#{}", p.field)>{p.message}</a></li>
                    }).collect_view()}
                    {move || server_error.get().map(|e| view! {
                        <li>{e.message.clone()}</li>
                        {e.details.iter().map(|d| match form_field(&d.field) {
                            // A service's problem says which service.
                            Some(f) => {
                                let text = service_of(&d.field).map_or_else(
                                    || d.message.clone(),
                                    |i| format!("{} {}: {}", t().col_service, i + 1, d.message),
                                );
                                view! { <li><a href=format!("#{f}")>{text}</a></li> }.into_any()
                            }
                            None => view! { <li>{d.describe()}</li> }.into_any(),
                        }).collect_view()}
                    })}
                </ul>
            </div>
        </Show>
        <form class="agreement-form" on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <fieldset>
                <legend>{move || t().section_basics}</legend>
                <div class="grid-form">
                    <div class="field wide">
                        <span class="field-error">{problem_at("f-title")}</span>
                        <BilingualField id="f-title" label=Signal::derive(move || t().col_title) max_chars=200 required=true
                            en=Signal::derive(move || terms.with(|tm| tm.title.clone()))
                            set_en=Callback::new(move |v| terms.update(|tm| tm.title = v))
                            fr=Signal::derive(move || terms.with(|tm| tm.title_fr.clone().unwrap_or_default()))
                            set_fr=Callback::new(move |v| terms.update(|tm| tm.title_fr = Some(v))) />
                    </div>
                    <div class="field wide">
                        <BilingualField id="f-summary" label=Signal::derive(move || t().summary) max_chars=4000 rows=3
                            en=Signal::derive(move || terms.with(|tm| tm.summary.clone()))
                            set_en=Callback::new(move |v| terms.update(|tm| tm.summary = v))
                            fr=Signal::derive(move || terms.with(|tm| tm.summary_fr.clone().unwrap_or_default()))
                            set_fr=Callback::new(move |v| terms.update(|tm| tm.summary_fr = Some(v))) />
                    </div>
                    <EnumField id="f-purpose" label=Signal::derive(move || t().col_purpose) all=Purpose::ALL name=Purpose::as_str text=Lang::purpose
                        get=Signal::derive(move || terms.with(|tm| tm.purpose)) set=move |v| terms.update(|tm| tm.purpose = v) />
                    <EnumField id="f-structure" label=Signal::derive(move || t().col_structure) all=Structure::ALL name=Structure::as_str text=Lang::structure
                        get=Signal::derive(move || terms.with(|tm| tm.structure)) set=move |v| terms.update(|tm| tm.structure = v) />
                    <EnumField id="f-ptype" label=Signal::derive(move || t().partnership_type) all=PartnershipType::ALL name=PartnershipType::as_str text=Lang::partnership_type
                        get=Signal::derive(move || terms.with(|tm| tm.partnership_type)) set=move |v| terms.update(|tm| tm.partnership_type = v) />
                    <div class="field">
                        <label for="f-starts-on">{move || t().starts_on}</label>
                        <input id="f-starts-on" type="date"
                            prop:value=move || terms.with(|tm| tm.starts_on.to_string())
                            on:input=move |ev| { if let Some(d) = parse_date(&event_target_value(&ev)) { terms.update(|tm| tm.starts_on = d) } } />
                    </div>
                    <div class="field">
                        <label for="f-ends-on">{move || t().ends_on}</label>
                        <span class="field-error">{problem_at("f-ends-on")}</span>
                        <input id="f-ends-on" type="date"
                            prop:value=move || terms.with(|tm| tm.ends_on.to_string())
                            on:input=move |ev| { if let Some(d) = parse_date(&event_target_value(&ev)) { terms.update(|tm| tm.ends_on = d) } } />
                    </div>
                    <div class="field">
                        <label for="f-currency">{move || t().currency}</label>
                        <span class="field-error">{problem_at("f-currency")}</span>
                        <input id="f-currency" type="text" maxlength="3"
                            prop:value=move || terms.with(|tm| tm.currency.clone())
                            on:input=move |ev| terms.update(|tm| tm.currency = event_target_value(&ev).to_uppercase()) />
                    </div>
                    <div class="field">
                        <label for="f-fiscal">{move || t().fiscal_month}</label>
                        <input id="f-fiscal" type="number" min="1" max="12"
                            prop:value=move || terms.with(|tm| tm.fiscal_year_start_month.unwrap_or(1).to_string())
                            on:input=move |ev| { if let Ok(m) = event_target_value(&ev).parse() { terms.update(|tm| tm.fiscal_year_start_month = Some(m)) } } />
                    </div>
                    <div class="field">
                        <label for="f-notice">{move || t().renewal_days}</label>
                        <input id="f-notice" type="number" min="0" max="730"
                            prop:value=move || terms.with(|tm| tm.renewal_notice_days.unwrap_or(90).to_string())
                            on:input=move |ev| { if let Ok(d) = event_target_value(&ev).parse() { terms.update(|tm| tm.renewal_notice_days = Some(d)) } } />
                    </div>
                    <div class="field wide">
                        <label for="f-parent">{move || t().parent_agreement}</label>
                        <select id="f-parent" on:change=move |ev| {
                            let v = event_target_value(&ev).parse::<i32>().ok();
                            terms.update(|tm| tm.parent_id = v);
                        }>
                            <option value="" selected=move || terms.with(|tm| tm.parent_id.is_none())>"—"</option>
                            {move || parents.get_value().into_iter()
                                .filter(|a| Some(a.id) != id)
                                .map(|a| {
                                    let aid = a.id;
                                    view! {
                                        <option value=aid.to_string() selected=move || terms.with(|tm| tm.parent_id == Some(aid))>
                                            {a.reference.clone()} " — " {a.title}
                                        </option>
                                    }
                                }).collect_view()}
                        </select>
                    </div>
                    <div class="field wide">
                        <label for="f-published">
                            <input id="f-published" type="checkbox" aria-describedby="f-published-hint"
                                prop:checked=move || terms.with(|tm| tm.published)
                                on:change=move |ev| terms.update(|tm| tm.published = event_target_checked(&ev)) />
                            " " {move || t().published_term}
                        </label>
                        <span id="f-published-hint" class="hint">{move || t().published_hint}</span>
                    </div>
                </div>
            </fieldset>

            <fieldset>
                <legend>{move || t().parties}</legend>
                <span class="field-error">{problem_at("f-add-party")}</span>
                <ul class="party-list" data-testid="form-parties">
                    {move || terms.with(|tm| tm.parties.clone()).into_iter().enumerate().map(|(i, p)| {
                        let label = org_name.run(p.organisation_id);
                        view! {
                            <li>
                                <span>{label.clone()}</span>
                                <select aria-label=format!("{} — {label}", t().col_role)
                                    on:change=move |ev| {
                                        if let Ok(r) = event_target_value(&ev).parse::<PartyRole>() {
                                            terms.update(|tm| tm.parties[i].role = r);
                                        }
                                    }>
                                    {PartyRole::ALL.iter().map(|r| {
                                        let r = *r;
                                        view! { <option value=r.as_str() selected=p.role == r>{move || lang().role(r)}</option> }
                                    }).collect_view()}
                                </select>
                                <RemoveButton remove=move || terms.update(|tm| { tm.parties.remove(i); }) />
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <div class="inline-form">
                    <div class="field">
                        <label for="f-add-party">{move || t().organisation_label}</label>
                        <select id="f-add-party" on:change=move |ev| new_org.set(event_target_value(&ev))
                            prop:value=move || new_org.get()>
                            <option value="">{move || t().choose}</option>
                            {move || org_list().into_iter().map(|o: OrganisationView| view! {
                                <option value=o.id.to_string()>{o.name.clone()} " (" {o.code.clone()} ")"</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <EnumField id="f-add-role" label=Signal::derive(move || t().col_role) all=PartyRole::ALL name=PartyRole::as_str text=Lang::role
                        get=Signal::derive(move || new_role.get()) set=move |v| new_role.set(v) />
                    <button type="button" class="secondary" on:click=move |_| {
                        if let Ok(oid) = new_org.get_untracked().parse::<i32>() {
                            let role = new_role.get_untracked();
                            terms.update(|tm| {
                                if !tm.parties.iter().any(|p| p.organisation_id == oid) {
                                    tm.parties.push(PartyParams { organisation_id: oid, role });
                                }
                            });
                            new_org.set(String::new());
                        }
                    }>{move || t().add_party}</button>
                </div>
                <div class="boundaries-live" aria-live="polite" data-testid="live-boundaries">
                    <h3>{move || t().boundaries_crossed}</h3>
                    {move || {
                        let crossed = boundaries_crossed(&facts().into_iter().map(|(f, _)| f).collect::<Vec<_>>());
                        if crossed.is_empty() {
                            view! { <p class="muted">{move || t().none_crossed}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="boundaries">
                                    {crossed.into_iter().map(|b| view! {
                                        <li>
                                            <strong class=format!("tag boundary-{}", b.as_str())>{move || lang().boundary(b)}</strong>
                                            " " {move || lang().boundary_explanation(b)}
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                    }}
                    <p class="note">{move || t().kernaghan_note}</p>
                </div>
            </fieldset>

            <ServicesFieldset terms org_name server_error problems=Signal::derive(move || {
                // The server's problems with one service are shown beside it.
                let mut found: Vec<String> = problems.with(|ps| {
                    ps.iter().filter(|p| p.field == "f-services").map(|p| p.message.clone()).collect()
                });
                server_error.with(|e| found.extend(e.iter().flat_map(|e| &e.details)
                    .filter(|d| form_field(&d.field) == Some("f-services") && service_of(&d.field).is_none())
                    .map(|d| d.message.clone())));
                found.join(" ")
            }) />

            <LifeEventsFieldset terms events />

            <BarriersFieldset terms org_name />

            <GovernanceFieldset terms />

            <PropagationFieldset terms org_name events />

            <MinimumsFieldset terms />

            {id.is_some().then(|| view! {
                <fieldset>
                    <legend>{move || t().version_label}</legend>
                    <div class="grid-form">
                        <div class="field wide">
                            <label for="f-change-summary">{move || t().change_summary}</label>
                            <span class="field-error">{problem_at("f-change-summary")}</span>
                            <input id="f-change-summary" type="text" maxlength="500" bind:value=change_summary />
                        </div>
                        <div class="field">
                            <label for="f-effective">{move || t().effective_from}</label>
                            <input id="f-effective" type="date"
                                prop:value=move || terms.with(|tm| tm.effective_from.map(|d| d.to_string()).unwrap_or_default())
                                on:input=move |ev| terms.update(|tm| tm.effective_from = parse_date(&event_target_value(&ev))) />
                        </div>
                    </div>
                </fieldset>
            })}
            <div class="form-actions">
                <button type="submit" class="primary" data-testid="save-agreement" disabled=move || save.pending().get()>
                    {move || if id.is_some() { t().save_version } else { t().save_draft }}
                </button>
            </div>
        </form>
    }
}

/// A labelled `<select>` over an enum, reading and writing through closures.
/// The current language and its messages, for the fieldsets below.
fn texts() -> (
    impl Fn() -> Lang + Copy,
    impl Fn() -> &'static crate::i18n::Messages + Copy,
) {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    (lang, move || i18n.lang.get().t())
}

/// A service standard being written, for one channel.
#[derive(Clone, Debug, Default, PartialEq)]
struct StandardDraft {
    standard: String,
    standard_fr: String,
    target: String,
}

/// The position of the service a request field names (`services[2].fee`
/// is the third), if it names one.
fn service_of(field: &str) -> Option<usize> {
    field
        .strip_prefix("services[")?
        .split(']')
        .next()?
        .parse()
        .ok()
}

/// The service being added or edited, field by field; `editing` is the
/// position of the service it will replace (none: it is added).
#[derive(Clone, Copy)]
struct ServiceEditor {
    editing: RwSignal<Option<usize>>,
    code: RwSignal<String>,
    name: RwSignal<String>,
    name_fr: RwSignal<String>,
    by: RwSignal<String>,
    channels: RwSignal<Vec<Channel>>,
    clients: RwSignal<Vec<ClientType>>,
    service_type: RwSignal<ServiceType>,
    fee: RwSignal<String>,
    stages: RwSignal<Vec<OnlineStage>>,
    standards: RwSignal<BTreeMap<Channel, StandardDraft>>,
    /// What stops the service from being added, as found on the last try.
    problems: RwSignal<Vec<String>>,
}

impl ServiceEditor {
    fn new() -> Self {
        Self {
            editing: RwSignal::new(None),
            code: RwSignal::new(String::new()),
            name: RwSignal::new(String::new()),
            name_fr: RwSignal::new(String::new()),
            by: RwSignal::new(String::new()),
            channels: RwSignal::new(Vec::new()),
            clients: RwSignal::new(Vec::new()),
            service_type: RwSignal::new(ServiceType::default()),
            fee: RwSignal::new(String::new()),
            stages: RwSignal::new(Vec::new()),
            standards: RwSignal::new(BTreeMap::new()),
            problems: RwSignal::new(Vec::new()),
        }
    }

    /// Empties every field, for the next service.
    fn clear(self) {
        self.editing.set(None);
        for text in [self.code, self.name, self.name_fr, self.by, self.fee] {
            text.set(String::new());
        }
        self.channels.set(Vec::new());
        self.clients.set(Vec::new());
        self.service_type.set(ServiceType::default());
        self.stages.set(Vec::new());
        self.standards.set(BTreeMap::new());
        self.problems.set(Vec::new());
    }

    /// Fills the fields with service `i` of the terms, to edit it.
    fn load(self, i: usize, s: &ServiceParams) {
        self.editing.set(Some(i));
        self.code.set(s.code.clone().unwrap_or_default());
        self.name.set(s.name.clone());
        self.name_fr.set(s.name_fr.clone().unwrap_or_default());
        self.by.set(s.delivered_by.to_string());
        self.channels.set(s.channels.clone());
        self.clients.set(s.client_types.clone());
        self.service_type.set(s.service_type);
        self.fee.set(s.fee.clone().unwrap_or_default());
        self.stages.set(s.online_stages.clone());
        self.standards.set(
            s.standards
                .iter()
                .map(|st| {
                    (
                        st.channel,
                        StandardDraft {
                            standard: st.standard.clone(),
                            standard_fr: st.standard_fr.clone().unwrap_or_default(),
                            target: st.target.clone(),
                        },
                    )
                })
                .collect(),
        );
        self.problems.set(Vec::new());
    }

    /// The service the fields describe, checked with the server's rules,
    /// or what is wrong with it. `others` are the terms' other services.
    fn build(
        self,
        m: &crate::i18n::Messages,
        currency: Option<Currency>,
        others: &[ServiceParams],
    ) -> Result<ServiceParams, Vec<String>> {
        let mut problems = Vec::new();
        let name = self.name.get_untracked().trim().to_owned();
        let by = self.by.get_untracked().parse::<i32>();
        if name.is_empty() || by.is_err() {
            problems.push(m.form_service_need_name.to_owned());
        }
        let code = self.code.get_untracked().trim().to_uppercase();
        if !code.is_empty() {
            if code_problem(&code).is_some() {
                problems.push(m.form_service_code.to_owned());
            } else if others
                .iter()
                .any(|o| o.code.as_deref() == Some(code.as_str()))
            {
                problems.push(m.form_service_code_taken.to_owned());
            }
        }
        let fee = self.fee.get_untracked().trim().to_owned();
        if !fee.is_empty() {
            let valid = match currency {
                Some(c) => Money::parse_non_negative(&fee, c).is_ok(),
                None => fee.parse::<Decimal>().is_ok_and(|d| !d.is_sign_negative()),
            };
            if !valid {
                problems.push(m.form_service_fee.to_owned());
            }
        }
        // Channels in the order the page lists them; a standard only for
        // a channel still chosen.
        let chosen = self.channels.get_untracked();
        let channels: Vec<Channel> = Channel::ALL
            .iter()
            .copied()
            .filter(|c| chosen.contains(c))
            .collect();
        let drafts = self.standards.get_untracked();
        let mut standards = Vec::new();
        let (mut need_text, mut need_target) = (false, false);
        for c in &channels {
            let Some(d) = drafts.get(c) else { continue };
            let (text, text_fr, target) =
                (d.standard.trim(), d.standard_fr.trim(), d.target.trim());
            if text.is_empty() && text_fr.is_empty() && target.is_empty() {
                continue;
            }
            if text.is_empty() {
                need_text = true;
            }
            if Percent::parse(target).is_err() {
                need_target = true;
            }
            standards.push(StandardParams {
                channel: *c,
                standard: text.to_owned(),
                standard_fr: Some(text_fr.to_owned()).filter(|t| !t.is_empty()),
                target: target.to_owned(),
            });
        }
        if need_text {
            problems.push(m.form_standard_text.to_owned());
        }
        if need_target {
            problems.push(m.form_standard_target.to_owned());
        }
        let Ok(delivered_by) = by else {
            return Err(problems);
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        let stages = self.stages.get_untracked();
        let clients = self.clients.get_untracked();
        Ok(ServiceParams {
            code: Some(code).filter(|c| !c.is_empty()),
            name,
            name_fr: Some(self.name_fr.get_untracked().trim().to_owned()).filter(|n| !n.is_empty()),
            delivered_by,
            channels,
            client_types: ClientType::ALL
                .iter()
                .copied()
                .filter(|c| clients.contains(c))
                .collect(),
            service_type: self.service_type.get_untracked(),
            fee: Some(fee).filter(|f| !f.is_empty()),
            online_stages: OnlineStage::ALL
                .iter()
                .copied()
                .filter(|s| stages.contains(s))
                .collect(),
            standards,
        })
    }
}

/// The services of the proposed terms, each delivered by a party through
/// its channels, with what the service inventory records of it (its id,
/// clients, type, fee, online stages and standards), and a small form to
/// add one or edit one. A service keeps its id (`code`) when edited: it is
/// how the server knows it for the same service across versions.
#[component]
fn ServicesFieldset(
    terms: RwSignal<AgreementTermsParams>,
    org_name: Callback<i32, String>,
    server_error: RwSignal<Option<AppError>>,
    /// The page's findings about the services, and the server's that name
    /// no one service.
    problems: Signal<String>,
) -> impl IntoView {
    let (lang, t) = texts();
    let org_name = move |oid: i32| org_name.run(oid);
    let ed = ServiceEditor::new();
    // The server's problems with service `i`, beside it.
    let row_problems = move |i: usize| {
        server_error.with(|e| {
            e.iter()
                .flat_map(|e| &e.details)
                .filter(|d| service_of(&d.field) == Some(i))
                .map(|d| d.message.clone())
                .collect::<Vec<_>>()
                .join(" ")
        })
    };
    let save = move |_| {
        let editing = ed.editing.get_untracked();
        let (currency, others) = terms.with_untracked(|tm| {
            let others: Vec<ServiceParams> = tm
                .services
                .iter()
                .enumerate()
                .filter(|(j, _)| Some(*j) != editing)
                .map(|(_, s)| s.clone())
                .collect();
            (Currency::parse(tm.currency.trim()).ok(), others)
        });
        match ed.build(t(), currency, &others) {
            Err(found) => ed.problems.set(found),
            Ok(service) => {
                terms.update(|tm| match editing {
                    Some(i) if i < tm.services.len() => tm.services[i] = service,
                    _ => tm.services.push(service),
                });
                ed.clear();
            }
        }
    };
    let remove = move |i: usize| {
        terms.update(|tm| {
            tm.services.remove(i);
        });
        match ed.editing.get_untracked() {
            Some(j) if j == i => ed.clear(),
            Some(j) if j > i => ed.editing.set(Some(j - 1)),
            _ => {}
        }
    };
    view! {
    <fieldset id="f-services">
        <legend>{move || t().services}</legend>
        <span class="field-error">{problems}</span>
        <ul class="party-list service-list" data-testid="form-services">
            {move || terms.with(|tm| tm.services.clone()).into_iter().enumerate().map(|(i, s)| {
                let channels = s.channels.clone();
                let clients = s.client_types.clone();
                let service_type = s.service_type;
                let stages = s.online_stages.clone();
                let standards = s.standards.clone();
                let fee = s.fee.clone();
                let currency = terms.with_untracked(|tm| tm.currency.clone());
                let editing_this = move || ed.editing.get() == Some(i);
                let s_for_edit = s.clone();
                view! {
                    <li data-code=s.code.unwrap_or_default() class:editing=editing_this>
                        <span class="service-summary">
                            {s.code.clone().map(|c| view! { <span class="code">{c}</span> " " })}
                            <strong><Translated en=s.name.clone() fr=s.name_fr.clone() /></strong> " — " {org_name(s.delivered_by)} " — "
                            {channels.into_iter().map(|c| view! { <span class="tag">{move || lang().channel(c)}</span> " " }).collect_view()}
                            <span class="service-facts">
                                {move || t().service_type(service_type)}
                                {move || {
                                    let names = clients.iter().map(|c| t().client_type(*c)).collect::<Vec<_>>().join(", ");
                                    if names.is_empty() { String::new() } else { format!(" · {names}") }
                                }}
                                " · " {move || fee.as_deref().map_or_else(|| t().no_fee.to_owned(), |f| fee_text(lang(), f, &currency))}
                                " · " {move || t().col_online_stages} " " {move || stages_text(lang(), &stages).0}
                                {move || standards.iter().map(|st| format!(" · {} {}", lang().channel(st.channel), percent_text(lang(), &st.target))).collect::<String>()}
                            </span>
                            <span class="field-error" data-field=format!("services[{i}]")>{move || row_problems(i)}</span>
                        </span>
                        <button type="button" class="secondary small" aria-label=move || format!("{} — {}", t().edit, s.name)
                            on:click=move |_| ed.load(i, &s_for_edit)>
                            {move || t().edit}
                        </button>
                        <button type="button" class="secondary small" on:click=move |_| remove(i)>
                            {move || t().remove}
                        </button>
                    </li>
                }
            }).collect_view()}
        </ul>
        <div class="inline-form service-editor" data-testid="service-editor">
            <div class="field code-field">
                <label for="f-svc-code">{move || t().service_code_label}</label>
                <input id="f-svc-code" type="text" maxlength="20" size="12" autocomplete="off" aria-describedby="f-svc-code-hint"
                    prop:value=move || ed.code.get()
                    on:input=move |ev| ed.code.set(event_target_value(&ev).to_uppercase()) />
                <span id="f-svc-code-hint" class="hint">{move || t().service_code_hint}</span>
            </div>
            <div class="field full">
                <BilingualField id="f-svc-name" label=Signal::derive(move || t().service_name) max_chars=200
                    en=ed.name.into() set_en=Callback::new(move |v| ed.name.set(v))
                    fr=ed.name_fr.into() set_fr=Callback::new(move |v| ed.name_fr.set(v)) />
            </div>
            <PartySelect id="f-svc-by" label=Signal::derive(move || t().col_delivered_by) terms org_name=Callback::new(org_name) value=ed.by />
            <EnumField id="f-svc-type" label=Signal::derive(move || t().col_service_type) all=ServiceType::ALL name=ServiceType::as_str text=|l, v| l.t().service_type(v)
                get=Signal::derive(move || ed.service_type.get()) set=move |v| ed.service_type.set(v) />
            <div class="field">
                <label for="f-svc-fee">{move || t().fee_label}</label>
                <input id="f-svc-fee" type="text" inputmode="decimal" size="10" aria-describedby="f-svc-fee-hint"
                    prop:value=move || ed.fee.get()
                    on:input=move |ev| ed.fee.set(event_target_value(&ev)) />
                <span id="f-svc-fee-hint" class="hint">{move || t().fee_hint}</span>
            </div>
            <Checks legend=Signal::derive(move || t().col_channels) prefix="f-ch" all=Channel::ALL name=Channel::as_str text=Lang::channel chosen=ed.channels />
            <Checks legend=Signal::derive(move || t().col_client_types) prefix="f-ct" all=ClientType::ALL name=ClientType::as_str text=|l, v| l.t().client_type(v) chosen=ed.clients />
            <Checks legend=Signal::derive(move || t().col_online_stages) prefix="f-os" all=OnlineStage::ALL name=OnlineStage::as_str text=|l, v| l.t().online_stage(v) chosen=ed.stages />
            <fieldset class="standards-edit field full" id="f-svc-standards">
                <legend>{move || t().standards_legend}</legend>
                <p class="hint">{move || t().standards_hint}</p>
                {move || {
                    let chosen = ed.channels.get();
                    let channels: Vec<Channel> = Channel::ALL.iter().copied().filter(|c| chosen.contains(c)).collect();
                    if channels.is_empty() {
                        return view! { <p class="muted">{move || t().choose_channels_first}</p> }.into_any();
                    }
                    channels.into_iter().map(|c| {
                        let read = move |f: fn(&StandardDraft) -> &String| ed.standards.with(|m| m.get(&c).map(|d| f(d).clone()).unwrap_or_default());
                        let write = move |f: fn(&mut StandardDraft) -> &mut String, v: String| ed.standards.update(|m| *f(m.entry(c).or_default()) = v);
                        let target_id = format!("f-std-{}-target", c.as_str());
                        view! {
                            <fieldset class="standard-edit" data-channel=c.as_str()>
                                <legend>{move || lang().channel(c)}</legend>
                                <BilingualField id=format!("f-std-{}", c.as_str()) label=Signal::derive(move || t().standard_label) max_chars=500
                                    en=Signal::derive(move || read(|d| &d.standard)) set_en=Callback::new(move |v| write(|d| &mut d.standard, v))
                                    fr=Signal::derive(move || read(|d| &d.standard_fr)) set_fr=Callback::new(move |v| write(|d| &mut d.standard_fr, v)) />
                                <div class="field">
                                    <label for=target_id.clone()>{move || t().target_percent}</label>
                                    <input id=target_id type="text" inputmode="decimal" size="6"
                                        prop:value=move || read(|d| &d.target)
                                        on:input=move |ev| write(|d| &mut d.target, event_target_value(&ev)) />
                                </div>
                            </fieldset>
                        }
                    }).collect_view().into_any()
                }}
            </fieldset>
            <p class="field-error full" role="alert" data-testid="service-problems">{move || ed.problems.get().join(" ")}</p>
            <div class="form-actions">
                <button type="button" class="secondary" data-testid="add-service" on:click=save>
                    {move || if ed.editing.get().is_some() { t().save_service } else { t().add_service }}
                </button>
                <Show when=move || ed.editing.get().is_some()>
                    <button type="button" class="secondary" on:click=move |_| ed.clear()>{move || t().cancel}</button>
                </Show>
            </div>
        </div>
    </fieldset>
    }
}

/// A group of checkboxes over an enum, each `{prefix}-{value}`, writing the
/// values chosen.
#[component]
fn Checks<T>(
    legend: Signal<&'static str>,
    prefix: &'static str,
    all: &'static [T],
    name: fn(T) -> &'static str,
    text: fn(Lang, T) -> &'static str,
    chosen: RwSignal<Vec<T>>,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    let i18n = use_i18n();
    view! {
        <fieldset class="checks">
            <legend>{legend}</legend>
            {all.iter().map(|v| {
                let v = *v;
                let cid = format!("{prefix}-{}", name(v));
                let cid_for = cid.clone();
                view! {
                    <label for=cid_for>
                        <input id=cid type="checkbox"
                            prop:checked=move || chosen.with(|c| c.contains(&v))
                            on:change=move |_| chosen.update(|c| if let Some(i) = c.iter().position(|x| *x == v) { c.remove(i); } else { c.push(v); }) />
                        {move || text(i18n.lang.get(), v)}
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// The catalogue of life events: code, name, French name.
type LifeEventList = Vec<(String, String, Option<String>)>;

/// The life events the proposed terms cover, as checkboxes.
#[component]
fn LifeEventsFieldset(
    terms: RwSignal<AgreementTermsParams>,
    events: StoredValue<LifeEventList>,
) -> impl IntoView {
    let (lang, t) = texts();
    view! {
    <fieldset>
        <legend>{move || t().life_events}</legend>
        <div class="checks">
            {move || events.get_value().into_iter().map(|(code, name, name_fr)| {
                let cid = format!("f-le-{code}");
                let cid_for = cid.clone();
                let code2 = code.clone();
                view! {
                    <label for=cid_for>
                        <input id=cid type="checkbox"
                            prop:checked=move || terms.with(|tm| tm.life_events.contains(&code))
                            on:change=move |_| terms.update(|tm| {
                                if let Some(i) = tm.life_events.iter().position(|c| *c == code2) { tm.life_events.remove(i); } else { tm.life_events.push(code2.clone()); }
                            }) />
                        {lang().pick_text(&name, name_fr.as_deref()).to_owned()}
                    </label>
                }
            }).collect_view()}
        </div>
    </fieldset>
    }
}

/// The barriers of the proposed terms, with a small form to add one.
#[component]
fn BarriersFieldset(
    terms: RwSignal<AgreementTermsParams>,
    org_name: Callback<i32, String>,
) -> impl IntoView {
    let (lang, t) = texts();
    let org_name = move |oid: i32| org_name.run(oid);
    let bar_category = RwSignal::new(BarrierCategory::Operational);
    let bar_description = RwSignal::new(String::new());
    let bar_severity = RwSignal::new("3".to_owned());
    let bar_description_fr = RwSignal::new(String::new());
    let bar_mitigation = RwSignal::new(String::new());
    let bar_mitigation_fr = RwSignal::new(String::new());
    let bar_actions = RwSignal::new(String::new());
    let bar_actions_fr = RwSignal::new(String::new());
    let bar_owner = RwSignal::new(String::new());
    let bar_status = RwSignal::new(BarrierStatus::Open);
    view! {
    <fieldset>
        <legend>{move || t().barriers}</legend>
        <ul class="party-list">
            {move || terms.with(|tm| tm.barriers.clone()).into_iter().enumerate().map(|(i, b)| {
                let cat = b.category;
                view! {
                    <li>
                        <span>
                            {move || lang().barrier_category(cat)} " (" {b.severity} "): " <Translated en=b.description fr=b.description_fr />
                            {b.mitigation.map(|m| view! { " — " <em><Translated en=m fr=b.mitigation_fr /></em> })}
                            {b.actions.map(|m| view! { " — " {move || t().col_actions} ": " <Translated en=m fr=b.actions_fr /> })}
                            {b.owner_id.map(|o| view! { " — " {org_name(o)} })}
                            " — " {move || lang().barrier_status(b.status)}
                        </span>
                        <RemoveButton remove=move || terms.update(|tm| { tm.barriers.remove(i); }) />
                    </li>
                }
            }).collect_view()}
        </ul>
        <div class="inline-form">
            <EnumField id="f-bar-cat" label=Signal::derive(move || t().col_category) all=BarrierCategory::ALL name=BarrierCategory::as_str text=Lang::barrier_category
                get=Signal::derive(move || bar_category.get()) set=move |v| bar_category.set(v) />
            <div class="field">
                <label for="f-bar-sev">{move || t().col_severity}</label>
                <input id="f-bar-sev" type="number" min="1" max="5" bind:value=bar_severity />
            </div>
            <PartySelect id="f-bar-owner" label=Signal::derive(move || t().col_owner) terms org_name=Callback::new(org_name) value=bar_owner />
            <EnumField id="f-bar-status" label=Signal::derive(move || t().col_status) all=BarrierStatus::ALL name=BarrierStatus::as_str text=Lang::barrier_status
                get=Signal::derive(move || bar_status.get()) set=move |v| bar_status.set(v) />
            <div class="field full">
                <BilingualField id="f-bar-desc" label=Signal::derive(move || t().col_description) max_chars=4000
                    en=bar_description.into() set_en=Callback::new(move |v| bar_description.set(v))
                    fr=bar_description_fr.into() set_fr=Callback::new(move |v| bar_description_fr.set(v)) />
            </div>
            <div class="field full">
                <BilingualField id="f-bar-mit" label=Signal::derive(move || t().col_mitigation) max_chars=4000
                    en=bar_mitigation.into() set_en=Callback::new(move |v| bar_mitigation.set(v))
                    fr=bar_mitigation_fr.into() set_fr=Callback::new(move |v| bar_mitigation_fr.set(v)) />
            </div>
            <div class="field full">
                <BilingualField id="f-bar-act" label=Signal::derive(move || t().col_actions) max_chars=4000
                    en=bar_actions.into() set_en=Callback::new(move |v| bar_actions.set(v))
                    fr=bar_actions_fr.into() set_fr=Callback::new(move |v| bar_actions_fr.set(v)) />
            </div>
            <button type="button" class="secondary" on:click=move |_| {
                let d = bar_description.get_untracked();
                if let (false, Ok(sev)) = (d.trim().is_empty(), bar_severity.get_untracked().parse::<i16>()) {
                    let category = bar_category.get_untracked();
                    let some_text = |v: RwSignal<String>| Some(v.get_untracked()).filter(|m| !m.trim().is_empty());
                    let (description_fr, mitigation, mitigation_fr) = (some_text(bar_description_fr), some_text(bar_mitigation), some_text(bar_mitigation_fr));
                    let (actions, actions_fr) = (some_text(bar_actions), some_text(bar_actions_fr));
                    let owner_id = bar_owner.get_untracked().parse::<i32>().ok();
                    let status = bar_status.get_untracked();
                    terms.update(|tm| tm.barriers.push(BarrierParams {
                        key: None,
                        actions,
                        actions_fr,
                        category, description: d, description_fr, severity: sev.clamp(1, 5), mitigation, mitigation_fr, owner_id, status,
                    }));
                    for field in [bar_description, bar_description_fr, bar_mitigation, bar_mitigation_fr, bar_actions, bar_actions_fr] {
                        field.set(String::new());
                    }
                }
            }>{move || t().add_barrier}</button>
        </div>
    </fieldset>
    }
}

/// The governance sections of the proposed terms, one text each in both
/// languages. A section is kept while either version has text.
#[component]
fn GovernanceFieldset(terms: RwSignal<AgreementTermsParams>) -> impl IntoView {
    let (lang, t) = texts();
    // Writes one language's body of section `s`, keeping the other's.
    let write = move |s: GovernanceSection, fr: bool, text: String| {
        terms.update(|tm| {
            let old = tm
                .governance
                .iter()
                .position(|g| g.section == s)
                .map(|i| tm.governance.remove(i));
            let (mut body, mut body_fr) =
                old.map_or((String::new(), None), |g| (g.body, g.body_fr));
            if fr {
                body_fr = Some(text).filter(|b| !b.trim().is_empty());
            } else {
                body = text;
            }
            if !body.trim().is_empty() || body_fr.is_some() {
                tm.governance.push(GovernanceParams {
                    section: s,
                    body,
                    body_fr,
                });
            }
        });
    };
    let read = move |s: GovernanceSection, fr: bool| {
        terms.with(|tm| {
            tm.governance
                .iter()
                .find(|g| g.section == s)
                .map(|g| {
                    if fr {
                        g.body_fr.clone().unwrap_or_default()
                    } else {
                        g.body.clone()
                    }
                })
                .unwrap_or_default()
        })
    };
    view! {
    <fieldset>
        <legend>{move || t().governance}</legend>
        {GovernanceSection::ALL.iter().map(|s| {
            let s = *s;
            view! {
                <div class="field wide">
                    <BilingualField id=format!("f-gov-{}", s.as_str()) label=Signal::derive(move || lang().governance_section(s)) max_chars=4000 rows=2
                        en=Signal::derive(move || read(s, false)) set_en=Callback::new(move |v| write(s, false, v))
                        fr=Signal::derive(move || read(s, true)) set_fr=Callback::new(move |v| write(s, true, v)) />
                </div>
            }
        }).collect_view()}
    </fieldset>
    }
}

/// Tell Us Once: for each life event covered, who receives the citizen's
/// notice, whom it tells, and the target times, with a small form to add
/// a term.
#[component]
fn PropagationFieldset(
    terms: RwSignal<AgreementTermsParams>,
    org_name: Callback<i32, String>,
    events: StoredValue<LifeEventList>,
) -> impl IntoView {
    use crate::wire::negotiation::PropagationTerm;
    let (lang, t) = texts();
    let org_name = move |oid: i32| org_name.run(oid);
    let event_name = move |code: &str| {
        events
            .get_value()
            .into_iter()
            .find(|(c, _, _)| c == code)
            .map_or_else(
                || code.to_owned(),
                |(_, n, fr)| lang().pick_text(&n, fr.as_deref()).to_owned(),
            )
    };
    let event = RwSignal::new(String::new());
    let intake = RwSignal::new(String::new());
    let told = RwSignal::new(Vec::<i32>::new());
    let ack = RwSignal::new("2".to_owned());
    let act = RwSignal::new("10".to_owned());
    view! {
    <fieldset id="f-propagation">
        <legend>{move || t().propagation_title}</legend>
        <p class="note">{move || t().propagation_note}</p>
        <ul class="party-list">
            {move || terms.with(|tm| tm.propagation.clone()).into_iter().enumerate().map(|(i, p)| {
                let code = p.life_event.clone();
                let told_names = move || p.told_organisation_ids.iter().map(|o| org_name(*o)).collect::<Vec<_>>().join(", ");
                view! {
                    <li>
                        <span>
                            <strong>{move || event_name(&code)}</strong> ": " {org_name(p.intake_organisation_id)} " → " {told_names}
                            " (" {p.acknowledge_days} " / " {p.act_days} ")"
                        </span>
                        <RemoveButton remove=move || terms.update(|tm| { tm.propagation.remove(i); }) />
                    </li>
                }
            }).collect_view()}
        </ul>
        <div class="inline-form">
            <div class="field">
                <label for="f-prop-event">{move || t().col_life_event}</label>
                <select id="f-prop-event" on:change=move |ev| event.set(event_target_value(&ev)) prop:value=move || event.get()>
                    <option value="">{move || t().choose}</option>
                    {move || terms.with(|tm| tm.life_events.clone()).into_iter().map(|code| {
                        let label = event_name(&code);
                        view! { <option value=code>{label}</option> }
                    }).collect_view()}
                </select>
            </div>
            <PartySelect id="f-prop-intake" label=Signal::derive(move || t().col_intake) terms org_name=Callback::new(org_name) value=intake />
            <fieldset class="checks">
                <legend>{move || t().col_told}</legend>
                {move || terms.with(|tm| tm.parties.clone()).into_iter().map(|p| {
                    let o = p.organisation_id;
                    let cid = format!("f-prop-told-{o}");
                    let cid_for = cid.clone();
                    view! {
                        <label for=cid_for>
                            <input id=cid type="checkbox"
                                prop:checked=move || told.with(|v| v.contains(&o))
                                on:change=move |_| told.update(|v| if let Some(i) = v.iter().position(|x| *x == o) { v.remove(i); } else { v.push(o); }) />
                            {org_name(o)}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <div class="field">
                <label for="f-prop-ack">{move || t().col_acknowledge_days}</label>
                <input id="f-prop-ack" type="number" min="0" max="260" bind:value=ack />
            </div>
            <div class="field">
                <label for="f-prop-act">{move || t().col_act_days}</label>
                <input id="f-prop-act" type="number" min="0" max="260" bind:value=act />
            </div>
            <button type="button" class="secondary" on:click=move |_| {
                let (code, by) = (event.get_untracked(), intake.get_untracked().parse::<i32>());
                let days = (ack.get_untracked().trim().parse::<i32>(), act.get_untracked().trim().parse::<i32>());
                // The server checks the rest (parties, bounds) and says so
                // beside the fieldset.
                if let (false, Ok(by), (Ok(acknowledge_days), Ok(act_days))) = (code.is_empty(), by, days) {
                    let told_ids = told.get_untracked();
                    terms.update(|tm| {
                        tm.propagation.retain(|p| p.life_event != code);
                        tm.propagation.push(PropagationTerm {
                            life_event: code,
                            intake_organisation_id: by,
                            told_organisation_ids: told_ids,
                            acknowledge_days,
                            act_days,
                        });
                    });
                    event.set(String::new());
                    told.set(Vec::new());
                }
            }>{move || t().add_propagation}</button>
        </div>
    </fieldset>
    }
}

/// Minimum service levels: the share of all transactions a channel keeps,
/// on the channels the proposed services are offered through, with a
/// small form to add one (a channel named again is replaced). The share is
/// checked as typed by the rule the server runs.
#[component]
fn MinimumsFieldset(terms: RwSignal<AgreementTermsParams>) -> impl IntoView {
    use crate::domain::channel_shift::ChannelMinimum;
    use crate::wire::cost::ChannelMinimumTerm;
    let (lang, t) = texts();
    let offered = Memo::new(move |_| {
        terms.with(|tm| {
            Channel::ALL
                .iter()
                .copied()
                .filter(|c| tm.services.iter().any(|s| s.channels.contains(c)))
                .collect::<Vec<_>>()
        })
    });
    let channel = RwSignal::new(String::new());
    let share = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    view! {
    <fieldset id="f-minimums">
        <legend>{move || t().minimums_title}</legend>
        <p class="note">{move || t().minimums_note}</p>
        <ul class="party-list" data-testid="minimum-list">
            {move || terms.with(|tm| tm.channel_minimums.clone()).into_iter().enumerate().map(|(i, m)| {
                let (c, sh) = (m.channel, m.share);
                view! {
                    <li data-channel=c.as_str()>
                        <span>{move || lang().minimum_line(c, &sh)}</span>
                        <RemoveButton remove=move || terms.update(|tm| { tm.channel_minimums.remove(i); }) />
                    </li>
                }
            }).collect_view()}
        </ul>
        <div class="inline-form">
            <div class="field">
                <label for="f-min-channel">{move || t().col_channel}</label>
                <select id="f-min-channel" on:change=move |ev| channel.set(event_target_value(&ev)) prop:value=move || channel.get()>
                    <option value="">{move || t().choose}</option>
                    {move || offered.get().into_iter().map(|c| view! {
                        <option value=c.as_str()>{move || lang().channel(c)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="f-min-share">{move || t().minimum_share} " (%)"</label>
                <span class="field-error">{move || problem.get()}</span>
                <input id="f-min-share" type="text" inputmode="decimal" bind:value=share />
            </div>
            <button type="button" class="secondary" data-testid="add-minimum" on:click=move |_| {
                let Ok(c) = channel.get_untracked().parse::<Channel>() else { return };
                let text = share.get_untracked();
                match ChannelMinimum::parse_share(&text) {
                    Err(e) => problem.set(Some(e)),
                    Ok(_) => {
                        problem.set(None);
                        terms.update(|tm| {
                            tm.channel_minimums.retain(|m| m.channel != c);
                            tm.channel_minimums.push(ChannelMinimumTerm { channel: c, share: text.trim().to_owned() });
                            tm.channel_minimums.sort_by_key(|m| m.channel);
                        });
                        channel.set(String::new());
                        share.set(String::new());
                    }
                }
            }>{move || t().add_minimum}</button>
        </div>
    </fieldset>
    }
}

/// The button that takes one element out of a list of the proposed terms.
#[component]
fn RemoveButton(remove: impl Fn() + 'static) -> impl IntoView {
    let (_, t) = texts();
    view! {
        <button type="button" class="secondary small" on:click=move |_| remove()>
            {move || t().remove}
        </button>
    }
}

/// A choice among the proposed terms' parties (or none yet), by
/// organisation id as text: who delivers a service, owns a barrier,
/// receives a notice.
#[component]
fn PartySelect(
    id: &'static str,
    label: Signal<&'static str>,
    terms: RwSignal<AgreementTermsParams>,
    org_name: Callback<i32, String>,
    value: RwSignal<String>,
) -> impl IntoView {
    let (_, t) = texts();
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id on:change=move |ev| value.set(event_target_value(&ev)) prop:value=move || value.get()>
                <option value="">{move || t().choose}</option>
                {move || terms.with(|tm| tm.parties.clone()).into_iter().map(|p| view! {
                    <option value=p.organisation_id.to_string()>{org_name.run(p.organisation_id)}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn EnumField<T>(
    id: &'static str,
    label: Signal<&'static str>,
    all: &'static [T],
    name: fn(T) -> &'static str,
    text: fn(Lang, T) -> &'static str,
    get: Signal<T>,
    set: impl Fn(T) + Send + Sync + 'static,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + std::str::FromStr + 'static,
{
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse::<T>() { set(v) } }>
                {all.iter().map(|v| {
                    let v = *v;
                    view! { <option value=name(v) selected=move || get.get() == v>{move || text(i18n.lang.get(), v)}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// Field-by-field changes, additions and removals marked.
#[component]
pub fn ChangeTable(changes: Signal<Vec<FieldChange>>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.lang.get().t();
    let show = |v: Option<serde_json::Value>| match v {
        None => String::new(),
        Some(serde_json::Value::String(s)) => s,
        Some(other) => other.to_string(),
    };
    view! {
        <Show when=move || !changes.read().is_empty() fallback=move || view! { <p>{move || t().no_differences}</p> }>
            <TableRegion>
                <table class="data diff" data-testid="changes">
                    <thead>
                        <tr>
                            <th scope="col">{move || t().field}</th>
                            <th scope="col">{move || t().change_kind}</th>
                            <th scope="col">{move || t().before}</th>
                            <th scope="col">{move || t().after}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || changes.get().into_iter().map(|c| {
                            let kind = c.change.clone();
                            let label = match kind.as_str() { "added" => t().added, "removed" => t().removed, _ => t().changed };
                            view! {
                                <tr class=format!("diff-{kind}")>
                                    <th scope="row" class="code">{c.path.clone()}</th>
                                    <td>{label}</td>
                                    <td><del>{show(c.before.clone())}</del></td>
                                    <td><ins>{show(c.after)}</ins></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </TableRegion>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::{form_field, service_of};

    #[test]
    fn a_service_s_problem_from_the_server_is_shown_at_the_services_and_names_the_service() {
        assert_eq!(form_field("services[0].code"), Some("f-services"));
        assert_eq!(
            form_field("services[2].standards[1].target"),
            Some("f-services")
        );
        assert_eq!(service_of("services[2].standards[1].target"), Some(2));
        assert_eq!(service_of("services[10].fee"), Some(10));
        assert_eq!(service_of("services"), None);
        assert_eq!(service_of("parties[0].role"), None);
    }
}
