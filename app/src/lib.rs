//! Concord: the Leptos application (UI, server functions) and, behind the
//! `ssr` feature, the backend that serves it. `domain` is shared by both.

pub mod clock;
pub mod domain;
pub mod i18n;
pub mod server_fns;
pub mod ui;
pub mod wire;

#[cfg(feature = "ssr")]
pub mod backend;

pub use ui::{App, shell};

/// Entry point of the wasm bundle: hydrates the server-rendered page. The
/// page's own code may be a file of its own (`ui/lazy_pages.rs`), fetched
/// first; once everything is hydrated, `<body data-hydrated="true">` tells
/// that the page responds (the end-to-end tests wait for it).
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    clock::follow_the_page();
    let Some(body) = leptos::prelude::document().body() else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let mounted = leptos::mount::hydrate_from_async(body.clone(), App).await;
        mounted.forget();
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
