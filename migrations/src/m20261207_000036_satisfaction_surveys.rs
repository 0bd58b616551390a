//! Citizen satisfaction by driver (issue 22, DOMAIN.md §9), in the way of
//! the Common Measurements Tool: one row of `satisfaction_results` per
//! agreement, service (of the inventory), channel, month and reporting
//! party — the survey's sample size, the percent of respondents satisfied
//! overall, its margin of error when the survey gives one, and the percent
//! satisfied with each driver (timeliness, knowledge and competence,
//! courtesy, fairness, outcome) when it was asked. Percentages are exact
//! decimals, as every percent of the schema. A result recorded again for
//! the same five replaces the earlier one (as volumes do), so the key is
//! unique.
//! Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::sea_orm::ConnectionTrait;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The percent columns beside `overall`, all nullable.
const NULLABLE_PERCENTS: [&str; 6] = [
    "margin_of_error",
    "timeliness",
    "knowledge",
    "courtesy",
    "fairness",
    "outcome",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table("satisfaction_results", false);
        t.col(integer(c("agreement_id")))
            .col(integer(c("service_id")))
            .col(string(c("channel")))
            .col(string(c("period")))
            .col(date(c("period_start")))
            .col(integer(c("organisation_id")))
            .col(integer(c("sample_size")))
            .col(exact_decimal(m, "overall").not_null().to_owned());
        for name in NULLABLE_PERCENTS {
            t.col(exact_decimal(m, name).null().to_owned());
        }
        t.col(integer_null(c("recorded_by")))
            .col(integer_null(c("api_token_id")))
            .foreign_key(&mut fk(
                "satisfaction_results",
                "agreement_id",
                "agreements",
                true,
            ))
            .foreign_key(&mut fk(
                "satisfaction_results",
                "service_id",
                "agreement_services",
                true,
            ))
            .foreign_key(&mut fk(
                "satisfaction_results",
                "organisation_id",
                "organisations",
                false,
            ))
            .foreign_key(&mut fk(
                "satisfaction_results",
                "recorded_by",
                "users",
                false,
            ))
            .foreign_key(&mut fk(
                "satisfaction_results",
                "api_token_id",
                "api_tokens",
                false,
            ));
        create(
            m,
            t,
            vec![
                index(
                    "satisfaction_results",
                    &[
                        "agreement_id",
                        "service_id",
                        "channel",
                        "period_start",
                        "organisation_id",
                    ],
                    true,
                ),
                // The benchmarks read a range of months across agreements.
                index("satisfaction_results", &["period_start"], false),
            ],
        )
        .await?;
        let db = m.get_connection();
        let backend = m.get_database_backend();
        for sql in crate::triggers_for(backend, "satisfaction_results") {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "satisfaction_results").await
    }
}
