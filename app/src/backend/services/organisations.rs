//! Reading organisations and jurisdictions.

use super::{Ctx, stored};
use crate::api::organisations::{JurisdictionView, OrganisationView};
use crate::backend::ServiceResult;
use crate::backend::entities::{jurisdiction, organisation};
use crate::domain::OrganisationKind;
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};
use std::collections::HashMap;

pub(crate) fn jurisdiction_view(j: &jurisdiction::Model) -> ServiceResult<JurisdictionView> {
    Ok(JurisdictionView {
        id: j.id,
        code: j.code.clone(),
        name: j.name.clone(),
        name_fr: j.name_fr.clone(),
        level: stored(&j.level, "jurisdictions.level")?,
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

/// Every organisation, ordered by name, with its jurisdiction.
#[tracing::instrument(skip_all)]
pub async fn list(_ctx: &Ctx, db: &impl ConnectionTrait) -> ServiceResult<Vec<OrganisationView>> {
    let jurisdictions = jurisdictions_by_id(db).await?;
    let orgs = organisation::Entity::find()
        .order_by_asc(organisation::Column::Name)
        .all(db)
        .await?;
    orgs.into_iter()
        .map(|o| {
            let kind: OrganisationKind = stored(&o.kind, "organisations.kind")?;
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
