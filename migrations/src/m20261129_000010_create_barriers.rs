//! Creates `barriers` (see DOMAIN.md). Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table("barriers", true);
        t.col(integer(c("agreement_id")))
            .col(string(c("category")))
            .col(text(c("description")))
            .col(small_integer(c("severity")))
            .col(text_null(c("mitigation")))
            .col(integer_null(c("owner_id")))
            .col(string(c("status")))
            .foreign_key(&mut fk("barriers", "agreement_id", "agreements", true))
            .foreign_key(&mut fk("barriers", "owner_id", "organisations", false));
        create(m, t, vec![index("barriers", &["agreement_id"], false)]).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "barriers").await
    }
}
