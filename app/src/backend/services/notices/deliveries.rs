//! What a party told does with its delivery: acknowledges it, then
//! records the action taken or declines with a reason (acting or declining
//! acknowledges it too, when that was not done before). Only the party
//! told, through its reporters or its API tokens.

use super::intake::reporter;
use super::today;
use crate::backend::audit::{self, Event};
use crate::backend::entities::life_event_delivery::{self, Column as C};
use crate::backend::services::Ctx;
use crate::backend::{FieldError, ServiceError, ServiceResult};
use crate::wire::notices::{AcknowledgeParams, ActParams, DeliveryView};
use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde_json::json;

/// The longest outcome or reason.
const MAX_TEXT: usize = 2000;

/// The delivery `id` if it is the caller's organisation's to act on;
/// `NotFound` otherwise, whether or not it exists.
async fn own(
    db: &impl ConnectionTrait,
    id: i32,
    organisation_id: i32,
) -> ServiceResult<life_event_delivery::Model> {
    life_event_delivery::Entity::find_by_id(id)
        .filter(C::OrganisationId.eq(organisation_id))
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// The day something was done: `on` (today when omitted), not before the
/// notice's receipt (nor `not_before`) and not after today.
fn day_done(
    on: Option<&str>,
    received_on: NaiveDate,
    not_before: Option<NaiveDate>,
) -> Result<NaiveDate, FieldError> {
    let today = today();
    let day = match on.map(str::trim).filter(|s| !s.is_empty()) {
        None => today,
        Some(text) => text
            .parse::<NaiveDate>()
            .map_err(|_| FieldError::new("on", "A day is written YYYY-MM-DD."))?,
    };
    if day > today {
        return Err(FieldError::new("on", "That day has not come yet."));
    }
    let floor = not_before.map_or(received_on, |d| std::cmp::max(d, received_on));
    if day < floor {
        return Err(FieldError::new(
            "on",
            format!("That is before {floor}, when the notice was received or acknowledged."),
        ));
    }
    Ok(day)
}

fn refused(e: FieldError) -> ServiceError {
    ServiceError::validation("Nothing was saved.", vec![e])
}

/// What a party told does with its delivery.
enum Step {
    Acknowledge,
    /// The action taken.
    Act(String),
    /// Why it is declined.
    Decline(String),
}

/// Why a step is refused: where the delivery stands already, or a field.
enum Refusal {
    Conflict(String),
    Field(FieldError),
}

impl From<Refusal> for ServiceError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::Conflict(m) => ServiceError::Conflict(m),
            Refusal::Field(e) => refused(e),
        }
    }
}

/// The text of an outcome or a reason: trimmed, 1 to 2,000 characters.
fn text_of(field: &str, v: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(t) = v.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    if t.chars().count() > MAX_TEXT {
        return Err(FieldError::new(field, "At most 2,000 characters."));
    }
    Ok(Some(t.to_owned()))
}

/// Applies `step` on day `on` (today when omitted) to delivery `d`, in
/// memory: the one rule for a form, the API and a CSV row. Acting or
/// declining acknowledges too when that was not done before. Returns the
/// audit action and what changed.
fn apply(
    d: &mut life_event_delivery::Model,
    step: &Step,
    on: Option<&str>,
) -> Result<(&'static str, serde_json::Value), Refusal> {
    if let Some(day) = d.declined_on {
        return Err(Refusal::Conflict(format!(
            "This delivery was declined on {day}."
        )));
    }
    if let Some(day) = d.acted_on {
        return Err(Refusal::Conflict(format!(
            "This delivery was acted on on {day}."
        )));
    }
    match step {
        Step::Acknowledge => {
            if let Some(day) = d.acknowledged_on {
                return Err(Refusal::Conflict(format!(
                    "This delivery was acknowledged on {day}."
                )));
            }
            let day = day_done(on, d.received_on, None).map_err(Refusal::Field)?;
            d.acknowledged_on = Some(day);
            Ok(("delivery.acknowledge", json!({ "acknowledged_on": day })))
        }
        Step::Act(outcome) => {
            let day = day_done(on, d.received_on, d.acknowledged_on).map_err(Refusal::Field)?;
            d.acknowledged_on.get_or_insert(day);
            d.acted_on = Some(day);
            d.outcome = Some(outcome.clone());
            Ok((
                "delivery.act",
                json!({ "acted_on": day, "outcome": outcome }),
            ))
        }
        Step::Decline(reason) => {
            let day = day_done(on, d.received_on, d.acknowledged_on).map_err(Refusal::Field)?;
            d.acknowledged_on.get_or_insert(day);
            d.declined_on = Some(day);
            d.decline_reason = Some(reason.clone());
            Ok((
                "delivery.decline",
                json!({ "declined_on": day, "decline_reason": reason }),
            ))
        }
    }
}

