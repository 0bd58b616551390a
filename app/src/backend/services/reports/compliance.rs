//! Compliance per commitment and period, with each year's error budget,
//! as a view and as CSV; and a report's revisions.

use super::today;
use crate::backend::entities::{agreement, commitment, kpi, service_level_report, user};
use crate::backend::services::costs::reading;
use crate::backend::services::readings::{
    commitment_versions, latest_readings, report_rows, target_of, terms_on,
};
use crate::backend::services::{Ctx, plain_decimal, rfc3339};
use crate::backend::{ServiceError, ServiceResult};
use crate::domain::compliance::{Status, error_budget, judge, unreported};
use crate::domain::{Frequency, KpiDirection, periods_between};
use crate::wire::agreements::{AgreementView, CommitmentView};
use crate::wire::reports::*;
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::{BTreeMap, HashMap};

/// The fiscal (or calendar) year a period belongs to, for error budgets.
pub(super) fn budget_year(start: NaiveDate, fiscal: u32) -> String {
    use chrono::Datelike;
    if fiscal <= 1 {
        start.year().to_string()
    } else if start.month() >= fiscal {
        format!("FY{}", start.year())
    } else {
        format!("FY{}", start.year() - 1)
    }
}

/// The compliance of every commitment of agreement `id` for every period
/// from its start to the last ended period, judged on the latest revision
/// under the terms in force in that period; and each year's error budget.
///
/// Fails with `NotFound` if the caller may not see the agreement.
#[tracing::instrument(skip(ctx, db))]
pub async fn compliance(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
) -> ServiceResult<ComplianceView> {
    reading(ctx, db, id).await?;
    let view: AgreementView =
        crate::backend::services::agreements::get(&Ctx::system(), db, id).await?;
    let a = agreement::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let fiscal = u32::try_from(a.fiscal_year_start_month)
        .unwrap_or(1)
        .clamp(1, 12);
    let versions = commitment_versions(db, &a).await?;
    let kpis: HashMap<String, kpi::Model> = kpi::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|k| (k.code.clone(), k))
        .collect();
    // A partner's system (an API token) sees its own organisation's
    // commitments only.
    let only = ctx
        .actor
        .as_ref()
        .filter(|a| a.api_token_id().is_some())
        .map(|a| a.organisation_id);
    let commitments: Vec<&CommitmentView> = view
        .commitments
        .iter()
        .filter(|c| only.is_none_or(|org| c.organisation_id == org))
        .collect();
    let ids: Vec<i32> = commitments.iter().map(|c| c.id).collect();
    let latest = latest_readings(report_rows(db, ids).await?, |_| true);
    let today = today();
    let mut items = Vec::new();
    let mut budgets = Vec::new();
    for c in commitments {
        let Some(k) = kpis.get(&c.kpi) else { continue };
        let direction: KpiDirection = k.direction;
        let from = c.effective_from.max(a.starts_on);
        let to = c
            .effective_to
            .unwrap_or(a.ends_on)
            .min(a.ends_on)
            .min(today);
        let current = crate::backend::services::versions::commitment_of(c)?;
        let mut years: BTreeMap<String, Vec<Status>> = BTreeMap::new();
        for period in periods_between(c.frequency, from, to) {
            let (start, end) = (period.start_date(1), period.end_date(1));
            if end > today {
                continue;
            }
            let Some(terms) = terms_on(&versions, &current, start) else {
                continue; // not yet one of the terms then
            };
            let target = target_of(terms, direction)?;
            let key = (c.id, period.to_string());
            let (value, revision, status) = match latest.get(&key) {
                Some((rev, reading)) => {
                    let v = reading.value();
                    let status = v.map_or(Status::Pending, |v| judge(v, &target));
                    (v.map(|v| plain_decimal(v.round_dp(4))), Some(*rev), status)
                }
                None => (None, None, unreported(end, terms.grace_days, today)),
            };
            years
                .entry(budget_year(start, fiscal))
                .or_default()
                .push(status);
            items.push(ComplianceItem {
                commitment_id: c.id,
                period: period.to_string(),
                value,
                target: plain_decimal(terms.target),
                status,
                revision,
            });
        }
        let per_year = match c.frequency {
            Frequency::Monthly => 12,
            Frequency::Quarterly => 4,
            Frequency::Annual => 1,
        };
        for (year, statuses) in years {
            let b = error_budget(c.allowed_misses, per_year, &statuses);
            budgets.push(ErrorBudgetView {
                commitment_id: c.id,
                year,
                allowed: b.allowed,
                spent: b.spent,
                remaining: b.remaining,
                exhausted: b.exhausted,
            });
        }
    }
    Ok(ComplianceView {
        items,
        error_budgets: budgets,
    })
}

/// The compliance items as CSV.
pub fn compliance_csv(v: &ComplianceView) -> String {
    let header = [
        "commitment_id",
        "period",
        "value",
        "target",
        "status",
        "revision",
    ]
    .map(String::from)
    .to_vec();
    crate::backend::csv_out::to_csv(std::iter::once(header).chain(v.items.iter().map(|i| {
        vec![
            i.commitment_id.to_string(),
            i.period.clone(),
            i.value.clone().unwrap_or_default(),
            i.target.clone(),
            i.status.as_str().to_owned(),
            i.revision.map(|r| r.to_string()).unwrap_or_default(),
        ]
    })))
}

/// Every revision of a commitment's report for a period, newest first.
///
/// Fails with `NotFound` if the caller may not see the agreement.
pub async fn revisions(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    commitment_id: i32,
    period: &str,
) -> ServiceResult<Vec<RevisionView>> {
    let c = commitment::Entity::find_by_id(commitment_id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    reading(ctx, db, c.agreement_id).await?;
    let rows = service_level_report::Entity::find()
        .filter(service_level_report::Column::CommitmentId.eq(commitment_id))
        .filter(service_level_report::Column::Period.eq(period.trim()))
        .order_by_desc(service_level_report::Column::Revision)
        .all(db)
        .await?;
    let users: Vec<i32> = rows.iter().filter_map(|r| r.submitted_by).collect();
    let names: HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(users))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| RevisionView {
            id: r.id,
            revision: r.revision,
            value: r.value.map(|v| plain_decimal(v.0)),
            numerator: r.numerator.map(|v| plain_decimal(v.0)),
            denominator: r.denominator.map(|v| plain_decimal(v.0)),
            volume: r.volume,
            comment: r.comment,
            submitted_by: match (r.submitted_by, r.api_token_id) {
                (Some(u), _) => names.get(&u).cloned(),
                (None, Some(_)) => Some("API token".to_owned()),
                _ => None,
            },
            submitted_at: rfc3339(r.submitted_at),
        })
        .collect())
}
