//! The barrier register on the wire (issue 23): every barrier of the
//! agreements the caller may see, by category and boundary crossed, with
//! its age, status and mitigation progress; a summary by category and
//! boundary; and what the owning party sends to update one.

use crate::domain::barrier::Progress;
use crate::domain::{AgreementStatus, BarrierCategory, BarrierStatus, Boundary, Structure};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// `GET /api/v1/barriers` query: every filter optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams, utoipa::ToSchema))]
pub struct BarrierQuery {
    /// Words in the description (either language), the barrier's id or
    /// its agreement's reference.
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub category: Option<BarrierCategory>,
    /// Only barriers of agreements that cross this boundary.
    #[serde(default)]
    pub boundary: Option<Boundary>,
    #[serde(default)]
    pub status: Option<BarrierStatus>,
    #[serde(default)]
    pub progress: Option<Progress>,
    /// The agreement's structure.
    #[serde(default)]
    pub structure: Option<Structure>,
    #[serde(default)]
    pub agreement_id: Option<i32>,
    /// The owning party's organisation id.
    #[serde(default)]
    pub owner_id: Option<i32>,
    /// At most this many items (the summary counts them all).
    #[serde(default)]
    pub limit: Option<u64>,
    #[serde(default)]
    pub offset: Option<u64>,
}

/// One barrier of the register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BarrierItem {
    /// Stable across versions.
    pub id: i32,
    /// Its id within the agreement, as the terms name it (`B-3`).
    pub key: String,
    pub agreement_id: i32,
    pub agreement_reference: String,
    pub agreement_title: String,
    pub agreement_title_fr: Option<String>,
    pub agreement_status: AgreementStatus,
    pub structure: Structure,
    /// The boundaries its agreement crosses (derived from the parties).
    pub boundaries: Vec<Boundary>,
    pub category: BarrierCategory,
    pub description: String,
    pub description_fr: Option<String>,
    /// 1 (minor) to 5 (blocking).
    pub severity: i16,
    pub status: BarrierStatus,
    pub progress: Progress,
    pub mitigation: Option<String>,
    pub mitigation_fr: Option<String>,
    pub actions: Option<String>,
    pub actions_fr: Option<String>,
    /// The owning party.
    pub owner_id: Option<i32>,
    pub owner_code: Option<String>,
    pub owner_name: Option<String>,
    pub owner_name_fr: Option<String>,
    /// The day it was first recorded, and how many days ago that was.
    pub recorded_on: NaiveDate,
    pub age_days: i64,
    /// When its owning party last updated it without an amendment.
    pub updated_at: Option<String>,
    /// Whether the caller may update it now.
    pub may_update: bool,
}

/// Barriers of one category among agreements crossing one boundary
/// (`boundary` none: agreements that cross none). A barrier whose
/// agreement crosses two boundaries counts under each.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BarrierSummaryRow {
    pub category: BarrierCategory,
    pub boundary: Option<Boundary>,
    pub total: u64,
    pub open: u64,
    pub mitigated: u64,
    /// Closed: resolved.
    pub closed: u64,
}

/// The register: `{"items", "total", "summary"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BarrierRegisterView {
    pub items: Vec<BarrierItem>,
    /// How many barriers match, before `limit` and `offset`.
    pub total: u64,
    pub summary: Vec<BarrierSummaryRow>,
}

/// What the owning party updates without an amendment. Absent fields stay
/// as they are; an empty text clears it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BarrierUpdateParams {
    /// `open`, `mitigated` or `closed` (anything else is refused, 422).
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub mitigation: Option<String>,
    #[serde(default)]
    pub mitigation_fr: Option<String>,
    #[serde(default)]
    pub actions: Option<String>,
    #[serde(default)]
    pub actions_fr: Option<String>,
}
