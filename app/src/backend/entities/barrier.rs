//! The `barriers` table. Entity models never leave the backend: wire types live in `wire/`.

use crate::domain::{BarrierCategory, BarrierStatus};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "barriers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub agreement_id: i32,
    pub category: BarrierCategory,
    pub description: String,
    pub description_fr: Option<String>,
    pub severity: i16,
    pub mitigation: Option<String>,
    pub mitigation_fr: Option<String>,
    pub owner_id: Option<i32>,
    pub status: BarrierStatus,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub lock_version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

super::stamped_when_inserted!(lock_version);
