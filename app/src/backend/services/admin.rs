//! Administration: users, organisations, jurisdictions, API tokens and the
//! audit log. Every change is audited in its own transaction.

use super::organisations::{jurisdiction_view, organisation_view};
use super::{Ctx, stored};
use crate::backend::audit::{self, Event};
use crate::backend::auth::{API_TOKEN_PREFIX, password, secret};
use crate::backend::entities::{
    api_token, audit_event, jurisdiction, organisation, password_reset, user,
};
use crate::backend::{FieldError, ServiceError, ServiceResult};
use crate::domain::Role;
use crate::wire::admin::*;
use crate::wire::organisations::{JurisdictionView, OrganisationView};
use chrono::Duration;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionSession, TransactionTrait,
};
use serde_json::json;
use std::collections::{HashMap, HashSet};

use super::rfc3339 as ts;

fn invalid(field: &str, message: impl Into<String>) -> ServiceError {
    let message = message.into();
    ServiceError::validation(message.clone(), vec![FieldError::new(field, message)])
}

/// Checks a required text field: trimmed, not empty, not too long.
fn text(field: &str, value: &str, max: usize) -> ServiceResult<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(invalid(field, "This field is required."));
    }
    if v.chars().count() > max {
        return Err(invalid(field, format!("At most {max} characters.")));
    }
    Ok(v.to_owned())
}

fn optional_text(field: &str, value: Option<&str>, max: usize) -> ServiceResult<Option<String>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => text(field, v, max).map(Some),
    }
}

async fn organisation_by_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> ServiceResult<organisation::Model> {
    organisation::Entity::find()
        .filter(organisation::Column::Code.eq(code.trim()))
        .one(db)
        .await?
        .ok_or_else(|| {
            invalid(
                "organisation_code",
                format!("No organisation has code '{}'.", code.trim()),
            )
        })
}

fn user_admin_view(u: &user::Model, orgs: &HashMap<i32, String>) -> ServiceResult<UserAdminView> {
    Ok(UserAdminView {
        id: u.id,
        email: u.email.clone(),
        display_name: u.display_name.clone(),
        role: stored(&u.role, "users.role")?,
        scope: stored(&u.scope, "users.scope")?,
        organisation_id: u.organisation_id,
        organisation_code: orgs.get(&u.organisation_id).cloned().unwrap_or_default(),
        disabled: u.disabled,
        locked_until: u.locked_until.filter(|t| *t > crate::clock::now()).map(ts),
    })
}

async fn org_codes(db: &impl ConnectionTrait) -> ServiceResult<HashMap<i32, String>> {
    Ok(organisation::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.code))
        .collect())
}

fn user_json(u: &user::Model) -> serde_json::Value {
    json!({
        "email": u.email, "display_name": u.display_name, "role": u.role, "scope": u.scope,
        "organisation_id": u.organisation_id, "disabled": u.disabled,
    })
}

/// Every user, by email. Admins only.
pub async fn list_users(ctx: &Ctx, db: &impl ConnectionTrait) -> ServiceResult<Vec<UserAdminView>> {
    ctx.require(&[Role::Admin])?;
    let orgs = org_codes(db).await?;
    user::Entity::find()
        .order_by_asc(user::Column::Email)
        .all(db)
        .await?
        .iter()
        .map(|u| user_admin_view(u, &orgs))
        .collect()
}

/// Creates a user. Admins only.
///
/// Fails with `Validation` for a malformed or taken email, an unknown
/// organisation, a weak password.
pub async fn create_user<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    params: CreateUserParams,
) -> ServiceResult<UserAdminView> {
    if !ctx.system {
        ctx.require(&[Role::Admin])?;
    }
    create_user_unchecked(ctx, db, params).await
}

