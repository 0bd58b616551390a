//! Both official languages (issue 20): a barrier's description and
//! mitigation gain an optional French version, as titles, summaries,
//! service names and governance sections already have; and each user keeps
//! the language they read Concord in (`users.lang`, `en` or `fr`), so that
//! what Concord writes to them (notifications) is in that language.
//! Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One column a statement: SQLite adds a single column per `ALTER TABLE`.
async fn add(m: &SchemaManager<'_>, table: &str, col: ColumnDef) -> Result<(), DbErr> {
    let mut col = col;
    m.alter_table(
        Table::alter()
            .table(c(table))
            .add_column(&mut col)
            .to_owned(),
    )
    .await
}

async fn drop(m: &SchemaManager<'_>, table: &str, column: &str) -> Result<(), DbErr> {
    m.alter_table(
        Table::alter()
            .table(c(table))
            .drop_column(c(column))
            .to_owned(),
    )
    .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add(m, "barriers", text_null(c("description_fr"))).await?;
        add(m, "barriers", text_null(c("mitigation_fr"))).await?;
        add(
            m,
            "users",
            string_len(c("lang"), 2).default("en").to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop(m, "users", "lang").await?;
        drop(m, "barriers", "mitigation_fr").await?;
        drop(m, "barriers", "description_fr").await
    }
}
