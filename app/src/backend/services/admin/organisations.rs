//! Organisations: creating (admins; managers adding a partner) and editing (admins).

#[allow(unused_imports)]
use super::*;
use crate::backend::audit::{self, Event};
use crate::backend::entities::{jurisdiction, organisation};
use crate::backend::services::Ctx;
use crate::backend::services::organisations::organisation_view;
use crate::backend::{ServiceError, ServiceResult};
use crate::domain::Role;
use crate::wire::admin::*;
use crate::wire::organisations::OrganisationView;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    TransactionTrait,
};
use serde_json::json;

fn org_json(o: &organisation::Model) -> serde_json::Value {
    json!({ "code": o.code, "name": o.name, "name_fr": o.name_fr, "kind": o.kind, "jurisdiction_id": o.jurisdiction_id })
}

/// Checks organisation fields and resolves the jurisdiction.
async fn organisation_fields(
    db: &impl ConnectionTrait,
    params: &OrganisationParams,
) -> ServiceResult<(String, String, Option<String>, Option<i32>)> {
    let code = text("code", &params.code, 32)?.to_uppercase();
    if !code
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(invalid(
            "code",
            "A code uses letters, digits, '-' and '_' only.",
        ));
    }
    let name = text("name", &params.name, 200)?;
    let name_fr = optional_text("name_fr", params.name_fr.as_deref(), 200)?;
    let jurisdiction_id = match params
        .jurisdiction_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        None => None,
        Some(c) => Some(
            jurisdiction::Entity::find()
                .filter(jurisdiction::Column::Code.eq(c))
                .one(db)
                .await?
                .ok_or_else(|| {
                    invalid(
                        "jurisdiction_code",
                        format!("No jurisdiction has code '{c}'."),
                    )
                })?
                .id,
        ),
    };
    if params.kind.sector() == crate::domain::Sector::Public && jurisdiction_id.is_none() {
        return Err(invalid(
            "jurisdiction_code",
            "A public organisation belongs to a jurisdiction.",
        ));
    }
    Ok((code, name, name_fr, jurisdiction_id))
}

/// Creates an organisation. Admins, and managers adding a new partner while
/// drafting.
///
/// Fails with `Validation` for a taken code, an unknown jurisdiction, or a
/// public organisation without one.
pub async fn create_organisation<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    params: OrganisationParams,
) -> ServiceResult<OrganisationView> {
    ctx.require(&[Role::Admin, Role::Manager])?;
    let (code, name, name_fr, jurisdiction_id) = organisation_fields(db, &params).await?;
    let tx = crate::backend::db::write_tx(db).await?;
    let o = organisation::ActiveModel {
        code: Set(code),
        name: Set(name),
        name_fr: Set(name_fr),
        kind: Set(params.kind),
        jurisdiction_id: Set(jurisdiction_id),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::commit(
        tx,
        ctx,
        Event::created("organisation.create", "organisation", o.id, org_json(&o)),
    )
    .await?;
    organisation_view(db, &o).await
}

/// Edits an organisation. Admins only.
pub async fn update_organisation<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    params: OrganisationParams,
) -> ServiceResult<OrganisationView> {
    ctx.require(&[Role::Admin])?;
    let (code, name, name_fr, jurisdiction_id) = organisation_fields(db, &params).await?;
    let tx = crate::backend::db::write_tx(db).await?;
    let o = organisation::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let before = org_json(&o);
    let mut a: organisation::ActiveModel = o.into();
    a.code = Set(code);
    a.name = Set(name);
    a.name_fr = Set(name_fr);
    a.kind = Set(params.kind);
    a.jurisdiction_id = Set(jurisdiction_id);
    a.updated_at = Set(crate::clock::now());
    let o = a.update(&tx).await?;
    audit::commit(
        tx,
        ctx,
        Event::changed(
            "organisation.update",
            "organisation",
            id,
            before,
            org_json(&o),
        ),
    )
    .await?;
    organisation_view(db, &o).await
}
