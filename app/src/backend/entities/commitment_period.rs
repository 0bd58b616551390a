//! The `commitment_periods` table: every period each commitment owes, with
//! its latest report judged under the terms in force then (or none), kept
//! by `services::results`. Entity models never leave the backend: wire types
//! live in `api/`.

use crate::backend::exact::Exact;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "commitment_periods")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub commitment_id: i32,
    pub agreement_id: i32,
    pub organisation_id: i32,
    pub kpi_id: i32,
    pub channel: Option<String>,
    pub period: String,
    pub period_start: Date,
    pub period_end: Date,
    pub due_on: Date,
    pub revision: i32,
    /// `met`, `at_risk`, `breached`, `pending` (reported, no value) or
    /// `unreported`; and the first three and the last as 0/1 for sums.
    pub status: String,
    pub met: i16,
    pub at_risk: i16,
    pub breached: i16,
    pub unreported: i16,
    #[sea_orm(column_type = "Decimal(Some((19, 4)))")]
    pub value: Option<Exact>,
    #[sea_orm(column_type = "Decimal(Some((19, 4)))")]
    pub numerator: Option<Exact>,
    #[sea_orm(column_type = "Decimal(Some((19, 4)))")]
    pub denominator: Option<Exact>,
    pub volume: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

super::stamped_when_inserted!();
