//! The living barrier register (issue 23, DOMAIN.md §2 and §10): every
//! barrier in force of the agreements the caller may see, by category and
//! boundary crossed, with its age, status and mitigation progress and a
//! summary by category × boundary; and the owning party's update of a
//! barrier's status, mitigation and actions on an active agreement, without
//! an amendment (audited). Adding or removing a barrier stays a change of
//! terms (`negotiation`); what an amendment then does to an owner's updates
//! is `domain::barrier`'s rule, applied where terms come into force.

use super::Ctx;
use super::agreements::{check_visible, list_as_party};
use crate::backend::audit::{self, Event};
use crate::backend::entities::{agreement, barrier, organisation};
use crate::backend::{FieldError, ServiceError, ServiceResult};
use crate::domain::barrier::{LIVING_TEXT_MAX, Progress};
use crate::domain::{AgreementStatus, BarrierCategory, BarrierStatus, Boundary, Role};
use crate::wire::agreements::{AgreementFilters, AgreementSummary};
use crate::wire::barriers::*;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use serde_json::json;
use std::collections::{BTreeMap, HashMap};

/// Whether a person of `role` in organisation `org` speaks for the owning
/// party `owner_id` of a barrier: its managers and executives (an admin
/// for anyone). The one rule; whether the agreement is active is the
/// other half of [`may_update`].
pub(crate) fn speaks_for_owner(role: Role, org: i32, owner_id: Option<i32>) -> bool {
    match role {
        Role::Admin => true,
        Role::Manager | Role::Executive => owner_id == Some(org),
        Role::Reporter => false,
    }
}

/// Whether that person may update a barrier of an agreement in `status`
/// without an amendment: only while the agreement is active.
pub(crate) fn may_update(
    role: Role,
    org: i32,
    owner_id: Option<i32>,
    status: AgreementStatus,
) -> bool {
    status == AgreementStatus::Active && speaks_for_owner(role, org, owner_id)
}

/// The register ids of the barriers in force of agreement `id` (in
/// `status`) that the caller may update now.
pub(crate) async fn updatable(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
    status: AgreementStatus,
) -> ServiceResult<Vec<i32>> {
    let Ok(person) = ctx.person() else {
        return Ok(Vec::new());
    };
    if status != AgreementStatus::Active {
        return Ok(Vec::new());
    }
    Ok(barrier::Entity::find()
        .filter(barrier::Column::AgreementId.eq(id))
        .filter(barrier::Column::InForce.eq(true))
        .all(db)
        .await?
        .into_iter()
        .filter(|b| may_update(person.role, person.organisation_id, b.owner_id, status))
        .map(|b| b.id)
        .collect())
}

/// The register for `q`: every user, over the agreements their
/// organisation is a party to (all of them for an admin or `scope = all`).
/// API tokens submit and do not read the portfolio: `Forbidden`.
pub async fn register(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    q: &BarrierQuery,
) -> ServiceResult<BarrierRegisterView> {
    ctx.actor()?;
    let filters = AgreementFilters {
        structure: q.structure,
        boundary: q.boundary,
        ..Default::default()
    };
    let agreements: HashMap<i32, AgreementSummary> = list_as_party(ctx, db, &filters)
        .await?
        .into_iter()
        .filter(|a| q.agreement_id.is_none_or(|id| id == a.id))
        .map(|a| (a.id, a))
        .collect();
    let rows = barrier::Entity::find()
        .filter(barrier::Column::AgreementId.is_in(agreements.keys().copied()))
        .filter(barrier::Column::InForce.eq(true))
        .all(db)
        .await?;
    let owners = crate::backend::services::organisations::organisations_by_id(
        db,
        Some(rows.iter().filter_map(|r| r.owner_id).collect()),
    )
    .await?;
    let person = ctx.person().ok();
    let today = crate::clock::today();
    let mut items: Vec<BarrierItem> = rows
        .into_iter()
        .filter_map(|b| {
            let a = agreements.get(&b.agreement_id)?;
            let owner = b.owner_id.and_then(|o| owners.get(&o));
            let may = person
                .as_ref()
                .is_some_and(|p| may_update(p.role, p.organisation_id, b.owner_id, a.status));
            Some(item(b, a, owner, today, may))
        })
        .filter(|i| matches(i, q))
        .collect();
    items.sort_by(|x, y| {
        (x.status != BarrierStatus::Open)
            .cmp(&(y.status != BarrierStatus::Open))
            .then(y.severity.cmp(&x.severity))
            .then(x.agreement_reference.cmp(&y.agreement_reference))
            .then(x.key.cmp(&y.key))
    });
    let summary = summary(&items);
    let total = items.len() as u64;
    let offset = usize::try_from(q.offset.unwrap_or(0)).unwrap_or(usize::MAX);
    let limit = q
        .limit
        .map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX));
    let items = items.into_iter().skip(offset).take(limit).collect();
    Ok(BarrierRegisterView {
        items,
        total,
        summary,
    })
}

