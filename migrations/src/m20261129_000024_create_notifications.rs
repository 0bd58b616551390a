//! Creates `notifications` (see DOMAIN.md). Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table("notifications", false);
        t.col(integer(c("user_id")))
            .col(string(c("kind")))
            .col(integer_null(c("agreement_id")))
            .col(text(c("message")))
            .col(timestamp_with_time_zone_null(c("read_at")))
            .foreign_key(&mut fk("notifications", "user_id", "users", true))
            .foreign_key(&mut fk("notifications", "agreement_id", "agreements", true));
        create(
            m,
            t,
            vec![index("notifications", &["user_id", "read_at"], false)],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "notifications").await
    }
}
