//! Benchmarks (DOMAIN.md §5): every commitment-period of the agreements
//! the caller may see, judged as the compliance view judges it (latest
//! revision, terms in force then, missing after grace), grouped one way;
//! per group the periods reported, met and missing, the compliance rate
//! (met ÷ (reported + missing): not reporting counts as not meeting), and
//! for one KPI the median and quartiles of its reported values; grouped by
//! agreement, each one's rank and percentile among its peers.

use super::reports::{ReportRow, commitment_versions, latest_readings, target_of, terms_on};
use super::{Ctx, plain_decimal, stored};
use crate::api::agreements::{AgreementFilters, AgreementSummary, CommitmentView};
use crate::api::benchmarks::*;
use crate::backend::entities::{
    agreement, commitment, jurisdiction, kpi, organisation, service_level_report,
};
use crate::backend::exact::Exact;
use crate::backend::{FieldError, ServiceError, ServiceResult};
use crate::domain::compliance::{Reading, Status, judge, ratio_of, unreported};
use crate::domain::stats::{percentile, quantile, ranks};
use crate::domain::{KpiDirection, Period, Role, periods_between};
use chrono::{Datelike, NaiveDate, Utc};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{BTreeMap, HashMap};

/// One judged commitment-period with what it is grouped by.
struct Cell {
    keys: Vec<(String, String)>,
    status: Status,
    value: Option<Decimal>,
    reading: Option<Reading>,
}