/// Writes what `after` holds of delivery `before` if nobody changed it
/// meanwhile (its lock version); `Conflict` otherwise.
async fn write(
    tx: &impl ConnectionTrait,
    before: &life_event_delivery::Model,
    after: &life_event_delivery::Model,
) -> ServiceResult<()> {
    let done = life_event_delivery::Entity::update_many()
        .col_expr(C::LockVersion, Expr::col(C::LockVersion).add(1))
        .col_expr(C::UpdatedAt, Expr::value(crate::clock::now()))
        .col_expr(C::AcknowledgedOn, Expr::value(after.acknowledged_on))
        .col_expr(C::ActedOn, Expr::value(after.acted_on))
        .col_expr(C::Outcome, Expr::value(after.outcome.clone()))
        .col_expr(C::DeclinedOn, Expr::value(after.declined_on))
        .col_expr(C::DeclineReason, Expr::value(after.decline_reason.clone()))
        .filter(C::Id.eq(before.id))
        .filter(C::LockVersion.eq(before.lock_version))
        .exec(tx)
        .await?;
    if done.rows_affected == 0 {
        return Err(ServiceError::Conflict(
            "This delivery changed meanwhile; reload it and try again.".into(),
        ));
    }
    Ok(())
}

/// Takes `step` on delivery `id` of the caller's organisation, writes it,
/// re-derives its KPI values and audits it.
async fn take<Db: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &Db,
    id: i32,
    step: Step,
    on: Option<&str>,
) -> ServiceResult<DeliveryView> {
    let org = reporter(ctx)?;
    let before = own(db, id, org).await?;
    let mut after = before.clone();
    let (action, changed) = apply(&mut after, &step, on)?;
    let tx = crate::backend::db::write_tx(db).await?;
    write(&tx, &before, &after).await?;
    super::derive::rederive(
        &tx,
        &[(
            before.agreement_id,
            before.organisation_id,
            before.received_on,
        )],
        today(),
    )
    .await?;
    audit::commit(
        tx,
        ctx,
        Event {
            action,
            entity: "life_event_delivery",
            entity_id: Some(id),
            before: Some(json!({
                "acknowledged_on": before.acknowledged_on, "acted_on": before.acted_on,
                "declined_on": before.declined_on
            })),
            after: Some(changed),
        },
    )
    .await?;
    super::views::delivery(ctx, db, id).await
}

/// Acknowledges delivery `id` on `on` (today by default).
///
/// Fails with `Forbidden` for callers who are not reporters, `NotFound`
/// for a delivery that is not their organisation's, `Conflict` once it is
/// acknowledged, acted on or declined, and `Validation` for a day before
/// the notice's receipt or after today.
#[tracing::instrument(skip(ctx, db, p))]
pub async fn acknowledge<Db: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &Db,
    id: i32,
    p: AcknowledgeParams,
) -> ServiceResult<DeliveryView> {
    take(ctx, db, id, Step::Acknowledge, p.on.as_deref()).await
}

/// Records what was done with delivery `id`: the action taken
/// (`outcome`) or the reason it is declined (`declined`), exactly one, on
/// `on` (today by default). It acknowledges the delivery too if that was
/// not done before.
///
/// Fails as [`acknowledge`] does; `Validation` also for neither or both of
/// `outcome` and `declined`, or one over 2,000 characters, or a day before
/// the acknowledgement.
#[tracing::instrument(skip(ctx, db, p))]
pub async fn act<Db: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &Db,
    id: i32,
    p: ActParams,
) -> ServiceResult<DeliveryView> {
    reporter(ctx)?;
    let outcome = text_of("outcome", p.outcome.as_deref()).map_err(refused)?;
    let declined = text_of("declined", p.declined.as_deref()).map_err(refused)?;
    let step = match (outcome, declined) {
        (Some(t), None) => Step::Act(t),
        (None, Some(r)) => Step::Decline(r),
        _ => {
            return Err(refused(FieldError::new(
                "outcome",
                "Say what was done (outcome) or why it is declined (declined): one of the two.",
            )));
        }
    };
    take(ctx, db, id, step, p.on.as_deref()).await
}

