//! Journeys across channels (issue 22, DOMAIN.md §9): per agreement,
//! service (the inventory's `agreement_services` row), month and reporting
//! partner, how many journeys started on one channel and ended on another
//! (`ended_on`), or were abandoned (`ended_on` NULL). Completion rate and
//! digital take-up are derived from these counts, never stored.
//!
//! One row per (agreement, service, month, partner, started on, ended on):
//! a unique index over `COALESCE(ended_on, '')`, since two NULLs are never
//! equal in a plain unique index. A row sent again replaces the count, as
//! a transaction volume does.
//! Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::sea_orm::ConnectionTrait;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table("channel_journeys", false);
        t.col(integer(c("agreement_id")))
            .col(integer(c("service_id")))
            .col(string(c("period")))
            .col(date(c("period_start")))
            .col(integer(c("organisation_id")))
            .col(string(c("started_on")))
            .col(string_null(c("ended_on")))
            .col(big_integer(c("count")))
            .col(integer_null(c("recorded_by")))
            .col(integer_null(c("api_token_id")))
            .foreign_key(&mut fk(
                "channel_journeys",
                "agreement_id",
                "agreements",
                true,
            ))
            .foreign_key(&mut fk(
                "channel_journeys",
                "service_id",
                "agreement_services",
                true,
            ))
            .foreign_key(&mut fk(
                "channel_journeys",
                "organisation_id",
                "organisations",
                false,
            ))
            .foreign_key(&mut fk("channel_journeys", "recorded_by", "users", false))
            .foreign_key(&mut fk(
                "channel_journeys",
                "api_token_id",
                "api_tokens",
                false,
            ));
        create(
            m,
            t,
            vec![index(
                "channel_journeys",
                &["agreement_id", "period_start"],
                false,
            )],
        )
        .await?;

        let db = m.get_connection();
        // Both SQLite and PostgreSQL index expressions.
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_channel_journeys_flow ON channel_journeys \
             (agreement_id, service_id, period_start, organisation_id, started_on, \
             COALESCE(ended_on, ''))",
        )
        .await?;
        let backend = m.get_database_backend();
        for sql in crate::triggers_for(backend, "channel_journeys") {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "channel_journeys").await
    }
}
