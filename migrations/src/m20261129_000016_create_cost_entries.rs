//! Creates `cost_entries` (see DOMAIN.md). Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table("cost_entries", true);
        t.col(integer(c("agreement_id")))
            .col(string(c("period")))
            .col(date(c("period_start")))
            .col(string(c("kind")))
            .col(string(c("category")))
            .col(exact_decimal(m, "amount").not_null())
            .col(integer(c("organisation_id")))
            .col(integer_null(c("created_by")))
            .foreign_key(&mut fk("cost_entries", "agreement_id", "agreements", true))
            .foreign_key(&mut fk(
                "cost_entries",
                "organisation_id",
                "organisations",
                false,
            ));
        create(
            m,
            t,
            vec![index(
                "cost_entries",
                &["agreement_id", "period_start"],
                false,
            )],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "cost_entries").await
    }
}
