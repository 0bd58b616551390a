//! The reporter's home: what their organisation owes this period and what
//! is overdue, for the commitments it is responsible for and nothing else;
//! the report form, checked live with the server's own rules, showing the
//! resulting compliance at once; and CSV upload with progress.

use crate::domain::KpiUnit;
use crate::domain::compliance::{Reading, Status, check_reading};
use crate::i18n::{Lang, use_i18n};
use crate::server_fns::reports::{load_reporting_home, submit_report};
use crate::ui::components::PageTitle;
use crate::ui::components::{LoadError, Loading, TableRegion, Translated};
use crate::wire::error::AppError;
use crate::wire::reports::{DueItem, Num, ReportParams, ReportReceipt, ReportingHome};
use leptos::prelude::*;
use leptos_router::components::A;
use rust_decimal::Decimal;

/// A status as a word and a symbol (colour is never the only signal).
pub fn status_label(lang: Lang, s: Status) -> (&'static str, &'static str) {
    match s {
        Status::Met => ("✓", lang.pick("Met", "Respecté")),
        Status::AtRisk => ("!", lang.pick("At risk", "À risque")),
        Status::Breached => ("✕", lang.pick("Breached", "Non respecté")),
        Status::Missing => ("?", lang.pick("Missing", "Manquant")),
        Status::Pending => ("…", lang.pick("Pending", "En attente")),
    }
}

#[component]
pub fn ReportingPage() -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let refresh = RwSignal::new(0u32);
    let home = Resource::new(move || refresh.get(), |_| load_reporting_home());
    let chosen = RwSignal::new(None::<DueItem>);
    view! {
        <PageTitle text=|l| l.t().reporting_title.into() />
        <h1>{move || t().reporting_title}</h1>
        <p class="lede">{move || t().reporting_intro}</p>
        <Transition fallback=Loading>
            {move || home.get().map(|r| match r {
                Err(_) => view! { <LoadError /> }.into_any(),
                Ok(h) => view! { <DueLists h chosen /> }.into_any(),
            })}
        </Transition>
        {move || chosen.get().map(|item| view! { <ReportForm item refresh chosen /> })}
        <UploadReports refresh />
    }
}

