//! Jurisdictions: the list (everyone signed in), creating and editing (admins).

#[allow(unused_imports)]
use super::*;
use crate::backend::audit::{self, Event};
use crate::backend::entities::jurisdiction;
use crate::backend::services::Ctx;
use crate::backend::services::organisations::jurisdiction_view;
use crate::backend::{ServiceError, ServiceResult};
use crate::domain::Role;
use crate::wire::admin::*;
use crate::wire::organisations::JurisdictionView;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde_json::json;

/// Every jurisdiction, by code. Signed-in people.
pub async fn list_jurisdictions(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
) -> ServiceResult<Vec<JurisdictionView>> {
    ctx.person()?;
    jurisdiction::Entity::find()
        .order_by_asc(jurisdiction::Column::Code)
        .all(db)
        .await?
        .iter()
        .map(jurisdiction_view)
        .collect()
}

fn jurisdiction_json(j: &jurisdiction::Model) -> serde_json::Value {
    json!({ "code": j.code, "name": j.name, "name_fr": j.name_fr, "level": j.level, "country_code": j.country_code, "parent_id": j.parent_id })
}

async fn jurisdiction_fields(
    db: &impl ConnectionTrait,
    params: &JurisdictionParams,
    id: Option<i32>,
) -> ServiceResult<(String, String, Option<String>, String, Option<i32>)> {
    let code = text("code", &params.code, 32)?.to_uppercase();
    let name = text("name", &params.name, 200)?;
    let name_fr = optional_text("name_fr", params.name_fr.as_deref(), 200)?;
    let country = params.country_code.trim().to_uppercase();
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(invalid(
            "country_code",
            "Use a two-letter ISO 3166 country code.",
        ));
    }
    let parent_id = match params
        .parent_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        None => None,
        Some(c) => {
            let p = jurisdiction::Entity::find()
                .filter(jurisdiction::Column::Code.eq(c))
                .one(db)
                .await?
                .ok_or_else(|| {
                    invalid("parent_code", format!("No jurisdiction has code '{c}'."))
                })?;
            if Some(p.id) == id {
                return Err(invalid(
                    "parent_code",
                    "A jurisdiction cannot be its own parent.",
                ));
            }
            Some(p.id)
        }
    };
    Ok((code, name, name_fr, country, parent_id))
}

/// Creates a jurisdiction. Admins only.
pub async fn create_jurisdiction<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    params: JurisdictionParams,
) -> ServiceResult<JurisdictionView> {
    ctx.require(&[Role::Admin])?;
    let (code, name, name_fr, country, parent_id) = jurisdiction_fields(db, &params, None).await?;
    let tx = crate::backend::db::write_tx(db).await?;
    let j = jurisdiction::ActiveModel {
        code: Set(code),
        name: Set(name),
        name_fr: Set(name_fr),
        level: Set(params.level),
        country_code: Set(country),
        parent_id: Set(parent_id),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::commit(
        tx,
        ctx,
        Event::created(
            "jurisdiction.create",
            "jurisdiction",
            j.id,
            jurisdiction_json(&j),
        ),
    )
    .await?;
    jurisdiction_view(&j)
}

/// Edits a jurisdiction. Admins only.
pub async fn update_jurisdiction<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    params: JurisdictionParams,
) -> ServiceResult<JurisdictionView> {
    ctx.require(&[Role::Admin])?;
    let (code, name, name_fr, country, parent_id) =
        jurisdiction_fields(db, &params, Some(id)).await?;
    let tx = crate::backend::db::write_tx(db).await?;
    let j = jurisdiction::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let before = jurisdiction_json(&j);
    let mut a: jurisdiction::ActiveModel = j.into();
    a.code = Set(code);
    a.name = Set(name);
    a.name_fr = Set(name_fr);
    a.level = Set(params.level);
    a.country_code = Set(country);
    a.parent_id = Set(parent_id);
    a.updated_at = Set(crate::clock::now());
    let j = a.update(&tx).await?;
    audit::commit(
        tx,
        ctx,
        Event::changed(
            "jurisdiction.update",
            "jurisdiction",
            id,
            before,
            jurisdiction_json(&j),
        ),
    )
    .await?;
    jurisdiction_view(&j)
}
