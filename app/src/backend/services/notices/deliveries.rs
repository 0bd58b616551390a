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

fn done_already(d: &life_event_delivery::Model) -> Option<String> {
    if let Some(day) = d.declined_on {
        return Some(format!("This delivery was declined on {day}."));
    }
    d.acted_on
        .map(|day| format!("This delivery was acted on on {day}."))
}

/// Writes `set` to delivery `d` if nobody changed it meanwhile, re-derives
/// its KPI values and audits it as `action`.
async fn save<Db: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &Db,
    d: &life_event_delivery::Model,
    action: &str,
    set: Vec<(C, sea_orm::Value)>,
    after: serde_json::Value,
) -> ServiceResult<DeliveryView> {
    let tx = crate::backend::db::write_tx(db).await?;
    let mut q = life_event_delivery::Entity::update_many()
        .col_expr(C::LockVersion, Expr::col(C::LockVersion).add(1))
        .col_expr(C::UpdatedAt, Expr::value(crate::clock::now()))
        .filter(C::Id.eq(d.id))
        .filter(C::LockVersion.eq(d.lock_version));
    for (col, v) in set {
        q = q.col_expr(col, Expr::value(v));
    }
    if q.exec(&tx).await?.rows_affected == 0 {
        return Err(ServiceError::Conflict(
            "This delivery changed meanwhile; reload it and try again.".into(),
        ));
    }
    super::derive::rederive(
        &tx,
        &[(d.agreement_id, d.organisation_id, d.received_on)],
        today(),
    )
    .await?;
    audit::commit(
        tx,
        ctx,
        Event {
            action,
            entity: "life_event_delivery",
            entity_id: Some(d.id),
            before: Some(json!({
                "acknowledged_on": d.acknowledged_on, "acted_on": d.acted_on,
                "declined_on": d.declined_on
            })),
            after: Some(after),
        },
    )
    .await?;
    super::views::delivery(ctx, db, d.id).await
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
    let org = reporter(ctx)?;
    let d = own(db, id, org).await?;
    if let Some(m) = done_already(&d) {
        return Err(ServiceError::Conflict(m));
    }
    if let Some(day) = d.acknowledged_on {
        return Err(ServiceError::Conflict(format!(
            "This delivery was acknowledged on {day}."
        )));
    }
    let day = day_done(p.on.as_deref(), d.received_on, None).map_err(refused)?;
    save(
        ctx,
        db,
        &d,
        "delivery.acknowledge",
        vec![(C::AcknowledgedOn, Some(day).into())],
        json!({ "acknowledged_on": day }),
    )
    .await
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
    let org = reporter(ctx)?;
    let d = own(db, id, org).await?;
    if let Some(m) = done_already(&d) {
        return Err(ServiceError::Conflict(m));
    }
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let (outcome, declined) = (text(&p.outcome), text(&p.declined));
    let what = match (&outcome, &declined) {
        (Some(t), None) | (None, Some(t)) => t.clone(),
        _ => {
            return Err(refused(FieldError::new(
                "outcome",
                "Say what was done (outcome) or why it is declined (declined): one of the two.",
            )));
        }
    };
    if what.chars().count() > MAX_TEXT {
        let field = if outcome.is_some() {
            "outcome"
        } else {
            "declined"
        };
        return Err(refused(FieldError::new(field, "At most 2,000 characters.")));
    }
    let day = day_done(p.on.as_deref(), d.received_on, d.acknowledged_on).map_err(refused)?;
    let mut set = Vec::new();
    if d.acknowledged_on.is_none() {
        set.push((C::AcknowledgedOn, Some(day).into()));
    }
    let (action, after) = if let Some(reason) = declined {
        set.push((C::DeclinedOn, Some(day).into()));
        set.push((C::DeclineReason, Some(reason.clone()).into()));
        (
            "delivery.decline",
            json!({ "declined_on": day, "decline_reason": reason }),
        )
    } else {
        set.push((C::ActedOn, Some(day).into()));
        set.push((C::Outcome, outcome.clone().into()));
        (
            "delivery.act",
            json!({ "acted_on": day, "outcome": outcome }),
        )
    };
    save(ctx, db, &d, action, set, after).await
}
