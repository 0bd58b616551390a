//! Organisations and jurisdictions on the wire, and their server functions.

use crate::domain::{JurisdictionLevel, OrganisationKind, Sector};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct JurisdictionView {
    pub id: i32,
    pub code: String,
    pub name: String,
    pub name_fr: Option<String>,
    pub level: JurisdictionLevel,
    pub country_code: String,
    pub parent_id: Option<i32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrganisationView {
    pub id: i32,
    pub code: String,
    pub name: String,
    pub name_fr: Option<String>,
    pub kind: OrganisationKind,
    pub sector: Sector,
    pub jurisdiction: Option<JurisdictionView>,
}
