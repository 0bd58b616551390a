//! What each unit — an agreement and the grouping's column (party, KPI,
//! channel, commitment or period start) — owes over the range: the periods
//! that have ended, aggregated in SQL over the kept rows (one covering
//! index); an unreported period is missing once past due. Four ways to
//! sum, the cheapest the grouping allows; with one KPI, its reported
//! values too, for the statistics.

use super::range::{Sums, in_range, in_range_sql, missing_sql, not_yet_due_in};
use super::scope::Scope;
use crate::backend::ServiceResult;
use crate::backend::entities::{agreement_period_total, commitment_period, dimension_period_total};
use crate::backend::services::rows::json_rows;
use crate::domain::compliance::Reading;
use crate::wire::benchmarks::GroupBy;
use rust_decimal::Decimal;
use sea_orm::sea_query::{Alias, Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, IdenStatic, QueryFilter, QuerySelect};
use std::collections::HashMap;

/// A unit of aggregation: an agreement and the grouping's column value
/// (as text; none when the grouping is by an agreement's own attributes).
pub(super) type Unit = (i32, Option<String>);

/// What a unit or a group counts.
#[derive(Default)]
pub(super) struct Tally {
    pub(super) label: String,
    pub(super) label_fr: Option<String>,
    pub(super) reported: u64,
    pub(super) met: u64,
    pub(super) breached: u64,
    pub(super) missing: u64,
    /// Unreported periods counted in `missing` that are not due yet.
    pub(super) not_yet_due: u64,
    pub(super) values: Vec<Decimal>,
    pub(super) readings: Vec<Reading>,
}

impl Tally {
    pub(super) fn add(&mut self, unit: &Tally) {
        self.reported += unit.reported;
        self.met += unit.met;
        self.breached += unit.breached;
        self.missing += unit.missing.saturating_sub(unit.not_yet_due);
        self.values.extend_from_slice(&unit.values);
        self.readings.extend_from_slice(&unit.readings);
    }
}

/// The column of `commitment_periods` a grouping needs besides the
/// agreement.
fn unit_column(group_by: GroupBy) -> Option<commitment_period::Column> {
    use commitment_period::Column as P;
    match group_by {
        GroupBy::Agreement
        | GroupBy::Structure
        | GroupBy::Purpose
        | GroupBy::Boundary
        | GroupBy::LifeEvent => None,
        GroupBy::Party | GroupBy::JurisdictionLevel => Some(P::OrganisationId),
        GroupBy::Kpi => Some(P::KpiId),
        GroupBy::Channel => Some(P::Channel),
        GroupBy::Commitment => Some(P::CommitmentId),
        GroupBy::Period => Some(P::PeriodStart),
    }
}

/// The unit of sums over every agreement (ids start at 1).
pub(super) const EVERY: i32 = 0;

/// A count as SQL sums it (a bigint, or NULL over no rows).
fn count(n: Option<i64>) -> u64 {
    n.and_then(|n| u64::try_from(n).ok()).unwrap_or(0)
}

/// The units tallied, and (grouped by commitment) each commitment's KPI
/// and party.
#[derive(Default)]
pub(super) struct Units {
    pub(super) by_unit: HashMap<Unit, Tally>,
    pub(super) commitment_of: HashMap<i32, (i32, i32)>,
}

impl Units {
    /// Adds the sums of the kept agreements' units (or of [`EVERY`]).
    fn tally(&mut self, s: &Scope, rows: Vec<Sums>) {
        for (a, key, met, at_risk, breached, missing) in rows {
            if a != EVERY && !s.kept.contains_key(&a) {
                continue;
            }
            let t = self.by_unit.entry((a, key)).or_default();
            t.met += count(met);
            t.breached += count(breached);
            t.reported += count(met) + count(at_risk) + count(breached);
            t.missing += count(missing);
        }
    }

    /// Takes back the unreported periods not yet due from the units
    /// counted (rows of other KPIs, say, count for none).
    fn take_back(&mut self, s: &Scope, rows: Vec<Sums>) {
        for (a, key, _, _, _, missing) in rows {
            if a != EVERY && !s.kept.contains_key(&a) {
                continue;
            }
            if let Some(t) = self.by_unit.get_mut(&(a, key)) {
                t.not_yet_due += count(missing);
            }
        }
    }
}

/// `+agreement_id`: grouped by an expression, so that the planner reads
/// the period range of the covering index rather than the whole table in
/// agreement order.
fn agreement() -> Expr {
    Expr::cust("+agreement_id")
}

/// The unit of sums across agreements.
fn every() -> Expr {
    Expr::cust(format!("CAST({EVERY} AS INTEGER)"))
}

/// The grouping's column as text, in raw SQL.
fn key_sql(column: Option<commitment_period::Column>) -> String {
    match column {
        Some(c) => format!("CAST({} AS TEXT)", c.as_str()),
        None => "CAST(NULL AS TEXT)".to_owned(),
    }
}

