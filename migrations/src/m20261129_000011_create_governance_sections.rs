//! Creates `governance_sections` (see DOMAIN.md). Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table("governance_sections", true);
        t.col(integer(c("agreement_id")))
            .col(string(c("section")))
            .col(text(c("body")))
            .col(text_null(c("body_fr")))
            .foreign_key(&mut fk(
                "governance_sections",
                "agreement_id",
                "agreements",
                true,
            ));
        create(
            m,
            t,
            vec![index(
                "governance_sections",
                &["agreement_id", "section"],
                true,
            )],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "governance_sections").await
    }
}
