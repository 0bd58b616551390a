//! Citizen satisfaction by driver on the wire (issue 22, DOMAIN.md §9):
//! survey results recorded per service, channel, month and party; their
//! aggregates weighted by sample size; benchmarks by driver across the
//! portfolio; and the driver analysis. Percentages travel as decimal text
//! (`"87.5"`), as every percentage does.

use crate::domain::satisfaction::Driver;
use crate::domain::{Channel, Structure};
use serde::{Deserialize, Serialize};

/// `POST /api/v1/agreements/{id}/satisfaction`: one survey result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SatisfactionParams {
    /// The month surveyed (`2026-10`).
    pub period: String,
    /// The inventory id of one of the agreement's services in force.
    pub service_id: i32,
    pub channel: Channel,
    /// The reporting party.
    pub organisation_id: i32,
    /// Respondents, 1 to 10,000,000.
    pub sample_size: i64,
    /// Percent satisfied overall, 0–100, at most two decimals.
    pub overall: String,
    /// In percentage points, as the survey gives it.
    #[serde(default)]
    pub margin_of_error: Option<String>,
    #[serde(default)]
    pub timeliness: Option<String>,
    /// Knowledge and competence.
    #[serde(default)]
    pub knowledge: Option<String>,
    #[serde(default)]
    pub courtesy: Option<String>,
    #[serde(default)]
    pub fairness: Option<String>,
    #[serde(default)]
    pub outcome: Option<String>,
}

/// The months read: `from` and `to` as `2026-01` (default: the twelve
/// months before this one).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams, utoipa::ToSchema))]
pub struct SatisfactionQuery {
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
}

/// The percent satisfied with each driver (`None`: not asked, or no result
/// asked about it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DriverScores {
    pub timeliness: Option<String>,
    pub knowledge: Option<String>,
    pub courtesy: Option<String>,
    pub fairness: Option<String>,
    pub outcome: Option<String>,
}

impl DriverScores {
    pub fn get(&self, d: Driver) -> Option<&str> {
        match d {
            Driver::Timeliness => self.timeliness.as_deref(),
            Driver::Knowledge => self.knowledge.as_deref(),
            Driver::Courtesy => self.courtesy.as_deref(),
            Driver::Fairness => self.fairness.as_deref(),
            Driver::Outcome => self.outcome.as_deref(),
        }
    }
}

/// One recorded result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SatisfactionResultView {
    pub id: i32,
    pub agreement_id: i32,
    pub period: String,
    pub service_id: i32,
    /// The service's id within its agreement (`SC-0042`).
    pub service_code: String,
    pub channel: Channel,
    pub organisation_id: i32,
    /// The reporting party's code (`ACCESSNS`).
    pub organisation_code: String,
    pub sample_size: i64,
    pub overall: String,
    pub margin_of_error: Option<String>,
    pub drivers: DriverScores,
    pub recorded_by: Option<i32>,
    pub created_at: String,
}

/// Results added up, weighted by sample size.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SatisfactionAggregate {
    /// How many results.
    pub results: usize,
    /// Σ sample sizes.
    pub sample_size: i64,
    /// Σ n·p ÷ Σ n, two decimals.
    pub overall: String,
    /// In percentage points, two decimals: the results' own margins
    /// combined when each gives one, else the 95 % normal approximation on
    /// the pooled sample.
    pub margin_of_error: String,
    /// Whether the margin is the normal approximation.
    pub margin_pooled: bool,
    /// Each driver over the results that asked about it.
    pub drivers: DriverScores,
}

/// One service and channel of an agreement, added up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ServiceChannelAggregate {
    pub service_id: i32,
    pub service_code: String,
    pub service_name: String,
    pub service_name_fr: Option<String>,
    pub channel: Channel,
    pub aggregate: SatisfactionAggregate,
}

