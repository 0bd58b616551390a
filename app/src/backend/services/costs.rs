//! Cost entries and transaction volumes (DOMAIN.md §3): recorded by month,
//! one at a time or by CSV upload (all rows or none), by managers of the
//! agreement's parties for any party and by reporters for their own
//! organisation; and the reconciliation of a period — each party's due
//! share under the model in force each month, what it paid, its balance,
//! the settling transfers, and budget versus actual.

use super::agreements::is_party;
use super::{Ctx, rfc3339, stored};
use crate::backend::audit::{self, Event};
use crate::backend::csv_table;
use crate::backend::entities::{
    agreement, agreement_party, cost_entry, organisation, transaction_volume,
};
use crate::backend::exact::Exact;
use crate::backend::{FieldError, ServiceError, ServiceResult};
use crate::domain::cost::{CostModel, MAX_COUNT, Volume, settle, split};
use crate::domain::{
    Channel, CostCategory, CostKind, Currency, Frequency, Money, Period, PeriodKind, Role,
    periods_between,
};
use crate::wire::cost::*;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionSession, TransactionTrait,
};
use serde_json::json;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::str::FromStr;

/// What a recording needs to know about the agreement.
struct Books {
    agreement: agreement::Model,
    currency: Currency,
    fiscal: u32,
    /// Party organisation ids, ascending.
    parties: Vec<i32>,
}

async fn books(db: &impl ConnectionTrait, id: i32) -> ServiceResult<Books> {
    let agreement = agreement::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let currency = Currency::parse(&agreement.currency)
        .map_err(|e| sea_orm::DbErr::Type(format!("agreements.currency: {e}")))?;
    let fiscal = u32::try_from(agreement.fiscal_year_start_month)
        .ok()
        .filter(|m| (1..=12).contains(m))
        .unwrap_or(1);
    let mut parties: Vec<i32> = agreement_party::Entity::find()
        .filter(agreement_party::Column::AgreementId.eq(id))
        .select_only()
        .column(agreement_party::Column::OrganisationId)
        .into_tuple()
        .all(db)
        .await?;
    parties.sort_unstable();
    parties.dedup();
    Ok(Books {
        agreement,
        currency,
        fiscal,
        parties,
    })
}

/// Whether the caller may read agreement `id`'s books and service levels:
/// anyone who may see it, and API tokens of a party. Fails with `NotFound`
/// otherwise.
pub(crate) async fn reading(ctx: &Ctx, db: &impl ConnectionTrait, id: i32) -> ServiceResult<()> {
    if ctx.sees_all() {
        return Ok(());
    }
    let actor = ctx.actor()?;
    if is_party(db, id, actor.organisation_id).await? {
        Ok(())
    } else {
        Err(ServiceError::NotFound)
    }
}

/// Fails with `Forbidden` for an API token: a partner's system records its
/// organisation's costs and volumes, it does not read the partnership's
/// books.
fn people_only(ctx: &Ctx) -> ServiceResult<()> {
    if ctx
        .actor
        .as_ref()
        .is_some_and(|a| a.api_token_id().is_some())
    {
        Err(ServiceError::Forbidden)
    } else {
        Ok(())
    }
}

/// What is wrong with a transaction count, if anything: negative, or
/// beyond [`MAX_COUNT`] (which keeps every sum and product of counts far
/// from overflowing).
fn count_problem(count: i64) -> Option<&'static str> {
    if count < 0 {
        Some("A count cannot be negative.")
    } else if count.unsigned_abs() > MAX_COUNT {
        Some("At most 1,000,000,000,000 transactions.")
    } else {
        None
    }
}

/// The organisations the caller may record costs and volumes for:
/// every party for admins and for managers of a party; their own
/// organisation for reporters (and their API tokens); none otherwise.
fn recorders(ctx: &Ctx, b: &Books) -> Vec<i32> {
    let Some(actor) = ctx.actor.as_ref() else {
        return Vec::new();
    };
    let party = b.parties.contains(&actor.organisation_id);
    match actor.role {
        Role::Admin if actor.api_token_id().is_none() => b.parties.clone(),
        Role::Manager if party && actor.api_token_id().is_none() => b.parties.clone(),
        Role::Reporter if party => vec![actor.organisation_id],
        _ => Vec::new(),
    }
}

