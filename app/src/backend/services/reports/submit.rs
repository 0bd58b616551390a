//! Submitting reports: one at a time (form, API, API token) or a CSV of
//! many, all rows or none. A correction is a new revision.

use super::checks::{Checked, Reportable, check_report, push, reportables, reporter};
use super::{kind, today};
use crate::backend::audit::{self, Event};
use crate::backend::csv_table;
use crate::backend::entities::{agreement, service_level_report, user};
use crate::backend::exact::Exact;
use crate::backend::services::Ctx;
use crate::backend::services::notifications::{self, party_users};
use crate::backend::services::readings::latest_revisions;
use crate::backend::{ServiceError, ServiceResult};
use crate::domain::Role;
use crate::domain::compliance::Status;
use crate::wire::cost::ImportOutcome;
use crate::wire::reports::*;
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QuerySelect, TransactionSession, TransactionTrait,
};
use serde_json::json;
use std::collections::{HashMap, HashSet};

/// Submits one report: the next revision for its commitment and period.
///
/// Fails with `Forbidden` for roles that do not report, `NotFound` for a
/// commitment the caller's organisation is not responsible for (whether
/// or not it exists), and `Validation` for a bad period or an implausible
/// value.
#[tracing::instrument(skip(ctx, db, params))]
pub async fn submit<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    params: ReportParams,
) -> ServiceResult<ReportReceipt> {
    reporter(ctx)?;
    let mut found = reportables(ctx, db, Some(params.commitment_id)).await?;
    let r = found
        .remove(&params.commitment_id)
        .ok_or(ServiceError::NotFound)?;
    let mut errors = Vec::new();
    let Some(checked) = check_report(&mut errors, None, &params, &r, today())? else {
        return Err(ServiceError::validation(
            format!(
                "{} problem(s) in the report; nothing was saved.",
                errors.len()
            ),
            errors,
        ));
    };
    let kpis = crate::backend::services::results::kpis(db).await?;

    // Two submissions for the same period at once: the unique index
    // decides and the loser takes the next revision.
    for _ in 0..5 {
        let tx = crate::backend::db::write_tx(db).await?;
        // Judged under the terms in force as this transaction sees them: a
        // change of terms (which re-judges) waits for it, or it for that.
        let a = lock_agreement(&tx, r.agreement.id).await?;
        let judge = crate::backend::services::results::Judge::load(&tx, &a, &kpis).await?;
        let key = (r.commitment.id, checked.period.to_string());
        let revision = latest_revisions(&tx, &[r.commitment.id])
            .await?
            .get(&key)
            .copied()
            .unwrap_or(0)
            + 1;
        let saved = match report_row(ctx, &checked, r.commitment.id, revision)
            .insert(&tx)
            .await
        {
            Ok(m) => m,
            Err(e) if crate::backend::error::is_unique_violation(&e) => continue,
            Err(e) => return Err(e.into()),
        };
        let status = match judge.result(
            r.commitment.id,
            checked.period,
            Some((revision, &checked.reading)),
        )? {
            Some((row, status)) => {
                crate::backend::services::results::upsert(&tx, vec![row]).await?;
                status
            }
            None => Status::Pending,
        };
        audit::record(
            &tx,
            ctx,
            Event {
                action: "report.submit",
                entity: "service_level_report",
                entity_id: Some(saved.id),
                before: None,
                after: Some(json!({
                    "commitment_id": saved.commitment_id, "period": saved.period,
                    "revision": saved.revision, "status": status.as_str()
                })),
            },
        )
        .await?;
        if status == Status::Breached {
            let mut users = party_users(&tx, r.agreement.id, &[Role::Manager], None).await?;
            users.extend(
                user::Entity::find()
                    .filter(user::Column::OrganisationId.eq(r.commitment.organisation_id))
                    .filter(user::Column::Role.eq(Role::Reporter))
                    .filter(user::Column::Disabled.eq(false))
                    .all(&tx)
                    .await?
                    .into_iter()
                    .map(|u| u.id),
            );
            users.sort_unstable();
            users.dedup();
            let subject = format!("{} {} {}", r.agreement.reference, r.code, saved.period);
            notifications::notify_in_language(&tx, &users, kind::BREACH, r.agreement.id, |lang| {
                notifications::about(lang, &subject, notifications::Said::Breached)
            })
            .await?;
        }
        tx.commit().await?;
        return Ok(ReportReceipt {
            id: saved.id,
            commitment_id: saved.commitment_id,
            period: saved.period,
            revision: saved.revision,
            compliance: ComplianceStatus { status },
        });
    }
    Err(ServiceError::Conflict(
        "Too many reports for this period at once; try again.".into(),
    ))
}

/// Agreement `id` as `tx` sees it, holding its row lock for the rest of
/// `tx` on PostgreSQL, so that reports and changes of terms judge one after
/// the other (SQLite's write transactions are serial already).
pub(crate) async fn lock_agreement(
    tx: &impl ConnectionTrait,
    id: i32,
) -> ServiceResult<agreement::Model> {
    let mut q = agreement::Entity::find_by_id(id);
    if tx.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        q = q.lock_exclusive();
    }
    q.one(tx).await?.ok_or(ServiceError::NotFound)
}

