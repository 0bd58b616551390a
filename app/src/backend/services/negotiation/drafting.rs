//! Creating a draft and saving new terms under optimistic concurrency:
//! while negotiating the terms change in place; once in force, a change is
//! an amendment that waits for every party's approval.

use super::access::{load, managing, status_of};
use super::checks::{check, proposal, text_problem};
use super::history::{diff_versions, terms_of};
use super::store::{next_reference, record_version, reserve_commitment_id, write_live};
use crate::backend::audit::{self, Event};
use crate::backend::entities::{agreement, agreement_version, approval, proposed_party};
use crate::backend::services::Ctx;
use crate::backend::services::agreements::check_visible;
use crate::backend::services::notifications::{self, kind, party_users};
use crate::backend::{FieldError, ServiceError, ServiceResult};
use crate::domain::{AgreementStatus, Role};
use crate::domain::{Terms, terms};
use crate::wire::agreements::AgreementView;
use crate::wire::negotiation::*;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    TransactionSession, TransactionTrait,
};

/// Creates a draft (version 1). Managers (whose organisation must be a
/// party) and admins.
///
/// Fails with `Forbidden` for other roles and `Validation` listing every
/// problem with the terms.
#[tracing::instrument(skip_all)]
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    terms: AgreementTermsParams,
) -> ServiceResult<AgreementView> {
    let actor = ctx.require(&[Role::Manager, Role::Admin])?;
    if actor.role == Role::Manager
        && !terms
            .parties
            .iter()
            .any(|p| p.organisation_id == actor.organisation_id)
    {
        let m = "Your organisation must be a party to an agreement you draft.";
        return Err(ServiceError::validation(
            m,
            vec![FieldError::new("parties", m)],
        ));
    }
    let checked = check(ctx, db, terms, None).await?;
    let year = chrono::Datelike::year(&crate::clock::today());
    // Two managers may draft at the same moment: the unique reference
    // decides, and the loser takes the next number.
    for _ in 0..5 {
        let tx = crate::backend::db::write_tx(db).await?;
        let reference = next_reference(&tx, year).await?;
        let inserted = agreement::ActiveModel {
            reference: Set(reference.clone()),
            title: Set(checked.terms.title.clone()),
            title_fr: Set(None),
            summary: Set(String::new()),
            summary_fr: Set(None),
            purpose: Set(checked.terms.purpose),
            structure: Set(checked.terms.structure),
            partnership_type: Set(checked.terms.partnership_type),
            status: Set(AgreementStatus::Draft),
            starts_on: Set(checked.terms.starts_on),
            ends_on: Set(checked.terms.ends_on),
            renewal_notice_days: Set(checked.notice),
            currency: Set(checked.currency.code().to_owned()),
            fiscal_year_start_month: Set(checked.fiscal),
            parent_id: Set(None),
            version: Set(1),
            in_force_version: Set(None),
            created_by: Set(actor.user_id()),
            ..Default::default()
        }
        .insert(&tx)
        .await;
        let a = match inserted {
            Ok(a) => a,
            Err(e) if crate::backend::error::is_unique_violation(&e) => continue,
            Err(e) => return Err(e.into()),
        };
        let terms = proposal(&checked, Vec::new());
        write_live(&tx, a.id, &terms, None).await?;
        let effective = checked
            .terms
            .effective_from
            .unwrap_or(checked.terms.starts_on);
        record_version(ctx, &tx, a.id, 1, "First draft", effective, &terms).await?;
        audit::record(
            &tx,
            ctx,
            Event::created("agreement.create", "agreement", a.id, terms.to_stored()),
        )
        .await?;
        // The periods its commitments will owe.
        crate::backend::services::results::rebuild(&tx, &[a.id]).await?;
        let view = crate::backend::services::agreements::get(&Ctx::system(), &tx, a.id).await?;
        tx.commit().await?;
        return Ok(view);
    }
    Err(ServiceError::Conflict(
        "Could not assign a reference; try again.".into(),
    ))
}

