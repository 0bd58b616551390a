//! Creates `commitments` (see DOMAIN.md). Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table("commitments", true);
        t.col(integer(c("agreement_id")))
            .col(integer(c("organisation_id")))
            .col(integer(c("kpi_id")))
            .col(exact_decimal(m, "target").not_null())
            .col(exact_decimal(m, "warning_band").null())
            .col(string_null(c("channel")))
            .col(string(c("frequency")))
            .col(integer(c("grace_days")).default(15))
            .col(date(c("effective_from")))
            .col(date_null(c("effective_to")))
            .col(integer_null(c("allowed_misses")))
            .foreign_key(&mut fk("commitments", "agreement_id", "agreements", true))
            .foreign_key(&mut fk(
                "commitments",
                "organisation_id",
                "organisations",
                false,
            ))
            .foreign_key(&mut fk("commitments", "kpi_id", "kpis", false));
        create(
            m,
            t,
            vec![
                index("commitments", &["agreement_id", "organisation_id"], false),
                index("commitments", &["organisation_id"], false),
            ],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "commitments").await
    }
}
