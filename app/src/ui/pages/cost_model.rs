//! An agreement's cost-sharing model: the editor (saved as the next
//! version, like any change of terms) and the what-if simulator beside it.
//! The simulator is a channel-migration business case (issue 22, DOMAIN.md
//! §9): each channel's cost per transaction measured over a chosen period
//! (`channel_costs`), that period's total and volumes as a starting point,
//! and a shift of N % of any channel's volume to any other, priced at the
//! measured costs: the saving for the partnership and each partner's bill
//! before and after, as a table and a chart, recomputed in the browser as
//! the user types with the same engine the server uses.

use crate::domain::channel_shift::{Measured, ShiftCost, ShiftError, breaches, price, shifted};
use crate::domain::cost::{CostLine, CostModel, Split, Volume, check_model, split};
use crate::domain::{Channel, CostModelKind, Currency, Money, Percent};
use crate::i18n::{Lang, use_i18n};
use crate::server_fns::agreements::get_agreement;
use crate::server_fns::cost::{channel_costs, save_cost_model};
use crate::server_fns::negotiation::agreement_permissions;
use crate::ui::auth::error_text;
use crate::ui::components::PageTitle;
use crate::ui::components::{BarChart, BarSeries, LoadError, Loading, TableRegion, Translated};
use crate::ui::pages::not_found::NotFound;
use crate::wire::agreements::{AgreementView, CostModelView};
use crate::wire::cost::{
    ChannelCostsQuery, ChannelCostsView, CostLineParams, CostModelChangeParams, CostModelParams,
};
use crate::wire::error::AppError;
use leptos::prelude::*;
use leptos_router::components::A;

use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;

/// One party's line as typed.
#[derive(Clone, Debug, PartialEq)]
struct LineInput {
    organisation_id: i32,
    name: String,
    percent: String,
    cap: String,
    floor: String,
    rates: BTreeMap<Channel, String>,
}

/// The model as typed.
#[derive(Clone, Debug, PartialEq)]
struct ModelInput {
    kind: CostModelKind,
    fixed_portion: String,
    weights: BTreeMap<Channel, String>,
    lines: Vec<LineInput>,
}

impl ModelInput {
    /// The agreement's model, or an even fixed split among its parties.
    fn from_agreement(a: &AgreementView, lang: Lang) -> Self {
        let name = |id: i32| {
            a.parties
                .iter()
                .find(|p| p.organisation_id == id)
                .map_or_else(
                    || id.to_string(),
                    |p| lang.pick_text(&p.name, p.name_fr.as_deref()).to_owned(),
                )
        };
        match &a.cost_model {
            Some(m) => Self::from_view(m, &name, a),
            None => {
                let n = a.parties.len().max(1) as i64;
                // Four decimals, the remainder on the first party.
                let each = Decimal::new(1_000_000 / n, 4);
                let first = Decimal::ONE_HUNDRED - each * Decimal::from(n - 1);
                ModelInput {
                    kind: CostModelKind::Fixed,
                    fixed_portion: String::new(),
                    weights: BTreeMap::new(),
                    lines: a
                        .parties
                        .iter()
                        .enumerate()
                        .map(|(i, p)| LineInput {
                            organisation_id: p.organisation_id,
                            name: name(p.organisation_id),
                            percent: (if i == 0 { first } else { each }).normalize().to_string(),
                            cap: String::new(),
                            floor: String::new(),
                            rates: BTreeMap::new(),
                        })
                        .collect(),
                }
            }
        }
    }

    fn from_view(m: &CostModelView, name: &dyn Fn(i32) -> String, a: &AgreementView) -> Self {
        let mut lines: Vec<LineInput> = m
            .lines
            .iter()
            .map(|l| LineInput {
                organisation_id: l.organisation_id,
                name: name(l.organisation_id),
                percent: l.percent.clone().unwrap_or_default(),
                cap: l.cap.clone().unwrap_or_default(),
                floor: l.floor.clone().unwrap_or_default(),
                rates: l.rates.clone(),
            })
            .collect();
        // Parties added since the model was agreed get an empty line.
        for p in &a.parties {
            if !lines.iter().any(|l| l.organisation_id == p.organisation_id) {
                lines.push(LineInput {
                    organisation_id: p.organisation_id,
                    name: name(p.organisation_id),
                    percent: String::new(),
                    cap: String::new(),
                    floor: String::new(),
                    rates: BTreeMap::new(),
                });
            }
        }
        ModelInput {
            kind: m.kind,
            fixed_portion: m.fixed_portion.clone().unwrap_or_default(),
            weights: m.channel_weights.clone(),
            lines,
        }
    }

    fn uses_percent(&self) -> bool {
        matches!(self.kind, CostModelKind::Fixed | CostModelKind::Hybrid)
    }

