//! Small pieces shared by pages.

mod bilingual;
mod layout;
mod upload;
mod url_query;
pub use bilingual::{BilingualField, Translated};
pub use layout::{Column, DataTable, Label, PrintHead, Section, TableRegion, action, col, num};
pub use upload::CsvUpload;
#[cfg(feature = "hydrate")]
pub use upload::{imported, upload_csv};
pub use url_query::UrlQuery;

use crate::domain::{AgreementStatus, Boundary};
use crate::i18n::use_i18n;
use crate::wire::error::{AppError, FieldError};
use leptos::prelude::*;

/// The document's `<title>`, in the reader's language, following it when
/// they switch.
///
/// The server reads a title's text after the page has rendered, outside the
/// render's reactive arena, when a part rendered twice may have had its
/// first render's values disposed of: reading any signal there (the
/// language, a page's own values) failed about one render in ten under
/// load (a 500). So `text` is handed the language as a value and must hold
/// plain data; on the server that value is the one the page was rendered
/// in (it cannot change during a render), in the browser the live signal.
#[component]
pub fn PageTitle<F>(text: F) -> impl IntoView
where
    F: Fn(crate::i18n::Lang) -> String + Send + Sync + 'static,
{
    let lang = use_i18n().lang;
    let rendered_in = lang.get_untracked();
    let current = move || {
        if cfg!(feature = "ssr") {
            rendered_in
        } else {
            lang.get()
        }
    };
    view! { <leptos_meta::Title text=move || text(current()) /> }
}

/// A coloured status label (colour is never the only signal: the text is there).
#[component]
pub fn StatusBadge(status: AgreementStatus) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=format!("badge status-{}", status.as_str())>
            {move || i18n.lang.get().status(status)}
        </span>
    }
}

