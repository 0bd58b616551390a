//! The periods of a range in SQL: kept to the range, missing once past
//! due, and the unreported periods not yet due taken back from totals that
//! count every unreported period.

use crate::backend::ServiceResult;
use crate::backend::entities::commitment_period;
use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

/// Sums as the aggregates give them: the agreement (or [`EVERY`]), the
/// unit's key, met, at risk, breached and missing.
pub(super) type Sums = (
    i32,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

/// `q` kept to the periods from `from` to `end` (`start` and `period_end`
/// its columns). The start is bounded above too: commitments owe periods
/// up to the end of their term, and a seek in an index by period start
/// then stops at `end`.
pub(super) fn in_range<E: EntityTrait>(
    q: sea_orm::Select<E>,
    [start, period_end]: [E::Column; 2],
    from: NaiveDate,
    end: NaiveDate,
) -> sea_orm::Select<E> {
    q.filter(start.gte(from))
        .filter(start.lte(end))
        .filter(period_end.lte(end))
}

/// [`in_range`] as raw SQL over the columns of `table` (an alias, or none),
/// with the values of its placeholders.
pub(super) fn in_range_sql(
    table: Option<&str>,
    from: NaiveDate,
    end: NaiveDate,
) -> (String, [sea_orm::Value; 3]) {
    let t = table.map(|t| format!("{t}.")).unwrap_or_default();
    (
        format!("{t}period_start BETWEEN ? AND ? AND {t}period_end <= ?"),
        [from.into(), end.into(), end.into()],
    )
}

/// The count of missing periods as raw SQL over the columns of `table`
/// (an alias, or none): an unreported period is missing once past due
/// (its placeholder: today).
pub(super) fn missing_sql(table: Option<&str>) -> String {
    let t = table.map(|t| format!("{t}.")).unwrap_or_default();
    format!("SUM(CASE WHEN {t}unreported = 1 AND {t}due_on < ? THEN 1 ELSE 0 END)")
}

/// The unreported rows not yet due on `today`, by `unit` (and by agreement
/// when `by_agreement`) and `column`, in the periods from `from` to `end`
/// of a totals table (`q`, with its period start, period end and latest
/// due date columns) whose latest due date is not past: totals count every
/// unreported period as missing, these are taken back.
pub(super) async fn not_yet_due_in<E: EntityTrait>(
    db: &impl ConnectionTrait,
    q: sea_orm::Select<E>,
    [start, period_end, max_due_on]: [E::Column; 3],
    (from, end, today): (NaiveDate, NaiveDate, NaiveDate),
    (unit, column, by_agreement): (impl Fn() -> Expr, Option<commitment_period::Column>, bool),
) -> ServiceResult<Vec<Sums>> {
    let periods: Vec<(NaiveDate, NaiveDate)> = in_range(q, [start, period_end], from, end)
        .select_only()
        .column(start)
        .column(period_end)
        .distinct()
        .filter(max_due_on.gte(today))
        .into_tuple()
        .all(db)
        .await?;
    let mut rows = Vec::new();
    for period in periods {
        rows.extend(not_yet_due(db, period, today, unit(), column, by_agreement).await?);
    }
    Ok(rows)
}

/// The unreported rows of one period (start and end) not yet due on
/// `today`, by `unit` (and by agreement when `by_agreement`) and `column`,
/// in the place of missing counts: totals count every unreported period,
/// these are taken back.
async fn not_yet_due(
    db: &impl ConnectionTrait,
    (start, end): (NaiveDate, NaiveDate),
    today: NaiveDate,
    unit: Expr,
    column: Option<commitment_period::Column>,
    by_agreement: bool,
) -> ServiceResult<Vec<Sums>> {
    use commitment_period::Column as P;
    let zero = || Expr::cust("CAST(0 AS BIGINT)");
    let mut q = commitment_period::Entity::find()
        .select_only()
        .expr(unit)
        .expr(match column {
            Some(c) => Expr::col(c).cast_as(Alias::new("TEXT")),
            None => Expr::cust("CAST(NULL AS TEXT)"),
        })
        .expr(zero())
        .expr(zero())
        .expr(zero())
        // Not the id: every column counted is in the covering index
        // (PostgreSQL's index-only scan).
        .expr(Expr::cust("COUNT(*)"))
        .filter(P::PeriodStart.eq(start))
        .filter(P::PeriodEnd.eq(end))
        .filter(P::Unreported.eq(1))
        .filter(P::DueOn.gte(today));
    if by_agreement {
        q = q.group_by(Expr::cust("+agreement_id"));
    }
    if let Some(c) = column {
        q = q.group_by(c);
    }
    Ok(q.into_tuple().all(db).await?)
}
