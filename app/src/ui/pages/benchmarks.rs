//! Benchmarks: compliance and KPI statistics of the portfolio grouped one
//! way (agreement, party, structure, purpose, boundary crossed,
//! jurisdiction level, channel, KPI), over a range of periods, as a table
//! and a chart that change without a reload; the filters live in the URL,
//! so a view can be shared and bookmarked.

use crate::i18n::{Lang, use_i18n};
use crate::server_fns::admin::list_kpis;
use crate::server_fns::benchmarks::load_benchmarks;
use crate::ui::auth::error_text;
use crate::ui::components::PageTitle;
use crate::ui::components::{
    BarChart, BarSeries, BoxPlot, LineChart, Loading, Quartiles, TableRegion,
};
use crate::wire::benchmarks::{BenchmarkQuery, GroupBy};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use rust_decimal::Decimal;

/// Groups shown on one page of the table and chart unless the URL says
/// `per_page` (a portfolio of thousands of agreements or commitments is
/// read a page at a time).
const PAGE: u64 = 50;

/// The URL's page of groups (from 1) and groups per page.
fn page_of(q: &ParamsMap) -> (u64, u64) {
    let number = |key: &str| q.get(key).and_then(|p| p.parse::<u64>().ok());
    (
        number("page").filter(|p| *p >= 1).unwrap_or(1),
        number("per_page")
            .filter(|n| (1..=1000).contains(n))
            .unwrap_or(PAGE),
    )
}

fn query_from(q: &ParamsMap) -> BenchmarkQuery {
    let group_by = q.get("group_by").and_then(|g| GroupBy::parse(&g));
    // A trend shows every month of its range.
    let paged = group_by != Some(GroupBy::Period);
    let (page, per_page) = page_of(q);
    BenchmarkQuery {
        limit: paged.then_some(per_page),
        offset: paged.then(|| (page - 1).saturating_mul(per_page)),
        group_by,
        kpi: q.get("kpi").filter(|k| !k.is_empty()),
        from: q.get("from").filter(|k| !k.is_empty()),
        to: q.get("to").filter(|k| !k.is_empty()),
        jurisdiction: q.get("jurisdiction").filter(|k| !k.is_empty()),
        status: q.get("status").and_then(|s| s.parse().ok()),
        worst: q.get("worst").and_then(|w| w.parse().ok()),
    }
}

fn group_label(lang: Lang, g: GroupBy) -> &'static str {
    match g {
        GroupBy::Agreement => lang.pick("Agreement", "Entente"),
        GroupBy::Party => lang.pick("Responsible party", "Partie responsable"),
        GroupBy::Structure => lang.pick("Structure", "Structure"),
        GroupBy::Purpose => lang.pick("Purpose", "Objet"),
        GroupBy::Boundary => lang.pick("Boundary crossed", "Frontière franchie"),
        GroupBy::JurisdictionLevel => lang.pick("Jurisdiction level", "Ordre de gouvernement"),
        GroupBy::Channel => lang.pick("Channel", "Mode de prestation"),
        GroupBy::LifeEvent => lang.pick("Life event", "Événement de la vie"),
        GroupBy::Kpi => lang.pick("KPI", "Indicateur"),
        GroupBy::Commitment => lang.pick("Commitment", "Engagement"),
        GroupBy::Period => lang.pick("Month (trend)", "Mois (tendance)"),
    }
}

/// A group's name as people read it: enum values in the page's language.
fn display(lang: Lang, g: GroupBy, key: &str, label: &str, label_fr: Option<&str>) -> String {
    let label = lang.pick_text(label, label_fr);
    use crate::domain::{Boundary, Channel, JurisdictionLevel, Purpose, Structure};
    let t = lang.t();
    match g {
        GroupBy::Structure => key
            .parse::<Structure>()
            .map_or_else(|_| key.to_owned(), |v| lang.structure(v).to_owned()),
        GroupBy::Purpose => key
            .parse::<Purpose>()
            .map_or_else(|_| key.to_owned(), |v| lang.purpose(v).to_owned()),
        GroupBy::Boundary => key.parse::<Boundary>().map_or_else(
            |_| t.none_crossed.to_owned(),
            |v| lang.boundary(v).to_owned(),
        ),
        GroupBy::JurisdictionLevel => key
            .parse::<JurisdictionLevel>()
            .map_or_else(|_| "—".to_owned(), |v| lang.level(v).to_owned()),
        GroupBy::Channel => key
            .parse::<Channel>()
            .map_or_else(|_| t.all.to_owned(), |v| lang.channel(v).to_owned()),
        // A life event reads by its name alone, in the page's language.
        GroupBy::LifeEvent if !label.is_empty() => label.to_owned(),
        GroupBy::Agreement | GroupBy::Party | GroupBy::Kpi | GroupBy::Commitment
            if !label.is_empty() && label != key =>
        {
            format!("{key} · {label}")
        }
        _ => key.to_owned(),
    }
}

