//! The KPI catalogue: listing (everyone signed in), creating and editing (admins).

#[allow(unused_imports)]
use super::*;
use crate::backend::audit::{self, Event};
use crate::backend::services::Ctx;
use crate::backend::{ServiceError, ServiceResult};
use crate::domain::Role;
use crate::wire::admin::*;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait, QueryOrder, QuerySelect,
    TransactionTrait,
};
use serde_json::json;
use std::collections::HashMap;

fn kpi_view(k: &crate::backend::entities::kpi::Model, used: u64) -> ServiceResult<KpiView> {
    Ok(KpiView {
        id: k.id,
        code: k.code.clone(),
        name: k.name.clone(),
        name_fr: k.name_fr.clone(),
        unit: k.unit,
        direction: k.direction,
        is_ratio: k.is_ratio,
        commitments: used,
    })
}

fn kpi_json(k: &crate::backend::entities::kpi::Model) -> serde_json::Value {
    json!({ "code": k.code, "name": k.name, "name_fr": k.name_fr, "unit": k.unit,
            "direction": k.direction, "is_ratio": k.is_ratio })
}

async fn kpi_usage(db: &impl ConnectionTrait) -> ServiceResult<HashMap<i32, u64>> {
    use crate::backend::entities::commitment;
    let ids: Vec<i32> = commitment::Entity::find()
        .select_only()
        .column(commitment::Column::KpiId)
        .into_tuple()
        .all(db)
        .await?;
    let mut used = HashMap::new();
    for id in ids {
        *used.entry(id).or_insert(0) += 1;
    }
    Ok(used)
}

/// The KPI catalogue by code, with how many commitments use each. Anyone
/// signed in.
pub async fn list_kpis(ctx: &Ctx, db: &impl ConnectionTrait) -> ServiceResult<Vec<KpiView>> {
    use crate::backend::entities::kpi;
    ctx.person()?;
    let used = kpi_usage(db).await?;
    kpi::Entity::find()
        .order_by_asc(kpi::Column::Code)
        .all(db)
        .await?
        .iter()
        .map(|k| kpi_view(k, used.get(&k.id).copied().unwrap_or(0)))
        .collect()
}

/// A KPI code: lowercase letters, digits and underscores.
fn kpi_code(code: &str) -> ServiceResult<String> {
    let c = code.trim().to_owned();
    if c.is_empty()
        || c.len() > 64
        || !c
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
    {
        return Err(invalid(
            "code",
            "A code is lowercase letters, digits and underscores (calls_answered_in_target_pct).",
        ));
    }
    Ok(c)
}

/// Adds a KPI to the catalogue. Admins only.
///
/// Fails with `Validation` for a bad or taken code or a missing name.
pub async fn create_kpi<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    params: KpiParams,
) -> ServiceResult<KpiView> {
    use crate::backend::entities::kpi;
    ctx.require(&[Role::Admin])?;
    let code = kpi_code(&params.code)?;
    let name = text("name", &params.name, 200)?;
    let name_fr = optional_text("name_fr", params.name_fr.as_deref(), 200)?;
    let tx = crate::backend::db::write_tx(db).await?;
    let k = kpi::ActiveModel {
        code: Set(code),
        name: Set(name),
        name_fr: Set(name_fr),
        unit: Set(params.unit),
        direction: Set(params.direction),
        is_ratio: Set(params.is_ratio),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::commit(
        tx,
        ctx,
        Event::created("kpi.create", "kpi", k.id, kpi_json(&k)),
    )
    .await?;
    kpi_view(&k, 0)
}

/// Edits a KPI's names, and its unit, direction and ratio while no
/// commitment uses it. Admins only.
///
/// Fails with `Validation` for a changed code, or a changed meaning of a
/// KPI in use.
pub async fn update_kpi<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    params: KpiParams,
) -> ServiceResult<KpiView> {
    use crate::backend::entities::kpi;
    ctx.require(&[Role::Admin])?;
    let name = text("name", &params.name, 200)?;
    let name_fr = optional_text("name_fr", params.name_fr.as_deref(), 200)?;
    let tx = crate::backend::db::write_tx(db).await?;
    let k = kpi::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if params.code.trim() != k.code {
        return Err(invalid(
            "code",
            "KPI codes are stable: add a new KPI instead of renaming a code.",
        ));
    }
    let used = kpi_usage(&tx).await?.get(&id).copied().unwrap_or(0);
    let meaning_changes =
        params.unit != k.unit || params.direction != k.direction || params.is_ratio != k.is_ratio;
    if used > 0 && meaning_changes {
        return Err(invalid(
            "unit",
            format!(
                "{used} commitment(s) use this KPI: only its names can change, or past reports would change meaning."
            ),
        ));
    }
    let before = kpi_json(&k);
    let mut a: kpi::ActiveModel = k.into();
    a.name = Set(name);
    a.name_fr = Set(name_fr);
    a.unit = Set(params.unit);
    a.direction = Set(params.direction);
    a.is_ratio = Set(params.is_ratio);
    a.updated_at = Set(crate::clock::now());
    let k = a.update(&tx).await?;
    audit::commit(
        tx,
        ctx,
        Event::changed("kpi.update", "kpi", id, before, kpi_json(&k)),
    )
    .await?;
    kpi_view(&k, used)
}

/// Adds each of `kpis` (code, English and French names: percentages,
/// higher is better, ratios), the KPIs Concord derives itself, to the
/// catalogue when it lacks it, so that every installation lists them: the
/// server does at start. Returns how many were added.
pub(crate) async fn ensure_derived(
    db: &impl ConnectionTrait,
    kpis: &[(&str, &str, &str)],
) -> ServiceResult<usize> {
    use crate::backend::entities::kpi;
    use crate::domain::{KpiDirection, KpiUnit};
    let mut added = 0;
    for (code, name, name_fr) in kpis {
        if kpi::Entity::find()
            .filter(kpi::Column::Code.eq(*code))
            .one(db)
            .await?
            .is_some()
        {
            continue;
        }
        let row = kpi::ActiveModel {
            code: Set((*code).to_owned()),
            name: Set((*name).to_owned()),
            name_fr: Set(Some((*name_fr).to_owned())),
            unit: Set(KpiUnit::Percent),
            direction: Set(KpiDirection::HigherIsBetter),
            is_ratio: Set(true),
            ..Default::default()
        };
        // Two servers starting at once: the unique code lets one add it.
        match sea_orm::ActiveModelTrait::insert(row, db).await {
            Ok(_) => added += 1,
            Err(e) if crate::backend::error::is_unique_violation(&e) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(added)
}
