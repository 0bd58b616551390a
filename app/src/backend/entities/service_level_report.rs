//! The `service_level_reports` table. Entity models never leave the backend: wire types live in `wire/`.

use crate::backend::exact::Exact;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "service_level_reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub commitment_id: i32,
    pub period: String,
    pub period_start: Date,
    pub revision: i32,
    #[sea_orm(column_type = "Decimal(Some((19, 4)))")]
    pub value: Option<Exact>,
    #[sea_orm(column_type = "Decimal(Some((19, 4)))")]
    pub numerator: Option<Exact>,
    #[sea_orm(column_type = "Decimal(Some((19, 4)))")]
    pub denominator: Option<Exact>,
    pub volume: Option<i64>,
    pub comment: Option<String>,
    pub submitted_by: Option<i32>,
    pub api_token_id: Option<i32>,
    pub submitted_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

super::stamped_when_inserted!();
