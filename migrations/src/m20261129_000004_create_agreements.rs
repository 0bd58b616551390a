//! Creates `agreements` (see DOMAIN.md). Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table("agreements", true);
        t.col(string_uniq(c("reference")))
            .col(string(c("title")))
            .col(string_null(c("title_fr")))
            .col(text(c("summary")))
            .col(text_null(c("summary_fr")))
            .col(string(c("purpose")))
            .col(string(c("structure")))
            .col(string(c("partnership_type")))
            .col(string(c("status")))
            .col(date(c("starts_on")))
            .col(date(c("ends_on")))
            .col(integer(c("renewal_notice_days")).default(90))
            .col(string_len(c("currency"), 3))
            .col(small_integer(c("fiscal_year_start_month")).default(1))
            .col(integer_null(c("parent_id")))
            .col(integer(c("version")).default(1))
            .col(integer_null(c("in_force_version")))
            .col(integer_null(c("created_by")))
            .foreign_key(&mut fk("agreements", "parent_id", "agreements", false))
            .foreign_key(&mut fk("agreements", "created_by", "users", false));
        create(
            m,
            t,
            vec![
                index("agreements", &["status"], false),
                index("agreements", &["structure"], false),
            ],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "agreements").await
    }
}
