//! `ServiceError`: what a service can answer besides success. The HTTP and
//! server-function edges map it to the public error shape; nothing here
//! knows about HTTP.

use serde::{Deserialize, Serialize};

/// One problem with one field (or one CSV line).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            line: None,
            message: message.into(),
        }
    }

    pub fn at_line(line: u64, field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            line: Some(line),
            message: message.into(),
        }
    }
}

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
    Db(#[from] sea_orm::DbErr),
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
