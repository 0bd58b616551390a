//! The executive home: the portfolio at a glance — agreements by status,
//! structure and boundary crossed; last month's compliance rate and
//! breaches, side by side for each boundary (Kernaghan's finding, tested on
//! this portfolio); the worst-performing commitments of the last three
//! months; renewals due; cost against budget this year, per currency. Each
//! number links to what it counts.

use crate::domain::compliance::latest_month_due;
use crate::domain::{Boundary, Period};
use crate::i18n::use_i18n;
use crate::server_fns::agreements::load_glance;
use crate::server_fns::benchmarks::{load_benchmarks, load_channels, load_portfolio_costs};
use crate::ui::components::PageTitle;
use crate::ui::components::{
    BarChart, BarSeries, DataTable, LoadError, Loading, Translated, col, num,
};
use crate::ui::pages::portfolio::Renewals;
use crate::wire::agreements::PortfolioGlance;
use crate::wire::benchmarks::{BenchmarkQuery, BenchmarkRow, GroupBy};
use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;
use leptos_router::components::A;
use rust_decimal::Decimal;
use std::str::FromStr;

/// The latest month whose reports are past due (its figures are final, even
/// on the first of a month), and the two before it.
fn months() -> (String, String) {
    let last = latest_month_due(crate::clock::today());
    let first = last.and_then(|m| m.plus(-2));
    let text = |p: Option<Period>| p.map(|p| p.to_string()).unwrap_or_default();
    (text(first), text(last))
}

fn totals(rows: &[BenchmarkRow]) -> (u64, u64, u64, u64) {
    rows.iter().fold((0, 0, 0, 0), |acc, r| {
        (
            acc.0 + r.reported,
            acc.1 + r.met,
            acc.2 + r.breached,
            acc.3 + r.missing,
        )
    })
}

