//! Who is acting: resolving a request's credentials (a session JWT in the
//! `Authorization` header or the `HttpOnly` cookie, or a partner system's
//! API token) to an `Actor`, and the settings that govern sign-in. The
//! checks of what an actor may do live with the services.

pub mod password;
pub mod secret;
pub mod session;

use crate::backend::entities::{api_token, revoked_token, user};
use crate::backend::{ServiceError, ServiceResult};
use crate::domain::{Role, Scope};
use chrono::{DateTime, Utc};
use http::HeaderMap;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::sync::Arc;

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "concord_session";
/// API tokens start with this, so they are never mistaken for a JWT.
pub const API_TOKEN_PREFIX: &str = "cnc_";

/// Sign-in settings (API.md defaults: 5 failures in 15 minutes lock an
/// account for 15 minutes).
#[derive(Clone, Debug)]
pub struct AuthSettings {
    pub jwt_secret: Arc<[u8]>,
    pub session_minutes: i64,
    pub max_failures: u64,
    pub failure_window_minutes: i64,
    pub lock_minutes: i64,
    /// Failures from one address, across accounts, before it is refused.
    pub max_failures_per_address: u64,
    /// Mark the cookie `Secure` (behind https).
    pub secure_cookies: bool,
    /// Reverse proxies whose `X-Forwarded-For` is believed; from any other
    /// peer the header is ignored.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl AuthSettings {
    /// Settings for tests and development with the given secret.
    pub fn with_secret(secret: &[u8]) -> Self {
        AuthSettings {
            jwt_secret: Arc::from(secret),
            session_minutes: 8 * 60,
            max_failures: 5,
            failure_window_minutes: 15,
            lock_minutes: 15,
            max_failures_per_address: 50,
            secure_cookies: false,
            trusted_proxies: Vec::new(),
        }
    }

    /// The `Set-Cookie` value carrying a session token.
    pub fn session_cookie(&self, token: &str) -> String {
        format!(
            "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
            self.session_minutes * 60,
            if self.secure_cookies { "; Secure" } else { "" }
        )
    }

    /// The `Set-Cookie` value that removes the session cookie.
    pub fn clear_cookie(&self) -> String {
        format!(
            "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
            if self.secure_cookies { "; Secure" } else { "" }
        )
    }
}

/// Who acts: a person (a user) or a partner's system (an API token) —
/// never both, never neither.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Acting {
    User(i32),
    Token(i32),
}

/// A signed-in user, or a partner system holding an API token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub acting: Acting,
    pub role: Role,
    pub scope: Scope,
    pub organisation_id: i32,
    /// The session token's id and expiry (for logout).
    pub session: Option<(String, DateTime<Utc>)>,
    /// Whether the credentials came from the cookie (CSRF rules apply).
    pub via_cookie: bool,
}

impl Actor {
    /// The user acting; `None` for an API token.
    pub fn user_id(&self) -> Option<i32> {
        match self.acting {
            Acting::User(id) => Some(id),
            Acting::Token(_) => None,
        }
    }

    /// The API token acting; `None` for a user.
    pub fn api_token_id(&self) -> Option<i32> {
        match self.acting {
            Acting::Token(id) => Some(id),
            Acting::User(_) => None,
        }
    }
}

/// How the request presented credentials.
enum Credential<'a> {
    Bearer(&'a str),
    Cookie(&'a str),
}

fn credential(headers: &HeaderMap) -> Option<Credential<'_>> {
    if let Some(v) = headers.get(http::header::AUTHORIZATION) {
        let v = v.to_str().unwrap_or("");
        let token = v
            .strip_prefix("Bearer ")
            .or_else(|| v.strip_prefix("bearer "))
            .unwrap_or("");
        return Some(Credential::Bearer(token.trim()));
    }
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| Credential::Cookie(v.trim()))
        .filter(|c| !matches!(c, Credential::Cookie("")))
}

fn unauthenticated() -> ServiceError {
    ServiceError::Unauthenticated(
        "Sign in again: your session is missing, expired or revoked.".into(),
    )
}

/// The actor behind a request's credentials; `Ok(None)` when it presents
/// none.
///
/// Fails with `Unauthenticated` for a malformed, tampered, expired, revoked
/// or unknown token, or a disabled account.
pub async fn resolve(
    db: &impl ConnectionTrait,
    settings: &AuthSettings,
    headers: &HeaderMap,
) -> ServiceResult<Option<Actor>> {
    let (token, via_cookie) = match credential(headers) {
        None => return Ok(None),
        Some(Credential::Bearer(t)) => (t, false),
        Some(Credential::Cookie(t)) => (t, true),
    };
    if let Some(raw) = token.strip_prefix(API_TOKEN_PREFIX) {
        if via_cookie || raw.is_empty() {
            return Err(unauthenticated());
        }
        let row = api_token::Entity::find()
            .filter(api_token::Column::TokenHash.eq(secret::token_hash(token)))
            .one(db)
            .await?
            .ok_or_else(unauthenticated)?;
        let now = crate::clock::now();
        if row.revoked_at.is_some() || row.expires_at <= now {
            return Err(unauthenticated());
        }
        // Kept to the minute: at most one write a minute per token, and the
        // condition lets only one of several servers write it.
        let stale = now - chrono::Duration::minutes(1);
        if row.last_used_at.is_none_or(|at| at < stale) {
            use sea_orm::sea_query::{Expr, ExprTrait};
            api_token::Entity::update_many()
                .col_expr(api_token::Column::LastUsedAt, Expr::value(now))
                .filter(api_token::Column::Id.eq(row.id))
                .filter(
                    api_token::Column::LastUsedAt
                        .is_null()
                        .or(api_token::Column::LastUsedAt.lt(stale)),
                )
                .exec(db)
                .await?;
        }
        return Ok(Some(Actor {
            acting: Acting::Token(row.id),
            role: Role::Reporter,
            scope: Scope::Organisation,
            organisation_id: row.organisation_id,
            session: None,
            via_cookie: false,
        }));
    }
    let claims = session::decode(&settings.jwt_secret, token).map_err(|_| unauthenticated())?;
    let uuid = uuid::Uuid::parse_str(&claims.sub).map_err(|_| unauthenticated())?;
    // The account, unless this session was revoked (signed out): one query,
    // as every signed-in request asks it.
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    let revoked = Query::select()
        .expr(Expr::val(1))
        .from(revoked_token::Entity)
        .and_where(Expr::col(revoked_token::Column::Jti).eq(claims.jti.as_str()))
        .to_owned();
    let u = user::Entity::find()
        .filter(user::Column::Uuid.eq(uuid))
        .filter(Expr::exists(revoked).not())
        .one(db)
        .await?
        .ok_or_else(unauthenticated)?;
    if u.disabled {
        return Err(unauthenticated());
    }
    // A password change ends every session issued before it.
    if u.password_changed_at
        .is_some_and(|at| claims.iat < at.timestamp())
    {
        return Err(unauthenticated());
    }
    let expires = DateTime::from_timestamp(claims.exp, 0).unwrap_or_else(crate::clock::now);
    // Role, scope and organisation come from the database, not the token, so
    // an admin's change takes effect at once.
    Ok(Some(Actor {
        acting: Acting::User(u.id),
        role: u.role,
        scope: u.scope,
        organisation_id: u.organisation_id,
        session: Some((claims.jti, expires)),
        via_cookie,
    }))
}
