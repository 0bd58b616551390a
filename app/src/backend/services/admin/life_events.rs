//! The life-event catalogue (issue 21): listing (everyone signed in),
//! adding and renaming (admins). Codes are stable: agreements, CSV files
//! and the API name life events by code, so a code never changes and a
//! rename changes only the English and French names.

#[allow(unused_imports)]
use super::*;
use crate::backend::audit::{self, Event};
use crate::backend::entities::{agreement_life_event, life_event};
use crate::backend::services::Ctx;
use crate::backend::{ServiceError, ServiceResult};
use crate::domain::Role;
use crate::wire::admin::*;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use serde_json::json;
use std::collections::HashMap;

/// The longest name, in either language.
const NAME_MAX: usize = 200;

fn life_event_view(e: &life_event::Model, agreements: u64) -> LifeEventAdminView {
    LifeEventAdminView {
        id: e.id,
        code: e.code.clone(),
        name: e.name.clone(),
        name_fr: e.name_fr.clone(),
        agreements,
    }
}

fn life_event_json(e: &life_event::Model) -> serde_json::Value {
    json!({ "code": e.code, "name": e.name, "name_fr": e.name_fr })
}

/// How many agreements name each life event (of `only`, or all).
async fn life_event_usage(
    db: &impl ConnectionTrait,
    only: Option<i32>,
) -> ServiceResult<HashMap<i32, u64>> {
    let mut q = agreement_life_event::Entity::find()
        .select_only()
        .column(agreement_life_event::Column::LifeEventId);
    if let Some(id) = only {
        q = q.filter(agreement_life_event::Column::LifeEventId.eq(id));
    }
    let ids: Vec<i32> = q.into_tuple().all(db).await?;
    let mut used = HashMap::new();
    for id in ids {
        *used.entry(id).or_insert(0) += 1;
    }
    Ok(used)
}

/// The life-event catalogue by code, with how many agreements cover each.
/// Anyone signed in.
///
/// Fails with `Forbidden` for API tokens and anonymous callers.
pub async fn list_life_events(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
) -> ServiceResult<Vec<LifeEventAdminView>> {
    ctx.person()?;
    let used = life_event_usage(db, None).await?;
    Ok(life_event::Entity::find()
        .order_by_asc(life_event::Column::Code)
        .all(db)
        .await?
        .iter()
        .map(|e| life_event_view(e, used.get(&e.id).copied().unwrap_or(0)))
        .collect())
}

/// A life-event code: 2 to 64 lowercase letters, digits and underscores.
fn life_event_code(code: &str) -> ServiceResult<String> {
    let c = code.trim().to_owned();
    if !(2..=64).contains(&c.len())
        || !c
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
    {
        return Err(invalid(
            "code",
            "A code is 2 to 64 lowercase letters, digits and underscores (change_of_address).",
        ));
    }
    Ok(c)
}

/// Adds a life event to the catalogue. Admins only.
///
/// Fails with `Forbidden` for anyone else, `Validation` for a bad code or
/// a missing or overlong name, and `Conflict` for a code already taken.
#[tracing::instrument(skip(ctx, db, params), fields(code = %params.code))]
pub async fn create_life_event<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    params: LifeEventParams,
) -> ServiceResult<LifeEventAdminView> {
    ctx.require(&[Role::Admin])?;
    let code = life_event_code(&params.code)?;
    let name = text("name", &params.name, NAME_MAX)?;
    let name_fr = optional_text("name_fr", params.name_fr.as_deref(), NAME_MAX)?;
    let tx = crate::backend::db::write_tx(db).await?;
    // A taken code is refused by the unique index: a 409, even for two
    // requests racing.
    let e = life_event::ActiveModel {
        code: Set(code),
        name: Set(name),
        name_fr: Set(name_fr),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::commit(
        tx,
        ctx,
        Event::created("life_event.create", "life_event", e.id, life_event_json(&e)),
    )
    .await?;
    Ok(life_event_view(&e, 0))
}

/// Renames a life event in English and French. Admins only.
///
/// Fails with `Forbidden` for anyone else, `NotFound` for an unknown id,
/// and `Validation` for a changed code or a missing or overlong name.
#[tracing::instrument(skip(ctx, db, params))]
pub async fn rename_life_event<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    params: RenameLifeEventParams,
) -> ServiceResult<LifeEventAdminView> {
    ctx.require(&[Role::Admin])?;
    let name = text("name", &params.name, NAME_MAX)?;
    let name_fr = optional_text("name_fr", params.name_fr.as_deref(), NAME_MAX)?;
    let tx = crate::backend::db::write_tx(db).await?;
    let e = life_event::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if let Some(code) = params.code.as_deref().map(str::trim)
        && !code.is_empty()
        && code != e.code
    {
        return Err(invalid(
            "code",
            "Life-event codes are stable: add a new life event instead of changing a code.",
        ));
    }
    let used = life_event_usage(&tx, Some(id))
        .await?
        .get(&id)
        .copied()
        .unwrap_or(0);
    let before = life_event_json(&e);
    let mut a: life_event::ActiveModel = e.into();
    a.name = Set(name);
    a.name_fr = Set(name_fr);
    a.updated_at = Set(crate::clock::now());
    let e = a.update(&tx).await?;
    audit::commit(
        tx,
        ctx,
        Event::changed(
            "life_event.rename",
            "life_event",
            id,
            before,
            life_event_json(&e),
        ),
    )
    .await?;
    Ok(life_event_view(&e, used))
}
