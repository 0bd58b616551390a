//! The measured basis of a channel-migration business case (issue 22): an
//! agreement's cost per transaction by channel over some months, by the
//! method of [`crate::domain::channel_shift`], and each party's
//! transactions by channel. Pricing a shift from it is pure and happens
//! where it is asked for (the simulator, in the browser).

use super::{books, people_only, reading};
use crate::backend::ServiceResult;
use crate::backend::entities::{cost_entry, transaction_volume};
use crate::backend::exact::Exact;
use crate::backend::services::Ctx;
use crate::backend::services::months::{month_text, months};
use crate::backend::services::versions::{governing, in_force};
use crate::domain::channel_shift::Measured;
use crate::domain::{Channel, CostKind};
use crate::wire::cost::ChannelMinimumTerm;
use crate::wire::cost::{ChannelCostRow, ChannelCostsQuery, ChannelCostsView, ChannelVolume};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::BTreeMap;

/// The measured costs of agreement `id`'s channels over the months `q`
/// names. Anyone who may see the agreement (not API tokens).
///
/// Fails with `NotFound` when the caller may not see it and `Validation`
/// for a malformed or reversed range.
pub async fn channel_costs(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
    q: &ChannelCostsQuery,
) -> ServiceResult<ChannelCostsView> {
    reading(ctx, db, id).await?;
    people_only(ctx)?;
    let b = books(db, id).await?;
    // Volumes and costs are keyed by their month's first day: the last
    // month's is within `to`, its last day.
    let (from, to) = months(
        q.from.as_deref(),
        q.to.as_deref(),
        crate::clock::today(),
        b.fiscal,
    )?;
    let volumes: Vec<(NaiveDate, i32, Channel, i64)> = transaction_volume::Entity::find()
        .filter(transaction_volume::Column::AgreementId.eq(id))
        .filter(transaction_volume::Column::PeriodStart.between(from, to))
        .select_only()
        .column(transaction_volume::Column::PeriodStart)
        .column(transaction_volume::Column::OrganisationId)
        .column(transaction_volume::Column::Channel)
        .column(transaction_volume::Column::Count)
        .into_tuple()
        .all(db)
        .await?;
    let costs: Vec<(NaiveDate, CostKind, Exact)> = cost_entry::Entity::find()
        .filter(cost_entry::Column::AgreementId.eq(id))
        .filter(cost_entry::Column::PeriodStart.between(from, to))
        .select_only()
        .column(cost_entry::Column::PeriodStart)
        .column(cost_entry::Column::Kind)
        .column(cost_entry::Column::Amount)
        .into_tuple()
        .all(db)
        .await?;
    let mut month_volumes: BTreeMap<NaiveDate, BTreeMap<Channel, u64>> = BTreeMap::new();
    let mut by_party: BTreeMap<(i32, Channel), i64> = BTreeMap::new();
    for (month, org, channel, n) in volumes {
        let slot = month_volumes
            .entry(month)
            .or_default()
            .entry(channel)
            .or_default();
        *slot = slot.saturating_add(u64::try_from(n).unwrap_or(0));
        let p = by_party.entry((org, channel)).or_default();
        *p = p.saturating_add(n);
    }
    let mut month_costs: BTreeMap<NaiveDate, Decimal> = BTreeMap::new();
    for (month, kind, amount) in costs {
        if kind == CostKind::Actual {
            *month_costs.entry(month).or_default() += amount.0;
        }
    }
    // The channel weights in force each month: the last version governing
    // from that month's first day or before.
    let (versions, provisional) = governing(db, &b.agreement).await?;
    let weights_on = |month: NaiveDate| {
        in_force(&versions, month)
            .and_then(|v| v.terms.cost_model.as_ref())
            .map(|m| m.channel_weights.clone())
            .unwrap_or_default()
    };
    // The minimums a shift is held to are those in force today: never a
    // pending amendment's, whatever it proposes.
    let minimums = in_force(&versions, crate::clock::today())
        .map(|v| {
            v.terms
                .channel_minimums
                .iter()
                .map(ChannelMinimumTerm::of_terms)
                .collect()
        })
        .unwrap_or_default();
    let mut measured = Measured::default();
    let months: std::collections::BTreeSet<NaiveDate> = month_volumes
        .keys()
        .chain(month_costs.keys())
        .copied()
        .collect();
    for month in months {
        let empty = BTreeMap::new();
        measured.add_month(
            month_costs.get(&month).copied().unwrap_or_default(),
            month_volumes.get(&month).unwrap_or(&empty),
            &weights_on(month),
        );
    }
    let total: Decimal = month_costs.values().copied().sum();
    Ok(ChannelCostsView {
        agreement_id: id,
        currency: b.currency.code().to_owned(),
        from: month_text(from),
        to: month_text(to),
        total_cost: b.currency.fixed(total),
        channels: measured
            .channels()
            .map(|(channel, n, cost)| ChannelCostRow {
                channel,
                transactions: i64::try_from(n).unwrap_or(i64::MAX),
                cost: cost.normalize().to_string(),
                cost_per_transaction: measured
                    .cost_per_transaction(channel)
                    .map(|c| b.currency.fixed(c)),
            })
            .collect(),
        volumes: by_party
            .into_iter()
            .map(|((organisation_id, channel), count)| ChannelVolume {
                organisation_id,
                channel,
                count,
            })
            .collect(),
        minimums,
        minimums_provisional: provisional,
    })
}
