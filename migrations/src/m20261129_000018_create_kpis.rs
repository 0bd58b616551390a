//! Creates `kpis` (see DOMAIN.md). Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table("kpis", true);
        t.col(string_uniq(c("code")))
            .col(string(c("name")))
            .col(string_null(c("name_fr")))
            .col(string(c("unit")))
            .col(string(c("direction")))
            .col(boolean(c("is_ratio")));
        create(m, t, vec![]).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "kpis").await
    }
}