/// `GET /api/v1/agreements/{id}/satisfaction`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AgreementSatisfactionView {
    pub agreement_id: i32,
    pub from: String,
    pub to: String,
    /// Newest month first.
    pub items: Vec<SatisfactionResultView>,
    pub total: usize,
    /// By service and channel.
    pub aggregates: Vec<ServiceChannelAggregate>,
    /// Every result of the months, added up; `None` with none.
    pub overall: Option<SatisfactionAggregate>,
}

/// How satisfaction benchmarks are grouped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SatisfactionGroupBy {
    #[default]
    Agreement,
    Structure,
    /// Each boundary the agreement crosses (an agreement counts in each).
    Boundary,
}

impl SatisfactionGroupBy {
    pub const ALL: &'static [SatisfactionGroupBy] = &[
        SatisfactionGroupBy::Agreement,
        SatisfactionGroupBy::Structure,
        SatisfactionGroupBy::Boundary,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SatisfactionGroupBy::Agreement => "agreement",
            SatisfactionGroupBy::Structure => "structure",
            SatisfactionGroupBy::Boundary => "boundary",
        }
    }
}

/// `GET /api/v1/satisfaction/benchmarks` query.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams, utoipa::ToSchema))]
pub struct SatisfactionBenchmarkQuery {
    #[serde(default)]
    pub group_by: Option<SatisfactionGroupBy>,
    /// First month (`2026-01`).
    #[serde(default)]
    pub from: Option<String>,
    /// Last month.
    #[serde(default)]
    pub to: Option<String>,
    /// Orders the rows by this driver, highest first.
    #[serde(default)]
    pub driver: Option<Driver>,
}

/// One group of agreements, added up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SatisfactionBenchmarkRow {
    /// The agreement's reference, the structure or the boundary.
    pub group: String,
    pub label: String,
    pub label_fr: Option<String>,
    /// The structure, when grouped by structure or by agreement.
    pub structure: Option<Structure>,
    pub aggregate: SatisfactionAggregate,
}

/// `GET /api/v1/satisfaction/benchmarks`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SatisfactionBenchmarksView {
    pub group_by: SatisfactionGroupBy,
    pub driver: Option<Driver>,
    pub from: String,
    pub to: String,
    pub items: Vec<SatisfactionBenchmarkRow>,
    pub total: usize,
}

/// One driver in the driver analysis.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DriverEffectRow {
    /// 1: the driver that most separates satisfied from dissatisfied.
    pub rank: usize,
    pub driver: Driver,
    /// Results that asked about the driver, and their respondents.
    pub results: usize,
    pub sample_size: i64,
    /// Weighted mean percent satisfied with the driver.
    pub mean: Option<String>,
    /// Sample-size-weighted Pearson correlation with overall satisfaction
    /// across results, three decimals; `None` with fewer than three
    /// results or no variation.
    pub correlation: Option<String>,
    /// Weighted mean among results at or above the portfolio's overall…
    pub satisfied_mean: Option<String>,
    /// …and below it.
    pub dissatisfied_mean: Option<String>,
    /// The difference, in percentage points.
    pub gap: Option<String>,
}

/// `GET /api/v1/satisfaction/drivers`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DriverAnalysisView {
    pub from: String,
    pub to: String,
    /// Every result of the agreements the caller may see, added up: its
    /// overall is the line between satisfied and dissatisfied results.
    pub portfolio: Option<SatisfactionAggregate>,
    /// Ranked, the most separating first.
    pub items: Vec<DriverEffectRow>,
}

/// A service in force that results may be recorded for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordableService {
    pub id: i32,
    pub code: String,
    pub name: String,
    pub name_fr: Option<String>,
    pub channels: Vec<Channel>,
}

/// A party the caller may record for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordableParty {
    pub id: i32,
    pub code: String,
    pub name: String,
    pub name_fr: Option<String>,
}

/// An active agreement the caller may record results for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordableAgreement {
    pub id: i32,
    pub reference: String,
    pub title: String,
    pub title_fr: Option<String>,
    pub services: Vec<RecordableService>,
    pub parties: Vec<RecordableParty>,
}
