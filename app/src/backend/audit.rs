//! The append-only audit log: one row per change or sign-in event, written
//! inside the same transaction as the change it records. Rows are never
//! updated or deleted.

use crate::backend::ctx::Ctx;
use crate::backend::entities::audit_event;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbErr};
use serde_json::Value;

/// What happened to which entity, with its state before and after.
pub struct Event<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<i32>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl<'a> Event<'a> {
    /// Entity `id` came to be, as `after` (`action` names it: `user.create`).
    pub fn created(action: &'a str, entity: &'a str, id: i32, after: Value) -> Self {
        Event {
            action,
            entity,
            entity_id: Some(id),
            before: None,
            after: Some(after),
        }
    }

    /// Entity `id` went from `before` to `after`.
    pub fn changed(action: &'a str, entity: &'a str, id: i32, before: Value, after: Value) -> Self {
        Event {
            action,
            entity,
            entity_id: Some(id),
            before: Some(before),
            after: Some(after),
        }
    }
}

/// Appends `event`, attributed to `ctx`'s actor.
///
/// Fails when the database refuses the row (the caller's transaction then
/// rolls back with it, so no change goes unrecorded).
pub async fn record(db: &impl ConnectionTrait, ctx: &Ctx, event: Event<'_>) -> Result<(), DbErr> {
    record_as(db, ctx.actor.as_ref().and_then(|a| a.user_id()), ctx, event).await
}

/// Appends `event` and commits `tx`: the last step of an audited write,
/// so that the change and its record land together or not at all.
///
/// Fails as `record` does, or when the commit fails.
pub async fn commit<T>(tx: T, ctx: &Ctx, event: Event<'_>) -> Result<(), DbErr>
where
    T: ConnectionTrait + sea_orm::TransactionSession,
{
    record(&tx, ctx, event).await?;
    tx.commit().await
}

/// Appends `event` attributed to user `actor_id` (a sign-in, before the
/// request carries the new session).
///
/// Fails as `record` does.
pub async fn record_as(
    db: &impl ConnectionTrait,
    actor_id: Option<i32>,
    ctx: &Ctx,
    event: Event<'_>,
) -> Result<(), DbErr> {
    let now = crate::clock::now();
    audit_event::ActiveModel {
        at: Set(now),
        actor_id: Set(actor_id),
        api_token_id: Set(ctx.actor.as_ref().and_then(|a| a.api_token_id())),
        action: Set(event.action.to_owned()),
        entity: Set(event.entity.to_owned()),
        entity_id: Set(event.entity_id),
        before: Set(event.before),
        after: Set(event.after),
        request_id: Set(ctx.request_id.clone()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
