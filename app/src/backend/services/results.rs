//! Every period each commitment owes over its term
//! (`commitment_periods`), with the judged result of its latest report —
//! judged under the terms in force on the period's first day — or marked
//! unreported, its due date, and the commitment's agreement, party, KPI and
//! channel. A report's row is written in the same transaction as the
//! report (one by one or imported); an agreement's rows are re-judged in
//! the same transaction as any change to its terms or to which version is
//! in force. Benchmarks then aggregate in SQL over exact, current rows
//! instead of judging every report on every request; whether an
//! unreported period is missing (past its due date) is decided when read.

use super::reports::{
    CommitmentVersions, commitment_versions, latest_readings, target_of, terms_on,
};
use super::stored;
use crate::api::agreements::CommitmentView;
use crate::backend::ServiceResult;
use crate::backend::entities::{
    agreement, agreement_period_total, commitment, commitment_period, kpi, service_level_report,
};
use crate::backend::exact::Exact;
use crate::domain::compliance::{Reading, Status, due_date, judge};
use crate::domain::{KpiDirection, Period, periods_between};
use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
};
use std::collections::HashMap;

/// The first and last day of a commitment's term (from `effective_from`
/// to `effective_to`, open-ended) within its agreement's (`starts_on` to
/// `ends_on`): the periods overlapping them are the ones it owes.
pub(crate) fn owed_window(
    effective_from: NaiveDate,
    effective_to: Option<NaiveDate>,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
) -> (NaiveDate, NaiveDate) {
    let from = effective_from.max(starts_on);
    let to = effective_to.unwrap_or(ends_on).min(ends_on);
    (from, to)
}

/// Judges the reports of one agreement's commitments: its governing
/// versions, its current commitments and their KPIs' directions.
pub(crate) struct Judge {
    agreement: agreement::Model,
    versions: CommitmentVersions,
    commitments: HashMap<i32, (CommitmentView, i32, KpiDirection)>,
}

impl Judge {
    /// Loads what judging agreement `a`'s reports needs.
    pub(crate) async fn load(
        db: &impl ConnectionTrait,
        a: &agreement::Model,
        kpis: &HashMap<i32, kpi::Model>,
    ) -> ServiceResult<Self> {
        let versions = commitment_versions(db, a).await?;
        let mut commitments = HashMap::new();
        for c in commitment::Entity::find()
            .filter(commitment::Column::AgreementId.eq(a.id))
            .all(db)
            .await?
        {
            let Some(k) = kpis.get(&c.kpi_id) else {
                continue;
            };
            let direction: KpiDirection = stored(&k.direction, "kpis.direction")?;
            let view = super::agreements::commitment_view(&c, k)?;
            commitments.insert(c.id, (view, k.id, direction));
        }
        Ok(Judge {
            agreement: a.clone(),
            versions,
            commitments,
        })
    }

    /// The commitment ids judged here.
    pub(crate) fn commitment_ids(&self) -> Vec<i32> {
        self.commitments.keys().copied().collect()
    }

    /// The periods each commitment owes over its whole term.
    pub(crate) fn owed(&self) -> Vec<(i32, Period)> {
        let a = &self.agreement;
        let mut out = Vec::new();
        for (id, (c, _, _)) in &self.commitments {
            let (from, to) = owed_window(c.effective_from, c.effective_to, a.starts_on, a.ends_on);
            out.extend(
                periods_between(c.frequency, from, to)
                    .into_iter()
                    .map(|p| (*id, p)),
            );
        }
        out
    }

    /// The row of `commitment_id` for `period` given its latest report
    /// (revision and reading), or unreported; and its status (`Pending`
    /// when unreported). `None` when the commitment does not owe that
    /// period (another frequency, or outside its term).
    pub(crate) fn result(
        &self,
        commitment_id: i32,
        period: Period,
        latest: Option<(i32, &Reading)>,
    ) -> ServiceResult<Option<(commitment_period::ActiveModel, Status)>> {
        let Some((c, kpi_id, direction)) = self.commitments.get(&commitment_id) else {
            return Ok(None);
        };
        let (start, end) = (period.start_date(1), period.end_date(1));
        let a = &self.agreement;
        let (from, to) = owed_window(c.effective_from, c.effective_to, a.starts_on, a.ends_on);
        let owed = end >= from && start <= to && period.frequency() == c.frequency;
        if !owed {
            return Ok(None);
        }
        let terms = terms_on(&self.versions, c, start);
        let status = match latest.and_then(|(_, r)| r.value()) {
            Some(v) => judge(v, &target_of(terms, *direction)?),
            None => Status::Pending,
        };
        let flag = |s: Status| i16::from(latest.is_some() && status == s);
        let reading = latest.map(|(_, r)| *r).unwrap_or_default();
        let now = Utc::now();
        Ok(Some((
            commitment_period::ActiveModel {
                commitment_id: Set(commitment_id),
                agreement_id: Set(a.id),
                organisation_id: Set(c.organisation_id),
                kpi_id: Set(*kpi_id),
                channel: Set(c.channel.map(|ch| ch.as_str().to_owned())),
                period: Set(period.to_string()),
                period_start: Set(start),
                period_end: Set(end),
                due_on: Set(due_date(end, terms.grace_days)),
                revision: Set(latest.map_or(0, |(rev, _)| rev)),
                status: Set(if latest.is_some() {
                    status.as_str().to_owned()
                } else {
                    UNREPORTED.to_owned()
                }),
                met: Set(flag(Status::Met)),
                at_risk: Set(flag(Status::AtRisk)),
                breached: Set(flag(Status::Breached)),
                unreported: Set(i16::from(latest.is_none())),
                value: Set(reading.value.map(Exact)),
                numerator: Set(reading.numerator.map(Exact)),
                denominator: Set(reading.denominator.map(Exact)),
                volume: Set(reading.volume),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            },
            status,
        )))
    }
}

