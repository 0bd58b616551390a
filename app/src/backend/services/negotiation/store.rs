//! Writing terms to the tables: the live rows of the terms in force, the
//! immutable version snapshots, reserved commitment ids, cost models and
//! agreement references.

use crate::backend::entities::barrier as barrier_row;
use crate::backend::entities::{
    agreement, agreement_life_event, agreement_party, agreement_version, channel_minimum,
    commitment, cost_model, cost_model_line, governance_section, kpi, life_event, propagation_term,
};
use crate::backend::exact::Exact;
use crate::backend::services::Ctx;
use crate::backend::{ServiceError, ServiceResult};
use crate::domain::Currency;
use crate::domain::barrier;
use crate::domain::cost::CostModel;
use crate::domain::{Terms, terms};
use chrono::NaiveDate;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// Makes `t` the terms in force of agreement `id`: its row and every table
/// that pages, readings and calculations read (parties, services, life
/// events, barriers, governance, cost model, commitments). Commitments are
/// matched by id: a new one is inserted under the id reserved for it, a
/// changed one updated; the reports of any other stay where they are.
/// Barriers are matched by their id too ([`write_barriers`]); `amendment`
/// is the number of the amendment coming into force and the terms it
/// replaces, none for a draft's terms or a first activation.
pub(super) async fn write_live(
    tx: &impl ConnectionTrait,
    id: i32,
    t: &Terms,
    amendment: Option<(i32, &Terms)>,
) -> ServiceResult<()> {
    let now = crate::clock::now();
    let currency = Currency::parse(&t.currency)
        .map_err(|e| ServiceError::Db(sea_orm::DbErr::Type(format!("terms.currency: {e}"))))?;
    write_heading(tx, id, t, currency, now).await?;
    replace_parts(tx, id, t).await?;
    write_barriers(tx, id, &t.barriers, amendment).await?;
    write_cost_model(tx, id, t.cost_model.as_ref(), currency).await?;
    write_commitments(tx, id, t).await
}

/// The agreement's own row: titles, purpose, structure, term, currency.
async fn write_heading(
    tx: &impl ConnectionTrait,
    id: i32,
    t: &Terms,
    currency: Currency,
    now: chrono::DateTime<chrono::Utc>,
) -> ServiceResult<()> {
    agreement::Entity::update_many()
        .col_expr(agreement::Column::Title, Expr::value(t.title.clone()))
        .col_expr(agreement::Column::TitleFr, Expr::value(t.title_fr.clone()))
        .col_expr(agreement::Column::Summary, Expr::value(t.summary.clone()))
        .col_expr(
            agreement::Column::SummaryFr,
            Expr::value(t.summary_fr.clone()),
        )
        .col_expr(agreement::Column::Purpose, Expr::value(t.purpose))
        .col_expr(agreement::Column::Structure, Expr::value(t.structure))
        .col_expr(
            agreement::Column::PartnershipType,
            Expr::value(t.partnership_type),
        )
        .col_expr(agreement::Column::StartsOn, Expr::value(t.starts_on))
        .col_expr(agreement::Column::EndsOn, Expr::value(t.ends_on))
        .col_expr(
            agreement::Column::RenewalNoticeDays,
            Expr::value(t.renewal_notice_days),
        )
        .col_expr(agreement::Column::Currency, Expr::value(currency.code()))
        .col_expr(
            agreement::Column::FiscalYearStartMonth,
            Expr::value(t.fiscal_year_start_month),
        )
        .col_expr(agreement::Column::ParentId, Expr::value(t.parent_id))
        .col_expr(agreement::Column::Published, Expr::value(t.published))
        .col_expr(agreement::Column::UpdatedAt, Expr::value(now))
        .filter(agreement::Column::Id.eq(id))
        .exec(tx)
        .await?;
    Ok(())
}