/// The books of `id` when the caller may record for some party.
///
/// Fails with `NotFound` if they may not see the agreement and `Forbidden`
/// if they may see but not record.
async fn recording(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
) -> ServiceResult<(Books, Vec<i32>)> {
    // The books already hold the parties: no second query to see whether
    // the caller's organisation is one.
    let actor = ctx.actor()?;
    let b = books(db, id).await?;
    if !ctx.sees_all() && !b.parties.contains(&actor.organisation_id) {
        return Err(ServiceError::NotFound);
    }
    let may = recorders(ctx, &b);
    if may.is_empty() {
        return Err(ServiceError::Forbidden);
    }
    Ok((b, may))
}

/// A month within the agreement's term, as recorded.
fn month(errors: &mut Vec<FieldError>, line: Option<u64>, text: &str, b: &Books) -> Option<Period> {
    period_in_term(errors, line, text, b, true)
}

/// A period within the agreement's term: a month when `months_only`
/// (actual costs, volumes), any period otherwise (budgets).
fn period_in_term(
    errors: &mut Vec<FieldError>,
    line: Option<u64>,
    text: &str,
    b: &Books,
    months_only: bool,
) -> Option<Period> {
    let mut problem = |m: String| {
        errors.push(match line {
            Some(l) => FieldError::at_line(l, "period", m),
            None => FieldError::new("period", m),
        });
    };
    match Period::parse(text.trim()) {
        Err(e) => {
            problem(format!("{e}."));
            None
        }
        Ok(p) if months_only && p.kind() != PeriodKind::Month => {
            problem(format!(
                "'{text}' is not a month: actual costs and volumes are recorded by month, as 2026-10."
            ));
            None
        }
        Ok(p)
            if p.end_date(b.fiscal) < b.agreement.starts_on
                || p.start_date(b.fiscal) > b.agreement.ends_on =>
        {
            problem(format!(
                "{p} lies outside the agreement's term ({} to {}).",
                b.agreement.starts_on, b.agreement.ends_on
            ));
            None
        }
        Ok(p) => Some(p),
    }
}

fn push(errors: &mut Vec<FieldError>, line: Option<u64>, field: &str, message: String) {
    errors.push(match line {
        Some(l) => FieldError::at_line(l, field, message),
        None => FieldError::new(field, message),
    });
}

fn party(
    errors: &mut Vec<FieldError>,
    line: Option<u64>,
    organisation_id: i32,
    b: &Books,
    may: &[i32],
) -> Option<i32> {
    if !b.parties.contains(&organisation_id) {
        push(
            errors,
            line,
            "organisation_id",
            format!("Organisation {organisation_id} is not a party to this agreement."),
        );
        None
    } else if !may.contains(&organisation_id) {
        push(
            errors,
            line,
            "organisation_id",
            "You may record only for your own organisation.".to_owned(),
        );
        None
    } else {
        Some(organisation_id)
    }
}

fn not_begun(p: Period, b: &Books) -> bool {
    p.start_date(b.fiscal) > crate::clock::today()
}

/// One cost entry checked against the agreement; every problem pushed.
fn check_entry(
    errors: &mut Vec<FieldError>,
    line: Option<u64>,
    p: &CostEntryParams,
    b: &Books,
    may: &[i32],
) -> Option<cost_entry::ActiveModel> {
    let before = errors.len();
    let period = period_in_term(errors, line, &p.period, b, p.kind == CostKind::Actual);
    let amount = match Money::parse_non_negative(p.amount.trim(), b.currency) {
        Ok(m) => Some(m.amount()),
        Err(e) => {
            push(errors, line, "amount", format!("'{}': {e}", p.amount));
            None
        }
    };
    let org = party(errors, line, p.organisation_id, b, may);
    if let Some(period) = period
        && p.kind == CostKind::Actual
        && not_begun(period, b)
    {
        push(
            errors,
            line,
            "period",
            format!("{period} has not begun: only budgets can be recorded for it."),
        );
    }
    if errors.len() > before {
        return None;
    }
    let (period, amount, org) = (period?, amount?, org?);
    let now = crate::clock::now();
    Some(cost_entry::ActiveModel {
        agreement_id: Set(b.agreement.id),
        period: Set(period.to_string()),
        period_start: Set(period.start_date(b.fiscal)),
        kind: Set(p.kind.as_str().to_owned()),
        category: Set(p.category.as_str().to_owned()),
        amount: Set(Exact(amount)),
        organisation_id: Set(org),
        created_at: Set(now),
        updated_at: Set(now),
        lock_version: Set(1),
        ..Default::default()
    })
}

