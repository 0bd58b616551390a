//! Survey results uploaded as CSV: all rows or none, every bad row named
//! by its line, each row checked as one recorded by the form or the API
//! (`super::check`).

use super::{check, facts, replace, stamp};
use crate::backend::audit::{self, Event};
use crate::backend::csv_cells::{codes, enum_cell, names, organisation_cell, required_cell};
use crate::backend::csv_table;
use crate::backend::services::Ctx;
use crate::backend::{FieldError, ServiceResult};
use crate::domain::Channel;
use crate::wire::cost::ImportOutcome;
use crate::wire::satisfaction::SatisfactionParams;
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde_json::json;
use std::collections::HashMap;

/// The columns a file must name.
pub const REQUIRED: [&str; 6] = [
    "period",
    "service",
    "channel",
    "organisation_id",
    "sample_size",
    "overall",
];

/// The columns a file may name; their cells may be empty.
pub const OPTIONAL: [&str; 6] = [
    "margin_of_error",
    "timeliness",
    "knowledge",
    "courtesy",
    "fairness",
    "outcome",
];

/// Imports survey results for agreement `id` from CSV with the header
/// `period,service,channel,organisation_id,sample_size,overall,
/// margin_of_error,timeliness,knowledge,courtesy,fairness,outcome` (the
/// service by its id within the agreement, `SC-0042`; the organisation by
/// id or code; the margin and driver cells may be empty or the columns
/// left out): all rows or none. A row replaces a result already recorded
/// for its service, channel, month and party; the same four twice in one
/// file is refused.
///
/// Fails with `NotFound`/`Forbidden`/`Conflict` as recording one result
/// does, and `Validation` listing every bad row by line (the header is
/// line 1); nothing is written then.
#[tracing::instrument(skip(ctx, db, bytes))]
pub async fn import<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    bytes: &[u8],
) -> ServiceResult<ImportOutcome> {
    let f = facts(ctx, db, id).await?;
    let t = csv_table::read(bytes, &REQUIRED, &OPTIONAL)?;
    let service_ids: HashMap<&str, i32> = f
        .services
        .iter()
        .map(|(id, s)| (s.code.as_str(), *id))
        .collect();
    let codes = codes(db).await?;
    let today = crate::clock::today();
    let mut errors = Vec::new();
    let mut rows = Vec::with_capacity(t.rows.len());
    let mut seen: HashMap<(String, i32, Channel, i32), u64> = HashMap::new();
    for row in &t.rows {
        let before = errors.len();
        let period = required_cell(&mut errors, &t, row, "period");
        let service = required_cell(&mut errors, &t, row, "service").and_then(|code| {
            match service_ids.get(code) {
                Some(id) => Some(*id),
                None => {
                    errors.push(FieldError::at_line(
                        row.line,
                        "service",
                        format!("This agreement has no service in force with the id '{code}'."),
                    ));
                    None
                }
            }
        });
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
        let sample = required_cell(&mut errors, &t, row, "sample_size").and_then(|c| {
            let v = c.parse::<i64>().ok();
            if v.is_none() {
                errors.push(FieldError::at_line(
                    row.line,
                    "sample_size",
                    format!("'{c}' is not a whole number."),
                ));
            }
            v
        });
        let overall = required_cell(&mut errors, &t, row, "overall");
        if errors.len() > before {
            continue;
        }
        let (Some(period), Some(service), Some(channel), Some(org), Some(sample), Some(overall)) =
            (period, service, channel, org, sample, overall)
        else {
            continue;
        };
        if let Some(first) = seen.insert((period.to_owned(), service, channel, org), row.line) {
            errors.push(FieldError::at_line(
                row.line,
                "period",
                format!("Line {first} already gives this month, service, channel and party."),
            ));
            continue;
        }
        let cell = |c: &str| t.get(row, c).map(str::to_owned);
        let params = SatisfactionParams {
            period: period.to_owned(),
            service_id: service,
            channel,
            organisation_id: org,
            sample_size: sample,
            overall: overall.to_owned(),
            margin_of_error: cell("margin_of_error"),
            timeliness: cell("timeliness"),
            knowledge: cell("knowledge"),
            courtesy: cell("courtesy"),
            fairness: cell("fairness"),
            outcome: cell("outcome"),
        };
        if let Some(mut m) = check(&mut errors, Some(row.line), &params, &f, today) {
            stamp(ctx, &mut m);
            rows.push(m);
        }
    }
    if !errors.is_empty() {
        return Err(csv_table::refused(errors));
    }
    if rows.is_empty() {
        return Err(csv_table::empty());
    }
    let n = rows.len();
    let tx = crate::backend::db::write_tx(db).await?;
    let replaced = replace(&tx, id, &rows).await?;
    crate::backend::batch::insert_all(&tx, rows).await?;
    audit::commit(
        tx,
        ctx,
        Event {
            action: "satisfaction.import",
            entity: "agreement",
            entity_id: Some(id),
            before: (!replaced.is_empty()).then(|| json!({ "replaced": replaced })),
            after: Some(json!({ "imported": n })),
        },
    )
    .await?;
    Ok(ImportOutcome { imported: n })
}
