//! Journeys across channels on the wire: one recorded count
//! (`POST /api/v1/agreements/{id}/journeys`) and the flow view
//! (`GET /api/v1/agreements/{id}/journeys`): the channel-to-channel flow
//! matrix, completion rate and digital take-up per service and month.
//! Percents are decimal strings with two places; counts are integers.

use crate::domain::Channel;
use serde::{Deserialize, Serialize};

/// One count of journeys: a month, a service of the agreement (its
/// inventory id), the reporting partner, the channel the journeys started
/// on and the one they ended on (`null`: abandoned).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct JourneyParams {
    /// A month, `2026-10`, that has begun.
    pub period: String,
    pub service_id: i32,
    pub organisation_id: i32,
    pub started_on: Channel,
    /// `null` when the journeys were abandoned.
    #[serde(default)]
    pub ended_on: Option<Channel>,
    /// 0 to 1,000,000,000.
    pub count: i64,
}

/// A count as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct JourneyView {
    pub id: i32,
    pub period: String,
    pub service_id: i32,
    /// The service's id within the agreement (`S-1`, `ANS-0310`).
    pub service: String,
    pub organisation_id: i32,
    pub started_on: Channel,
    pub ended_on: Option<Channel>,
    pub count: i64,
    /// Whether it replaced a count recorded before for the same month,
    /// service, partner and channels.
    pub replaced: bool,
}

/// What the flow view covers: months `from` to `to` (`YYYY-MM`, both
/// included; by default the twelve months to the last one with journeys),
/// one service (by its id within the agreement) or all.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema, utoipa::IntoParams))]
pub struct JourneyFilters {
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub service: Option<String>,
}

/// A share: numerator out of denominator, and their percent (two places;
/// `null` when the denominator is 0).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RateView {
    pub numerator: u64,
    pub denominator: u64,
    pub percent: Option<String>,
}

/// One cell of the flow matrix: how many started on the row's channel
/// ended here (`ended_on` null: abandoned), and their share of the row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FlowCellView {
    pub ended_on: Option<Channel>,
    pub count: u64,
    /// Percent of the row, two places; `null` for an empty row.
    pub share: Option<String>,
}

/// One row of the flow matrix: the journeys started on a channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FlowRowView {
    pub started_on: Channel,
    pub total: u64,
    /// One cell per channel of `FlowView::ended_channels`, in that order,
    /// then the abandoned ones.
    pub cells: Vec<FlowCellView>,
}

/// A flow matrix with its totals and the two derived KPIs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FlowView {
    pub started: u64,
    pub completed: u64,
    pub abandoned: u64,
    /// Completed on another channel than the one they started on.
    pub switched: u64,
    pub completion_rate: RateView,
    pub digital_take_up: RateView,
    /// The columns: every channel some journey ended on.
    pub ended_channels: Vec<Channel>,
    pub rows: Vec<FlowRowView>,
}

/// The two KPIs of one month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MonthKpisView {
    pub period: String,
    pub started: u64,
    pub completion_rate: RateView,
    pub digital_take_up: RateView,
}

/// One service's journeys over the range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ServiceJourneysView {
    pub service_id: i32,
    pub code: String,
    pub name: String,
    pub name_fr: Option<String>,
    pub flow: FlowView,
    /// Months with journeys, oldest first.
    pub months: Vec<MonthKpisView>,
}

/// A service journeys may be recorded for: in force, with its channels.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct JourneyServiceOption {
    pub service_id: i32,
    pub code: String,
    pub name: String,
    pub name_fr: Option<String>,
    pub channels: Vec<Channel>,
}

/// `GET /api/v1/agreements/{id}/journeys`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct JourneysView {
    pub agreement_id: i32,
    pub from: String,
    pub to: String,
    /// The service the view is narrowed to (its id within the agreement).
    pub service: Option<String>,
    /// Every service in the view together.
    pub all: FlowView,
    /// Every service in the view together, by month, oldest first.
    pub months: Vec<MonthKpisView>,
    /// Each service with journeys in the range.
    pub services: Vec<ServiceJourneysView>,
    /// The services in force (to narrow the view or record for).
    pub service_options: Vec<JourneyServiceOption>,
    /// Whether the agreement is active: journeys are recorded only then.
    pub active: bool,
    /// The organisations the caller may record journeys for.
    pub may_record_for: Vec<i32>,
    /// The agreement's parties, to name them.
    pub parties: Vec<JourneyParty>,
}

/// A party of the agreement, by name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct JourneyParty {
    pub organisation_id: i32,
    pub code: String,
    pub name: String,
    pub name_fr: Option<String>,
}
