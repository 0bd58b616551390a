//! API tokens: who may manage them, listing, issuing and revoking.

#[allow(unused_imports)]
use super::*;
use crate::backend::audit::{self, Event};
use crate::backend::auth::{API_TOKEN_PREFIX, secret};
use crate::backend::entities::api_token;
use crate::backend::services::Ctx;
use crate::backend::services::rfc3339 as ts;
use crate::backend::{ServiceError, ServiceResult};
use crate::domain::Role;
use crate::wire::admin::*;
use chrono::Duration;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde_json::json;
use std::collections::{HashMap, HashSet};

/// The organisations whose API tokens the caller may manage: every one for
/// admins (`None`); for managers, their own alone — a token acts for its
/// organisation, and only that organisation's people may give it one.
fn manageable_organisations(ctx: &Ctx) -> ServiceResult<Option<HashSet<i32>>> {
    let actor = ctx.require(&[Role::Admin, Role::Manager])?;
    if actor.role == Role::Admin {
        return Ok(None);
    }
    Ok(Some(HashSet::from([actor.organisation_id])))
}

fn token_view(t: &api_token::Model, orgs: &HashMap<i32, String>) -> ApiTokenView {
    ApiTokenView {
        id: t.id,
        organisation_id: t.organisation_id,
        organisation_code: orgs.get(&t.organisation_id).cloned().unwrap_or_default(),
        name: t.name.clone(),
        created_at: ts(t.created_at),
        expires_at: ts(t.expires_at),
        revoked_at: t.revoked_at.map(ts),
        last_used_at: t.last_used_at.map(ts),
    }
}

/// The API tokens the caller may manage, newest first.
pub async fn list_api_tokens(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
) -> ServiceResult<Vec<ApiTokenView>> {
    let allowed = manageable_organisations(ctx)?;
    let mut q = api_token::Entity::find().order_by_desc(api_token::Column::Id);
    if let Some(ids) = allowed {
        q = q.filter(api_token::Column::OrganisationId.is_in(ids));
    }
    let orgs = org_codes(db).await?;
    Ok(q.all(db)
        .await?
        .iter()
        .map(|t| token_view(t, &orgs))
        .collect())
}

/// Issues an API token for an organisation; the secret is returned once.
///
/// Fails with `Forbidden` for an organisation the caller may not manage,
/// `Validation` for a bad name or lifetime.
pub async fn issue_api_token<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    params: IssueTokenParams,
) -> ServiceResult<IssuedTokenView> {
    let allowed = manageable_organisations(ctx)?;
    let org = organisation_by_code(db, &params.organisation_code).await?;
    if allowed.is_some_and(|ids| !ids.contains(&org.id)) {
        return Err(ServiceError::Forbidden);
    }
    let name = text("name", &params.name, 100)?;
    if !(1..=730).contains(&params.days) {
        return Err(invalid("days", "A token lasts from 1 to 730 days."));
    }
    let token = format!("{API_TOKEN_PREFIX}{}", secret::random_hex());
    let now = crate::clock::now();
    let tx = crate::backend::db::write_tx(db).await?;
    let t = api_token::ActiveModel {
        organisation_id: Set(org.id),
        name: Set(name),
        token_hash: Set(secret::token_hash(&token)),
        created_by: Set(ctx.person()?.user_id),
        expires_at: Set(now + Duration::days(params.days)),
        revoked_at: Set(None),
        last_used_at: Set(None),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::commit(tx, ctx, Event { action: "api_token.issue", entity: "api_token", entity_id: Some(t.id), before: None, after: Some(json!({ "organisation_id": t.organisation_id, "name": t.name, "expires_at": ts(t.expires_at) })) })
        .await?;
    Ok(IssuedTokenView {
        token,
        api_token: token_view(&t, &org_codes(db).await?),
    })
}

/// Revokes an API token at once. Fails with `NotFound` for a token the
/// caller may not manage.
pub async fn revoke_api_token<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
) -> ServiceResult<ApiTokenView> {
    let allowed = manageable_organisations(ctx)?;
    let tx = crate::backend::db::write_tx(db).await?;
    let t = api_token::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if allowed.is_some_and(|ids| !ids.contains(&t.organisation_id)) {
        return Err(ServiceError::NotFound);
    }
    if t.revoked_at.is_some() {
        return Err(ServiceError::Conflict(
            "This token is already revoked.".into(),
        ));
    }
    let mut a: api_token::ActiveModel = t.into();
    a.revoked_at = Set(Some(crate::clock::now()));
    a.updated_at = Set(crate::clock::now());
    let t = a.update(&tx).await?;
    audit::commit(
        tx,
        ctx,
        Event {
            action: "api_token.revoke",
            entity: "api_token",
            entity_id: Some(id),
            before: None,
            after: None,
        },
    )
    .await?;
    Ok(token_view(&t, &org_codes(db).await?))
}
