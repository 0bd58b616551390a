//! Service levels (DOMAIN.md §4): commitments added to an agreement as a
//! new version; reports submitted one by one (form, API, API token) or by
//! CSV (all rows or none), each correction a new revision; compliance per
//! commitment and period under the terms in force then, with the error
//! budget of each year; and what a reporter's organisation owes.

use super::agreements::is_party;
use super::costs::reading;
use super::notifications::{self, party_users};
use super::{Ctx, plain_decimal, rfc3339, stored};
use crate::backend::audit::{self, Event};
use crate::backend::csv_table;
use crate::backend::entities::{agreement, commitment, kpi, service_level_report, user};
use crate::backend::exact::Exact;
use crate::backend::{FieldError, ServiceError, ServiceResult};
use crate::domain::compliance::{
    Reading, Status, Target, check_reading, due_date, error_budget, judge, parse_number, unreported,
};
use crate::domain::terms::Commitment;
use crate::domain::{
    AgreementStatus, Frequency, KpiDirection, KpiUnit, Period, PeriodKind, Role, periods_between,
};
use crate::wire::agreements::{AgreementView, CommitmentView};
use crate::wire::cost::ImportOutcome;
use crate::wire::negotiation::UpdateAgreementParams;
use crate::wire::reports::*;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionSession, TransactionTrait,
};
use serde_json::json;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Notification kinds of reporting.
pub mod kind {
    pub const BREACH: &str = "breach";
    pub const REPORT_DUE: &str = "report_due";
    pub const REPORT_MISSING: &str = "report_missing";
}

fn today() -> NaiveDate {
    crate::clock::today()
}

fn push(errors: &mut Vec<FieldError>, line: Option<u64>, field: &str, message: impl Into<String>) {
    errors.push(match line {
        Some(l) => FieldError::at_line(l, field, message),
        None => FieldError::new(field, message),
    });
}

/// What checking a report needs about its commitment.
struct Reportable {
    commitment: commitment::Model,
    agreement: agreement::Model,
    unit: KpiUnit,
    is_ratio: bool,
    code: String,
}

impl Reportable {
    fn frequency(&self) -> ServiceResult<Frequency> {
        Ok(stored(&self.commitment.frequency, "commitments.frequency")?)
    }
}

/// A report checked: its period and reading.
struct Checked {
    period: Period,
    reading: Reading,
    comment: Option<String>,
}

