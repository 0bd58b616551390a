//! The `commitments` table. Entity models never leave the backend: wire types live in `wire/`.

use crate::backend::exact::Exact;
use crate::domain::{Channel, Frequency};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "commitments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub agreement_id: i32,
    pub organisation_id: i32,
    pub kpi_id: i32,
    #[sea_orm(column_type = "Decimal(Some((19, 4)))")]
    pub target: Exact,
    #[sea_orm(column_type = "Decimal(Some((19, 4)))")]
    pub warning_band: Option<Exact>,
    pub channel: Option<Channel>,
    /// The code of the agreement's service it is about, if one.
    pub service_code: Option<String>,
    pub frequency: Frequency,
    pub grace_days: i32,
    pub effective_from: Date,
    pub effective_to: Option<Date>,
    pub allowed_misses: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub lock_version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

super::stamped_when_inserted!(lock_version);
