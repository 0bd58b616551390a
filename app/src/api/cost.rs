//! Cost sharing on the wire: the what-if simulation of
//! `POST /api/v1/cost-sharing/simulate` (amounts are decimal strings).

use crate::domain::{Channel, CostModelKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CostLineParams {
    pub organisation_id: i64,
    #[serde(default)]
    pub percent: Option<String>,
    #[serde(default)]
    pub cap: Option<String>,
    #[serde(default)]
    pub floor: Option<String>,
    #[serde(default)]
    pub rates: BTreeMap<Channel, String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CostModelParams {
    pub kind: CostModelKind,
    #[serde(default)]
    pub fixed_portion: Option<String>,
    #[serde(default)]
    pub channel_weights: BTreeMap<Channel, String>,
    pub lines: Vec<CostLineParams>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VolumeParams {
    pub organisation_id: i64,
    pub channel: Channel,
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
    pub organisation_id: i64,
    pub amount: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SplitView {
    pub currency: String,
    pub total: String,
    pub shares: Vec<ShareView>,
}
