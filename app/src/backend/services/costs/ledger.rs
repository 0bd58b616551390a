//! The ledger of an agreement's costs and volumes, and recording or
//! deleting one entry at a time.

use super::checks::{check_entry, check_volume, refused};
use super::{Books, books, people_only, reading, recorders, recording};
use crate::backend::audit::{self, Event};
use crate::backend::entities::{cost_entry, transaction_volume};
use crate::backend::services::{Ctx, rfc3339};
use crate::backend::{FieldError, ServiceError, ServiceResult};
use crate::domain::{Channel, Currency, Period};
use crate::wire::cost::*;
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use serde_json::json;
use std::collections::{BTreeMap, HashSet};

pub(super) fn entry_view(
    m: &cost_entry::Model,
    currency: Currency,
) -> ServiceResult<CostEntryView> {
    Ok(CostEntryView {
        id: m.id,
        period: m.period.clone(),
        kind: m.kind,
        category: m.category,
        amount: currency.fixed(m.amount.0),
        organisation_id: m.organisation_id,
        created_by: m.created_by,
        created_at: rfc3339(m.created_at),
    })
}

pub(super) fn volume_view(m: &transaction_volume::Model) -> ServiceResult<VolumeEntryView> {
    Ok(VolumeEntryView {
        id: m.id,
        period: m.period.clone(),
        channel: m.channel,
        organisation_id: m.organisation_id,
        count: m.count,
        service_id: m.service_id,
        meeting_standard: m.meeting_standard,
        created_by: m.created_by,
    })
}

/// The first and last day of `period_text` for agreement `b`.
pub(super) fn span(period_text: &str, b: &Books) -> ServiceResult<(Period, NaiveDate, NaiveDate)> {
    let p = Period::parse(period_text.trim()).map_err(|e| {
        ServiceError::validation(
            e.to_string(),
            vec![FieldError::new("period", e.to_string())],
        )
    })?;
    Ok((p, p.start_date(b.fiscal), p.end_date(b.fiscal)))
}

/// The cost entries and volumes of agreement `id`, within `period` (any
/// kind of period) when given, newest month first.
///
/// Fails with `NotFound` if the caller may not see the agreement and
/// `Validation` for a malformed period.
pub async fn ledger(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
    period: Option<&str>,
) -> ServiceResult<LedgerView> {
    reading(ctx, db, id).await?;
    people_only(ctx)?;
    let b = books(db, id).await?;
    let mut entries = cost_entry::Entity::find().filter(cost_entry::Column::AgreementId.eq(id));
    let mut volumes =
        transaction_volume::Entity::find().filter(transaction_volume::Column::AgreementId.eq(id));
    if let Some(text) = period.filter(|p| !p.trim().is_empty()) {
        let (_, from, to) = span(text, &b)?;
        entries = entries
            .filter(cost_entry::Column::PeriodStart.gte(from))
            .filter(cost_entry::Column::PeriodStart.lte(to));
        volumes = volumes
            .filter(transaction_volume::Column::PeriodStart.gte(from))
            .filter(transaction_volume::Column::PeriodStart.lte(to));
    }
    let entries = entries
        .order_by_desc(cost_entry::Column::PeriodStart)
        .order_by_asc(cost_entry::Column::OrganisationId)
        .order_by_asc(cost_entry::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(|m| entry_view(m, b.currency))
        .collect::<ServiceResult<Vec<_>>>()?;
    let volumes = volumes
        .order_by_desc(transaction_volume::Column::PeriodStart)
        .order_by_asc(transaction_volume::Column::OrganisationId)
        .order_by_asc(transaction_volume::Column::Channel)
        .all(db)
        .await?
        .iter()
        .map(volume_view)
        .collect::<ServiceResult<Vec<_>>>()?;
    Ok(LedgerView {
        currency: b.currency.code().to_owned(),
        entries,
        volumes,
        may_record_for: recorders(ctx, &b),
    })
}

/// Records one cost entry.
///
/// Fails with `NotFound`/`Forbidden` as [`recording`] does and
/// `Validation` for a bad month, amount or party.
#[tracing::instrument(skip(ctx, db, params))]
pub async fn add_entry<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    params: CostEntryParams,
) -> ServiceResult<CostEntryView> {
    let (b, may) = recording(ctx, db, id).await?;
    let mut errors = Vec::new();
    let Some(mut model) = check_entry(&mut errors, None, &params, &b, &may, crate::clock::today())
    else {
        return Err(refused(errors, "cost entry"));
    };
    model.created_by = Set(ctx.actor.as_ref().and_then(|a| a.user_id()));
    let tx = crate::backend::db::write_tx(db).await?;
    let saved = model.insert(&tx).await?;
    let view = entry_view(&saved, b.currency)?;
    audit::commit(
        tx,
        ctx,
        Event::created("cost_entry.create", "cost_entry", saved.id, json!(view)),
    )
    .await?;
    Ok(view)
}

