//! Drafting and negotiating agreements on the wire: the terms a manager
//! submits, versions and their comparison, comments, lifecycle moves and
//! approvals — and their server functions.

use crate::domain::{
    AgreementStatus, BarrierCategory, BarrierStatus, Channel, ClientType, GovernanceSection,
    OnlineStage, PartnershipType, PartyRole, Purpose, ServiceType, Structure,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PartyParams {
    pub organisation_id: i32,
    pub role: PartyRole,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ServiceParams {
    /// The service's stable id within the agreement (`SVC-0042`: capital
    /// letters, digits, hyphens; at most 20). Omitted: the next free
    /// `S-n` is given. Keep it when editing: it is how a service stays the
    /// same service (and keeps its volumes) across versions.
    #[serde(default)]
    pub code: Option<String>,
    pub name: String,
    #[serde(default)]
    pub name_fr: Option<String>,
    /// The organisation (a party) that delivers it.
    pub delivered_by: i32,
    pub channels: Vec<Channel>,
    #[serde(default)]
    pub client_types: Vec<ClientType>,
    /// Default `other`.
    #[serde(default)]
    pub service_type: ServiceType,
    /// The fee a client pays per transaction, in the agreement's currency
    /// (`"25.00"`); absent or `null` for none.
    #[serde(default)]
    pub fee: Option<String>,
    /// The stages that can be done online end to end.
    #[serde(default)]
    pub online_stages: Vec<OnlineStage>,
    /// Service standards, at most one per channel of the service.
    #[serde(default)]
    pub standards: Vec<StandardParams>,
}

/// A service standard on one of the service's channels.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StandardParams {
    pub channel: Channel,
    /// What is promised: `Decision within 10 working days`.
    pub standard: String,
    #[serde(default)]
    pub standard_fr: Option<String>,
    /// The share of transactions that should meet it, a percentage
    /// (`"80"`, up to four decimals).
    pub target: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BarrierParams {
    /// Its stable id within the agreement (`B-3`); absent for a new
    /// barrier, which gets one (or, without one, the id of the recorded
    /// barrier of the same description).
    #[serde(default)]
    pub key: Option<String>,
    pub category: BarrierCategory,
    pub description: String,
    #[serde(default)]
    pub description_fr: Option<String>,
    /// 1 (minor) to 5 (blocking).
    pub severity: i16,
    #[serde(default)]
    pub mitigation: Option<String>,
    #[serde(default)]
    pub mitigation_fr: Option<String>,
    /// What is being done about it.
    #[serde(default)]
    pub actions: Option<String>,
    #[serde(default)]
    pub actions_fr: Option<String>,
    /// The party that owns it.
    #[serde(default)]
    pub owner_id: Option<i32>,
    pub status: BarrierStatus,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GovernanceParams {
    pub section: GovernanceSection,
    pub body: String,
    #[serde(default)]
    pub body_fr: Option<String>,
}

/// The terms of an agreement as a manager submits them (`POST` creates a
/// draft; `PUT` adds `version` and `change_summary` and replaces them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AgreementTermsParams {
    pub title: String,
    #[serde(default)]
    pub title_fr: Option<String>,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub summary_fr: Option<String>,
    pub purpose: Purpose,
    pub structure: Structure,
    pub partnership_type: PartnershipType,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// Days before `ends_on` when renewal reminders start (default 90).
    #[serde(default)]
    pub renewal_notice_days: Option<i32>,
    pub currency: String,
    /// Month (1–12) the fiscal year starts (default: January).
    #[serde(default)]
    pub fiscal_year_start_month: Option<i16>,
    #[serde(default)]
    pub parent_id: Option<i32>,
    pub parties: Vec<PartyParams>,
    #[serde(default)]
    pub services: Vec<ServiceParams>,
    /// Life-event codes.
    #[serde(default)]
    pub life_events: Vec<String>,
    #[serde(default)]
    pub barriers: Vec<BarrierParams>,
    #[serde(default)]
    pub governance: Vec<GovernanceParams>,
    /// Tell Us Once: who passes a citizen's notice of a life event to whom.
    #[serde(default)]
    pub propagation: Vec<PropagationTerm>,
    /// Minimum service levels: the share of all transactions a channel
    /// keeps (`[{"channel": "in_person", "share": "30"}]`).
    #[serde(default)]
    pub channel_minimums: Vec<crate::wire::cost::ChannelMinimumTerm>,
    /// Whether the parties publish the agreement as open contracting data
    /// (`GET /public/ocds.json`, the public page) once this version is in
    /// force (default: no).
    #[serde(default)]
    pub published: bool,
    /// The date this version governs from (an amendment's effective date;
    /// default: the start of the term, or today for an amendment).
    #[serde(default)]
    pub effective_from: Option<NaiveDate>,
    /// The cost-sharing model (DOMAIN.md §3); absent or `null`: none.
    #[serde(default)]
    pub cost_model: Option<crate::wire::cost::CostModelParams>,
}

/// `PUT /api/v1/agreements/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UpdateAgreementParams {
    #[serde(flatten)]
    pub terms: AgreementTermsParams,
    /// The version these terms were based on.
    pub version: i32,
    pub change_summary: String,
}

/// One version in an agreement's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VersionView {
    pub number: i32,
    pub author_id: Option<i32>,
    pub author_name: Option<String>,
    pub change_summary: String,
    pub created_at: String,
    pub effective_from: NaiveDate,
    pub approved_at: Option<String>,
    /// When a pending amendment was withdrawn (it never came into force).
    pub withdrawn_at: Option<String>,
    /// Whether this is the version in force.
    pub in_force: bool,
}

