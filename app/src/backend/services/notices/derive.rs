//! The derived KPIs: for each commitment a party told has on the share of
//! its deliveries acknowledged (or acted on) within target, the value of a
//! period is that share among the deliveries of notices received in the
//! period, as known today — a delivery still within its target counts once
//! it is done or its deadline passes; a declined one counts for its
//! acknowledgement only. Each new value is written as the next revision of
//! the period's report (by nobody: derived, never typed in), judged like
//! any other, in the same transaction as the change that moved it; the
//! hourly job re-derives the periods of deliveries still open, so that a
//! deadline passing with nothing done counts against the party.

use super::working_days::calendars_of;
use crate::backend::ServiceResult;
use crate::backend::entities::{commitment, kpi, life_event_delivery, service_level_report};
use crate::backend::exact::Exact;
use crate::backend::services::readings::{latest_readings, report_rows};
use crate::backend::services::results::{self, Judge};
use crate::domain::compliance::Reading;
use crate::domain::propagation::{ACKNOWLEDGED_KPI, ACTED_KPI, Delivery, Targets, WorkingCalendar};
use crate::domain::{Period, periods_between};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

fn delivery_of(d: &life_event_delivery::Model) -> (Delivery, Targets) {
    (
        Delivery {
            received_on: d.received_on,
            acknowledged_on: d.acknowledged_on,
            acted_on: d.acted_on,
            declined_on: d.declined_on,
        },
        Targets {
            acknowledge_days: u32::try_from(d.acknowledge_days).unwrap_or(0),
            act_days: u32::try_from(d.act_days).unwrap_or(0),
        },
    )
}

/// The reading of a period: met over judged, as a percentage; `None` with
/// nothing judged yet.
pub(crate) fn reading_of(
    deliveries: &[&life_event_delivery::Model],
    acted: bool,
    cal: &WorkingCalendar,
    today: NaiveDate,
) -> Option<Reading> {
    let judged: Vec<bool> = deliveries
        .iter()
        .filter_map(|d| {
            let (delivery, t) = delivery_of(d);
            if acted {
                delivery.acted_in_target(t, cal, today)
            } else {
                delivery.acknowledged_in_target(t, cal, today)
            }
        })
        .collect();
    let n = judged.len();
    let met = judged.iter().filter(|j| **j).count();
    let value = crate::domain::propagation::percent_in_target(judged.into_iter().map(Some))?;
    Some(Reading {
        value: Some(value),
        numerator: Some(Decimal::from(met)),
        denominator: Some(Decimal::from(n)),
        volume: i64::try_from(n).ok(),
    })
}

