//! The `users` table. Entity models never leave the backend: wire types live in `wire/`.

use crate::domain::{Role, Scope};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub uuid: Uuid,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: Role,
    pub scope: Scope,
    pub organisation_id: i32,
    pub disabled: bool,
    /// The language Concord writes to this user in: `en` or `fr`.
    pub lang: String,
    pub locked_until: Option<DateTimeUtc>,
    pub password_changed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub lock_version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

super::stamped_when_inserted!(lock_version);