#[component]
pub fn BenchmarksPage() -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let query = use_query_map();
    let navigate = use_navigate();
    let current = Memo::new(move |_| query_from(&query.read()));
    let data = Resource::new(move || current.get(), load_benchmarks);
    let kpis = Resource::new(|| (), |_| list_kpis());
    let set = move |key: &'static str, value: String| {
        let mut q = query.get_untracked();
        // Another view starts at its first page.
        q.remove("page");
        if value.is_empty() {
            q.remove(key);
        } else {
            q.replace(key, value);
        }
        navigate(
            &format!("/benchmarks{}", q.to_query_string()),
            leptos_router::NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    };
    let set = StoredValue::new(set);
    view! {
        <PageTitle text=|l| l.t().benchmarks_title.into() />
        <h1>{move || t().benchmarks_title}</h1>
        <p class="lede">{move || t().benchmarks_intro}</p>
        <Suspense>
            {move || kpis.get().map(|r| {
                let catalogue = r.unwrap_or_default();
                view! {
        <form class="inline-form filters" on:submit=|ev| ev.prevent_default() data-testid="benchmark-filters">
            <div class="field">
                <label for="b-group">{move || t().group_by}</label>
                <select id="b-group" on:change=move |ev| set.with_value(|s| s("group_by", event_target_value(&ev)))>
                    {GroupBy::ALL.iter().copied().map(|g| view! {
                        <option value=g.as_str() selected=move || current.with(|c| c.group_by.unwrap_or_default() == g)>{move || group_label(lang(), g)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="b-kpi">{move || t().col_kpi}</label>
                <select id="b-kpi" on:change=move |ev| set.with_value(|s| s("kpi", event_target_value(&ev)))>
                    <option value="">{move || t().all}</option>
                    {catalogue.into_iter().map(|k| {
                        let code = k.code.clone();
                        let code2 = k.code.clone();
                        view! { <option value=code selected=move || current.with(|c| c.kpi.as_deref() == Some(code2.as_str()))>{move || lang().pick_text(&k.name, k.name_fr.as_deref()).to_owned()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="b-from">{move || t().from_period}</label>
                <input id="b-from" type="text" placeholder="2025-01" size="8"
                    prop:value=move || current.with(|c| c.from.clone().unwrap_or_default())
                    on:change=move |ev| set.with_value(|s| s("from", event_target_value(&ev))) />
            </div>
            <div class="field">
                <label for="b-to">{move || t().to_period}</label>
                <input id="b-to" type="text" placeholder="2025-12" size="8"
                    prop:value=move || current.with(|c| c.to.clone().unwrap_or_default())
                    on:change=move |ev| set.with_value(|s| s("to", event_target_value(&ev))) />
            </div>
            <a class="button secondary" href=move || { let mut q = query.get(); q.remove("page"); format!("/api/v1/benchmarks.csv{}", q.to_query_string()) } download="">{move || t().download_csv}</a>
        </form>
                }
            })}
        </Suspense>
        <Transition fallback=Loading>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <p class="error" role="alert">{error_text(&e)}</p> }.into_any(),
                Ok(v) if v.total == 0 => view! { <p class="empty" data-testid="benchmarks-empty">{move || t().benchmarks_empty}</p> }.into_any(),
                Ok(v) => {
                    let with_kpi = current.with(|c| c.kpi.is_some());
                    let ranked = current.with(|c| c.group_by.unwrap_or_default() == GroupBy::Agreement);
                    let g = current.with(|c| c.group_by.unwrap_or_default());
                    let labels: Vec<String> = v.items.iter().map(|r| display(lang(), g, &r.group, &r.label, r.label_fr.as_deref())).collect();
                    let series = vec![BarSeries {
                        label: t().compliance_rate.to_owned(),
                        class: "series-after",
                        values: v.items.iter().map(|r| Decimal::from_f64_retain(r.compliance_rate.unwrap_or(0.0) * 100.0).unwrap_or_default().round_dp(1)).collect(),
                    }];
                    let rows = v.items.clone();
                    // The page shown, as the query asked for it.
                    let (per_page, offset) = current.with(|c| (c.limit.unwrap_or(PAGE), c.offset.unwrap_or(0)));
                    let (page, total, shown) = (offset / per_page + 1, v.total, v.items.len());
                    let page_href = move |p: u64| {
                        let mut q = query.get_untracked();
                        if p <= 1 { q.remove("page"); } else { q.replace("page", p.to_string()); }
                        format!("/benchmarks{}", q.to_query_string())
                    };
                    let pager = (total > shown || page > 1).then(|| {
                        let first = (page - 1) * per_page + 1;
                        let last = (page - 1) * per_page + shown as u64;
                        view! {
                            <nav class="pager" aria-label=move || lang().pick("Pages of groups", "Pages des groupes") data-testid="benchmark-pages">
                                {if shown > 0 {
                                    view! { <p class="note">{move || lang().pick("Groups", "Groupes")} " " {first} "–" {last} " " {move || lang().pick("of", "sur")} " " {total}</p> }.into_any()
                                } else {
                                    view! { <p class="note">{move || lang().pick("No groups on this page.", "Aucun groupe sur cette page.")}</p> }.into_any()
                                }}
                                {(page > 1).then(|| view! { <a class="button secondary" rel="prev" href=page_href(page - 1)>{move || t().previous}</a> })}
                                {(last < total as u64).then(|| view! { <a class="button secondary" rel="next" href=page_href(page + 1)>{move || t().next}</a> })}
                            </nav>
                        }
                    });
                    view! {
                        <p class="note">{move || t().range_shown} " " {move || lang().date(v.from)} " – " {move || lang().date(v.to)}</p>
                        {if g == GroupBy::Period {
                            let points: Vec<Option<Decimal>> = v.items.iter().map(|r| r.compliance_rate.and_then(|x| Decimal::from_f64_retain(x * 100.0)).map(|d| d.round_dp(1))).collect();
                            let kpi_points: Vec<Option<Decimal>> = v.items.iter().map(|r| r.value.as_deref().and_then(|x| x.parse().ok())).collect();
                            let months: Vec<String> = v.items.iter().map(|r| r.group.clone()).collect();
                            view! {
                                <LineChart title=t().compliance_rate.to_owned() description=t().trend_chart_description.to_owned()
                                    labels=months.clone() values=points format=Callback::new(|d: Decimal| format!("{d} %")) />
                                {with_kpi.then(|| view! {
                                    <LineChart title=t().kpi_trend.to_owned() description=t().trend_chart_description.to_owned()
                                        labels=months values=kpi_points format=Callback::new(|d: Decimal| d.to_string()) />
                                })}
                            }.into_any()
                        } else {
                            let quartiles: Vec<Quartiles> = v.items.iter().zip(&labels).filter_map(|(r, l)| {
                                let d = |x: &Option<String>| x.as_deref().and_then(|s| s.parse::<Decimal>().ok());
                                Some(Quartiles { label: l.clone(), p25: d(&r.p25)?, median: d(&r.median)?, p75: d(&r.p75)? })
                            }).collect();
                            view! {
                                <BarChart title=t().compliance_rate.to_owned() description=t().benchmark_chart_description.to_owned()
                                    labels series format=Callback::new(|d: Decimal| format!("{d} %")) />
                                {(with_kpi && !quartiles.is_empty()).then(|| view! {
                                    <BoxPlot title=t().kpi_quartiles.to_owned() description=t().box_plot_description.to_owned() rows=quartiles />
                                })}
                            }.into_any()
                        }}
                        <TableRegion>
                            <table class="data" data-testid="benchmarks">
                                <thead>
                                    <tr>
                                        {ranked.then(|| view! { <th scope="col" class="num">{move || t().rank}</th> })}
                                        <th scope="col">{move || group_label(lang(), current.with(|c| c.group_by.unwrap_or_default()))}</th>
                                        <th scope="col" class="num">{move || t().reported}</th>
                                        <th scope="col" class="num">{move || t().met}</th>
                                        <th scope="col" class="num">{move || t().missing_col}</th>
                                        <th scope="col" class="num">{move || t().compliance_rate}</th>
                                        {with_kpi.then(|| view! {
                                            <th scope="col" class="num">{move || t().col_value}</th>
                                            <th scope="col" class="num">"P25"</th>
                                            <th scope="col" class="num">{move || t().median}</th>
                                            <th scope="col" class="num">"P75"</th>
                                        })}
                                        {ranked.then(|| view! { <th scope="col" class="num">{move || t().percentile}</th> })}
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows.into_iter().map(|r| view! {
                                        <tr>
                                            {ranked.then(|| view! { <td class="num">{r.rank}</td> })}
                                            <th scope="row">{move || display(lang(), g, &r.group, &r.label, r.label_fr.as_deref())}</th>
                                            <td class="num">{r.reported}</td>
                                            <td class="num">{r.met}</td>
                                            <td class="num">{r.missing}</td>
                                            <td class="num">{r.compliance_rate.map_or_else(|| "—".into(), |x| format!("{:.1} %", x * 100.0))}</td>
                                            {with_kpi.then(|| view! {
                                                <td class="num">{r.value.clone().unwrap_or_default()}</td>
                                                <td class="num">{r.p25.clone().unwrap_or_default()}</td>
                                                <td class="num">{r.median.clone().unwrap_or_default()}</td>
                                                <td class="num">{r.p75.clone().unwrap_or_default()}</td>
                                            })}
                                            {ranked.then(|| view! { <td class="num">{r.percentile.map(|p| format!("{p:.0}")).unwrap_or_default()}</td> })}
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </TableRegion>
                        {pager}
                    }.into_any()
                }
            })}
        </Transition>
    }
}
