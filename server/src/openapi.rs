//! The OpenAPI 3 description of the REST API, served publicly at
//! `GET /api/v1/openapi.json`. Every `/api/v1` route must appear here (a test
//! compares the two).

use crate::api;
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
        api::auth::login,
        api::auth::logout,
        api::auth::me,
        api::audit::list,
        api::organisations::list,
        api::agreements::list,
        api::agreements::get,
        api::negotiation::create,
        api::negotiation::update,
        api::negotiation::withdraw,
        api::negotiation::versions,
        api::negotiation::compare,
        api::negotiation::comments,
        api::negotiation::add_comment,
        api::negotiation::transition,
        api::negotiation::approve,
        api::negotiation::withdraw_amendment,
        api::negotiation::export_ocds,
        api::cost::simulate,
        api::cost::set_model,
        api::cost::ledger,
        api::cost::add_entry,
        api::cost::delete_entry,
        api::cost::import_entries,
        api::cost::add_volume,
        api::cost::delete_volume,
        api::cost::import_volumes,
        api::cost::reconciliation,
        api::cost::reconciliation_csv,
        api::reports::add_commitment,
        api::reports::update_commitment,
        api::reports::submit,
        api::reports::import,
        api::reports::compliance,
        api::reports::compliance_csv,
        api::reports::due,
        api::reports::revisions,
        api::reports::export_openslo,
        api::benchmarks::list,
        api::benchmarks::csv,
        api::benchmarks::channels,
    ),
    components(schemas(api::error::ErrorBody, api::error::ErrorInner)),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    tags(
        (name = "auth", description = "Signing in and out"),
        (name = "agreements", description = "Agreements and their terms"),
        (name = "organisations", description = "Parties that can sign agreements"),
        (name = "admin", description = "Administration"),
        (name = "cost-sharing", description = "Cost-sharing models and simulation"),
        (name = "service-levels", description = "Commitments, reports and compliance"),
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
