//! The service inventory (issue 22, DOMAIN.md §9): every service of the
//! agreements the caller may see, with who delivers it and to whom, its
//! fee, how much of it can be done online, and how each channel did against
//! its service standard. The filters and the sort live in the URL query,
//! under the names `GET /api/v1/services` takes, so a view can be shared,
//! bookmarked and downloaded as CSV as it is shown; the server filters.
//!
//! The names of the inventory's values (client types, service types, online
//! stages) and the way a fee and a percentage are written are shared with
//! the agreement page and form (`fee_text`, `percent_text`).

use crate::domain::{AgreementStatus, Channel, ClientType, Currency, OnlineStage, ServiceType};
use crate::i18n::{Lang, use_i18n};
use crate::server_fns::inventory::service_inventory;
use crate::ui::auth::error_text;
use crate::ui::components::UrlQuery;
use crate::ui::components::{Label, Loading, PageTitle, StatusBadge, TableRegion, Translated};
use crate::wire::inventory::{InventoryItem, InventoryQuery, InventoryView, StandardResult};
use leptos::prelude::*;
use leptos_router::components::A;

use leptos_router::params::ParamsMap;
use rust_decimal::Decimal;

/// The page's address; its query is the inventory's.
const PATH: &str = "/services";

/// The URL query keys that choose which services are shown (the others,
/// `sort`, `from` and `to`, only order them or choose the months).
const FILTER_KEYS: [&str; 8] = [
    "q",
    "agreement_id",
    "delivered_by",
    "channel",
    "client_type",
    "service_type",
    "status",
    "online",
];

