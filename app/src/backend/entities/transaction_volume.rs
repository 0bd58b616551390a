//! The `transaction_volumes` table. Entity models never leave the backend: wire types live in `wire/`.

use crate::domain::Channel;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "transaction_volumes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub agreement_id: i32,
    pub period: String,
    pub period_start: Date,
    pub channel: Channel,
    pub organisation_id: i32,
    pub count: i64,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub lock_version: i32,
    /// The service these transactions were for, when the partner said.
    pub service_id: Option<i32>,
    /// How many of them met the service's standard on this channel.
    pub meeting_standard: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

super::stamped_when_inserted!(lock_version);
