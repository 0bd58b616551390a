//! The `service_standards` table: a service's standard on one channel.
//! Entity models never leave the backend: wire types live in `wire/`.

use crate::backend::exact::Exact;
use crate::domain::Channel;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "service_standards")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub service_id: i32,
    pub channel: Channel,
    pub standard: String,
    pub standard_fr: Option<String>,
    #[sea_orm(column_type = "Decimal(Some((19, 4)))")]
    pub target: Exact,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

super::stamped_when_inserted!();
