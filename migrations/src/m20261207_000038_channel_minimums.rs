//! Minimum service levels (issue 22): the share of all transactions an
//! agreement keeps on a channel (for example in person at least 30 %), so
//! that moving volume to cheaper channels leaves the traditional ones
//! available to those who need them. Part of the terms: versioned and
//! approved like the rest, and, like the rest, the rows here are the terms
//! in force. Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::sea_orm::ConnectionTrait;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table("channel_minimums", true);
        t.col(integer(c("agreement_id")))
            .col(string(c("channel")))
            .col(exact_decimal(m, "share").not_null())
            .foreign_key(&mut fk(
                "channel_minimums",
                "agreement_id",
                "agreements",
                true,
            ));
        create(
            m,
            t,
            vec![index(
                "channel_minimums",
                &["agreement_id", "channel"],
                true,
            )],
        )
        .await?;
        // Its changes move the data's count, as every table a read shows.
        let db = m.get_connection();
        for sql in crate::triggers_for(m.get_database_backend(), "channel_minimums") {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "channel_minimums").await
    }
}
