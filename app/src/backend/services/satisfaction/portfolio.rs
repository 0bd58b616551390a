//! Satisfaction across the portfolio: benchmarks by driver, grouped by
//! agreement, structure or boundary crossed, and the driver analysis —
//! over the agreements the caller may see as every benchmark sees them
//! (`benchmarks::grouping`: one visibility rule).

use super::{added_up, percent, survey, too_large};
use crate::backend::ServiceResult;
use crate::backend::entities::satisfaction_result;
use crate::backend::services::Ctx;
use crate::backend::services::benchmarks::{Grouping, grouping};
use crate::domain::satisfaction::{Survey, driver_analysis};
use crate::wire::benchmarks::GroupBy;
use crate::wire::satisfaction::*;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::BTreeMap;

/// The results of the agreements of `g` over its months, by agreement.
async fn results_of(
    db: &impl ConnectionTrait,
    g: &Grouping,
) -> ServiceResult<BTreeMap<i32, Vec<Survey>>> {
    let mut out: BTreeMap<i32, Vec<Survey>> = BTreeMap::new();
    // Every agreement's rows of the months, kept here to those visible
    // rather than one bound parameter per agreement.
    for m in satisfaction_result::Entity::find()
        .filter(satisfaction_result::Column::PeriodStart.gte(g.from))
        .filter(satisfaction_result::Column::PeriodStart.lte(g.to))
        .all(db)
        .await?
    {
        if g.agreements.contains_key(&m.agreement_id) {
            out.entry(m.agreement_id).or_default().push(survey(&m));
        }
    }
    Ok(out)
}

fn month(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m").to_string()
}

/// Satisfaction overall and by driver, weighted by sample size, per group
/// of the agreements the caller may see (grouped by boundary, an agreement
/// counts in each boundary it crosses, and in `none` when it crosses
/// none), over the months of `q`. Ordered by group, or with `driver` by
/// that driver's score, highest first (groups without it last).
///
/// Fails with `Forbidden` for reporters and API tokens, `Validation` for a
/// malformed month.
#[tracing::instrument(skip(ctx, db))]
pub async fn benchmarks(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    q: &SatisfactionBenchmarkQuery,
) -> ServiceResult<SatisfactionBenchmarksView> {
    let group_by = q.group_by.unwrap_or_default();
    let g = grouping(
        ctx,
        db,
        match group_by {
            SatisfactionGroupBy::Agreement => GroupBy::Agreement,
            SatisfactionGroupBy::Structure => GroupBy::Structure,
            SatisfactionGroupBy::Boundary => GroupBy::Boundary,
        },
        q.from.clone(),
        q.to.clone(),
    )
    .await?;
    let results = results_of(db, &g).await?;
    type Group = (
        String,
        Option<String>,
        Option<crate::domain::Structure>,
        Vec<Survey>,
    );
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for (id, rows) in &results {
        let structure = g.agreements.get(id).map(|a| a.structure);
        for (key, label, label_fr) in g.groups_of.get(id).into_iter().flatten() {
            let entry = groups.entry(key.clone()).or_insert_with(|| {
                (
                    label.clone(),
                    label_fr.clone(),
                    match group_by {
                        SatisfactionGroupBy::Boundary => None,
                        _ => structure,
                    },
                    Vec::new(),
                )
            });
            entry.3.extend_from_slice(rows);
        }
    }
    let mut items = Vec::with_capacity(groups.len());
    for (group, (label, label_fr, structure, rows)) in groups {
        if let Some(aggregate) = added_up(&rows)? {
            items.push(SatisfactionBenchmarkRow {
                group,
                label,
                label_fr,
                structure,
                aggregate,
            });
        }
    }
    if let Some(d) = q.driver {
        let score = |r: &SatisfactionBenchmarkRow| {
            r.aggregate
                .drivers
                .get(d)
                .and_then(|s| s.parse::<Decimal>().ok())
        };
        items.sort_by(|a, b| match (score(a), score(b)) {
            (Some(x), Some(y)) => y.cmp(&x).then_with(|| a.group.cmp(&b.group)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.group.cmp(&b.group),
        });
    }
    Ok(SatisfactionBenchmarksView {
        group_by,
        driver: q.driver,
        from: month(g.from),
        to: month(g.to),
        total: items.len(),
        items,
    })
}

/// The driver analysis over every result of the agreements the caller may
/// see in the months of `q`: drivers ranked by their sample-size-weighted
/// correlation with overall satisfaction, with the gap between satisfied
/// and dissatisfied results (`domain::satisfaction::driver_analysis`).
///
/// Fails as [`benchmarks`] does.
#[tracing::instrument(skip(ctx, db))]
pub async fn drivers(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    q: &SatisfactionQuery,
) -> ServiceResult<DriverAnalysisView> {
    let g = grouping(ctx, db, GroupBy::Agreement, q.from.clone(), q.to.clone()).await?;
    let rows: Vec<Survey> = results_of(db, &g).await?.into_values().flatten().collect();
    let effects = driver_analysis(&rows).map_err(too_large)?;
    let items = effects
        .into_iter()
        .map(|e| DriverEffectRow {
            rank: e.rank,
            driver: e.driver,
            results: e.mean.map_or(0, |m| m.results),
            sample_size: e.mean.map_or(0, |m| m.sample),
            mean: e.mean.map(|m| percent(m.mean)),
            correlation: e
                .correlation
                .map(|r| crate::backend::services::plain_decimal(r.round_dp(3))),
            satisfied_mean: e.satisfied.map(|m| percent(m.mean)),
            dissatisfied_mean: e.dissatisfied.map(|m| percent(m.mean)),
            gap: e.gap.map(percent),
        })
        .collect();
    Ok(DriverAnalysisView {
        from: month(g.from),
        to: month(g.to),
        portfolio: added_up(&rows)?,
        items,
    })
}