fn query_from(q: &ParamsMap) -> InventoryQuery {
    let text = |key: &str| {
        q.get_str(key)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let parsed = |key: &str| q.get_str(key).map(str::trim);
    InventoryQuery {
        q: text("q"),
        agreement_id: parsed("agreement_id").and_then(|s| s.parse().ok()),
        delivered_by: parsed("delivered_by").and_then(|s| s.parse().ok()),
        channel: parsed("channel").and_then(|s| s.parse().ok()),
        client_type: parsed("client_type").and_then(|s| s.parse().ok()),
        service_type: parsed("service_type").and_then(|s| s.parse().ok()),
        status: parsed("status").and_then(|s| s.parse().ok()),
        online: parsed("online").and_then(|s| s.parse().ok()),
        sort: text("sort"),
        from: text("from"),
        to: text("to"),
    }
}

/// Whether the query narrows the services shown (not only their order or
/// months).
fn is_filtered(q: &ParamsMap) -> bool {
    FILTER_KEYS
        .iter()
        .any(|k| q.get_str(k).is_some_and(|v| !v.trim().is_empty()))
}

/// A fee as the reader's language writes amounts, with the currency
/// (`1,250.00 CAD`, `1 250,00 CAD`); the text itself if it is no number.
pub(crate) fn fee_text(lang: Lang, fee: &str, currency: &str) -> String {
    let digits = Currency::parse(currency).map_or(2, |c| c.minor_units());
    fee.parse::<Decimal>().map_or_else(
        |_| format!("{fee} {currency}"),
        |d| format!("{}\u{a0}{currency}", lang.amount(d, digits)),
    )
}

/// A percentage as the reader's language writes numbers, with as many
/// decimals as it has (`80 %`, `91,67 %`).
pub(crate) fn percent_text(lang: Lang, value: &str) -> String {
    lang.percent_text(value)
}

/// The online stages of a service, as "3/5" and which they are.
pub(crate) fn stages_text(lang: Lang, stages: &[OnlineStage]) -> (String, String) {
    let t = lang.t();
    let names = OnlineStage::ALL
        .iter()
        .filter(|s| stages.contains(s))
        .map(|s| t.online_stage(*s))
        .collect::<Vec<_>>()
        .join(", ");
    (
        format!("{}/{}", stages.len(), OnlineStage::ALL.len()),
        names,
    )
}

/// The months the server judges over when none are asked for: the twelve
/// before this one (`2025-12`, `2026-11` in December 2026).
fn default_months() -> (String, String) {
    use chrono::{Datelike, Months};
    let today = crate::clock::today();
    let first = today.with_day(1).unwrap_or(today);
    let month = |back: u32| {
        first
            .checked_sub_months(Months::new(back))
            .unwrap_or(first)
            .format("%Y-%m")
            .to_string()
    };
    (month(12), month(1))
}

#[component]
pub fn ServicesPage() -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let url = UrlQuery::new(PATH);
    let query = url.query;
    let current = Memo::new(move |_| query_from(&query.read()));
    // The server filters and sorts: a new query is a new answer, shown in
    // place of the last one once it comes (`Transition`).
    let data = Resource::new(move || current.get(), service_inventory);

    let pick = move |key: &'static str| url.pick(key);
    // Clearing the filters keeps the order and the months.
    let clear = Callback::new(move |()| url.clear(&FILTER_KEYS));
    let csv_href = move || format!("/api/v1/services.csv{}", query.read().to_query_string());
    let raw = move |key: &'static str| url.raw(key);
    let (default_from, default_to) = default_months();

    view! {
        <PageTitle text=|l| l.t().services_title.into() />
        <h1>{move || t().services_title}</h1>
        <p class="lede">{move || t().services_intro}</p>
        <form class="filters" role="search" on:submit=|ev| ev.prevent_default() data-testid="service-filters">
            <fieldset>
                <legend>{move || t().services_filters}</legend>
                <div class="field search">
                    <label for="s-q">{move || t().search_label}</label>
                    <input
                        id="s-q"
                        type="search"
                        aria-describedby="s-q-hint"
                        prop:value=raw("q")
                        on:input=move |ev| pick("q")(event_target_value(&ev))
                    />
                    <span id="s-q-hint" class="hint">{move || t().services_search_hint}</span>
                </div>
                <Choice
                    id="s-channel"
                    label=|m| m.col_channel
                    all=Channel::ALL
                    name=Channel::as_str
                    text=Lang::channel
                    current=Signal::derive(move || current.read().channel)
                    on_pick=pick("channel")
                />
                <Choice
                    id="s-client-type"
                    label=|m| m.f_client_type
                    all=ClientType::ALL
                    name=ClientType::as_str
                    text=|l, v| l.t().client_type(v)
                    current=Signal::derive(move || current.read().client_type)
                    on_pick=pick("client_type")
                />
                <Choice
                    id="s-service-type"
                    label=|m| m.col_service_type
                    all=ServiceType::ALL
                    name=ServiceType::as_str
                    text=|l, v| l.t().service_type(v)
                    current=Signal::derive(move || current.read().service_type)
                    on_pick=pick("service_type")
                />
                <Choice
                    id="s-status"
                    label=|m| m.f_status
                    all=AgreementStatus::ALL
                    name=AgreementStatus::as_str
                    text=Lang::status
                    current=Signal::derive(move || current.read().status)
                    on_pick=pick("status")
                />
                <Choice
                    id="s-online"
                    label=|m| m.f_fully_online
                    all=&[true, false]
                    name=|b| if b { "true" } else { "false" }
                    text=|l, b| if b { l.t().answer_yes } else { l.t().answer_no }
                    current=Signal::derive(move || current.read().online)
                    on_pick=pick("online")
                />
                <div class="field month">
                    <label for="s-from">{move || t().from_period}</label>
                    <input id="s-from" type="text" inputmode="numeric" size="8" placeholder=default_from aria-describedby="s-from-hint"
                        prop:value=raw("from")
                        on:change=move |ev| pick("from")(event_target_value(&ev)) />
                    <span id="s-from-hint" class="hint">{move || t().month_hint}</span>
                </div>
                <div class="field month">
                    <label for="s-to">{move || t().to_period}</label>
                    <input id="s-to" type="text" inputmode="numeric" size="8" placeholder=default_to aria-describedby="s-to-hint"
                        prop:value=raw("to")
                        on:change=move |ev| pick("to")(event_target_value(&ev)) />
                    <span id="s-to-hint" class="hint">{move || t().month_hint}</span>
                </div>
                <div class="filter-actions">
                    <button type="button" class="secondary" on:click=move |_| clear.run(())>
                        {move || t().clear_filters}
                    </button>
                    <a class="button secondary" href=csv_href download="" data-testid="services-csv">
                        {move || t().download_csv}
                    </a>
                </div>
            </fieldset>
        </form>
        // The answer is awaited (`Suspend`), never read with `.get()`: read
        // so, a boundary was sometimes rendered on the server before its
        // resource resolved and the browser then failed to hydrate it
        // (leptos issues 4578 and 4851; see costs.rs).
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p class="error" role="alert">{error_text(&e)}</p> }.into_any(),
                    Ok(v) => {
                        let filtered = is_filtered(&query.get_untracked());
                        view! { <Inventory v filtered clear /> }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// A labelled `<select>` over every value of `all`; the first option means
/// "any".
#[component]
pub(crate) fn Choice<T>(
    id: &'static str,
    label: Label,
    all: &'static [T],
    name: fn(T) -> &'static str,
    text: fn(Lang, T) -> &'static str,
    current: Signal<Option<T>>,
    on_pick: impl Fn(String) + Send + Sync + 'static,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for=id>{move || label(i18n.lang.get().t())}</label>
            <select id=id name=id on:change=move |ev| on_pick(event_target_value(&ev))>
                <option value="" selected=move || current.get().is_none()>
                    {move || i18n.lang.get().t().any}
                </option>
                {all
                    .iter()
                    .map(|v| {
                        let v = *v;
                        view! {
                            <option value=name(v) selected=move || current.get() == Some(v)>
                                {move || text(i18n.lang.get(), v)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// The count, the months, and the table (or why it is empty).
#[component]
fn Inventory(v: InventoryView, filtered: bool, clear: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let (from, to) = (v.from.clone(), v.to.clone());
    let months = view! {
        <p class="note" data-testid="service-months">
            {move || t().services_months} " " {from} " – " {to}
        </p>
    };
    if v.items.is_empty() {
        let why = move || {
            if filtered {
                t().services_none_match
            } else {
                t().services_none_visible
            }
        };
        return view! {
            {months}
            <div class="empty" role="status" data-testid="services-empty">
                <p>{why}</p>
                {filtered.then(|| view! {
                    <button type="button" class="secondary" on:click=move |_| clear.run(())>
                        {move || t().clear_filters}
                    </button>
                })}
            </div>
        }
        .into_any();
    }
    let total = v.total;
    view! {
        <p class="count" role="status" data-testid="service-count" data-count=total.to_string()>
            {move || lang().count(i64::try_from(total).unwrap_or(i64::MAX))} " " {move || t().services_shown}
        </p>
        {months}
        <p class="note">{move || t().sort_hint}</p>
        <TableRegion>
            <table class="data inventory" data-testid="services">
                <thead>
                    <tr>
                        <SortHeader key="name" label=|m| m.col_service />
                        <SortHeader key="agreement" label=|m| m.col_agreement />
                        <th scope="col">{move || t().col_delivered_by}</th>
                        <th scope="col">{move || t().col_type_clients}</th>
                        <th scope="col">{move || t().col_channels}</th>
                        <th scope="col" class="num">{move || t().col_fee}</th>
                        <th scope="col">{move || t().col_online_stages}</th>
                        <SortHeader key="volume" label=|m| m.col_volume numeric=true />
                        <SortHeader key="met" label=|m| m.col_standards />
                    </tr>
                </thead>
                <tbody>
                    {v.items.into_iter().map(|item| view! { <InventoryRow item /> }).collect_view()}
                </tbody>
            </table>
        </TableRegion>
    }
    .into_any()
}

/// A column heading that sorts the inventory by `key` (the URL's `sort`):
/// a button, with the order said by `aria-sort` and an arrow. Numbers sort
/// largest first on the first press, names from A.
#[component]
fn SortHeader(key: &'static str, label: Label, #[prop(optional)] numeric: bool) -> impl IntoView {
    let i18n = use_i18n();
    let url = UrlQuery::new(PATH);
    let query = url.query;
    let descending_first = matches!(key, "volume" | "met");
    // `Some(true)`: sorted by this column, ascending.
    let order = move || {
        let sort = query.read().get("sort").unwrap_or_else(|| "name".into());
        match sort.strip_prefix('-') {
            Some(k) if k == key => Some(false),
            None if sort == key => Some(true),
            _ => None,
        }
    };
    let press = move |_| {
        let next = match order() {
            Some(true) => format!("-{key}"),
            Some(false) => key.to_owned(),
            None if descending_first => format!("-{key}"),
            None => key.to_owned(),
        };
        url.set("sort", next);
    };
    view! {
        <th
            scope="col"
            class:num=numeric
            aria-sort=move || order().map(|up| if up { "ascending" } else { "descending" })
        >
            <button type="button" class="sort" data-sort=key on:click=press>
                {move || label(i18n.lang.get().t())}
                <span class="sort-arrow" aria-hidden="true">
                    {move || match order() {
                        Some(true) => "▲",
                        Some(false) => "▼",
                        None => "↕",
                    }}
                </span>
            </button>
        </th>
    }
}

#[component]
fn InventoryRow(item: InventoryItem) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let InventoryItem {
        code,
        agreement_id,
        agreement_reference,
        agreement_status,
        name,
        name_fr,
        delivered_by_name,
        delivered_by_name_fr,
        channels,
        client_types,
        service_type,
        fee,
        currency,
        online_stages,
        fully_online,
        volume,
        standards,
        ..
    } = item;
    let fee_shown = move || {
        fee.as_deref()
            .map_or_else(|| t().no_fee.to_owned(), |f| fee_text(lang(), f, &currency))
    };
    let stages = move || stages_text(lang(), &online_stages);
    let stages_count = stages.clone();
    let (row_code, row_agreement) = (code.clone(), agreement_reference.clone());
    view! {
        <tr data-code=row_code data-agreement=row_agreement data-volume=volume.to_string()>
            <th scope="row" class="service-name">
                <span class="code service-code">
                    <span class="visually-hidden">{move || t().col_service_id} " "</span>
                    {code}
                </span>
                <Translated en=name fr=name_fr />
            </th>
            <td class="agreement-cell">
                <A href=format!("/agreements/{agreement_id}") attr:class="nowrap">{agreement_reference}</A>
                <br />
                <StatusBadge status=agreement_status />
            </td>
            <td>{move || lang().pick_text(&delivered_by_name, delivered_by_name_fr.as_deref()).to_owned()}</td>
            <td>
                {move || t().service_type(service_type)}
                <ul class="tags clients" aria-label=move || t().col_client_types>
                    {client_types.into_iter().map(|c| view! { <li class="tag">{move || t().client_type(c)}</li> }).collect_view()}
                </ul>
            </td>
            <td>
                <ul class="tags">
                    {channels.into_iter().map(|c| view! { <li class="tag">{move || lang().channel(c)}</li> }).collect_view()}
                </ul>
            </td>
            <td class="num nowrap">{fee_shown}</td>
            <td class="stages">
                <strong class="nowrap">{move || stages_count().0}</strong>
                // Every stage online: said once, not listed.
                {if fully_online {
                    view! { " " <span class="tag fully-online">{move || t().f_fully_online}</span> }.into_any()
                } else {
                    view! { <span class="stage-names">{move || stages().1}</span> }.into_any()
                }}
            </td>
            <td class="num">{move || lang().count(volume)}</td>
            <td class="standards-cell">
                <StandardResults standards />
            </td>
        </tr>
    }
}

/// Each channel's standard: what is promised, its target, the share that
/// met it and a mark that says so in words as well as colour.
#[component]
fn StandardResults(standards: Vec<StandardResult>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    if standards.is_empty() {
        return view! { <span class="muted">{move || t().no_standards}</span> }.into_any();
    }
    view! {
        <ul class="standards">
            {standards.into_iter().map(|s| {
                let StandardResult { channel, standard, standard_fr, target, met_percent, meets, .. } = s;
                let (mark_class, mark_symbol) = match meets {
                    Some(true) => ("mark mark-met", "✓"),
                    Some(false) => ("mark mark-missed", "✗"),
                    None => ("mark mark-none", "–"),
                };
                let mark_text = move || match meets {
                    Some(true) => t().standard_met,
                    Some(false) => t().standard_missed,
                    None => t().standard_not_judged,
                };
                view! {
                    <li data-channel=channel.as_str() data-meets=meets.map_or("none", |m| if m { "yes" } else { "no" })>
                        <span class="tag">{move || lang().channel(channel)}</span>
                        " " <Translated en=standard fr=standard_fr />
                        <span class="standard-figures">
                            {move || t().standard_target} " " {move || percent_text(lang(), &target)}
                            {met_percent.map(|r| view! { " · " {move || t().standard_result} " " {move || percent_text(lang(), &r)} })}
                            " "
                            <span class=mark_class>
                                <span aria-hidden="true">{mark_symbol}</span> " " {mark_text}
                            </span>
                        </span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&'static str, &str)]) -> ParamsMap {
        let mut map = ParamsMap::new();
        for (k, v) in pairs {
            map.insert(*k, (*v).to_owned());
        }
        map
    }

    #[test]
    fn the_url_query_becomes_the_inventory_query_and_unknown_values_are_ignored() {
        let q = query_from(&params(&[
            ("channel", "kiosk"),
            ("client_type", "businesses"),
            ("online", "false"),
            ("sort", "-volume"),
            ("status", "no-such-status"),
            ("q", "  "),
        ]));
        assert_eq!(q.channel, Some(Channel::Kiosk));
        assert_eq!(q.client_type, Some(ClientType::Businesses));
        assert_eq!(q.online, Some(false));
        assert_eq!(q.sort.as_deref(), Some("-volume"));
        assert_eq!(q.status, None);
        assert_eq!(q.q, None);
    }

    #[test]
    fn only_a_filter_narrows_the_services_not_the_order_or_the_months() {
        assert!(!is_filtered(&params(&[
            ("sort", "-met"),
            ("from", "2026-01")
        ])));
        assert!(is_filtered(&params(&[("service_type", "grant")])));
        assert!(!is_filtered(&params(&[("q", " ")])));
    }

    #[test]
    fn fees_and_percentages_are_written_as_each_language_writes_numbers() {
        assert_eq!(fee_text(Lang::En, "1250.5", "CAD"), "1,250.50\u{a0}CAD");
        assert_eq!(
            fee_text(Lang::Fr, "1250.5", "CAD"),
            "1\u{202f}250,50\u{a0}CAD"
        );
        assert_eq!(percent_text(Lang::En, "80.0000"), "80\u{a0}%");
        assert_eq!(percent_text(Lang::Fr, "91.67"), "91,67\u{a0}%");
        let (count, names) =
            stages_text(Lang::En, &[OnlineStage::Decision, OnlineStage::Application]);
        assert_eq!(count, "2/5");
        assert_eq!(names, "Application, Decision");
    }
}
