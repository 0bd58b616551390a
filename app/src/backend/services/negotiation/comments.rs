//! Comments on an agreement's versions.

use super::access::load;
use super::checks::{LONG_TEXT, text_problem};
use crate::backend::audit::{self, Event};
use crate::backend::entities::{comment, organisation, user};
use crate::backend::services::Ctx;
use crate::backend::services::agreements::{check_visible, is_involved};
use crate::backend::services::notifications::{self, kind, party_users};
use crate::backend::services::rfc3339 as ts;
use crate::backend::{FieldError, ServiceError, ServiceResult};
use crate::domain::Role;
use crate::wire::negotiation::*;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, TransactionSession, TransactionTrait,
};
use serde_json::json;
use std::collections::HashMap;

/// [`comments`] for a request: kept until the data changes
/// (`backend::cache`).
pub async fn comments_cached(
    ctx: &Ctx,
    db: &sea_orm::DatabaseConnection,
    id: i32,
) -> ServiceResult<Vec<CommentView>> {
    ctx.kept(db, "comments", &id, comments(ctx, db, id)).await
}

/// Comments on agreement `id`, oldest first (threads by `parent_id`).
pub async fn comments(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
) -> ServiceResult<Vec<CommentView>> {
    check_visible(ctx, db, id).await?;
    ctx.person()?;
    let rows = comment::Entity::find()
        .filter(comment::Column::AgreementId.eq(id))
        .order_by_asc(comment::Column::Id)
        .all(db)
        .await?;
    let authors: HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().map(|r| r.author_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let codes: HashMap<i32, String> = organisation::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.code))
        .collect();
    Ok(rows
        .into_iter()
        .map(|c| {
            let author = authors.get(&c.author_id);
            CommentView {
                id: c.id,
                version: c.version_number,
                parent_id: c.parent_id,
                author_id: c.author_id,
                author_name: author.map(|a| a.display_name.clone()).unwrap_or_default(),
                organisation_code: author
                    .and_then(|a| codes.get(&a.organisation_id).cloned())
                    .unwrap_or_default(),
                body: c.body,
                created_at: ts(c.created_at),
            }
        })
        .collect())
}

/// Adds a comment by a user of one of the parties (or an admin).
///
/// Fails with `Forbidden` for users outside the parties (oversight may read,
/// not negotiate), `Validation` for an empty or over-long comment or an
/// unknown version or parent.
pub async fn add_comment<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    params: CommentParams,
) -> ServiceResult<CommentView> {
    check_visible(ctx, db, id).await?;
    let actor = ctx.person()?;
    if actor.role != Role::Admin && !is_involved(db, id, actor.organisation_id).await? {
        return Err(ServiceError::Forbidden);
    }
    let body = params.body.trim().to_owned();
    let mut problems = Vec::new();
    text_problem(&mut problems, "body", &body, LONG_TEXT, true);
    let a = load(db, id).await?;
    let version = params.version.unwrap_or(a.version);
    if version < 1 || version > a.version {
        problems.push(FieldError::new(
            "version",
            format!("This agreement has no version {version}."),
        ));
    }
    if let Some(parent) = params.parent_id {
        let ok = comment::Entity::find_by_id(parent)
            .one(db)
            .await?
            .is_some_and(|c| c.agreement_id == id);
        if !ok {
            problems.push(FieldError::new(
                "parent_id",
                "There is no such comment to reply to.",
            ));
        }
    }
    if !problems.is_empty() {
        return Err(ServiceError::validation(
            "The comment was not saved.",
            problems,
        ));
    }
    let tx = crate::backend::db::write_tx(db).await?;
    let c = comment::ActiveModel {
        agreement_id: Set(id),
        version_number: Set(version),
        parent_id: Set(params.parent_id),
        author_id: Set(actor.user_id),
        body: Set(body),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::record(
        &tx,
        ctx,
        Event::created(
            "comment.create",
            "agreement",
            id,
            json!({"comment_id": c.id, "version": version}),
        ),
    )
    .await?;
    let others = party_users(
        &tx,
        id,
        &[Role::Manager, Role::Executive],
        Some(actor.user_id),
    )
    .await?;
    notifications::notify(
        &tx,
        &others,
        kind::NEW_COMMENT,
        id,
        &format!("{} v{version}", a.reference),
    )
    .await?;
    tx.commit().await?;
    comments(ctx, db, id)
        .await?
        .into_iter()
        .find(|x| x.id == c.id)
        .ok_or(ServiceError::NotFound)
}