    fn uses_weights(&self) -> bool {
        matches!(
            self.kind,
            CostModelKind::Proportional | CostModelKind::Hybrid
        )
    }

    fn uses_rates(&self) -> bool {
        self.kind == CostModelKind::FeeForService
    }

    /// The model as the API takes it (only the fields its kind reads).
    fn params(&self) -> CostModelParams {
        let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        CostModelParams {
            kind: self.kind,
            fixed_portion: if self.kind == CostModelKind::Hybrid {
                text(&self.fixed_portion)
            } else {
                None
            },
            channel_weights: if self.uses_weights() {
                self.weights
                    .iter()
                    .filter(|(_, w)| !w.trim().is_empty())
                    .map(|(c, w)| (*c, w.trim().to_owned()))
                    .collect()
            } else {
                BTreeMap::new()
            },
            lines: self
                .lines
                .iter()
                .map(|l| CostLineParams {
                    organisation_id: l.organisation_id,
                    percent: if self.uses_percent() {
                        text(&l.percent)
                    } else {
                        None
                    },
                    cap: text(&l.cap),
                    floor: text(&l.floor),
                    rates: if self.uses_rates() {
                        l.rates
                            .iter()
                            .filter(|(_, r)| !r.trim().is_empty())
                            .map(|(c, r)| (*c, r.trim().to_owned()))
                            .collect()
                    } else {
                        BTreeMap::new()
                    },
                })
                .collect(),
        }
    }

    /// The model for the engine, or every problem (field, message) — the
    /// same rules the server applies when it is saved.
    fn parse(
        &self,
        currency: Currency,
        parties: &[i32],
    ) -> Result<CostModel, Vec<(String, String)>> {
        let p = self.params();
        let mut problems = Vec::new();
        let mut percent = |field: String, t: &Option<String>| match t {
            None => None,
            Some(t) => match Percent::parse(t) {
                Ok(v) => Some(v.value()),
                Err(e) => {
                    problems.push((field, e.to_string()));
                    None
                }
            },
        };
        let fixed_portion = percent("fixed_portion".into(), &p.fixed_portion);
        let mut lines = Vec::new();
        let mut money_problems = Vec::new();
        let mut money = |field: String, t: &Option<String>| match t {
            None => None,
            Some(t) => match Money::parse_non_negative(t, currency) {
                Ok(m) => Some(m.amount()),
                Err(e) => {
                    money_problems.push((field, e.to_string()));
                    None
                }
            },
        };
        let mut line_percents = Vec::new();
        for (i, l) in p.lines.iter().enumerate() {
            line_percents.push((i, l.percent.clone()));
            let mut rates = BTreeMap::new();
            for (c, r) in &l.rates {
                if let Some(v) = money(format!("lines[{i}].rates.{}", c.as_str()), &Some(r.clone()))
                {
                    rates.insert(*c, v);
                }
            }
            lines.push(CostLine {
                organisation_id: l.organisation_id,
                percent: None,
                cap: money(format!("lines[{i}].cap"), &l.cap),
                floor: money(format!("lines[{i}].floor"), &l.floor),
                rates,
            });
        }
        for (i, t) in line_percents {
            lines[i].percent = percent(format!("lines[{i}].percent"), &t);
        }
        let mut channel_weights = BTreeMap::new();
        for (c, w) in &p.channel_weights {
            match crate::domain::cost::parse_weight(w) {
                Ok(d) => {
                    channel_weights.insert(*c, d);
                }
                Err(message) => problems.push((format!("channel_weights.{}", c.as_str()), message)),
            }
        }
        problems.extend(money_problems);
        let model = CostModel {
            kind: p.kind,
            fixed_portion,
            channel_weights,
            lines,
        };
        problems.extend(
            check_model(&model, parties)
                .into_iter()
                .map(|p| (p.field, p.message)),
        );
        if problems.is_empty() {
            Ok(model)
        } else {
            Err(problems)
        }
    }
}

/// The channels the simulator lists: counter, phone and online always, and
/// any channel the model weighs or prices.
fn channels_of(m: &ModelInput) -> Vec<Channel> {
    Channel::ALL
        .iter()
        .copied()
        .filter(|c| {
            matches!(c, Channel::InPerson | Channel::Phone | Channel::Online)
                || m.weights.contains_key(c)
                || m.lines.iter().any(|l| l.rates.contains_key(c))
        })
        .collect()
}

/// The business case's default period, the one `channel_costs` takes when
/// none is named: the twelve months before this one (`2025-12`, `2026-11`).
fn default_range(today: chrono::NaiveDate) -> (String, String) {
    let (first, last) = crate::domain::period::twelve_months_before(today);
    let month = |d: chrono::NaiveDate| d.format("%Y-%m").to_string();
    (month(first), month(last))
}