fn item(
    b: barrier::Model,
    a: &AgreementSummary,
    owner: Option<&organisation::Model>,
    today: chrono::NaiveDate,
    may_update: bool,
) -> BarrierItem {
    let planned = b.mitigation.is_some() || b.actions.is_some();
    BarrierItem {
        id: b.id,
        key: b.key,
        agreement_id: a.id,
        agreement_reference: a.reference.clone(),
        agreement_title: a.title.clone(),
        agreement_title_fr: a.title_fr.clone(),
        agreement_status: a.status,
        structure: a.structure,
        boundaries: a.boundaries.clone(),
        category: b.category,
        description: b.description,
        description_fr: b.description_fr,
        severity: b.severity,
        status: b.status,
        progress: Progress::of(b.status, planned),
        mitigation: b.mitigation,
        mitigation_fr: b.mitigation_fr,
        actions: b.actions,
        actions_fr: b.actions_fr,
        owner_id: b.owner_id,
        owner_code: owner.map(|o| o.code.clone()),
        owner_name: owner.map(|o| o.name.clone()),
        owner_name_fr: owner.and_then(|o| o.name_fr.clone()),
        recorded_on: b.recorded_on,
        age_days: (today - b.recorded_on).num_days().max(0),
        updated_at: b.register_updated_at.map(super::rfc3339),
        may_update,
    }
}

/// Whether `i` passes the filters the agreements' list did not apply.
fn matches(i: &BarrierItem, q: &BarrierQuery) -> bool {
    let text =
        q.q.as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_lowercase);
    q.category.is_none_or(|c| c == i.category)
        && q.status.is_none_or(|s| s == i.status)
        && q.progress.is_none_or(|p| p == i.progress)
        && q.owner_id.is_none_or(|o| Some(o) == i.owner_id)
        && text.is_none_or(|t| {
            [
                Some(i.description.as_str()),
                i.description_fr.as_deref(),
                Some(i.key.as_str()),
                Some(i.agreement_reference.as_str()),
            ]
            .into_iter()
            .flatten()
            .any(|s| s.to_lowercase().contains(&t))
        })
}

/// Counts by category × boundary crossed: a barrier counts under each
/// boundary its agreement crosses, or under none when it crosses none.
fn summary(items: &[BarrierItem]) -> Vec<BarrierSummaryRow> {
    // Ordered by category, then boundary (`None`, crossing none, first).
    let mut cells: BTreeMap<(BarrierCategory, Option<Boundary>), BarrierSummaryRow> =
        BTreeMap::new();
    for i in items {
        let boundaries: Vec<Option<Boundary>> = if i.boundaries.is_empty() {
            vec![None]
        } else {
            i.boundaries.iter().copied().map(Some).collect()
        };
        for boundary in boundaries {
            let row = cells
                .entry((i.category, boundary))
                .or_insert_with(|| BarrierSummaryRow {
                    category: i.category,
                    boundary,
                    total: 0,
                    open: 0,
                    mitigated: 0,
                    closed: 0,
                });
            row.total += 1;
            match i.status {
                BarrierStatus::Open => row.open += 1,
                BarrierStatus::Mitigated => row.mitigated += 1,
                BarrierStatus::Closed => row.closed += 1,
            }
        }
    }
    cells.into_values().collect()
}

/// An optional text as the owner sent it: trimmed, empty meaning none;
/// a problem named beside its field when it is too long.
fn living_text(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: Option<&String>,
) -> Option<Option<String>> {
    let v = value?;
    let v = v.trim();
    if v.chars().count() > LIVING_TEXT_MAX {
        errors.push(FieldError::new(
            field,
            format!("At most {LIVING_TEXT_MAX} characters."),
        ));
    }
    Some((!v.is_empty()).then(|| v.to_owned()))
}