/// The status text of an owed period without a report.
pub(crate) const UNREPORTED: &str = "unreported";

/// Every KPI by id.
pub(crate) async fn kpis(db: &impl ConnectionTrait) -> ServiceResult<HashMap<i32, kpi::Model>> {
    Ok(kpi::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|k| (k.id, k))
        .collect())
}

/// A row's flags: met, at risk, breached, unreported.
type Flags = [i32; 4];

fn flags_of(row: &commitment_period::ActiveModel) -> Flags {
    let get = |v: &sea_orm::ActiveValue<i16>| match v {
        Set(x) | sea_orm::ActiveValue::Unchanged(x) => i32::from(*x),
        sea_orm::ActiveValue::NotSet => 0,
    };
    [
        get(&row.met),
        get(&row.at_risk),
        get(&row.breached),
        get(&row.unreported),
    ]
}

fn value_of<T: Clone + Into<sea_orm::Value>>(v: &sea_orm::ActiveValue<T>) -> Option<T> {
    match v {
        Set(x) | sea_orm::ActiveValue::Unchanged(x) => Some(x.clone()),
        sea_orm::ActiveValue::NotSet => None,
    }
}

/// An agreement's totals key: agreement, period start and end.
type TotalsKey = (i32, NaiveDate, NaiveDate);

