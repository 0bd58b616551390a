//! Approvals: each party's approval of the version under negotiation or of
//! a pending amendment, the moment every party has approved, and the
//! withdrawal of an amendment.

use super::access::{load, status_of};
use super::drafting::approvers;
use super::store::write_live;
use crate::backend::audit::{self, Event};
use crate::backend::entities::{agreement, agreement_version, approval, proposed_party};
use crate::backend::services::Ctx;
use crate::backend::services::agreements::check_visible;
use crate::backend::services::notifications::{self, kind, party_users};
use crate::backend::{ServiceError, ServiceResult};
use crate::domain::{AgreementStatus, Role};
use crate::wire::agreements::AgreementView;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    TransactionSession, TransactionTrait,
};
use serde_json::json;

/// Approves `version` of agreement `id` on behalf of the caller's
/// organisation. The approval that completes the set puts that version in
/// force: before the first activation every party's approval, which makes
/// the agreement active; for an amendment, the approval of every party in
/// force (a party it removes approves its own removal) and of every party
/// it adds, which makes its terms the terms in force — in the same
/// transaction, with the periods from its effective date judged again.
///
/// Fails with `Forbidden` unless the caller is an executive of an
/// organisation whose approval is needed, `Conflict` when the agreement is
/// not awaiting approval, the version is not the latest, or the
/// organisation already approved it.
pub async fn approve<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    version: i32,
) -> ServiceResult<AgreementView> {
    check_visible(ctx, db, id).await?;
    let actor = ctx.require(&[Role::Executive])?;
    let tx = crate::backend::db::write_tx(db).await?;
    let a = load(&tx, id).await?;
    let status = status_of(&a)?;
    let pending = crate::backend::services::versions::pending(&tx, &a).await?;
    let needed = approvers(&tx, &a).await?;
    if !needed.contains(&actor.organisation_id) {
        return Err(ServiceError::Forbidden);
    }
    if status != AgreementStatus::PendingApproval && pending.is_none() {
        return Err(ServiceError::Conflict(
            "This agreement is not awaiting approval.".into(),
        ));
    }
    if version != a.version {
        return Err(ServiceError::Conflict(format!(
            "Version {version} is not the latest: approve version {}.",
            a.version
        )));
    }
    let existing = approval::Entity::find()
        .filter(approval::Column::AgreementId.eq(id))
        .filter(approval::Column::VersionNumber.eq(version))
        .filter(approval::Column::WithdrawnAt.is_null())
        .all(&tx)
        .await?;
    if existing
        .iter()
        .any(|ap| ap.organisation_id == actor.organisation_id)
    {
        return Err(ServiceError::Conflict(
            "Your organisation has already approved this version.".into(),
        ));
    }
    approval::ActiveModel {
        agreement_id: Set(id),
        version_number: Set(version),
        organisation_id: Set(actor.organisation_id),
        approver_id: Set(actor.user_id),
        withdrawn_at: Set(None),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::record(
        &tx,
        ctx,
        Event::created(
            "agreement.approve",
            "agreement",
            id,
            json!({"version": version, "organisation_id": actor.organisation_id}),
        ),
    )
    .await?;
    let approved: std::collections::BTreeSet<i32> = existing
        .iter()
        .map(|ap| ap.organisation_id)
        .chain([actor.organisation_id])
        .collect();
    let label = format!("{} v{version}", a.reference);
    let told = party_users(
        &tx,
        id,
        &[Role::Manager, Role::Executive],
        Some(actor.user_id),
    )
    .await?;
    notifications::notify(&tx, &told, kind::VERSION_APPROVED, id, &label).await?;
    if needed.is_subset(&approved) {
        come_into_force(ctx, &tx, &a, status, pending.as_ref(), &label).await?;
    }
    tx.commit().await?;
    // The system's view: a party that approved its own removal no longer
    // sees the agreement, but is answered.
    crate::backend::services::agreements::get(&Ctx::system(), db, id).await
}

/// Withdraws the pending amendment of agreement `id`: the terms in force
/// are untouched, the version stays in the history (marked withdrawn) and
/// its approvals lapse. A manager of any organisation it involves, or an
/// admin.
///
/// Fails with `Forbidden` for other callers and `Conflict` when no
/// amendment is pending.
pub async fn withdraw_amendment<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
) -> ServiceResult<AgreementView> {
    check_visible(ctx, db, id).await?;
    let actor = ctx.require(&[Role::Manager, Role::Admin])?;
    let tx = crate::backend::db::write_tx(db).await?;
    let a = load(&tx, id).await?;
    let Some(pending) = crate::backend::services::versions::pending(&tx, &a).await? else {
        return Err(ServiceError::Conflict(
            "No amendment of this agreement is awaiting approval.".into(),
        ));
    };
    if actor.role != Role::Admin && !approvers(&tx, &a).await?.contains(&actor.organisation_id) {
        return Err(ServiceError::Forbidden);
    }
    let now = crate::clock::now();
    agreement_version::Entity::update_many()
        .col_expr(agreement_version::Column::WithdrawnAt, Expr::value(now))
        .filter(agreement_version::Column::Id.eq(pending.id))
        .exec(&tx)
        .await?;
    approval::Entity::update_many()
        .col_expr(approval::Column::WithdrawnAt, Expr::value(now))
        .filter(approval::Column::AgreementId.eq(id))
        .filter(approval::Column::VersionNumber.eq(pending.number))
        .filter(approval::Column::WithdrawnAt.is_null())
        .exec(&tx)
        .await?;
    let told = party_users(
        &tx,
        id,
        &[Role::Manager, Role::Executive],
        Some(actor.user_id),
    )
    .await?;
    super::store::delete_where(&tx, proposed_party::Column::AgreementId, id).await?;
    audit::record(
        &tx,
        ctx,
        Event::changed(
            "agreement.withdraw_amendment",
            "agreement",
            id,
            json!({"pending_version": pending.number}),
            json!({"in_force_version": a.in_force_version}),
        ),
    )
    .await?;
    notifications::notify(
        &tx,
        &told,
        kind::AMENDMENT_WITHDRAWN,
        id,
        &format!("{} v{}", a.reference, pending.number),
    )
    .await?;
    tx.commit().await?;
    // A party the amendment would have added no longer sees the agreement,
    // but is answered.
    crate::backend::services::agreements::get(&Ctx::system(), db, id).await
}

