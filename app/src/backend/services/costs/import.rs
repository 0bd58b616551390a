//! Cost entries and volumes uploaded as CSV: all rows or none.

use super::checks::{check_entry, check_volume, count_problem};
use super::ledger::replace_volumes;
use super::recording;
use crate::backend::audit::{self, Event};
use crate::backend::csv_cells::{codes, enum_cell, names, organisation_cell, required_cell};
use crate::backend::csv_table;
use crate::backend::entities::transaction_volume;
use crate::backend::services::Ctx;
use crate::backend::{FieldError, ServiceResult};
use crate::domain::{Channel, CostCategory, CostKind};
use crate::wire::cost::*;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, TransactionTrait};
use serde_json::json;
use std::collections::HashMap;

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
    let today = crate::clock::today();
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
        if let Some(mut m) = check_entry(&mut errors, Some(row.line), &params, &b, &may, today) {
            m.created_by = Set(author);
            rows.push(m);
        }
    }
    finish_import(ctx, db, id, errors, rows, "cost_entries.import", None).await
}

/// Imports volumes from CSV with the header
/// `period,channel,organisation_id,count`, and optionally `service` (the
/// service's id within the agreement, `S-1`) and `meeting_standard`: all
/// rows or none. A row replaces a count already recorded for its month,
/// channel, party and service; the same four twice in one file is refused.
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
        &["service", "meeting_standard"],
    )?;
    let service_ids: HashMap<&str, i32> = b
        .services
        .iter()
        .map(|(id, s)| (s.code.as_str(), *id))
        .collect();
    let codes = codes(db).await?;
    let author = ctx.actor.as_ref().and_then(|a| a.user_id());
    let today = crate::clock::today();
    let mut errors = Vec::new();
    let mut rows = Vec::with_capacity(t.rows.len());
    let mut seen: HashMap<(String, String, i32, Option<i32>), u64> = HashMap::new();
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
        let service = match t
            .get(row, "service")
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            None => Some(None),
            Some(code) => match service_ids.get(code) {
                Some(id) => Some(Some(*id)),
                None => {
                    errors.push(FieldError::at_line(
                        row.line,
                        "service",
                        format!("This agreement has no service with the id '{code}'."),
                    ));
                    None
                }
            },
        };
        let meeting = match t
            .get(row, "meeting_standard")
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            None => Some(None),
            Some(m) => match m.parse::<i64>() {
                Ok(v) => Some(Some(v)),
                Err(_) => {
                    errors.push(FieldError::at_line(
                        row.line,
                        "meeting_standard",
                        format!("'{m}' is not a whole number."),
                    ));
                    None
                }
            },
        };
        if errors.len() > before {
            continue;
        }
        let (Some(period), Some(channel), Some(org), Some(count), Some(service), Some(meeting)) =
            (period, channel, org, count, service, meeting)
        else {
            continue;
        };
        if let Some(first) = seen.insert(
            (period.to_owned(), channel.as_str().to_owned(), org, service),
            row.line,
        ) {
            errors.push(FieldError::at_line(
                row.line,
                "period",
                format!("Line {first} already gives this month, channel, party and service."),
            ));
            continue;
        }
        let params = VolumeEntryParams {
            period: period.to_owned(),
            channel,
            organisation_id: org,
            count,
            service_id: service,
            meeting_standard: meeting,
        };
        if let Some(mut m) = check_volume(&mut errors, Some(row.line), &params, &b, &may, today) {
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
pub(super) async fn finish_import<C, A>(
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
    crate::backend::batch::insert_all(&tx, rows).await?;
    audit::commit(
        tx,
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
    Ok(ImportOutcome { imported: n })
}
