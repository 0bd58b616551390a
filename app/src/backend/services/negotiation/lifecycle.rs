//! Lifecycle moves (DOMAIN.md §2): which moves are allowed, who may make
//! them, withdrawal, expiry, and what the caller may do next.

use super::access::{load, managing, status_of};
use super::drafting::{approvers, set_status};
use crate::backend::audit::{self, Event};
use crate::backend::entities::{agreement, approval};
use crate::backend::services::Ctx;
use crate::backend::services::agreements::{check_visible, is_party};
use crate::backend::services::notifications::{self, kind, party_users};
use crate::backend::{ServiceError, ServiceResult};
use crate::domain::{AgreementStatus, Role};
use crate::wire::agreements::AgreementView;
use crate::wire::negotiation::*;
use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionSession, TransactionTrait,
};
use serde_json::json;

/// Whether the lifecycle allows `from → to` by hand (`active` is otherwise
/// reached through approvals, `expired` by the calendar).
pub fn move_allowed(from: AgreementStatus, to: AgreementStatus) -> bool {
    use AgreementStatus::*;
    matches!(
        (from, to),
        (Draft | PendingApproval, Negotiation)
            | (Negotiation, PendingApproval)
            | (Active, Suspended)
            | (Suspended, Active)
            | (
                Negotiation | PendingApproval | Active | Suspended,
                Terminated
            )
    )
}

/// Moves agreement `id` to `to`. Managers of a party and admins.
///
/// Fails with `Conflict` (and the reason) for a move the lifecycle forbids.
pub async fn transition<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    to: AgreementStatus,
) -> ServiceResult<AgreementView> {
    managing(ctx, db, id).await?;
    let tx = crate::backend::db::write_tx(db).await?;
    let a = load(&tx, id).await?;
    let from = status_of(&a)?;
    if !move_allowed(from, to) {
        let why = match to {
            AgreementStatus::Active => "An agreement becomes active when every party has approved the same version (or, when suspended, by resuming it).".to_owned(),
            AgreementStatus::Expired => "An agreement expires by itself when its term ends.".to_owned(),
            AgreementStatus::Draft => "An agreement cannot go back to draft.".to_owned(),
            _ => format!("An agreement cannot move from {} to {}.", from.as_str(), to.as_str()),
        };
        return Err(ServiceError::Conflict(why));
    }
    set_status(&tx, id, to).await?;
    audit::record(
        &tx,
        ctx,
        Event::changed(
            "agreement.transition",
            "agreement",
            id,
            json!({"status": from}),
            json!({"status": to}),
        ),
    )
    .await?;
    if to == AgreementStatus::PendingApproval {
        let executives = party_users(&tx, id, &[Role::Executive], None).await?;
        notifications::notify(
            &tx,
            &executives,
            kind::APPROVAL_REQUESTED,
            id,
            &format!("{} v{}", a.reference, a.version),
        )
        .await?;
    }
    tx.commit().await?;
    crate::backend::services::agreements::get(ctx, db, id).await
}

/// Withdraws (deletes) a draft that never left `draft`. Managers of a party
/// and admins.
///
/// Fails with `Conflict` for any other status.
pub async fn withdraw<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
) -> ServiceResult<()> {
    managing(ctx, db, id).await?;
    let tx = crate::backend::db::write_tx(db).await?;
    let a = load(&tx, id).await?;
    if status_of(&a)? != AgreementStatus::Draft {
        return Err(ServiceError::Conflict(
            "Only a draft that never left draft can be withdrawn.".into(),
        ));
    }
    let before = crate::backend::services::versions::terms_of_version(&tx, id, a.version)
        .await
        .ok()
        .map(|t| t.to_stored());
    // Notifications point at the agreement; they go with it (cascade).
    agreement::Entity::delete_by_id(id).exec(&tx).await?;
    audit::commit(
        tx,
        ctx,
        Event {
            action: "agreement.withdraw",
            entity: "agreement",
            entity_id: Some(id),
            before,
            after: None,
        },
    )
    .await?;
    Ok(())
}

/// [`permissions`] for a request: kept until the data changes
/// (`backend::cache`).
pub async fn permissions_cached(
    ctx: &Ctx,
    db: &sea_orm::DatabaseConnection,
    id: i32,
) -> ServiceResult<Permissions> {
    ctx.kept(db, "permissions", &id, permissions(ctx, db, id))
        .await
}

/// What the caller may do with agreement `id` now.
pub async fn permissions(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
) -> ServiceResult<Permissions> {
    check_visible(ctx, db, id).await?;
    let actor = ctx.person()?;
    let a = load(db, id).await?;
    let status = status_of(&a)?;
    let party = is_party(db, id, actor.organisation_id).await?;
    let pending = crate::backend::services::versions::pending(db, &a).await?;
    let involved = approvers(db, &a).await?.contains(&actor.organisation_id);
    let manages = actor.role == Role::Admin || (actor.role == Role::Manager && party);
    let open = !matches!(
        status,
        AgreementStatus::Expired | AgreementStatus::Terminated
    );
    let awaiting = status == AgreementStatus::PendingApproval || pending.is_some();
    let approved_already = approval::Entity::find()
        .filter(approval::Column::AgreementId.eq(id))
        .filter(approval::Column::VersionNumber.eq(a.version))
        .filter(approval::Column::OrganisationId.eq(actor.organisation_id))
        .filter(approval::Column::WithdrawnAt.is_null())
        .one(db)
        .await?
        .is_some();
    let barriers = crate::backend::services::barriers::updatable(ctx, db, id, status).await?;
    Ok(Permissions {
        barriers,
        edit: manages && open,
        comment: involved || actor.role == Role::Admin,
        approve: actor.role == Role::Executive && involved && awaiting && !approved_already,
        withdraw: manages && status == AgreementStatus::Draft,
        withdraw_amendment: pending.is_some()
            && (actor.role == Role::Admin || (actor.role == Role::Manager && involved)),
        transitions: if manages {
            AgreementStatus::ALL
                .iter()
                .copied()
                .filter(|to| move_allowed(status, *to))
                .collect()
        } else {
            Vec::new()
        },
    })
}

/// Moves every active or suspended agreement whose term ended before
/// `today` to `expired`; returns how many moved.
pub async fn expire_due<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    today: NaiveDate,
) -> ServiceResult<usize> {
    let due = agreement::Entity::find()
        .filter(
            agreement::Column::Status.is_in([AgreementStatus::Active, AgreementStatus::Suspended]),
        )
        .filter(agreement::Column::EndsOn.lt(today))
        .all(db)
        .await?;
    let ctx = Ctx::system();
    for a in &due {
        let tx = crate::backend::db::write_tx(db).await?;
        set_status(&tx, a.id, AgreementStatus::Expired).await?;
        audit::commit(
            tx,
            &ctx,
            Event::changed(
                "agreement.expire",
                "agreement",
                a.id,
                json!({"status": a.status}),
                json!({"status": "expired"}),
            ),
        )
        .await?;
    }
    Ok(due.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_moves_of_the_lifecycle_are_allowed() {
        use AgreementStatus::*;
        assert!(move_allowed(Draft, Negotiation));
        assert!(move_allowed(Negotiation, PendingApproval));
        assert!(move_allowed(Suspended, Active));
        assert!(!move_allowed(Negotiation, Active));
        assert!(!move_allowed(PendingApproval, Active));
        assert!(!move_allowed(Draft, PendingApproval));
        assert!(!move_allowed(Expired, Active));
        assert!(!move_allowed(Terminated, Negotiation));
        assert!(!move_allowed(Active, Draft));
    }
}
