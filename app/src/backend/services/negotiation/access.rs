//! The agreement a change is about: its row, its status, whether the
//! caller may see it, and whether the caller manages one of its parties.

use crate::backend::entities::agreement;
use crate::backend::services::Ctx;
use crate::backend::services::agreements::{check_visible, is_party};
use crate::backend::{ServiceError, ServiceResult};
use crate::domain::{AgreementStatus, Role};
use sea_orm::{ConnectionTrait, EntityTrait};

/// Whether the caller may see agreement `id` (one that does not exist
/// included: `false`).
pub(super) async fn may_see(ctx: &Ctx, db: &impl ConnectionTrait, id: i32) -> ServiceResult<bool> {
    if agreement::Entity::find_by_id(id).one(db).await?.is_none() {
        return Ok(false);
    }
    match check_visible(ctx, db, id).await {
        Ok(()) => Ok(true),
        Err(ServiceError::NotFound) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The caller, when they may change agreement `id`: a manager of one of its
/// parties, or an admin.
///
/// Fails with `NotFound` if they may not see it, `Forbidden` if they may
/// see but not change it.
pub(crate) async fn managing(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
) -> ServiceResult<crate::backend::auth::Actor> {
    check_visible(ctx, db, id).await?;
    let actor = ctx.require(&[Role::Manager, Role::Admin])?;
    if actor.role == Role::Admin || is_party(db, id, actor.organisation_id).await? {
        Ok((*actor).clone())
    } else {
        Err(ServiceError::Forbidden)
    }
}

pub(super) async fn load(db: &impl ConnectionTrait, id: i32) -> ServiceResult<agreement::Model> {
    agreement::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)
}

pub(super) fn status_of(a: &agreement::Model) -> ServiceResult<AgreementStatus> {
    Ok(a.status)
}
