//! Benchmarks (DOMAIN.md §5): every commitment-period of the agreements
//! the caller may see, judged as the compliance view judges it (latest
//! revision, terms in force then, missing after grace), grouped one way;
//! per group the periods reported, met and missing, the compliance rate
//! (met ÷ (reported + missing): not reporting counts as not meeting), and
//! for one KPI the median and quartiles of its reported values; grouped by
//! agreement, each one's rank and percentile among its peers.

use super::rows::json_rows;
use super::{Ctx, plain_decimal, stored};
use crate::backend::entities::{
    agreement, agreement_period_total, commitment_period, dimension_period_total, jurisdiction,
    kpi, organisation,
};
use crate::backend::exact::Exact;
use crate::backend::{FieldError, ServiceError, ServiceResult};
use crate::domain::compliance::{Reading, ratio_of};
use crate::domain::stats::{percentile, quantile, ranks};
use crate::domain::{KpiDirection, Period, Role};
use crate::wire::agreements::{AgreementFilters, AgreementSummary};
use crate::wire::benchmarks::*;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use sea_orm::sea_query::{Alias, Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, IdenStatic, QueryFilter, QuerySelect};
use std::collections::{BTreeMap, HashMap};

/// A unit of aggregation: an agreement and the grouping's column value
/// (as text; none when the grouping is by an agreement's own attributes).
type Unit = (i32, Option<String>);

/// What a unit or a group counts.
#[derive(Default)]
struct Tally {
    label: String,
    reported: u64,
    met: u64,
    breached: u64,
    missing: u64,
    /// Unreported periods counted in `missing` that are not due yet.
    not_yet_due: u64,
    values: Vec<Decimal>,
    readings: Vec<Reading>,
}

impl Tally {
    fn add(&mut self, unit: &Tally) {
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
        GroupBy::Agreement | GroupBy::Structure | GroupBy::Purpose | GroupBy::Boundary => None,
        GroupBy::Party | GroupBy::JurisdictionLevel => Some(P::OrganisationId),
        GroupBy::Kpi => Some(P::KpiId),
        GroupBy::Channel => Some(P::Channel),
        GroupBy::Commitment => Some(P::CommitmentId),
        GroupBy::Period => Some(P::PeriodStart),
    }
}

/// The unit of sums over every agreement (ids start at 1).
const EVERY: i32 = 0;

