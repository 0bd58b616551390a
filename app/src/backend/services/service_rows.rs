//! Services as stored, read back: the rows of the services in force of some
//! agreements with their standards, as views. The agreement page and the
//! service inventory read them the same way, here.

use crate::backend::ServiceResult;
use crate::backend::entities::{agreement_service, service_standard};
use crate::backend::stored::stored_list;
use crate::domain::Currency;
use crate::wire::agreements::{ServiceView, StandardView};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// The services in force of the agreements `ids`, in the order they were
/// first recorded, with their standards (by channel).
pub(crate) async fn in_force(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> ServiceResult<Vec<(agreement_service::Model, Vec<service_standard::Model>)>> {
    let services = agreement_service::Entity::find()
        .filter(agreement_service::Column::AgreementId.is_in(ids.iter().copied()))
        .filter(agreement_service::Column::InForce.eq(true))
        .order_by_asc(agreement_service::Column::Id)
        .all(db)
        .await?;
    let mut standards: HashMap<i32, Vec<service_standard::Model>> = HashMap::new();
    for st in service_standard::Entity::find()
        .filter(service_standard::Column::ServiceId.is_in(services.iter().map(|s| s.id)))
        .order_by_asc(service_standard::Column::Channel)
        .all(db)
        .await?
    {
        standards.entry(st.service_id).or_default().push(st);
    }
    Ok(services
        .into_iter()
        .map(|s| {
            let of = standards.remove(&s.id).unwrap_or_default();
            (s, of)
        })
        .collect())
}

/// One service as the agreement page shows it; its fee carries the
/// agreement's currency's minor units (`25.00` CAD).
pub(crate) fn view(
    s: &agreement_service::Model,
    standards: &[service_standard::Model],
    currency: Option<Currency>,
) -> Result<ServiceView, sea_orm::DbErr> {
    Ok(ServiceView {
        id: s.id,
        code: s.code.clone(),
        name: s.name.clone(),
        name_fr: s.name_fr.clone(),
        delivered_by: s.delivered_by,
        channels: stored_list(&s.channels, "agreement_services.channels")?,
        client_types: stored_list(&s.client_types, "agreement_services.client_types")?,
        service_type: s.service_type,
        fee: s.fee.map(|f| fee_text(f.0, currency)),
        online_stages: stored_list(&s.online_stages, "agreement_services.online_stages")?,
        standards: standards
            .iter()
            .map(|st| StandardView {
                channel: st.channel,
                standard: st.standard.clone(),
                standard_fr: st.standard_fr.clone(),
                target: st.target.0.normalize().to_string(),
            })
            .collect(),
    })
}

/// A fee as text: with the currency's minor units when it is known.
pub(crate) fn fee_text(fee: rust_decimal::Decimal, currency: Option<Currency>) -> String {
    currency.map_or_else(|| fee.normalize().to_string(), |c| c.round(fee).to_string())
}
