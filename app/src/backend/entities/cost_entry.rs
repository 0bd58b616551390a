//! The `cost_entries` table. Entity models never leave the backend: wire types live in `wire/`.

use crate::backend::exact::Exact;
use crate::domain::{CostCategory, CostKind};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "cost_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub agreement_id: i32,
    pub period: String,
    pub period_start: Date,
    pub kind: CostKind,
    pub category: CostCategory,
    #[sea_orm(column_type = "Decimal(Some((19, 4)))")]
    pub amount: Exact,
    pub organisation_id: i32,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub lock_version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

super::stamped_when_inserted!(lock_version);
