//! The `satisfaction_results` table: one survey result (Common Measurements
//! Tool style) for a service, channel, month and reporting party. Entity
//! models never leave the backend: wire types live in `wire/`.

use crate::backend::exact::Exact;
use crate::domain::Channel;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "satisfaction_results")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub agreement_id: i32,
    /// The inventory's service (`agreement_services.id`).
    pub service_id: i32,
    pub channel: Channel,
    /// The month, as `2026-10`.
    pub period: String,
    pub period_start: Date,
    /// The party that reports the result.
    pub organisation_id: i32,
    pub sample_size: i32,
    /// Percent of respondents satisfied overall.
    #[sea_orm(column_type = "Decimal(Some((19, 4)))")]
    pub overall: Exact,
    #[sea_orm(column_type = "Decimal(Some((19, 4)))")]
    pub margin_of_error: Option<Exact>,
    #[sea_orm(column_type = "Decimal(Some((19, 4)))")]
    pub timeliness: Option<Exact>,
    #[sea_orm(column_type = "Decimal(Some((19, 4)))")]
    pub knowledge: Option<Exact>,
    #[sea_orm(column_type = "Decimal(Some((19, 4)))")]
    pub courtesy: Option<Exact>,
    #[sea_orm(column_type = "Decimal(Some((19, 4)))")]
    pub fairness: Option<Exact>,
    #[sea_orm(column_type = "Decimal(Some((19, 4)))")]
    pub outcome: Option<Exact>,
    pub recorded_by: Option<i32>,
    pub api_token_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

super::stamped_when_inserted!();