/// Saves new terms based on `params.version` as the next version.
///
/// Before the agreement's first activation the new version replaces the
/// terms (every organisation it names sees it and must approve it). On an
/// active or suspended agreement it is an amendment: only the version is
/// recorded, the terms in force stay untouched until every party in force
/// and every party it adds has approved it ([`approve`]).
///
/// Fails with `Stale` (409) when `params.version` is not the latest —
/// nothing is overwritten — `Conflict` for an expired or terminated
/// agreement, `Validation` for bad terms.
#[tracing::instrument(skip(ctx, db, params))]
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    params: UpdateAgreementParams,
) -> ServiceResult<AgreementView> {
    update_with(ctx, db, id, params, None)
        .await
        .map(|(view, _)| view)
}

/// [`update`], also adding or changing `commitment` (id 0 for a new one,
/// which gets an id of its own); returns the commitment as recorded.
pub(crate) async fn update_with<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    params: UpdateAgreementParams,
    commitment: Option<terms::Commitment>,
) -> ServiceResult<(AgreementView, Option<terms::Commitment>)> {
    managing(ctx, db, id).await?;
    let summary = params.change_summary.trim().to_owned();
    let mut problems = Vec::new();
    text_problem(&mut problems, "change_summary", &summary, 500, true);
    if !problems.is_empty() {
        return Err(ServiceError::validation(
            "Say what this version changes.",
            problems,
        ));
    }
    let checked = check(ctx, db, params.terms, Some(id)).await?;

    let tx = crate::backend::db::write_tx(db).await?;
    let current = load(&tx, id).await?;
    let status = status_of(&current)?;
    if matches!(
        status,
        AgreementStatus::Expired | AgreementStatus::Terminated
    ) {
        return Err(ServiceError::Conflict(format!(
            "A {} agreement's terms can no longer change.",
            status.as_str()
        )));
    }
    let next = params.version + 1;
    if !claim_version(&tx, id, params.version).await? {
        drop(tx);
        return Err(stale(db, id, params.version).await?);
    }
    let amendment = matches!(status, AgreementStatus::Active | AgreementStatus::Suspended)
        && current.in_force_version.is_some();
    let pending = crate::backend::services::versions::pending(&tx, &current).await?;
    let base = crate::backend::services::versions::terms_of_version(
        &tx,
        id,
        base_version(&current, pending.as_ref()),
    )
    .await?;
    // Revising a pending amendment keeps its effective date unless told.
    let pending_from = pending.map(|p| p.effective_from);
    let mut commitments = base.commitments.clone();
    let commitment = match commitment {
        None => None,
        Some(mut c) => {
            if c.id == 0 {
                c.id = reserve_commitment_id(&tx, id, &c).await?;
            }
            match commitments.iter_mut().find(|x| x.id == c.id) {
                Some(slot) => *slot = c.clone(),
                None => commitments.push(c.clone()),
            }
            Some(c)
        }
    };
    let terms = proposal(&checked, commitments);
    // A commitment names one of the services of the terms it is part of:
    // said of the commitment being saved, or of the services that an
    // amendment would take from a commitment already agreed.
    let orphans = terms.commitment_service_problems();
    if !orphans.is_empty() {
        let errors: Vec<FieldError> = orphans
            .into_iter()
            .map(|(cid, m)| {
                if commitment.as_ref().is_some_and(|c| c.id == cid) {
                    FieldError::new("service", m)
                } else {
                    FieldError::new("services", format!("Commitment {cid}: {m}"))
                }
            })
            .collect();
        return Err(ServiceError::validation(
            "A commitment names a service these terms do not offer as it says.",
            errors,
        ));
    }
    let today = crate::clock::today();
    let effective = checked
        .terms
        .effective_from
        .or(pending_from)
        .unwrap_or(if amendment {
            std::cmp::max(today, terms.starts_on)
        } else {
            terms.starts_on
        });
    if effective < terms.starts_on || effective > terms.ends_on {
        let m = "The effective date must lie within the term.";
        return Err(ServiceError::validation(
            m,
            vec![FieldError::new("effective_from", m)],
        ));
    }
    if amendment {
        // Nothing it proposes is read until it is approved: only the
        // version, and who it names (they see it and must approve it).
        record_version(ctx, &tx, id, next, &summary, effective, &terms).await?;
        propose_parties(&tx, id, next, &terms).await?;
    } else {
        write_live(&tx, id, &terms, None).await?;
        record_version(ctx, &tx, id, next, &summary, effective, &terms).await?;
    }
    withdraw_open_approvals(&tx, id, current.in_force_version).await?;
    if status == AgreementStatus::PendingApproval {
        set_status(&tx, id, AgreementStatus::Negotiation).await?;
    }
    audit::record(
        &tx,
        ctx,
        Event {
            action: if amendment {
                "agreement.amend"
            } else {
                "agreement.update"
            },
            entity: "agreement",
            entity_id: Some(id),
            before: Some(base.to_stored()),
            after: Some(terms.to_stored()),
        },
    )
    .await?;
    let what = format!("{} v{next}", current.reference);
    announce(ctx, &tx, id, &what, amendment).await?;
    tx.commit().await?;
    let view = crate::backend::services::agreements::get(&Ctx::system(), db, id).await?;
    Ok((view, commitment))
}

