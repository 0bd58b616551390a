//! Cost sharing on the wire: the what-if simulation of
//! `POST /api/v1/cost-sharing/simulate` (amounts are decimal strings).

use crate::domain::channel_shift::ChannelMinimum;
use crate::domain::{Channel, CostCategory, CostKind, CostModelKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CostLineParams {
    pub organisation_id: i32,
    /// 0 to 100.
    #[serde(default)]
    pub percent: Option<String>,
    /// Money: the currency's decimals, at most 10^12.
    #[serde(default)]
    pub cap: Option<String>,
    /// Money: the currency's decimals, at most 10^12.
    #[serde(default)]
    pub floor: Option<String>,
    /// Money per transaction, by channel: at most 10^12.
    #[serde(default)]
    pub rates: BTreeMap<Channel, String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CostModelParams {
    pub kind: CostModelKind,
    #[serde(default)]
    pub fixed_portion: Option<String>,
    /// Weight of one transaction by channel: above 0, at most 10^6.
    #[serde(default)]
    pub channel_weights: BTreeMap<Channel, String>,
    pub lines: Vec<CostLineParams>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VolumeParams {
    pub organisation_id: i32,
    pub channel: Channel,
    /// At most 10^12 (and at most 10,000 volumes a simulation).
    pub count: u64,
}

/// `POST /api/v1/cost-sharing/simulate`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SimulateParams {
    pub currency: String,
    /// Ignored for `fee_for_service`.
    #[serde(default)]
    pub total_cost: Option<String>,
    pub model: CostModelParams,
    #[serde(default)]
    pub volumes: Vec<VolumeParams>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ShareView {
    pub organisation_id: i32,
    pub amount: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SplitView {
    pub currency: String,
    pub total: String,
    pub shares: Vec<ShareView>,
}

/// A cost entry as recorded (`POST /api/v1/agreements/{id}/cost-entries`):
/// a month, budget or actual, a category, an amount in the agreement's
/// currency and the party that incurred it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CostEntryParams {
    /// A month, `2026-10`.
    pub period: String,
    pub kind: CostKind,
    pub category: CostCategory,
    /// Money: the currency's decimals, at most 10^12.
    pub amount: String,
    pub organisation_id: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CostEntryView {
    pub id: i32,
    pub period: String,
    pub kind: CostKind,
    pub category: CostCategory,
    pub amount: String,
    pub organisation_id: i32,
    pub created_by: Option<i32>,
    pub created_at: String,
}

/// Transactions delivered in a month through a channel on a party's
/// behalf (`POST /api/v1/agreements/{id}/volumes`). A second count for the
/// same month, channel and party replaces the first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VolumeEntryParams {
    /// A month, `2026-10`.
    pub period: String,
    pub channel: Channel,
    pub organisation_id: i32,
    /// From 0 to 10^12.
    pub count: i64,
    /// The inventory id of the agreement's service these transactions were
    /// for (one offered on `channel`); absent: not said.
    #[serde(default)]
    pub service_id: Option<i32>,
    /// How many of them met the service's standard on `channel` (0 to
    /// `count`); needs a service with a standard on that channel.
    #[serde(default)]
    pub meeting_standard: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VolumeEntryView {
    pub id: i32,
    pub period: String,
    pub channel: Channel,
    pub organisation_id: i32,
    pub count: i64,
    pub service_id: Option<i32>,
    pub meeting_standard: Option<i64>,
    pub created_by: Option<i32>,
}

/// The cost entries and volumes of an agreement within a period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LedgerView {
    pub currency: String,
    pub entries: Vec<CostEntryView>,
    pub volumes: Vec<VolumeEntryView>,
    /// Organisations the caller may record costs and volumes for.
    pub may_record_for: Vec<i32>,
}

/// `201 {"imported": N}` of a CSV import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImportOutcome {
    pub imported: usize,
}

/// One party in a reconciliation. `balance` = `due` − `paid`: positive, the
/// party owes; negative, it is owed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PartyBalanceView {
    pub organisation_id: i32,
    pub organisation_name: String,
    #[serde(default)]
    pub organisation_name_fr: Option<String>,
    /// Its share under the model in force.
    pub due: String,
    /// The actual costs it incurred (and so already paid).
    pub paid: String,
    pub balance: String,
    /// What it budgeted.
    pub budget: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TransferView {
    pub from: i32,
    pub to: i32,
    pub amount: String,
}

/// Budget versus actual for one category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CategoryView {
    pub category: CostCategory,
    pub budget: String,
    pub actual: String,
    /// `actual − budget`: positive, over budget.
    pub variance: String,
}

/// One month of a reconciliation and the version whose model governed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MonthView {
    pub period: String,
    pub version: i32,
    pub kind: CostModelKind,
    pub total_cost: String,
    pub transactions: i64,
}

