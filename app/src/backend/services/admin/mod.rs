//! Administration: users, organisations, jurisdictions, API tokens and the
//! audit log. Every change is audited in its own transaction.

mod audit_log;
mod jurisdictions;
mod kpis;
mod life_events;
mod organisations;
mod tokens;
mod users;

pub use audit_log::*;
pub use jurisdictions::*;
pub use kpis::*;
pub use life_events::*;
pub use organisations::*;
pub use tokens::*;
pub use users::*;

use crate::backend::entities::organisation;
use crate::backend::{FieldError, ServiceError, ServiceResult};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

pub(super) fn invalid(field: &str, message: impl Into<String>) -> ServiceError {
    let message = message.into();
    ServiceError::validation(message.clone(), vec![FieldError::new(field, message)])
}

/// Checks a required text field: trimmed, not empty, not too long.
pub(super) fn text(field: &str, value: &str, max: usize) -> ServiceResult<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(invalid(field, "This field is required."));
    }
    if v.chars().count() > max {
        return Err(invalid(field, format!("At most {max} characters.")));
    }
    Ok(v.to_owned())
}

pub(super) fn optional_text(
    field: &str,
    value: Option<&str>,
    max: usize,
) -> ServiceResult<Option<String>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => text(field, v, max).map(Some),
    }
}

pub(super) async fn organisation_by_code(
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

pub(super) async fn org_codes(db: &impl ConnectionTrait) -> ServiceResult<HashMap<i32, String>> {
    Ok(organisation::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.code))
        .collect())
}
