//! What a service-level report must satisfy: the commitment is the
//! reporter's to report, the period is one it owes under the terms in force,
//! the value is a reading the unit allows. Every problem is named by line
//! and field.

use crate::backend::entities::{agreement, commitment, kpi};
use crate::backend::services::Ctx;
use crate::backend::{FieldError, ServiceError, ServiceResult};
use crate::domain::compliance::{Reading, check_reading, parse_number};
use crate::domain::{Frequency, KpiUnit, Period, PeriodKind, Role};
use crate::wire::reports::*;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

pub(super) fn push(
    errors: &mut Vec<FieldError>,
    line: Option<u64>,
    field: &str,
    message: impl Into<String>,
) {
    errors.push(match line {
        Some(l) => FieldError::at_line(l, field, message),
        None => FieldError::new(field, message),
    });
}

/// What checking a report needs about its commitment.
pub(crate) struct Reportable {
    pub(crate) commitment: commitment::Model,
    pub(crate) agreement: agreement::Model,
    pub(crate) unit: KpiUnit,
    pub(crate) is_ratio: bool,
    pub(crate) code: String,
}

impl Reportable {
    pub(crate) fn frequency(&self) -> ServiceResult<Frequency> {
        Ok(self.commitment.frequency)
    }
}

/// A report checked: its period and reading.
pub(crate) struct Checked {
    pub(crate) period: Period,
    pub(crate) reading: Reading,
    pub(crate) comment: Option<String>,
}

/// Checks one report against its commitment: a calendar period of the
/// commitment's frequency that has ended and lies within the agreement's
/// term and the commitment's dates; plausible values. Every problem is
/// pushed (with `line` for a CSV row).
pub(crate) fn check_report(
    errors: &mut Vec<FieldError>,
    line: Option<u64>,
    p: &ReportParams,
    r: &Reportable,
    today: NaiveDate,
) -> ServiceResult<Option<Checked>> {
    let before = errors.len();
    let frequency = r.frequency()?;
    let period = check_period(errors, line, &p.period, r, frequency, today);
    let mut num = |field: &str, v: &Option<Num>| -> Option<Decimal> {
        let text = v.as_ref()?.text();
        if text.is_empty() {
            return None;
        }
        match parse_number(&text) {
            Ok(d) => Some(d),
            Err(m) => {
                push(errors, line, field, m);
                None
            }
        }
    };
    let reading = Reading {
        value: num("value", &p.value),
        numerator: num("numerator", &p.numerator),
        denominator: num("denominator", &p.denominator),
        volume: p.volume,
    };
    if reading
        .volume
        .is_some_and(|v| v.unsigned_abs() > crate::domain::cost::MAX_COUNT)
    {
        push(
            errors,
            line,
            "volume",
            "At most 1,000,000,000,000 transactions.",
        );
    }
    if errors.len() == before {
        for problem in check_reading(&reading, r.unit, r.is_ratio) {
            push(errors, line, problem.field, problem.message);
        }
    }
    let comment = p
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned);
    if comment.as_ref().is_some_and(|c| c.chars().count() > 2000) {
        push(errors, line, "comment", "At most 2,000 characters.");
    }
    if errors.len() > before {
        return Ok(None);
    }
    Ok(period.map(|period| Checked {
        period,
        reading,
        comment,
    }))
}

/// The commitments the caller's organisation reports on, by id: reporters
/// and their organisation's API tokens.
pub(super) async fn reportables(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    only: Option<i32>,
) -> ServiceResult<HashMap<i32, Reportable>> {
    let actor = ctx.actor()?;
    let mut q = commitment::Entity::find()
        .filter(commitment::Column::OrganisationId.eq(actor.organisation_id));
    if let Some(id) = only {
        q = q.filter(commitment::Column::Id.eq(id));
    }
    let commitments = q.all(db).await?;
    let mut found = reportables_of(db, commitments).await?;
    // The values of derived KPIs come from deliveries: nobody types them.
    found.retain(|_, r| !crate::domain::propagation::is_derived_kpi(&r.code));
    // Nor do they type those derived from journeys.
    found.retain(|_, r| !crate::domain::journeys::is_journey_kpi(&r.code));
    Ok(found)
}

