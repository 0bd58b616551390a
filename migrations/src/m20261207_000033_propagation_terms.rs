//! Tell Us Once (issue 21): an agreement's propagation terms. For a life
//! event it covers, the party that receives the citizen's notice (the
//! intake party), the parties that must be told (`told`, a JSON list of
//! organisation ids) and the target times to acknowledge and to act, in
//! working days. Part of the terms: versioned and approved like the rest,
//! and, like the rest, the rows here are the terms in force.
//! Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::sea_orm::ConnectionTrait;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table("propagation_terms", true);
        t.col(integer(c("agreement_id")))
            .col(integer(c("life_event_id")))
            .col(integer(c("intake_id")))
            .col(json(c("told")))
            .col(integer(c("acknowledge_days")))
            .col(integer(c("act_days")))
            .foreign_key(&mut fk(
                "propagation_terms",
                "agreement_id",
                "agreements",
                true,
            ))
            .foreign_key(&mut fk(
                "propagation_terms",
                "life_event_id",
                "life_events",
                false,
            ))
            .foreign_key(&mut fk(
                "propagation_terms",
                "intake_id",
                "organisations",
                false,
            ));
        create(
            m,
            t,
            vec![index(
                "propagation_terms",
                &["agreement_id", "life_event_id"],
                true,
            )],
        )
        .await?;
        // Its changes move the data's count, as every table a read shows.
        let db = m.get_connection();
        for sql in crate::triggers_for(m.get_database_backend(), "propagation_terms") {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "propagation_terms").await
    }
}
