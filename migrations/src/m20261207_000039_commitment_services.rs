//! A service-level commitment may name the service it is about (issue 22):
//! `service_code`, the code of one of the agreement's services (`S-1`),
//! absent for a commitment on the whole partnership.
//! Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(c("commitments"))
                .add_column(string_null(c("service_code")))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(c("commitments"))
                .drop_column(c("service_code"))
                .to_owned(),
        )
        .await
    }
}
