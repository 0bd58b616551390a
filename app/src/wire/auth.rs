//! Signing in and out, the current user, passwords — on the wire, and their
//! server functions (the browser's side of `/api/v1/auth/*`).

use crate::domain::{Role, Scope};
use serde::{Deserialize, Serialize};

/// The signed-in user, as `GET /api/v1/me` and the login answer give it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UserView {
    pub id: i32,
    pub email: String,
    pub role: Role,
    pub scope: Scope,
    pub organisation_id: i32,
    pub display_name: String,
    pub organisation_code: String,
    pub organisation_name: String,
    /// The language Concord writes to this user in (notifications).
    pub lang: crate::domain::Lang,
}

/// `PATCH /api/v1/me`: the signed-in user's own settings.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MeParams {
    pub lang: crate::domain::Lang,
}

#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LoginParams {
    pub email: String,
    pub password: String,
}

/// The login answer of API.md.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LoginView {
    pub token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    pub user: UserView,
}