#[component]
fn DueLists(h: ReportingHome, chosen: RwSignal<Option<DueItem>>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let table = move |items: Vec<DueItem>,
                      testid: &'static str,
                      empty: crate::ui::components::Label| {
        if items.is_empty() {
            return view! { <p class="empty" data-testid=format!("{testid}-empty")>{move || empty(t())}</p> }.into_any();
        }
        view! {
            <TableRegion>
                <table class="data" data-testid=testid>
                    <thead>
                        <tr>
                            <th scope="col">{move || t().col_agreement}</th>
                            <th scope="col">{move || t().col_kpi}</th>
                            <th scope="col">{move || t().period_label}</th>
                            <th scope="col">{move || t().due_on}</th>
                            <th scope="col" class="num">{move || t().col_target}</th>
                            <th scope="col"><span class="visually-hidden">{move || t().report_action}</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        {items.into_iter().map(|d| {
                            let item = d.clone();
                            let name = d.kpi_name.clone();
                            let name_fr = d.kpi_name_fr.clone();
                            let channel = d.channel;
                            let label = format!("{} {}", d.reference, d.period);
                            view! {
                                <tr>
                                    <td><A href=format!("/agreements/{}/compliance", d.agreement_id)>{d.reference.clone()}</A></td>
                                    <td><Translated en=name fr=name_fr />
                                        {channel.map(|c| view! { " · " {move || lang().channel(c)} })}
                                        <span class="muted">" (#" {d.commitment_id} ")"</span></td>
                                    <td class="nowrap">{d.period.clone()}</td>
                                    <td class="nowrap">{move || lang().date(d.due_on)}</td>
                                    <td class="num">{d.target}</td>
                                    <td><button type="button" class="secondary" aria-label=format!("{} {label}", t().report_action)
                                        on:click=move |_| chosen.set(Some(item.clone()))>{move || t().report_action}</button></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </TableRegion>
        }
        .into_any()
    };
    let due = h.due;
    let missing = h.missing;
    // What is overdue comes first: it is what the partner is already late
    // with.
    view! {
        <section aria-labelledby="h-missing">
            <h2 id="h-missing">{move || t().overdue} " (" {missing.len()} ")"</h2>
            {table(missing, "missing", |m| m.nothing_missing)}
        </section>
        <section aria-labelledby="h-due">
            <h2 id="h-due">{move || t().due_now} " (" {due.len()} ")"</h2>
            {table(due, "due", |m| m.nothing_due)}
        </section>
    }
}

/// A decimal typed in a form, or `None` when the field is blank.
fn typed(s: &str) -> Result<Option<Decimal>, String> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    crate::domain::compliance::parse_number(t).map(Some)
}

#[component]
fn ReportForm(
    item: DueItem,
    refresh: RwSignal<u32>,
    chosen: RwSignal<Option<DueItem>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let value = RwSignal::new(String::new());
    let numerator = RwSignal::new(String::new());
    let denominator = RwSignal::new(String::new());
    let volume = RwSignal::new(String::new());
    let comment = RwSignal::new(String::new());
    let receipt = RwSignal::new(None::<ReportReceipt>);
    let error = RwSignal::new(None::<AppError>);
    let unit: KpiUnit = item.unit;
    let is_ratio = item.is_ratio;
    let by_parts = RwSignal::new(false);
    // The server's plausibility rules, run as the reporter types.
    let problems = Memo::new(move |_| {
        let mut out: Vec<(String, String)> = Vec::new();
        let mut num = |field: &str, s: String| match typed(&s) {
            Ok(v) => v,
            Err(m) => {
                out.push((field.to_owned(), m));
                None
            }
        };
        let parts = by_parts.get();
        let reading = Reading {
            value: if parts {
                None
            } else {
                num("value", value.get())
            },
            numerator: if parts {
                num("numerator", numerator.get())
            } else {
                None
            },
            denominator: if parts {
                num("denominator", denominator.get())
            } else {
                None
            },
            volume: volume.get().trim().parse::<i64>().ok(),
        };
        if !volume.get().trim().is_empty() && reading.volume.is_none() {
            out.push(("volume".into(), "A volume is a whole number.".into()));
        }
        if out.is_empty() {
            for p in check_reading(&reading, unit, is_ratio) {
                out.push((p.field.to_owned(), p.message));
            }
        }
        out
    });
    // The page's own finding first, else the server's.
    let problem = move |field: &'static str| {
        move || {
            problems
                .with(|p| p.iter().find(|(f, _)| f == field).map(|(_, m)| m.clone()))
                .or_else(|| error.with(|e| e.as_ref().and_then(|e| e.about(field))))
        }
    };
    let submit = Action::new(move |p: &ReportParams| submit_report(p.clone()));
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(r)) => {
            receipt.set(Some(r));
            error.set(None);
            refresh.update(|n| *n += 1);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let commitment_id = item.commitment_id;
    let period = item.period.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        receipt.set(None);
        if !problems.with(Vec::is_empty) {
            error.set(Some(AppError::invalid(problems.with(|p| {
                p.iter()
                    .map(|(_, m)| m.clone())
                    .collect::<Vec<_>>()
                    .join(" ")
            }))));
            return;
        }
        let text = |s: RwSignal<String>| {
            Some(s.get_untracked().trim().to_owned())
                .filter(|s| !s.is_empty())
                .map(Num::Text)
        };
        let parts = by_parts.get_untracked();
        submit.dispatch(ReportParams {
            commitment_id,
            period: period.clone(),
            value: if parts { None } else { text(value) },
            numerator: if parts { text(numerator) } else { None },
            denominator: if parts { text(denominator) } else { None },
            volume: volume.get_untracked().trim().parse().ok(),
            comment: Some(comment.get_untracked()).filter(|c| !c.trim().is_empty()),
        });
    };
    let title = format!("{} · {} · {}", item.reference, item.kpi, item.period);
    view! {
        <section aria-labelledby="h-report" class="report-form">
            <h2 id="h-report">{move || t().report_title} " — " {title}</h2>
            <p class="note">{move || t().col_target} ": " {item.target.clone()} " · " {move || t().due_on} " " {move || lang().date(item.due_on)}</p>
            <form class="stack" on:submit=on_submit data-testid="report-form">
                {is_ratio.then(|| view! {
                    <div class="field">
                        <label class="inline"><input type="checkbox" prop:checked=move || by_parts.get()
                            on:change=move |ev| by_parts.set(event_target_checked(&ev)) />
                            " " {move || t().report_by_parts}</label>
                    </div>
                })}
                <Show when=move || !by_parts.get()>
                    <div class="field">
                        <label for="r-value">{move || t().col_value}</label>
                        <span class="field-error" data-testid="value-problem">{problem("value")}</span>
                        <input id="r-value" type="text" inputmode="decimal" prop:value=move || value.get()
                            on:input=move |ev| value.set(event_target_value(&ev)) />
                    </div>
                </Show>
                <Show when=move || by_parts.get()>
                    <div class="grid-form">
                        <div class="field">
                            <label for="r-num">{move || t().numerator}</label>
                            <span class="field-error">{problem("numerator")}</span>
                            <input id="r-num" type="text" inputmode="decimal" prop:value=move || numerator.get()
                                on:input=move |ev| numerator.set(event_target_value(&ev)) />
                        </div>
                        <div class="field">
                            <label for="r-den">{move || t().denominator}</label>
                            <span class="field-error">{problem("denominator")}</span>
                            <input id="r-den" type="text" inputmode="decimal" prop:value=move || denominator.get()
                                on:input=move |ev| denominator.set(event_target_value(&ev)) />
                        </div>
                    </div>
                </Show>
                <div class="field">
                    <label for="r-volume">{move || t().col_transactions}</label>
                    <span class="field-error">{problem("volume")}</span>
                    <input id="r-volume" type="number" min="0" step="1" prop:value=move || volume.get()
                        on:input=move |ev| volume.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="r-comment">{move || t().attestation}</label>
                    <textarea id="r-comment" rows="2" maxlength="2000" prop:value=move || comment.get()
                        on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                </div>
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || submit.pending().get()>{move || t().submit_report}</button>
                    <button type="button" class="secondary" on:click=move |_| chosen.set(None)>{move || t().close}</button>
                </div>
            </form>
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="report-error">{e.sentence()}</p> })}
            {move || receipt.get().map(|r| {
                let (symbol, word) = status_label(lang(), r.compliance.status);
                view! {
                    <p class="success" role="status" data-testid="report-receipt">
                        {move || t().report_saved} " " {r.revision} ": "
                        <span class=format!("status-chip status-{}", r.compliance.status.as_str())>{symbol} " " {word}</span>
                    </p>
                }
            })}
        </section>
    }
}