/// Checks one report against its commitment: a calendar period of the
/// commitment's frequency that has ended and lies within the agreement's
/// term and the commitment's dates; plausible values. Every problem is
/// pushed (with `line` for a CSV row).
fn check_report(
    errors: &mut Vec<FieldError>,
    line: Option<u64>,
    p: &ReportParams,
    r: &Reportable,
    today: NaiveDate,
) -> ServiceResult<Option<Checked>> {
    let before = errors.len();
    let frequency = r.frequency()?;
    let period = match Period::parse(p.period.trim()) {
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
    };
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
async fn reportables(
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
    let agreement_ids: Vec<i32> = commitments.iter().map(|c| c.agreement_id).collect();
    let agreements: HashMap<i32, agreement::Model> = agreement::Entity::find()
        .filter(agreement::Column::Id.is_in(agreement_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
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
                unit: stored(&k.unit, "kpis.unit")?,
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
fn reporter(ctx: &Ctx) -> ServiceResult<()> {
    let actor = ctx.actor()?;
    if actor.role == Role::Reporter {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// The latest revision of each (commitment, period) among `ids`.
async fn latest_revisions(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> ServiceResult<HashMap<(i32, String), i32>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i32, String, i32)> = service_level_report::Entity::find()
        .filter(service_level_report::Column::CommitmentId.is_in(ids.to_vec()))
        .select_only()
        .column(service_level_report::Column::CommitmentId)
        .column(service_level_report::Column::Period)
        .column_as(
            sea_orm::sea_query::ExprTrait::max(Expr::col(service_level_report::Column::Revision)),
            "revision",
        )
        .group_by(service_level_report::Column::CommitmentId)
        .group_by(service_level_report::Column::Period)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(c, p, r)| ((c, p), r)).collect())
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

/// The commitment's terms as the version in force on `day` recorded them;
/// `None` when that version does not hold it but another does (it was
/// added by an amendment that governs from later, so it owes nothing on
/// `day`); the current ones when no version holds it (loaded directly).
pub(crate) fn terms_on<'a>(
    versions: &'a [(super::versions::Governing, HashMap<i32, Commitment>)],
    current: &'a Commitment,
    day: NaiveDate,
) -> Option<&'a Commitment> {
    let governing: Vec<&super::versions::Governing> = versions.iter().map(|(g, _)| g).collect();
    let chosen = governing
        .iter()
        .filter(|v| v.effective_from <= day)
        .max_by_key(|v| (v.effective_from, v.number))
        .or_else(|| governing.first())
        .map(|g| g.number);
    let held = chosen
        .and_then(|n| versions.iter().find(|(g, _)| g.number == n))
        .and_then(|(_, m)| m.get(&current.id));
    match held {
        Some(terms) => Some(terms),
        None if versions.iter().any(|(_, m)| m.contains_key(&current.id)) => None,
        None => Some(current),
    }
}

pub(crate) fn target_of(c: &Commitment, direction: KpiDirection) -> ServiceResult<Target> {
    Ok(Target {
        target: c.target,
        warning_band: c.warning_band,
        direction,
    })
}

/// A report as the compliance views read it: commitment, period, revision,
/// value, numerator, denominator, volume.
pub(crate) type ReportRow = (
    i32,
    String,
    i32,
    Option<Exact>,
    Option<Exact>,
    Option<Exact>,
    Option<i64>,
);

/// Every report (each revision) of the commitments `ids`.
pub(crate) async fn report_rows(
    db: &impl ConnectionTrait,
    ids: Vec<i32>,
) -> ServiceResult<Vec<ReportRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(service_level_report::Entity::find()
        .filter(service_level_report::Column::CommitmentId.is_in(ids))
        .select_only()
        .column(service_level_report::Column::CommitmentId)
        .column(service_level_report::Column::Period)
        .column(service_level_report::Column::Revision)
        .column(service_level_report::Column::Value)
        .column(service_level_report::Column::Numerator)
        .column(service_level_report::Column::Denominator)
        .column(service_level_report::Column::Volume)
        .into_tuple()
        .all(db)
        .await?)
}

/// The latest revision's reading of each (commitment, period) among `rows`
/// whose commitment `keep` accepts.
pub(crate) fn latest_readings(
    rows: Vec<ReportRow>,
    keep: impl Fn(i32) -> bool,
) -> HashMap<(i32, String), (i32, Reading)> {
    let mut latest: HashMap<(i32, String), (i32, Reading)> = HashMap::new();
    for (c, p, rev, v, n, d, vol) in rows {
        if !keep(c) {
            continue;
        }
        let reading = Reading {
            value: v.map(|x| x.0),
            numerator: n.map(|x| x.0),
            denominator: d.map(|x| x.0),
            volume: vol,
        };
        let slot = latest.entry((c, p)).or_insert((0, reading));
        if rev >= slot.0 {
            *slot = (rev, reading);
        }
    }
    latest
}

/// The versions that have governed, each with its commitments by id.
pub(crate) type CommitmentVersions = Vec<(super::versions::Governing, HashMap<i32, Commitment>)>;

pub(crate) async fn commitment_versions(
    db: &impl ConnectionTrait,
    a: &agreement::Model,
) -> ServiceResult<CommitmentVersions> {
    let (versions, _) = super::versions::governing(db, a).await?;
    Ok(versions
        .into_iter()
        .map(|v| {
            let map = v
                .terms
                .commitments
                .iter()
                .map(|c| (c.id, c.clone()))
                .collect();
            (v, map)
        })
        .collect())
}

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
    let kpis = super::results::kpis(db).await?;

    // Two submissions for the same period at once: the unique index
    // decides and the loser takes the next revision.
    for _ in 0..5 {
        let tx = crate::backend::db::write_tx(db).await?;
        // Judged under the terms in force as this transaction sees them: a
        // change of terms (which re-judges) waits for it, or it for that.
        let a = lock_agreement(&tx, r.agreement.id).await?;
        let judge = super::results::Judge::load(&tx, &a, &kpis).await?;
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
                super::results::upsert(&tx, vec![row]).await?;
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
                    .filter(user::Column::Role.eq(Role::Reporter.as_str()))
                    .filter(user::Column::Disabled.eq(false))
                    .all(&tx)
                    .await?
                    .into_iter()
                    .map(|u| u.id),
            );
            users.sort_unstable();
            users.dedup();
            notifications::notify(
                &tx,
                &users,
                kind::BREACH,
                r.agreement.id,
                &format!(
                    "{} {} {}: breached",
                    r.agreement.reference, r.code, saved.period
                ),
            )
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
async fn lock_agreement(tx: &impl ConnectionTrait, id: i32) -> ServiceResult<agreement::Model> {
    let mut q = agreement::Entity::find_by_id(id);
    if tx.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        q = q.lock_exclusive();
    }
    q.one(tx).await?.ok_or(ServiceError::NotFound)
}