/// The owning party updates barrier `id` (its register id): status,
/// mitigation and actions, as `params` gives them (absent: unchanged). No
/// amendment: the terms in force are untouched, the register changes, and
/// the change is audited (`barrier.update`).
///
/// Fails with `NotFound` when there is no such barrier in force or the
/// caller may not see its agreement, `Forbidden` for anyone but the owning
/// party's managers and executives (and admins), `Conflict` when the
/// agreement is not active (its barriers then change with its terms), and
/// `Validation` for an unknown status, a text too long, or nothing to
/// update.
#[tracing::instrument(skip(ctx, db, params))]
pub async fn update<C: ConnectionTrait + sea_orm::TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    params: BarrierUpdateParams,
) -> ServiceResult<BarrierItem> {
    ctx.actor()?;
    let row = barrier::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|b| b.in_force)
        .ok_or(ServiceError::NotFound)?;
    check_visible(ctx, db, row.agreement_id).await?;
    let person = ctx.person()?;
    if !speaks_for_owner(person.role, person.organisation_id, row.owner_id) {
        return Err(ServiceError::Forbidden);
    }
    let mut errors = Vec::new();
    let status = match params.status.as_deref().map(str::trim) {
        None => None,
        Some(s) => match s.parse::<BarrierStatus>() {
            Ok(s) => Some(s),
            Err(_) => {
                errors.push(FieldError::new(
                    "status",
                    format!("Unknown status '{s}': one of open, mitigated, closed."),
                ));
                None
            }
        },
    };
    let mitigation = living_text(&mut errors, "mitigation", params.mitigation.as_ref());
    let mitigation_fr = living_text(&mut errors, "mitigation_fr", params.mitigation_fr.as_ref());
    let actions = living_text(&mut errors, "actions", params.actions.as_ref());
    let actions_fr = living_text(&mut errors, "actions_fr", params.actions_fr.as_ref());
    if errors.is_empty()
        && status.is_none()
        && mitigation.is_none()
        && mitigation_fr.is_none()
        && actions.is_none()
        && actions_fr.is_none()
    {
        let m = "Give a status, a mitigation or actions to update.";
        errors.push(FieldError::new("status", m));
    }
    if !errors.is_empty() {
        return Err(ServiceError::validation(
            format!(
                "{} problem(s) with the update; nothing was saved.",
                errors.len()
            ),
            errors,
        ));
    }

    let tx = crate::backend::db::write_tx(db).await?;
    let a = agreement::Entity::find_by_id(row.agreement_id)
        .one(&tx)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if a.status != AgreementStatus::Active {
        return Err(ServiceError::Conflict(format!(
            "The barriers of a {} agreement change with its terms, not in the register.",
            a.status.as_str()
        )));
    }
    // Read again inside the transaction: the row as it is now.
    let current = barrier::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let living = |b: &barrier::Model| {
        json!({
            "status": b.status,
            "mitigation": b.mitigation,
            "mitigation_fr": b.mitigation_fr,
            "actions": b.actions,
            "actions_fr": b.actions_fr,
        })
    };
    let before = living(&current);
    let now = crate::clock::now();
    let mut next: barrier::ActiveModel = current.clone().into();
    if let Some(s) = status {
        next.status = Set(s);
    }
    if let Some(m) = mitigation {
        next.mitigation = Set(m);
    }
    if let Some(m) = mitigation_fr {
        next.mitigation_fr = Set(m);
    }
    if let Some(m) = actions {
        next.actions = Set(m);
    }
    if let Some(m) = actions_fr {
        next.actions_fr = Set(m);
    }
    next.register_version = Set(Some(a.version));
    next.register_updated_at = Set(Some(now));
    next.register_updated_by = Set(Some(person.user_id));
    next.updated_at = Set(now);
    next.lock_version = Set(current.lock_version + 1);
    let saved = next.update(&tx).await?;
    let mut after = living(&saved);
    after["agreement_id"] = json!(saved.agreement_id);
    after["key"] = json!(saved.key);
    audit::commit(
        tx,
        ctx,
        Event::changed("barrier.update", "barrier", id, before, after),
    )
    .await?;
    let view = register(
        ctx,
        db,
        &BarrierQuery {
            agreement_id: Some(saved.agreement_id),
            ..Default::default()
        },
    )
    .await?;
    view.items
        .into_iter()
        .find(|i| i.id == id)
        .ok_or(ServiceError::NotFound)
}
