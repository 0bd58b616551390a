//! The `dimension_period_totals` table: the sums of `commitment_periods`
//! flags by period for each party (`organisation`), KPI (`kpi`) and channel
//! (`channel`, empty for none) across every agreement, kept by
//! `services::results`. Entity models never leave the backend: wire types
//! live in `api/`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "dimension_period_totals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub dimension: String,
    pub key: String,
    pub period_start: Date,
    pub period_end: Date,
    pub met: i32,
    pub at_risk: i32,
    pub breached: i32,
    pub unreported: i32,
    /// The latest due date of the periods counted here (never lowered).
    pub max_due_on: Date,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

super::stamped_when_inserted!();