/// Deletes the rows of `column`'s table whose `column` is `value`.
pub(super) async fn delete_where<C>(
    tx: &impl ConnectionTrait,
    column: C,
    value: i32,
) -> Result<(), sea_orm::DbErr>
where
    C: ColumnTrait,
    C::EntityName: EntityTrait,
{
    <C::EntityName as EntityTrait>::delete_many()
        .filter(column.eq(value))
        .exec(tx)
        .await?;
    Ok(())
}

/// Parties, life events, governance, propagation terms and minimum
/// service levels: the rows of the terms before are deleted and those of
/// `t` inserted.
async fn replace_parts(tx: &impl ConnectionTrait, id: i32, t: &Terms) -> ServiceResult<()> {
    delete_where(tx, agreement_party::Column::AgreementId, id).await?;
    delete_where(tx, agreement_life_event::Column::AgreementId, id).await?;
    delete_where(tx, governance_section::Column::AgreementId, id).await?;
    delete_where(tx, propagation_term::Column::AgreementId, id).await?;
    delete_where(tx, channel_minimum::Column::AgreementId, id).await?;

    for p in &t.parties {
        agreement_party::ActiveModel {
            agreement_id: Set(id),
            organisation_id: Set(p.organisation_id),
            role: Set(p.role),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    super::service_rows::write_services(tx, id, &t.services).await?;
    let events: HashMap<String, i32> = life_event::Entity::find()
        .filter(life_event::Column::Code.is_in(t.life_events.clone()))
        .all(tx)
        .await?
        .into_iter()
        .map(|e| (e.code, e.id))
        .collect();
    let event_id = |code: &str| {
        events.get(code).copied().ok_or_else(|| {
            ServiceError::Db(sea_orm::DbErr::RecordNotFound(format!("life event {code}")))
        })
    };
    for code in &t.life_events {
        let event = events.get(code).ok_or_else(|| {
            ServiceError::Db(sea_orm::DbErr::RecordNotFound(format!("life event {code}")))
        })?;
        agreement_life_event::ActiveModel {
            agreement_id: Set(id),
            life_event_id: Set(*event),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    for g in &t.governance {
        governance_section::ActiveModel {
            agreement_id: Set(id),
            section: Set(g.section),
            body: Set(g.body.clone()),
            body_fr: Set(g.body_fr.clone()),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    for p in &t.propagation {
        propagation_term::ActiveModel {
            agreement_id: Set(id),
            life_event_id: Set(event_id(&p.life_event)?),
            intake_id: Set(p.intake),
            told: Set(serde_json::json!(p.told)),
            acknowledge_days: Set(p.acknowledge_days),
            act_days: Set(p.act_days),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    for m in &t.channel_minimums {
        channel_minimum::ActiveModel {
            agreement_id: Set(id),
            channel: Set(m.channel),
            share: Set(Exact(m.share)),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    Ok(())
}

/// Barriers keep their register rows: matched by id (`key`), each is
/// updated in place or inserted (recorded today); one the terms no longer
/// name stays, out of force. What the owning party keeps up to date (status,
/// mitigation, actions) follows [`barrier::after_amendment`] when an
/// amendment comes into force, and the terms otherwise (no owner can have
/// updated a barrier before the first activation).
async fn write_barriers(
    tx: &impl ConnectionTrait,
    id: i32,
    barriers: &[terms::Barrier],
    amendment: Option<(i32, &Terms)>,
) -> ServiceResult<()> {
    let existing: HashMap<String, barrier_row::Model> = barrier_row::Entity::find()
        .filter(barrier_row::Column::AgreementId.eq(id))
        .all(tx)
        .await?
        .into_iter()
        .map(|b| (b.key.clone(), b))
        .collect();
    let now = crate::clock::now();
    let mut kept = Vec::new();
    for b in barriers {
        let proposed = barrier::Living::of(b);
        let old = existing.get(&b.key);
        let living = match (old, amendment) {
            (Some(row), Some((number, replaces))) => {
                let in_force = replaces
                    .barriers
                    .iter()
                    .find(|x| x.key == b.key)
                    .map(barrier::Living::of);
                let register = barrier::Living {
                    status: row.status,
                    mitigation: row.mitigation.clone(),
                    mitigation_fr: row.mitigation_fr.clone(),
                    actions: row.actions.clone(),
                    actions_fr: row.actions_fr.clone(),
                };
                let in_force = in_force.filter(|_| row.in_force);
                barrier::after_amendment(
                    &proposed,
                    number,
                    in_force.as_ref(),
                    &register,
                    row.register_version,
                )
            }
            _ => proposed,
        };
        let mut row: barrier_row::ActiveModel = match old {
            Some(old) => {
                let mut row: barrier_row::ActiveModel = old.clone().into();
                row.updated_at = Set(now);
                row.lock_version = Set(old.lock_version + 1);
                row
            }
            None => barrier_row::ActiveModel {
                agreement_id: Set(id),
                key: Set(b.key.clone()),
                recorded_on: Set(now.date_naive()),
                register_version: Set(None),
                register_updated_at: Set(None),
                register_updated_by: Set(None),
                ..Default::default()
            },
        };
        row.category = Set(b.category);
        row.description = Set(b.description.clone());
        row.description_fr = Set(b.description_fr.clone());
        row.severity = Set(b.severity);
        row.owner_id = Set(b.owner_id);
        row.status = Set(living.status);
        row.mitigation = Set(living.mitigation);
        row.mitigation_fr = Set(living.mitigation_fr);
        row.actions = Set(living.actions);
        row.actions_fr = Set(living.actions_fr);
        row.in_force = Set(true);
        let saved = match old {
            Some(_) => row.update(tx).await?,
            None => row.insert(tx).await?,
        };
        kept.push(saved.id);
    }
    barrier_row::Entity::update_many()
        .col_expr(barrier_row::Column::InForce, Expr::value(false))
        .filter(barrier_row::Column::AgreementId.eq(id))
        .filter(barrier_row::Column::Id.is_not_in(kept))
        .exec(tx)
        .await?;
    Ok(())
}

/// Commitments keep their ids: each is updated in place, or inserted under
/// the id reserved for it when it was proposed.
async fn write_commitments(tx: &impl ConnectionTrait, id: i32, t: &Terms) -> ServiceResult<()> {
    for c in &t.commitments {
        let row = commitment_row(tx, id, c).await?;
        match commitment::Entity::find_by_id(c.id).one(tx).await? {
            Some(existing) if existing.agreement_id == id => {
                let mut row = row;
                row.created_at = sea_orm::ActiveValue::NotSet;
                row.lock_version = Set(existing.lock_version + 1);
                row.update(tx).await?;
            }
            Some(_) => {
                return Err(ServiceError::Db(sea_orm::DbErr::Custom(format!(
                    "commitment {} belongs to another agreement",
                    c.id
                ))));
            }
            None => {
                commitment::Entity::insert(row).exec(tx).await?;
            }
        }
    }
    Ok(())
}

/// The row of commitment `c` of agreement `id` (with its id).
pub(super) async fn commitment_row(
    tx: &impl ConnectionTrait,
    id: i32,
    c: &terms::Commitment,
) -> ServiceResult<commitment::ActiveModel> {
    let k = kpi::Entity::find()
        .filter(kpi::Column::Code.eq(c.kpi.as_str()))
        .one(tx)
        .await?
        .ok_or_else(|| {
            ServiceError::Db(sea_orm::DbErr::RecordNotFound(format!("kpi {}", c.kpi)))
        })?;
    let now = crate::clock::now();
    Ok(commitment::ActiveModel {
        id: Set(c.id),
        agreement_id: Set(id),
        organisation_id: Set(c.organisation_id),
        kpi_id: Set(k.id),
        target: Set(Exact(c.target)),
        warning_band: Set(c.warning_band.map(Exact)),
        channel: Set(c.channel),
        service_code: Set(c.service.clone()),
        frequency: Set(c.frequency),
        grace_days: Set(c.grace_days),
        effective_from: Set(c.effective_from),
        effective_to: Set(c.effective_to),
        allowed_misses: Set(c.allowed_misses),
        created_at: Set(now),
        updated_at: Set(now),
        lock_version: Set(1),
    })
}

/// Reserves an id for a commitment that terms propose, without making it a
/// commitment in force: a row is inserted and deleted again, so the id is
/// never handed out twice (PostgreSQL's sequences and SQLite's
/// AUTOINCREMENT never reuse one) and [`write_live`] inserts the commitment
/// under it once the terms naming it are in force.
pub(super) async fn reserve_commitment_id(
    tx: &impl ConnectionTrait,
    id: i32,
    c: &terms::Commitment,
) -> ServiceResult<i32> {
    let mut row = commitment_row(tx, id, c).await?;
    row.id = sea_orm::ActiveValue::NotSet;
    let reserved = row.insert(tx).await?.id;
    commitment::Entity::delete_by_id(reserved).exec(tx).await?;
    Ok(reserved)
}

/// Replaces the agreement's cost model (none when `model` is `None`).
pub(super) async fn write_cost_model(
    tx: &impl ConnectionTrait,
    id: i32,
    model: Option<&CostModel>,
    currency: Currency,
) -> ServiceResult<()> {
    let old: Vec<i32> = cost_model::Entity::find()
        .filter(cost_model::Column::AgreementId.eq(id))
        .all(tx)
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect();
    if !old.is_empty() {
        cost_model_line::Entity::delete_many()
            .filter(cost_model_line::Column::CostModelId.is_in(old.clone()))
            .exec(tx)
            .await?;
        cost_model::Entity::delete_many()
            .filter(cost_model::Column::Id.is_in(old))
            .exec(tx)
            .await?;
    }
    let Some(m) = model else {
        return Ok(());
    };
    let map = |values: &BTreeMap<crate::domain::Channel, rust_decimal::Decimal>, money: bool| {
        (!values.is_empty()).then(|| {
            Value::Object(
                values
                    .iter()
                    .map(|(c, v)| {
                        let text = if money {
                            currency.fixed(*v)
                        } else {
                            v.normalize().to_string()
                        };
                        (c.as_str().to_owned(), Value::String(text))
                    })
                    .collect(),
            )
        })
    };
    let saved = cost_model::ActiveModel {
        agreement_id: Set(id),
        kind: Set(m.kind),
        fixed_portion: Set(m.fixed_portion.map(Exact)),
        channel_weights: Set(map(&m.channel_weights, false)),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    for l in &m.lines {
        cost_model_line::ActiveModel {
            cost_model_id: Set(saved.id),
            organisation_id: Set(l.organisation_id),
            percent: Set(l.percent.map(Exact)),
            cap: Set(l.cap.map(Exact)),
            floor: Set(l.floor.map(Exact)),
            rates: Set(map(&l.rates, true)),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    Ok(())
}

/// Records version `number` of agreement `id`: the terms `t`.
pub(super) async fn record_version(
    ctx: &Ctx,
    tx: &impl ConnectionTrait,
    id: i32,
    number: i32,
    summary: &str,
    effective_from: NaiveDate,
    t: &Terms,
) -> ServiceResult<()> {
    agreement_version::ActiveModel {
        agreement_id: Set(id),
        number: Set(number),
        terms: Set(t.to_stored()),
        change_summary: Set(summary.to_owned()),
        author_id: Set(ctx.actor.as_ref().and_then(|a| a.user_id())),
        effective_from: Set(effective_from),
        approved_at: Set(None),
        withdrawn_at: Set(None),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    Ok(())
}

/// The next free reference of `year` (`AGR-2026-0042`).
pub(super) async fn next_reference(tx: &impl ConnectionTrait, year: i32) -> ServiceResult<String> {
    let prefix = format!("AGR-{year}-");
    let last = agreement::Entity::find()
        .filter(agreement::Column::Reference.starts_with(&prefix))
        .order_by_desc(agreement::Column::Reference)
        .one(tx)
        .await?
        .and_then(|a| a.reference[prefix.len()..].parse::<u32>().ok())
        .unwrap_or(0);
    Ok(format!("{prefix}{:04}", last + 1))
}
