//! The `channel_minimums` table: the minimum service levels in force. Entity models never leave the backend: wire types live in `wire/`.

use crate::backend::exact::Exact;
use crate::domain::Channel;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "channel_minimums")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub agreement_id: i32,
    pub channel: Channel,
    /// The share of all transactions, in %, the channel keeps at least.
    pub share: Exact,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub lock_version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

super::stamped_when_inserted!(lock_version);