/// Inserts rows in chunks (SQLite limits a statement's parameters).
async fn insert_chunks(
    tx: &impl ConnectionTrait,
    rows: Vec<service_level_report::ActiveModel>,
) -> ServiceResult<()> {
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(1000).collect();
        service_level_report::Entity::insert_many(chunk)
            .exec_without_returning(tx)
            .await?;
    }
    Ok(())
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
    let today = today();
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
    let ids: Vec<i32> = {
        let set: HashSet<i32> = checked.iter().map(|(id, _)| *id).collect();
        set.into_iter().collect()
    };
    let n = checked.len();
    let kpis = super::results::kpis(db).await?;
    let tx = crate::backend::db::write_tx(db).await?;
    // Each agreement's results are judged as this transaction sees its
    // terms (see `submit`).
    let mut judges: HashMap<i32, super::results::Judge> = HashMap::new();
    let mut agreements: Vec<i32> = ids
        .iter()
        .filter_map(|id| found.get(id).map(|r| r.agreement.id))
        .collect();
    agreements.sort_unstable();
    agreements.dedup();
    for a in agreements {
        let model = lock_agreement(&tx, a).await?;
        judges.insert(a, super::results::Judge::load(&tx, &model, &kpis).await?);
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
    insert_chunks(&tx, rows).await?;
    super::results::upsert(&tx, results).await?;
    audit::record(
        &tx,
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
    tx.commit().await?;
    Ok(ImportOutcome { imported: n })
}

/// The fiscal (or calendar) year a period belongs to, for error budgets.
fn budget_year(start: NaiveDate, fiscal: u32) -> String {
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
    let view: AgreementView = super::agreements::get(&Ctx::system(), db, id).await?;
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
        let direction: KpiDirection = stored(&k.direction, "kpis.direction")?;
        let from = c.effective_from.max(a.starts_on);
        let to = c
            .effective_to
            .unwrap_or(a.ends_on)
            .min(a.ends_on)
            .min(today);
        let current = super::versions::commitment_of(c)?;
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
        let status: AgreementStatus = stored(&r.agreement.status, "agreements.status")?;
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
                channel: c
                    .channel
                    .as_deref()
                    .map(|ch| stored(ch, "commitments.channel"))
                    .transpose()?,
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

/// Adds a commitment to agreement `id`: a change of terms like any other,
/// so it is saved as the next version; the commitment's id stays the same
/// in later versions.
///
/// Fails with `NotFound`/`Forbidden` as term changes do, `Stale` for an
/// out-of-date `version`, and `Validation` for every bad field.
#[tracing::instrument(skip(ctx, db, p))]
pub async fn add_commitment<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    p: CommitmentParams,
) -> ServiceResult<CommitmentView> {
    super::negotiation::managing(ctx, db, id).await?;
    let mut errors = Vec::new();
    let (row, target) = commitment_row(db, id, &p, &mut errors).await?;
    let (Some((row, k)), true) = (row, errors.is_empty()) else {
        return Err(ServiceError::validation(
            format!(
                "{} problem(s) in the commitment; nothing was saved.",
                errors.len()
            ),
            errors,
        ));
    };
    let summary = p
        .change_summary
        .clone()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| format!("Adds a commitment: {} (target {target})", p.kpi.trim()));
    save_commitment(ctx, db, id, &p, summary, row, &k).await
}

