//! Signing in and out, the current user, and passwords. Failed sign-ins are
//! counted in the database (so every server instance agrees) and written
//! to the audit log as `auth.login_failed`.

use super::Ctx;
use crate::backend::audit::{self, Event};
use crate::backend::auth::{AuthSettings, password, secret, session};
use crate::backend::entities::{login_failure, organisation, password_reset, revoked_token, user};
use crate::backend::{FieldError, ServiceError, ServiceResult};
use crate::wire::auth::{LoginView, UserView};
use chrono::Duration;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, TransactionSession, TransactionTrait,
};
use serde_json::json;

const WRONG_CREDENTIALS: &str = "The email address or the password is not right.";

/// The user view of `u`.
pub(crate) async fn user_view(
    db: &impl ConnectionTrait,
    u: &user::Model,
) -> ServiceResult<UserView> {
    let org = organisation::Entity::find_by_id(u.organisation_id)
        .one(db)
        .await?
        .ok_or_else(|| {
            sea_orm::DbErr::RecordNotFound(format!("organisation {}", u.organisation_id))
        })?;
    Ok(UserView {
        id: u.id,
        email: u.email.clone(),
        role: u.role,
        scope: u.scope,
        organisation_id: u.organisation_id,
        display_name: u.display_name.clone(),
        organisation_code: org.code,
        organisation_name: org.name,
        lang: crate::domain::Lang::from_code(&u.lang).unwrap_or_default(),
    })
}

/// Normalises an email address for lookup.
pub(crate) fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Signs in with email and password.
///
/// Fails with `Unauthenticated` (the same answer for an unknown email and a
/// wrong password), or `TooManyRequests` while the account — or the
/// caller's address — has failed too often.
#[tracing::instrument(skip_all)]
pub async fn login<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    settings: &AuthSettings,
    email: &str,
    password_text: &str,
) -> ServiceResult<LoginView> {
    let email = normalise_email(email);
    let now = crate::clock::now();
    let since = now - Duration::minutes(settings.failure_window_minutes);
    let too_many = || {
        ServiceError::TooManyRequests(format!(
            "Too many failed sign-ins. Try again in {} minutes.",
            settings.lock_minutes
        ))
    };

    let account = user::Entity::find()
        .filter(user::Column::Email.eq(&email))
        .one(db)
        .await?;
    if account
        .as_ref()
        .and_then(|u| u.locked_until)
        .is_some_and(|until| until > now)
    {
        return Err(too_many());
    }
    // The attempt counts as a failure before any hash is computed, so
    // attempts made at the same moment see one another: of a burst, at
    // most the allowed number get as far as the hash. A success takes its
    // attempt back.
    let attempt = Attempt::record(db, ctx, &email, now).await?;
    let window_start = account
        .as_ref()
        .and_then(|u| u.locked_until)
        .map_or(since, |l| l.max(since));
    let by_account = attempt.by_account(db, window_start).await?;
    let by_address = attempt.by_address(db, since).await?;
    if by_account > settings.max_failures || by_address > settings.max_failures_per_address {
        return Err(too_many());
    }

    let ok = match password::verify(
        password_text.to_owned(),
        account.as_ref().map(|u| u.password_hash.clone()),
    )
    .await
    {
        Ok(ok) => ok,
        Err(busy) => {
            // Not a guess: the server did not look at it.
            attempt.take_back(db).await?;
            return Err(busy.into());
        }
    };
    let account = account.filter(|u| ok && !u.disabled);
    let Some(u) = account else {
        let tx = crate::backend::db::write_tx(db).await?;
        let known = user::Entity::find()
            .filter(user::Column::Email.eq(&email))
            .one(&tx)
            .await?;
        audit::record(
            &tx,
            ctx,
            Event {
                action: "auth.login_failed",
                entity: "user",
                entity_id: known.as_ref().map(|u| u.id),
                before: None,
                after: Some(json!({ "email": email, "ip": ctx.ip })),
            },
        )
        .await?;
        let locked = by_account >= settings.max_failures;
        if locked && let Some(k) = known {
            lock(&tx, k, settings, now).await?;
        }
        tx.commit().await?;
        return Err(if locked {
            too_many()
        } else {
            ServiceError::Unauthenticated(WRONG_CREDENTIALS.into())
        });
    };
    // The session's write clears the account's failures, this attempt's
    // among them (it was recorded under the same normalised address).
    issue_session(ctx, db, settings, u.id).await
}

/// One attempt to prove a password, recorded as a failure until it
/// succeeds.
struct Attempt {
    id: i32,
    email: String,
    ip: Option<String>,
}

