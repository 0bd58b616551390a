//! Creates `users` (see DOMAIN.md). Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table("users", true);
        t.col(uuid_uniq(c("uuid")))
            .col(string_uniq(c("email")))
            .col(string(c("display_name")))
            .col(string(c("password_hash")))
            .col(string(c("role")))
            .col(string(c("scope")).default("organisation"))
            .col(integer(c("organisation_id")))
            .col(boolean(c("disabled")).default(false))
            .col(timestamp_with_time_zone_null(c("locked_until")))
            .col(timestamp_with_time_zone_null(c("password_changed_at")))
            .foreign_key(&mut fk("users", "organisation_id", "organisations", false));
        create(m, t, vec![index("users", &["organisation_id"], false)]).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "users").await
    }
}