/// One volume checked against the agreement; every problem pushed.
fn check_volume(
    errors: &mut Vec<FieldError>,
    line: Option<u64>,
    p: &VolumeEntryParams,
    b: &Books,
    may: &[i32],
) -> Option<transaction_volume::ActiveModel> {
    let before = errors.len();
    let period = month(errors, line, &p.period, b);
    if let Some(problem) = count_problem(p.count) {
        push(errors, line, "count", problem.to_owned());
    }
    let org = party(errors, line, p.organisation_id, b, may);
    if let Some(period) = period
        && not_begun(period, b)
    {
        push(
            errors,
            line,
            "period",
            format!("{period} has not begun: no transactions can have been delivered in it."),
        );
    }
    if errors.len() > before {
        return None;
    }
    let (period, org) = (period?, org?);
    let now = crate::clock::now();
    Some(transaction_volume::ActiveModel {
        agreement_id: Set(b.agreement.id),
        period: Set(period.to_string()),
        period_start: Set(period.start_date(b.fiscal)),
        channel: Set(p.channel.as_str().to_owned()),
        organisation_id: Set(org),
        count: Set(p.count),
        created_at: Set(now),
        updated_at: Set(now),
        lock_version: Set(1),
        ..Default::default()
    })
}

fn entry_view(m: &cost_entry::Model, currency: Currency) -> ServiceResult<CostEntryView> {
    Ok(CostEntryView {
        id: m.id,
        period: m.period.clone(),
        kind: stored(&m.kind, "cost_entries.kind")?,
        category: stored(&m.category, "cost_entries.category")?,
        amount: currency.fixed(m.amount.0),
        organisation_id: m.organisation_id,
        created_by: m.created_by,
        created_at: rfc3339(m.created_at),
    })
}

fn volume_view(m: &transaction_volume::Model) -> ServiceResult<VolumeEntryView> {
    Ok(VolumeEntryView {
        id: m.id,
        period: m.period.clone(),
        channel: stored(&m.channel, "transaction_volumes.channel")?,
        organisation_id: m.organisation_id,
        count: m.count,
        created_by: m.created_by,
    })
}

