//! Users: listing, creating, editing, reset links and unlocking (admins).

#[allow(unused_imports)]
use super::*;
use crate::backend::audit::{self, Event};
use crate::backend::auth::{password, secret};
use crate::backend::entities::{password_reset, user};
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
use std::collections::HashMap;

fn user_admin_view(u: &user::Model, orgs: &HashMap<i32, String>) -> ServiceResult<UserAdminView> {
    Ok(UserAdminView {
        id: u.id,
        email: u.email.clone(),
        display_name: u.display_name.clone(),
        role: u.role,
        scope: u.scope,
        organisation_id: u.organisation_id,
        organisation_code: orgs.get(&u.organisation_id).cloned().unwrap_or_default(),
        disabled: u.disabled,
        locked_until: u.locked_until.filter(|t| *t > crate::clock::now()).map(ts),
    })
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
    let email = crate::backend::services::auth::normalise_email(&params.email);
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
    let u = user::ActiveModel {
        uuid: Set(uuid::Uuid::new_v4()),
        email: Set(email),
        display_name: Set(display_name),
        password_hash: Set(hash),
        role: Set(params.role),
        scope: Set(params.scope),
        organisation_id: Set(org.id),
        disabled: Set(false),
        locked_until: Set(None),
        password_changed_at: Set(None),
        lang: Set(params.lang.code().to_owned()),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::commit(
        tx,
        ctx,
        Event::created("user.create", "user", u.id, user_json(&u)),
    )
    .await?;
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
        a.role = Set(r);
    }
    if let Some(s) = params.scope {
        a.scope = Set(s);
    }
    if let Some(d) = params.disabled {
        a.disabled = Set(d);
    }
    if let Some(n) = params.display_name.as_deref() {
        a.display_name = Set(text("display_name", n, 200)?);
    }
    a.updated_at = Set(crate::clock::now());
    let u = a.update(&tx).await?;
    audit::commit(
        tx,
        ctx,
        Event::changed("user.update", "user", id, before, user_json(&u)),
    )
    .await?;
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
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::commit(
        tx,
        ctx,
        Event::created(
            "user.reset_link_issued",
            "user",
            u.id,
            json!({ "expires_at": ts(expires) }),
        ),
    )
    .await?;
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
    audit::commit(
        tx,
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
    user_admin_view(&u, &org_codes(db).await?)
}