/// Every unit of `s`, tallied the cheapest way its grouping allows.
pub(super) async fn units(db: &impl ConnectionTrait, s: &Scope) -> ServiceResult<Units> {
    let mut units = Units::default();
    let kpi_id = s.kpi.as_ref().map(|k| k.id);
    let dimension = match s.group_by {
        GroupBy::Party | GroupBy::JurisdictionLevel => Some("organisation"),
        GroupBy::Kpi => Some("kpi"),
        GroupBy::Channel => Some("channel"),
        _ => None,
    };
    let by_agreement = kpi_id.is_none()
        && matches!(
            s.group_by,
            GroupBy::Agreement
                | GroupBy::Structure
                | GroupBy::Purpose
                | GroupBy::Boundary
                | GroupBy::LifeEvent
                | GroupBy::Period
        );
    if by_agreement {
        agreement_totals(db, s, &mut units).await?;
    } else if let (Some(dimension), None, true) = (dimension, kpi_id, s.unfiltered) {
        dimension_totals(db, s, dimension, &mut units).await?;
    } else if s.group_by == GroupBy::Commitment {
        commitment_sums(db, s, kpi_id, &mut units).await?;
    } else {
        row_sums(db, s, kpi_id, &mut units).await?;
    }
    if let Some(k) = kpi_id {
        kpi_values(db, s, k, &mut units).await?;
    }
    Ok(units)
}

/// The agreements' totals by period, every unreported period as missing;
/// then, in the periods where some may not be due yet (their latest due
/// date is not past), those are taken back, counted row by row.
async fn agreement_totals(
    db: &impl ConnectionTrait,
    s: &Scope,
    units: &mut Units,
) -> ServiceResult<()> {
    use agreement_period_total::Column as T;
    let (from, end) = (s.from, s.end);
    let across = s.unfiltered && s.group_by == GroupBy::Period;
    let unit = || if across { every() } else { agreement() };
    if s.group_by == GroupBy::Period {
        let mut q = in_range(
            agreement_period_total::Entity::find(),
            [T::PeriodStart, T::PeriodEnd],
            from,
            end,
        )
        .select_only()
        .expr(unit())
        .expr(Expr::col(T::PeriodStart).cast_as(Alias::new("TEXT")))
        .expr(Expr::col(T::Met).sum())
        .expr(Expr::col(T::AtRisk).sum())
        .expr(Expr::col(T::Breached).sum())
        .expr(Expr::col(T::Unreported).sum())
        .group_by(T::PeriodStart);
        if !across {
            q = q.group_by(agreement());
        }
        units.tally(s, q.into_tuple::<Sums>().all(db).await?);
    } else {
        // Agreement by agreement, each one's periods sought in its own
        // index: no sorting, however long the range.
        // The agreement, met, at risk, breached and unreported.
        type Totals = (i32, Option<i64>, Option<i64>, Option<i64>, Option<i64>);
        let (range, values) = in_range_sql(Some("t"), from, end);
        let rows: Vec<Totals> = json_rows(
            db,
            &[
                "a.id",
                "SUM(t.met)",
                "SUM(t.at_risk)",
                "SUM(t.breached)",
                "SUM(t.unreported)",
            ],
            &format!(
                "FROM agreements a CROSS JOIN agreement_period_totals t \
                 WHERE t.agreement_id = a.id AND {range} GROUP BY a.id"
            ),
            values.into(),
        )
        .await?;
        let sums = rows
            .into_iter()
            .map(|(a, met, at_risk, breached, unreported)| {
                (a, None, met, at_risk, breached, unreported)
            })
            .collect();
        units.tally(s, sums);
    }
    let taken = not_yet_due_in(
        db,
        agreement_period_total::Entity::find(),
        [T::PeriodStart, T::PeriodEnd, T::MaxDueOn],
        (from, end, s.today),
        (unit, unit_column(s.group_by), !across),
    )
    .await?;
    units.take_back(s, taken);
    Ok(())
}

/// The totals by party, KPI or channel across agreements (no channel is
/// stored as an empty key), then the unreported periods not due yet taken
/// back, as for agreements.
async fn dimension_totals(
    db: &impl ConnectionTrait,
    s: &Scope,
    dimension: &str,
    units: &mut Units,
) -> ServiceResult<()> {
    use dimension_period_total::Column as D;
    let rows: Vec<Sums> = in_range(
        dimension_period_total::Entity::find(),
        [D::PeriodStart, D::PeriodEnd],
        s.from,
        s.end,
    )
    .select_only()
    .expr(every())
    .column(D::Key)
    .expr(Expr::col(D::Met).sum())
    .expr(Expr::col(D::AtRisk).sum())
    .expr(Expr::col(D::Breached).sum())
    .expr(Expr::col(D::Unreported).sum())
    .filter(D::Dimension.eq(dimension))
    .group_by(D::Key)
    .into_tuple()
    .all(db)
    .await?;
    units.tally(
        s,
        rows.into_iter()
            .map(|(a, k, m, r, b, u)| (a, k.filter(|k| !k.is_empty()), m, r, b, u))
            .collect(),
    );
    let taken = not_yet_due_in(
        db,
        dimension_period_total::Entity::find().filter(D::Dimension.eq(dimension)),
        [D::PeriodStart, D::PeriodEnd, D::MaxDueOn],
        (s.from, s.end, s.today),
        (every, unit_column(s.group_by), false),
    )
    .await?;
    units.take_back(s, taken);
    Ok(())
}

