//! Wire types of the life-event coverage map (issue 21): which agreements
//! in force cover each life event in each jurisdiction, and the gaps.

use crate::domain::Channel;
use serde::{Deserialize, Serialize};

/// A life event of the catalogue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CoverageEvent {
    pub code: String,
    pub name: String,
    pub name_fr: Option<String>,
}

/// A jurisdiction one of the agreements the caller sees reaches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CoverageJurisdiction {
    pub id: i32,
    pub code: String,
    pub name: String,
    pub name_fr: Option<String>,
}

/// An agreement covering a cell, and whether its terms say who passes the
/// citizen's notice on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CoveringAgreement {
    pub id: i32,
    pub reference: String,
    pub title: String,
    pub title_fr: Option<String>,
    pub has_propagation: bool,
}

/// One life event in one jurisdiction: the agreements in force that cover
/// it (a party of theirs is of that jurisdiction), their services, those
/// parties (by code) and the services' channels.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CoverageCell {
    pub life_event: String,
    pub jurisdiction_id: i32,
    pub agreements: Vec<CoveringAgreement>,
    pub services: Vec<String>,
    pub parties: Vec<String>,
    pub channels: Vec<Channel>,
    /// The notices of this life event those agreements took in over the
    /// last twelve months (Tell Us Once).
    pub notices: u64,
}

/// A gap: a life event no agreement covers in a jurisdiction
/// (`not_covered`, with `jurisdiction_id`), or an agreement that covers a
/// life event with no propagation term for it (`no_propagation`, with
/// `agreement_id` and `reference`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CoverageGap {
    pub kind: String,
    pub life_event: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub jurisdiction_id: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub agreement_id: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub reference: Option<String>,
}

/// `GET /api/v1/life-events/coverage`: over the agreements in force the
/// caller may see.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CoverageView {
    pub life_events: Vec<CoverageEvent>,
    pub jurisdictions: Vec<CoverageJurisdiction>,
    /// The covered cells only; a cell that is absent is a gap.
    pub cells: Vec<CoverageCell>,
    pub gaps: Vec<CoverageGap>,
}
