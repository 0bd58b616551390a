//! Creates `jurisdictions` (see DOMAIN.md). Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table("jurisdictions", true);
        t.col(string_uniq(c("code")))
            .col(string(c("name")))
            .col(string_null(c("name_fr")))
            .col(string(c("level")))
            .col(string_len(c("country_code"), 2))
            .col(integer_null(c("parent_id")))
            .foreign_key(&mut fk(
                "jurisdictions",
                "parent_id",
                "jurisdictions",
                false,
            ));
        create(m, t, vec![]).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "jurisdictions").await
    }
}
