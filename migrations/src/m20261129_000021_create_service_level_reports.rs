//! Creates `service_level_reports` (see DOMAIN.md). Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table("service_level_reports", false);
        t.col(integer(c("commitment_id")))
            .col(string(c("period")))
            .col(date(c("period_start")))
            .col(integer(c("revision")))
            .col(exact_decimal(m, "value").null())
            .col(exact_decimal(m, "numerator").null())
            .col(exact_decimal(m, "denominator").null())
            .col(big_integer_null(c("volume")))
            .col(text_null(c("comment")))
            .col(integer_null(c("submitted_by")))
            .col(integer_null(c("api_token_id")))
            .col(timestamp_with_time_zone(c("submitted_at")))
            .foreign_key(&mut fk(
                "service_level_reports",
                "commitment_id",
                "commitments",
                true,
            ))
            .foreign_key(&mut fk(
                "service_level_reports",
                "submitted_by",
                "users",
                false,
            ))
            .foreign_key(&mut fk(
                "service_level_reports",
                "api_token_id",
                "api_tokens",
                false,
            ));
        create(
            m,
            t,
            vec![
                index(
                    "service_level_reports",
                    &["commitment_id", "period", "revision"],
                    true,
                ),
                index(
                    "service_level_reports",
                    &["commitment_id", "period_start"],
                    false,
                ),
            ],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "service_level_reports").await
    }
}
