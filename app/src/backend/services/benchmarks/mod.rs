//! Benchmarks (DOMAIN.md §5): every commitment-period of the agreements
//! the caller may see, judged as the compliance view judges it (latest
//! revision, terms in force then, missing after grace), grouped one way;
//! per group the periods reported, met and missing, the compliance rate
//! (met ÷ (reported + missing): not reporting counts as not meeting), and
//! for one KPI the median and quartiles of its reported values; grouped by
//! agreement, each one's rank and percentile among its peers.

mod grouping;
mod groups;
mod range;
mod scope;
mod sums;

pub use channels::channels;
pub(crate) use grouping::{Grouping, grouping, months};

mod channels;

use crate::backend::ServiceResult;
use crate::backend::services::Ctx;
use crate::domain::Role;
use crate::wire::benchmarks::*;

/// [`benchmarks`] for a request: kept until the data changes
/// (`backend::cache`).
///
/// Fails as [`benchmarks`] does.
pub async fn benchmarks_cached(
    ctx: &Ctx,
    db: &sea_orm::DatabaseConnection,
    q: &BenchmarkQuery,
) -> ServiceResult<BenchmarksView> {
    ctx.kept(db, "benchmarks", q, benchmarks(ctx, db, q)).await
}

/// [`channels`] for a request: kept until the data changes.
///
/// Fails as [`channels`] does.
pub async fn channels_cached(
    ctx: &Ctx,
    db: &sea_orm::DatabaseConnection,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> ServiceResult<Vec<ChannelRow>> {
    ctx.kept(db, "channels", &(from, to), channels(ctx, db, from, to))
        .await
}

/// The benchmark rows for `q`. Executives, managers and admins, over the
/// agreements they may see.
///
/// Fails with `Forbidden` for reporters and API tokens, `Validation` for a
/// malformed period or an unknown KPI.
#[tracing::instrument(skip(ctx, db))]
pub async fn benchmarks(
    ctx: &Ctx,
    db: &impl sea_orm::ConnectionTrait,
    q: &BenchmarkQuery,
) -> ServiceResult<BenchmarksView> {
    ctx.require(&[Role::Executive, Role::Manager, Role::Admin])?;
    let started = std::time::Instant::now();
    let lap = |phase: &str| tracing::debug!(phase, ms = started.elapsed().as_secs_f64() * 1e3);
    let s = scope::scope(ctx, db, q).await?;
    lap("agreements");
    let units = sums::units(db, &s).await?;
    lap("aggregated");
    let groups = groups::group(&s, units.by_unit);
    lap("grouped");
    let mut items = groups::rows(&s, groups);
    if let Some(n) = q.worst {
        groups::keep_worst(&mut items, n);
    }
    let total = items.len();
    let mut items = groups::page(items, q.offset, q.limit);
    if s.group_by == GroupBy::Commitment {
        groups::label_commitments(&s, &units.commitment_of, &mut items);
    }
    lap("done");
    Ok(BenchmarksView {
        items,
        total,
        from: s.from,
        to: s.to,
    })
}

/// The rows as CSV.
pub fn benchmarks_csv(v: &BenchmarksView) -> String {
    let header = [
        "group",
        "label",
        "label_fr",
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
            opt(r.label_fr.clone()),
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