/// `commitments` with what checking their reports needs (agreement, KPI),
/// by commitment id.
pub(crate) async fn reportables_of(
    db: &impl ConnectionTrait,
    commitments: Vec<commitment::Model>,
) -> ServiceResult<HashMap<i32, Reportable>> {
    let mut agreement_ids: Vec<i32> = commitments.iter().map(|c| c.agreement_id).collect();
    agreement_ids.sort_unstable();
    agreement_ids.dedup();
    let mut agreements: HashMap<i32, agreement::Model> = HashMap::new();
    // In chunks: a list of ids is one bound value each, and databases cap
    // how many one statement may bind.
    for chunk in agreement_ids.chunks(500) {
        agreements.extend(
            agreement::Entity::find()
                .filter(agreement::Column::Id.is_in(chunk.to_vec()))
                .all(db)
                .await?
                .into_iter()
                .map(|a| (a.id, a)),
        );
    }
    let kpis: HashMap<i32, kpi::Model> = kpi::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|k| (k.id, k))
        .collect();
    let mut out = HashMap::new();
    for c in commitments {
        let (Some(a), Some(k)) = (agreements.get(&c.agreement_id), kpis.get(&c.kpi_id)) else {
            continue;
        };
        out.insert(
            c.id,
            Reportable {
                agreement: a.clone(),
                unit: k.unit,
                is_ratio: k.is_ratio,
                code: k.code.clone(),
                commitment: c,
            },
        );
    }
    Ok(out)
}

/// The caller, when they may submit reports: a reporter or an API token.
/// Others get `NotFound` for commitments of other organisations (checked
/// by the caller) and `Forbidden` here.
pub(super) fn reporter(ctx: &Ctx) -> ServiceResult<()> {
    let actor = ctx.actor()?;
    if actor.role == Role::Reporter {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// The period a report names: one the commitment is reported by (a fiscal
/// period that is exactly a calendar period counts as that one), ended,
/// within the agreement's term and the commitment's effective dates.
/// `None` when it cannot be read; otherwise the period, each problem
/// pushed to `errors`.
fn check_period(
    errors: &mut Vec<FieldError>,
    line: Option<u64>,
    text: &str,
    r: &Reportable,
    frequency: Frequency,
    today: NaiveDate,
) -> Option<Period> {
    match Period::parse(text.trim()) {
        Err(e) => {
            push(errors, line, "period", format!("{e}."));
            None
        }
        Ok(named) => {
            // A fiscal period that is exactly a calendar period (an April,
            // July or October fiscal year's quarters) counts as that one.
            let fiscal = u32::try_from(r.agreement.fiscal_year_start_month)
                .unwrap_or(1)
                .clamp(1, 12);
            let period = match named.kind() {
                PeriodKind::FiscalQuarter | PeriodKind::FiscalYear => {
                    let (s, e) = (named.start_date(fiscal), named.end_date(fiscal));
                    let same = if named.kind() == PeriodKind::FiscalQuarter {
                        Period::quarter_of(s).ok()
                    } else {
                        Period::year_of(s).ok()
                    };
                    same.filter(|c| c.start_date(1) == s && c.end_date(1) == e)
                        .unwrap_or(named)
                }
                _ => named,
            };
            let calendar = matches!(
                period.kind(),
                PeriodKind::Month | PeriodKind::Quarter | PeriodKind::Year
            );
            let end = period.end_date(1);
            let start = period.start_date(1);
            if !calendar || period.frequency() != frequency {
                let example = match frequency {
                    Frequency::Monthly => "2026-10",
                    Frequency::Quarterly => "2026-Q3",
                    Frequency::Annual => "2026",
                };
                push(
                    errors,
                    line,
                    "period",
                    format!(
                        "{period} does not match this commitment, which is reported {} by calendar period (as {example}).",
                        frequency.as_str()
                    ),
                );
            } else if end > today {
                push(
                    errors,
                    line,
                    "period",
                    format!("{period} has not ended: report on it from {end}."),
                );
            } else if end < r.agreement.starts_on || start > r.agreement.ends_on {
                push(
                    errors,
                    line,
                    "period",
                    format!(
                        "{period} lies outside the agreement's term ({} to {}).",
                        r.agreement.starts_on, r.agreement.ends_on
                    ),
                );
            } else if end < r.commitment.effective_from
                || r.commitment.effective_to.is_some_and(|to| start > to)
            {
                push(
                    errors,
                    line,
                    "period",
                    format!("{period} lies outside the commitment's effective dates."),
                );
            }
            Some(period)
        }
    }
}