/// The first and last day of `period_text` for agreement `b`.
fn span(period_text: &str, b: &Books) -> ServiceResult<(Period, NaiveDate, NaiveDate)> {
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

fn refused(errors: Vec<FieldError>, what: &str) -> ServiceError {
    ServiceError::validation(
        format!(
            "{} problem(s) in the {what}; nothing was saved.",
            errors.len()
        ),
        errors,
    )
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
    let Some(mut model) = check_entry(&mut errors, None, &params, &b, &may) else {
        return Err(refused(errors, "cost entry"));
    };
    model.created_by = Set(ctx.actor.as_ref().and_then(|a| a.user_id()));
    let tx = crate::backend::db::write_tx(db).await?;
    let saved = model.insert(&tx).await?;
    let view = entry_view(&saved, b.currency)?;
    audit::record(
        &tx,
        ctx,
        Event {
            action: "cost_entry.create",
            entity: "cost_entry",
            entity_id: Some(saved.id),
            before: None,
            after: Some(json!(view)),
        },
    )
    .await?;
    tx.commit().await?;
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
    let Some(mut model) = check_volume(&mut errors, None, &params, &b, &may) else {
        return Err(refused(errors, "volume"));
    };
    model.created_by = Set(ctx.actor.as_ref().and_then(|a| a.user_id()));
    let tx = crate::backend::db::write_tx(db).await?;
    let replaced = replace_volumes(&tx, id, std::slice::from_ref(&model)).await?;
    let saved = model.insert(&tx).await?;
    let view = volume_view(&saved)?;
    audit::record(
        &tx,
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
    tx.commit().await?;
    Ok(view)
}

/// Deletes the volumes the new ones replace; returns how many.
async fn replace_volumes(
    tx: &impl ConnectionTrait,
    id: i32,
    new: &[transaction_volume::ActiveModel],
) -> ServiceResult<u64> {
    let mut gone = 0;
    let mut keys: BTreeMap<NaiveDate, Vec<(String, i32)>> = BTreeMap::new();
    for m in new {
        if let (Set(start), Set(channel), Set(org)) =
            (&m.period_start, &m.channel, &m.organisation_id)
        {
            keys.entry(*start)
                .or_default()
                .push((channel.clone(), *org));
        }
    }
    for (start, pairs) in keys {
        let existing: Vec<(i32, String, i32)> = transaction_volume::Entity::find()
            .filter(transaction_volume::Column::AgreementId.eq(id))
            .filter(transaction_volume::Column::PeriodStart.eq(start))
            .select_only()
            .column(transaction_volume::Column::Id)
            .column(transaction_volume::Column::Channel)
            .column(transaction_volume::Column::OrganisationId)
            .into_tuple()
            .all(tx)
            .await?;
        let wanted: HashSet<(String, i32)> = pairs.into_iter().collect();
        let ids: Vec<i32> = existing
            .into_iter()
            .filter(|(_, c, o)| wanted.contains(&(c.clone(), *o)))
            .map(|(i, _, _)| i)
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
    audit::record(
        &tx,
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
    tx.commit().await?;
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
    audit::record(
        &tx,
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
    tx.commit().await?;
    Ok(())
}

/// The organisation id of a CSV cell: an id, or an organisation's code;
/// a problem on `line` otherwise.
fn organisation_cell(
    errors: &mut Vec<FieldError>,
    line: u64,
    text: &str,
    codes: &HashMap<String, i32>,
) -> Option<i32> {
    let v = text
        .parse::<i32>()
        .ok()
        .or_else(|| codes.get(&text.to_ascii_uppercase()).copied());
    if v.is_none() {
        errors.push(FieldError::at_line(
            line,
            "organisation_id",
            format!("No organisation has id or code '{text}'."),
        ));
    }
    v
}

async fn codes(db: &impl ConnectionTrait) -> ServiceResult<HashMap<String, i32>> {
    let rows: Vec<(i32, String)> = organisation::Entity::find()
        .select_only()
        .column(organisation::Column::Id)
        .column(organisation::Column::Code)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, code)| (code.to_ascii_uppercase(), id))
        .collect())
}

fn required_cell<'a>(
    errors: &mut Vec<FieldError>,
    t: &'a csv_table::CsvTable,
    row: &'a csv_table::CsvRow,
    column: &str,
) -> Option<&'a str> {
    let v = t.get(row, column);
    if v.is_none() {
        errors.push(FieldError::at_line(row.line, column, "This cell is empty."));
    }
    v
}

fn enum_cell<T: FromStr>(
    errors: &mut Vec<FieldError>,
    line: u64,
    column: &str,
    text: &str,
    known: &str,
) -> Option<T> {
    let v = text.parse::<T>().ok();
    if v.is_none() {
        errors.push(FieldError::at_line(
            line,
            column,
            format!("'{text}' is not one of {known}."),
        ));
    }
    v
}

fn names<T: Copy>(all: &[T], name: impl Fn(T) -> &'static str) -> String {
    all.iter().map(|v| name(*v)).collect::<Vec<_>>().join(", ")
}

/// Inserts `rows` in chunks (SQLite limits the parameters of a statement).
async fn insert_chunks<A>(tx: &impl ConnectionTrait, rows: Vec<A>) -> ServiceResult<()>
where
    A: ActiveModelTrait + Send,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(500).collect();
        <A::Entity as EntityTrait>::insert_many(chunk)
            .exec_without_returning(tx)
            .await?;
    }
    Ok(())
}

