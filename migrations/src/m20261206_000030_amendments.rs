//! Amendments that only every party can bring into force: a version can be
//! withdrawn (`agreement_versions.withdrawn_at`), and `proposed_parties`
//! lists the organisations a pending amendment names, so that each of them
//! sees it and is asked to approve it while `agreement_parties` keeps the
//! parties in force. Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(c("agreement_versions"))
                .add_column(timestamp_with_time_zone_null(c("withdrawn_at")))
                .to_owned(),
        )
        .await?;
        let mut t = table("proposed_parties", false);
        t.col(integer(c("agreement_id")))
            .col(integer(c("version_number")))
            .col(integer(c("organisation_id")))
            .foreign_key(&mut fk(
                "proposed_parties",
                "agreement_id",
                "agreements",
                true,
            ))
            .foreign_key(&mut fk(
                "proposed_parties",
                "organisation_id",
                "organisations",
                false,
            ));
        create(
            m,
            t,
            vec![
                index(
                    "proposed_parties",
                    &["agreement_id", "organisation_id"],
                    true,
                ),
                index("proposed_parties", &["organisation_id"], false),
            ],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "proposed_parties").await?;
        m.alter_table(
            Table::alter()
                .table(c("agreement_versions"))
                .drop_column(c("withdrawn_at"))
                .to_owned(),
        )
        .await
    }
}
