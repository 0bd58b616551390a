//! Publication as a term (issue 23): `agreements.published`, whether every
//! party agreed to publish the agreement as open contracting data. It is
//! read as in force only once a version is: an amendment that proposes it
//! changes nothing until approved.
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
                .table(c("agreements"))
                .add_column(boolean(c("published")).default(false))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(c("agreements"))
                .drop_column(c("published"))
                .to_owned(),
        )
        .await
    }
}
