//! Creates `audit_events` (see DOMAIN.md). Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table("audit_events", false);
        t.col(timestamp_with_time_zone(c("at")))
            .col(integer_null(c("actor_id")))
            .col(integer_null(c("api_token_id")))
            .col(string(c("action")))
            .col(string(c("entity")))
            .col(integer_null(c("entity_id")))
            .col(json_null(c("before")))
            .col(json_null(c("after")))
            .col(string_null(c("request_id")));
        create(
            m,
            t,
            vec![
                index("audit_events", &["entity", "entity_id"], false),
                index("audit_events", &["at"], false),
            ],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "audit_events").await
    }
}