/// Imports cost entries from CSV with the header
/// `period,kind,category,amount,organisation_id` (an id or an organisation
/// code): all rows or none.
///
/// Fails with `Validation` listing every bad row by line (the header is
/// line 1); nothing is written then.
#[tracing::instrument(skip(ctx, db, bytes))]
pub async fn import_entries<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    bytes: &[u8],
) -> ServiceResult<ImportOutcome> {
    let (b, may) = recording(ctx, db, id).await?;
    let t = csv_table::read(
        bytes,
        &["period", "kind", "category", "amount", "organisation_id"],
        &[],
    )?;
    let codes = codes(db).await?;
    let author = ctx.actor.as_ref().and_then(|a| a.user_id());
    let mut errors = Vec::new();
    let mut rows = Vec::with_capacity(t.rows.len());
    for row in &t.rows {
        let before = errors.len();
        let period = required_cell(&mut errors, &t, row, "period");
        let kind = required_cell(&mut errors, &t, row, "kind").and_then(|k| {
            enum_cell::<CostKind>(
                &mut errors,
                row.line,
                "kind",
                k,
                &names(CostKind::ALL, CostKind::as_str),
            )
        });
        let category = required_cell(&mut errors, &t, row, "category").and_then(|c| {
            enum_cell::<CostCategory>(
                &mut errors,
                row.line,
                "category",
                c,
                &names(CostCategory::ALL, CostCategory::as_str),
            )
        });
        let amount = required_cell(&mut errors, &t, row, "amount");
        let org = required_cell(&mut errors, &t, row, "organisation_id")
            .and_then(|o| organisation_cell(&mut errors, row.line, o, &codes));
        if errors.len() > before {
            continue;
        }
        let (Some(period), Some(kind), Some(category), Some(amount), Some(org)) =
            (period, kind, category, amount, org)
        else {
            continue;
        };
        let params = CostEntryParams {
            period: period.to_owned(),
            kind,
            category,
            amount: amount.to_owned(),
            organisation_id: org,
        };
        if let Some(mut m) = check_entry(&mut errors, Some(row.line), &params, &b, &may) {
            m.created_by = Set(author);
            rows.push(m);
        }
    }
    finish_import(ctx, db, id, errors, rows, "cost_entries.import", None).await
}

/// Imports volumes from CSV with the header
/// `period,channel,organisation_id,count`: all rows or none. A row replaces
/// a count already recorded for its month, channel and party; the same
/// month, channel and party twice in one file is refused.
///
/// Fails as [`import_entries`] does.
#[tracing::instrument(skip(ctx, db, bytes))]
pub async fn import_volumes<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    bytes: &[u8],
) -> ServiceResult<ImportOutcome> {
    let (b, may) = recording(ctx, db, id).await?;
    let t = csv_table::read(
        bytes,
        &["period", "channel", "organisation_id", "count"],
        &[],
    )?;
    let codes = codes(db).await?;
    let author = ctx.actor.as_ref().and_then(|a| a.user_id());
    let mut errors = Vec::new();
    let mut rows = Vec::with_capacity(t.rows.len());
    let mut seen: HashMap<(String, String, i32), u64> = HashMap::new();
    for row in &t.rows {
        let before = errors.len();
        let period = required_cell(&mut errors, &t, row, "period");
        let channel = required_cell(&mut errors, &t, row, "channel").and_then(|c| {
            enum_cell::<Channel>(
                &mut errors,
                row.line,
                "channel",
                c,
                &names(Channel::ALL, Channel::as_str),
            )
        });
        let org = required_cell(&mut errors, &t, row, "organisation_id")
            .and_then(|o| organisation_cell(&mut errors, row.line, o, &codes));
        let count = required_cell(&mut errors, &t, row, "count").and_then(|c| {
            let problem = match c.parse::<i64>() {
                Ok(v) => match count_problem(v) {
                    None => return Some(v),
                    Some(p) => p.to_owned(),
                },
                Err(_) => format!("'{c}' is not a whole number."),
            };
            errors.push(FieldError::at_line(row.line, "count", problem));
            None
        });
        if errors.len() > before {
            continue;
        }
        let (Some(period), Some(channel), Some(org), Some(count)) = (period, channel, org, count)
        else {
            continue;
        };
        if let Some(first) = seen.insert(
            (period.to_owned(), channel.as_str().to_owned(), org),
            row.line,
        ) {
            errors.push(FieldError::at_line(
                row.line,
                "period",
                format!("Line {first} already gives this month, channel and party."),
            ));
            continue;
        }
        let params = VolumeEntryParams {
            period: period.to_owned(),
            channel,
            organisation_id: org,
            count,
        };
        if let Some(mut m) = check_volume(&mut errors, Some(row.line), &params, &b, &may) {
            m.created_by = Set(author);
            rows.push(m);
        }
    }
    let replacing = rows.clone();
    finish_import(
        ctx,
        db,
        id,
        errors,
        rows,
        "volumes.import",
        Some(&replacing),
    )
    .await
}

