//! Creates `agreement_parties` (see DOMAIN.md). Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table("agreement_parties", false);
        t.col(integer(c("agreement_id")))
            .col(integer(c("organisation_id")))
            .col(string(c("role")))
            .foreign_key(&mut fk(
                "agreement_parties",
                "agreement_id",
                "agreements",
                true,
            ))
            .foreign_key(&mut fk(
                "agreement_parties",
                "organisation_id",
                "organisations",
                false,
            ));
        create(
            m,
            t,
            vec![
                index(
                    "agreement_parties",
                    &["agreement_id", "organisation_id"],
                    true,
                ),
                index("agreement_parties", &["organisation_id"], false),
            ],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "agreement_parties").await
    }
}
