//! The `/api/v1` REST API: thin handlers that parse, call a service, and
//! answer in the shapes of API.md. No query and no rule lives here.

pub mod agreements;
pub mod audit;
pub mod auth;
pub mod benchmarks;
pub mod cost;
pub mod error;
pub mod extract;
pub mod negotiation;
pub mod organisations;
pub mod reports;

use app::backend::AppState;
use axum::Router;
use axum::routing::{delete, get, post, put};
use error::ApiError;
use serde::{Deserialize, Serialize};

/// Every `/api/v1` route.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(crate::openapi::openapi_json))
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/me", get(auth::me))
        .route("/cost-sharing/simulate", post(cost::simulate))
        .route("/audit", get(audit::list))
        .route("/organisations", get(organisations::list))
        .route(
            "/agreements",
            get(agreements::list).post(negotiation::create),
        )
        .route(
            "/agreements/{id}",
            get(agreements::get)
                .put(negotiation::update)
                .delete(negotiation::withdraw),
        )
        .route("/agreements/{id}/versions", get(negotiation::versions))
        .route(
            "/agreements/{id}/versions/compare",
            get(negotiation::compare),
        )
        .route(
            "/agreements/{id}/comments",
            get(negotiation::comments).post(negotiation::add_comment),
        )
        .route(
            "/agreements/{id}/transitions",
            post(negotiation::transition),
        )
        .route("/agreements/{id}/approvals", post(negotiation::approve))
        .route(
            "/agreements/{id}/amendment",
            delete(negotiation::withdraw_amendment),
        )
        .route(
            "/agreements/{id}/export/ocds",
            get(negotiation::export_ocds),
        )
        .route("/agreements/{id}/cost-model", put(cost::set_model))
        .route("/agreements/{id}/ledger", get(cost::ledger))
        .route("/agreements/{id}/cost-entries", post(cost::add_entry))
        .route(
            "/agreements/{id}/cost-entries/import",
            post(cost::import_entries),
        )
        .route(
            "/agreements/{id}/cost-entries/{entry_id}",
            delete(cost::delete_entry),
        )
        .route("/agreements/{id}/volumes", post(cost::add_volume))
        .route(
            "/agreements/{id}/volumes/import",
            post(cost::import_volumes),
        )
        .route(
            "/agreements/{id}/volumes/{volume_id}",
            delete(cost::delete_volume),
        )
        .route("/agreements/{id}/reconciliation", get(cost::reconciliation))
        .route(
            "/agreements/{id}/reconciliation.csv",
            get(cost::reconciliation_csv),
        )
        .route(
            "/agreements/{id}/commitments",
            post(reports::add_commitment),
        )
        .route(
            "/agreements/{id}/commitments/{commitment_id}",
            put(reports::update_commitment),
        )
        .route("/agreements/{id}/compliance", get(reports::compliance))
        .route(
            "/agreements/{id}/compliance.csv",
            get(reports::compliance_csv),
        )
        .route(
            "/agreements/{id}/export/openslo",
            get(reports::export_openslo),
        )
        .route("/benchmarks", get(benchmarks::list))
        .route("/benchmarks.csv", get(benchmarks::csv))
        .route("/benchmarks/channels", get(benchmarks::channels))
        .route("/reports", post(reports::submit))
        .route("/reports/import", post(reports::import))
        .route("/reports/due", get(reports::due))
        .route("/commitments/{id}/reports", get(reports::revisions))
        .fallback(|| async { ApiError::not_found() })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                axum::http::StatusCode::METHOD_NOT_ALLOWED,
                "bad_request",
                "This endpoint does not accept that method.",
            )
        })
}

/// `limit` / `offset` of a list.
#[derive(Clone, Copy, Debug, Deserialize)]
pub struct Page {
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// `{"items": [...], "total": N}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct List<T> {
    pub items: Vec<T>,
    pub total: usize,
}

impl<T> List<T> {
    /// The page of `all` that `limit`/`offset` ask for (default limit 100, at most 1000).
    pub fn page(all: Vec<T>, page: Page) -> Result<Self, ApiError> {
        let limit = page.limit.unwrap_or(100);
        if !(1..=1000).contains(&limit) {
            return Err(ApiError::bad_request("limit must be from 1 to 1000"));
        }
        let total = all.len();
        let offset = usize::try_from(page.offset.unwrap_or(0)).unwrap_or(usize::MAX);
        let limit = usize::try_from(limit).unwrap_or(1000);
        let items = all.into_iter().skip(offset).take(limit).collect();
        Ok(List { items, total })
    }
}

/// An integer id from the path; anything else is a 400.
pub fn parse_id(raw: &str) -> Result<i32, ApiError> {
    raw.parse()
        .map_err(|_| ApiError::bad_request(format!("'{raw}' is not an id")))
}
