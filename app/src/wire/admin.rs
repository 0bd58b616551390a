//! Administration on the wire: users, organisations, jurisdictions, API
//! tokens and the audit log, and their server functions.

use crate::domain::{JurisdictionLevel, OrganisationKind, Role, Scope};
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
    /// The language Concord writes to them in (English by default).
    #[serde(default)]
    pub lang: crate::domain::Lang,
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

/// A life event of the catalogue (DOMAIN.md §2: birth of a child, death,
/// change of address…), with how many agreements cover it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LifeEventAdminView {
    pub id: i32,
    pub code: String,
    pub name: String,
    pub name_fr: Option<String>,
    /// Agreements whose terms in force cover it.
    pub agreements: u64,
}

/// A life event as an admin adds it: a stable code (lowercase letters,
/// digits and underscores, 2 to 64 characters) and its names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LifeEventParams {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub name_fr: Option<String>,
}

/// A life event's new names. Codes are stable: `code`, when given, must be
/// the life event's own. An empty or absent `name_fr` removes the French
/// name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RenameLifeEventParams {
    #[serde(default)]
    pub code: Option<String>,
    pub name: String,
    #[serde(default)]
    pub name_fr: Option<String>,
}
