//! Channel mix and cost per transaction by channel: the case for channel
//! migration.

use crate::backend::ServiceResult;
use crate::backend::entities::agreement;
use crate::backend::exact::Exact;
use crate::backend::services::Ctx;
use crate::domain::channel_shift;
use crate::domain::{Channel, CostKind, Role};
use crate::wire::agreements::AgreementFilters;
use crate::wire::benchmarks::*;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{BTreeMap, HashMap};

/// Channel weights of a version, from the day it governs (and its number).
type WeightsFrom = (NaiveDate, i32, BTreeMap<Channel, Decimal>);

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
    ctx.require(&[Role::Executive, Role::Manager, Role::Admin])?;
    let visible =
        crate::backend::services::agreements::list_as_party(ctx, db, &AgreementFilters::default())
            .await?;
    let currency: HashMap<i32, String> =
        visible.iter().map(|a| (a.id, a.currency.clone())).collect();
    let (volumes, costs) = month_sums(db, from, to, &currency).await?;
    let ids: Vec<i32> = volumes
        .keys()
        .map(|(a, _)| *a)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let weights = weights_in_force(db, ids).await?;
    let totals = apportion(&volumes, &costs, &weights, &currency);
    Ok(rows(totals))
}

/// Transactions by channel, by agreement and month.
type MonthVolumes = BTreeMap<(i32, NaiveDate), BTreeMap<Channel, i64>>;
/// Actual cost, by agreement and month.
type MonthCosts = HashMap<(i32, NaiveDate), Decimal>;

/// Transactions by channel, and the actual cost, of each agreement in
/// `currency` (those the caller sees) and month starting in `from..=to`.
async fn month_sums(
    db: &impl ConnectionTrait,
    from: NaiveDate,
    to: NaiveDate,
    currency: &HashMap<i32, String>,
) -> ServiceResult<(MonthVolumes, MonthCosts)> {
    use crate::backend::entities::{cost_entry, transaction_volume};
    let volumes: Vec<(i32, NaiveDate, Channel, i64)> = transaction_volume::Entity::find()
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
    let costs: Vec<(i32, NaiveDate, CostKind, Exact)> = cost_entry::Entity::find()
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
    let mut month_volumes = MonthVolumes::new();
    for (a, m, ch, n) in volumes {
        if !currency.contains_key(&a) {
            continue;
        }
        *month_volumes
            .entry((a, m))
            .or_default()
            .entry(ch)
            .or_default() += n;
    }
    let mut month_costs = MonthCosts::new();
    for (a, m, kind, amount) in costs {
        if kind == CostKind::Actual && currency.contains_key(&a) {
            *month_costs.entry((a, m)).or_default() += amount.0;
        }
    }
    Ok((month_volumes, month_costs))
}

/// The channel weights of every version that governs agreements `ids`.
async fn weights_in_force(
    db: &impl ConnectionTrait,
    ids: Vec<i32>,
) -> ServiceResult<HashMap<i32, Vec<WeightsFrom>>> {
    let mut weights_of: HashMap<i32, Vec<WeightsFrom>> = HashMap::new();
    for id in ids {
        let Some(a) = agreement::Entity::find_by_id(id).one(db).await? else {
            continue;
        };
        let (versions, _) = crate::backend::services::versions::governing(db, &a).await?;
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
    Ok(weights_of)
}

/// Transactions and apportioned actual cost by currency and channel: each
/// month's cost in proportion to its weighted transactions
/// ([`channel_shift::apportion`], the method the business case uses).
fn apportion(
    month_volumes: &MonthVolumes,
    month_costs: &MonthCosts,
    weights_of: &HashMap<i32, Vec<WeightsFrom>>,
    currency: &HashMap<i32, String>,
) -> BTreeMap<(String, Channel), (i64, Decimal)> {
    let mut totals: BTreeMap<(String, Channel), (i64, Decimal)> = BTreeMap::new();
    for ((a, m), by_channel) in month_volumes {
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
        let cost = month_costs.get(&(*a, *m)).copied().unwrap_or_default();
        let counts: BTreeMap<Channel, u64> = by_channel
            .iter()
            .map(|(ch, n)| (*ch, u64::try_from(*n).unwrap_or(0)))
            .collect();
        let shares = channel_shift::apportion(cost, &counts, &weights);
        for (ch, n) in by_channel {
            let slot = totals.entry((cur.clone(), *ch)).or_default();
            slot.0 += n;
            slot.1 += shares.get(ch).copied().unwrap_or_default();
        }
    }
    totals
}

/// One row per currency and channel: its share of the currency's
/// transactions, its cost and cost per transaction.
fn rows(totals: BTreeMap<(String, Channel), (i64, Decimal)>) -> Vec<ChannelRow> {
    let per_currency: HashMap<String, i64> =
        totals
            .iter()
            .fold(HashMap::new(), |mut acc, ((c, _), (n, _))| {
                *acc.entry(c.clone()).or_default() += n;
                acc
            });
    totals
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
        .collect()
}
