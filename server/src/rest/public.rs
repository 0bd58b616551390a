//! What anyone may read without signing in: the open contracting data of
//! the agreements their parties agreed to publish.

use super::error::ApiError;
use app::backend::{AppState, Ctx, services};
use axum::Json;
use axum::extract::State;

/// `GET /public/ocds.json`: every published agreement as an OCDS 1.1
/// record package. Nothing of an agreement that is not published (in the
/// terms in force), and no person's name.
#[utoipa::path(get, path = "/public/ocds.json", tag = "public", security(()),
    responses((status = 200, description = "An OCDS record package of the published agreements", body = Object),
              (status = 503, body = super::error::ErrorBody)))]
pub async fn ocds_feed(State(state): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    // No one in particular: credentials, if any, are not even read.
    let ctx = Ctx {
        cache: Some(state.cache.for_request()),
        ..Ctx::anonymous()
    };
    Ok(Json(
        services::export::public_feed(&ctx, &state.db, &state.publisher).await?,
    ))
}