/// Sums as the aggregates give them: the agreement (or [`EVERY`]), the
/// unit's key, met, at risk, breached and missing.
type Sums = (
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
fn in_range<E: EntityTrait>(
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
fn in_range_sql(
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
fn missing_sql(table: Option<&str>) -> String {
    let t = table.map(|t| format!("{t}.")).unwrap_or_default();
    format!("SUM(CASE WHEN {t}unreported = 1 AND {t}due_on < ? THEN 1 ELSE 0 END)")
}

/// The unreported rows not yet due on `today`, by `unit` (and by agreement
/// when `by_agreement`) and `column`, in the periods from `from` to `end`
/// of a totals table (`q`, with its period start, period end and latest
/// due date columns) whose latest due date is not past: totals count every
/// unreported period as missing, these are taken back.
async fn not_yet_due_in<E: EntityTrait>(
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

/// A count as SQL sums it (a bigint, or NULL over no rows).
fn count(n: Option<i64>) -> u64 {
    n.and_then(|n| u64::try_from(n).ok()).unwrap_or(0)
}

fn range(q: &BenchmarkQuery, today: NaiveDate) -> ServiceResult<(NaiveDate, NaiveDate)> {
    let parse = |field: &str, text: &str| {
        Period::parse(text.trim()).map_err(|e| {
            ServiceError::validation(e.to_string(), vec![FieldError::new(field, e.to_string())])
        })
    };
    let to = match q.to.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(t) => parse("to", t)?.end_date(1),
        None => today,
    };
    let from = match q.from.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(f) => parse("from", f)?.start_date(1),
        None => {
            let back = to - chrono::Months::new(12);
            NaiveDate::from_ymd_opt(back.year(), back.month(), 1).unwrap_or(back)
        }
    };
    if from > to {
        let m = "The range ends before it starts.";
        return Err(ServiceError::validation(m, vec![FieldError::new("to", m)]));
    }
    Ok((from, to))
}

/// The benchmark rows for `q`. Executives, managers and admins, over the
/// agreements they may see.
///
/// Fails with `Forbidden` for reporters and API tokens, `Validation` for a
/// malformed period or an unknown KPI.
#[tracing::instrument(skip(ctx, db))]
pub async fn benchmarks(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    q: &BenchmarkQuery,
) -> ServiceResult<BenchmarksView> {
    ctx.require(&[Role::Executive, Role::Manager, Role::Admin])?;
    let started = std::time::Instant::now();
    let lap = |phase: &str| tracing::debug!(phase, ms = started.elapsed().as_secs_f64() * 1e3);
    let today = crate::clock::today();
    let (from, to) = range(q, today)?;
    if let Some(limit) = q.limit
        && !(1..=1000).contains(&limit)
    {
        let m = "limit must be from 1 to 1000.";
        return Err(ServiceError::validation(
            m,
            vec![FieldError::new("limit", m)],
        ));
    }
    let group_by = q.group_by.unwrap_or_default();
    let kpis: HashMap<String, kpi::Model> = kpi::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|k| (k.code.clone(), k))
        .collect();
    let kpi_filter = q.kpi.as_deref().map(str::trim).filter(|k| !k.is_empty());
    if let Some(k) = kpi_filter
        && !kpis.contains_key(k)
    {
        let m = format!("No KPI has code '{k}'.");
        return Err(ServiceError::validation(
            m.clone(),
            vec![FieldError::new("kpi", m)],
        ));
    }
    let summaries = super::agreements::list_as_party(
        ctx,
        db,
        &AgreementFilters {
            status: q.status,
            ..Default::default()
        },
    )
    .await?;
    let orgs: HashMap<i32, organisation::Model> = organisation::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let jurisdictions: HashMap<i32, jurisdiction::Model> = jurisdiction::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|j| (j.id, j))
        .collect();
    let jurisdiction_filter = q
        .jurisdiction
        .as_deref()
        .map(|j| j.trim().to_uppercase())
        .filter(|j| !j.is_empty());

    // The kept agreements.
    let kept: HashMap<i32, &AgreementSummary> = summaries
        .iter()
        .filter(|s| {
            jurisdiction_filter.as_ref().is_none_or(|code| {
                s.parties.iter().any(|p| {
                    orgs.get(&p.organisation_id)
                        .and_then(|o| o.jurisdiction_id)
                        .and_then(|j| jurisdictions.get(&j))
                        .is_some_and(|j| j.code == *code)
                })
            })
        })
        .map(|s| (s.id, s))
        .collect();
    lap("agreements");
    let kpi_id = kpi_filter.and_then(|k| kpis.get(k)).map(|k| k.id);
    let kpi_by_id: HashMap<i32, &kpi::Model> = kpis.values().map(|k| (k.id, k)).collect();

    // What each unit — an agreement and the grouping's column (party, KPI,
    // channel, commitment or period start) — owes over the range: the
    // periods that have ended, aggregated in SQL over the kept rows (one
    // covering index); an unreported period is missing once past due.
    let end = std::cmp::min(to, today);
    let column = unit_column(group_by);
    let key_sql = || match column {
        Some(c) => format!("CAST({} AS TEXT)", c.as_str()),
        None => "CAST(NULL AS TEXT)".to_owned(),
    };
    let mut units: HashMap<Unit, Tally> = HashMap::new();
    // Grouped by commitment: each one's KPI and party.
    let mut commitment_of: HashMap<i32, (i32, i32)> = HashMap::new();
    {
        let mut tally = |rows: Vec<Sums>, not_yet_due: bool| {
            for (a, key, met, at_risk, breached, missing) in rows {
                if a != EVERY && !kept.contains_key(&a) {
                    continue;
                }
                if not_yet_due {
                    // Taken back from the units counted (rows of other
                    // KPIs, say, count for none).
                    if let Some(t) = units.get_mut(&(a, key)) {
                        t.not_yet_due += count(missing);
                    }
                    continue;
                }
                let t = units.entry((a, key)).or_default();
                t.met += count(met);
                t.breached += count(breached);
                t.reported += count(met) + count(at_risk) + count(breached);
                t.missing += count(missing);
            }
        };
        // `+agreement_id`: grouped by an expression, so that the planner
        // reads the period range of the covering index rather than the
        // whole table in agreement order.
        let agreement = || Expr::cust("+agreement_id");
        // Over every agreement (an executive without filters), groupings
        // that need no agreement's attributes sum across agreements in SQL.
        let unfiltered = ctx.sees_all() && q.status.is_none() && jurisdiction_filter.is_none();
        let every = || Expr::cust(format!("CAST({EVERY} AS INTEGER)"));
        let dimension = match group_by {
            GroupBy::Party | GroupBy::JurisdictionLevel => Some("organisation"),
            GroupBy::Kpi => Some("kpi"),
            GroupBy::Channel => Some("channel"),
            _ => None,
        };
        let by_agreement = kpi_id.is_none()
            && matches!(
                group_by,
                GroupBy::Agreement
                    | GroupBy::Structure
                    | GroupBy::Purpose
                    | GroupBy::Boundary
                    | GroupBy::Period
            );
        if by_agreement {
            // The agreements' totals by period, every unreported period as
            // missing; then, in the periods where some may not be due yet
            // (their latest due date is not past), those are taken back,
            // counted row by row.
            use agreement_period_total::Column as T;
            let key = || match group_by {
                GroupBy::Period => Expr::col(T::PeriodStart).cast_as(Alias::new("TEXT")),
                _ => Expr::cust("CAST(NULL AS TEXT)"),
            };
            let across = unfiltered && group_by == GroupBy::Period;
            let unit = || if across { every() } else { agreement() };
            if group_by == GroupBy::Period {
                let mut q = in_range(
                    agreement_period_total::Entity::find(),
                    [T::PeriodStart, T::PeriodEnd],
                    from,
                    end,
                )
                .select_only()
                .expr(unit())
                .expr(key())
                .expr(Expr::col(T::Met).sum())
                .expr(Expr::col(T::AtRisk).sum())
                .expr(Expr::col(T::Breached).sum())
                .expr(Expr::col(T::Unreported).sum())
                .group_by(T::PeriodStart);
                if !across {
                    q = q.group_by(agreement());
                }
                tally(q.into_tuple::<Sums>().all(db).await?, false);
            } else {
                // Agreement by agreement, each one's periods sought in its
                // own index: no sorting, however long the range.
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
                tally(sums, false);
            }
            tally(
                not_yet_due_in(
                    db,
                    agreement_period_total::Entity::find(),
                    [T::PeriodStart, T::PeriodEnd, T::MaxDueOn],
                    (from, end, today),
                    (unit, column, !across),
                )
                .await?,
                true,
            );
        } else if let (Some(dimension), None, true) = (dimension, kpi_id, unfiltered) {
            // The totals by party, KPI or channel across agreements (no
            // channel is stored as an empty key), then the unreported
            // periods not due yet taken back, as above.
            use dimension_period_total::Column as D;
            let rows: Vec<Sums> = in_range(
                dimension_period_total::Entity::find(),
                [D::PeriodStart, D::PeriodEnd],
                from,
                end,
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
            tally(
                rows.into_iter()
                    .map(|(a, k, m, r, b, u)| (a, k.filter(|k| !k.is_empty()), m, r, b, u))
                    .collect(),
                false,
            );
            tally(
                not_yet_due_in(
                    db,
                    dimension_period_total::Entity::find().filter(D::Dimension.eq(dimension)),
                    [D::PeriodStart, D::PeriodEnd, D::MaxDueOn],
                    (from, end, today),
                    (every, column, false),
                )
                .await?,
                true,
            );
        } else if group_by == GroupBy::Commitment {
            // Commitment by commitment, each one's periods sought in its
            // own index (so the rows come grouped, without sorting), with
            // its KPI and party for the labels; an unreported period is
            // missing once past due (its due date is in the index too).
            let (range, range_values) = in_range_sql(Some("p"), from, end);
            let mut rest = format!(
                "FROM commitments c CROSS JOIN commitment_periods p \
                 WHERE p.commitment_id = c.id AND {range}"
            );
            let mut values: Vec<sea_orm::Value> = vec![today.into()];
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
            let mut sums: Vec<Sums> = Vec::new();
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
            for (a, id, kpi, party, met, at_risk, breached, missing) in rows {
                if !kept.contains_key(&a) {
                    continue;
                }
                commitment_of.insert(id, (kpi, party));
                sums.push((a, Some(id.to_string()), met, at_risk, breached, missing));
            }
            lap("commitment sums");
            tally(sums, false);
        } else {
            // Row by row: the kept rows' flags, an unreported period
            // missing once past due.
            let (range, range_values) = in_range_sql(None, from, end);
            let mut rest = format!("FROM commitment_periods WHERE {range}");
            let mut values: Vec<sea_orm::Value> = vec![today.into()];
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
            let key = key_sql();
            let columns = [
                "+agreement_id",
                key.as_str(),
                "SUM(met)",
                "SUM(at_risk)",
                "SUM(breached)",
                &missing_sql(None),
            ];
            tally(json_rows(db, &columns, &rest, values).await?, false);
        }
        // With one KPI, its reported values (and ratio parts) for the
        // statistics.
        if let Some(k) = kpi_id {
            let key = key_sql();
            let (range, range_values) = in_range_sql(None, from, end);
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
                [k.into()].into_iter().chain(range_values).collect(),
            )
            .await?;
            for (a, key, value, numerator, denominator, volume) in rows {
                if !kept.contains_key(&a) {
                    continue;
                }
                let reading = Reading {
                    value,
                    numerator,
                    denominator,
                    volume,
                };
                let t = units.entry((a, key)).or_default();
                if let Some(v) = reading.value() {
                    t.values.push(v);
                }
                t.readings.push(reading);
            }
        }
    }
    lap("aggregated");
    // Units into groups.
    let mut groups: BTreeMap<String, Tally> = BTreeMap::new();
    for ((a, key), unit) in units {
        let s = kept.get(&a).copied();
        if s.is_none() && a != EVERY {
            continue;
        }
        // Units across agreements are never grouped by an agreement's own
        // attributes.
        let agreement_of = || s.ok_or(());
        let id_of = |k: &Option<String>| k.as_deref().and_then(|k| k.parse::<i32>().ok());
        let org_of = |k: &Option<String>| id_of(k).and_then(|id| orgs.get(&id));
        let keys: Vec<(String, String)> = match group_by {
            GroupBy::Agreement => {
                let Ok(s) = agreement_of() else { continue };
                vec![(s.reference.clone(), s.title.clone())]
            }
            GroupBy::Party => vec![match org_of(&key) {
                Some(o) => (o.code.clone(), o.name.clone()),
                None => (key.clone().unwrap_or_default(), String::new()),
            }],
            GroupBy::Structure => {
                let Ok(s) = agreement_of() else { continue };
                vec![(s.structure.as_str().into(), s.structure.as_str().into())]
            }
            GroupBy::Purpose => {
                let Ok(s) = agreement_of() else { continue };
                vec![(s.purpose.as_str().into(), s.purpose.as_str().into())]
            }
            GroupBy::Boundary => {
                let Ok(s) = agreement_of() else { continue };
                if s.boundaries.is_empty() {
                    vec![("none".into(), "none".into())]
                } else {
                    s.boundaries
                        .iter()
                        .map(|b| (b.as_str().to_owned(), b.as_str().to_owned()))
                        .collect()
                }
            }
            GroupBy::JurisdictionLevel => {
                let level = org_of(&key)
                    .and_then(|o| o.jurisdiction_id)
                    .and_then(|j| jurisdictions.get(&j))
                    .map_or_else(|| "none".to_owned(), |j| j.level.clone());
                vec![(level.clone(), level)]
            }
            GroupBy::Channel => {
                let ch = key.clone().unwrap_or_else(|| "all".to_owned());
                vec![(ch.clone(), ch)]
            }
            GroupBy::Kpi => match id_of(&key).and_then(|id| kpi_by_id.get(&id)) {
                Some(k) => vec![(k.code.clone(), k.name.clone())],
                None => Vec::new(),
            },
            GroupBy::Period => {
                let month: String = key.clone().unwrap_or_default().chars().take(7).collect();
                vec![(month.clone(), month)]
            }
            GroupBy::Commitment => {
                // Labelled once the rows are chosen.
                let (Ok(s), Some(id)) = (agreement_of(), id_of(&key)) else {
                    continue;
                };
                vec![(format!("{}#{id}", s.reference), String::new())]
            }
        };
        for (group, label) in keys {
            let t = groups.entry(group).or_default();
            t.label = label;
            t.add(&unit);
        }
    }
    lap("grouped");
    let is_ratio = kpi_filter
        .and_then(|k| kpis.get(k))
        .is_some_and(|k| k.is_ratio);
    let stat = |values: &[Decimal], q: &str| {
        quantile(values, q.parse().unwrap_or_default()).map(|v| plain_decimal(v.round_dp(2)))
    };
    let mut rates: Vec<Option<Decimal>> = Vec::new();
    let mut items: Vec<BenchmarkRow> = groups
        .into_iter()
        .map(|(group, t)| {
            let judged = t.reported + t.missing;
            rates.push((judged > 0).then(|| Decimal::from(t.met) / Decimal::from(judged)));
            BenchmarkRow {
                group,
                label: t.label,
                reported: t.reported,
                met: t.met,
                breached: t.breached,
                missing: t.missing,
                compliance_rate: (judged > 0).then(|| {
                    (Decimal::from(t.met) / Decimal::from(judged))
                        .round_dp(4)
                        .to_f64()
                        .unwrap_or_default()
                }),
                value: if is_ratio {
                    ratio_of(&t.readings).map(|v| plain_decimal(v.round_dp(2)))
                } else {
                    stat(&t.values, "0.5")
                },
                median: stat(&t.values, "0.5"),
                p25: stat(&t.values, "0.25"),
                p75: stat(&t.values, "0.75"),
                rank: None,
                percentile: None,
            }
        })
        .collect();
    if group_by == GroupBy::Agreement {
        // With one KPI, peers rank by its median (in its direction); else
        // by compliance rate.
        let (scores, higher): (Vec<Option<Decimal>>, bool) =
            match kpi_filter.and_then(|k| kpis.get(k)) {
                Some(k) => (
                    items
                        .iter()
                        .map(|r| r.median.as_deref().and_then(|m| m.parse().ok()))
                        .collect(),
                    k.direction == KpiDirection::HigherIsBetter.as_str(),
                ),
                None => (rates, true),
            };
        let n = items.len();
        for (row, rank) in items.iter_mut().zip(ranks(&scores, higher)) {
            row.rank = Some(rank);
            row.percentile = percentile(rank, n).to_f64();
        }
        items.sort_by_key(|r| (r.rank, r.group.clone()));
    }
    if let Some(n) = q.worst {
        items.retain(|r| r.compliance_rate.is_some());
        items.sort_by(|a, b| {
            a.compliance_rate
                .partial_cmp(&b.compliance_rate)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(b.breached.cmp(&a.breached))
                .then_with(|| a.group.cmp(&b.group))
        });
        items.truncate(usize::try_from(n).unwrap_or(usize::MAX));
    }
    // The page asked for.
    let total = items.len();
    let offset = usize::try_from(q.offset.unwrap_or(0)).unwrap_or(usize::MAX);
    let limit = q
        .limit
        .map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX));
    if offset > 0 || limit < total {
        items = items.into_iter().skip(offset).take(limit).collect();
    }
    if group_by == GroupBy::Commitment {
        // Each commitment's KPI and party, for the rows kept.
        let id_of = |group: &str| {
            group
                .rsplit('#')
                .next()
                .and_then(|id| id.parse::<i32>().ok())
        };
        for r in &mut items {
            if let Some((k, o)) = id_of(&r.group).and_then(|id| commitment_of.get(&id)) {
                let kpi_name = kpi_by_id.get(k).map_or("", |k| k.name.as_str());
                let org_name = orgs.get(o).map_or("", |o| o.name.as_str());
                r.label = format!("{kpi_name} — {org_name}");
            }
        }
    }
    lap("done");
    Ok(BenchmarksView {
        items,
        total,
        from,
        to,
    })
}