/// One field that differs between two versions. `path` names it
/// (`title`, `parties[ACCESSNS].role`, `services[S-1].channels`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FieldChange {
    pub path: String,
    /// `added`, `removed` or `changed`.
    pub change: String,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub before: Option<serde_json::Value>,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub after: Option<serde_json::Value>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ComparisonView {
    pub from: i32,
    pub to: i32,
    pub changes: Vec<FieldChange>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CommentView {
    pub id: i32,
    pub version: i32,
    pub parent_id: Option<i32>,
    pub author_id: i32,
    pub author_name: String,
    pub organisation_code: String,
    pub body: String,
    pub created_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CommentParams {
    /// The version commented on (default: the latest).
    #[serde(default)]
    pub version: Option<i32>,
    #[serde(default)]
    pub parent_id: Option<i32>,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TransitionParams {
    pub to: AgreementStatus,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApprovalParams {
    pub version: i32,
}

/// What the caller may do with an agreement now (drives the page's buttons;
/// the service checks again on every request).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permissions {
    pub edit: bool,
    pub comment: bool,
    pub approve: bool,
    pub withdraw: bool,
    /// May withdraw the pending amendment.
    pub withdraw_amendment: bool,
    pub transitions: Vec<AgreementStatus>,
    /// The barriers (register ids) the caller may update without an
    /// amendment: those its organisation owns, on an active agreement.
    #[serde(default)]
    pub barriers: Vec<i32>,
}

/// Tell Us Once: for one life event the agreement covers, the party that
/// receives the citizen's notice, the parties it must pass it to, and the
/// target times, in working days from its receipt, to acknowledge the
/// notice and to act on it. As the terms are written and as they are shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PropagationTerm {
    /// The life event's code.
    pub life_event: String,
    /// The intake party.
    pub intake_organisation_id: i32,
    /// The parties that must be told.
    pub told_organisation_ids: Vec<i32>,
    pub acknowledge_days: i32,
    pub act_days: i32,
}

impl PropagationTerm {
    /// As the terms record it.
    pub fn to_terms(&self) -> crate::domain::terms::Propagation {
        crate::domain::terms::Propagation {
            life_event: self.life_event.trim().to_owned(),
            intake: self.intake_organisation_id,
            told: self.told_organisation_ids.clone(),
            acknowledge_days: self.acknowledge_days,
            act_days: self.act_days,
        }
    }

    /// As the terms record `p`.
    pub fn of_terms(p: &crate::domain::terms::Propagation) -> Self {
        Self {
            life_event: p.life_event.clone(),
            intake_organisation_id: p.intake,
            told_organisation_ids: p.told.clone(),
            acknowledge_days: p.acknowledge_days,
            act_days: p.act_days,
        }
    }
}