impl Attempt {
    /// Records the attempt (committed at once, so that others see it).
    async fn record(
        db: &impl ConnectionTrait,
        ctx: &Ctx,
        email: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> ServiceResult<Attempt> {
        let row = login_failure::ActiveModel {
            email: Set(email.to_owned()),
            ip: Set(ctx.ip.clone()),
            at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        Ok(Attempt {
            id: row.id,
            email: email.to_owned(),
            ip: ctx.ip.clone(),
        })
    }

    /// Failures for this account since `since`, this attempt included.
    async fn by_account(
        &self,
        db: &impl ConnectionTrait,
        since: chrono::DateTime<chrono::Utc>,
    ) -> ServiceResult<u64> {
        Ok(login_failure::Entity::find()
            .filter(login_failure::Column::Email.eq(&self.email))
            .filter(login_failure::Column::At.gt(since))
            .count(db)
            .await?)
    }

    /// Failures from this address since `since`, this attempt included
    /// (none counted for a caller without an address).
    async fn by_address(
        &self,
        db: &impl ConnectionTrait,
        since: chrono::DateTime<chrono::Utc>,
    ) -> ServiceResult<u64> {
        let Some(ip) = &self.ip else { return Ok(0) };
        Ok(login_failure::Entity::find()
            .filter(login_failure::Column::Ip.eq(ip.as_str()))
            .filter(login_failure::Column::At.gt(since))
            .count(db)
            .await?)
    }

    /// The attempt succeeded (or was not judged): it is no failure.
    async fn take_back(self, db: &impl ConnectionTrait) -> ServiceResult<()> {
        login_failure::Entity::delete_by_id(self.id)
            .exec(db)
            .await?;
        Ok(())
    }
}

/// Locks account `u` for the configured time.
async fn lock(
    db: &impl ConnectionTrait,
    u: user::Model,
    settings: &AuthSettings,
    now: chrono::DateTime<chrono::Utc>,
) -> ServiceResult<()> {
    let mut a: user::ActiveModel = u.into();
    a.locked_until = Set(Some(now + Duration::minutes(settings.lock_minutes)));
    a.update(db).await?;
    Ok(())
}

/// Issues a session token for user `id` and records the sign-in.
pub async fn issue_session<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    settings: &AuthSettings,
    id: i32,
) -> ServiceResult<LoginView> {
    let u = user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let now = crate::clock::now();
    let claims = session::Claims {
        sub: u.uuid.to_string(),
        jti: uuid::Uuid::new_v4().to_string(),
        iat: now.timestamp(),
        exp: now.timestamp() + settings.session_minutes * 60,
        role: u.role.as_str().to_owned(),
        scope: u.scope.as_str().to_owned(),
        org: u.organisation_id,
    };
    let token = session::encode(&settings.jwt_secret, &claims)
        .map_err(|e| sea_orm::DbErr::Custom(format!("signing a session: {e}")))?;
    let tx = crate::backend::db::write_tx(db).await?;
    audit::record_as(
        &tx,
        Some(u.id),
        ctx,
        Event::created(
            "auth.login",
            "user",
            u.id,
            json!({ "email": u.email, "jti": claims.jti }),
        ),
    )
    .await?;
    // A successful sign-in clears the account's failure count.
    login_failure::Entity::delete_many()
        .filter(login_failure::Column::Email.eq(&u.email))
        .exec(&tx)
        .await?;
    tx.commit().await?;
    Ok(LoginView {
        token,
        token_type: "Bearer",
        expires_in: settings.session_minutes * 60,
        user: user_view(db, &u).await?,
    })
}

/// Revokes the caller's session token. Fails with `Unauthenticated` when
/// the caller holds no session.
pub async fn logout<C: ConnectionTrait + TransactionTrait>(ctx: &Ctx, db: &C) -> ServiceResult<()> {
    let actor = ctx.actor()?;
    let Some((jti, expires)) = actor.session.clone() else {
        return Err(ServiceError::Forbidden);
    };
    let tx = crate::backend::db::write_tx(db).await?;
    revoked_token::ActiveModel {
        jti: Set(jti.clone()),
        expires_at: Set(expires),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::commit(
        tx,
        ctx,
        Event {
            action: "auth.logout",
            entity: "user",
            entity_id: actor.user_id(),
            before: None,
            after: Some(json!({ "jti": jti })),
        },
    )
    .await?;
    Ok(())
}

/// The signed-in user. Fails with `Unauthenticated` for anonymous callers
/// and `Forbidden` for an API token.
pub async fn me(ctx: &Ctx, db: &impl ConnectionTrait) -> ServiceResult<UserView> {
    let id = ctx.person()?.user_id;
    let u = user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    user_view(db, &u).await
}

/// Sets the language Concord writes to the signed-in user in. Fails with
/// `Unauthenticated` for anonymous callers and `Forbidden` for an API token.
pub async fn set_language(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    lang: crate::domain::Lang,
) -> ServiceResult<UserView> {
    let id = ctx.person()?.user_id;
    let u = user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if u.lang == lang.code() {
        return user_view(db, &u).await;
    }
    let mut a: user::ActiveModel = u.into();
    a.lang = Set(lang.code().to_owned());
    let u = a.update(db).await?;
    user_view(db, &u).await
}

fn weak(new_password: &str) -> ServiceResult<()> {
    match password::weakness(new_password) {
        None => Ok(()),
        Some(m) => Err(ServiceError::validation(
            m.clone(),
            vec![FieldError::new("new_password", m)],
        )),
    }
}

/// Sets `u`'s password hash and ends its earlier sessions.
async fn set_password(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    u: user::Model,
    new_password: &str,
    action: &str,
) -> ServiceResult<()> {
    let hash = password::hash(new_password.to_owned()).await?;
    let id = u.id;
    let mut a: user::ActiveModel = u.into();
    // Sessions issued before this second end; a new one may start after it.
    let now = crate::clock::now();
    a.password_hash = Set(hash);
    a.password_changed_at = Set(Some(now - Duration::seconds(1)));
    a.updated_at = Set(now);
    a.locked_until = Set(None);
    a.update(db).await?;
    // Every reset link still open for this user ends with the change.
    password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, Expr::value(now))
        .filter(password_reset::Column::UserId.eq(id))
        .filter(password_reset::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    audit::record(
        db,
        ctx,
        Event {
            action,
            entity: "user",
            entity_id: Some(id),
            before: None,
            after: None,
        },
    )
    .await?;
    Ok(())
}

/// Changes the caller's password after checking the current one.
///
/// Fails with `Validation` for a wrong current password or a weak new one.
pub async fn change_password<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    settings: &AuthSettings,
    current: &str,
    new_password: &str,
) -> ServiceResult<()> {
    let id = ctx.person()?.user_id;
    let u = user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    // Throttled as signing in is: the current password is a guess too.
    let now = crate::clock::now();
    let too_many = || {
        ServiceError::TooManyRequests(format!(
            "Too many wrong passwords. Try again in {} minutes.",
            settings.lock_minutes
        ))
    };
    if u.locked_until.is_some_and(|until| until > now) {
        return Err(too_many());
    }
    let since = now - Duration::minutes(settings.failure_window_minutes);
    let window_start = u.locked_until.map_or(since, |l| l.max(since));
    let attempt = Attempt::record(db, ctx, &u.email, now).await?;
    let failures = attempt.by_account(db, window_start).await?;
    if failures > settings.max_failures {
        return Err(too_many());
    }
    let ok = match password::verify(current.to_owned(), Some(u.password_hash.clone())).await {
        Ok(ok) => ok,
        Err(busy) => {
            attempt.take_back(db).await?;
            return Err(busy.into());
        }
    };
    if !ok {
        if failures >= settings.max_failures {
            lock(db, u, settings, now).await?;
            return Err(too_many());
        }
        let m = "The current password is not right.";
        return Err(ServiceError::validation(
            m,
            vec![FieldError::new("current", m)],
        ));
    }
    attempt.take_back(db).await?;
    weak(new_password)?;
    let tx = crate::backend::db::write_tx(db).await?;
    set_password(ctx, &tx, u, new_password, "user.password_changed").await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a new password with a one-time reset token.
///
/// Fails with `Validation` for an unknown, used or expired token, or a weak
/// password.
pub async fn reset_password<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    token: &str,
    new_password: &str,
) -> ServiceResult<()> {
    weak(new_password)?;
    let invalid = || {
        let m = "This reset link is not valid any more. Ask an administrator for a new one.";
        ServiceError::validation(m, vec![FieldError::new("token", m)])
    };
    let tx = crate::backend::db::write_tx(db).await?;
    let reset = password_reset::Entity::find()
        .filter(password_reset::Column::TokenHash.eq(secret::token_hash(token)))
        .one(&tx)
        .await?
        .ok_or_else(invalid)?;
    if reset.used_at.is_some() || reset.expires_at <= crate::clock::now() {
        return Err(invalid());
    }
    let u = user::Entity::find_by_id(reset.user_id)
        .one(&tx)
        .await?
        .ok_or_else(invalid)?;
    // Used once: of two uses at the same moment, one conditional update
    // wins and the other finds the link used.
    let now = crate::clock::now();
    let claimed = password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, Expr::value(now))
        .filter(password_reset::Column::Id.eq(reset.id))
        .filter(password_reset::Column::UsedAt.is_null())
        .filter(password_reset::Column::ExpiresAt.gt(now))
        .exec(&tx)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(invalid());
    }
    set_password(ctx, &tx, u, new_password, "user.password_reset").await?;
    tx.commit().await?;
    Ok(())
}
