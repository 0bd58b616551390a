//! Creates `comments` (see DOMAIN.md). Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table("comments", false);
        t.col(integer(c("agreement_id")))
            .col(integer(c("version_number")))
            .col(integer_null(c("parent_id")))
            .col(integer(c("author_id")))
            .col(text(c("body")))
            .foreign_key(&mut fk("comments", "agreement_id", "agreements", true))
            .foreign_key(&mut fk("comments", "parent_id", "comments", true))
            .foreign_key(&mut fk("comments", "author_id", "users", false));
        create(
            m,
            t,
            vec![index(
                "comments",
                &["agreement_id", "version_number"],
                false,
            )],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "comments").await
    }
}
