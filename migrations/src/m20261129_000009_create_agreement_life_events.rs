//! Creates `agreement_life_events` (see DOMAIN.md). Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table("agreement_life_events", false);
        t.col(integer(c("agreement_id")))
            .col(integer(c("life_event_id")))
            .foreign_key(&mut fk(
                "agreement_life_events",
                "agreement_id",
                "agreements",
                true,
            ))
            .foreign_key(&mut fk(
                "agreement_life_events",
                "life_event_id",
                "life_events",
                false,
            ));
        create(
            m,
            t,
            vec![index(
                "agreement_life_events",
                &["agreement_id", "life_event_id"],
                true,
            )],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "agreement_life_events").await
    }
}
