//! Tell Us Once (issue 21): the intake party records a citizen's notice of
//! a life event once — by form or CSV — and each party the agreement says
//! must be told acknowledges its delivery and records the action taken, or
//! declines with a reason. Targets are in working days; a delivery's status
//! (pending, acknowledged, acted, overdue, declined) is the server's. No
//! personal data: a notice names its case by the intake party's reference.

use crate::domain::Channel;
use crate::i18n::{Lang, use_i18n};
use crate::server_fns::notices::{
    acknowledge_delivery, act_on_delivery, load_notices, record_notice,
};
use crate::ui::components::{
    CsvUpload, FieldProblem, FormError, LoadError, Loading, PageTitle, TableRegion,
};
use crate::wire::error::AppError;
use crate::wire::notices::*;
use leptos::prelude::*;
use leptos_router::components::A;

/// A delivery status as a symbol and a word (colour is never the only
/// signal).
fn status_label(lang: Lang, status: &str) -> (&'static str, &'static str) {
    match status {
        "acknowledged" => ("…", lang.pick("Acknowledged", "Accusé")),
        "acted" => ("✓", lang.pick("Acted on", "Suite donnée")),
        "overdue" => ("!", lang.pick("Overdue", "En retard")),
        "declined" => ("✕", lang.pick("Declined", "Refusé")),
        _ => ("…", lang.pick("Pending", "En attente")),
    }
}

#[component]
fn DeliveryStatus(status: String) -> impl IntoView {
    let i18n = use_i18n();
    let class = format!("status-chip status-{status}");
    let data = status.clone();
    view! {
        <span class=class data-testid="delivery-status" data-status=data>
            {move || { let (s, w) = status_label(i18n.lang.get(), &status); format!("{s} {w}") }}
        </span>
    }
}

/// What the notice form holds, kept by the page so that reloading the
/// lists after a save loses nothing typed.
#[derive(Clone, Copy)]
struct NoticeForm {
    agreement_id: RwSignal<i32>,
    life_event: RwSignal<String>,
    received_on: RwSignal<String>,
    channel: RwSignal<Channel>,
    case_reference: RwSignal<String>,
    error: RwSignal<Option<AppError>>,
    saved: RwSignal<Option<NoticeView>>,
}