/// Records one month's count for a channel and party, replacing any
/// earlier count for the same month, channel and party.
///
/// Fails as [`add_entry`] does.
#[tracing::instrument(skip(ctx, db, params))]
pub async fn add_volume<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    params: VolumeEntryParams,
) -> ServiceResult<VolumeEntryView> {
    let (b, may) = recording(ctx, db, id).await?;
    let mut errors = Vec::new();
    let Some(mut model) = check_volume(&mut errors, None, &params, &b, &may, crate::clock::today())
    else {
        return Err(refused(errors, "volume"));
    };
    model.created_by = Set(ctx.actor.as_ref().and_then(|a| a.user_id()));
    let tx = crate::backend::db::write_tx(db).await?;
    let replaced = replace_volumes(&tx, id, std::slice::from_ref(&model)).await?;
    let saved = model.insert(&tx).await?;
    let view = volume_view(&saved)?;
    audit::commit(
        tx,
        ctx,
        Event {
            action: "volume.record",
            entity: "transaction_volume",
            entity_id: Some(saved.id),
            before: (replaced > 0).then(|| json!({"replaced": replaced})),
            after: Some(json!(view)),
        },
    )
    .await?;
    Ok(view)
}

/// Deletes the volumes the new ones replace; returns how many.
pub(super) async fn replace_volumes(
    tx: &impl ConnectionTrait,
    id: i32,
    new: &[transaction_volume::ActiveModel],
) -> ServiceResult<u64> {
    let mut gone = 0;
    // A volume is one month, channel, party and service (or none).
    type Key = (Channel, i32, Option<i32>);
    let mut keys: BTreeMap<NaiveDate, Vec<Key>> = BTreeMap::new();
    for m in new {
        if let (Set(start), Set(channel), Set(org), Set(service)) = (
            &m.period_start,
            &m.channel,
            &m.organisation_id,
            &m.service_id,
        ) {
            keys.entry(*start)
                .or_default()
                .push((*channel, *org, *service));
        }
    }
    for (start, wanted) in keys {
        let existing: Vec<(i32, Channel, i32, Option<i32>)> = transaction_volume::Entity::find()
            .filter(transaction_volume::Column::AgreementId.eq(id))
            .filter(transaction_volume::Column::PeriodStart.eq(start))
            .select_only()
            .column(transaction_volume::Column::Id)
            .column(transaction_volume::Column::Channel)
            .column(transaction_volume::Column::OrganisationId)
            .column(transaction_volume::Column::ServiceId)
            .into_tuple()
            .all(tx)
            .await?;
        let wanted: HashSet<Key> = wanted.into_iter().collect();
        let ids: Vec<i32> = existing
            .into_iter()
            .filter(|(_, c, o, s)| wanted.contains(&(*c, *o, *s)))
            .map(|(i, ..)| i)
            .collect();
        if !ids.is_empty() {
            gone += transaction_volume::Entity::delete_many()
                .filter(transaction_volume::Column::Id.is_in(ids))
                .exec(tx)
                .await?
                .rows_affected;
        }
    }
    Ok(gone)
}

/// Deletes a cost entry recorded in error: by whoever may record for its
/// party.
///
/// Fails with `NotFound` for an entry of another agreement or one the
/// caller may not see, `Forbidden` for one they may not change.
#[tracing::instrument(skip(ctx, db))]
pub async fn delete_entry<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    entry_id: i32,
) -> ServiceResult<()> {
    let (b, may) = recording(ctx, db, id).await?;
    let tx = crate::backend::db::write_tx(db).await?;
    let entry = cost_entry::Entity::find_by_id(entry_id)
        .filter(cost_entry::Column::AgreementId.eq(id))
        .one(&tx)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !may.contains(&entry.organisation_id) {
        return Err(ServiceError::Forbidden);
    }
    let before = entry_view(&entry, b.currency)?;
    cost_entry::Entity::delete_by_id(entry_id).exec(&tx).await?;
    audit::commit(
        tx,
        ctx,
        Event {
            action: "cost_entry.delete",
            entity: "cost_entry",
            entity_id: Some(entry_id),
            before: Some(json!(before)),
            after: None,
        },
    )
    .await?;
    Ok(())
}

/// Deletes a volume recorded in error. Fails as [`delete_entry`] does.
#[tracing::instrument(skip(ctx, db))]
pub async fn delete_volume<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    volume_id: i32,
) -> ServiceResult<()> {
    let (_, may) = recording(ctx, db, id).await?;
    let tx = crate::backend::db::write_tx(db).await?;
    let v = transaction_volume::Entity::find_by_id(volume_id)
        .filter(transaction_volume::Column::AgreementId.eq(id))
        .one(&tx)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !may.contains(&v.organisation_id) {
        return Err(ServiceError::Forbidden);
    }
    let before = volume_view(&v)?;
    transaction_volume::Entity::delete_by_id(volume_id)
        .exec(&tx)
        .await?;
    audit::commit(
        tx,
        ctx,
        Event {
            action: "volume.delete",
            entity: "transaction_volume",
            entity_id: Some(volume_id),
            before: Some(json!(before)),
            after: None,
        },
    )
    .await?;
    Ok(())
}