/// Re-derives the periods holding each (agreement, party told, day of
/// receipt) of `moved`, for that party's commitments on the derived KPIs,
/// as known on `today`.
pub(crate) async fn rederive(
    tx: &impl ConnectionTrait,
    moved: &[(i32, i32, NaiveDate)],
    today: NaiveDate,
) -> ServiceResult<usize> {
    if moved.is_empty() {
        return Ok(0);
    }
    let kpis = results::kpis(tx).await?;
    let derived: HashMap<i32, bool> = kpis
        .values()
        .filter_map(|k: &kpi::Model| match k.code.as_str() {
            ACKNOWLEDGED_KPI => Some((k.id, false)),
            ACTED_KPI => Some((k.id, true)),
            _ => None,
        })
        .collect();
    let mut by_agreement: BTreeMap<i32, BTreeMap<i32, BTreeSet<NaiveDate>>> = BTreeMap::new();
    for (a, org, day) in moved {
        by_agreement
            .entry(*a)
            .or_default()
            .entry(*org)
            .or_default()
            .insert(*day);
    }
    let mut written = 0;
    for (agreement_id, orgs) in by_agreement {
        let commitments = commitment::Entity::find()
            .filter(commitment::Column::AgreementId.eq(agreement_id))
            .filter(commitment::Column::KpiId.is_in(derived.keys().copied()))
            .filter(commitment::Column::OrganisationId.is_in(orgs.keys().copied()))
            .all(tx)
            .await?;
        if commitments.is_empty() {
            continue;
        }
        // Reports and changes of terms judge one after the other
        // (`reports::lock_agreement`): so do these values.
        let a = match crate::backend::services::reports::lock_agreement(tx, agreement_id).await {
            Ok(a) => a,
            Err(crate::backend::ServiceError::NotFound) => continue,
            Err(e) => return Err(e),
        };
        let judge = Judge::load(tx, &a, &kpis).await?;
        let ids: Vec<i32> = commitments.iter().map(|c| c.id).collect();
        let latest = latest_readings(report_rows(tx, ids).await?, |_| true);
        let org_ids: Vec<i32> = orgs.keys().copied().collect();
        let calendars = calendars_of(tx, &org_ids).await?;
        let deliveries = life_event_delivery::Entity::find()
            .filter(life_event_delivery::Column::AgreementId.eq(agreement_id))
            .filter(life_event_delivery::Column::OrganisationId.is_in(org_ids))
            .all(tx)
            .await?;
        let mut reports = Vec::new();
        let mut rows = Vec::new();
        for c in &commitments {
            let acted = derived.get(&c.kpi_id).copied().unwrap_or(false);
            let days = orgs.get(&c.organisation_id).cloned().unwrap_or_default();
            let periods: BTreeSet<Period> = days
                .iter()
                .filter_map(|d| periods_between(c.frequency, *d, *d).into_iter().next())
                .collect();
            let cal = calendars
                .get(&c.organisation_id)
                .cloned()
                .unwrap_or_default();
            for period in periods {
                let (start, end) = (period.start_date(1), period.end_date(1));
                let within: Vec<&life_event_delivery::Model> = deliveries
                    .iter()
                    .filter(|d| {
                        d.organisation_id == c.organisation_id
                            && d.received_on >= start
                            && d.received_on <= end
                    })
                    .collect();
                let Some(reading) = reading_of(&within, acted, &cal, today) else {
                    continue;
                };
                let before = latest.get(&(c.id, period.to_string()));
                if before.is_some_and(|(_, r)| {
                    r.numerator == reading.numerator && r.denominator == reading.denominator
                }) {
                    continue;
                }
                let revision = before.map_or(0, |(rev, _)| *rev) + 1;
                // Only a period the commitment owes under its terms then.
                let Some((row, _)) = judge.result(c.id, period, Some((revision, &reading)))? else {
                    continue;
                };
                rows.push(row);
                let now = crate::clock::now();
                reports.push(service_level_report::ActiveModel {
                    commitment_id: Set(c.id),
                    period: Set(period.to_string()),
                    period_start: Set(start),
                    revision: Set(revision),
                    value: Set(reading.value.map(Exact)),
                    numerator: Set(reading.numerator.map(Exact)),
                    denominator: Set(reading.denominator.map(Exact)),
                    volume: Set(reading.volume),
                    comment: Set(Some(format!(
                        "Derived from {} life-event deliveries.",
                        reading.volume.unwrap_or(0)
                    ))),
                    submitted_by: Set(None),
                    api_token_id: Set(None),
                    submitted_at: Set(now),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                });
            }
        }
        written += reports.len();
        crate::backend::batch::insert_all(tx, reports).await?;
        results::upsert(tx, rows).await?;
    }
    Ok(written)
}

/// Re-derives the periods of every delivery still open (not acted on nor
/// declined, or not acknowledged) of the last 400 days, whose deadlines
/// may have passed since, and closes the periods no notice reached
/// ([`close_quiet_periods`]): the hourly job. Returns how many new values
/// were written.
pub async fn rederive_open<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    today: NaiveDate,
) -> ServiceResult<usize> {
    use life_event_delivery::Column as D;
    use sea_orm::sea_query::Condition;
    let open = life_event_delivery::Entity::find()
        .filter(D::ReceivedOn.gte(today - chrono::Duration::days(400)))
        .filter(
            Condition::any().add(D::AcknowledgedOn.is_null()).add(
                Condition::all()
                    .add(D::ActedOn.is_null())
                    .add(D::DeclinedOn.is_null()),
            ),
        )
        .all(db)
        .await?;
    let moved: Vec<(i32, i32, NaiveDate)> = open
        .iter()
        .map(|d| (d.agreement_id, d.organisation_id, d.received_on))
        .collect();
    let tx = crate::backend::db::write_tx(db).await?;
    let n = rederive(&tx, &moved, today).await? + close_quiet_periods(&tx, today).await?;
    sea_orm::TransactionSession::commit(tx).await?;
    Ok(n)
}

/// Re-derives every period of every delivery of `agreements`, as known on
/// `today` (after a fixture load, on the day it loads for).
pub(crate) async fn rederive_all(
    tx: &impl ConnectionTrait,
    agreements: Vec<i32>,
    today: NaiveDate,
) -> ServiceResult<usize> {
    let moved: Vec<(i32, i32, NaiveDate)> = life_event_delivery::Entity::find()
        .filter(life_event_delivery::Column::AgreementId.is_in(agreements))
        .all(tx)
        .await?
        .iter()
        .map(|d| (d.agreement_id, d.organisation_id, d.received_on))
        .collect();
    Ok(rederive(tx, &moved, today).await? + close_quiet_periods(tx, today).await?)
}