#[derive(Default)]
struct Tally {
    label: String,
    reported: u64,
    met: u64,
    breached: u64,
    missing: u64,
    values: Vec<Decimal>,
    readings: Vec<Reading>,
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
    let today = Utc::now().date_naive();
    let (from, to) = range(q, today)?;
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
    let summaries = super::agreements::list(
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

    // Everything in bulk: the kept agreements, their commitments, the
    // version snapshots only where the terms in force may differ from the
    // current rows (amended agreements, or changes awaiting approval), and
    // the reports of the range.
    let kept: Vec<&AgreementSummary> = summaries
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
        .collect();
    let ids: Vec<i32> = kept.iter().map(|s| s.id).collect();
    let mut rows_of: HashMap<i32, agreement::Model> = HashMap::new();
    let mut commitments: Vec<commitment::Model> = Vec::new();
    let kpi_id = kpi_filter.and_then(|k| kpis.get(k)).map(|k| k.id);
    for chunk in ids.chunks(5_000) {
        rows_of.extend(
            agreement::Entity::find()
                .filter(agreement::Column::Id.is_in(chunk.to_vec()))
                .all(db)
                .await?
                .into_iter()
                .map(|a| (a.id, a)),
        );
        let mut cq = commitment::Entity::find()
            .filter(commitment::Column::AgreementId.is_in(chunk.to_vec()));
        if let Some(k) = kpi_id {
            cq = cq.filter(commitment::Column::KpiId.eq(k));
        }
        commitments.extend(cq.all(db).await?);
    }
    let kpi_by_id: HashMap<i32, &kpi::Model> = kpis.values().map(|k| (k.id, k)).collect();
    // Snapshots, where needed.
    let amended: Vec<i32> = rows_of
        .values()
        .filter(|a| a.in_force_version.is_some_and(|v| v != a.version || v > 1))
        .map(|a| a.id)
        .collect();
    let mut versions: HashMap<i32, super::reports::CommitmentVersions> = HashMap::new();
    for id in amended {
        if let Some(a) = rows_of.get(&id) {
            versions.insert(id, commitment_versions(db, a).await?);
        }
    }
    let summary_of: HashMap<i32, &AgreementSummary> = kept.iter().map(|s| (s.id, *s)).collect();
    // The latest revision of each commitment-period in the range.
    let wanted: std::collections::HashSet<i32> = commitments.iter().map(|c| c.id).collect();
    let rows: Vec<ReportRow> = service_level_report::Entity::find()
        .filter(service_level_report::Column::PeriodStart.gte(from))
        .filter(service_level_report::Column::PeriodStart.lte(to))
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
        .await?;
    let latest = latest_readings(rows, |c| wanted.contains(&c));

    let mut cells = Vec::new();
    for row in &commitments {
        let (Some(a), Some(s), Some(k)) = (
            rows_of.get(&row.agreement_id),
            summary_of.get(&row.agreement_id),
            kpi_by_id.get(&row.kpi_id),
        ) else {
            continue;
        };
        let c = CommitmentView {
            id: row.id,
            organisation_id: row.organisation_id,
            kpi: k.code.clone(),
            kpi_name: k.name.clone(),
            kpi_name_fr: k.name_fr.clone(),
            target: plain_decimal(row.target.0),
            warning_band: row.warning_band.map(|b| plain_decimal(b.0)),
            channel: row
                .channel
                .as_deref()
                .map(|ch| stored(ch, "commitments.channel"))
                .transpose()?,
            frequency: stored(&row.frequency, "commitments.frequency")?,
            grace_days: row.grace_days,
            effective_from: row.effective_from,
            effective_to: row.effective_to,
            allowed_misses: row.allowed_misses,
        };
        let no_versions = Vec::new();
        let governing = versions.get(&a.id).unwrap_or(&no_versions);
        let direction: KpiDirection = stored(&k.direction, "kpis.direction")?;
        let start = c.effective_from.max(a.starts_on).max(from);
        let end = c
            .effective_to
            .unwrap_or(a.ends_on)
            .min(a.ends_on)
            .min(to)
            .min(today);
        let org = orgs.get(&c.organisation_id);
        let level = org
            .and_then(|o| o.jurisdiction_id)
            .and_then(|j| jurisdictions.get(&j))
            .map_or_else(|| "none".to_owned(), |j| j.level.clone());
        let keys: Vec<(String, String)> = match group_by {
            GroupBy::Agreement => vec![(s.reference.clone(), s.title.clone())],
            GroupBy::Party => vec![(
                org.map_or_else(|| c.organisation_id.to_string(), |o| o.code.clone()),
                org.map_or_else(String::new, |o| o.name.clone()),
            )],
            GroupBy::Structure => {
                vec![(s.structure.as_str().into(), s.structure.as_str().into())]
            }
            GroupBy::Purpose => vec![(s.purpose.as_str().into(), s.purpose.as_str().into())],
            GroupBy::Boundary if s.boundaries.is_empty() => {
                vec![("none".into(), "none".into())]
            }
            GroupBy::Boundary => s
                .boundaries
                .iter()
                .map(|b| (b.as_str().to_owned(), b.as_str().to_owned()))
                .collect(),
            GroupBy::JurisdictionLevel => vec![(level.clone(), level)],
            GroupBy::Channel => {
                let ch = c.channel.map_or("all", |ch| ch.as_str()).to_owned();
                vec![(ch.clone(), ch)]
            }
            GroupBy::Kpi => vec![(c.kpi.clone(), c.kpi_name.clone())],
            GroupBy::Period => Vec::new(),
            GroupBy::Commitment => vec![(
                format!("{}#{}", s.reference, c.id),
                format!("{} — {}", c.kpi_name, org.map_or("", |o| o.name.as_str())),
            )],
        };
        for period in periods_between(c.frequency, start, end) {
            let (pstart, pend) = (period.start_date(1), period.end_date(1));
            if pend > today || pstart < from || pend > to {
                continue;
            }
            let terms = terms_on(governing, &c, pstart);
            let (status, value, reading) = match latest.get(&(c.id, period.to_string())) {
                Some((_, reading)) => {
                    let v = reading.value();
                    let status = match v {
                        Some(v) => judge(v, &target_of(terms, direction)?),
                        None => Status::Pending,
                    };
                    (status, v, Some(*reading))
                }
                None => (unreported(pend, terms.grace_days, today), None, None),
            };
            let keys = if group_by == GroupBy::Period {
                let month = pstart.format("%Y-%m").to_string();
                vec![(month.clone(), month)]
            } else {
                keys.clone()
            };
            cells.push(Cell {
                keys,
                status,
                value,
                reading,
            });
        }
    }

    let mut groups: BTreeMap<String, Tally> = BTreeMap::new();
    for cell in &cells {
        for (key, label) in &cell.keys {
            let t = groups.entry(key.clone()).or_default();
            t.label.clone_from(label);
            match cell.status {
                Status::Met => {
                    t.reported += 1;
                    t.met += 1;
                }
                Status::AtRisk => t.reported += 1,
                Status::Breached => {
                    t.reported += 1;
                    t.breached += 1;
                }
                Status::Missing => t.missing += 1,
                Status::Pending => {}
            }
            if let (Some(v), Some(_)) = (cell.value, kpi_filter) {
                t.values.push(v);
            }
            if let (Some(r), Some(_)) = (cell.reading, kpi_filter) {
                t.readings.push(r);
            }
        }
    }
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
    Ok(BenchmarksView { items, from, to })
}

/// The rows as CSV.
pub fn benchmarks_csv(v: &BenchmarksView) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
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
    ]);
    let opt = |v: Option<String>| v.unwrap_or_default();
    for r in &v.items {
        let _ = w.write_record([
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
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
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
    let visible = super::agreements::list(ctx, db, &AgreementFilters::default()).await?;
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
                let mut w = BTreeMap::new();
                if let Some(serde_json::Value::Object(map)) = v
                    .terms
                    .get("cost_model")
                    .and_then(|m| m.get("channel_weights"))
                {
                    for (k, val) in map {
                        if let (Ok(ch), Some(Ok(d))) = (
                            k.parse::<Channel>(),
                            val.as_str().map(str::parse::<Decimal>),
                        ) {
                            w.insert(ch, d);
                        }
                    }
                }
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
            let digits =
                crate::domain::Currency::parse(&cur).map_or(2, |c| c.minor_units()) as usize;
            let all = per_currency.get(&cur).copied().unwrap_or(0);
            ChannelRow {
                share: if all > 0 {
                    (n as f64 / all as f64 * 10_000.0).round() / 10_000.0
                } else {
                    0.0
                },
                cost: format!("{:.digits$}", cost.round_dp(digits as u32)),
                cost_per_transaction: (n > 0).then(|| {
                    format!(
                        "{:.digits$}",
                        (cost / Decimal::from(n)).round_dp(digits as u32)
                    )
                }),
                currency: cur,
                channel,
                transactions: n,
            }
        })
        .collect())
}
