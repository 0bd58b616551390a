//! Creates `revoked_tokens` (see DOMAIN.md). Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table("revoked_tokens", false);
        t.col(string_uniq(c("jti")))
            .col(timestamp_with_time_zone(c("expires_at")));
        create(m, t, vec![]).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "revoked_tokens").await
    }
}
