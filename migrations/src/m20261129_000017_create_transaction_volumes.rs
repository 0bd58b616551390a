//! Creates `transaction_volumes` (see DOMAIN.md). Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table("transaction_volumes", true);
        t.col(integer(c("agreement_id")))
            .col(string(c("period")))
            .col(date(c("period_start")))
            .col(string(c("channel")))
            .col(integer(c("organisation_id")))
            .col(big_integer(c("count")))
            .col(integer_null(c("created_by")))
            .foreign_key(&mut fk(
                "transaction_volumes",
                "agreement_id",
                "agreements",
                true,
            ))
            .foreign_key(&mut fk(
                "transaction_volumes",
                "organisation_id",
                "organisations",
                false,
            ));
        create(
            m,
            t,
            vec![index(
                "transaction_volumes",
                &["agreement_id", "period_start"],
                false,
            )],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "transaction_volumes").await
    }
}
