//! `ServiceError`: what a service can answer besides success. The HTTP and
//! server-function edges map it to the public error shape; nothing here
//! knows about HTTP.

pub use crate::wire::error::{AppError, FieldError};

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// No valid credentials (missing, expired, tampered, revoked).
    #[error("{0}")]
    Unauthenticated(String),
    /// The server is at capacity for this kind of work; try again in the
    /// given number of seconds.
    #[error("The server is busy; try again in {0} seconds.")]
    Busy(u64),
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("{0}")]
    Conflict(String),
    #[error("{message}")]
    Validation {
        message: String,
        details: Vec<FieldError>,
    },
    /// A save based on version `based_on` while `current` is the latest:
    /// `changes` says what the other saves changed.
    #[error(
        "This agreement changed since you opened it: version {current} is the latest, you edited version {based_on}."
    )]
    Stale {
        based_on: i32,
        current: i32,
        changes: Vec<crate::wire::negotiation::FieldChange>,
    },
    /// Too many attempts; try again later.
    #[error("{0}")]
    TooManyRequests(String),
    #[error("database error: {0}")]
    Db(sea_orm::DbErr),
}

/// What a caller is told of a service error: the HTTP status, the error
/// of API.md's shape, and how long to wait. Made in one place
/// ([`ServiceError::public`]) for the REST API and the server functions
/// alike; database details stay in the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicError {
    pub status: u16,
    pub error: AppError,
    /// Seconds to wait before trying again (`Retry-After`), when busy.
    pub retry_after: Option<u64>,
}

impl PublicError {
    fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        PublicError {
            status,
            error: AppError::new(code, message),
            retry_after: None,
        }
    }

    fn with_details(mut self, details: Vec<FieldError>) -> Self {
        self.error.details = details;
        self
    }

    /// A fault of the server's own (a panic, a database error): the caller
    /// learns only that the request failed.
    pub fn internal() -> Self {
        PublicError {
            status: 500,
            error: AppError::internal(),
            retry_after: None,
        }
    }
}

impl ServiceError {
    /// The one mapping of a service error onto the public error shape.
    pub fn public(self) -> PublicError {
        match self {
            ServiceError::Unauthenticated(message) => {
                PublicError::new(401, "unauthenticated", message)
            }
            ServiceError::TooManyRequests(message) => {
                PublicError::new(429, "too_many_requests", message)
            }
            ServiceError::Busy(seconds) => PublicError {
                retry_after: Some(seconds),
                ..PublicError::new(503, "busy", ServiceError::Busy(seconds).to_string())
            },
            ServiceError::NotFound => PublicError::new(404, "not_found", "There is nothing here."),
            ServiceError::Forbidden => {
                PublicError::new(403, "forbidden", "Your role does not allow this.")
            }
            ServiceError::Conflict(message) => PublicError::new(409, "conflict", message),
            ServiceError::Stale {
                based_on,
                current,
                changes,
            } => PublicError::new(
                409,
                "conflict",
                format!(
                    "This agreement changed since version {based_on}: version {current} is \
                     the latest. Nothing was saved; the details say what the other saves \
                     changed."
                ),
            )
            .with_details(
                changes
                    .into_iter()
                    .map(|c| {
                        let show = |v: &Option<serde_json::Value>| {
                            v.as_ref()
                                .map_or_else(|| "nothing".to_owned(), ToString::to_string)
                        };
                        FieldError::new(
                            c.path,
                            format!("{}: {} → {}", c.change, show(&c.before), show(&c.after)),
                        )
                    })
                    .collect(),
            ),
            ServiceError::Validation { message, details } => {
                PublicError::new(422, "validation_failed", message).with_details(details)
            }
            ServiceError::Db(err) if is_unavailable(&err) => {
                tracing::error!(error = %err, "the database does not answer");
                PublicError::new(
                    503,
                    "unavailable",
                    "The database does not answer. Nothing was changed; try again in a moment.",
                )
            }
            ServiceError::Db(err) => {
                tracing::error!(error = %err, "database error");
                PublicError::internal()
            }
        }
    }
}

/// Every database error a service meets passes here: a unique constraint
/// that refuses a write (a code, an email, a key taken — by a concurrent
/// request too) is a 409 naming what is taken, never a 500; anything
/// else stays a database error. Services do not look first.
impl From<sea_orm::DbErr> for ServiceError {
    fn from(e: sea_orm::DbErr) -> Self {
        if is_unique_violation(&e) {
            let what = taken_column(&e.to_string())
                .map_or_else(|| "one of these values".to_owned(), |c| format!("this {c}"));
            ServiceError::Conflict(format!("Something else already has {what}."))
        } else {
            ServiceError::Db(e)
        }
    }
}

