//! Agreements on the wire, and their server functions.

use crate::domain::{
    AgreementStatus, Boundary, Channel, CostModelKind, Frequency, GovernanceSection,
    OrganisationKind, PartnershipType, PartyRole, Purpose, Sector, Structure,
};
use crate::domain::{BarrierCategory, BarrierStatus, ClientType, OnlineStage, ServiceType};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Filters of the portfolio (`GET /api/v1/agreements`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AgreementFilters {
    pub status: Option<AgreementStatus>,
    pub structure: Option<Structure>,
    pub purpose: Option<Purpose>,
    pub boundary: Option<Boundary>,
    /// Text searched in the title, reference and party names.
    pub q: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PartySummary {
    pub organisation_id: i32,
    pub code: String,
    pub name: String,
    pub role: PartyRole,
}

/// One row of the portfolio.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AgreementSummary {
    pub id: i32,
    pub reference: String,
    pub title: String,
    pub title_fr: Option<String>,
    pub status: AgreementStatus,
    pub purpose: Purpose,
    pub structure: Structure,
    pub partnership_type: PartnershipType,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub currency: String,
    pub renewal_notice_days: i32,
    pub boundaries: Vec<Boundary>,
    pub parties: Vec<PartySummary>,
}

impl AgreementSummary {
    /// Whether this row passes `filters` (the same rule on server and browser).
    pub fn matches(&self, f: &AgreementFilters) -> bool {
        f.status.is_none_or(|s| s == self.status)
            && f.structure.is_none_or(|s| s == self.structure)
            && f.purpose.is_none_or(|p| p == self.purpose)
            && f.boundary.is_none_or(|b| self.boundaries.contains(&b))
            && f.q
                .as_deref()
                .map(str::trim)
                .is_none_or(|q| self.matches_text(q))
    }

    fn matches_text(&self, q: &str) -> bool {
        if q.is_empty() {
            return true;
        }
        let q = q.to_lowercase();
        let hit = |s: &str| s.to_lowercase().contains(&q);
        hit(&self.title)
            || self.title_fr.as_deref().is_some_and(hit)
            || hit(&self.reference)
            || self.parties.iter().any(|p| hit(&p.name) || hit(&p.code))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PartyView {
    pub organisation_id: i32,
    pub code: String,
    pub name: String,
    pub name_fr: Option<String>,
    pub kind: OrganisationKind,
    pub sector: Sector,
    pub role: PartyRole,
    pub jurisdiction_id: Option<i32>,
    pub jurisdiction: Option<String>,
    pub jurisdiction_fr: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ServiceView {
    /// The service's inventory id: stable across versions.
    pub id: i32,
    /// Its stable id within the agreement (`SVC-0042`).
    pub code: String,
    pub name: String,
    pub name_fr: Option<String>,
    pub delivered_by: i32,
    pub channels: Vec<Channel>,
    pub client_types: Vec<ClientType>,
    pub service_type: ServiceType,
    /// Per transaction, in the agreement's currency; `None`: no fee.
    pub fee: Option<String>,
    pub online_stages: Vec<OnlineStage>,
    pub standards: Vec<StandardView>,
}

/// A service standard on one channel, as agreed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StandardView {
    pub channel: Channel,
    pub standard: String,
    pub standard_fr: Option<String>,
    /// A percentage.
    pub target: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LifeEventView {
    pub code: String,
    pub name: String,
    pub name_fr: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BarrierView {
    /// Stable across versions (the register's row).
    pub id: i32,
    /// Its stable id within the agreement, as the terms name it (`B-3`).
    pub key: String,
    pub category: BarrierCategory,
    pub description: String,
    pub description_fr: Option<String>,
    pub severity: i16,
    pub mitigation: Option<String>,
    pub mitigation_fr: Option<String>,
    /// What is being done about it.
    #[serde(default)]
    pub actions: Option<String>,
    #[serde(default)]
    pub actions_fr: Option<String>,
    pub owner_id: Option<i32>,
    pub status: BarrierStatus,
    /// The day it was first recorded.
    pub recorded_on: NaiveDate,
    /// When its owning party last updated it without an amendment.
    #[serde(default)]
    pub updated_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GovernanceView {
    pub section: GovernanceSection,
    pub body: String,
    pub body_fr: Option<String>,
}

/// A cost-model line; decimals are strings (API.md: money has exactly the
/// currency's minor digits).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CostLineView {
    pub organisation_id: i32,
    pub percent: Option<String>,
    pub cap: Option<String>,
    pub floor: Option<String>,
    pub rates: BTreeMap<Channel, String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CostModelView {
    pub kind: CostModelKind,
    pub fixed_portion: Option<String>,
    pub channel_weights: BTreeMap<Channel, String>,
    pub lines: Vec<CostLineView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CommitmentView {
    pub id: i32,
    pub organisation_id: i32,
    pub kpi: String,
    pub kpi_name: String,
    pub kpi_name_fr: Option<String>,
    pub target: String,
    pub warning_band: Option<String>,
    pub channel: Option<Channel>,
    /// The code of the agreement's service it is about, if one.
    #[serde(default)]
    pub service: Option<String>,
    pub frequency: Frequency,
    pub grace_days: i32,
    pub effective_from: NaiveDate,
    pub effective_to: Option<NaiveDate>,
    pub allowed_misses: Option<i32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApprovalView {
    pub organisation_id: i32,
    pub version: i32,
    pub approver_id: i32,
    pub approved_at: String,
}

/// An organisation whose approval a pending amendment needs: every party
/// in force (including one it would remove) and every party it would add.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApproverView {
    pub organisation_id: i32,
    pub code: String,
    pub name: String,
    pub name_fr: Option<String>,
    /// Its role under the terms in force; `null` for a party it would add.
    pub role_in_force: Option<PartyRole>,
    /// Its role under the amendment; `null` for a party it would remove.
    pub role_proposed: Option<PartyRole>,
}

/// A version proposed to amend the terms in force, awaiting the approval
/// of every party it involves. Nothing in it is in force.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PendingAmendmentView {
    pub version: i32,
    /// The author's display name.
    pub author: Option<String>,
    pub author_id: Option<i32>,
    pub change_summary: String,
    /// When its terms would govern from, once approved.
    pub effective_from: NaiveDate,
    pub proposed_at: String,
    /// Field by field, from the terms in force to the terms proposed.
    pub changes: Vec<crate::wire::negotiation::FieldChange>,
    /// The approvals of this version so far.
    pub approvals: Vec<ApprovalView>,
    /// Every organisation whose approval it needs.
    pub approvers: Vec<ApproverView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AgreementRef {
    pub id: i32,
    pub reference: String,
    pub title: String,
}

/// An agreement as `GET /api/v1/agreements/{id}` returns it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AgreementView {
    pub id: i32,
    pub reference: String,
    pub status: AgreementStatus,
    pub version: i32,
    pub title: String,
    pub title_fr: Option<String>,
    pub summary: String,
    pub summary_fr: Option<String>,
    pub purpose: Purpose,
    pub structure: Structure,
    pub partnership_type: PartnershipType,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub renewal_notice_days: i32,
    pub currency: String,
    pub fiscal_year_start_month: i16,
    pub parent: Option<AgreementRef>,
    pub parties: Vec<PartyView>,
    pub services: Vec<ServiceView>,
    pub life_events: Vec<LifeEventView>,
    pub barriers: Vec<BarrierView>,
    pub governance: Vec<GovernanceView>,
    /// Tell Us Once: who passes a citizen's notice of a life event to whom.
    pub propagation: Vec<crate::wire::negotiation::PropagationTerm>,
    /// Minimum service levels: the share of all transactions each channel
    /// named keeps.
    #[serde(default)]
    pub channel_minimums: Vec<crate::wire::cost::ChannelMinimumTerm>,
    /// Whether the parties publish it as open contracting data (a term).
    #[serde(default)]
    pub published: bool,
    pub boundaries: Vec<Boundary>,
    pub cost_model: Option<CostModelView>,
    pub commitments: Vec<CommitmentView>,
    /// Approvals of the version in force (before the first activation, of
    /// the latest version).
    pub approvals: Vec<ApprovalView>,
    /// The amendment awaiting approval, if any; its terms are not in force.
    pub pending_amendment: Option<PendingAmendmentView>,
}

impl AgreementView {
    /// The party with this organisation id, if any.
    pub fn party(&self, organisation_id: i32) -> Option<&PartyView> {
        self.parties
            .iter()
            .find(|p| p.organisation_id == organisation_id)
    }
}

/// The portfolio at a glance: how many agreements the caller may see, by
/// status, structure and boundary crossed, and those in force within
/// their renewal notice (the executive home, without sending every
/// agreement to the browser).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PortfolioGlance {
    pub total: usize,
    pub by_status: Vec<(AgreementStatus, usize)>,
    pub by_structure: Vec<(Structure, usize)>,
    pub by_boundary: Vec<(Boundary, usize)>,
    pub renewals: Vec<AgreementSummary>,
}

/// An agreement its parties publish as open contracting data, as the
/// public page lists it (`GET /public/agreements`): nothing but what the
/// open data feed also holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublishedAgreement {
    pub reference: String,
    pub title: String,
    pub title_fr: Option<String>,
    pub summary: String,
    pub summary_fr: Option<String>,
    pub status: AgreementStatus,
    pub structure: Structure,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub parties: Vec<PublishedParty>,
}

/// A party of a published agreement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublishedParty {
    pub name: String,
    pub name_fr: Option<String>,
    pub role: PartyRole,
}