/// The boundaries crossed, as labels.
#[component]
pub fn BoundaryList(boundaries: Vec<Boundary>) -> impl IntoView {
    let i18n = use_i18n();
    if boundaries.is_empty() {
        return view! { <span class="muted">{move || i18n.lang.get().t().none_crossed}</span> }
            .into_any();
    }
    view! {
        <ul class="tags">
            {boundaries
                .into_iter()
                .map(|b| {
                    view! {
                        <li class=format!("tag boundary-{}", b.as_str())>
                            {move || i18n.lang.get().boundary(b)}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// What to show while loading and when loading failed.
#[component]
pub fn LoadError() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="error" role="alert">{move || i18n.lang.get().t().load_failed}</p> }
}

#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="muted" aria-live="polite">{move || i18n.lang.get().t().loading}</p> }
}

/// The error summary at the top of a form (announced to screen readers):
/// the message, then every problem the server or the page found.
#[component]
pub fn FormError(error: RwSignal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let problems = move || {
        error.with(|e| {
            e.as_ref()
                .map(|e| {
                    e.details
                        .iter()
                        .map(FieldError::describe)
                        // A lone problem is often the message itself.
                        .filter(|d| *d != e.message)
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    view! {
        <Show when=move || error.read().is_some()>
            <div class="error-summary" role="alert" tabindex="-1">
                <h2>{move || i18n.lang.get().t().there_is_a_problem}</h2>
                <p>{move || error.with(|e| e.as_ref().map(|e| e.message.clone()).unwrap_or_default())}</p>
                <Show when=move || !problems().is_empty()>
                    <ul>{move || problems().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                </Show>
            </div>
        </Show>
    }
}

/// A field's problem, as the server (or the page) found it: shown beside
/// the field, empty when there is none. `field` is the server's name for
/// it; the problems of its parts (`parties[1].role`) count too.
#[component]
pub fn FieldProblem(error: RwSignal<Option<AppError>>, field: &'static str) -> impl IntoView {
    let text = move || error.with(|e| e.as_ref().and_then(|e| e.about(field)));
    view! {
        <Show when=move || text().is_some()>
            <span class="field-error" data-field=field>{text}</span>
        </Show>
    }
}

/// One series of a bar chart (a colour, by CSS class).
#[derive(Clone, Debug, PartialEq)]
pub struct BarSeries {
    pub label: String,
    pub class: &'static str,
    pub values: Vec<rust_decimal::Decimal>,
}

/// A horizontal grouped bar chart as accessible SVG: a title and a
/// description read by screen readers, a legend, and values written beside
/// the bars (the page shows the same numbers in a table). Renders on the
/// server and redraws in the browser when its inputs change.
///
/// It is drawn twice, and CSS shows one: labels to the left of the bars on
/// a wide screen, and on a narrow one (a phone) each label on its own line
/// above its bars, so that the text keeps a readable size instead of
/// shrinking with a wide drawing.
#[component]
#[allow(clippy::needless_pass_by_value)] // component props are owned
pub fn BarChart(
    title: String,
    description: String,
    labels: Vec<String>,
    series: Vec<BarSeries>,
    format: Callback<rust_decimal::Decimal, String>,
) -> impl IntoView {
    let uid = format!("chart-{}", title.len() * 31 + labels.len());
    let wide = bar_chart_svg(
        BarLayout::WIDE,
        &format!("{uid}-w"),
        &title,
        &description,
        &labels,
        &series,
        format,
    );
    let narrow = bar_chart_svg(
        BarLayout::NARROW,
        &format!("{uid}-n"),
        &title,
        &description,
        &labels,
        &series,
        format,
    );
    view! { <figure class="chart">{wide}{narrow}</figure> }
}

/// Where a bar chart puts its parts.
#[derive(Clone, Copy)]
struct BarLayout {
    width: f64,
    /// Width of the label column left of the bars (0: labels above them).
    label: f64,
    /// Room kept right of the longest bar for its value.
    value: f64,
    /// Room above each group for its label, when labels go above.
    label_line: f64,
    /// Room for the legend, whose entries sit side by side or one a line.
    legend_step: (f64, f64),
    /// Characters of a label shown before it is cut.
    label_chars: usize,
    class: &'static str,
    testid: &'static str,
}

impl BarLayout {
    const WIDE: BarLayout = BarLayout {
        width: 720.0,
        label: 250.0,
        value: 110.0,
        label_line: 0.0,
        legend_step: (160.0, 0.0),
        label_chars: 34,
        class: "chart-wide",
        testid: "bar-chart",
    };
    const NARROW: BarLayout = BarLayout {
        width: 320.0,
        label: 0.0,
        value: 100.0,
        label_line: 16.0,
        legend_step: (0.0, 18.0),
        label_chars: 44,
        class: "chart-narrow",
        testid: "bar-chart-narrow",
    };
}

#[allow(clippy::too_many_arguments)]
fn bar_chart_svg(
    layout: BarLayout,
    uid: &str,
    title: &str,
    description: &str,
    labels: &[String],
    series: &[BarSeries],
    format: Callback<rust_decimal::Decimal, String>,
) -> impl IntoView + use<> {
    use rust_decimal::prelude::ToPrimitive;
    const BAR: f64 = 14.0;
    const GAP: f64 = 10.0;
    let max = series
        .iter()
        .flat_map(|s| s.values.iter())
        .copied()
        .max()
        .unwrap_or_default()
        .to_f64()
        .unwrap_or(0.0)
        .max(f64::MIN_POSITIVE);
    let legend_height = 28.0 + layout.legend_step.1 * series.len().saturating_sub(1) as f64;
    let group = layout.label_line + BAR * series.len() as f64 + GAP;
    let height = legend_height + group * labels.len() as f64;
    let span = layout.width - layout.label - layout.value;
    let (title_id, desc_id) = (format!("{uid}-t"), format!("{uid}-d"));
    let labelled_by = format!("{title_id} {desc_id}");
    let legend = series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let x = layout.label + i as f64 * layout.legend_step.0;
            let y = 4.0 + i as f64 * layout.legend_step.1;
            view! {
                <g>
                    <rect x=x y=y width=12 height=12 class=s.class />
                    <text x=x + 18.0 y=y + 10.0 class="chart-legend">{s.label.clone()}</text>
                </g>
            }
        })
        .collect_view();
    let bars = labels
        .iter()
        .enumerate()
        .map(|(row, label)| {
            let y0 = legend_height + row as f64 * group;
            // Long names are cut to fit; the full name is the label's title.
            let short = if label.chars().count() > layout.label_chars {
                format!("{}…", label.chars().take(layout.label_chars - 1).collect::<String>())
            } else {
                label.clone()
            };
            let bars_top = y0 + layout.label_line;
            let items = series
                .iter()
                .enumerate()
                .map(|(k, s)| {
                    let v = s.values.get(row).copied().unwrap_or_default();
                    let w = (v.to_f64().unwrap_or(0.0) / max * span).max(0.0);
                    let y = bars_top + k as f64 * BAR;
                    view! {
                        <rect x=layout.label y=y width=format!("{w:.1}") height=BAR - 2.0 class=s.class>
                            <title>{format!("{label} — {}: {}", s.label, format.run(v))}</title>
                        </rect>
                        <text x=layout.label + w + 6.0 y=y + BAR - 4.0 class="chart-value">{format.run(v)}</text>
                    }
                })
                .collect_view();
            let (label_x, label_y, anchor) = if layout.label > 0.0 {
                (layout.label - 8.0, y0 + BAR, "end")
            } else {
                (0.0, y0 + 12.0, "start")
            };
            view! {
                <g>
                    <text x=label_x y=label_y class="chart-label" text-anchor=anchor><title>{label.clone()}</title>{short}</text>
                    {items}
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class=layout.class viewBox=format!("0 0 {} {height}", layout.width) role="img" aria-labelledby=labelled_by
            preserveAspectRatio="xMinYMin meet" data-testid=layout.testid>
            <title id=title_id>{title.to_owned()}</title>
            <desc id=desc_id>{description.to_owned()}</desc>
            {legend}
            {bars}
        </svg>
    }
}

/// A line chart over periods as accessible SVG: a title and description
/// for screen readers, points with their values on hover, and the same
/// numbers in the page's table, which stands in for it on a narrow screen.
#[component]
#[allow(clippy::needless_pass_by_value)] // component props are owned
pub fn LineChart(
    title: String,
    description: String,
    labels: Vec<String>,
    values: Vec<Option<rust_decimal::Decimal>>,
    format: Callback<rust_decimal::Decimal, String>,
) -> impl IntoView {
    use rust_decimal::prelude::ToPrimitive;
    const WIDTH: f64 = 720.0;
    const HEIGHT: f64 = 260.0;
    const LEFT: f64 = 56.0;
    const BOTTOM: f64 = 40.0;
    const TOP: f64 = 16.0;
    let nums: Vec<Option<f64>> = values.iter().map(|v| v.and_then(|d| d.to_f64())).collect();
    let max = nums
        .iter()
        .flatten()
        .copied()
        .fold(0.0_f64, f64::max)
        .max(f64::MIN_POSITIVE);
    let n = labels.len().max(1);
    let step = (WIDTH - LEFT - 40.0) / (n.saturating_sub(1).max(1)) as f64;
    let x = move |i: usize| LEFT + step * i as f64;
    let y = move |v: f64| TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - v / max);
    let points: String = nums
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| format!("{:.1},{:.1}", x(i), y(v))))
        .collect::<Vec<_>>()
        .join(" ");
    let uid = format!("line-{}", title.len() * 31 + n);
    let (title_id, desc_id) = (format!("{uid}-t"), format!("{uid}-d"));
    let labelled_by = format!("{title_id} {desc_id}");
    let every = (n / 12).max(1);
    let caption = title.clone();
    view! {
        // On a narrow screen the page's table, which holds the same numbers,
        // stands in for the chart (`chart-wide-only`).
        <figure class="chart chart-wide-only">
            <figcaption>{caption}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-labelledby=labelled_by data-testid="line-chart">
                <title id=title_id>{title}</title>
                <desc id=desc_id>{description}</desc>
                <line x1=LEFT y1=HEIGHT - BOTTOM x2=WIDTH - 8.0 y2=HEIGHT - BOTTOM class="axis" />
                <line x1=LEFT y1=TOP x2=LEFT y2=HEIGHT - BOTTOM class="axis" />
                <text x=LEFT - 6.0 y=TOP + 4.0 class="chart-value" text-anchor="end">{format.run(rust_decimal::Decimal::from_f64_retain(max).unwrap_or_default().round_dp(1))}</text>
                <text x=LEFT - 6.0 y=HEIGHT - BOTTOM class="chart-value" text-anchor="end">"0"</text>
                <polyline points=points class="series-line" />
                {nums.iter().enumerate().filter_map(|(i, v)| v.map(|v| {
                    let d = rust_decimal::Decimal::from_f64_retain(v).unwrap_or_default().round_dp(1);
                    view! {
                        <circle cx=x(i) cy=y(v) r="3.5" class="series-point">
                            <title>{format!("{}: {}", labels[i], format.run(d))}</title>
                        </circle>
                    }
                })).collect_view()}
                {labels.iter().enumerate().filter(|(i, _)| i % every == 0).map(|(i, l)| view! {
                    <text x=x(i) y=HEIGHT - BOTTOM + 16.0 class="chart-label" text-anchor="middle">{l.clone()}</text>
                }).collect_view()}
            </svg>
        </figure>
    }
}

/// One group's quartiles for a box plot.
#[derive(Clone, Debug, PartialEq)]
pub struct Quartiles {
    pub label: String,
    pub p25: rust_decimal::Decimal,
    pub median: rust_decimal::Decimal,
    pub p75: rust_decimal::Decimal,
}

/// Horizontal box plots (the box from the first to the third quartile, a
/// bar at the median) as accessible SVG, the numbers in each box's title
/// and in the page's table.
#[component]
#[allow(clippy::needless_pass_by_value)] // component props are owned
pub fn BoxPlot(title: String, description: String, rows: Vec<Quartiles>) -> impl IntoView {
    use rust_decimal::prelude::ToPrimitive;
    const WIDTH: f64 = 720.0;
    const LABEL: f64 = 250.0;
    const ROW: f64 = 26.0;
    let max = rows
        .iter()
        .map(|r| r.p75)
        .max()
        .unwrap_or_default()
        .to_f64()
        .unwrap_or(0.0)
        .max(f64::MIN_POSITIVE);
    let span = WIDTH - LABEL - 60.0;
    let x = move |d: rust_decimal::Decimal| LABEL + d.to_f64().unwrap_or(0.0) / max * span;
    let height = 24.0 + ROW * rows.len() as f64;
    let uid = format!("box-{}", title.len() * 31 + rows.len());
    let (title_id, desc_id) = (format!("{uid}-t"), format!("{uid}-d"));
    let labelled_by = format!("{title_id} {desc_id}");
    let caption = title.clone();
    view! {
        // On a narrow screen the page's table stands in (`chart-wide-only`).
        <figure class="chart chart-wide-only">
            <figcaption>{caption}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-labelledby=labelled_by data-testid="box-plot">
                <title id=title_id>{title}</title>
                <desc id=desc_id>{description}</desc>
                {rows.iter().enumerate().map(|(i, r)| {
                    let y = 12.0 + ROW * i as f64;
                    let short = if r.label.chars().count() > 34 {
                        format!("{}…", r.label.chars().take(33).collect::<String>())
                    } else {
                        r.label.clone()
                    };
                    let (a, m, b) = (x(r.p25), x(r.median), x(r.p75));
                    view! {
                        <g>
                            <text x=LABEL - 8.0 y=y + 12.0 class="chart-label" text-anchor="end"><title>{r.label.clone()}</title>{short}</text>
                            <rect x=a y=y width=format!("{:.1}", (b - a).max(1.0)) height=ROW - 10.0 class="box">
                                <title>{format!("{}: P25 {} · median {} · P75 {}", r.label, r.p25, r.median, r.p75)}</title>
                            </rect>
                            <line x1=m y1=y x2=m y2=y + ROW - 10.0 class="box-median" />
                            <text x=b + 6.0 y=y + 12.0 class="chart-value">{r.median.to_string()}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
        </figure>
    }
}
