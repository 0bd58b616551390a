//! Each jurisdiction's holidays, kept by admins: with weekends, the days
//! that are not working days when a delivery's targets are counted.

use crate::backend::audit::{self, Event};
use crate::backend::entities::{holiday, jurisdiction, organisation};
use crate::backend::services::Ctx;
use crate::backend::{FieldError, ServiceError, ServiceResult};
use crate::domain::Role;
use crate::wire::notices::{HolidayParams, HolidayView};
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, ModelTrait,
    QueryFilter, QueryOrder, TransactionTrait,
};
use serde_json::json;
use std::collections::HashMap;

/// Re-derives the values of every delivery whose deadlines `day`, a
/// holiday added to or removed from `jurisdiction_id`, may move: those of
/// the organisations of that jurisdiction and of every one below it,
/// received within the year before it.
async fn rederive_around(
    tx: &impl ConnectionTrait,
    jurisdiction_id: i32,
    day: NaiveDate,
) -> ServiceResult<usize> {
    use crate::backend::entities::life_event_delivery;
    let parents: HashMap<i32, Option<i32>> = jurisdiction::Entity::find()
        .all(tx)
        .await?
        .into_iter()
        .map(|j| (j.id, j.parent_id))
        .collect();
    // Below `jurisdiction_id`: a bounded walk up from each jurisdiction.
    let below = |mut at: i32| {
        for _ in 0..16 {
            if at == jurisdiction_id {
                return true;
            }
            match parents.get(&at) {
                Some(Some(p)) => at = *p,
                _ => return false,
            }
        }
        false
    };
    let orgs: Vec<i32> = organisation::Entity::find()
        .all(tx)
        .await?
        .into_iter()
        .filter(|o| o.jurisdiction_id.is_some_and(below))
        .map(|o| o.id)
        .collect();
    let moved: Vec<(i32, i32, NaiveDate)> = life_event_delivery::Entity::find()
        .filter(life_event_delivery::Column::OrganisationId.is_in(orgs))
        .filter(life_event_delivery::Column::ReceivedOn.lte(day))
        .filter(life_event_delivery::Column::ReceivedOn.gte(day - chrono::Duration::days(400)))
        .all(tx)
        .await?
        .iter()
        .map(|d| (d.agreement_id, d.organisation_id, d.received_on))
        .collect();
    super::derive::rederive(tx, &moved, super::today()).await
}

fn view(h: holiday::Model) -> HolidayView {
    HolidayView {
        id: h.id,
        jurisdiction_id: h.jurisdiction_id,
        day: h.day,
        name: h.name,
        name_fr: h.name_fr,
    }
}

/// A jurisdiction's holidays, by day. Anyone signed in.
pub async fn list(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    jurisdiction_id: i32,
) -> ServiceResult<Vec<HolidayView>> {
    ctx.actor()?;
    jurisdiction::Entity::find_by_id(jurisdiction_id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok(holiday::Entity::find()
        .filter(holiday::Column::JurisdictionId.eq(jurisdiction_id))
        .order_by_asc(holiday::Column::Day)
        .all(db)
        .await?
        .into_iter()
        .map(view)
        .collect())
}

/// The longest holiday name.
const MAX_NAME: usize = 200;

/// Adds a holiday to a jurisdiction, and re-derives the values of the
/// deliveries whose deadlines it moves. Admins only; `Conflict` when that
/// day is one already; `Validation` for a bad day or name.
pub async fn add<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    jurisdiction_id: i32,
    p: HolidayParams,
) -> ServiceResult<HolidayView> {
    ctx.require(&[Role::Admin])?;
    jurisdiction::Entity::find_by_id(jurisdiction_id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let mut errors = Vec::new();
    let day = p.day.trim().parse::<NaiveDate>().ok();
    if day.is_none() {
        errors.push(FieldError::new("day", "A day is written YYYY-MM-DD."));
    }
    let name = p.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        errors.push(FieldError::new(
            "name",
            "A holiday's name has 1 to 200 characters.",
        ));
    }
    let name_fr = p
        .name_fr
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty());
    if name_fr
        .as_ref()
        .is_some_and(|n| n.chars().count() > MAX_NAME)
    {
        errors.push(FieldError::new(
            "name_fr",
            "A holiday's name has 1 to 200 characters.",
        ));
    }
    let Some(day) = day.filter(|_| errors.is_empty()) else {
        return Err(ServiceError::validation(
            "The holiday was not added.",
            errors,
        ));
    };
    let tx = crate::backend::db::write_tx(db).await?;
    let saved = match (holiday::ActiveModel {
        jurisdiction_id: Set(jurisdiction_id),
        day: Set(day),
        name: Set(name),
        name_fr: Set(name_fr),
        ..Default::default()
    })
    .insert(&tx)
    .await
    {
        Ok(m) => m,
        Err(e) if crate::backend::error::is_unique_violation(&e) => {
            return Err(ServiceError::Conflict(format!(
                "{day} is a holiday of this jurisdiction already."
            )));
        }
        Err(e) => return Err(e.into()),
    };
    rederive_around(&tx, jurisdiction_id, day).await?;
    audit::commit(
        tx,
        ctx,
        Event {
            action: "holiday.add",
            entity: "holiday",
            entity_id: Some(saved.id),
            before: None,
            after: Some(
                json!({ "jurisdiction_id": jurisdiction_id, "day": day, "name": saved.name }),
            ),
        },
    )
    .await?;
    Ok(view(saved))
}

/// Removes holiday `id` of a jurisdiction. Admins only.
pub async fn remove<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    jurisdiction_id: i32,
    id: i32,
) -> ServiceResult<()> {
    ctx.require(&[Role::Admin])?;
    let tx = crate::backend::db::write_tx(db).await?;
    let h = holiday::Entity::find_by_id(id)
        .filter(holiday::Column::JurisdictionId.eq(jurisdiction_id))
        .one(&tx)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let before = json!({ "jurisdiction_id": h.jurisdiction_id, "day": h.day, "name": h.name });
    let day = h.day;
    h.delete(&tx).await?;
    rederive_around(&tx, jurisdiction_id, day).await?;
    audit::commit(
        tx,
        ctx,
        Event {
            action: "holiday.remove",
            entity: "holiday",
            entity_id: Some(id),
            before: Some(before),
            after: None,
        },
    )
    .await?;
    Ok(())
}
