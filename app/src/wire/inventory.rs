//! The service inventory on the wire (issue 22, DOMAIN.md §9): every
//! service of the agreements the caller may see, with what it is, who
//! delivers it, its channels and how each channel's service standard did
//! over a range of months.

use crate::domain::{AgreementStatus, Channel, ClientType, OnlineStage, ServiceType};
use serde::{Deserialize, Serialize};

/// `GET /api/v1/services` query: filters, a sort and the months the
/// standards are judged over (default: the twelve months before this one).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams, utoipa::ToSchema))]
pub struct InventoryQuery {
    /// Words in the service's name (either language), its id or its
    /// agreement's reference.
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub agreement_id: Option<i32>,
    /// The organisation that delivers it.
    #[serde(default)]
    pub delivered_by: Option<i32>,
    #[serde(default)]
    pub channel: Option<Channel>,
    #[serde(default)]
    pub client_type: Option<ClientType>,
    #[serde(default)]
    pub service_type: Option<ServiceType>,
    #[serde(default)]
    pub status: Option<AgreementStatus>,
    /// `true`: only services every stage of which can be done online end
    /// to end; `false`: only the others.
    #[serde(default)]
    pub online: Option<bool>,
    /// `name` (default), `agreement`, `volume` or `met`; `-` in front for
    /// descending (`-volume`).
    #[serde(default)]
    pub sort: Option<String>,
    /// First month (`2026-01`).
    #[serde(default)]
    pub from: Option<String>,
    /// Last month.
    #[serde(default)]
    pub to: Option<String>,
}

/// How a standard did over the months asked for: of `volume` transactions
/// the partners judged, `meeting` met it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StandardResult {
    pub channel: Channel,
    pub standard: String,
    pub standard_fr: Option<String>,
    /// A percentage.
    pub target: String,
    pub volume: i64,
    pub meeting: i64,
    /// `meeting ÷ volume` in percent, two decimals; `None` with no volume.
    pub met_percent: Option<String>,
    /// Whether the share met the target; `None` with no volume.
    pub meets: Option<bool>,
}

/// One service of the inventory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InventoryItem {
    /// Stable across versions of the terms.
    pub id: i32,
    /// The service's id within its agreement.
    pub code: String,
    pub agreement_id: i32,
    pub agreement_reference: String,
    pub agreement_title: String,
    pub agreement_title_fr: Option<String>,
    pub agreement_status: AgreementStatus,
    pub name: String,
    pub name_fr: Option<String>,
    pub delivered_by: i32,
    pub delivered_by_name: String,
    pub delivered_by_name_fr: Option<String>,
    pub channels: Vec<Channel>,
    pub client_types: Vec<ClientType>,
    pub service_type: ServiceType,
    /// Per transaction; `None`: no fee.
    pub fee: Option<String>,
    pub currency: String,
    pub online_stages: Vec<OnlineStage>,
    /// Every stage can be done online end to end.
    pub fully_online: bool,
    /// Transactions recorded for the service over the months, all channels.
    pub volume: i64,
    pub standards: Vec<StandardResult>,
}

/// `GET /api/v1/services`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InventoryView {
    pub items: Vec<InventoryItem>,
    pub total: usize,
    /// The months the volumes and standards cover.
    pub from: String,
    pub to: String,
}
