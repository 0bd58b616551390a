//! Creates `approvals` (see DOMAIN.md). Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table("approvals", false);
        t.col(integer(c("agreement_id")))
            .col(integer(c("version_number")))
            .col(integer(c("organisation_id")))
            .col(integer(c("approver_id")))
            .col(timestamp_with_time_zone_null(c("withdrawn_at")))
            .foreign_key(&mut fk("approvals", "agreement_id", "agreements", true))
            .foreign_key(&mut fk(
                "approvals",
                "organisation_id",
                "organisations",
                false,
            ))
            .foreign_key(&mut fk("approvals", "approver_id", "users", false));
        create(
            m,
            t,
            vec![index(
                "approvals",
                &["agreement_id", "version_number"],
                false,
            )],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "approvals").await
    }
}