/// `GET /api/v1/agreements/{id}/reconciliation?period=P`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReconciliationView {
    pub agreement_id: i32,
    pub reference: String,
    pub period: String,
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub currency: String,
    /// Actual costs of the period.
    pub total_cost: String,
    /// What the parties owe together (the total cost, or for fee for
    /// service the fees).
    pub total_due: String,
    pub budget: String,
    /// `total_cost − budget`: positive, over budget.
    pub variance: String,
    /// What the transfers cannot settle: fees minus costs under fee for
    /// service (zero otherwise).
    pub unsettled: String,
    /// True when no version has been approved yet: the shares follow the
    /// latest draft terms.
    pub provisional: bool,
    pub months: Vec<MonthView>,
    pub parties: Vec<PartyBalanceView>,
    pub transfers: Vec<TransferView>,
    pub categories: Vec<CategoryView>,
}

/// `PUT /api/v1/agreements/{id}/cost-model`: a change of terms like any
/// other, saved as the next version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CostModelChangeParams {
    /// The model; `null` removes it.
    pub model: Option<CostModelParams>,
    /// The version these terms were based on.
    pub version: i32,
    pub change_summary: String,
    /// When an amendment governs from (default: today).
    #[serde(default)]
    pub effective_from: Option<chrono::NaiveDate>,
}

/// `GET /api/v1/agreements/{id}/channel-costs` query: a period of the
/// agreement (`2026-Q3`, `FY2026`, `2026-10`…); by default the twelve
/// months before this one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams, utoipa::ToSchema))]
pub struct ChannelCostsQuery {
    /// First month (`2026-01`) or period.
    #[serde(default)]
    pub from: Option<String>,
    /// Last month or period.
    #[serde(default)]
    pub to: Option<String>,
}

/// One channel as measured: its transactions, the actual cost attributed
/// to it (exact), and the cost of one transaction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChannelCostRow {
    pub channel: Channel,
    pub transactions: i64,
    /// Exact: not rounded to the currency, so that a price computed from
    /// it is exact.
    pub cost: String,
    /// To the currency's minor unit; `None` with no transaction.
    pub cost_per_transaction: Option<String>,
}

/// The measured basis of a channel-migration business case: what each
/// channel's transactions cost an agreement over some months (each
/// month's actual cost attributed to its channels in proportion to their
/// transactions weighted by the channel weights in force), each party's
/// transactions by channel over the same months, and the agreement's
/// minimum service levels in force.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChannelCostsView {
    pub agreement_id: i32,
    pub currency: String,
    /// First and last month covered (`2025-11`, `2026-10`).
    pub from: String,
    pub to: String,
    /// The actual cost over the months.
    pub total_cost: String,
    pub channels: Vec<ChannelCostRow>,
    /// Transactions by party and channel over the months.
    pub volumes: Vec<ChannelVolume>,
    /// The minimum service levels in force today, which a shift must keep
    /// (a pending amendment's never count).
    pub minimums: Vec<ChannelMinimumTerm>,
    /// True before any version was approved: the minimums are the latest
    /// draft's, not yet agreed.
    pub minimums_provisional: bool,
}

/// A party's transactions on one channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChannelVolume {
    pub organisation_id: i32,
    pub channel: Channel,
    pub count: i64,
}

/// A minimum service level: `channel` keeps at least `share` % (above 0,
/// at most 100, four decimals at most) of all of the agreement's transactions. As the
/// terms are written and as they are shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChannelMinimumTerm {
    pub channel: Channel,
    pub share: String,
}

impl ChannelMinimumTerm {
    /// As the terms record it, once checked (an unreadable share is 0).
    pub fn to_terms(&self) -> ChannelMinimum {
        ChannelMinimum {
            channel: self.channel,
            share: self.share.trim().parse().unwrap_or_default(),
        }
    }

    /// As the terms record `m`.
    pub fn of_terms(m: &ChannelMinimum) -> Self {
        Self {
            channel: m.channel,
            share: m.share.normalize().to_string(),
        }
    }
}
