//! Creates `password_resets`: one-time links an admin hands to a user
//! (no mail server is assumed). Only a hash of each link's token is kept.

use crate::common::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table("password_resets", false);
        t.col(integer(c("user_id")))
            .col(string_uniq(c("token_hash")))
            .col(integer(c("created_by")))
            .col(timestamp_with_time_zone(c("expires_at")))
            .col(timestamp_with_time_zone_null(c("used_at")))
            .foreign_key(&mut fk("password_resets", "user_id", "users", true))
            .foreign_key(&mut fk("password_resets", "created_by", "users", false));
        create(m, t, vec![]).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "password_resets").await
    }
}
