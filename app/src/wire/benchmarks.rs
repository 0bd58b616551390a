//! Benchmarks on the wire (DOMAIN.md §5): compliance and KPI statistics of
//! the agreements the caller may see, grouped one way, over a range of
//! periods — and their server function.

use crate::domain::AgreementStatus;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How benchmark rows are grouped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    #[default]
    Agreement,
    Party,
    Structure,
    Purpose,
    Boundary,
    JurisdictionLevel,
    Channel,
    /// Each life event the agreement covers (an agreement counts in the
    /// group of every life event it covers).
    LifeEvent,
    Kpi,
    /// Each commitment (an extension of API.md's groupings).
    Commitment,
    /// Each month, by the month a period starts in: trends.
    Period,
}

impl GroupBy {
    pub const ALL: &'static [GroupBy] = &[
        GroupBy::Agreement,
        GroupBy::Party,
        GroupBy::Structure,
        GroupBy::Purpose,
        GroupBy::Boundary,
        GroupBy::JurisdictionLevel,
        GroupBy::Channel,
        GroupBy::LifeEvent,
        GroupBy::Kpi,
        GroupBy::Commitment,
        GroupBy::Period,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Agreement => "agreement",
            GroupBy::Party => "party",
            GroupBy::Structure => "structure",
            GroupBy::Purpose => "purpose",
            GroupBy::Boundary => "boundary",
            GroupBy::JurisdictionLevel => "jurisdiction_level",
            GroupBy::Channel => "channel",
            GroupBy::LifeEvent => "life_event",
            GroupBy::Kpi => "kpi",
            GroupBy::Commitment => "commitment",
            GroupBy::Period => "period",
        }
    }

    pub fn parse(s: &str) -> Option<GroupBy> {
        GroupBy::ALL.iter().copied().find(|g| g.as_str() == s)
    }
}

/// `GET /api/v1/benchmarks` query: a grouping, an optional KPI (for its
/// statistics), a range of periods (default: the last twelve months), and
/// filters by a party's jurisdiction code and agreement status.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams, utoipa::ToSchema))]
pub struct BenchmarkQuery {
    #[serde(default)]
    pub group_by: Option<GroupBy>,
    #[serde(default)]
    pub kpi: Option<String>,
    /// First period included (`2026-01`, `2026-Q1`, `2026`).
    #[serde(default)]
    pub from: Option<String>,
    /// Last period included.
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub jurisdiction: Option<String>,
    #[serde(default)]
    pub status: Option<AgreementStatus>,
    /// Only the `worst` groups: the lowest compliance rates (the most
    /// breaches first among equals), groups with nothing to judge left out.
    #[serde(default)]
    pub worst: Option<u32>,
    /// At most this many groups (1 to 1000; every group without it), after
    /// skipping `offset`; ranks and percentiles stay those among all.
    #[serde(default)]
    pub limit: Option<u64>,
    #[serde(default)]
    pub offset: Option<u64>,
}

/// One group. `compliance_rate` is met ÷ (reported + missing), from 0 to 1
/// (`null` with nothing to judge); KPI statistics come with one `kpi`;
/// `rank` and `percentile` with `group_by=agreement`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BenchmarkRow {
    pub group: String,
    pub label: String,
    /// The label's French version, when there is one.
    #[serde(default)]
    pub label_fr: Option<String>,
    pub reported: u64,
    pub met: u64,
    /// Reported beyond the warning band.
    pub breached: u64,
    pub missing: u64,
    pub compliance_rate: Option<f64>,
    /// With one KPI, the group's value: Σnumerator / Σdenominator × 100
    /// for a ratio KPI (never a mean of percentages), the median otherwise.
    #[serde(default)]
    pub value: Option<String>,
    pub median: Option<String>,
    pub p25: Option<String>,
    pub p75: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub rank: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub percentile: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BenchmarksView {
    pub items: Vec<BenchmarkRow>,
    /// How many groups there are in all (`items` may be a page of them).
    #[serde(default)]
    pub total: usize,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Portfolio costs for one currency (money is never added across
/// currencies).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CurrencyCosts {
    pub currency: String,
    pub budget: String,
    pub actual: String,
}

/// One channel's share of the transactions and its estimated cost per
/// transaction, within one currency.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChannelRow {
    pub currency: String,
    pub channel: crate::domain::Channel,
    pub transactions: i64,
    /// Share of the currency's transactions, 0 to 1.
    pub share: f64,
    /// The actual costs attributed to the channel: each agreement's monthly
    /// cost split by its transactions weighted by the channel weights of
    /// the cost model in force (1 where none is set).
    pub cost: String,
    pub cost_per_transaction: Option<String>,
}