fn rate(met: u64, judged: u64) -> String {
    if judged == 0 {
        "—".into()
    } else {
        format!("{:.1} %", met as f64 * 100.0 / judged as f64)
    }
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let (first, last) = months();
    let all = Resource::new(|| (), |_| load_glance());
    // Grouped by `group_by`, from month `from` to the last month.
    let grouped = |group_by, from: &String| BenchmarkQuery {
        group_by: Some(group_by),
        from: Some(from.clone()),
        to: Some(last.clone()),
        ..Default::default()
    };
    let month_q = grouped(GroupBy::Structure, &last);
    let by_structure = Resource::new(move || month_q.clone(), load_benchmarks);
    let boundary_q = grouped(GroupBy::Boundary, &first);
    let by_boundary = Resource::new(move || boundary_q.clone(), load_benchmarks);
    let worst_q = BenchmarkQuery {
        worst: Some(5),
        ..grouped(GroupBy::Commitment, &first)
    };
    let worst = Resource::new(move || worst_q.clone(), load_benchmarks);
    let today = crate::clock::today();
    // The year of the latest month due, up to that month: in January that
    // is last year's whole record, not a month with nothing recorded yet.
    let cost_to = latest_month_due(today).map_or(today, |m| m.end_date(1));
    let cost_from = NaiveDate::from_ymd_opt(cost_to.year(), 1, 1).unwrap_or(cost_to);
    let costs = Resource::new(
        move || (cost_from, cost_to),
        |(f, to)| load_portfolio_costs(f, to),
    );
    let year_ago = today - chrono::Months::new(12);
    let channels = Resource::new(move || (year_ago, today), |(f, to)| load_channels(f, to));
    let last2 = last.clone();
    let (first2, last3) = (first, last);
    view! {
        <PageTitle text=|l| l.t().overview_title.into() />
        <h1>{move || t().overview_title}</h1>
        <p class="lede">{move || t().overview_intro}</p>
        <Suspense fallback=Loading>
            {move || all.get().map(|r| match r {
                Err(_) => view! { <LoadError /> }.into_any(),
                Ok(glance) => {
                    let renewals = glance.renewals.clone();
                    view! { <Counts glance=glance /> <Renewals all=renewals /> }.into_any()
                }
            })}
        </Suspense>
        <Suspense fallback=Loading>
            {move || by_structure.get().map(|r| match r {
                Err(_) => view! { <LoadError /> }.into_any(),
                Ok(v) => {
                    let (reported, met, breached, missing) = totals(&v.items);
                    let link = format!("/benchmarks?group_by=agreement&from={last2}&to={last2}");
                    view! {
                        <section aria-labelledby="h-month" data-testid="last-month">
                            <h2 id="h-month">{move || t().last_month} " (" {last2.clone()} ")"</h2>
                            <dl class="figures">
                                <div><dt>{move || t().compliance_rate}</dt><dd><A href=link.clone()>{rate(met, reported + missing)}</A></dd></div>
                                <div><dt>{move || t().breaches}</dt><dd><A href=link.clone()>{breached}</A></dd></div>
                                <div><dt>{move || t().missing_col}</dt><dd><A href=link.clone()>{missing}</A></dd></div>
                                <div><dt>{move || t().reported}</dt><dd><A href=link>{reported}</A></dd></div>
                            </dl>
                            {(reported + missing == 0).then(|| view! { <p class="empty" data-testid="last-month-empty">{move || t().last_month_empty}</p> })}
                        </section>
                    }.into_any()
                }
            })}
        </Suspense>
        <Suspense fallback=Loading>
            {move || by_boundary.get().map(|r| match r {
                Err(_) => view! { <LoadError /> }.into_any(),
                Ok(v) => {
                    let labels: Vec<String> = v.items.iter().map(|r| Boundary::from_str(&r.group).map_or_else(|_| t().none_crossed.to_owned(), |b| lang().boundary(b).to_owned())).collect();
                    let series = vec![BarSeries {
                        label: t().compliance_rate.to_owned(),
                        class: "series-after",
                        values: v.items.iter().map(|r| Decimal::from_f64_retain(r.compliance_rate.unwrap_or(0.0) * 100.0).unwrap_or_default().round_dp(1)).collect(),
                    }];
                    let link = format!("/benchmarks?group_by=boundary&from={first2}&to={last3}");
                    view! {
                        <section aria-labelledby="h-boundary" data-testid="boundary-view">
                            <h2 id="h-boundary">{move || t().boundary_view}</h2>
                            <p class="note">{move || t().boundary_view_intro} " " <A href=link>{move || t().open_benchmarks}</A></p>
                            {if labels.is_empty() {
                                view! { <p class="empty">{move || t().boundary_view_empty}</p> }.into_any()
                            } else {
                                view! {
                                    <BarChart title=t().boundary_view.to_owned() description=t().benchmark_chart_description.to_owned()
                                        labels series format=Callback::new(|d: Decimal| format!("{d} %")) />
                                }.into_any()
                            }}
                        </section>
                    }.into_any()
                }
            })}
        </Suspense>
        <Suspense fallback=Loading>
            {move || worst.get().map(|r| match r {
                Err(_) => view! { <LoadError /> }.into_any(),
                Ok(v) => {
                    let mut rows: Vec<BenchmarkRow> = v.items.into_iter().filter(|r| r.compliance_rate.is_some()).collect();
                    rows.sort_by(|a, b| a.compliance_rate.partial_cmp(&b.compliance_rate).unwrap_or(std::cmp::Ordering::Equal).then(b.breached.cmp(&a.breached)));
                    rows.truncate(5);
                    view! {
                        <section aria-labelledby="h-worst">
                            <h2 id="h-worst">{move || t().worst_commitments}</h2>
                            {if rows.is_empty() {
                                view! { <p class="empty">{move || t().worst_empty}</p> }.into_any()
                            } else {
                                view! {
                            <DataTable columns=vec![col(|m| m.col_commitment), num(|m| m.compliance_rate), num(|m| m.breaches), num(|m| m.missing_col)] testid="worst">
                                {rows.into_iter().map(|r| {
                                    let reference = r.group.split('#').next().unwrap_or_default().to_owned();
                                    view! {
                                        <tr>
                                            <th scope="row"><A href=format!("/?q={reference}")>{reference.clone()}</A> " · " <Translated en=r.label.clone() fr=r.label_fr.clone() /></th>
                                            <td class="num">{r.compliance_rate.map_or_else(|| "—".into(), |x| format!("{:.1} %", x * 100.0))}</td>
                                            <td class="num">{r.breached}</td>
                                            <td class="num">{r.missing}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </DataTable>
                                }.into_any()
                            }}
                        </section>
                    }.into_any()
                }
            })}
        </Suspense>
        <Suspense fallback=Loading>
            {move || channels.get().map(|r| match r {
                Err(_) => view! { <LoadError /> }.into_any(),
                Ok(rows) => view! {
                    <section aria-labelledby="h-channels">
                        <h2 id="h-channels">{move || t().channel_mix}</h2>
                        <p class="note">{move || t().channel_mix_intro}</p>
                        {if rows.is_empty() {
                            view! { <p class="empty">{move || t().channel_mix_empty}</p> }.into_any()
                        } else {
                            view! {
                        <DataTable columns=vec![col(|m| m.currency), col(|m| m.col_channel), num(|m| m.col_transactions), num(|m| m.share_of_transactions), num(|m| m.cost_per_transaction)] testid="channels">
                            {rows.into_iter().map(|r| {
                                let ch = r.channel;
                                view! {
                                    <tr>
                                        <td>{r.currency.clone()}</td>
                                        <th scope="row">{move || lang().channel(ch)}</th>
                                        <td class="num">{move || lang().count(r.transactions)}</td>
                                        <td class="num">{format!("{:.1} %", r.share * 100.0)}</td>
                                        <td class="num">{r.cost_per_transaction.unwrap_or_else(|| "—".into())}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </DataTable>
                            }.into_any()
                        }}
                    </section>
                }.into_any(),
            })}
        </Suspense>
        <Suspense fallback=Loading>
            {move || costs.get().map(|r| match r {
                Err(_) => view! { <LoadError /> }.into_any(),
                Ok(list) => view! {
                    <section aria-labelledby="h-costs-year">
                        <h2 id="h-costs-year">{move || t().cost_vs_budget} " (" {cost_from.format("%Y-%m").to_string()} " – " {cost_to.format("%Y-%m").to_string()} ")"</h2>
                        {if list.is_empty() {
                            view! { <p class="empty">{move || t().costs_year_empty}</p> }.into_any()
                        } else {
                            view! {
                        <DataTable columns=vec![col(|m| m.currency), num(|m| m.budget), num(|m| m.actual)] testid="portfolio-costs">
                            {list.into_iter().map(|c| {
                                let f = move |s: &str| Decimal::from_str(s).map_or_else(|_| s.to_owned(), |d| lang().amount(d, 2));
                                let (b, a) = (c.budget.clone(), c.actual.clone());
                                view! {
                                    <tr>
                                        <th scope="row">{c.currency}</th>
                                        <td class="num">{move || f(&b)}</td>
                                        <td class="num">{move || f(&a)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </DataTable>
                            }.into_any()
                        }}
                    </section>
                }.into_any(),
            })}
        </Suspense>
    }
}

/// Agreements by status, structure and boundary crossed, each count a link
/// to the portfolio filtered to it.
#[component]
#[allow(clippy::needless_pass_by_value)] // component props are owned
fn Counts(glance: PortfolioGlance) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let t = move || lang().t();
    let PortfolioGlance {
        total,
        by_status: status,
        by_structure: structure,
        by_boundary: boundary,
        ..
    } = glance;
    view! {
        <section aria-labelledby="h-counts" data-testid="counts">
            <h2 id="h-counts">{move || t().agreements_at_a_glance} " (" {total} ")"</h2>
            <div class="two-col">
                <ul class="count-list">
                    {status.into_iter().map(|(s, n)| view! {
                        <li><A href=format!("/?status={}", s.as_str())>{move || lang().status(s)} ": " <strong>{n}</strong></A></li>
                    }).collect_view()}
                </ul>
                <ul class="count-list">
                    {structure.into_iter().map(|(s, n)| view! {
                        <li><A href=format!("/?structure={}", s.as_str())>{move || lang().structure(s)} ": " <strong>{n}</strong></A></li>
                    }).collect_view()}
                </ul>
                <ul class="count-list">
                    {boundary.into_iter().map(|(b, n)| view! {
                        <li><A href=format!("/?boundary={}", b.as_str())>{move || lang().boundary(b)} ": " <strong>{n}</strong></A></li>
                    }).collect_view()}
                </ul>
            </div>
        </section>
    }
}
