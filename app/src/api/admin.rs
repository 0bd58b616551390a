//! Administration on the wire: users, organisations, jurisdictions, API
//! tokens and the audit log, and their server functions.

use crate::domain::{JurisdictionLevel, OrganisationKind, Role, Scope};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A user as administrators see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UserAdminView {
    pub id: i32,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub scope: Scope,
    pub organisation_id: i32,
    pub organisation_code: String,
    pub disabled: bool,
    /// Set while the account is locked after failed sign-ins (RFC 3339).
    pub locked_until: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CreateUserParams {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub scope: Scope,
    pub organisation_code: String,
    pub password: String,
}

/// Changes to a user; absent fields stay as they are.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UpdateUserParams {
    pub role: Option<Role>,
    pub scope: Option<Scope>,
    pub disabled: Option<bool>,
    pub display_name: Option<String>,
}

/// A one-time password-reset link, shown once to the admin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ResetLinkView {
    pub path: String,
    pub expires_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrganisationParams {
    pub code: String,
    pub name: String,
    pub name_fr: Option<String>,
    pub kind: OrganisationKind,
    pub jurisdiction_code: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct JurisdictionParams {
    pub code: String,
    pub name: String,
    pub name_fr: Option<String>,
    pub level: JurisdictionLevel,
    pub country_code: String,
    pub parent_code: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApiTokenView {
    pub id: i32,
    pub organisation_id: i32,
    pub organisation_code: String,
    pub name: String,
    pub created_at: String,
    pub expires_at: String,
    pub revoked_at: Option<String>,
    pub last_used_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IssueTokenParams {
    pub organisation_code: String,
    pub name: String,
    /// Days until it expires (1–730).
    pub days: i64,
}

/// A token just issued: the secret is shown this once, then only its hash
/// is kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IssuedTokenView {
    pub token: String,
    pub api_token: ApiTokenView,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditEventView {
    pub id: i32,
    pub at: String,
    pub actor_id: Option<i32>,
    pub actor_email: Option<String>,
    pub api_token_id: Option<i32>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i32>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditFilters {
    pub action: Option<String>,
    pub entity: Option<String>,
    pub actor_id: Option<i32>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub items: Vec<AuditEventView>,
    pub total: u64,
}

macro_rules! service_fn {
    // A read: asked once per page render (see `once_per_render`).
    ($(#[$m:meta])* read $name:ident ($($arg:ident : $ty:ty),*) -> $out:ty => $path:literal, $svc:path) => {
        $(#[$m])*
        #[server(prefix = "/sfn", endpoint = $path)]
        pub async fn $name($($arg: $ty),*) -> Result<$out, ServerFnError> {
            $(let $arg = &$arg;)*
            crate::backend::read_once(stringify!($name), &($($arg,)*), |state, ctx| async move {
                $svc(&ctx, &state.db $(, $arg.clone())*).await
            })
            .await
        }
    };
    ($(#[$m:meta])* $name:ident ($($arg:ident : $ty:ty),*) -> $out:ty => $path:literal, $svc:path) => {
        $(#[$m])*
        #[server(prefix = "/sfn", endpoint = $path)]
        pub async fn $name($($arg: $ty),*) -> Result<$out, ServerFnError> {
            use crate::backend::{ctx_from_request, server_error};
            let (state, ctx) = ctx_from_request().await?;
            $svc(&ctx, &state.db $(, $arg)*).await.map_err(server_error)
        }
    };
}

service_fn!(
    /// Every user (admins).
    read list_users() -> Vec<UserAdminView> => "admin/users/list", crate::backend::services::admin::list_users
);
service_fn!(
    /// Creates a user (admins).
    create_user(params: CreateUserParams) -> UserAdminView => "admin/users/create", crate::backend::services::admin::create_user
);
service_fn!(
    /// Changes a user's role, scope, name or disabled flag (admins).
    update_user(id: i32, params: UpdateUserParams) -> UserAdminView => "admin/users/update", crate::backend::services::admin::update_user
);
service_fn!(
    /// Issues a one-time password-reset link (admins).
    issue_reset_link(id: i32) -> ResetLinkView => "admin/users/reset-link", crate::backend::services::admin::issue_reset_link
);
service_fn!(
    /// Unlocks an account locked by failed sign-ins (admins).
    unlock_user(id: i32) -> UserAdminView => "admin/users/unlock", crate::backend::services::admin::unlock_user
);
service_fn!(
    /// Creates an organisation (admins; managers adding a partner).
    create_organisation(params: OrganisationParams) -> crate::api::organisations::OrganisationView => "admin/organisations/create", crate::backend::services::admin::create_organisation
);
service_fn!(
    /// Edits an organisation (admins).
    update_organisation(id: i32, params: OrganisationParams) -> crate::api::organisations::OrganisationView => "admin/organisations/update", crate::backend::services::admin::update_organisation
);
service_fn!(
    /// Every jurisdiction (signed in).
    read list_jurisdictions() -> Vec<crate::api::organisations::JurisdictionView> => "admin/jurisdictions/list", crate::backend::services::admin::list_jurisdictions
);
service_fn!(
    /// Creates a jurisdiction (admins).
    create_jurisdiction(params: JurisdictionParams) -> crate::api::organisations::JurisdictionView => "admin/jurisdictions/create", crate::backend::services::admin::create_jurisdiction
);
service_fn!(
    /// Edits a jurisdiction (admins).
    update_jurisdiction(id: i32, params: JurisdictionParams) -> crate::api::organisations::JurisdictionView => "admin/jurisdictions/update", crate::backend::services::admin::update_jurisdiction
);
service_fn!(
    /// The API tokens the caller may manage.
    read list_api_tokens() -> Vec<ApiTokenView> => "admin/tokens/list", crate::backend::services::admin::list_api_tokens
);
service_fn!(
    /// Issues an API token for an organisation (admins; managers for their own).
    issue_api_token(params: IssueTokenParams) -> IssuedTokenView => "admin/tokens/issue", crate::backend::services::admin::issue_api_token
);
service_fn!(
    /// Revokes an API token at once.
    revoke_api_token(id: i32) -> ApiTokenView => "admin/tokens/revoke", crate::backend::services::admin::revoke_api_token
);
service_fn!(
    /// The audit log, newest first (admins).
    read list_audit(filters: AuditFilters) -> AuditPage => "admin/audit", crate::backend::services::admin::list_audit
);

/// A KPI of the catalogue, with how many commitments use it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct KpiView {
    pub id: i32,
    pub code: String,
    pub name: String,
    pub name_fr: Option<String>,
    pub unit: crate::domain::KpiUnit,
    pub direction: crate::domain::KpiDirection,
    pub is_ratio: bool,
    pub commitments: u64,
}

/// A KPI as an admin adds or edits it. Codes are stable: an existing KPI's
/// code cannot change, nor its unit, direction or ratio once commitments
/// use it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct KpiParams {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub name_fr: Option<String>,
    pub unit: crate::domain::KpiUnit,
    pub direction: crate::domain::KpiDirection,
    pub is_ratio: bool,
}

service_fn!(
    /// The KPI catalogue (signed in).
    read list_kpis() -> Vec<KpiView> => "admin/kpis/list", crate::backend::services::admin::list_kpis
);
service_fn!(
    /// Adds a KPI (admins).
    create_kpi(params: KpiParams) -> KpiView => "admin/kpis/create", crate::backend::services::admin::create_kpi
);
service_fn!(
    /// Edits a KPI (admins).
    update_kpi(id: i32, params: KpiParams) -> KpiView => "admin/kpis/update", crate::backend::services::admin::update_kpi
);
