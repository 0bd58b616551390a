//! Creates `cost_models` (see DOMAIN.md). Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table("cost_models", true);
        t.col(integer(c("agreement_id")))
            .col(string(c("kind")))
            .col(exact_decimal(m, "fixed_portion").null())
            .col(json_null(c("channel_weights")))
            .foreign_key(&mut fk("cost_models", "agreement_id", "agreements", true));
        create(m, t, vec![index("cost_models", &["agreement_id"], true)]).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "cost_models").await
    }
}