type MeasuredResource = Resource<Result<ChannelCostsView, AppError>>;

/// The channel shift as chosen: N % of one channel's volume to another.
#[derive(Clone, Copy)]
struct Shift {
    from: RwSignal<Channel>,
    to: RwSignal<Channel>,
    percent: RwSignal<u32>,
}

#[component]
pub fn CostModelPage() -> impl IntoView {
    let id = super::agreement_id();
    let agreement = Resource::new(id, get_agreement);
    let perms = Resource::new(id, agreement_permissions);
    // The business case's months, named from the start (not taken from an
    // answer) so that the key of `measured` is the same on the server and
    // in the browser.
    let period = RwSignal::new(default_range(crate::clock::today()));
    let measured = Resource::new(
        move || (id(), period.get()),
        |(id, (from, to))| {
            let month = |m: String| Some(m.trim().to_owned()).filter(|m| !m.is_empty());
            channel_costs(
                id,
                ChannelCostsQuery {
                    from: month(from),
                    to: month(to),
                },
            )
        },
    );
    // Each answer is awaited (`Suspend`), never read with `.get()`: read
    // so, a boundary was sometimes rendered on the server before its
    // resource resolved, and the browser then failed to hydrate it.
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match agreement.await {
                    Err(_) => view! { <LoadError /> }.into_any(),
                    Ok(None) => view! { <NotFound /> }.into_any(),
                    Ok(Some(a)) => {
                        let may_edit = perms.await.is_ok_and(|p| p.edit);
                        view! { <ModelEditor a may_edit period measured /> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn ModelEditor(
    a: AgreementView,
    may_edit: bool,
    period: RwSignal<(String, String)>,
    measured: MeasuredResource,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let id = a.id;
    let currency = Currency::parse(&a.currency).ok();
    let parties: Vec<i32> = a.parties.iter().map(|p| p.organisation_id).collect();
    let title = view! { <Translated en=a.title.clone() fr=a.title_fr.clone() /> };
    let reference = a.reference.clone();
    let model = RwSignal::new(ModelInput::from_agreement(&a, lang()));
    let version = RwSignal::new(a.version);
    // Kept here, not in the business case: a new period keeps the shift.
    let shift = Shift {
        from: RwSignal::new(Channel::InPerson),
        to: RwSignal::new(Channel::Online),
        percent: RwSignal::new(0u32),
    };
    let change_summary = RwSignal::new(String::new());
    let saved = RwSignal::new(None::<i32>);
    let save_error = RwSignal::new(None::<String>);

    let parsed = {
        Memo::new(move |_| match currency {
            None => Err(vec![(
                "currency".to_owned(),
                "Unknown currency.".to_owned(),
            )]),
            Some(c) => model.with(|m| m.parse(c, &parties)),
        })
    };

    let names: BTreeMap<i32, String> = model.with_untracked(|m| {
        m.lines
            .iter()
            .map(|l| (l.organisation_id, l.name.clone()))
            .collect()
    });
    let names = StoredValue::new(names);
    let name_of = move |org: i32| {
        names.with_value(|n| n.get(&org).cloned().unwrap_or_else(|| org.to_string()))
    };

    let save = Action::new(move |p: &CostModelChangeParams| save_cost_model(id, p.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(v)) => {
            version.set(v);
            saved.set(Some(v));
            save_error.set(None);
            change_summary.set(String::new());
        }
        Some(Err(e)) => save_error.set(Some(error_text(&e))),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(None);
        if change_summary.get_untracked().trim().is_empty() {
            save_error.set(Some(t().say_what_changed.to_owned()));
            return;
        }
        if let Err(p) = parsed.get_untracked() {
            save_error.set(Some(
                p.into_iter()
                    .map(|(f, m)| format!("{f}: {m}"))
                    .collect::<Vec<_>>()
                    .join(" "),
            ));
            return;
        }
        save.dispatch(CostModelChangeParams {
            model: Some(model.get_untracked().params()),
            version: version.get_untracked(),
            change_summary: change_summary.get_untracked(),
            effective_from: None,
        });
    };

    let problem_of = move |field: String| {
        move || {
            parsed.with(|r| match r {
                Err(p) => p.iter().find(|(f, _)| *f == field).map(|(_, m)| m.clone()),
                Ok(_) => None,
            })
        }
    };
    let line_count = model.with_untracked(|m| m.lines.len());
    let channels = Memo::new(move |_| model.with(channels_of));
    let (first_month, last_month) = period.get_untracked();

    view! {
        <PageTitle text=move |l| format!("{} — {}", l.t().cost_model_title, reference) />
        <p class="breadcrumb"><A href=format!("/agreements/{id}")>{move || t().back_to_agreement}</A></p>
        <h1>{move || t().cost_model_title}</h1>
        <p class="lede">{a.reference.clone()} " · " {title} " · " {a.currency}</p>
        <p class="note">{move || t().cost_model_intro}</p>

        <form class="stack" on:submit=submit data-testid="cost-model-form">
            <fieldset>
                <legend>{move || t().cost_sharing}</legend>
                <div class="grid-form">
                    <div class="field">
                        <label for="m-kind">{move || t().model_kind}</label>
                        <select id="m-kind" disabled=!may_edit on:change=move |ev| {
                            if let Ok(k) = event_target_value(&ev).parse::<CostModelKind>() { model.update(|m| m.kind = k) }
                        }>
                            {CostModelKind::ALL.iter().copied().map(|k| view! {
                                <option value=k.as_str() selected=move || model.with(|m| m.kind == k)>{move || lang().cost_model_kind(k)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <Show when=move || model.with(|m| m.kind == CostModelKind::Hybrid)>
                        <div class="field">
                            <label for="m-fixed">{move || t().fixed_portion} " (%)"</label>
                            <span class="field-error">{problem_of("fixed_portion".into())}</span>
                            <input id="m-fixed" type="text" inputmode="decimal" disabled=!may_edit
                                prop:value=move || model.with(|m| m.fixed_portion.clone())
                                on:input=move |ev| model.update(|m| m.fixed_portion = event_target_value(&ev)) />
                        </div>
                    </Show>
                </div>
                <Show when=move || model.with(ModelInput::uses_weights)>
                    <p class="note">{move || t().weights_intro}</p>
                    <div class="grid-form">
                        {move || channels.get().into_iter().map(|c| {
                            let fid = format!("m-w-{}", c.as_str());
                            view! {
                                <div class="field narrow-field">
                                    <label for=fid.clone()>{move || lang().channel(c)}</label>
                                    <span class="field-error">{problem_of(format!("channel_weights.{}", c.as_str()))}</span>
                                    <input id=fid type="text" inputmode="decimal" placeholder="1" disabled=!may_edit
                                        prop:value=move || model.with(|m| m.weights.get(&c).cloned().unwrap_or_default())
                                        on:input=move |ev| model.update(|m| { m.weights.insert(c, event_target_value(&ev)); }) />
                                </div>
                            }
                        }).collect_view()}
                    </div>
                </Show>
                <span class="field-error" data-testid="model-problem">{problem_of("lines".into())}</span>
                <TableRegion>
                    <table class="data">
                        <caption>{move || t().model_lines}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{move || t().col_organisation}</th>
                                <Show when=move || model.with(ModelInput::uses_percent)><th scope="col" class="num">{move || t().col_percent}</th></Show>
                                <Show when=move || model.with(ModelInput::uses_rates)><th scope="col">{move || t().col_rates}</th></Show>
                                <th scope="col" class="num">{move || t().col_floor}</th>
                                <th scope="col" class="num">{move || t().col_cap}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {(0..line_count).map(|i| {
                                let name = model.with_untracked(|m| m.lines[i].name.clone());
                                let name_p = name.clone();
                                let name_f = name.clone();
                                let pid = format!("m-p-{i}");
                                let cid = format!("m-cap-{i}");
                                let fid = format!("m-floor-{i}");
                                view! {
                                    <tr>
                                        <th scope="row">{name.clone()}</th>
                                        <Show when=move || model.with(ModelInput::uses_percent)>
                                            <td class="num">
                                                <label class="visually-hidden" for=pid.clone()>{name_p.clone()} " %"</label>
                                                <input id=pid.clone() class="num-input" type="text" inputmode="decimal" disabled=!may_edit
                                                    prop:value=move || model.with(|m| m.lines[i].percent.clone())
                                                    on:input=move |ev| model.update(|m| m.lines[i].percent = event_target_value(&ev)) />
                                                <span class="field-error">{problem_of(format!("lines[{i}].percent"))}</span>
                                            </td>
                                        </Show>
                                        <Show when=move || model.with(ModelInput::uses_rates)>
                                            <td>
                                                {move || channels.get().into_iter().map(|c| {
                                                    let rid = format!("m-r-{i}-{}", c.as_str());
                                                    view! {
                                                        <span class="rate">
                                                            <label for=rid.clone()>{move || lang().channel(c)}</label>
                                                            <input id=rid class="num-input" type="text" inputmode="decimal" disabled=!may_edit
                                                                prop:value=move || model.with(|m| m.lines[i].rates.get(&c).cloned().unwrap_or_default())
                                                                on:input=move |ev| model.update(|m| { m.lines[i].rates.insert(c, event_target_value(&ev)); }) />
                                                        </span>
                                                    }
                                                }).collect_view()}
                                                <span class="field-error">{move || parsed.with(|r| r.as_ref().err().and_then(|p| p.iter().find(|(f, _)| f.starts_with(&format!("lines[{i}].rates"))).map(|(_, m)| m.clone())))}</span>
                                            </td>
                                        </Show>
                                        <td class="num">
                                            <label class="visually-hidden" for=fid.clone()>{name_f} " — " {move || t().col_floor}</label>
                                            <input id=fid class="num-input" type="text" inputmode="decimal" disabled=!may_edit
                                                prop:value=move || model.with(|m| m.lines[i].floor.clone())
                                                on:input=move |ev| model.update(|m| m.lines[i].floor = event_target_value(&ev)) />
                                            <span class="field-error">{problem_of(format!("lines[{i}].floor"))}</span>
                                        </td>
                                        <td class="num">
                                            <label class="visually-hidden" for=cid.clone()>{name} " — " {move || t().col_cap}</label>
                                            <input id=cid class="num-input" type="text" inputmode="decimal" disabled=!may_edit
                                                prop:value=move || model.with(|m| m.lines[i].cap.clone())
                                                on:input=move |ev| model.update(|m| m.lines[i].cap = event_target_value(&ev)) />
                                            <span class="field-error">{problem_of(format!("lines[{i}].cap"))}</span>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </TableRegion>
            </fieldset>
            {may_edit.then(|| view! {
                <div class="field">
                    <label for="m-summary">{move || t().change_summary}</label>
                    <input id="m-summary" type="text" maxlength="500"
                        prop:value=move || change_summary.get()
                        on:input=move |ev| change_summary.set(event_target_value(&ev)) />
                </div>
                <div class="actions">
                    <button type="submit" class="primary" data-testid="save-model" disabled=move || save.pending().get()>{move || t().save_model}</button>
                </div>
            })}
            <Show when=move || save_error.read().is_some()>
                <p class="error" role="alert">{move || save_error.get().unwrap_or_default()}</p>
            </Show>
            <Show when=move || saved.read().is_some()>
                <p class="success" role="status">{move || format!("{} {}", t().saved_as_version, saved.get().unwrap_or_default())}</p>
            </Show>
        </form>

        <section aria-labelledby="h-sim" class="simulator">
            <h2 id="h-sim">{move || t().simulator_title}</h2>
            <p class="note">{move || t().simulator_intro}</p>
            <h3 id="h-case">{move || t().business_case}</h3>
            <p class="note" data-testid="cpt-method">{move || t().cpt_method}</p>
            <div class="inline-form" role="group" aria-labelledby="h-case">
                <div class="field">
                    <label for="s-period-from">{move || t().from_period}</label>
                    <input id="s-period-from" type="month" data-testid="period-from" value=first_month
                        on:change=move |ev| period.update(|p| p.0 = event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="s-period-to">{move || t().to_period}</label>
                    <input id="s-period-to" type="month" data-testid="period-to" value=last_month
                        on:change=move |ev| period.update(|p| p.1 = event_target_value(&ev)) />
                </div>
            </div>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match measured.await {
                        Err(e) => view! { <p class="error" role="alert" data-testid="cpt-error">{error_text(&e)}</p> }.into_any(),
                        Ok(m) => view! {
                            <BusinessCase m currency model parsed channels shift name_of=Callback::new(name_of) />
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Why the simulator has no answer.
#[derive(Clone, Debug, PartialEq)]
enum Problem {
    /// The model as typed, or the engine's refusal (its own text).
    Input(String),
    /// No total cost, or not one in the agreement's currency.
    NoTotal,
    /// From a channel to itself.
    SameChannel,
    /// To or from a channel with no transaction measured.
    Unmeasured(Channel),
}

/// The shift priced, and each partner's bill before and after it.
#[derive(Clone, Debug, PartialEq)]
struct Outcome {
    cost: ShiftCost,
    before: Split,
    after: Split,
    /// Transactions moved, all parties together.
    moved: u64,
}

/// The business case over one period: each channel's measured cost per
/// transaction, the period's total and volumes as a starting point (which
/// the user may change), the shift, and what it saves and does to each
/// partner's bill, recomputed in the browser on every input.
#[component]
fn BusinessCase(
    m: ChannelCostsView,
    currency: Option<Currency>,
    model: RwSignal<ModelInput>,
    parsed: Memo<Result<CostModel, Vec<(String, String)>>>,
    channels: Memo<Vec<Channel>>,
    shift: Shift,
    name_of: Callback<i32, String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let digits = currency.map_or(2, |c| c.minor_units());
    let fmt = move |d: Decimal| lang().amount(d, digits);
    let measured = StoredValue::new(Measured::from_totals(m.channels.iter().filter_map(|r| {
        Some((
            r.channel,
            u64::try_from(r.transactions).ok()?,
            Decimal::from_str(&r.cost).ok()?,
        ))
    })));
    let measured_channels: Vec<Channel> = m.channels.iter().map(|r| r.channel).collect();
    // The model's channels and every channel measured.
    let shown = Memo::new(move |_| {
        let of_model = channels.get();
        Channel::ALL
            .iter()
            .copied()
            .filter(|c| of_model.contains(c) || measured_channels.contains(c))
            .collect::<Vec<_>>()
    });
    let total = RwSignal::new(m.total_cost.clone());
    let volumes = RwSignal::new(
        m.volumes
            .iter()
            .map(|v| ((v.organisation_id, v.channel), v.count.to_string()))
            .collect::<BTreeMap<(i32, Channel), String>>(),
    );
    let volume_list = move || -> Vec<Volume> {
        volumes.with(|v| {
            v.iter()
                .filter_map(|((org, ch), n)| {
                    n.trim().parse::<u64>().ok().map(|count| Volume {
                        organisation_id: *org,
                        channel: *ch,
                        count,
                    })
                })
                .collect()
        })
    };
    let outcome = Memo::new(move |_| -> Result<Outcome, Problem> {
        let model = parsed.get().map_err(|p| {
            Problem::Input(
                p.into_iter()
                    .map(|(f, m)| format!("{f}: {m}"))
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        })?;
        let c = currency.ok_or(Problem::NoTotal)?;
        let total = total
            .with(|t| Money::parse_non_negative(t.trim(), c).ok())
            .ok_or(Problem::NoTotal)?
            .amount();
        let (from, to) = (shift.from.get(), shift.to.get());
        if from == to {
            return Err(Problem::SameChannel);
        }
        let before = volume_list();
        let after = shifted(&before, from, to, shift.percent.get());
        let cost = measured
            .with_value(|ms| price(total, &before, &after, ms, c))
            .map_err(|e| match e {
                ShiftError::Unmeasured(ch) => Problem::Unmeasured(ch),
            })?;
        let bills = |t: Decimal, v: &[Volume]| {
            split(&model, t, v, c).map_err(|e| Problem::Input(e.to_string()))
        };
        let on_from = |vs: &[Volume]| -> u64 {
            vs.iter()
                .filter(|v| v.channel == from)
                .map(|v| v.count)
                .sum()
        };
        Ok(Outcome {
            cost,
            before: bills(cost.before, &before)?,
            after: bills(cost.after, &after)?,
            moved: on_from(&before).saturating_sub(on_from(&after)),
        })
    });
    // The minimum service levels in force, and those the volumes after the
    // shift would breach (whether or not the shift can be priced).
    let minimums: Vec<_> = m.minimums.iter().map(|t| t.to_terms()).collect();
    let minimum_terms = m.minimums.clone();
    let minimums_provisional = m.minimums_provisional;
    // Each breach after the shift, and whether the channel was below its
    // minimum before it already.
    let breached = Memo::new(move |_| {
        let before = volume_list();
        let after = shifted(
            &before,
            shift.from.get(),
            shift.to.get(),
            shift.percent.get(),
        );
        let already = breaches(&minimums, &before);
        breaches(&minimums, &after)
            .into_iter()
            .map(|b| (b, already.iter().any(|a| a.channel == b.channel)))
            .collect::<Vec<_>>()
    });
    let range = format!("{} – {}", m.from, m.to);
    let range_caption = range.clone();
    let range_bills = range.clone();
    let all_transactions: i64 = m.channels.iter().map(|r| r.transactions).sum();
    let total_cost = Decimal::from_str(&m.total_cost).unwrap_or_default();
    let rows = m.channels;
    let no_rows = rows.is_empty();
    let amount = move |s: &str| Decimal::from_str(s).map_or_else(|_| s.to_owned(), fmt);
    let currency_code = currency.map(|c| c.code().to_owned()).unwrap_or_default();
    let channel_select = move |id: &'static str,
                               testid: &'static str,
                               chosen: RwSignal<Channel>| {
        view! {
            <select id=id data-testid=testid on:change=move |ev| {
                if let Ok(c) = event_target_value(&ev).parse::<Channel>() { chosen.set(c) }
            }>
                {Channel::ALL.iter().copied().map(|c| view! {
                    <option value=c.as_str() selected=move || chosen.get() == c>{move || lang().channel(c)}</option>
                }).collect_view()}
            </select>
        }
    };

    view! {
        {if no_rows {
            view! { <p class="empty" data-testid="cpt-empty">{move || t().cpt_empty} " " <span class="nowrap">{range.clone()}</span> "."</p> }.into_any()
        } else {
            view! {
                <TableRegion>
                    <table class="data" data-testid="cpt-table">
                        <caption>{move || t().cpt_caption} " " <span class="nowrap">{range_caption.clone()}</span></caption>
                        <thead>
                            <tr>
                                <th scope="col">{move || t().col_channel}</th>
                                <th scope="col" class="num">{move || t().col_transactions}</th>
                                <th scope="col" class="num">{move || t().col_attributed_cost}</th>
                                <th scope="col" class="num">{move || t().col_cost_per_transaction}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().map(|r| {
                                let cpt = r.cost_per_transaction.clone();
                                view! {
                                    <tr data-channel=r.channel.as_str()>
                                        <th scope="row">{move || lang().channel(r.channel)}</th>
                                        <td class="num">{move || lang().count(r.transactions)}</td>
                                        <td class="num">{let c = r.cost.clone(); move || amount(&c)}</td>
                                        <td class="num" data-testid="cpt">{move || cpt.as_deref().map_or_else(|| "—".to_owned(), amount)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                        <tfoot>
                            <tr>
                                <th scope="row">{move || t().total}</th>
                                <td class="num">{move || lang().count(all_transactions)}</td>
                                <td class="num">{move || fmt(total_cost)}</td>
                                <td></td>
                            </tr>
                        </tfoot>
                    </table>
                </TableRegion>
            }.into_any()
        }}
        <p class="note">{move || t().simulator_basis} " " <span class="nowrap">{range}</span> "."</p>
        <div class="grid-form">
            <div class="field">
                <label for="s-total">{move || t().projected_total} " (" {currency_code} ")"</label>
                <input id="s-total" type="text" inputmode="decimal"
                    prop:value=move || total.get()
                    on:input=move |ev| total.set(event_target_value(&ev)) />
            </div>
        </div>
        <TableRegion>
            <table class="data">
                <caption>{move || t().projected_volumes}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || t().col_organisation}</th>
                        {move || shown.get().into_iter().map(|c| view! { <th scope="col" class="num">{move || lang().channel(c)}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let chans = shown.get();
                        model.with_untracked(|m| m.lines.clone()).into_iter().map(|l| {
                            let org = l.organisation_id;
                            let name = l.name;
                            view! {
                                <tr>
                                    <th scope="row">{name.clone()}</th>
                                    {chans.iter().copied().map(|c| {
                                        let vid = format!("s-v-{org}-{}", c.as_str());
                                        let label = format!("{name} — {}", lang().channel(c));
                                        view! {
                                            <td class="num">
                                                <label class="visually-hidden" for=vid.clone()>{label}</label>
                                                <input id=vid class="num-input" type="text" inputmode="numeric" placeholder="0"
                                                    prop:value=move || volumes.with(|v| v.get(&(org, c)).cloned().unwrap_or_default())
                                                    on:input=move |ev| volumes.update(|v| { v.insert((org, c), event_target_value(&ev)); }) />
                                            </td>
                                        }
                                    }).collect_view()}
                                </tr>
                            }
                        }).collect_view()
                    }}
                </tbody>
            </table>
        </TableRegion>
        <fieldset class="shift">
            <legend>{move || t().channel_shift}</legend>
            <div class="inline-form">
                <div class="field">
                    <label for="s-from">{move || t().shift_from}</label>
                    {channel_select("s-from", "shift-from", shift.from)}
                </div>
                <div class="field">
                    <label for="s-to">{move || t().shift_to}</label>
                    {channel_select("s-to", "shift-to", shift.to)}
                </div>
                <div class="field grow">
                    <label for="s-shift">{move || t().shift_share} " " <output for="s-shift" data-testid="shift-value">{move || shift.percent.get()} " %"</output></label>
                    <input id="s-shift" type="range" min="0" max="100" step="1" data-testid="shift"
                        prop:value=move || shift.percent.get().to_string()
                        on:input=move |ev| { if let Ok(v) = event_target_value(&ev).parse() { shift.percent.set(v) } } />
                </div>
            </div>
        </fieldset>
        {if minimum_terms.is_empty() {
            view! { <p class="note" data-testid="no-minimums">{move || t().no_minimums}</p> }.into_any()
        } else {
            view! {
                <div class="minimums" data-testid="minimums">
                    <p class="note">{move || t().minimums_in_force}</p>
                    <ul data-testid="minimum-list">
                        {minimum_terms.iter().map(|mt| {
                            let (channel, share) = (mt.channel, mt.share.clone());
                            view! { <li data-channel=channel.as_str()>{move || lang().minimum_line(channel, &share)}</li> }
                        }).collect_view()}
                    </ul>
                    {minimums_provisional.then(|| view! { <p class="note">{move || t().minimums_draft}</p> })}
                    {move || {
                        let found = breached.get();
                        if found.is_empty() {
                            view! { <p class="success" role="status" data-testid="minimums-kept">{move || t().minimums_kept}</p> }.into_any()
                        } else {
                            view! {
                                <div class="minimum-breach" role="alert" data-testid="minimum-breach">
                                    <p>{move || t().minimums_breached}</p>
                                    <ul>
                                        {found.into_iter().map(|(b, already)| view! {
                                            <li data-channel=b.channel.as_str()>
                                                {move || lang().minimum_breach(b.channel, b.share, b.minimum)}
                                                {already.then(|| view! { " " <span class="note">{move || t().minimum_already}</span> })}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </div>
                            }.into_any()
                        }
                    }}
                </div>
            }.into_any()
        }}
        {move || match outcome.get() {
            Err(Problem::SameChannel) => view! { <p class="notice" role="status" data-testid="sim-error">{move || t().shift_same_channel}</p> }.into_any(),
            Err(Problem::Unmeasured(c)) => view! { <p class="notice" role="status" data-testid="sim-error">{move || lang().unmeasured_channel(c)}</p> }.into_any(),
            Err(Problem::NoTotal) => view! { <p class="error" role="alert" data-testid="sim-error">{move || t().simulator_cannot} " " {move || t().enter_total}</p> }.into_any(),
            Err(Problem::Input(e)) => view! { <p class="error" role="alert" data-testid="sim-error">{move || t().simulator_cannot} " " {e}</p> }.into_any(),
            Ok(o) => {
                let rows: Vec<(i32, Decimal, Decimal)> = o.before.shares.iter().zip(&o.after.shares)
                    .map(|((org, b), (_, a))| (*org, *b, *a)).collect();
                let series = vec![
                    BarSeries { label: t().bill_before.to_owned(), class: "series-before", values: rows.iter().map(|r| r.1).collect() },
                    BarSeries { label: t().bill_after.to_owned(), class: "series-after", values: rows.iter().map(|r| r.2).collect() },
                ];
                let labels: Vec<String> = rows.iter().map(|r| name_of.run(r.0)).collect();
                let signed = move |d: Decimal| if d > Decimal::ZERO { format!("+{}", fmt(d)) } else { fmt(d) };
                let range_bills = range_bills.clone();
                view! {
                    <dl class="figures" data-testid="shift-figures">
                        <div><dt>{move || t().transactions_moved}</dt><dd data-testid="moved">{move || lang().count(i64::try_from(o.moved).unwrap_or(i64::MAX))}</dd></div>
                        <div><dt>{move || t().saving}</dt><dd data-testid="saving">{fmt(o.cost.saving)}</dd></div>
                        <div><dt>{move || t().cost_before}</dt><dd data-testid="cost-before">{fmt(o.cost.before)}</dd></div>
                        <div><dt>{move || t().cost_after}</dt><dd data-testid="cost-after">{fmt(o.cost.after)}</dd></div>
                    </dl>
                    <div data-testid="bills">
                        <TableRegion>
                            <table class="data" data-testid="sim-table">
                                <caption>{move || t().bills_caption} " " <span class="nowrap">{range_bills.clone()}</span></caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{move || t().col_organisation}</th>
                                        <th scope="col" class="num">{move || t().bill_before}</th>
                                        <th scope="col" class="num">{move || t().bill_after}</th>
                                        <th scope="col" class="num">{move || t().col_change}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows.iter().map(|(org, b, a)| view! {
                                        <tr data-org=org.to_string()>
                                            <th scope="row">{name_of.run(*org)}</th>
                                            <td class="num" data-testid="before">{fmt(*b)}</td>
                                            <td class="num" data-testid="after">{fmt(*a)}</td>
                                            <td class="num">{signed(*a - *b)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                                <tfoot>
                                    <tr>
                                        <th scope="row">{move || t().total}</th>
                                        <td class="num">{fmt(o.before.total)}</td>
                                        <td class="num">{fmt(o.after.total)}</td>
                                        <td class="num">{signed(o.after.total - o.before.total)}</td>
                                    </tr>
                                </tfoot>
                            </table>
                        </TableRegion>
                        <BarChart title=t().shares_caption.to_owned() description=t().chart_description.to_owned()
                            labels series format=Callback::new(fmt) />
                    </div>
                }.into_any()
            }
        }}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_period_is_the_twelve_months_before_this_one() {
        let day = |s: &str| s.parse::<chrono::NaiveDate>().expect("date");
        assert_eq!(
            default_range(day("2026-12-07")),
            ("2025-12".to_owned(), "2026-11".to_owned())
        );
        assert_eq!(
            default_range(day("2027-01-01")),
            ("2026-01".to_owned(), "2026-12".to_owned())
        );
    }
}
