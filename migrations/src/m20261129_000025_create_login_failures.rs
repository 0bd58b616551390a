//! Creates `login_failures`: failed sign-ins by account and by address, for
//! brute-force protection shared by every server instance.

use crate::common::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table("login_failures", false);
        t.col(string(c("email")))
            .col(string_null(c("ip")))
            .col(timestamp_with_time_zone(c("at")));
        create(
            m,
            t,
            vec![
                index("login_failures", &["email", "at"], false),
                index("login_failures", &["ip", "at"], false),
            ],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "login_failures").await
    }
}