/// The columns of a CSV of what parties did with their deliveries.
pub const COLUMNS: [&str; 2] = ["delivery_id", "action"];

/// Records from CSV (`delivery_id,action,on,text`: `action` is
/// `acknowledge`, `act` or `decline`, `text` the action taken or the
/// reason) what the caller's organisation did with its deliveries, all rows
/// or none, in the file's order: a delivery may be acknowledged on one
/// line and acted on on a later one.
///
/// Fails with `Forbidden` for callers who are not reporters and
/// `Validation` listing every bad row by line (the header is line 1): a
/// delivery that is not the organisation's, a step its state refuses, a
/// bad day or text; nothing is written then. `Conflict` when a delivery
/// changed while the file was being recorded.
#[tracing::instrument(skip(ctx, db, bytes))]
pub async fn import<Db: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &Db,
    bytes: &[u8],
) -> ServiceResult<crate::wire::cost::ImportOutcome> {
    use std::collections::BTreeMap;
    let org = reporter(ctx)?;
    let t = crate::backend::csv_table::read(bytes, &COLUMNS, &["on", "text"])?;
    let ids: Vec<i32> = t
        .rows
        .iter()
        .filter_map(|r| t.get(r, "delivery_id")?.parse().ok())
        .collect();
    let mut before: BTreeMap<i32, life_event_delivery::Model> = BTreeMap::new();
    for chunk in ids.chunks(500) {
        before.extend(
            life_event_delivery::Entity::find()
                .filter(C::Id.is_in(chunk.to_vec()))
                .filter(C::OrganisationId.eq(org))
                .all(db)
                .await?
                .into_iter()
                .map(|d| (d.id, d)),
        );
    }
    let mut after = before.clone();
    let mut errors = Vec::new();
    let mut steps = 0;
    for row in &t.rows {
        let line = row.line;
        let id_text = t.get(row, "delivery_id").unwrap_or_default();
        let Some(d) = id_text
            .parse::<i32>()
            .ok()
            .and_then(|id| after.get_mut(&id))
        else {
            errors.push(FieldError::at_line(
                line,
                "delivery_id",
                format!("No delivery '{id_text}' was passed to your organisation."),
            ));
            continue;
        };
        let text = |field: &str| {
            text_of(field, t.get(row, "text"))
                .map_err(|e| FieldError::at_line(line, field, e.message))
        };
        let step = match t.get(row, "action").unwrap_or_default() {
            "acknowledge" => Ok(Step::Acknowledge),
            "act" => text("text").and_then(|o| {
                o.map(Step::Act)
                    .ok_or_else(|| FieldError::at_line(line, "text", "Say what was done."))
            }),
            "decline" => text("text").and_then(|r| {
                r.map(Step::Decline)
                    .ok_or_else(|| FieldError::at_line(line, "text", "Say why it is declined."))
            }),
            other => Err(FieldError::at_line(
                line,
                "action",
                format!("'{other}' is not an action: acknowledge, act or decline."),
            )),
        };
        let step = match step {
            Ok(s) => s,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        match apply(d, &step, t.get(row, "on")) {
            Ok(_) => steps += 1,
            Err(Refusal::Conflict(m)) => errors.push(FieldError::at_line(line, "action", m)),
            Err(Refusal::Field(e)) => errors.push(FieldError::at_line(line, &e.field, e.message)),
        }
    }
    if !errors.is_empty() {
        return Err(crate::backend::csv_table::refused(errors));
    }
    if steps == 0 {
        return Err(crate::backend::csv_table::empty());
    }
    let tx = crate::backend::db::write_tx(db).await?;
    let mut moved = Vec::new();
    for (id, b) in &before {
        let a = &after[id];
        if a != b {
            write(&tx, b, a).await?;
            moved.push((b.agreement_id, b.organisation_id, b.received_on));
        }
    }
    super::derive::rederive(&tx, &moved, today()).await?;
    audit::commit(
        tx,
        ctx,
        Event {
            action: "deliveries.import",
            entity: "life_event_delivery",
            entity_id: None,
            before: None,
            after: Some(json!({ "steps": steps, "deliveries": moved.len() })),
        },
    )
    .await?;
    Ok(crate::wire::cost::ImportOutcome { imported: steps })
}
