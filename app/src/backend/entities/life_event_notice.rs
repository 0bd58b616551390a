//! The `life_event_notices` table. Entity models never leave the backend: wire types live in `wire/`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "life_event_notices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub agreement_id: i32,
    pub life_event_id: i32,
    /// The party that received the citizen's notice.
    pub intake_id: i32,
    pub received_on: Date,
    pub channel: String,
    /// An opaque reference in the intake party's own system: never
    /// personal data.
    pub case_reference: String,
    pub recorded_by: Option<i32>,
    pub api_token_id: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

super::stamped_when_inserted!();