/// Commitment by commitment, each one's periods sought in its own index
/// (so the rows come grouped, without sorting), with its KPI and party for
/// the labels; an unreported period is missing once past due (its due
/// date is in the index too).
async fn commitment_sums(
    db: &impl ConnectionTrait,
    s: &Scope,
    kpi_id: Option<i32>,
    units: &mut Units,
) -> ServiceResult<()> {
    let (range, range_values) = in_range_sql(Some("p"), s.from, s.end);
    let mut rest = format!(
        "FROM commitments c CROSS JOIN commitment_periods p \
         WHERE p.commitment_id = c.id AND {range}"
    );
    let mut values: Vec<sea_orm::Value> = vec![s.today.into()];
    values.extend(range_values);
    if let Some(k) = kpi_id {
        rest.push_str(" AND c.kpi_id = ?");
        values.push(k.into());
    }
    rest.push_str(" GROUP BY c.id");
    let columns = [
        "c.agreement_id",
        "c.id",
        "c.kpi_id",
        "c.organisation_id",
        "SUM(p.met)",
        "SUM(p.at_risk)",
        "SUM(p.breached)",
        &missing_sql(Some("p")),
    ];
    type Row = (
        i32,
        i32,
        i32,
        i32,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
    );
    let rows: Vec<Row> = json_rows(db, &columns, &rest, values).await?;
    let mut sums: Vec<Sums> = Vec::new();
    for (a, id, kpi, party, met, at_risk, breached, missing) in rows {
        if !s.kept.contains_key(&a) {
            continue;
        }
        units.commitment_of.insert(id, (kpi, party));
        sums.push((a, Some(id.to_string()), met, at_risk, breached, missing));
    }
    units.tally(s, sums);
    Ok(())
}

/// Row by row: the kept rows' flags, an unreported period missing once
/// past due.
async fn row_sums(
    db: &impl ConnectionTrait,
    s: &Scope,
    kpi_id: Option<i32>,
    units: &mut Units,
) -> ServiceResult<()> {
    let column = unit_column(s.group_by);
    let (range, range_values) = in_range_sql(None, s.from, s.end);
    let mut rest = format!("FROM commitment_periods WHERE {range}");
    let mut values: Vec<sea_orm::Value> = vec![s.today.into()];
    values.extend(range_values);
    if let Some(k) = kpi_id {
        rest.push_str(" AND kpi_id = ?");
        values.push(k.into());
    }
    rest.push_str(" GROUP BY +agreement_id");
    if let Some(c) = column {
        rest.push_str(", ");
        rest.push_str(c.as_str());
    }
    let key = key_sql(column);
    let columns = [
        "+agreement_id",
        key.as_str(),
        "SUM(met)",
        "SUM(at_risk)",
        "SUM(breached)",
        &missing_sql(None),
    ];
    units.tally(s, json_rows(db, &columns, &rest, values).await?);
    Ok(())
}

/// With one KPI, its reported values (and ratio parts) for the
/// statistics.
async fn kpi_values(
    db: &impl ConnectionTrait,
    s: &Scope,
    kpi_id: i32,
    units: &mut Units,
) -> ServiceResult<()> {
    let key = key_sql(unit_column(s.group_by));
    let (range, range_values) = in_range_sql(None, s.from, s.end);
    type Values = (
        i32,
        Option<String>,
        Option<Decimal>,
        Option<Decimal>,
        Option<Decimal>,
        Option<i64>,
    );
    let rows: Vec<Values> = json_rows(
        db,
        &[
            "agreement_id",
            key.as_str(),
            "CAST(value AS TEXT)",
            "CAST(numerator AS TEXT)",
            "CAST(denominator AS TEXT)",
            "volume",
        ],
        &format!("FROM commitment_periods WHERE kpi_id = ? AND unreported = 0 AND {range}"),
        [kpi_id.into()].into_iter().chain(range_values).collect(),
    )
    .await?;
    for (a, key, value, numerator, denominator, volume) in rows {
        if !s.kept.contains_key(&a) {
            continue;
        }
        let reading = Reading {
            value,
            numerator,
            denominator,
            volume,
        };
        let t = units.by_unit.entry((a, key)).or_default();
        if let Some(v) = reading.value() {
            t.values.push(v);
        }
        t.readings.push(reading);
    }
    Ok(())
}