/// Saves `row` (new, or changed) in the next version of agreement `id`'s
/// terms: in force at once before the first activation, proposed as an
/// amendment afterwards. Returns the commitment as recorded.
async fn save_commitment<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    p: &CommitmentParams,
    summary: String,
    row: crate::domain::terms::Commitment,
    k: &kpi::Model,
) -> ServiceResult<CommitmentView> {
    let (mut terms, version) = super::negotiation::terms_of(ctx, db, id).await?;
    terms.effective_from = p.terms_effective_from;
    let (_, saved) = super::negotiation::update_with(
        ctx,
        db,
        id,
        UpdateAgreementParams {
            terms,
            version: p.version.unwrap_or(version),
            change_summary: summary,
        },
        Some(row),
    )
    .await?;
    let saved = saved.ok_or(ServiceError::NotFound)?;
    Ok(super::agreements::commitment_terms_view(&saved, k))
}

/// A commitment of agreement `id` checked field by field (every problem
/// pushed): the commitment to save (a new one, id 0) with its KPI, and its
/// target.
async fn commitment_row(
    db: &impl ConnectionTrait,
    id: i32,
    p: &CommitmentParams,
    errors: &mut Vec<FieldError>,
) -> ServiceResult<(
    Option<(crate::domain::terms::Commitment, kpi::Model)>,
    Decimal,
)> {
    let a = agreement::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !is_party(db, id, p.organisation_id).await? {
        errors.push(FieldError::new(
            "organisation_id",
            format!(
                "Organisation {} is not a party to this agreement.",
                p.organisation_id
            ),
        ));
    }
    let k = kpi::Entity::find()
        .filter(kpi::Column::Code.eq(p.kpi.trim()))
        .one(db)
        .await?;
    if k.is_none() {
        errors.push(FieldError::new(
            "kpi",
            format!("No KPI has code '{}'.", p.kpi.trim()),
        ));
    }
    let mut number = |field: &str, v: &Num| match parse_number(&v.text()) {
        Ok(d) => Some(d),
        Err(m) => {
            errors.push(FieldError::new(field, m));
            None
        }
    };
    let target = number("target", &p.target);
    let band = p
        .warning_band
        .as_ref()
        .and_then(|b| number("warning_band", b));
    if band.is_some_and(|b| b < Decimal::ZERO) {
        errors.push(FieldError::new(
            "warning_band",
            "A warning band cannot be negative.",
        ));
    }
    if let (Some(k), Some(t)) = (&k, target) {
        let unit: KpiUnit = stored(&k.unit, "kpis.unit")?;
        if unit == KpiUnit::Percent && (t < Decimal::ZERO || t > Decimal::ONE_HUNDRED) {
            errors.push(FieldError::new("target", "A percentage is from 0 to 100."));
        } else if t < Decimal::ZERO {
            errors.push(FieldError::new("target", "A target cannot be negative."));
        }
    }
    let grace = p
        .grace_days
        .unwrap_or(crate::domain::compliance::DEFAULT_GRACE_DAYS);
    if !(0..=365).contains(&grace) {
        errors.push(FieldError::new("grace_days", "From 0 to 365 days."));
    }
    if p.effective_from < a.starts_on || p.effective_from > a.ends_on {
        errors.push(FieldError::new(
            "effective_from",
            "The commitment must start within the agreement's term.",
        ));
    }
    if p.effective_to.is_some_and(|to| to < p.effective_from) {
        errors.push(FieldError::new(
            "effective_to",
            "The commitment cannot end before it starts.",
        ));
    }
    if p.allowed_misses.is_some_and(|m| m < 0) {
        errors.push(FieldError::new("allowed_misses", "Cannot be negative."));
    }
    let (Some(k), Some(target)) = (k, target) else {
        return Ok((None, Decimal::ZERO));
    };
    Ok((
        Some((
            crate::domain::terms::Commitment {
                id: 0,
                organisation_id: p.organisation_id,
                kpi: k.code.clone(),
                target,
                warning_band: band,
                channel: p.channel,
                frequency: p.frequency,
                grace_days: grace,
                effective_from: p.effective_from,
                effective_to: p.effective_to,
                allowed_misses: p.allowed_misses,
            },
            k,
        )),
        target,
    ))
}

