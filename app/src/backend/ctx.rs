//! Who is acting, and on behalf of which request: the first argument of
//! every service, read by the audit log.

use crate::backend::auth::{Acting, Actor};
use crate::backend::{ServiceError, ServiceResult};
use crate::domain::{Role, Scope};

/// Who is acting, and on behalf of which request.
#[derive(Clone, Debug, Default)]
pub struct Ctx {
    /// The signed-in user or API token; `None` for anonymous callers.
    pub actor: Option<Actor>,
    /// Set for command-line tasks (seed, import), which act as the system.
    pub system: bool,
    /// The caller's address, for sign-in throttling.
    pub ip: Option<String>,
    /// The request id, copied into audit events.
    pub request_id: Option<String>,
    /// Within one server render (where nothing is written): the
    /// agreements the caller may see, listed once for every part of the
    /// page. `None` elsewhere: listed afresh each time.
    pub visible: Option<VisibleOnce>,
    /// A request's use of the server's kept answers (`Ctx::kept`); `None`
    /// for command-line tasks, which always compute.
    pub cache: Option<crate::backend::cache::RequestCache>,
}

/// The agreements a caller may see, listed at most once.
pub type VisibleOnce =
    std::sync::Arc<tokio::sync::OnceCell<Vec<crate::wire::agreements::AgreementSummary>>>;

impl Ctx {
    /// A caller who has not signed in.
    pub fn anonymous() -> Self {
        Ctx::default()
    }

    /// The server itself (CLI tasks: migrate, seed, import).
    pub fn system() -> Self {
        Ctx {
            system: true,
            ..Ctx::default()
        }
    }

    /// A signed-in actor.
    pub fn for_actor(actor: Actor) -> Self {
        Ctx {
            actor: Some(actor),
            ..Ctx::default()
        }
    }

    /// The signed-in actor. Fails with `Unauthenticated` for anonymous callers.
    pub fn actor(&self) -> ServiceResult<&Actor> {
        self.actor.as_ref().ok_or_else(ServiceError::sign_in)
    }

    /// The signed-in *person* (not an API token) with one of `roles`.
    ///
    /// Fails with `Unauthenticated` when nobody is signed in, `Forbidden`
    /// for an API token or another role.
    pub fn require(&self, roles: &[Role]) -> ServiceResult<Person<'_>> {
        let actor = self.actor()?;
        match actor.acting {
            Acting::User(user_id) if roles.contains(&actor.role) => Ok(Person { user_id, actor }),
            _ => Err(ServiceError::Forbidden),
        }
    }

    /// The signed-in person, whatever the role. Fails as `require` does.
    pub fn person(&self) -> ServiceResult<Person<'_>> {
        self.require(Role::ALL)
    }

    /// `compute`'s answer for `name` and `args` as this caller sees it,
    /// kept until the data changes (`backend::cache`). The key holds who may
    /// see what (the caller's kind, role, scope and organisation: all that
    /// visibility and permissions depend on) and today's date (what is due
    /// or missing moves with the calendar). Without a cache (command-line
    /// tasks) it simply computes. Only for reads outside a transaction: a
    /// transaction's uncommitted count must never key an answer.
    ///
    /// Fails as `compute` does, or when the count cannot be read.
    pub async fn kept<T, A>(
        &self,
        db: &sea_orm::DatabaseConnection,
        name: &str,
        args: &A,
        compute: impl Future<Output = ServiceResult<T>>,
    ) -> ServiceResult<T>
    where
        T: Clone + Send + Sync + 'static,
        A: serde::Serialize + ?Sized,
    {
        // Arguments that cannot be written down key nothing: computed
        // afresh, never mistaken for other arguments' answer.
        let (Some(cache), Ok(args)) = (&self.cache, serde_json::to_string(args)) else {
            return compute.await;
        };
        let key = format!(
            "{name} {args} {} {}",
            self.audience(),
            crate::clock::today()
        );
        cache.read(db, key, compute).await
    }

    /// Who may see what, as far as any answer can depend on it.
    fn audience(&self) -> String {
        if self.system {
            return "system".into();
        }
        match &self.actor {
            None => "anonymous".into(),
            Some(a) => {
                let kind = match a.acting {
                    Acting::User(_) => "user",
                    Acting::Token(_) => "token",
                };
                format!("{kind}:{}:{}:{}", a.role, a.scope, a.organisation_id)
            }
        }
    }

    /// Whether every agreement is visible: admins, `scope = all`, the system.
    pub fn sees_all(&self) -> bool {
        self.system
            || self
                .actor
                .as_ref()
                .is_some_and(|a| a.role == Role::Admin || a.scope == Scope::All)
    }
}

/// A person acting (a user, not an API token): their user id, always
/// there, and the rest of the actor.
#[derive(Clone, Copy, Debug)]
pub struct Person<'a> {
    pub user_id: i32,
    actor: &'a Actor,
}

impl std::ops::Deref for Person<'_> {
    type Target = Actor;

    fn deref(&self) -> &Actor {
        self.actor
    }
}
