//! Service-level reporting on the wire: commitments as added, reports as
//! submitted (one, or a CSV file), compliance per commitment and period,
//! and what a reporter has due — with their server functions.

use crate::domain::Channel;
use crate::domain::Frequency;
use crate::domain::compliance::Status;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A number as JSON sends it: `84.5` or `"84.5"` (decimals travel as text
/// so that nothing passes through a float).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum Num {
    Text(String),
    #[cfg_attr(feature = "ssr", schema(value_type = f64))]
    Number(serde_json::Number),
}

impl Num {
    pub fn text(&self) -> String {
        match self {
            Num::Text(s) => s.trim().to_owned(),
            Num::Number(n) => n.to_string(),
        }
    }
}

/// `POST /api/v1/agreements/{id}/commitments`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CommitmentParams {
    /// The responsible party.
    pub organisation_id: i32,
    /// A KPI code of the catalogue.
    pub kpi: String,
    pub target: Num,
    #[serde(default)]
    pub warning_band: Option<Num>,
    #[serde(default)]
    pub channel: Option<Channel>,
    /// The code of the agreement's service it is about (`S-1`); absent:
    /// the whole partnership.
    #[serde(default)]
    pub service: Option<String>,
    pub frequency: Frequency,
    /// Days after the period's end a report is still on time (default 15).
    #[serde(default)]
    pub grace_days: Option<i32>,
    pub effective_from: NaiveDate,
    #[serde(default)]
    pub effective_to: Option<NaiveDate>,
    /// Periods a year allowed to be breached or missing (default: a tenth).
    #[serde(default)]
    pub allowed_misses: Option<i32>,
    /// The version these terms were based on (default: the latest).
    #[serde(default)]
    pub version: Option<i32>,
    #[serde(default)]
    pub change_summary: Option<String>,
    /// On an agreement in force, when the amended terms would govern from
    /// once every party approves (default: today).
    #[serde(default)]
    pub terms_effective_from: Option<NaiveDate>,
}

/// `POST /api/v1/reports`: a value, or a numerator and denominator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReportParams {
    pub commitment_id: i32,
    /// The period, matching the commitment's frequency: `2026-10`,
    /// `2026-Q3`, `2026`.
    pub period: String,
    /// At most four decimals and 10^15 in absolute value.
    #[serde(default)]
    pub value: Option<Num>,
    /// For a ratio: at most four decimals and 10^15 in absolute value.
    #[serde(default)]
    pub numerator: Option<Num>,
    /// For a ratio: at most four decimals and 10^15 in absolute value.
    #[serde(default)]
    pub denominator: Option<Num>,
    /// Transactions in the period: at most 10^12.
    #[serde(default)]
    pub volume: Option<i64>,
    /// An attestation or explanation.
    #[serde(default)]
    pub comment: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ComplianceStatus {
    pub status: Status,
}

/// `201` of `POST /api/v1/reports`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReportReceipt {
    pub id: i32,
    pub commitment_id: i32,
    pub period: String,
    pub revision: i32,
    pub compliance: ComplianceStatus,
}

/// One commitment in one period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ComplianceItem {
    pub commitment_id: i32,
    pub period: String,
    /// The latest revision's value; `null` without a report.
    pub value: Option<String>,
    /// The target in force in that period.
    pub target: String,
    pub status: Status,
    pub revision: Option<i32>,
}

/// A commitment's error budget for one year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ErrorBudgetView {
    pub commitment_id: i32,
    /// `2026`, or `FY2026` when the agreement's fiscal year starts in
    /// another month.
    pub year: String,
    pub allowed: u32,
    pub spent: u32,
    pub remaining: u32,
    pub exhausted: bool,
}

/// `GET /api/v1/agreements/{id}/compliance`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ComplianceView {
    pub items: Vec<ComplianceItem>,
    pub error_budgets: Vec<ErrorBudgetView>,
}

/// One revision of a report, for the history of a period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RevisionView {
    pub id: i32,
    pub revision: i32,
    pub value: Option<String>,
    pub numerator: Option<String>,
    pub denominator: Option<String>,
    pub volume: Option<i64>,
    pub comment: Option<String>,
    pub submitted_by: Option<String>,
    pub submitted_at: String,
}

/// A period a reporter owes a report for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DueItem {
    pub commitment_id: i32,
    pub agreement_id: i32,
    pub reference: String,
    pub kpi: String,
    pub kpi_name: String,
    pub kpi_name_fr: Option<String>,
    pub unit: crate::domain::KpiUnit,
    pub is_ratio: bool,
    pub channel: Option<Channel>,
    pub period: String,
    pub due_on: NaiveDate,
    /// `pending` (due, still on time) or `missing` (overdue).
    pub status: Status,
    pub target: String,
}

/// What the caller's organisation owes: periods due, then overdue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReportingHome {
    pub due: Vec<DueItem>,
    pub missing: Vec<DueItem>,
}
