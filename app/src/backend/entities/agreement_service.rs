//! The `agreement_services` table: the services of each agreement's terms in
//! force, and (with `in_force` false) those an amendment has since removed,
//! kept for the volumes recorded against them. Entity models never leave
//! the backend: wire types live in `wire/`.

use crate::backend::exact::Exact;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "agreement_services")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub agreement_id: i32,
    pub name: String,
    pub name_fr: Option<String>,
    pub delivered_by: i32,
    /// Channel names joined by `;`.
    pub channels: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The stable service id within the agreement.
    pub code: String,
    /// Client types joined by `;`.
    pub client_types: String,
    pub service_type: crate::domain::ServiceType,
    #[sea_orm(column_type = "Decimal(Some((19, 4)))")]
    pub fee: Option<Exact>,
    /// Online stages joined by `;`.
    pub online_stages: String,
    pub in_force: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

super::stamped_when_inserted!();
