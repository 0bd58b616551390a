//! Reading organisations and jurisdictions.

use super::Ctx;
use crate::backend::ServiceResult;
use crate::backend::entities::{jurisdiction, organisation};
use crate::domain::OrganisationKind;
use crate::wire::organisations::{JurisdictionView, OrganisationView};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

pub(crate) fn jurisdiction_view(j: &jurisdiction::Model) -> ServiceResult<JurisdictionView> {
    Ok(JurisdictionView {
        id: j.id,
        code: j.code.clone(),
        name: j.name.clone(),
        name_fr: j.name_fr.clone(),
        level: j.level,
        country_code: j.country_code.clone(),
        parent_id: j.parent_id,
    })
}

/// Every jurisdiction by id.
pub(crate) async fn jurisdictions_by_id(
    db: &impl ConnectionTrait,
) -> ServiceResult<HashMap<i32, jurisdiction::Model>> {
    Ok(jurisdiction::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|j| (j.id, j))
        .collect())
}

/// The organisations of `only` (every one for `None`), by id.
pub(crate) async fn organisations_by_id(
    db: &impl ConnectionTrait,
    only: Option<Vec<i32>>,
) -> ServiceResult<HashMap<i32, organisation::Model>> {
    let mut q = organisation::Entity::find();
    if let Some(ids) = only {
        q = q.filter(organisation::Column::Id.is_in(ids));
    }
    Ok(q.all(db).await?.into_iter().map(|o| (o.id, o)).collect())
}

/// One organisation's view.
pub(crate) async fn organisation_view(
    db: &impl ConnectionTrait,
    o: &organisation::Model,
) -> ServiceResult<OrganisationView> {
    let kind: OrganisationKind = o.kind;
    let jurisdiction = match o.jurisdiction_id {
        None => None,
        Some(id) => match jurisdiction::Entity::find_by_id(id).one(db).await? {
            Some(j) => Some(jurisdiction_view(&j)?),
            None => None,
        },
    };
    Ok(OrganisationView {
        id: o.id,
        code: o.code.clone(),
        name: o.name.clone(),
        name_fr: o.name_fr.clone(),
        kind,
        sector: kind.sector(),
        jurisdiction,
    })
}

/// Every organisation, ordered by name, with its jurisdiction. Anyone
/// signed in (organisations are public bodies and their partners).
///
/// Fails with `Unauthenticated` for anonymous callers and `Forbidden` for
/// API tokens (which reach only their organisation's reports).
#[tracing::instrument(skip_all)]
pub async fn list(ctx: &Ctx, db: &impl ConnectionTrait) -> ServiceResult<Vec<OrganisationView>> {
    ctx.person()?;
    let jurisdictions = jurisdictions_by_id(db).await?;
    let orgs = organisation::Entity::find()
        .order_by_asc(organisation::Column::Name)
        .all(db)
        .await?;
    orgs.into_iter()
        .map(|o| {
            let kind: OrganisationKind = o.kind;
            Ok(OrganisationView {
                id: o.id,
                jurisdiction: match o.jurisdiction_id.and_then(|id| jurisdictions.get(&id)) {
                    Some(j) => Some(jurisdiction_view(j)?),
                    None => None,
                },
                code: o.code,
                name: o.name,
                name_fr: o.name_fr,
                kind,
                sector: kind.sector(),
            })
        })
        .collect()
}

/// The life-event catalogue, by English name. Anyone signed in.
pub async fn life_events(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
) -> ServiceResult<Vec<(String, String, Option<String>)>> {
    use crate::backend::entities::life_event;
    ctx.person()?;
    Ok(life_event::Entity::find()
        .order_by_asc(life_event::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.code, e.name, e.name_fr))
        .collect())
}