#[component]
pub fn NoticesPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.lang.get().t();
    let refresh = RwSignal::new(0u32);
    let data = Resource::new(move || refresh.get(), |_| load_notices());
    let form = NoticeForm {
        agreement_id: RwSignal::new(0),
        life_event: RwSignal::new(String::new()),
        received_on: RwSignal::new(crate::clock::today().to_string()),
        channel: RwSignal::new(Channel::InPerson),
        case_reference: RwSignal::new(String::new()),
        error: RwSignal::new(None),
        saved: RwSignal::new(None),
    };
    view! {
        <PageTitle text=|l| l.t().notices_title.into() />
        <h1>{move || t().notices_title}</h1>
        <p class="lede">{move || t().notices_intro}</p>
        <Transition fallback=Loading>
            {move || data.get().map(|r| match r {
                Err(_) => view! { <LoadError /> }.into_any(),
                Ok(v) => view! { <NoticesBody v refresh form /> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn NoticesBody(v: NoticesView, refresh: RwSignal<u32>, form: NoticeForm) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.lang.get().t();
    let sees_all = v.sees_all;
    let intake = v.intake.clone();
    view! {
        {(!intake.is_empty()).then(|| view! {
            <RecordNotice intake refresh form />
            <section aria-labelledby="h-upload-notices" class="no-print">
                <h2 id="h-upload-notices">{move || t().upload_notices}</h2>
                <p class="note">{move || t().upload_notices_intro}</p>
                <CsvUpload url=Signal::stored("/api/v1/life-event-notices/import".to_owned()) input_id="notices-file"
                    testid="notices-upload" done=Callback::new(move |_| refresh.update(|n| *n += 1)) />
            </section>
        })}
        <Deliveries items=v.deliveries refresh sees_all />
        {v.can_act.then(|| view! {
            <section aria-labelledby="h-upload-deliveries" class="no-print">
                <h2 id="h-upload-deliveries">{move || t().upload_deliveries}</h2>
                <p class="note">{move || t().upload_deliveries_intro}</p>
                <CsvUpload url=Signal::stored("/api/v1/life-event-deliveries/import".to_owned()) input_id="deliveries-file"
                    testid="deliveries-upload" done=Callback::new(move |_| refresh.update(|n| *n += 1)) />
            </section>
        })}
        <Notices items=v.notices sees_all />
    }
}

#[component]
fn RecordNotice(
    intake: Vec<IntakeOption>,
    refresh: RwSignal<u32>,
    form: NoticeForm,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    // The first agreement and life event until one is chosen.
    if !intake
        .iter()
        .any(|o| o.agreement_id == form.agreement_id.get_untracked())
        && let Some(first) = intake.first()
    {
        form.agreement_id.set(first.agreement_id);
        form.life_event.set(
            first
                .life_events
                .first()
                .map(|e| e.code.clone())
                .unwrap_or_default(),
        );
    }
    let options = StoredValue::new(intake);
    let events = move || {
        options.with_value(|o| {
            o.iter()
                .find(|a| a.agreement_id == form.agreement_id.get())
                .map(|a| a.life_events.clone())
                .unwrap_or_default()
        })
    };
    let save = Action::new(move |p: &NoticeParams| record_notice(p.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(n)) => {
            form.error.set(None);
            form.saved.set(Some(n));
            form.case_reference.set(String::new());
            refresh.update(|n| *n += 1);
        }
        Some(Err(e)) => {
            form.saved.set(None);
            form.error.set(Some(e));
        }
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        form.saved.set(None);
        // The server's own rule, before anything is sent.
        if let Some(problem) =
            crate::domain::propagation::case_reference_problem(&form.case_reference.get_untracked())
        {
            let mut e = AppError::invalid(problem);
            e.details.push(crate::wire::error::FieldError::new(
                "case_reference",
                problem,
            ));
            form.error.set(Some(e));
            return;
        }
        form.error.set(None);
        save.dispatch(NoticeParams {
            agreement_id: form.agreement_id.get_untracked(),
            life_event: form.life_event.get_untracked(),
            received_on: form.received_on.get_untracked(),
            channel: form.channel.get_untracked().as_str().to_owned(),
            case_reference: form.case_reference.get_untracked(),
        });
    };
    view! {
        <section aria-labelledby="h-record-notice" class="no-print">
            <h2 id="h-record-notice">{move || t().record_notice}</h2>
            <FormError error=form.error />
            <form class="stack" on:submit=submit data-testid="notice-form">
                <div class="grid-form">
                    <div class="field">
                        <label for="n-agreement">{move || t().col_agreement}</label>
                        <select id="n-agreement" on:change=move |ev| {
                            if let Ok(id) = event_target_value(&ev).parse::<i32>() {
                                form.agreement_id.set(id);
                                let first = options.with_value(|o| o.iter().find(|a| a.agreement_id == id)
                                    .and_then(|a| a.life_events.first().map(|e| e.code.clone())));
                                form.life_event.set(first.unwrap_or_default());
                            }
                        }>
                            {options.with_value(|o| o.iter().map(|a| {
                                let id = a.agreement_id;
                                let label = format!("{} — {}", a.reference, a.title);
                                view! { <option value=id.to_string() selected=move || form.agreement_id.get() == id>{label}</option> }
                            }).collect_view())}
                        </select>
                    </div>
                    <div class="field">
                        <label for="n-event">{move || t().col_life_event}</label>
                        <FieldProblem error=form.error field="life_event" />
                        <select id="n-event" on:change=move |ev| form.life_event.set(event_target_value(&ev))>
                            {move || events().into_iter().map(|e| {
                                let code = e.code.clone();
                                let selected = { let code = code.clone(); move || form.life_event.get() == code };
                                view! { <option value=code selected=selected>{move || lang().pick_text(&e.name, e.name_fr.as_deref()).to_owned()}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="n-received">{move || t().received_on}</label>
                        <FieldProblem error=form.error field="received_on" />
                        <input id="n-received" type="date" required prop:value=move || form.received_on.get()
                            on:input=move |ev| form.received_on.set(event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for="n-channel">{move || t().col_channel}</label>
                        <select id="n-channel" on:change=move |ev| { if let Ok(c) = event_target_value(&ev).parse() { form.channel.set(c) } }>
                            {[Channel::InPerson, Channel::Phone, Channel::Online, Channel::Mail].into_iter().map(|c| view! {
                                <option value=c.as_str() selected=move || form.channel.get() == c>{move || lang().channel(c)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                </div>
                <div class="field">
                    <label for="n-case">{move || t().case_reference}</label>
                    <p class="hint" id="n-case-hint">{move || t().case_reference_hint}</p>
                    <FieldProblem error=form.error field="case_reference" />
                    <input id="n-case" type="text" required maxlength="64" autocomplete="off" aria-describedby="n-case-hint"
                        prop:value=move || form.case_reference.get()
                        on:input=move |ev| form.case_reference.set(event_target_value(&ev)) />
                </div>
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || save.pending().get()>{move || t().record_notice}</button>
                </div>
            </form>
            {move || form.saved.get().map(|n| view! {
                <p class="success" role="status" data-testid="notice-saved">
                    {move || t().notice_recorded} " "
                    {n.deliveries.iter().map(|d| d.organisation.clone()).collect::<Vec<_>>().join(", ")}
                </p>
            })}
        </section>
    }
}

/// The deliveries: to act on (the caller's party), or every party's.
#[component]
fn Deliveries(items: Vec<DeliveryView>, refresh: RwSignal<u32>, sees_all: bool) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let title = move || {
        if sees_all {
            t().deliveries_all_title
        } else {
            t().deliveries_title
        }
    };
    let show_told = sees_all;
    view! {
        <section aria-labelledby="h-deliveries">
            <h2 id="h-deliveries">{title}</h2>
            {if items.is_empty() {
                view! { <p class="empty" data-testid="deliveries-empty">{move || t().deliveries_empty}</p> }.into_any()
            } else {
                view! {
                    <TableRegion>
                        <table class="data" data-testid="deliveries">
                            <thead>
                                <tr>
                                    <th scope="col">{move || t().col_agreement}</th>
                                    <th scope="col">{move || t().col_life_event}</th>
                                    <th scope="col">{move || t().col_case}</th>
                                    <th scope="col">{move || t().col_from}</th>
                                    {show_told.then(|| view! { <th scope="col">{move || t().col_told_party}</th> })}
                                    <th scope="col">{move || t().received_on}</th>
                                    <th scope="col">{move || t().col_deadlines}</th>
                                    <th scope="col">{move || t().col_status}</th>
                                    <th scope="col"><span class="visually-hidden">{move || t().record_action}</span></th>
                                </tr>
                            </thead>
                            <tbody>
                                {items.into_iter().map(|d| view! { <DeliveryRow d refresh show_told /> }).collect_view()}
                            </tbody>
                        </table>
                    </TableRegion>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn DeliveryRow(d: DeliveryView, refresh: RwSignal<u32>, show_told: bool) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let id = d.id;
    let error = RwSignal::new(None::<AppError>);
    let acknowledge =
        Action::new(move |_: &()| acknowledge_delivery(id, AcknowledgeParams::default()));
    let act = Action::new(move |p: &ActParams| act_on_delivery(id, p.clone()));
    let done = move |r: Option<Result<DeliveryView, AppError>>| match r {
        Some(Ok(_)) => {
            error.set(None);
            refresh.update(|n| *n += 1);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    };
    Effect::new(move |_| done(acknowledge.value().get()));
    Effect::new(move |_| done(act.value().get()));
    let declining = RwSignal::new(false);
    let text = RwSignal::new(String::new());
    let event = d.life_event.clone();
    let day = move |x: Option<chrono::NaiveDate>| x.map(|x| lang().date(x)).unwrap_or_default();
    let (ack_by, act_by) = (d.acknowledge_by, d.act_by);
    let label = format!("{} {}", d.agreement_reference, d.case_reference);
    let label2 = label.clone();
    let can_acknowledge = d.actionable && d.acknowledged_on.is_none();
    view! {
        <tr data-testid="delivery" data-case=d.case_reference.clone() data-organisation=d.organisation>
            <td><A href=format!("/agreements/{}", d.agreement_id)>{d.agreement_reference.clone()}</A></td>
            <td>{move || lang().pick_text(&event.name, event.name_fr.as_deref()).to_owned()}</td>
            <td class="nowrap">{d.case_reference.clone()}</td>
            <td>{d.intake_organisation.clone()}</td>
            {show_told.then(|| view! { <td>{d.organisation.clone()}</td> })}
            <td class="nowrap">{move || lang().date(d.received_on)}</td>
            <td>
                <span class="muted small">{move || t().acknowledge_by} " "</span><span class="nowrap">{move || day(ack_by)}</span><br />
                <span class="muted small">{move || t().act_by} " "</span><span class="nowrap">{move || day(act_by)}</span>
            </td>
            <td><DeliveryStatus status=d.status.clone() />
                {d.outcome.clone().or(d.decline_reason.clone()).map(|w| view! { <br /><span class="muted">{w}</span> })}</td>
            <td>
                {d.actionable.then(|| view! {
                    <div class="stack">
                        {can_acknowledge.then(|| view! {
                            <button type="button" class="secondary" data-testid="acknowledge"
                                aria-label=move || format!("{} {label}", t().acknowledge)
                                disabled=move || acknowledge.pending().get()
                                on:click=move |_| { acknowledge.dispatch(()); }>{move || t().acknowledge}</button>
                        })}
                        <form class="stack" data-testid="act-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                            ev.prevent_default();
                            let w = Some(text.get_untracked());
                            act.dispatch(if declining.get_untracked() {
                                ActParams { declined: w, ..Default::default() }
                            } else {
                                ActParams { outcome: w, ..Default::default() }
                            });
                        }>
                            <label class="inline"><input type="checkbox" data-testid="decline"
                                prop:checked=move || declining.get()
                                on:change=move |ev| declining.set(event_target_checked(&ev)) />
                                " " {move || t().decline}</label>
                            <label class="visually-hidden" for=format!("act-{id}")>
                                {move || if declining.get() { t().decline_reason_label } else { t().outcome_label }}
                            </label>
                            <input id=format!("act-{id}") type="text" maxlength="2000" data-testid="act-text"
                                placeholder=move || if declining.get() { t().decline_reason_label } else { t().outcome_label }
                                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev)) />
                            <button type="submit" class="secondary" disabled=move || act.pending().get()
                                aria-label=move || format!("{} {label2}", if declining.get() { t().decline } else { t().record_action })>
                                {move || if declining.get() { t().decline } else { t().record_action }}</button>
                        </form>
                        {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="delivery-error">{e.sentence()}</p> })}
                    </div>
                })}
            </td>
        </tr>
    }
}

/// The notices the caller's party recorded (every notice for whoever sees
/// everything), each with how its deliveries stand.
#[component]
fn Notices(items: Vec<NoticeView>, sees_all: bool) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    if items.is_empty() && sees_all {
        return ().into_any();
    }
    view! {
        <section aria-labelledby="h-notices">
            <h2 id="h-notices">{move || if sees_all { t().notices_all_title } else { t().notices_recorded_title }}</h2>
            {if items.is_empty() {
                view! { <p class="empty" data-testid="notices-empty">{move || t().notices_empty}</p> }.into_any()
            } else {
                view! {
                    <TableRegion>
                        <table class="data" data-testid="notices">
                            <thead>
                                <tr>
                                    <th scope="col">{move || t().col_agreement}</th>
                                    <th scope="col">{move || t().col_life_event}</th>
                                    <th scope="col">{move || t().col_case}</th>
                                    <th scope="col">{move || t().received_on}</th>
                                    <th scope="col">{move || t().col_channel}</th>
                                    <th scope="col">{move || t().col_told_party}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {items.into_iter().map(|n| {
                                    let event = n.life_event.clone();
                                    let channel = n.channel;
                                    view! {
                                        <tr data-testid="notice" data-case=n.case_reference>
                                            <td><A href=format!("/agreements/{}", n.agreement_id)>{n.agreement_reference.clone()}</A></td>
                                            <td>{move || lang().pick_text(&event.name, event.name_fr.as_deref()).to_owned()}</td>
                                            <td class="nowrap">{n.case_reference.clone()}</td>
                                            <td class="nowrap">{move || lang().date(n.received_on)}</td>
                                            <td>{move || lang().channel(channel)}</td>
                                            <td>
                                                <ul class="plain">
                                                    {n.deliveries.into_iter().map(|d| view! {
                                                        <li>{d.organisation.clone()} " " <DeliveryStatus status=d.status /></li>
                                                    }).collect_view()}
                                                </ul>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </TableRegion>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}
