//! A page's filters kept in its URL's query, so that a view can be shared
//! and reloaded: each change replaces the query in place (no new history
//! entry, no scroll), and the page reads its filters back from it.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;

/// The query of the page at `path`, and the ways to change it.
#[derive(Clone, Copy)]
pub struct UrlQuery {
    /// The query as it is now.
    pub query: Memo<ParamsMap>,
    go: StoredValue<Box<dyn Fn(ParamsMap) + Send + Sync>>,
}

impl UrlQuery {
    /// The current page's query; changes go to `path` with the new query.
    pub fn new(path: &'static str) -> Self {
        let navigate = use_navigate();
        let go: Box<dyn Fn(ParamsMap) + Send + Sync> = Box::new(move |params: ParamsMap| {
            navigate(
                &format!("{path}{}", params.to_query_string()),
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        });
        UrlQuery {
            query: use_query_map(),
            go: StoredValue::new(go),
        }
    }

    /// Sets `key` to `value`, where it stands in the query; a blank value
    /// removes it.
    pub fn set(self, key: &'static str, value: String) {
        let mut params = self.query.get_untracked();
        if value.trim().is_empty() {
            params.remove(key);
        } else {
            params.replace(key, value);
        }
        self.go.with_value(|go| go(params));
    }

    /// What sets `key`: for a field's input or a choice's pick.
    pub fn pick(self, key: &'static str) -> impl Fn(String) + Copy + 'static {
        move |value| self.set(key, value)
    }

    /// Removes `keys`, keeping the rest of the query.
    pub fn clear(self, keys: &[&str]) {
        let mut params = self.query.get_untracked();
        for key in keys {
            params.remove(key);
        }
        self.go.with_value(|go| go(params));
    }

    /// `key`'s value as written in the query (empty when absent): a
    /// field's value.
    pub fn raw(self, key: &'static str) -> impl Fn() -> String + Copy + 'static {
        move || self.query.read().get(key).unwrap_or_default()
    }
}
