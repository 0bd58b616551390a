//! The `life_event_deliveries` table. Entity models never leave the backend: wire types live in `wire/`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "life_event_deliveries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub notice_id: i32,
    pub agreement_id: i32,
    /// The party told.
    pub organisation_id: i32,
    /// The notice's day of receipt, from which its targets run.
    pub received_on: Date,
    /// The targets of the propagation term in force on `received_on`.
    pub acknowledge_days: i32,
    pub act_days: i32,
    pub acknowledged_on: Option<Date>,
    pub acted_on: Option<Date>,
    pub outcome: Option<String>,
    pub declined_on: Option<Date>,
    pub decline_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub lock_version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

super::stamped_when_inserted!(lock_version);