/// Writes `rows`, each replacing the row of the same commitment and period
/// if there is one, and moves their agreements' totals by the difference.
pub(crate) async fn upsert(
    tx: &impl ConnectionTrait,
    rows: Vec<commitment_period::ActiveModel>,
) -> ServiceResult<()> {
    use commitment_period::Column as C;
    // The flags of the rows being replaced.
    let mut commitments: Vec<i32> = rows
        .iter()
        .filter_map(|r| value_of(&r.commitment_id))
        .collect();
    commitments.sort_unstable();
    commitments.dedup();
    let mut old: HashMap<(i32, String), Flags> = HashMap::new();
    for chunk in commitments.chunks(500) {
        let found: Vec<(i32, String, i16, i16, i16, i16)> = commitment_period::Entity::find()
            .filter(C::CommitmentId.is_in(chunk.to_vec()))
            .select_only()
            .columns([
                C::CommitmentId,
                C::Period,
                C::Met,
                C::AtRisk,
                C::Breached,
                C::Unreported,
            ])
            .into_tuple()
            .all(tx)
            .await?;
        for (c, p, m, r, b, u) in found {
            old.insert((c, p), [m, r, b, u].map(i32::from));
        }
    }
    let mut deltas: HashMap<TotalsKey, (Flags, NaiveDate)> = HashMap::new();
    for row in &rows {
        let (Some(a), Some(c), Some(p), Some(start), Some(end), Some(due)) = (
            value_of(&row.agreement_id),
            value_of(&row.commitment_id),
            value_of(&row.period),
            value_of(&row.period_start),
            value_of(&row.period_end),
            value_of(&row.due_on),
        ) else {
            continue;
        };
        let new = flags_of(row);
        let before = old.get(&(c, p)).copied().unwrap_or_default();
        let slot = deltas.entry((a, start, end)).or_insert(([0; 4], due));
        for i in 0..4 {
            slot.0[i] += new[i] - before[i];
        }
        slot.1 = slot.1.max(due);
    }
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        // 22 parameters a row: 500 rows stay under SQLite's limit.
        let chunk: Vec<_> = rows.by_ref().take(500).collect();
        commitment_period::Entity::insert_many(chunk)
            .on_conflict(
                OnConflict::columns([C::CommitmentId, C::Period])
                    .update_columns([
                        C::AgreementId,
                        C::OrganisationId,
                        C::KpiId,
                        C::Channel,
                        C::PeriodStart,
                        C::PeriodEnd,
                        C::DueOn,
                        C::Revision,
                        C::Status,
                        C::Met,
                        C::AtRisk,
                        C::Breached,
                        C::Unreported,
                        C::Value,
                        C::Numerator,
                        C::Denominator,
                        C::Volume,
                        C::UpdatedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(tx)
            .await?;
    }
    add_totals(tx, deltas).await
}

/// Adds `deltas` to the agreements' totals, creating the missing ones.
async fn add_totals(
    tx: &impl ConnectionTrait,
    deltas: HashMap<TotalsKey, (Flags, NaiveDate)>,
) -> ServiceResult<()> {
    use agreement_period_total::Column as T;
    use sea_orm::sea_query::{Expr, ExprTrait};
    let now = Utc::now();
    let rows: Vec<agreement_period_total::ActiveModel> = deltas
        .into_iter()
        .map(
            |((a, start, end), (f, due))| agreement_period_total::ActiveModel {
                agreement_id: Set(a),
                period_start: Set(start),
                period_end: Set(end),
                met: Set(f[0]),
                at_risk: Set(f[1]),
                breached: Set(f[2]),
                unreported: Set(f[3]),
                max_due_on: Set(due),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            },
        )
        .collect();
    let table = agreement_period_total::Entity;
    let plus = |c: T, name: &str| Expr::col((table, c)).add(Expr::cust(format!("excluded.{name}")));
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(500).collect();
        agreement_period_total::Entity::insert_many(chunk)
            .on_conflict(
                OnConflict::columns([T::AgreementId, T::PeriodStart, T::PeriodEnd])
                    .value(T::Met, plus(T::Met, "met"))
                    .value(T::AtRisk, plus(T::AtRisk, "at_risk"))
                    .value(T::Breached, plus(T::Breached, "breached"))
                    .value(T::Unreported, plus(T::Unreported, "unreported"))
                    .value(
                        T::MaxDueOn,
                        Expr::case(
                            Expr::cust("excluded.max_due_on").gt(Expr::col((table, T::MaxDueOn))),
                            Expr::cust("excluded.max_due_on"),
                        )
                        .finally(Expr::col((table, T::MaxDueOn))),
                    )
                    .update_column(T::UpdatedAt)
                    .to_owned(),
            )
            .exec_without_returning(tx)
            .await?;
    }
    Ok(())
}

/// Re-judges every reported commitment-period of the agreements `ids`
/// from their reports, in the caller's transaction.
pub(crate) async fn rebuild(tx: &impl ConnectionTrait, ids: &[i32]) -> ServiceResult<()> {
    let kpis = kpis(tx).await?;
    for chunk in ids.chunks(500) {
        commitment_period::Entity::delete_many()
            .filter(commitment_period::Column::AgreementId.is_in(chunk.to_vec()))
            .exec(tx)
            .await?;
        agreement_period_total::Entity::delete_many()
            .filter(agreement_period_total::Column::AgreementId.is_in(chunk.to_vec()))
            .exec(tx)
            .await?;
    }
    for id in ids {
        let Some(a) = agreement::Entity::find_by_id(*id).one(tx).await? else {
            continue;
        };
        let judge = Judge::load(tx, &a, &kpis).await?;
        let commitment_ids = judge.commitment_ids();
        if commitment_ids.is_empty() {
            continue;
        }
        let rows = service_level_report::Entity::find()
            .filter(service_level_report::Column::CommitmentId.is_in(commitment_ids))
            .select_only()
            .column(service_level_report::Column::CommitmentId)
            .column(service_level_report::Column::Period)
            .column(service_level_report::Column::Revision)
            .column(service_level_report::Column::Value)
            .column(service_level_report::Column::Numerator)
            .column(service_level_report::Column::Denominator)
            .column(service_level_report::Column::Volume)
            .into_tuple()
            .all(tx)
            .await?;
        let latest = latest_readings(rows, |_| true);
        let mut out = Vec::new();
        for (commitment_id, period) in judge.owed() {
            let report = latest
                .get(&(commitment_id, period.to_string()))
                .map(|(rev, reading)| (*rev, reading));
            if let Some((row, _)) = judge.result(commitment_id, period, report)? {
                out.push(row);
            }
        }
        upsert(tx, out).await?;
    }
    Ok(())
}

/// Re-judges every agreement's results.
pub async fn rebuild_all(tx: &impl ConnectionTrait) -> ServiceResult<()> {
    let ids: Vec<i32> = agreement::Entity::find()
        .select_only()
        .column(agreement::Column::Id)
        .into_tuple()
        .all(tx)
        .await?;
    rebuild(tx, &ids).await
}

/// Fills the rows from the commitments and reports when there are
/// commitments but no rows (a database migrated from before they were
/// kept); true if it did.
///
/// Fails when the database does.
pub async fn backfill<C>(db: &C) -> ServiceResult<bool>
where
    C: ConnectionTrait + sea_orm::TransactionTrait,
{
    use sea_orm::TransactionSession;
    let has_rows = commitment_period::Entity::find().one(db).await?.is_some();
    let has_commitments = commitment::Entity::find().one(db).await?.is_some();
    if has_rows || !has_commitments {
        return Ok(false);
    }
    let tx = crate::backend::db::write_tx(db).await?;
    rebuild_all(&tx).await?;
    tx.commit().await?;
    Ok(true)
}
