//! The audit log, filtered and paged (admins).

#[allow(unused_imports)]
use super::*;
use crate::backend::ServiceResult;
use crate::backend::entities::{audit_event, user};
use crate::backend::services::Ctx;
use crate::backend::services::rfc3339 as ts;
use crate::domain::Role;
use crate::wire::admin::*;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

/// The audit log, newest first, filtered. Admins only.
pub async fn list_audit(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    filters: AuditFilters,
) -> ServiceResult<AuditPage> {
    ctx.require(&[Role::Admin])?;
    let mut q = audit_event::Entity::find().order_by_desc(audit_event::Column::Id);
    if let Some(a) = filters
        .action
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        q = q.filter(audit_event::Column::Action.eq(a));
    }
    if let Some(e) = filters
        .entity
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        q = q.filter(audit_event::Column::Entity.eq(e));
    }
    if let Some(id) = filters.actor_id {
        q = q.filter(audit_event::Column::ActorId.eq(id));
    }
    let total = q.clone().count(db).await?;
    let limit = filters.limit.unwrap_or(100).clamp(1, 1000);
    let rows = q
        .offset(filters.offset.unwrap_or(0))
        .limit(limit)
        .all(db)
        .await?;
    let actor_ids: Vec<i32> = rows.iter().filter_map(|r| r.actor_id).collect();
    let emails: HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(actor_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect();
    let items = rows
        .into_iter()
        .map(|r| AuditEventView {
            id: r.id,
            at: ts(r.at),
            actor_email: r.actor_id.and_then(|id| emails.get(&id).cloned()),
            actor_id: r.actor_id,
            api_token_id: r.api_token_id,
            action: r.action,
            entity: r.entity,
            entity_id: r.entity_id,
            before: r.before,
            after: r.after,
        })
        .collect();
    Ok(AuditPage { items, total })
}
