//! The OpenAPI 3 description of the REST API, served publicly at
//! `GET /api/v1/openapi.json`. Every `/api/v1` route must appear here (a test
//! compares the two).

use crate::rest;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Concord API",
        version = "1",
        description = "Partnerships behind integrated public services: agreements, parties, \
                       cost sharing, service levels. Errors always have the shape \
                       {\"error\": {\"code\", \"message\", \"details\"}}."
    ),
    paths(
        crate::router::healthz,
        rest::public::ocds_feed,
        rest::auth::login,
        rest::auth::logout,
        rest::auth::me,
        rest::auth::update_me,
        rest::life_events::list,
        rest::life_events::create,
        rest::life_events::rename,
        rest::life_events::coverage,
        rest::audit::list,
        rest::organisations::list,
        rest::agreements::list,
        rest::agreements::get,
        rest::negotiation::create,
        rest::negotiation::update,
        rest::negotiation::withdraw,
        rest::negotiation::versions,
        rest::negotiation::compare,
        rest::negotiation::comments,
        rest::negotiation::add_comment,
        rest::negotiation::transition,
        rest::negotiation::approve,
        rest::negotiation::withdraw_amendment,
        rest::negotiation::export_ocds,
        rest::cost::simulate,
        rest::cost::set_model,
        rest::cost::ledger,
        rest::cost::channel_costs,
        rest::cost::add_entry,
        rest::cost::delete_entry,
        rest::cost::import_entries,
        rest::cost::add_volume,
        rest::cost::delete_volume,
        rest::cost::import_volumes,
        rest::cost::reconciliation,
        rest::cost::reconciliation_csv,
        rest::reports::add_commitment,
        rest::reports::update_commitment,
        rest::reports::submit,
        rest::reports::import,
        rest::reports::compliance,
        rest::reports::compliance_csv,
        rest::reports::due,
        rest::reports::revisions,
        rest::reports::export_openslo,
        rest::barriers::list,
        rest::barriers::update,
        rest::inventory::list,
        rest::inventory::csv,
        rest::satisfaction::record,
        rest::satisfaction::import,
        rest::satisfaction::results,
        rest::satisfaction::benchmarks,
        rest::satisfaction::drivers,
        rest::journeys::flows,
        rest::journeys::record,
        rest::journeys::import,
        rest::benchmarks::list,
        rest::benchmarks::csv,
        rest::benchmarks::channels,
        rest::notices::record,
        rest::notices::import,
        rest::notices::deliveries,
        rest::notices::import_deliveries,
        rest::notices::delivery,
        rest::notices::acknowledge,
        rest::notices::act,
        rest::notices::holidays,
        rest::notices::add_holiday,
        rest::notices::remove_holiday,
    ),
    components(schemas(rest::error::ErrorBody, app::wire::error::AppError)),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    tags(
        (name = "auth", description = "Signing in and out"),
        (name = "agreements", description = "Agreements and their terms"),
        (name = "organisations", description = "Parties that can sign agreements"),
        (name = "life-events", description = "The life-event catalogue and its coverage"),
        (name = "admin", description = "Administration"),
        (name = "cost-sharing", description = "Cost-sharing models and simulation"),
        (name = "service-levels", description = "Commitments, reports and compliance"),
        (name = "services", description = "The service inventory"),
        (name = "barriers", description = "The living barrier register"),
        (name = "satisfaction", description = "Citizen satisfaction by driver"),
        (name = "benchmarks", description = "Comparing agreements, partners and structures"),
        (name = "health", description = "Liveness"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT or API token (cnc_…)")
                    .build(),
            ),
        );
    }
}

/// `GET /api/v1/openapi.json`.
pub async fn openapi_json() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}
