//! The `cost_model_lines` table. Entity models never leave the backend: wire types live in `wire/`.

use crate::backend::exact::Exact;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "cost_model_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub cost_model_id: i32,
    pub organisation_id: i32,
    #[sea_orm(column_type = "Decimal(Some((19, 4)))")]
    pub percent: Option<Exact>,
    #[sea_orm(column_type = "Decimal(Some((19, 4)))")]
    pub cap: Option<Exact>,
    #[sea_orm(column_type = "Decimal(Some((19, 4)))")]
    pub floor: Option<Exact>,
    pub rates: Option<Json>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

super::stamped_when_inserted!();