/// Writes, for each ended period that a commitment on
/// a derived KPI owes (active agreements) and that has no value yet, a
/// derived report with nothing to judge: no notice reached the party that
/// period. It then reads as pending — a quiet month is not a missing report
/// and spends no error budget. A notice recorded later for that period
/// writes its next revision as usual. Returns how many were written.
pub(crate) async fn close_quiet_periods(
    tx: &impl ConnectionTrait,
    today: NaiveDate,
) -> ServiceResult<usize> {
    use crate::backend::entities::agreement;
    use crate::backend::services::readings::latest_revisions;
    use crate::domain::AgreementStatus;
    let kpis = results::kpis(tx).await?;
    let derived: Vec<i32> = kpis
        .values()
        .filter(|k| crate::domain::propagation::is_derived_kpi(&k.code))
        .map(|k| k.id)
        .collect();
    if derived.is_empty() {
        return Ok(0);
    }
    let active: std::collections::HashMap<i32, agreement::Model> = agreement::Entity::find()
        .filter(agreement::Column::Status.eq(AgreementStatus::Active))
        .all(tx)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let commitments = commitment::Entity::find()
        .filter(commitment::Column::KpiId.is_in(derived))
        .filter(commitment::Column::AgreementId.is_in(active.keys().copied()))
        .all(tx)
        .await?;
    let ids: Vec<i32> = commitments.iter().map(|c| c.id).collect();
    let reported = latest_revisions(tx, &ids).await?;
    let mut by_agreement: BTreeMap<i32, Vec<(i32, Period)>> = BTreeMap::new();
    for c in &commitments {
        let Some(a) = active.get(&c.agreement_id) else {
            continue;
        };
        let (from, to) =
            results::owed_window(c.effective_from, c.effective_to, a.starts_on, a.ends_on);
        for period in periods_between(c.frequency, from, to.min(today)) {
            if period.end_date(1) < today && !reported.contains_key(&(c.id, period.to_string())) {
                by_agreement.entry(a.id).or_default().push((c.id, period));
            }
        }
    }
    let mut written = 0;
    for (agreement_id, quiet) in by_agreement {
        let a = crate::backend::services::reports::lock_agreement(tx, agreement_id).await?;
        let judge = Judge::load(tx, &a, &kpis).await?;
        // As this transaction sees them now: a notice may have come since.
        let ids: Vec<i32> = quiet.iter().map(|(c, _)| *c).collect();
        let now_reported = latest_revisions(tx, &ids).await?;
        let nothing = Reading {
            volume: Some(0),
            ..Reading::default()
        };
        let mut reports = Vec::new();
        let mut rows = Vec::new();
        for (c, period) in quiet {
            if now_reported.contains_key(&(c, period.to_string())) {
                continue;
            }
            let Some((row, _)) = judge.result(c, period, Some((1, &nothing)))? else {
                continue;
            };
            rows.push(row);
            let now = crate::clock::now();
            reports.push(service_level_report::ActiveModel {
                commitment_id: Set(c),
                period: Set(period.to_string()),
                period_start: Set(period.start_date(1)),
                revision: Set(1),
                value: Set(None),
                numerator: Set(None),
                denominator: Set(None),
                volume: Set(Some(0)),
                comment: Set(Some(
                    "No life-event notice reached this party in the period: nothing to judge."
                        .into(),
                )),
                submitted_by: Set(None),
                api_token_id: Set(None),
                submitted_at: Set(now),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            });
        }
        written += reports.len();
        crate::backend::batch::insert_all(tx, reports).await?;
        results::upsert(tx, rows).await?;
    }
    Ok(written)
}

/// The derived KPIs: code, English and French names.
const DERIVED: [(&str, &str, &str); 2] = [
    (
        ACKNOWLEDGED_KPI,
        "Life-event notices acknowledged in target",
        "Avis d'événement de vie accusés dans le délai cible",
    ),
    (
        ACTED_KPI,
        "Life-event notices acted on in target",
        "Avis d'événement de vie traités dans le délai cible",
    ),
];

/// Adds the two derived KPIs to the catalogue when it lacks them, so that
/// any installation can commit to them: the server does at start. Returns
/// how many were added.
pub async fn ensure_derived_kpis(db: &impl ConnectionTrait) -> ServiceResult<usize> {
    crate::backend::services::admin::ensure_derived(db, &DERIVED).await
}
