//! Metrics in the Prometheus text format (issue 19): requests by route and
//! status, their latency, sign-in failures, imports' durations and the
//! database pool. Served only when `CONCORD_METRICS_ADDR` names an address
//! of its own (see `serve`), never on the public one.
//!
//! One registry per process: every router of the process counts into it.

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use sea_orm::{DatabaseBackend, DatabaseConnection};
use std::sync::OnceLock;
use std::time::Instant;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    /// The route's pattern (`/api/v1/agreements/{id}`), never the path
    /// itself, so that the series stay few; `unmatched` for the rest.
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    state: &'static str,
}

struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    imports: Family<RouteLabels, Histogram>,
    sign_in_failures: Counter,
    pool: Family<PoolLabels, Gauge>,
}

fn latency_buckets() -> Histogram {
    // 1 ms to about 16 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(|| {
        let mut registry = Registry::with_prefix("concord");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route and status",
            requests.clone(),
        );
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(
            latency_buckets as fn() -> Histogram,
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer a request, until its headers are sent",
            latency.clone(),
        );
        let imports = Family::<RouteLabels, Histogram>::new_with_constructor(
            latency_buckets as fn() -> Histogram,
        );
        registry.register(
            "import_duration_seconds",
            "Time to check and load an uploaded CSV file, all rows or none",
            imports.clone(),
        );
        let sign_in_failures = Counter::default();
        registry.register(
            "sign_in_failures",
            "Sign-ins refused: a wrong email or password, or a locked account",
            sign_in_failures.clone(),
        );
        let pool = Family::<PoolLabels, Gauge>::default();
        registry.register(
            "db_pool_connections",
            "The database pool's connections, open and idle",
            pool.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            imports,
            sign_in_failures,
            pool,
        }
    })
}

/// Whether `route` signs in: through the API or the page's server function.
fn signs_in(route: &str) -> bool {
    matches!(route, "/api/v1/auth/login" | "/sfn/auth/sign-in")
}

/// Middleware: counts and times every request the router answers.
pub async fn record(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let response = next.run(request).await;
    let seconds = started.elapsed().as_secs_f64();
    let status = response.status().as_u16();
    let m = metrics();
    let labels = RouteLabels { method, route };
    m.latency.get_or_create(&labels).observe(seconds);
    // An import that was read and checked: loaded (2xx) or refused for
    // its rows (422), not one turned away at the door.
    if labels.route.ends_with("/import") && (response.status().is_success() || status == 422) {
        m.imports.get_or_create(&labels).observe(seconds);
    }
    if signs_in(&labels.route) && matches!(status, 401 | 429) {
        m.sign_in_failures.inc();
    }
    m.requests
        .get_or_create(&RequestLabels {
            method: labels.method,
            route: labels.route,
            status,
        })
        .inc();
    response
}

/// Everything measured so far, in the Prometheus text format, with the
/// pool of `db` as it is now.
pub fn render(db: &DatabaseConnection) -> String {
    let m = metrics();
    let (size, idle) = match db.get_database_backend() {
        DatabaseBackend::Sqlite => {
            let p = db.get_sqlite_connection_pool();
            (p.size(), p.num_idle())
        }
        DatabaseBackend::Postgres => {
            let p = db.get_postgres_connection_pool();
            (p.size(), p.num_idle())
        }
        _ => (0, 0),
    };
    let idle = u32::try_from(idle).unwrap_or(u32::MAX);
    m.pool
        .get_or_create(&PoolLabels { state: "open" })
        .set(i64::from(size));
    m.pool
        .get_or_create(&PoolLabels { state: "idle" })
        .set(i64::from(idle));
    let mut out = String::new();
    if let Err(e) = prometheus_client::encoding::text::encode(&mut out, &m.registry) {
        tracing::error!(error = %e, "metrics could not be written");
    }
    out
}

/// The router of the metrics address: `GET /metrics` and nothing else.
pub fn router(db: DatabaseConnection) -> axum::Router {
    axum::Router::new()
        .route("/metrics", get(scrape))
        .with_state(db)
}

async fn scrape(State(db): State<DatabaseConnection>) -> impl IntoResponse {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        render(&db),
    )
}
