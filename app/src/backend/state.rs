//! `AppState`: what every request needs, injected — never global.

use crate::backend::auth::AuthSettings;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub leptos_options: LeptosOptions,
    pub auth: Arc<AuthSettings>,
    /// Answers kept until the data changes (`cache`).
    pub cache: crate::backend::cache::ReadCache,
    /// Who publishes the open contracting data, and where (settings).
    pub publisher: Arc<crate::backend::services::export::Publisher>,
}
