//! The whole HTTP surface in one `Router`: `/healthz`, `/api/v1`, server
//! functions and the Leptos pages, with their middleware.

use crate::middleware::{
    body_limit, client_request_id, hsts, panic_response, same_origin_writes, security_headers,
    server_fn_bad_input,
};
use crate::rest;
use crate::rest::error::ApiError;
use app::backend::AppState;
use app::{App, shell};
use axum::extract::{MatchedPath, Request, State};
use axum::routing::get;
use axum::{Json, Router};
use leptos::nonce::provide_nonce;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use std::sync::OnceLock;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{
    MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::TraceLayer;

/// `GET /healthz`: 200 when the database answers.
#[utoipa::path(get, path = "/healthz", tag = "health", security(()),
    responses((status = 200, description = "The database answers", body = Object, example = json!({"status": "ok"})),
              (status = 503, description = "The database does not answer", body = crate::rest::error::ErrorBody)))]
pub(crate) async fn healthz(
    State(state): State<AppState>,
) -> Result<Json<serde_json::Value>, ApiError> {
    match state.db.ping().await {
        Ok(()) => Ok(Json(serde_json::json!({ "status": "ok" }))),
        Err(e) => {
            tracing::error!(error = %e, "health check: the database does not answer");
            Err(ApiError::new(
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "The database does not answer.",
            ))
        }
    }
}

/// The pages' routes, generated once per process.
///
/// Generating runs the app with resource loading suppressed for the whole
/// process (leptos issue 4773): a page that another thread renders at that
/// moment waits forever for its data. A server builds its router once before
/// it serves, but the tests build one per test, side by side; this was the
/// rare test that hung with an idle CPU. Generating once, behind a lock that
/// every later router waits on, means no page is ever rendered during it.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Builds the application router for `state`.
pub fn build_router(state: AppState) -> Router {
    let routes = page_routes();
    let https = state.auth.secure_cookies;
    let options = state.leptos_options.clone();
    let pkg_dir = std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir);
    let pkg = crate::assets::pkg_service(&pkg_dir, options.hash_files);
    let pkg_path = format!("/{}", options.site_pkg_dir);

    let trace = TraceLayer::new_for_http()
        .on_response(tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO))
        .make_span_with(|request: &Request| {
            let path = request.extensions().get::<MatchedPath>().map_or_else(
                || request.uri().path().to_owned(),
                |p| p.as_str().to_owned(),
            );
            let id = request
                .extensions()
                .get::<RequestId>()
                .and_then(|id| id.header_value().to_str().ok())
                .unwrap_or("-")
                .to_owned();
            let client = request
                .headers()
                .get("x-client-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-")
                .chars()
                .take(100)
                .collect::<String>();
            tracing::info_span!("request", method = %request.method(), path, request_id = id, client_request_id = client)
        });

    Router::new()
        .route("/healthz", get(healthz))
        .route("/public/ocds.json", get(rest::public::ocds_feed))
        // Body sizes are limited by `body_limit` below (1 MiB of JSON,
        // 10 MiB of CSV), not by axum's 2 MB default for extractors.
        .nest(
            "/api/v1",
            rest::routes().layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .leptos_routes_with_context(
            &state,
            routes,
            || {
                provide_nonce();
                // Each page render shares its server functions' results.
                leptos::prelude::provide_context(app::server_fns::glue::RenderShared::default());
            },
            move || shell(options.clone()),
        )
        // The compression layer below passes precompressed copies on as
        // they are.
        .nest(&pkg_path, pkg)
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(provide_nonce, shell))
        // Counted where the route's pattern is known (`metrics.rs`).
        .layer(axum::middleware::from_fn(crate::metrics::record))
        .layer(
            ServiceBuilder::new()
                .layer(axum::middleware::from_fn(client_request_id))
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(trace)
                .layer(PropagateRequestIdLayer::x_request_id())
                // Pages and JSON at gzip's fastest level: compressing at
                // the default level took a tenth of a page's time, for a
                // few per cent fewer bytes. The site's static files come
                // precompressed at the highest levels (assets.rs).
                .layer(CompressionLayer::new().quality(tower_http::CompressionLevel::Fastest))
                .layer(axum::middleware::from_fn(security_headers))
                .layer(axum::middleware::from_fn(body_limit))
                .layer(axum::middleware::from_fn(same_origin_writes))
                .layer(axum::middleware::from_fn(server_fn_bad_input))
                .layer(CatchPanicLayer::custom(panic_response)),
        )
        .layer(axum::middleware::from_fn(move |request, next| async move {
            if https {
                hsts(request, next).await
            } else {
                next.run(request).await
            }
        }))
        .with_state(state)
}

/// The listener with Nagle's algorithm off on every connection: a response
/// written in parts (headers, then a small body or a page's streamed
/// chunks) otherwise waits for the client's delayed acknowledgement, about
/// 40 ms, which capped small files at ~1,000 requests a second.
pub fn without_delay(
    listener: tokio::net::TcpListener,
) -> axum::serve::TapIo<tokio::net::TcpListener, fn(&mut tokio::net::TcpStream)> {
    use axum::serve::ListenerExt;
    fn no_delay(stream: &mut tokio::net::TcpStream) {
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!("could not set TCP_NODELAY: {e}");
        }
    }
    listener.tap_io(no_delay as fn(&mut tokio::net::TcpStream))
}

/// Serves the whole router over `db` on a free port of 127.0.0.1, in the
/// background, signing sessions with `secret`; returns its base URL. For
/// the tests and benchmarks, which need the real server beside them.
pub async fn serve_locally(db: sea_orm::DatabaseConnection, secret: &[u8]) -> String {
    serve_site_locally(db, secret, "target/site", false).await
}

/// [`serve_locally`] with the built site in `site_root` (`hashed`: its
/// files carry cargo-leptos's hashed names).
pub async fn serve_site_locally(
    db: sea_orm::DatabaseConnection,
    secret: &[u8],
    site_root: &str,
    hashed: bool,
) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free local port");
    let addr = listener.local_addr().expect("the port's address");
    let leptos_options = leptos::config::LeptosOptions::builder()
        .output_name("concord")
        .site_root(site_root)
        .site_addr(addr)
        .hash_files(hashed)
        .build();
    let auth = std::sync::Arc::new(app::backend::auth::AuthSettings::with_secret(secret));
    let router = build_router(AppState {
        db,
        leptos_options,
        auth,
        cache: Default::default(),
        publisher: Default::default(),
    });
    tokio::spawn(async move {
        axum::serve(
            without_delay(listener),
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
        .expect("serve");
    });
    format!("http://{addr}")
}