/// Creates a user without a permission check (the CLI and the seed).
pub async fn create_user_unchecked<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    params: CreateUserParams,
) -> ServiceResult<UserAdminView> {
    let email = super::auth::normalise_email(&params.email);
    if email.len() > 254 || !email.contains('@') || email.starts_with('@') || email.ends_with('@') {
        return Err(invalid(
            "email",
            "Enter an email address like name@example.org.",
        ));
    }
    let display_name = text("display_name", &params.display_name, 200)?;
    if let Some(m) = password::weakness(&params.password) {
        return Err(invalid("password", m));
    }
    let org = organisation_by_code(db, &params.organisation_code).await?;
    let hash = password::hash(params.password).await?;
    let tx = crate::backend::db::write_tx(db).await?;
    let now = crate::clock::now();
    let u = user::ActiveModel {
        uuid: Set(uuid::Uuid::new_v4()),
        email: Set(email),
        display_name: Set(display_name),
        password_hash: Set(hash),
        role: Set(params.role.as_str().to_owned()),
        scope: Set(params.scope.as_str().to_owned()),
        organisation_id: Set(org.id),
        disabled: Set(false),
        locked_until: Set(None),
        password_changed_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        lock_version: Set(1),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::record(
        &tx,
        ctx,
        Event {
            action: "user.create",
            entity: "user",
            entity_id: Some(u.id),
            before: None,
            after: Some(user_json(&u)),
        },
    )
    .await?;
    tx.commit().await?;
    user_admin_view(&u, &org_codes(db).await?)
}

/// Changes a user's role, scope, name or disabled flag. Admins only; an
/// admin cannot disable or demote themselves (someone must remain able to
/// administer).
pub async fn update_user<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    params: UpdateUserParams,
) -> ServiceResult<UserAdminView> {
    let me = ctx.require(&[Role::Admin])?;
    let tx = crate::backend::db::write_tx(db).await?;
    let u = user::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if me.user_id == id
        && (params.disabled == Some(true) || params.role.is_some_and(|r| r != Role::Admin))
    {
        return Err(ServiceError::Conflict(
            "You cannot disable or demote your own account.".into(),
        ));
    }
    let before = user_json(&u);
    let mut a: user::ActiveModel = u.into();
    if let Some(r) = params.role {
        a.role = Set(r.as_str().to_owned());
    }
    if let Some(s) = params.scope {
        a.scope = Set(s.as_str().to_owned());
    }
    if let Some(d) = params.disabled {
        a.disabled = Set(d);
    }
    if let Some(n) = params.display_name.as_deref() {
        a.display_name = Set(text("display_name", n, 200)?);
    }
    a.updated_at = Set(crate::clock::now());
    let u = a.update(&tx).await?;
    audit::record(
        &tx,
        ctx,
        Event {
            action: "user.update",
            entity: "user",
            entity_id: Some(id),
            before: Some(before),
            after: Some(user_json(&u)),
        },
    )
    .await?;
    tx.commit().await?;
    user_admin_view(&u, &org_codes(db).await?)
}