/// Uploads `file` to `url` as CSV with XMLHttpRequest, reporting the share
/// sent as it goes; returns the status and body.
#[cfg(feature = "hydrate")]
fn upload_with_progress(
    url: &str,
    file: &web_sys::File,
    progress: RwSignal<Option<u32>>,
    done: impl Fn(u16, String) + 'static,
) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let fail = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let xhr = web_sys::XmlHttpRequest::new().map_err(fail)?;
    xhr.open_with_async("POST", url, true).map_err(fail)?;
    xhr.set_request_header("Content-Type", "text/csv")
        .map_err(fail)?;
    let on_progress =
        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                progress.set(Some((e.loaded() / e.total() * 100.0).round() as u32));
            }
        });
    xhr.upload()
        .map_err(fail)?
        .set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    on_progress.forget();
    let xhr2 = xhr.clone();
    let on_load = Closure::<dyn FnMut()>::new(move || {
        let status = xhr2.status().unwrap_or(0);
        let body = xhr2.response_text().ok().flatten().unwrap_or_default();
        done(status, body);
    });
    xhr.set_onloadend(Some(on_load.as_ref().unchecked_ref()));
    on_load.forget();
    xhr.send_with_opt_blob(Some(file)).map_err(fail)?;
    Ok(())
}

#[component]
#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
fn UploadReports(refresh: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let file_input = NodeRef::<leptos::html::Input>::new();
    let progress = RwSignal::new(None::<u32>);
    let outcome = RwSignal::new(None::<Result<String, AppError>>);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        outcome.set(None);
        #[cfg(feature = "hydrate")]
        {
            let Some(file) = file_input
                .get()
                .and_then(|i| i.files())
                .and_then(|f| f.get(0))
            else {
                outcome.set(Some(Err(AppError::invalid(t().choose_file))));
                return;
            };
            progress.set(Some(0));
            let started = upload_with_progress(
                "/api/v1/reports/import",
                &file,
                progress,
                move |status, body| {
                    progress.set(None);
                    outcome.set(Some(if status == 201 {
                        let n = serde_json::from_str::<serde_json::Value>(&body)
                            .ok()
                            .and_then(|v| v["imported"].as_u64())
                            .unwrap_or(0);
                        refresh.update(|n| *n += 1);
                        Ok(format!("{n} {}", t().rows_imported))
                    } else if status == 0 {
                        Err(AppError::new(
                            crate::wire::error::UNREACHABLE,
                            t().upload_failed,
                        ))
                    } else {
                        Err(AppError::from_body(&body))
                    }));
                },
            );
            if let Err(e) = started {
                progress.set(None);
                outcome.set(Some(Err(AppError::new(crate::wire::error::UNREACHABLE, e))));
            }
        }
    };
    view! {
        <section aria-labelledby="h-upload-reports">
            <h2 id="h-upload-reports">{move || t().upload_reports}</h2>
            <p class="note">{move || t().upload_reports_intro}</p>
            <form class="inline-form" on:submit=send data-testid="reports-upload">
                <div class="field">
                    <label for="rep-file">{move || t().csv_file}</label>
                    <input id="rep-file" type="file" accept=".csv,text/csv" node_ref=file_input />
                </div>
                <button type="submit" class="secondary" disabled=move || progress.get().is_some()>{move || t().upload}</button>
            </form>
            {move || progress.get().map(|p| view! {
                <p role="status" aria-live="polite">
                    <progress max="100" value=p.to_string() aria-label=move || t().uploading></progress>
                    " " {p} " %"
                </p>
            })}
            {move || outcome.get().map(|r| match r {
                Ok(s) => view! { <p class="success" role="status" data-testid="reports-upload-ok">{s}</p> }.into_any(),
                Err(e) => view! {
                    <div class="error-summary" role="alert" data-testid="reports-upload-errors">
                        <h3>{e.message.clone()}</h3>
                        <ul>{e.details.iter().map(|d| view! { <li>{d.describe()}</li> }).collect_view()}</ul>
                    </div>
                }.into_any(),
            })}
        </section>
    }
}
