//! The services of the terms in force as rows: matched by their stable id
//! (`code`), so that a service keeps its inventory row (and the volumes
//! recorded against it) across versions. A service the terms no longer name
//! is kept, out of force; its standards are those of the terms in force.

use crate::backend::ServiceResult;
use crate::backend::entities::{agreement_service, service_standard};
use crate::backend::exact::Exact;
use crate::backend::stored::list_column;
use crate::domain::terms;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use std::collections::HashMap;

/// Makes `services` the services in force of agreement `id`.
pub(super) async fn write_services(
    tx: &impl ConnectionTrait,
    id: i32,
    services: &[terms::Service],
) -> ServiceResult<()> {
    let existing: HashMap<String, agreement_service::Model> = agreement_service::Entity::find()
        .filter(agreement_service::Column::AgreementId.eq(id))
        .all(tx)
        .await?
        .into_iter()
        .map(|s| (s.code.clone(), s))
        .collect();
    let mut kept = Vec::new();
    for s in services {
        let old = existing.get(&s.code);
        let mut row: agreement_service::ActiveModel = match old {
            Some(old) => {
                let mut row: agreement_service::ActiveModel = old.clone().into();
                row.updated_at = Set(crate::clock::now());
                row
            }
            None => agreement_service::ActiveModel {
                agreement_id: Set(id),
                code: Set(s.code.clone()),
                ..Default::default()
            },
        };
        row.name = Set(s.name.clone());
        row.name_fr = Set(s.name_fr.clone());
        row.delivered_by = Set(s.delivered_by);
        row.channels = Set(list_column(&s.channels));
        row.client_types = Set(list_column(&s.client_types));
        row.service_type = Set(s.service_type);
        row.fee = Set(s.fee.map(Exact));
        row.online_stages = Set(list_column(&s.online_stages));
        row.in_force = Set(true);
        let service_id = match old {
            Some(_) => row.update(tx).await?.id,
            None => row.insert(tx).await?.id,
        };
        kept.push(service_id);
        service_standard::Entity::delete_many()
            .filter(service_standard::Column::ServiceId.eq(service_id))
            .exec(tx)
            .await?;
        for st in &s.standards {
            service_standard::ActiveModel {
                service_id: Set(service_id),
                channel: Set(st.channel),
                standard: Set(st.standard.clone()),
                standard_fr: Set(st.standard_fr.clone()),
                target: Set(Exact(st.target)),
                ..Default::default()
            }
            .insert(tx)
            .await?;
        }
    }
    agreement_service::Entity::update_many()
        .col_expr(agreement_service::Column::InForce, Expr::value(false))
        .filter(agreement_service::Column::AgreementId.eq(id))
        .filter(agreement_service::Column::Id.is_not_in(kept))
        .exec(tx)
        .await?;
    Ok(())
}
