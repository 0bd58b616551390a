//! Creates `organisations` (see DOMAIN.md). Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table("organisations", true);
        t.col(string_uniq(c("code")))
            .col(string(c("name")))
            .col(string_null(c("name_fr")))
            .col(string(c("kind")))
            .col(integer_null(c("jurisdiction_id")))
            .foreign_key(&mut fk(
                "organisations",
                "jurisdiction_id",
                "jurisdictions",
                false,
            ));
        create(
            m,
            t,
            vec![index("organisations", &["jurisdiction_id"], false)],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "organisations").await
    }
}
