//! In-app notifications: who is told what about which agreement. Written in
//! the same transaction as the event; read and marked read by their owner.

use super::Ctx;
use crate::backend::ServiceResult;
use crate::backend::entities::{notification, user};
use crate::domain::Lang;
use crate::domain::Role;
use crate::wire::notifications::NotificationView;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use std::collections::HashMap;

/// What a report-related notification says of its subject
/// (`AGR-2023-0001 in_person_wait_min 2026-10`), in `lang`, with the colon
/// as each language sets it.
pub(crate) enum Said<'a> {
    Breached,
    DueBy(&'a str),
    MissingDueBy(&'a str),
    /// A life-event notice to acknowledge by that day.
    AcknowledgeBy(&'a str),
}

pub(crate) fn about(lang: Lang, subject: &str, said: Said<'_>) -> String {
    let what = match (lang, said) {
        (Lang::En, Said::Breached) => "breached".to_owned(),
        (Lang::Fr, Said::Breached) => "non respecté".to_owned(),
        (Lang::En, Said::DueBy(day)) => format!("due by {day}"),
        (Lang::Fr, Said::DueBy(day)) => format!("à remettre au plus tard le {day}"),
        (Lang::En, Said::MissingDueBy(day)) => format!("missing (was due by {day})"),
        (Lang::Fr, Said::MissingDueBy(day)) => {
            format!("manquant (attendu au plus tard le {day})")
        }
        (Lang::En, Said::AcknowledgeBy(day)) => {
            format!("life-event notice to acknowledge by {day}")
        }
        (Lang::Fr, Said::AcknowledgeBy(day)) => {
            format!("avis d'événement de vie à accuser au plus tard le {day}")
        }
    };
    match lang {
        Lang::En => format!("{subject}: {what}"),
        Lang::Fr => format!("{subject} : {what}"),
    }
}

/// What a notification is about; the UI words it in the reader's language.
pub mod kind {
    pub const APPROVAL_REQUESTED: &str = "approval_requested";
    pub const NEW_COMMENT: &str = "new_comment";
    pub const VERSION_APPROVED: &str = "version_approved";
    pub const AGREEMENT_ACTIVATED: &str = "agreement_activated";
    pub const NEW_VERSION: &str = "new_version";
    pub const AMENDMENT_PROPOSED: &str = "amendment_proposed";
    pub const AMENDMENT_WITHDRAWN: &str = "amendment_withdrawn";
    pub const AMENDMENT_IN_FORCE: &str = "amendment_in_force";
}

/// The active users with one of `roles` (every role when empty), except
/// `except`, of the agreement's parties in force and of the organisations
/// its pending amendment names.
pub(crate) async fn party_users(
    db: &impl ConnectionTrait,
    agreement_id: i32,
    roles: &[Role],
    except: Option<i32>,
) -> ServiceResult<Vec<i32>> {
    let orgs = super::agreements::involved_organisations(db, agreement_id).await?;
    let mut q = user::Entity::find()
        .filter(user::Column::OrganisationId.is_in(orgs))
        .filter(user::Column::Disabled.eq(false));
    if !roles.is_empty() {
        q = q.filter(user::Column::Role.is_in(roles.iter().copied()));
    }
    Ok(q.all(db)
        .await?
        .into_iter()
        .map(|u| u.id)
        .filter(|id| Some(*id) != except)
        .collect())
}

/// Tells `users` about `kind` on an agreement, with a `message` that is the
/// same in every language (a reference and a version).
pub(crate) async fn notify(
    db: &impl ConnectionTrait,
    users: &[i32],
    kind: &str,
    agreement_id: i32,
    message: &str,
) -> ServiceResult<()> {
    notify_in_language(db, users, kind, agreement_id, |_| message.to_owned()).await
}

/// Tells `users` about `kind` on an agreement, each in the language their
/// account keeps (`message` words it in one).
pub(crate) async fn notify_in_language(
    db: &impl ConnectionTrait,
    users: &[i32],
    kind: &str,
    agreement_id: i32,
    message: impl Fn(Lang) -> String,
) -> ServiceResult<()> {
    if users.is_empty() {
        return Ok(());
    }
    let langs: HashMap<i32, Lang> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::Lang)
        .filter(user::Column::Id.is_in(users.iter().copied()))
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, code)| (id, Lang::from_code(&code).unwrap_or_default()))
        .collect();
    let texts: HashMap<Lang, String> = Lang::ALL.iter().map(|l| (*l, message(*l))).collect();
    let now = crate::clock::now();
    let rows = users.iter().map(|u| notification::ActiveModel {
        user_id: Set(*u),
        kind: Set(kind.to_owned()),
        agreement_id: Set(Some(agreement_id)),
        message: Set(texts[&langs.get(u).copied().unwrap_or_default()].clone()),
        read_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    });
    notification::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

/// The caller's notifications, newest first (at most 100).
pub async fn list(ctx: &Ctx, db: &impl ConnectionTrait) -> ServiceResult<Vec<NotificationView>> {
    let me = ctx.person()?.user_id;
    Ok(notification::Entity::find()
        .filter(notification::Column::UserId.eq(me))
        .order_by_desc(notification::Column::Id)
        .limit(100)
        .all(db)
        .await?
        .into_iter()
        .map(|n| NotificationView {
            id: n.id,
            kind: n.kind,
            agreement_id: n.agreement_id,
            message: n.message,
            created_at: super::rfc3339(n.created_at),
            read: n.read_at.is_some(),
        })
        .collect())
}

/// How many of the caller's notifications are unread (0 for anonymous callers).
pub async fn unread(ctx: &Ctx, db: &impl ConnectionTrait) -> ServiceResult<u64> {
    let Some(me) = ctx.actor.as_ref().and_then(|a| a.user_id()) else {
        return Ok(0);
    };
    Ok(notification::Entity::find()
        .filter(notification::Column::UserId.eq(me))
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await?)
}

/// Marks all the caller's notifications read.
pub async fn mark_all_read(ctx: &Ctx, db: &impl ConnectionTrait) -> ServiceResult<()> {
    let me = ctx.person()?.user_id;
    notification::Entity::update_many()
        .col_expr(
            notification::Column::ReadAt,
            sea_orm::sea_query::Expr::value(crate::clock::now()),
        )
        .filter(notification::Column::UserId.eq(me))
        .filter(notification::Column::ReadAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
