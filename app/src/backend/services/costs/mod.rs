//! Cost entries and transaction volumes (DOMAIN.md §3): recorded by month,
//! one at a time or by CSV upload (all rows or none), by managers of the
//! agreement's parties for any party and by reporters for their own
//! organisation; and the reconciliation of a period — each party's due
//! share under the model in force each month, what it paid, its balance,
//! the settling transfers, and budget versus actual.

mod business_case;
mod checks;
mod import;
mod ledger;
mod model;
mod reconcile;

pub use business_case::channel_costs;
pub(crate) use checks::{check_entry, check_volume, month, not_begun, party, push};
pub use import::{import_entries, import_volumes};
pub use ledger::{add_entry, add_volume, delete_entry, delete_volume, ledger};
pub use model::{parse_model, simulate};
pub use reconcile::{portfolio_costs, portfolio_costs_cached, reconcile, reconciliation_csv};

use super::Ctx;
use super::agreements::is_party;
use crate::backend::entities::{agreement, agreement_party, agreement_service, service_standard};
use crate::backend::stored::stored_list;
use crate::backend::{ServiceError, ServiceResult};
use crate::domain::{Channel, Currency, Role};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashMap;

/// What a recording needs to know about the agreement.
pub(crate) struct Books {
    pub(crate) agreement: agreement::Model,
    currency: Currency,
    pub(crate) fiscal: u32,
    /// Party organisation ids, ascending.
    pub(crate) parties: Vec<i32>,
    /// The agreement's services (in force or not), by inventory id.
    pub(crate) services: HashMap<i32, ServiceFacts>,
}

/// What recording a volume against a service checks.
pub(crate) struct ServiceFacts {
    pub(crate) code: String,
    pub(crate) channels: Vec<Channel>,
    /// The channels the service has a standard on.
    pub(crate) standards: Vec<Channel>,
}

/// Agreement `id`'s books. Fails with `NotFound` when there is no such
/// agreement.
pub(crate) async fn books(db: &impl ConnectionTrait, id: i32) -> ServiceResult<Books> {
    let agreement = agreement::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let currency = Currency::parse(&agreement.currency)
        .map_err(|e| sea_orm::DbErr::Type(format!("agreements.currency: {e}")))?;
    let fiscal = u32::try_from(agreement.fiscal_year_start_month)
        .ok()
        .filter(|m| (1..=12).contains(m))
        .unwrap_or(1);
    let mut parties: Vec<i32> = agreement_party::Entity::find()
        .filter(agreement_party::Column::AgreementId.eq(id))
        .select_only()
        .column(agreement_party::Column::OrganisationId)
        .into_tuple()
        .all(db)
        .await?;
    parties.sort_unstable();
    parties.dedup();
    let rows = agreement_service::Entity::find()
        .filter(agreement_service::Column::AgreementId.eq(id))
        .all(db)
        .await?;
    let mut standards: HashMap<i32, Vec<Channel>> = HashMap::new();
    for st in service_standard::Entity::find()
        .filter(service_standard::Column::ServiceId.is_in(rows.iter().map(|s| s.id)))
        .all(db)
        .await?
    {
        standards.entry(st.service_id).or_default().push(st.channel);
    }
    let mut services = HashMap::new();
    for s in rows {
        services.insert(
            s.id,
            ServiceFacts {
                channels: stored_list(&s.channels, "agreement_services.channels")?,
                standards: standards.remove(&s.id).unwrap_or_default(),
                code: s.code,
            },
        );
    }
    Ok(Books {
        agreement,
        currency,
        fiscal,
        parties,
        services,
    })
}

/// Whether the caller may read agreement `id`'s books and service levels:
/// anyone who may see it, and API tokens of a party. Fails with `NotFound`
/// otherwise.
pub(crate) async fn reading(ctx: &Ctx, db: &impl ConnectionTrait, id: i32) -> ServiceResult<()> {
    if ctx.sees_all() {
        return Ok(());
    }
    let actor = ctx.actor()?;
    if is_party(db, id, actor.organisation_id).await? {
        Ok(())
    } else {
        Err(ServiceError::NotFound)
    }
}

/// Fails with `Forbidden` for an API token: a partner's system records its
/// organisation's costs and volumes, it does not read the partnership's
/// books.
pub(crate) fn people_only(ctx: &Ctx) -> ServiceResult<()> {
    if ctx
        .actor
        .as_ref()
        .is_some_and(|a| a.api_token_id().is_some())
    {
        Err(ServiceError::Forbidden)
    } else {
        Ok(())
    }
}

/// The organisations the caller may record costs and volumes for:
/// every party for admins and for managers of a party; their own
/// organisation for reporters (and their API tokens); none otherwise.
pub(crate) fn recorders(ctx: &Ctx, b: &Books) -> Vec<i32> {
    let Some(actor) = ctx.actor.as_ref() else {
        return Vec::new();
    };
    let party = b.parties.contains(&actor.organisation_id);
    match actor.role {
        Role::Admin if actor.api_token_id().is_none() => b.parties.clone(),
        Role::Manager if party && actor.api_token_id().is_none() => b.parties.clone(),
        Role::Reporter if party => vec![actor.organisation_id],
        _ => Vec::new(),
    }
}

/// The books of `id` when the caller may record for some party.
///
/// Fails with `NotFound` if they may not see the agreement and `Forbidden`
/// if they may see but not record.
pub(crate) async fn recording(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
) -> ServiceResult<(Books, Vec<i32>)> {
    // The books already hold the parties: no second query to see whether
    // the caller's organisation is one.
    let actor = ctx.actor()?;
    let b = books(db, id).await?;
    if !ctx.sees_all() && !b.parties.contains(&actor.organisation_id) {
        return Err(ServiceError::NotFound);
    }
    let may = recorders(ctx, &b);
    if may.is_empty() {
        return Err(ServiceError::Forbidden);
    }
    Ok((b, may))
}
