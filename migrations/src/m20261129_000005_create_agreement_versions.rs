//! Creates `agreement_versions` (see DOMAIN.md). Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table("agreement_versions", false);
        t.col(integer(c("agreement_id")))
            .col(integer(c("number")))
            .col(json(c("terms")))
            .col(text(c("change_summary")))
            .col(integer_null(c("author_id")))
            .col(date(c("effective_from")))
            .col(timestamp_with_time_zone_null(c("approved_at")))
            .foreign_key(&mut fk(
                "agreement_versions",
                "agreement_id",
                "agreements",
                true,
            ))
            .foreign_key(&mut fk("agreement_versions", "author_id", "users", false));
        create(
            m,
            t,
            vec![index(
                "agreement_versions",
                &["agreement_id", "number"],
                true,
            )],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "agreement_versions").await
    }
}
