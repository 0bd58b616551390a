//! The site's static files (`pkg/`: the wasm, its JavaScript, the
//! stylesheet), served as files.
//!
//! A release build (`cargo leptos build --release --precompress`, see
//! `scripts/release.sh`) writes a gzip and a brotli copy beside each file;
//! the `/pkg` service hands over the copy the browser accepts as it is, so
//! no request compresses a static file (without copies, as in a debug build,
//! the router's compression layer still compresses them). With hashed file
//! names (cargo-leptos `hash-files`, which writes `hash.txt` beside the
//! server binary) a file's name changes with its content, so browsers may
//! keep it for a year.

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use std::path::Path;
use tower_http::services::ServeDir;

/// A year, immutable: for files whose name changes with their content.
const FOREVER: &str = "public, max-age=31536000, immutable";
/// Ask the server each time (it answers 304 when unchanged): for files
/// whose name stays the same across builds.
const REVALIDATE: &str = "no-cache";

/// The files of `pkg_dir`, precompressed copies first, with a
/// `Cache-Control` that fits their names (`hashed`: they change with the
/// content). A missing file is a plain 404 that no cache keeps.
pub fn pkg_service<S: Clone + Send + Sync + 'static>(pkg_dir: &Path, hashed: bool) -> Router<S> {
    let cache = HeaderValue::from_static(if hashed { FOREVER } else { REVALIDATE });
    Router::new()
        .fallback_service(
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(axum::middleware::map_response(
            move |mut response: Response| {
                let cache = cache.clone();
                async move {
                    // The same URL is sent as brotli, gzip or as it is.
                    response
                        .headers_mut()
                        .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
                    if response.status().is_success()
                        || response.status() == StatusCode::NOT_MODIFIED
                    {
                        response.headers_mut().insert(header::CACHE_CONTROL, cache);
                    }
                    response
                }
            },
        ))
}

/// Whether the binary was built with hashed file names: cargo-leptos writes
/// `hash.txt` beside it then.
pub fn hashed_build() -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt")))
        .is_some_and(|file| file.is_file())
}
