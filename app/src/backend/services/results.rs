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

use super::readings::{
    CommitmentVersions, commitment_versions, latest_readings, report_rows, target_of, terms_on,
};
use crate::backend::ServiceResult;
use crate::backend::entities::{
    agreement, agreement_period_total, commitment, commitment_period, dimension_period_total, kpi,
};
use crate::backend::exact::Exact;
use crate::domain::compliance::{Reading, Status, due_date, judge};
use crate::domain::terms::Commitment;
use crate::domain::{KpiDirection, Period, periods_between};
use chrono::NaiveDate;
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
    commitments: HashMap<i32, (Commitment, i32, KpiDirection)>,
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
            let direction: KpiDirection = k.direction;
            let view = super::agreements::commitment_view(&c, k)?;
            commitments.insert(
                c.id,
                (super::versions::commitment_of(&view)?, k.id, direction),
            );
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
        let Some(terms) = terms_on(&self.versions, c, start) else {
            return Ok(None); // not yet one of the terms then
        };
        let status = match latest.and_then(|(_, r)| r.value()) {
            Some(v) => judge(v, &target_of(terms, *direction)?),
            None => Status::Pending,
        };
        let flag = |s: Status| i16::from(latest.is_some() && status == s);
        let reading = latest.map(|(_, r)| *r).unwrap_or_default();
        let now = crate::clock::now();
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
    let get = |v: &sea_orm::ActiveValue<i16>| value_of(v).map_or(0, i32::from);
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

/// A written row as the totals count it.
#[derive(sea_orm::DerivePartialModel)]
#[sea_orm(entity = "commitment_period::Entity")]
struct Counted {
    agreement_id: i32,
    commitment_id: i32,
    organisation_id: i32,
    kpi_id: i32,
    channel: Option<String>,
    period: String,
    period_start: NaiveDate,
    period_end: NaiveDate,
    due_on: NaiveDate,
    met: i16,
    at_risk: i16,
    breached: i16,
    unreported: i16,
}

impl Counted {
    fn flags(&self) -> Flags {
        [self.met, self.at_risk, self.breached, self.unreported].map(i32::from)
    }
}

/// What the totals move by: per agreement and period, and per dimension
/// (`organisation`, `kpi`, `channel`), key and period; with the latest due
/// date seen.
#[derive(Default)]
struct Deltas {
    agreements: HashMap<(i32, NaiveDate, NaiveDate), (Flags, NaiveDate)>,
    dimensions: HashMap<(&'static str, String, NaiveDate, NaiveDate), (Flags, NaiveDate)>,
}

impl Deltas {
    /// Counts a row with `sign` (1 when written, -1 when replaced).
    #[allow(clippy::too_many_arguments)]
    fn count(
        &mut self,
        sign: i32,
        agreement_id: i32,
        (organisation_id, kpi_id, channel): (i32, i32, Option<&str>),
        (start, end, due): (NaiveDate, NaiveDate, NaiveDate),
        flags: Flags,
    ) {
        let add = |slot: &mut (Flags, NaiveDate)| {
            for (total, f) in slot.0.iter_mut().zip(flags) {
                *total += sign * f;
            }
            slot.1 = std::cmp::max(slot.1, due);
        };
        add(self
            .agreements
            .entry((agreement_id, start, end))
            .or_insert(([0; 4], due)));
        for (dimension, key) in [
            ("organisation", organisation_id.to_string()),
            ("kpi", kpi_id.to_string()),
            ("channel", channel.unwrap_or_default().to_owned()),
        ] {
            add(self
                .dimensions
                .entry((dimension, key, start, end))
                .or_insert(([0; 4], due)));
        }
    }

    fn count_row(&mut self, sign: i32, r: &Counted) {
        self.count(
            sign,
            r.agreement_id,
            (r.organisation_id, r.kpi_id, r.channel.as_deref()),
            (r.period_start, r.period_end, r.due_on),
            r.flags(),
        );
    }

