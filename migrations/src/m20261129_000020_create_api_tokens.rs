//! Creates `api_tokens` (see DOMAIN.md). Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table("api_tokens", false);
        t.col(integer(c("organisation_id")))
            .col(string(c("name")))
            .col(string_uniq(c("token_hash")))
            .col(integer(c("created_by")))
            .col(timestamp_with_time_zone(c("expires_at")))
            .col(timestamp_with_time_zone_null(c("revoked_at")))
            .col(timestamp_with_time_zone_null(c("last_used_at")))
            .foreign_key(&mut fk(
                "api_tokens",
                "organisation_id",
                "organisations",
                false,
            ))
            .foreign_key(&mut fk("api_tokens", "created_by", "users", false));
        create(m, t, vec![index("api_tokens", &["organisation_id"], false)]).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "api_tokens").await
    }
}
