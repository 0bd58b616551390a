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

/// Entry point of the wasm bundle: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    clock::follow_the_page();
    leptos::mount::hydrate_body(App);
}