/// Issues a one-time reset link valid for 24 hours. Admins only.
pub async fn issue_reset_link<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
) -> ServiceResult<ResetLinkView> {
    let me = ctx.require(&[Role::Admin])?;
    let tx = crate::backend::db::write_tx(db).await?;
    let u = user::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let token = secret::random_hex();
    let now = crate::clock::now();
    let expires = now + Duration::hours(24);
    // A new link ends the older ones: only the latest works.
    password_reset::Entity::update_many()
        .col_expr(
            password_reset::Column::UsedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(password_reset::Column::UserId.eq(u.id))
        .filter(password_reset::Column::UsedAt.is_null())
        .exec(&tx)
        .await?;
    password_reset::ActiveModel {
        user_id: Set(u.id),
        token_hash: Set(secret::token_hash(&token)),
        created_by: Set(me.user_id),
        expires_at: Set(expires),
        used_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::record(
        &tx,
        ctx,
        Event {
            action: "user.reset_link_issued",
            entity: "user",
            entity_id: Some(u.id),
            before: None,
            after: Some(json!({ "expires_at": ts(expires) })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(ResetLinkView {
        path: format!("/reset-password?token={token}"),
        expires_at: ts(expires),
    })
}

/// Unlocks an account locked by failed sign-ins. Admins only.
pub async fn unlock_user<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
) -> ServiceResult<UserAdminView> {
    ctx.require(&[Role::Admin])?;
    let tx = crate::backend::db::write_tx(db).await?;
    let u = user::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or(ServiceError::NotFound)?;
    crate::backend::entities::login_failure::Entity::delete_many()
        .filter(crate::backend::entities::login_failure::Column::Email.eq(&u.email))
        .exec(&tx)
        .await?;
    let mut a: user::ActiveModel = u.into();
    a.locked_until = Set(None);
    a.updated_at = Set(crate::clock::now());
    let u = a.update(&tx).await?;
    audit::record(
        &tx,
        ctx,
        Event {
            action: "user.unlock",
            entity: "user",
            entity_id: Some(id),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    user_admin_view(&u, &org_codes(db).await?)
}

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
    let now = crate::clock::now();
    let o = organisation::ActiveModel {
        code: Set(code),
        name: Set(name),
        name_fr: Set(name_fr),
        kind: Set(params.kind.as_str().to_owned()),
        jurisdiction_id: Set(jurisdiction_id),
        created_at: Set(now),
        updated_at: Set(now),
        lock_version: Set(1),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::record(
        &tx,
        ctx,
        Event {
            action: "organisation.create",
            entity: "organisation",
            entity_id: Some(o.id),
            before: None,
            after: Some(org_json(&o)),
        },
    )
    .await?;
    tx.commit().await?;
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
    a.kind = Set(params.kind.as_str().to_owned());
    a.jurisdiction_id = Set(jurisdiction_id);
    a.updated_at = Set(crate::clock::now());
    let o = a.update(&tx).await?;
    audit::record(
        &tx,
        ctx,
        Event {
            action: "organisation.update",
            entity: "organisation",
            entity_id: Some(id),
            before: Some(before),
            after: Some(org_json(&o)),
        },
    )
    .await?;
    tx.commit().await?;
    organisation_view(db, &o).await
}

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
    let now = crate::clock::now();
    let j = jurisdiction::ActiveModel {
        code: Set(code),
        name: Set(name),
        name_fr: Set(name_fr),
        level: Set(params.level.as_str().to_owned()),
        country_code: Set(country),
        parent_id: Set(parent_id),
        created_at: Set(now),
        updated_at: Set(now),
        lock_version: Set(1),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::record(
        &tx,
        ctx,
        Event {
            action: "jurisdiction.create",
            entity: "jurisdiction",
            entity_id: Some(j.id),
            before: None,
            after: Some(jurisdiction_json(&j)),
        },
    )
    .await?;
    tx.commit().await?;
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
    a.level = Set(params.level.as_str().to_owned());
    a.country_code = Set(country);
    a.parent_id = Set(parent_id);
    a.updated_at = Set(crate::clock::now());
    let j = a.update(&tx).await?;
    audit::record(
        &tx,
        ctx,
        Event {
            action: "jurisdiction.update",
            entity: "jurisdiction",
            entity_id: Some(id),
            before: Some(before),
            after: Some(jurisdiction_json(&j)),
        },
    )
    .await?;
    tx.commit().await?;
    jurisdiction_view(&j)
}

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
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::record(&tx, ctx, Event { action: "api_token.issue", entity: "api_token", entity_id: Some(t.id), before: None, after: Some(json!({ "organisation_id": t.organisation_id, "name": t.name, "expires_at": ts(t.expires_at) })) })
        .await?;
    tx.commit().await?;
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
    audit::record(
        &tx,
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
    tx.commit().await?;
    Ok(token_view(&t, &org_codes(db).await?))
}

/// The audit log, newest first, filtered. Admins only.
pub async fn list_audit(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    filters: AuditFilters,
) -> ServiceResult<AuditPage> {
    ctx.require(&[Role::Admin])?;
    let mut q = audit_event::Entity::find().order_by_desc(audit_event::Column::Id);
    if let Some(a) = filters
        .action
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        q = q.filter(audit_event::Column::Action.eq(a));
    }
    if let Some(e) = filters
        .entity
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        q = q.filter(audit_event::Column::Entity.eq(e));
    }
    if let Some(id) = filters.actor_id {
        q = q.filter(audit_event::Column::ActorId.eq(id));
    }
    let total = q.clone().count(db).await?;
    let limit = filters.limit.unwrap_or(100).clamp(1, 1000);
    let rows = q
        .offset(filters.offset.unwrap_or(0))
        .limit(limit)
        .all(db)
        .await?;
    let actor_ids: Vec<i32> = rows.iter().filter_map(|r| r.actor_id).collect();
    let emails: HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(actor_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect();
    let items = rows
        .into_iter()
        .map(|r| AuditEventView {
            id: r.id,
            at: ts(r.at),
            actor_email: r.actor_id.and_then(|id| emails.get(&id).cloned()),
            actor_id: r.actor_id,
            api_token_id: r.api_token_id,
            action: r.action,
            entity: r.entity,
            entity_id: r.entity_id,
            before: r.before,
            after: r.after,
        })
        .collect();
    Ok(AuditPage { items, total })
}

fn kpi_view(k: &crate::backend::entities::kpi::Model, used: u64) -> ServiceResult<KpiView> {
    Ok(KpiView {
        id: k.id,
        code: k.code.clone(),
        name: k.name.clone(),
        name_fr: k.name_fr.clone(),
        unit: stored(&k.unit, "kpis.unit")?,
        direction: stored(&k.direction, "kpis.direction")?,
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
    let now = crate::clock::now();
    let k = kpi::ActiveModel {
        code: Set(code),
        name: Set(name),
        name_fr: Set(name_fr),
        unit: Set(params.unit.as_str().to_owned()),
        direction: Set(params.direction.as_str().to_owned()),
        is_ratio: Set(params.is_ratio),
        created_at: Set(now),
        updated_at: Set(now),
        lock_version: Set(1),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::record(
        &tx,
        ctx,
        Event {
            action: "kpi.create",
            entity: "kpi",
            entity_id: Some(k.id),
            before: None,
            after: Some(kpi_json(&k)),
        },
    )
    .await?;
    tx.commit().await?;
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
    let meaning_changes = params.unit.as_str() != k.unit
        || params.direction.as_str() != k.direction
        || params.is_ratio != k.is_ratio;
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
    a.unit = Set(params.unit.as_str().to_owned());
    a.direction = Set(params.direction.as_str().to_owned());
    a.is_ratio = Set(params.is_ratio);
    a.updated_at = Set(crate::clock::now());
    let k = a.update(&tx).await?;
    audit::record(
        &tx,
        ctx,
        Event {
            action: "kpi.update",
            entity: "kpi",
            entity_id: Some(id),
            before: Some(before),
            after: Some(kpi_json(&k)),
        },
    )
    .await?;
    tx.commit().await?;
    kpi_view(&k, used)
}
