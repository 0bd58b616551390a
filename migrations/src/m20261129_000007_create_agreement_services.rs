//! Creates `agreement_services` (see DOMAIN.md). Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table("agreement_services", false);
        t.col(integer(c("agreement_id")))
            .col(string(c("name")))
            .col(string_null(c("name_fr")))
            .col(integer(c("delivered_by")))
            .col(string(c("channels")))
            .foreign_key(&mut fk(
                "agreement_services",
                "agreement_id",
                "agreements",
                true,
            ))
            .foreign_key(&mut fk(
                "agreement_services",
                "delivered_by",
                "organisations",
                false,
            ));
        create(
            m,
            t,
            vec![index("agreement_services", &["agreement_id"], false)],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "agreement_services").await
    }
}