/// Every party has approved version `a.version`: it comes into force (an
/// amendment's terms become the live ones), the agreement becomes active
/// (or stays suspended), everyone is told, and the periods from its
/// effective date on are judged under it.
async fn come_into_force(
    ctx: &Ctx,
    tx: &impl ConnectionTrait,
    a: &agreement::Model,
    status: AgreementStatus,
    pending: Option<&agreement_version::Model>,
    label: &str,
) -> ServiceResult<()> {
    let id = a.id;
    let now = crate::clock::now();
    let now_status = if status == AgreementStatus::Suspended {
        AgreementStatus::Suspended
    } else {
        AgreementStatus::Active
    };
    // Told before the parties change: a party the amendment removes
    // learns that it took effect.
    let everyone = party_users(tx, id, &[], None).await?;
    if let Some(p) = pending {
        let terms = crate::backend::services::versions::read(&p.terms)?;
        let replaces = match a.in_force_version {
            Some(v) => Some(crate::backend::services::versions::terms_of_version(tx, id, v).await?),
            None => None,
        };
        write_live(tx, id, &terms, replaces.as_ref().map(|r| (p.number, r))).await?;
        super::store::delete_where(tx, proposed_party::Column::AgreementId, id).await?;
    }
    agreement::Entity::update_many()
        .col_expr(agreement::Column::Status, Expr::value(now_status))
        .col_expr(agreement::Column::InForceVersion, Expr::value(a.version))
        .col_expr(agreement::Column::UpdatedAt, Expr::value(now))
        .filter(agreement::Column::Id.eq(id))
        .exec(tx)
        .await?;
    agreement_version::Entity::update_many()
        .col_expr(agreement_version::Column::ApprovedAt, Expr::value(now))
        .filter(agreement_version::Column::AgreementId.eq(id))
        .filter(agreement_version::Column::Number.eq(a.version))
        .exec(tx)
        .await?;
    audit::record(
        tx,
        ctx,
        Event {
            action: if pending.is_some() {
                "agreement.amendment_in_force"
            } else {
                "agreement.activate"
            },
            entity: "agreement",
            entity_id: Some(id),
            before: Some(json!({"status": status, "in_force_version": a.in_force_version})),
            after: Some(json!({"status": now_status, "in_force_version": a.version})),
        },
    )
    .await?;
    notifications::notify(
        tx,
        &everyone,
        if pending.is_some() {
            kind::AMENDMENT_IN_FORCE
        } else {
            kind::AGREEMENT_ACTIVATED
        },
        id,
        label,
    )
    .await?;
    // A version came into force: each period is judged under the
    // version in force then, so those from its effective date on are
    // judged under it now and the earlier ones stay as they were.
    crate::backend::services::results::rebuild(tx, &[id]).await?;
    Ok(())
}