/// Whether `e` says the database cannot be reached (stopped, restarting,
/// the network gone, the pool unable to connect in time) rather than that
/// it refused the statement: the caller gets a 503, to try again, not a
/// 500.
pub fn is_unavailable(e: &sea_orm::DbErr) -> bool {
    use sea_orm::{DbErr, RuntimeErr, sqlx::Error};
    match e {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(s)) | DbErr::Query(RuntimeErr::SqlxError(s)) => {
            matches!(
                s.as_ref(),
                Error::Io(_)
                    | Error::Tls(_)
                    | Error::PoolTimedOut
                    | Error::PoolClosed
                    | Error::WorkerCrashed
            )
        }
        _ => false,
    }
}

/// Whether `e` is a unique constraint's refusal (SQLite or PostgreSQL).
pub fn is_unique_violation(e: &sea_orm::DbErr) -> bool {
    let text = e.to_string().to_lowercase();
    text.contains("unique constraint") || text.contains("duplicate key")
}

/// The column a unique constraint names, in words: SQLite's
/// `UNIQUE constraint failed: users.email`, PostgreSQL's
/// `… unique constraint "users_email_key"` (or `…_code_key`).
fn taken_column(text: &str) -> Option<String> {
    let column = if let Some(rest) = text.split("UNIQUE constraint failed: ").nth(1) {
        let first = rest.split([',', ' ', '\n']).next()?;
        first.rsplit('.').next()?.to_owned()
    } else {
        let name = text
            .split("unique constraint \"")
            .nth(1)?
            .split('"')
            .next()?;
        let name = name.strip_suffix("_key").unwrap_or(name);
        ["email", "code", "reference", "uuid"]
            .into_iter()
            .find(|c| name.ends_with(c))?
            .to_owned()
    };
    Some(column.replace('_', " "))
}

impl ServiceError {
    /// The answer for a caller who must sign in first.
    pub fn sign_in() -> Self {
        ServiceError::Unauthenticated("Sign in to continue.".into())
    }

    pub fn validation(message: impl Into<String>, details: Vec<FieldError>) -> Self {
        ServiceError::Validation {
            message: message.into(),
            details,
        }
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_unique_value_is_named_from_either_database() {
        assert_eq!(
            taken_column("Execution Error: error returned from database: (code: 2067) UNIQUE constraint failed: users.email").as_deref(),
            Some("email")
        );
        assert_eq!(
            taken_column("Execution Error: error returned from database: duplicate key value violates unique constraint \"organisations_code_key\"").as_deref(),
            Some("code")
        );
        assert_eq!(taken_column("something else"), None);
        let e = sea_orm::DbErr::Custom("UNIQUE constraint failed: kpis.code".into());
        assert!(
            matches!(ServiceError::from(e), ServiceError::Conflict(m) if m == "Something else already has this code.")
        );
    }

    #[test]
    fn each_service_error_has_one_public_form() {
        let cases = [
            (ServiceError::sign_in(), 401, "unauthenticated"),
            (ServiceError::Forbidden, 403, "forbidden"),
            (ServiceError::NotFound, 404, "not_found"),
            (ServiceError::Conflict("taken".into()), 409, "conflict"),
            (
                ServiceError::validation("bad", vec![FieldError::at_line(2, "period", "month 13")]),
                422,
                "validation_failed",
            ),
            (
                ServiceError::TooManyRequests("wait".into()),
                429,
                "too_many_requests",
            ),
            (ServiceError::Busy(2), 503, "busy"),
            (
                ServiceError::Db(sea_orm::DbErr::Custom("secret".into())),
                500,
                "internal_error",
            ),
        ];
        for (e, status, code) in cases {
            let p = e.public();
            assert_eq!((p.status, p.error.code.as_str()), (status, code), "{p:?}");
            assert!(
                !p.error.message.contains("secret"),
                "database details stay in the log"
            );
        }
        let p = ServiceError::validation(
            "2 problems.",
            vec![
                FieldError::new("title", "required"),
                FieldError::at_line(3, "period", "month 13"),
            ],
        )
        .public();
        assert_eq!(
            p.error.sentence(),
            "2 problems. title: required; line 3, period: month 13"
        );
        assert_eq!(ServiceError::Busy(2).public().retry_after, Some(2));
    }
}
