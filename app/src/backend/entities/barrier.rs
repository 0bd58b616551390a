//! The `barriers` table. Entity models never leave the backend: wire types live in `wire/`.

use crate::domain::{BarrierCategory, BarrierStatus};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "barriers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub agreement_id: i32,
    /// Stable within the agreement across versions (`B-3`).
    pub key: String,
    pub category: BarrierCategory,
    pub description: String,
    pub description_fr: Option<String>,
    pub severity: i16,
    pub mitigation: Option<String>,
    pub mitigation_fr: Option<String>,
    pub actions: Option<String>,
    pub actions_fr: Option<String>,
    pub owner_id: Option<i32>,
    pub status: BarrierStatus,
    /// The day it was first recorded.
    pub recorded_on: Date,
    /// Still in the terms in force (a barrier an amendment removes keeps
    /// its row).
    pub in_force: bool,
    /// The agreement's latest version number when the owning party last
    /// updated it without an amendment; none if it never did.
    pub register_version: Option<i32>,
    pub register_updated_at: Option<DateTimeUtc>,
    pub register_updated_by: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub lock_version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

super::stamped_when_inserted!(lock_version);
