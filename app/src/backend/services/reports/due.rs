//! What a reporter's organisation owes: the reporting home, and the
//! reminders sent when a report falls due.

use super::checks::reportables;
use super::{kind, today};
use crate::backend::ServiceResult;
use crate::backend::entities::{agreement, commitment, kpi, user};
use crate::backend::services::notifications::{self};
use crate::backend::services::readings::latest_revisions;
use crate::backend::services::{Ctx, plain_decimal};
use crate::domain::Lang;
use crate::domain::compliance::{Status, due_date, unreported};
use crate::domain::{AgreementStatus, Frequency, Role, periods_between};
use crate::wire::reports::*;
use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionSession, TransactionTrait,
};
use std::collections::{HashMap, HashSet};

/// What the caller's organisation owes for the commitments it is
/// responsible for on active agreements: periods ended and still within
/// grace (due), and periods past grace without a report (missing, newest
/// first, at most 100).
///
/// Fails with `Unauthenticated` for anonymous callers.
pub async fn home(ctx: &Ctx, db: &impl ConnectionTrait) -> ServiceResult<ReportingHome> {
    ctx.actor()?;
    let found = reportables(ctx, db, None).await?;
    let today = today();
    let ids: Vec<i32> = found.keys().copied().collect();
    let reported: HashSet<(i32, String)> = latest_revisions(db, &ids).await?.into_keys().collect();
    let kpis: HashMap<String, kpi::Model> = kpi::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|k| (k.code.clone(), k))
        .collect();
    let (mut due, mut missing) = (Vec::new(), Vec::new());
    for r in found.values() {
        let status: AgreementStatus = r.agreement.status;
        if status != AgreementStatus::Active {
            continue;
        }
        let c = &r.commitment;
        let frequency = r.frequency()?;
        let from = c.effective_from.max(r.agreement.starts_on);
        let to = c
            .effective_to
            .unwrap_or(r.agreement.ends_on)
            .min(r.agreement.ends_on)
            .min(today);
        let k = kpis.get(&r.code);
        for period in periods_between(frequency, from, to) {
            let end = period.end_date(1);
            if end > today || reported.contains(&(c.id, period.to_string())) {
                continue;
            }
            let status = unreported(end, c.grace_days, today);
            let item = DueItem {
                commitment_id: c.id,
                agreement_id: r.agreement.id,
                reference: r.agreement.reference.clone(),
                kpi: r.code.clone(),
                kpi_name: k.map(|k| k.name.clone()).unwrap_or_default(),
                kpi_name_fr: k.and_then(|k| k.name_fr.clone()),
                unit: r.unit,
                is_ratio: r.is_ratio,
                channel: c.channel,
                period: period.to_string(),
                due_on: due_date(end, c.grace_days),
                status,
                target: plain_decimal(c.target.0),
            };
            if status == Status::Missing {
                missing.push(item);
            } else {
                due.push(item);
            }
        }
    }
    due.sort_by(|a, b| {
        a.due_on
            .cmp(&b.due_on)
            .then(a.commitment_id.cmp(&b.commitment_id))
    });
    missing.sort_by(|a, b| {
        b.due_on
            .cmp(&a.due_on)
            .then(a.commitment_id.cmp(&b.commitment_id))
    });
    missing.truncate(100);
    Ok(ReportingHome { due, missing })
}

/// Tells reporters (and, once a report is missing, managers) of each
/// responsible organisation about the latest period of every commitment on
/// an active agreement: due (ended, within grace, no report) or missing
/// (grace passed within the last 31 days, no report). Each message is sent
/// once per user, so the hourly job may run on several servers.
///
/// Returns how many notifications were written.
pub async fn notify_due<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    today: NaiveDate,
) -> ServiceResult<usize> {
    use crate::backend::entities::notification;
    let active: HashMap<i32, agreement::Model> = agreement::Entity::find()
        .filter(agreement::Column::Status.eq(AgreementStatus::Active))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let commitments = commitment::Entity::find()
        .filter(commitment::Column::AgreementId.is_in(active.keys().copied().collect::<Vec<_>>()))
        .all(db)
        .await?;
    let ids: Vec<i32> = commitments.iter().map(|c| c.id).collect();
    let reported: HashSet<(i32, String)> = latest_revisions(db, &ids).await?.into_keys().collect();
    let kpis: HashMap<i32, String> = kpi::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|k| (k.id, k.code))
        .collect();
    let mut written = 0;
    let tx = crate::backend::db::write_tx(db).await?;
    for c in &commitments {
        let Some(a) = active.get(&c.agreement_id) else {
            continue;
        };
        // Derived from deliveries: never due from anyone.
        if kpis
            .get(&c.kpi_id)
            .is_some_and(|code| crate::domain::propagation::is_derived_kpi(code))
        {
            continue;
        }
        let frequency: Frequency = c.frequency;
        let from = c
            .effective_from
            .max(a.starts_on)
            .max(today - chrono::Duration::days(500));
        let to = c
            .effective_to
            .unwrap_or(a.ends_on)
            .min(a.ends_on)
            .min(today);
        for period in periods_between(frequency, from, to) {
            let end = period.end_date(1);
            let due = due_date(end, c.grace_days);
            if end > today
                || today > due + chrono::Duration::days(31)
                || reported.contains(&(c.id, period.to_string()))
            {
                continue;
            }
            let missing = unreported(end, c.grace_days, today) == Status::Missing;
            let roles: &[Role] = if missing {
                &[Role::Reporter, Role::Manager]
            } else {
                &[Role::Reporter]
            };
            let users: Vec<i32> = user::Entity::find()
                .filter(user::Column::OrganisationId.eq(c.organisation_id))
                .filter(user::Column::Role.is_in(roles.iter().copied()))
                .filter(user::Column::Disabled.eq(false))
                .all(&tx)
                .await?
                .into_iter()
                .map(|u| u.id)
                .collect();
            let k = if missing {
                kind::REPORT_MISSING
            } else {
                kind::REPORT_DUE
            };
            let subject = format!(
                "{} {} {period}",
                a.reference,
                kpis.get(&c.kpi_id).map_or("", String::as_str)
            );
            let day = due.to_string();
            let message = |lang: Lang| {
                let said = if missing {
                    notifications::Said::MissingDueBy(&day)
                } else {
                    notifications::Said::DueBy(&day)
                };
                notifications::about(lang, &subject, said)
            };
            // Already told, in whichever language.
            let already: HashSet<i32> = notification::Entity::find()
                .filter(notification::Column::Kind.eq(k))
                .filter(notification::Column::Message.is_in(Lang::ALL.iter().map(|l| message(*l))))
                .all(&tx)
                .await?
                .into_iter()
                .map(|n| n.user_id)
                .collect();
            let fresh: Vec<i32> = users.into_iter().filter(|u| !already.contains(u)).collect();
            written += fresh.len();
            notifications::notify_in_language(&tx, &fresh, k, a.id, message).await?;
        }
    }
    tx.commit().await?;
    Ok(written)
}
