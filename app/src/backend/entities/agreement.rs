//! The `agreements` table. Entity models never leave the backend: wire types live in `wire/`.

use crate::domain::{AgreementStatus, PartnershipType, Purpose, Structure};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "agreements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub reference: String,
    pub title: String,
    pub title_fr: Option<String>,
    pub summary: String,
    pub summary_fr: Option<String>,
    pub purpose: Purpose,
    pub structure: Structure,
    pub partnership_type: PartnershipType,
    pub status: AgreementStatus,
    pub starts_on: Date,
    pub ends_on: Date,
    pub renewal_notice_days: i32,
    pub currency: String,
    pub fiscal_year_start_month: i16,
    pub parent_id: Option<i32>,
    /// Whether the parties publish it as open contracting data (a term).
    pub published: bool,
    pub version: i32,
    pub in_force_version: Option<i32>,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub lock_version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

super::stamped_when_inserted!(lock_version);
