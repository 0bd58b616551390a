//! Creates `cost_model_lines` (see DOMAIN.md). Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table("cost_model_lines", false);
        t.col(integer(c("cost_model_id")))
            .col(integer(c("organisation_id")))
            .col(exact_decimal(m, "percent").null())
            .col(exact_decimal(m, "cap").null())
            .col(exact_decimal(m, "floor").null())
            .col(json_null(c("rates")))
            .foreign_key(&mut fk(
                "cost_model_lines",
                "cost_model_id",
                "cost_models",
                true,
            ))
            .foreign_key(&mut fk(
                "cost_model_lines",
                "organisation_id",
                "organisations",
                false,
            ));
        create(
            m,
            t,
            vec![index(
                "cost_model_lines",
                &["cost_model_id", "organisation_id"],
                true,
            )],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "cost_model_lines").await
    }
}