/// The rows as CSV.
pub fn benchmarks_csv(v: &BenchmarksView) -> String {
    let header = [
        "group",
        "label",
        "reported",
        "met",
        "breached",
        "missing",
        "compliance_rate",
        "value",
        "median",
        "p25",
        "p75",
        "rank",
        "percentile",
    ]
    .map(String::from)
    .to_vec();
    let opt = |v: Option<String>| v.unwrap_or_default();
    crate::backend::csv_out::to_csv(std::iter::once(header).chain(v.items.iter().map(|r| {
        vec![
            r.group.clone(),
            r.label.clone(),
            r.reported.to_string(),
            r.met.to_string(),
            r.breached.to_string(),
            r.missing.to_string(),
            opt(r.compliance_rate.map(|x| x.to_string())),
            opt(r.value.clone()),
            opt(r.median.clone()),
            opt(r.p25.clone()),
            opt(r.p75.clone()),
            opt(r.rank.map(|x| x.to_string())),
            opt(r.percentile.map(|x| x.to_string())),
        ]
    })))
}

/// Channel weights of a version, from the day it governs (and its number).
type WeightsFrom = (NaiveDate, i32, BTreeMap<crate::domain::Channel, Decimal>);

/// Channel mix and cost per transaction by channel, per currency, over the
/// agreements the caller may see and the months starting in `from..=to`.
/// Each agreement's actual cost of a month is attributed to its channels in
/// proportion to the month's transactions weighted by the channel weights
/// of the cost model in force that month (1 where none is set) — the case
/// for channel migration, never adding money across currencies.
///
/// Fails with `Forbidden` for reporters and API tokens.
pub async fn channels(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    from: NaiveDate,
    to: NaiveDate,
) -> ServiceResult<Vec<ChannelRow>> {
    use crate::backend::entities::{cost_entry, transaction_volume};
    use crate::domain::Channel;
    ctx.require(&[Role::Executive, Role::Manager, Role::Admin])?;
    let visible = super::agreements::list_as_party(ctx, db, &AgreementFilters::default()).await?;
    let currency: HashMap<i32, String> =
        visible.iter().map(|a| (a.id, a.currency.clone())).collect();
    let volumes: Vec<(i32, NaiveDate, String, i64)> = transaction_volume::Entity::find()
        .filter(transaction_volume::Column::PeriodStart.gte(from))
        .filter(transaction_volume::Column::PeriodStart.lte(to))
        .select_only()
        .column(transaction_volume::Column::AgreementId)
        .column(transaction_volume::Column::PeriodStart)
        .column(transaction_volume::Column::Channel)
        .column(transaction_volume::Column::Count)
        .into_tuple()
        .all(db)
        .await?;
    let costs: Vec<(i32, NaiveDate, String, Exact)> = cost_entry::Entity::find()
        .filter(cost_entry::Column::PeriodStart.gte(from))
        .filter(cost_entry::Column::PeriodStart.lte(to))
        .select_only()
        .column(cost_entry::Column::AgreementId)
        .column(cost_entry::Column::PeriodStart)
        .column(cost_entry::Column::Kind)
        .column(cost_entry::Column::Amount)
        .into_tuple()
        .all(db)
        .await?;
    // (agreement, month) → channel → count, and → actual cost.
    let mut month_volumes: BTreeMap<(i32, NaiveDate), BTreeMap<Channel, i64>> = BTreeMap::new();
    for (a, m, ch, n) in volumes {
        if !currency.contains_key(&a) {
            continue;
        }
        let ch: Channel = stored(&ch, "transaction_volumes.channel")?;
        *month_volumes
            .entry((a, m))
            .or_default()
            .entry(ch)
            .or_default() += n;
    }
    let mut month_costs: HashMap<(i32, NaiveDate), Decimal> = HashMap::new();
    for (a, m, kind, amount) in costs {
        if kind == "actual" && currency.contains_key(&a) {
            *month_costs.entry((a, m)).or_default() += amount.0;
        }
    }
    // The channel weights in force, by agreement and month.
    let mut weights_of: HashMap<i32, Vec<WeightsFrom>> = HashMap::new();
    let ids: Vec<i32> = month_volumes
        .keys()
        .map(|(a, _)| *a)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    for id in ids {
        let Some(a) = agreement::Entity::find_by_id(id).one(db).await? else {
            continue;
        };
        let (versions, _) = super::versions::governing(db, &a).await?;
        let list = versions
            .into_iter()
            .map(|v| {
                let w = v
                    .terms
                    .cost_model
                    .as_ref()
                    .map(|m| m.channel_weights.clone())
                    .unwrap_or_default();
                (v.effective_from, v.number, w)
            })
            .collect();
        weights_of.insert(id, list);
    }
    let mut totals: BTreeMap<(String, Channel), (i64, Decimal)> = BTreeMap::new();
    for ((a, m), by_channel) in &month_volumes {
        let cur = currency[a].clone();
        let weights = weights_of
            .get(a)
            .and_then(|vs| {
                vs.iter()
                    .filter(|(from, _, _)| *from <= *m)
                    .max_by_key(|(from, n, _)| (*from, *n))
                    .or_else(|| vs.first())
            })
            .map(|(_, _, w)| w.clone())
            .unwrap_or_default();
        let weighted: Decimal = by_channel
            .iter()
            .map(|(ch, n)| Decimal::from(*n) * weights.get(ch).copied().unwrap_or(Decimal::ONE))
            .sum();
        let cost = month_costs.get(&(*a, *m)).copied().unwrap_or_default();
        for (ch, n) in by_channel {
            let slot = totals.entry((cur.clone(), *ch)).or_default();
            slot.0 += n;
            if !weighted.is_zero() {
                slot.1 +=
                    cost * Decimal::from(*n) * weights.get(ch).copied().unwrap_or(Decimal::ONE)
                        / weighted;
            }
        }
    }
    let per_currency: HashMap<String, i64> =
        totals
            .iter()
            .fold(HashMap::new(), |mut acc, ((c, _), (n, _))| {
                *acc.entry(c.clone()).or_default() += n;
                acc
            });
    Ok(totals
        .into_iter()
        .map(|((cur, channel), (n, cost))| {
            let all = per_currency.get(&cur).copied().unwrap_or(0);
            ChannelRow {
                share: if all > 0 {
                    (n as f64 / all as f64 * 10_000.0).round() / 10_000.0
                } else {
                    0.0
                },
                cost: crate::domain::Currency::fixed_by_code(&cur, cost),
                cost_per_transaction: (n > 0)
                    .then(|| crate::domain::Currency::fixed_by_code(&cur, cost / Decimal::from(n))),
                currency: cur,
                channel,
                transactions: n,
            }
        })
        .collect())
}