/// Writes checked rows in one transaction, or refuses them all.
async fn finish_import<C, A>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    errors: Vec<FieldError>,
    rows: Vec<A>,
    action: &'static str,
    replacing: Option<&[transaction_volume::ActiveModel]>,
) -> ServiceResult<ImportOutcome>
where
    C: ConnectionTrait + TransactionTrait,
    A: ActiveModelTrait + Send,
{
    if !errors.is_empty() {
        return Err(csv_table::refused(errors));
    }
    if rows.is_empty() {
        return Err(csv_table::empty());
    }
    let n = rows.len();
    let tx = crate::backend::db::write_tx(db).await?;
    if let Some(volumes) = replacing {
        replace_volumes(&tx, id, volumes).await?;
    }
    insert_chunks(&tx, rows).await?;
    audit::record(
        &tx,
        ctx,
        Event {
            action,
            entity: "agreement",
            entity_id: Some(id),
            before: None,
            after: Some(json!({ "imported": n })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(ImportOutcome { imported: n })
}

/// The reconciliation of agreement `id` for `period` (a month, quarter or
/// year, calendar or fiscal): each month's actual costs are split under the
/// model in force that month (caps and floors apply per month); each
/// party's due is the sum, what it paid is the actual costs it incurred,
/// its balance the difference; the transfers settle the balances.
///
/// Fails with `NotFound` if the caller may not see the agreement,
/// `Validation` for a malformed period, a period outside the term, a month
/// without a cost model in force, or a month the model cannot split (no
/// volumes to share by, caps below the total, floors above it).
#[tracing::instrument(skip(ctx, db))]
pub async fn reconcile(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
    period: &str,
) -> ServiceResult<ReconciliationView> {
    reading(ctx, db, id).await?;
    people_only(ctx)?;
    let b = books(db, id).await?;
    let (p, from, to) = span(period, &b)?;
    if to < b.agreement.starts_on || from > b.agreement.ends_on {
        let m = format!(
            "{p} lies outside the agreement's term ({} to {}).",
            b.agreement.starts_on, b.agreement.ends_on
        );
        return Err(ServiceError::validation(
            m.clone(),
            vec![FieldError::new("period", m)],
        ));
    }
    let (versions, provisional) = super::versions::governing(db, &b.agreement).await?;
    let models: HashMap<i32, Option<&CostModel>> = versions
        .iter()
        .map(|v| (v.number, v.terms.cost_model.as_ref()))
        .collect();

    // One pass over the period's rows, summed exactly in Rust (SQLite
    // keeps decimals as text, so SUM in SQL would go through floats).
    let entries: Vec<(NaiveDate, String, String, String, i32, Exact)> = cost_entry::Entity::find()
        .filter(cost_entry::Column::AgreementId.eq(id))
        .filter(cost_entry::Column::PeriodStart.gte(from))
        .filter(cost_entry::Column::PeriodStart.lte(to))
        .select_only()
        .column(cost_entry::Column::PeriodStart)
        .column(cost_entry::Column::Period)
        .column(cost_entry::Column::Kind)
        .column(cost_entry::Column::Category)
        .column(cost_entry::Column::OrganisationId)
        .column(cost_entry::Column::Amount)
        .into_tuple()
        .all(db)
        .await?;
    let volumes: Vec<(NaiveDate, String, i32, i64)> = transaction_volume::Entity::find()
        .filter(transaction_volume::Column::AgreementId.eq(id))
        .filter(transaction_volume::Column::PeriodStart.gte(from))
        .filter(transaction_volume::Column::PeriodStart.lte(to))
        .select_only()
        .column(transaction_volume::Column::PeriodStart)
        .column(transaction_volume::Column::Channel)
        .column(transaction_volume::Column::OrganisationId)
        .column(transaction_volume::Column::Count)
        .into_tuple()
        .all(db)
        .await?;

    let zero = Decimal::ZERO;
    let mut actual_by_month: BTreeMap<NaiveDate, Decimal> = BTreeMap::new();
    let mut paid: BTreeMap<i32, Decimal> = b.parties.iter().map(|o| (*o, zero)).collect();
    let mut budget: BTreeMap<i32, Decimal> = paid.clone();
    let mut categories: BTreeMap<CostCategory, (Decimal, Decimal)> = CostCategory::ALL
        .iter()
        .map(|c| (*c, (zero, zero)))
        .collect();
    for (start, period, kind, category, org, amount) in &entries {
        let kind: CostKind = stored(kind, "cost_entries.kind")?;
        let category: CostCategory = stored(category, "cost_entries.category")?;
        let slot = categories.entry(category).or_insert((zero, zero));
        match kind {
            // Actual costs are recorded by month.
            CostKind::Actual => {
                *actual_by_month.entry(*start).or_default() += amount.0;
                *paid.entry(*org).or_default() += amount.0;
                slot.1 += amount.0;
            }
            // A budget counts when its whole period lies within P.
            CostKind::Budget
                if stored::<Period>(period, "cost_entries.period")?.end_date(b.fiscal) > to => {}
            CostKind::Budget => {
                *budget.entry(*org).or_default() += amount.0;
                slot.0 += amount.0;
            }
        }
    }
    let mut volumes_by_month: BTreeMap<NaiveDate, Vec<Volume>> = BTreeMap::new();
    for (start, channel, org, count) in &volumes {
        volumes_by_month.entry(*start).or_default().push(Volume {
            organisation_id: i64::from(*org),
            channel: stored(channel, "transaction_volumes.channel")?,
            count: u64::try_from(*count).unwrap_or(0),
        });
    }

    let mut due: BTreeMap<i32, Decimal> = b.parties.iter().map(|o| (*o, zero)).collect();
    let mut months = Vec::new();
    let mut problems = Vec::new();
    for m in periods_between(
        Frequency::Monthly,
        from.max(b.agreement.starts_on),
        to.min(b.agreement.ends_on),
    ) {
        let start = m.start_date(1);
        let total = actual_by_month.get(&start).copied().unwrap_or(zero);
        let vols = volumes_by_month.get(&start).map_or(&[][..], Vec::as_slice);
        let transactions: i64 = vols.iter().fold(0i64, |sum, v| {
            sum.saturating_add(i64::try_from(v.count).unwrap_or(i64::MAX))
        });
        let Some(v) = super::versions::in_force(&versions, start) else {
            problems.push(FieldError::new(
                "period",
                format!("{m}: no version of the terms exists."),
            ));
            continue;
        };
        let Some(Some(model)) = models.get(&v.number) else {
            problems.push(FieldError::new(
                "period",
                format!("{m}: version {} has no cost-sharing model.", v.number),
            ));
            continue;
        };
        // A month with nothing recorded has nothing to share: no costs (or,
        // for fee for service, no transactions).
        let empty = if model.kind == crate::domain::CostModelKind::FeeForService {
            transactions == 0
        } else {
            total.is_zero()
        };
        if empty {
            continue;
        }
        match split(model, total, vols, b.currency) {
            Ok(s) => {
                for (org, amount) in s.shares {
                    let org = i32::try_from(org).unwrap_or_default();
                    *due.entry(org).or_default() += amount;
                }
                months.push(MonthView {
                    period: m.to_string(),
                    version: v.number,
                    kind: model.kind,
                    total_cost: b.currency.fixed(total),
                    transactions,
                });
            }
            Err(e) => problems.push(FieldError::new("period", format!("{m}: {e}."))),
        }
    }
    if !problems.is_empty() {
        return Err(ServiceError::validation(
            format!("{p} cannot be reconciled: {}", problems[0].message),
            problems,
        ));
    }

    let names: HashMap<i32, String> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(b.parties.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let balances: Vec<(i64, Decimal)> = due
        .iter()
        .map(|(org, d)| (i64::from(*org), *d - paid.get(org).copied().unwrap_or(zero)))
        .collect();
    let transfers = settle(&balances);
    let total_cost: Decimal = paid.values().copied().sum();
    let total_due: Decimal = due.values().copied().sum();
    let total_budget: Decimal = budget.values().copied().sum();
    let f = |d: Decimal| b.currency.fixed(d);
    Ok(ReconciliationView {
        agreement_id: id,
        reference: b.agreement.reference.clone(),
        period: p.to_string(),
        from,
        to,
        currency: b.currency.code().to_owned(),
        total_cost: f(total_cost),
        total_due: f(total_due),
        budget: f(total_budget),
        variance: f(total_cost - total_budget),
        unsettled: f(total_due - total_cost),
        provisional,
        months,
        parties: due
            .iter()
            .map(|(org, d)| {
                let paid = paid.get(org).copied().unwrap_or(zero);
                PartyBalanceView {
                    organisation_id: *org,
                    organisation_name: names.get(org).cloned().unwrap_or_default(),
                    due: f(*d),
                    paid: f(paid),
                    balance: f(*d - paid),
                    budget: f(budget.get(org).copied().unwrap_or(zero)),
                }
            })
            .collect(),
        transfers: transfers
            .into_iter()
            .map(|t| TransferView {
                from: i32::try_from(t.from).unwrap_or_default(),
                to: i32::try_from(t.to).unwrap_or_default(),
                amount: f(t.amount),
            })
            .collect(),
        categories: categories
            .into_iter()
            .map(|(category, (budget, actual))| CategoryView {
                category,
                budget: f(budget),
                actual: f(actual),
                variance: f(actual - budget),
            })
            .collect(),
    })
}

/// A reconciliation as CSV: one row per party, then the transfers and
/// budget versus actual by category, each section with its own header.
pub fn reconciliation_csv(r: &ReconciliationView) -> String {
    let names: HashMap<i32, &str> = r
        .parties
        .iter()
        .map(|p| (p.organisation_id, p.organisation_name.as_str()))
        .collect();
    let name = |id: i32| names.get(&id).copied().unwrap_or("").to_owned();
    let mut rows: Vec<Vec<String>> = vec![vec![
        "section".into(),
        "organisation_id".into(),
        "organisation".into(),
        "due".into(),
        "paid".into(),
        "balance".into(),
        "budget".into(),
    ]];
    for p in &r.parties {
        rows.push(vec![
            "party".into(),
            p.organisation_id.to_string(),
            p.organisation_name.clone(),
            p.due.clone(),
            p.paid.clone(),
            p.balance.clone(),
            p.budget.clone(),
        ]);
    }
    rows.push(vec![
        "total".into(),
        String::new(),
        format!("{} {} ({})", r.reference, r.period, r.currency),
        r.total_due.clone(),
        r.total_cost.clone(),
        r.unsettled.clone(),
        r.budget.clone(),
    ]);
    rows.push(vec![
        "section".into(),
        "from_id".into(),
        "from".into(),
        "to_id".into(),
        "to".into(),
        "amount".into(),
        String::new(),
    ]);
    for t in &r.transfers {
        rows.push(vec![
            "transfer".into(),
            t.from.to_string(),
            name(t.from),
            t.to.to_string(),
            name(t.to),
            t.amount.clone(),
            String::new(),
        ]);
    }
    rows.push(vec![
        "section".into(),
        "category".into(),
        "budget".into(),
        "actual".into(),
        "variance".into(),
        String::new(),
        String::new(),
    ]);
    for c in &r.categories {
        rows.push(vec![
            "category".into(),
            c.category.as_str().into(),
            c.budget.clone(),
            c.actual.clone(),
            c.variance.clone(),
            String::new(),
            String::new(),
        ]);
    }
    crate::backend::csv_out::to_csv(rows)
}

/// Budget and actual costs of the agreements the caller may see whose
/// entries start within `from..=to`, summed per currency (never across).
///
/// Fails with `Forbidden` for reporters and API tokens.
pub async fn portfolio_costs(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    from: NaiveDate,
    to: NaiveDate,
) -> ServiceResult<Vec<crate::wire::benchmarks::CurrencyCosts>> {
    ctx.require(&[Role::Executive, Role::Manager, Role::Admin])?;
    let visible = super::agreements::list_as_party(ctx, db, &Default::default()).await?;
    let currency: HashMap<i32, String> =
        visible.iter().map(|a| (a.id, a.currency.clone())).collect();
    let rows: Vec<(i32, String, Exact)> = cost_entry::Entity::find()
        .filter(cost_entry::Column::PeriodStart.gte(from))
        .filter(cost_entry::Column::PeriodStart.lte(to))
        .select_only()
        .column(cost_entry::Column::AgreementId)
        .column(cost_entry::Column::Kind)
        .column(cost_entry::Column::Amount)
        .into_tuple()
        .all(db)
        .await?;
    let mut sums: BTreeMap<String, (Decimal, Decimal)> = BTreeMap::new();
    for (agreement_id, kind, amount) in rows {
        let Some(c) = currency.get(&agreement_id) else {
            continue;
        };
        let slot = sums.entry(c.clone()).or_default();
        if kind == CostKind::Budget.as_str() {
            slot.0 += amount.0;
        } else {
            slot.1 += amount.0;
        }
    }
    Ok(sums
        .into_iter()
        .map(
            |(code, (budget, actual))| crate::wire::benchmarks::CurrencyCosts {
                budget: Currency::fixed_by_code(&code, budget),
                actual: Currency::fixed_by_code(&code, actual),
                currency: code,
            },
        )
        .collect())
}
