//! The `/api/v1` REST API: thin handlers that parse, call a service, and
//! answer in the shapes of API.md. No query and no rule lives here.

pub mod agreements;
pub mod audit;
pub mod auth;
pub mod barriers;
pub mod benchmarks;
pub mod cost;
pub mod error;
pub mod extract;
pub mod inventory;
pub mod journeys;
pub mod life_events;
pub mod negotiation;
pub mod notices;
pub mod organisations;
pub mod public;
pub mod reports;
pub mod satisfaction;

use app::backend::AppState;
use axum::Router;
use axum::handler::Handler;
use axum::http::Method;
use error::ApiError;
use serde::{Deserialize, Serialize};

/// Every `/api/v1` route.
pub fn routes() -> Router<AppState> {
    table()
        .router
        .fallback(|| async { ApiError::not_found() })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                axum::http::StatusCode::METHOD_NOT_ALLOWED,
                "bad_request",
                "This endpoint does not accept that method.",
            )
        })
}

/// Every `/api/v1` route as (method, path), read off the same calls that
/// build [`routes`]: what the authorization matrix test walks.
pub fn route_table() -> Vec<(Method, &'static str)> {
    table().routes
}

/// The routes and, beside them, the list of what was routed.
fn table() -> Routes {
    Routes::default()
        .get("/openapi.json", crate::openapi::openapi_json)
        .post("/auth/login", auth::login)
        .post("/auth/logout", auth::logout)
        .get("/me", auth::me)
        .patch("/me", auth::update_me)
        .post("/cost-sharing/simulate", cost::simulate)
        .get("/audit", audit::list)
        .get("/organisations", organisations::list)
        .get("/life-events", life_events::list)
        .post("/life-events", life_events::create)
        .patch("/life-events/{id}", life_events::rename)
        .get("/life-events/coverage", life_events::coverage)
        .post("/life-event-notices", notices::record)
        .post("/life-event-notices/import", notices::import)
        .get("/life-event-deliveries", notices::deliveries)
        .post("/life-event-deliveries/import", notices::import_deliveries)
        .get("/life-event-deliveries/{id}", notices::delivery)
        .post(
            "/life-event-deliveries/{id}/acknowledge",
            notices::acknowledge,
        )
        .post("/life-event-deliveries/{id}/act", notices::act)
        .get("/jurisdictions/{id}/holidays", notices::holidays)
        .post("/jurisdictions/{id}/holidays", notices::add_holiday)
        .delete(
            "/jurisdictions/{id}/holidays/{holiday_id}",
            notices::remove_holiday,
        )
        .get("/agreements", agreements::list)
        .post("/agreements", negotiation::create)
        .get("/agreements/{id}", agreements::get)
        .put("/agreements/{id}", negotiation::update)
        .delete("/agreements/{id}", negotiation::withdraw)
        .get("/agreements/{id}/versions", negotiation::versions)
        .get("/agreements/{id}/versions/compare", negotiation::compare)
        .get("/agreements/{id}/comments", negotiation::comments)
        .post("/agreements/{id}/comments", negotiation::add_comment)
        .post("/agreements/{id}/transitions", negotiation::transition)
        .post("/agreements/{id}/approvals", negotiation::approve)
        .delete(
            "/agreements/{id}/amendment",
            negotiation::withdraw_amendment,
        )
        .get("/agreements/{id}/export/ocds", negotiation::export_ocds)
        .put("/agreements/{id}/cost-model", cost::set_model)
        .get("/agreements/{id}/ledger", cost::ledger)
        .get("/agreements/{id}/channel-costs", cost::channel_costs)
        .post("/agreements/{id}/cost-entries", cost::add_entry)
        .post("/agreements/{id}/cost-entries/import", cost::import_entries)
        .delete(
            "/agreements/{id}/cost-entries/{entry_id}",
            cost::delete_entry,
        )
        .post("/agreements/{id}/volumes", cost::add_volume)
        .post("/agreements/{id}/volumes/import", cost::import_volumes)
        .delete("/agreements/{id}/volumes/{volume_id}", cost::delete_volume)
        .get("/agreements/{id}/journeys", journeys::flows)
        .post("/agreements/{id}/journeys", journeys::record)
        .post("/agreements/{id}/journeys/import", journeys::import)
        .get("/agreements/{id}/reconciliation", cost::reconciliation)
        .get(
            "/agreements/{id}/reconciliation.csv",
            cost::reconciliation_csv,
        )
        .post("/agreements/{id}/commitments", reports::add_commitment)
        .put(
            "/agreements/{id}/commitments/{commitment_id}",
            reports::update_commitment,
        )
        .get("/agreements/{id}/compliance", reports::compliance)
        .get("/agreements/{id}/compliance.csv", reports::compliance_csv)
        .get("/agreements/{id}/export/openslo", reports::export_openslo)
        .post("/agreements/{id}/satisfaction", satisfaction::record)
        .get("/agreements/{id}/satisfaction", satisfaction::results)
        .post("/agreements/{id}/satisfaction/import", satisfaction::import)
        .get("/satisfaction/benchmarks", satisfaction::benchmarks)
        .get("/satisfaction/drivers", satisfaction::drivers)
        .get("/barriers", barriers::list)
        .patch("/barriers/{id}", barriers::update)
        .get("/services", inventory::list)
        .get("/services.csv", inventory::csv)
        .get("/benchmarks", benchmarks::list)
        .get("/benchmarks.csv", benchmarks::csv)
        .get("/benchmarks/channels", benchmarks::channels)
        .post("/reports", reports::submit)
        .post("/reports/import", reports::import)
        .get("/reports/due", reports::due)
        .get("/commitments/{id}/reports", reports::revisions)
}

/// A router that remembers each (method, path) it was given.
#[derive(Default)]
struct Routes {
    router: Router<AppState>,
    routes: Vec<(Method, &'static str)>,
}

macro_rules! verb {
    ($($name:ident => $method:ident),*) => {
        impl Routes {
            $(
                fn $name<H, T>(mut self, path: &'static str, handler: H) -> Self
                where
                    H: Handler<T, AppState>,
                    T: 'static,
                {
                    // Routes on one path merge into one method router.
                    self.router = self.router.route(path, axum::routing::$name(handler));
                    self.routes.push((Method::$method, path));
                    self
                }
            )*
        }
    };
}
verb!(get => GET, post => POST, put => PUT, patch => PATCH, delete => DELETE);

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
