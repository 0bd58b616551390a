//! Who may record a notice and act on a delivery, and what the caller's
//! organisation takes notices of.

use crate::backend::entities::{agreement, life_event, propagation_term};
use crate::backend::services::Ctx;
use crate::backend::{ServiceError, ServiceResult};
use crate::domain::{AgreementStatus, Role};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// Only a party's reporters, or its API tokens, record notices and act on
/// deliveries. Returns the caller's organisation.
pub(super) fn reporter(ctx: &Ctx) -> ServiceResult<i32> {
    let actor = ctx.actor()?;
    if actor.role == Role::Reporter {
        Ok(actor.organisation_id)
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// What the caller's organisation may take notices of: for each active
/// agreement where it is an intake party, by (agreement, life event code),
/// the agreement, the term and the life event's id.
pub(super) struct Intake {
    pub(super) terms: HashMap<(i32, String), (agreement::Model, propagation_term::Model)>,
}

impl Intake {
    pub(super) async fn of(db: &impl ConnectionTrait, organisation_id: i32) -> ServiceResult<Self> {
        let rows = propagation_term::Entity::find()
            .filter(propagation_term::Column::IntakeId.eq(organisation_id))
            .all(db)
            .await?;
        let agreements: HashMap<i32, agreement::Model> = agreement::Entity::find()
            .filter(agreement::Column::Id.is_in(rows.iter().map(|r| r.agreement_id)))
            .filter(agreement::Column::Status.eq(AgreementStatus::Active))
            .all(db)
            .await?
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
        let codes: HashMap<i32, String> = life_event::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|e| (e.id, e.code))
            .collect();
        let mut terms = HashMap::new();
        for r in rows {
            if let (Some(a), Some(code)) =
                (agreements.get(&r.agreement_id), codes.get(&r.life_event_id))
            {
                terms.insert((a.id, code.clone()), (a.clone(), r));
            }
        }
        Ok(Intake { terms })
    }

    /// The agreements and the codes of the life events it takes notices of.
    pub(super) fn options(&self) -> impl Iterator<Item = (&agreement::Model, &str)> {
        self.terms
            .iter()
            .map(|((_, code), (a, _))| (a, code.as_str()))
    }
}
