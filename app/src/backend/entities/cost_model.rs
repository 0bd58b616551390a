//! The `cost_models` table. Entity models never leave the backend: wire types live in `wire/`.

use crate::backend::exact::Exact;
use crate::domain::CostModelKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "cost_models")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub agreement_id: i32,
    pub kind: CostModelKind,
    #[sea_orm(column_type = "Decimal(Some((19, 4)))")]
    pub fixed_portion: Option<Exact>,
    pub channel_weights: Option<Json>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub lock_version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

super::stamped_when_inserted!(lock_version);