/// The version a new version of `a` starts from: the pending amendment;
/// when none is pending (a withdrawn one is not), the version in force;
/// before the first activation, the latest draft.
pub(super) fn base_version(
    a: &agreement::Model,
    pending: Option<&agreement_version::Model>,
) -> i32 {
    pending.map_or(a.in_force_version.unwrap_or(a.version), |p| p.number)
}

/// Commitment `commitment_id` of agreement `id` as the terms a new version
/// starts from record it, if they hold it.
pub(crate) async fn commitment_in_base(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
    commitment_id: i32,
) -> ServiceResult<Option<terms::Commitment>> {
    check_visible(ctx, db, id).await?;
    let a = load(db, id).await?;
    let pending = crate::backend::services::versions::pending(db, &a).await?;
    let terms = crate::backend::services::versions::terms_of_version(
        db,
        id,
        base_version(&a, pending.as_ref()),
    )
    .await?;
    Ok(terms
        .commitments
        .into_iter()
        .find(|c| c.id == commitment_id))
}

/// Records the organisations version `number` of agreement `id` names as
/// the parties of its pending amendment (replacing any earlier proposal's).
pub(super) async fn propose_parties(
    tx: &impl ConnectionTrait,
    id: i32,
    number: i32,
    t: &Terms,
) -> ServiceResult<()> {
    super::store::delete_where(tx, proposed_party::Column::AgreementId, id).await?;
    for org in t.party_ids() {
        proposed_party::ActiveModel {
            agreement_id: Set(id),
            version_number: Set(number),
            organisation_id: Set(org),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    Ok(())
}

/// Every organisation whose approval the latest version of `a` needs: the
/// parties in force and, for a pending amendment, every party it names.
pub(super) async fn approvers(
    db: &impl ConnectionTrait,
    a: &agreement::Model,
) -> ServiceResult<std::collections::BTreeSet<i32>> {
    crate::backend::services::agreements::involved_organisations(db, a.id).await
}

/// Moves agreement `id` to `status`. An agreement that ends (expired,
/// terminated) ends any pending amendment too: the organisations only it
/// named no longer see the agreement.
pub(super) async fn set_status(
    tx: &impl ConnectionTrait,
    id: i32,
    status: AgreementStatus,
) -> ServiceResult<()> {
    if matches!(
        status,
        AgreementStatus::Expired | AgreementStatus::Terminated
    ) {
        super::store::delete_where(tx, proposed_party::Column::AgreementId, id).await?;
    }
    agreement::Entity::update_many()
        .col_expr(agreement::Column::Status, Expr::value(status))
        .col_expr(
            agreement::Column::UpdatedAt,
            Expr::value(crate::clock::now()),
        )
        .filter(agreement::Column::Id.eq(id))
        .exec(tx)
        .await?;
    Ok(())
}

/// Replaces the cost-sharing model alone, keeping every other term: the
/// next version, under the same rules as [`update`].
///
/// Fails as [`update`] does; model problems are reported under
/// `cost_model.…` fields.
#[tracing::instrument(skip(ctx, db, params))]
pub async fn set_cost_model<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    params: crate::wire::cost::CostModelChangeParams,
) -> ServiceResult<AgreementView> {
    managing(ctx, db, id).await?;
    let (mut terms, _) = terms_of(ctx, db, id).await?;
    terms.cost_model = params.model;
    terms.effective_from = params.effective_from;
    update(
        ctx,
        db,
        id,
        UpdateAgreementParams {
            terms,
            version: params.version,
            change_summary: params.change_summary,
        },
    )
    .await
}

/// Optimistic concurrency: only a save based on the latest version wins;
/// the conditional update makes concurrent savers queue on the row.
/// Whether this save, based on version `based_on`, won.
async fn claim_version(tx: &impl ConnectionTrait, id: i32, based_on: i32) -> ServiceResult<bool> {
    let claimed = agreement::Entity::update_many()
        .col_expr(agreement::Column::Version, Expr::value(based_on + 1))
        .col_expr(
            agreement::Column::LockVersion,
            Expr::col(agreement::Column::LockVersion).add(1),
        )
        .filter(agreement::Column::Id.eq(id))
        .filter(agreement::Column::Version.eq(based_on))
        .exec(tx)
        .await?;
    Ok(claimed.rows_affected == 1)
}

/// The refusal of a save based on `based_on`, no longer the latest: with
/// what changed since.
async fn stale(db: &impl ConnectionTrait, id: i32, based_on: i32) -> ServiceResult<ServiceError> {
    let latest = load(db, id).await?.version;
    let changes = if based_on >= 1 && based_on < latest {
        diff_versions(db, id, based_on, latest).await?
    } else {
        Vec::new()
    };
    Ok(ServiceError::Stale {
        based_on,
        current: latest,
        changes,
    })
}

/// A new version withdraws the approvals of every version not in force.
async fn withdraw_open_approvals(
    tx: &impl ConnectionTrait,
    id: i32,
    in_force: Option<i32>,
) -> ServiceResult<()> {
    let mut withdrawn = approval::Entity::update_many()
        .col_expr(
            approval::Column::WithdrawnAt,
            Expr::value(crate::clock::now()),
        )
        .filter(approval::Column::AgreementId.eq(id))
        .filter(approval::Column::WithdrawnAt.is_null());
    if let Some(v) = in_force {
        withdrawn = withdrawn.filter(approval::Column::VersionNumber.ne(v));
    }
    withdrawn.exec(tx).await?;
    Ok(())
}

/// Tells the parties' other managers and executives of a new version
/// (`what`, "AGR-… vN"); an amendment also asks the executives to approve.
/// Terms changed in place are judged again at once.
async fn announce(
    ctx: &Ctx,
    tx: &impl ConnectionTrait,
    id: i32,
    what: &str,
    amendment: bool,
) -> ServiceResult<()> {
    let others = party_users(
        tx,
        id,
        &[Role::Manager, Role::Executive],
        ctx.actor.as_ref().and_then(|a| a.user_id()),
    )
    .await?;
    notifications::notify(
        tx,
        &others,
        if amendment {
            kind::AMENDMENT_PROPOSED
        } else {
            kind::NEW_VERSION
        },
        id,
        what,
    )
    .await?;
    if amendment {
        let executives = party_users(tx, id, &[Role::Executive], None).await?;
        notifications::notify(tx, &executives, kind::APPROVAL_REQUESTED, id, what).await?;
    } else {
        // Commitments or dates may have changed: the periods are judged
        // again under the terms now.
        crate::backend::services::results::rebuild(tx, &[id]).await?;
    }
    Ok(())
}
