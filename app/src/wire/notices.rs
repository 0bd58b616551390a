//! Wire types of Tell Us Once notices and deliveries (issue 21): a notice
//! an intake party records (no personal data: an opaque case reference),
//! the delivery each party to be told receives, and what that party did.

use crate::domain::Channel;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A notice to record. Unknown fields are refused: a name, an address or
/// a date of birth has no field to go in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NoticeParams {
    pub agreement_id: i32,
    /// A life event code of the catalogue.
    pub life_event: String,
    /// `YYYY-MM-DD`, not in the future.
    pub received_on: String,
    /// `in_person`, `phone`, `online`, `mail`.
    pub channel: String,
    /// The case's reference in the intake party's own system.
    pub case_reference: String,
}

/// An acknowledgement: the day it was acknowledged (today when omitted).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AcknowledgeParams {
    #[serde(default)]
    pub on: Option<String>,
}

/// What the party told did: `outcome` (the action taken) or `declined`
/// (the reason), exactly one; on the day `on` (today when omitted).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ActParams {
    #[serde(default)]
    pub outcome: Option<String>,
    #[serde(default)]
    pub declined: Option<String>,
    #[serde(default)]
    pub on: Option<String>,
}

/// A life event as a notice names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NoticeEvent {
    pub code: String,
    pub name: String,
    pub name_fr: Option<String>,
}

/// One party's delivery of a notice: its targets' deadlines, what it did
/// and when, and where it stands today.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeliveryView {
    pub id: i32,
    pub notice_id: i32,
    pub agreement_id: i32,
    pub agreement_reference: String,
    pub life_event: NoticeEvent,
    pub case_reference: String,
    pub channel: Channel,
    pub intake_organisation_id: i32,
    pub intake_organisation: String,
    /// The party told.
    pub organisation_id: i32,
    pub organisation: String,
    pub received_on: NaiveDate,
    pub acknowledge_days: i32,
    pub act_days: i32,
    /// The last day to acknowledge / to act within target (working days of
    /// the party told's jurisdiction).
    pub acknowledge_by: Option<NaiveDate>,
    pub act_by: Option<NaiveDate>,
    pub acknowledged_on: Option<NaiveDate>,
    pub acted_on: Option<NaiveDate>,
    pub outcome: Option<String>,
    pub declined_on: Option<NaiveDate>,
    pub decline_reason: Option<String>,
    /// `pending`, `acknowledged`, `acted`, `overdue` or `declined`, today.
    pub status: String,
    /// Whether the caller may acknowledge or act on it.
    pub actionable: bool,
}

/// A notice recorded, with its deliveries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NoticeView {
    pub id: i32,
    pub agreement_id: i32,
    pub agreement_reference: String,
    pub life_event: NoticeEvent,
    pub intake_organisation_id: i32,
    pub intake_organisation: String,
    pub received_on: NaiveDate,
    pub channel: Channel,
    pub case_reference: String,
    pub deliveries: Vec<DeliveryView>,
}

/// An agreement in force where the caller's organisation is an intake
/// party, and the life events it takes notices of.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IntakeOption {
    pub agreement_id: i32,
    pub reference: String,
    pub title: String,
    pub title_fr: Option<String>,
    pub life_events: Vec<NoticeEvent>,
}

/// The notices page: the deliveries the caller may see (to their party,
/// or all of an agreement they oversee), the latest notices their party
/// recorded, and where they may record one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NoticesView {
    pub deliveries: Vec<DeliveryView>,
    pub notices: Vec<NoticeView>,
    pub intake: Vec<IntakeOption>,
    /// Whether the caller may record notices and act on deliveries.
    pub can_act: bool,
    /// Whether the lists are every party's (the caller sees the whole
    /// portfolio) rather than the caller's party's.
    pub sees_all: bool,
}

/// A holiday of a jurisdiction: not a working day when targets are counted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HolidayView {
    pub id: i32,
    pub jurisdiction_id: i32,
    pub day: NaiveDate,
    pub name: String,
    pub name_fr: Option<String>,
}

/// A holiday to add: its day (`YYYY-MM-DD`) and names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HolidayParams {
    pub day: String,
    pub name: String,
    #[serde(default)]
    pub name_fr: Option<String>,
}
