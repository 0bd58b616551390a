//! The `channel_journeys` table. Entity models never leave the backend: wire types live in `wire/`.

use crate::domain::Channel;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "channel_journeys")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub agreement_id: i32,
    /// The inventory service (`agreement_services.id`).
    pub service_id: i32,
    pub period: String,
    pub period_start: Date,
    /// The reporting partner.
    pub organisation_id: i32,
    pub started_on: Channel,
    /// `None`: abandoned.
    pub ended_on: Option<Channel>,
    pub count: i64,
    pub recorded_by: Option<i32>,
    pub api_token_id: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

super::stamped_when_inserted!();