/// Imports reports from CSV (`commitment_id,period,value,numerator,
/// denominator,volume,comment`): all rows or none. A row for a period
/// already reported is its next revision; the same commitment and period
/// twice in one file is refused.
///
/// Fails with `Forbidden` for roles that do not report and `Validation`
/// listing every bad row by line (the header is line 1); nothing is
/// written then.
#[tracing::instrument(skip(ctx, db, bytes))]
pub async fn import<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    bytes: &[u8],
) -> ServiceResult<ImportOutcome> {
    reporter(ctx)?;
    let t = csv_table::read(
        bytes,
        &["commitment_id", "period"],
        &["value", "numerator", "denominator", "volume", "comment"],
    )?;
    let found = reportables(ctx, db, None).await?;
    let checked = check_rows(&t, &found, today())?;
    let ids: Vec<i32> = {
        let set: HashSet<i32> = checked.iter().map(|(id, _)| *id).collect();
        set.into_iter().collect()
    };
    let n = checked.len();
    let kpis = crate::backend::services::results::kpis(db).await?;
    let tx = crate::backend::db::write_tx(db).await?;
    // Each agreement's results are judged as this transaction sees its
    // terms (see `submit`).
    let mut judges: HashMap<i32, crate::backend::services::results::Judge> = HashMap::new();
    let mut agreements: Vec<i32> = ids
        .iter()
        .filter_map(|id| found.get(id).map(|r| r.agreement.id))
        .collect();
    agreements.sort_unstable();
    agreements.dedup();
    for a in agreements {
        let model = lock_agreement(&tx, a).await?;
        judges.insert(
            a,
            crate::backend::services::results::Judge::load(&tx, &model, &kpis).await?,
        );
    }
    let latest = latest_revisions(&tx, &ids).await?;
    let mut rows = Vec::with_capacity(n);
    let mut results = Vec::with_capacity(n);
    for (id, c) in &checked {
        let revision = latest
            .get(&(*id, c.period.to_string()))
            .copied()
            .unwrap_or(0)
            + 1;
        rows.push(report_row(ctx, c, *id, revision));
        if let Some(judge) = found.get(id).and_then(|r| judges.get(&r.agreement.id))
            && let Some((row, _)) = judge.result(*id, c.period, Some((revision, &c.reading)))?
        {
            results.push(row);
        }
    }
    crate::backend::batch::insert_all(&tx, rows).await?;
    crate::backend::services::results::upsert(&tx, results).await?;
    audit::commit(
        tx,
        ctx,
        Event {
            action: "reports.import",
            entity: "service_level_report",
            entity_id: None,
            before: None,
            after: Some(json!({ "imported": n, "commitments": ids })),
        },
    )
    .await?;
    Ok(ImportOutcome { imported: n })
}

fn report_row(
    ctx: &Ctx,
    c: &Checked,
    commitment_id: i32,
    revision: i32,
) -> service_level_report::ActiveModel {
    let now = crate::clock::now();
    let actor = ctx.actor.as_ref();
    service_level_report::ActiveModel {
        commitment_id: Set(commitment_id),
        period: Set(c.period.to_string()),
        period_start: Set(c.period.start_date(1)),
        revision: Set(revision),
        value: Set(c.reading.value.map(Exact)),
        numerator: Set(c.reading.numerator.map(Exact)),
        denominator: Set(c.reading.denominator.map(Exact)),
        volume: Set(c.reading.volume),
        comment: Set(c.comment.clone()),
        submitted_by: Set(actor.and_then(|a| a.user_id())),
        api_token_id: Set(actor.and_then(|a| a.api_token_id())),
        submitted_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// Every row of an uploaded table, checked as one report each; a
/// commitment and period named twice is refused at its second line.
/// Fails with every problem, by line, when any row has one.
fn check_rows(
    t: &csv_table::CsvTable,
    found: &HashMap<i32, Reportable>,
    today: NaiveDate,
) -> ServiceResult<Vec<(i32, Checked)>> {
    let mut errors = Vec::new();
    let mut checked = Vec::with_capacity(t.rows.len());
    let mut seen: HashMap<(i32, String), u64> = HashMap::new();
    for row in &t.rows {
        let line = Some(row.line);
        let Some(id_text) = t.get(row, "commitment_id") else {
            push(&mut errors, line, "commitment_id", "This cell is empty.");
            continue;
        };
        let Some(r) = id_text.parse::<i32>().ok().and_then(|id| found.get(&id)) else {
            push(
                &mut errors,
                line,
                "commitment_id",
                format!("Your organisation reports on no commitment '{id_text}'."),
            );
            continue;
        };
        let Some(period) = t.get(row, "period") else {
            push(&mut errors, line, "period", "This cell is empty.");
            continue;
        };
        let volume = match t.get(row, "volume").map(str::parse::<i64>) {
            None => None,
            Some(Ok(v)) => Some(v),
            Some(Err(_)) => {
                push(&mut errors, line, "volume", "A volume is a whole number.");
                continue;
            }
        };
        let cell = |c: &str| t.get(row, c).map(|v| Num::Text(v.to_owned()));
        let params = ReportParams {
            commitment_id: r.commitment.id,
            period: period.to_owned(),
            value: cell("value"),
            numerator: cell("numerator"),
            denominator: cell("denominator"),
            volume,
            comment: t.get(row, "comment").map(str::to_owned),
        };
        if let Some(c) = check_report(&mut errors, line, &params, r, today)? {
            let key = (r.commitment.id, c.period.to_string());
            if let Some(first) = seen.insert(key, row.line) {
                push(
                    &mut errors,
                    line,
                    "period",
                    format!("Line {first} already reports this commitment and period."),
                );
                continue;
            }
            checked.push((r.commitment.id, c));
        }
    }
    if !errors.is_empty() {
        return Err(csv_table::refused(errors));
    }
    if checked.is_empty() {
        return Err(csv_table::empty());
    }
    Ok(checked)
}