/// Changes a commitment's terms (target, band, channel, frequency, grace,
/// dates, allowed misses; its party and KPI stay): a change of terms, saved
/// as the next version. The commitment keeps its id; earlier periods stay
/// judged under the version in force then.
///
/// Fails as [`add_commitment`] does, and with `NotFound` for a commitment
/// of another agreement.
#[tracing::instrument(skip(ctx, db, p))]
pub async fn update_commitment<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    commitment_id: i32,
    p: CommitmentParams,
) -> ServiceResult<CommitmentView> {
    super::negotiation::managing(ctx, db, id).await?;
    // The commitment as the terms the change is based on record it: in
    // force, or already proposed by the pending amendment.
    let existing = super::negotiation::commitment_in_base(ctx, db, id, commitment_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let mut errors = Vec::new();
    if p.organisation_id != existing.organisation_id || p.kpi.trim() != existing.kpi {
        errors.push(FieldError::new(
            "kpi",
            "A commitment's party and KPI cannot change: end it and add another.",
        ));
    }
    let (row, target) = commitment_row(db, id, &p, &mut errors).await?;
    let (Some((mut row, k)), true) = (row, errors.is_empty()) else {
        return Err(ServiceError::validation(
            format!(
                "{} problem(s) in the commitment; nothing was saved.",
                errors.len()
            ),
            errors,
        ));
    };
    row.id = commitment_id;
    let summary = p
        .change_summary
        .clone()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| format!("Changes the {} commitment (target {target})", k.code));
    save_commitment(ctx, db, id, &p, summary, row, &k).await
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
        .filter(agreement::Column::Status.eq(AgreementStatus::Active.as_str()))
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
        let frequency: Frequency = stored(&c.frequency, "commitments.frequency")?;
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
                .filter(user::Column::Role.is_in(roles.iter().map(|r| r.as_str())))
                .filter(user::Column::Disabled.eq(false))
                .all(&tx)
                .await?
                .into_iter()
                .map(|u| u.id)
                .collect();
            let (k, message) = if missing {
                (
                    kind::REPORT_MISSING,
                    format!(
                        "{} {} {}: missing (was due by {due})",
                        a.reference,
                        kpis.get(&c.kpi_id).map_or("", String::as_str),
                        period
                    ),
                )
            } else {
                (
                    kind::REPORT_DUE,
                    format!(
                        "{} {} {}: due by {due}",
                        a.reference,
                        kpis.get(&c.kpi_id).map_or("", String::as_str),
                        period
                    ),
                )
            };
            let already: HashSet<i32> = notification::Entity::find()
                .filter(notification::Column::Kind.eq(k))
                .filter(notification::Column::Message.eq(message.as_str()))
                .all(&tx)
                .await?
                .into_iter()
                .map(|n| n.user_id)
                .collect();
            let fresh: Vec<i32> = users.into_iter().filter(|u| !already.contains(u)).collect();
            written += fresh.len();
            notifications::notify(&tx, &fresh, k, a.id, &message).await?;
        }
    }
    tx.commit().await?;
    Ok(written)
}