    /// Adds the deltas to the totals, creating the missing rows.
    async fn apply(self, tx: &impl ConnectionTrait) -> ServiceResult<()> {
        use agreement_period_total::Column as A;
        use dimension_period_total::Column as D;
        let now = crate::clock::now();
        let agreements: Vec<agreement_period_total::ActiveModel> = self
            .agreements
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
        for chunk in agreements.chunks(500) {
            agreement_period_total::Entity::insert_many(chunk.to_vec())
                .on_conflict(summing(
                    agreement_period_total::Entity,
                    [A::AgreementId, A::PeriodStart, A::PeriodEnd],
                    [A::Met, A::AtRisk, A::Breached, A::Unreported],
                    A::MaxDueOn,
                    A::UpdatedAt,
                ))
                .exec_without_returning(tx)
                .await?;
        }
        let dimensions: Vec<dimension_period_total::ActiveModel> = self
            .dimensions
            .into_iter()
            .map(
                |((dimension, key, start, end), (f, due))| dimension_period_total::ActiveModel {
                    dimension: Set(dimension.to_owned()),
                    key: Set(key),
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
        for chunk in dimensions.chunks(500) {
            dimension_period_total::Entity::insert_many(chunk.to_vec())
                .on_conflict(summing(
                    dimension_period_total::Entity,
                    [D::Dimension, D::Key, D::PeriodStart, D::PeriodEnd],
                    [D::Met, D::AtRisk, D::Breached, D::Unreported],
                    D::MaxDueOn,
                    D::UpdatedAt,
                ))
                .exec_without_returning(tx)
                .await?;
        }
        Ok(())
    }
}

/// On a totals row that exists already: add the counts, keep the later due
/// date.
fn summing<E: EntityTrait + Copy + 'static>(
    table: E,
    keys: impl IntoIterator<Item = E::Column>,
    counts: [E::Column; 4],
    max_due_on: E::Column,
    updated_at: E::Column,
) -> OnConflict {
    use sea_orm::IdenStatic;
    use sea_orm::sea_query::{Expr, ExprTrait};
    let mut on = OnConflict::columns(keys);
    for c in counts {
        let excluded = Expr::cust(format!("excluded.{}", c.as_str()));
        on.value(c, Expr::col((table, c)).add(excluded));
    }
    let later = Expr::cust(format!("excluded.{}", max_due_on.as_str()));
    on.value(
        max_due_on,
        Expr::case(later.clone().gt(Expr::col((table, max_due_on))), later)
            .finally(Expr::col((table, max_due_on))),
    )
    .update_column(updated_at);
    on
}

/// Writes `rows`, each replacing the row of the same commitment and period
/// if there is one, and moves the totals by the difference.
pub(crate) async fn upsert(
    tx: &impl ConnectionTrait,
    rows: Vec<commitment_period::ActiveModel>,
) -> ServiceResult<()> {
    use commitment_period::Column as C;
    // The rows being replaced.
    let mut commitments: Vec<i32> = rows
        .iter()
        .filter_map(|r| value_of(&r.commitment_id))
        .collect();
    commitments.sort_unstable();
    commitments.dedup();
    let mut old: HashMap<(i32, String), Counted> = HashMap::new();
    for chunk in commitments.chunks(500) {
        for r in commitment_period::Entity::find()
            .filter(C::CommitmentId.is_in(chunk.to_vec()))
            .into_partial_model::<Counted>()
            .all(tx)
            .await?
        {
            old.insert((r.commitment_id, r.period.clone()), r);
        }
    }
    let mut deltas = Deltas::default();
    for row in &rows {
        let (Some(a), Some(c), Some(p), Some(o), Some(k), Some(ch)) = (
            value_of(&row.agreement_id),
            value_of(&row.commitment_id),
            value_of(&row.period),
            value_of(&row.organisation_id),
            value_of(&row.kpi_id),
            value_of(&row.channel),
        ) else {
            continue;
        };
        let (Some(start), Some(end), Some(due)) = (
            value_of(&row.period_start),
            value_of(&row.period_end),
            value_of(&row.due_on),
        ) else {
            continue;
        };
        if let Some(before) = old.get(&(c, p)) {
            deltas.count_row(-1, before);
        }
        deltas.count(
            1,
            a,
            (o, k, ch.as_deref()),
            (start, end, due),
            flags_of(row),
        );
    }
    for chunk in rows.chunks(500) {
        // 22 parameters a row: 500 rows stay under SQLite's limit.
        commitment_period::Entity::insert_many(chunk.to_vec())
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
    deltas.apply(tx).await
}

/// Re-judges every reported commitment-period of the agreements `ids`
/// from their reports, in the caller's transaction.
pub(crate) async fn rebuild(tx: &impl ConnectionTrait, ids: &[i32]) -> ServiceResult<()> {
    let kpis = kpis(tx).await?;
    for chunk in ids.chunks(500) {
        // Their rows leave the totals by party, KPI and channel; their own
        // totals go with them.
        let mut gone = Deltas::default();
        for r in commitment_period::Entity::find()
            .filter(commitment_period::Column::AgreementId.is_in(chunk.to_vec()))
            .into_partial_model::<Counted>()
            .all(tx)
            .await?
        {
            gone.count_row(-1, &r);
        }
        gone.agreements.clear();
        gone.apply(tx).await?;
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
        let latest = latest_readings(report_rows(tx, commitment_ids).await?, |_| true);
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
