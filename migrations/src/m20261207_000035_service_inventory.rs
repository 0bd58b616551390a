//! The service inventory (issue 22): each service of an agreement gets a
//! stable id (`code`, unique within the agreement: `S-1`, `S-2`… in the
//! order the services were recorded, for those that exist), its client
//! types, service type, fee, the stages that can be done online end to end,
//! and whether it is still in the terms in force (`in_force`: a service an
//! amendment removes keeps its row, so that the volumes recorded against it
//! keep their history). Its service standards, one per channel, are rows of
//! `service_standards`. A transaction volume may name the service it was
//! delivered for (`service_id`) and how many of its transactions met that
//! channel's standard (`meeting_standard`).
//! Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::sea_orm::ConnectionTrait;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One column a statement: SQLite adds a single column per `ALTER TABLE`.
async fn add(m: &SchemaManager<'_>, table: &str, col: ColumnDef) -> Result<(), DbErr> {
    let mut col = col;
    m.alter_table(
        Table::alter()
            .table(c(table))
            .add_column(&mut col)
            .to_owned(),
    )
    .await
}

async fn drop(m: &SchemaManager<'_>, table: &str, column: &str) -> Result<(), DbErr> {
    m.alter_table(
        Table::alter()
            .table(c(table))
            .drop_column(c(column))
            .to_owned(),
    )
    .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add(
            m,
            "agreement_services",
            string(c("code")).default("").to_owned(),
        )
        .await?;
        add(
            m,
            "agreement_services",
            string(c("client_types")).default("").to_owned(),
        )
        .await?;
        add(
            m,
            "agreement_services",
            string(c("service_type")).default("other").to_owned(),
        )
        .await?;
        add(
            m,
            "agreement_services",
            exact_decimal(m, "fee").null().to_owned(),
        )
        .await?;
        add(
            m,
            "agreement_services",
            string(c("online_stages")).default("").to_owned(),
        )
        .await?;
        add(
            m,
            "agreement_services",
            boolean(c("in_force")).default(true).to_owned(),
        )
        .await?;

        // The services that exist get `S-1`, `S-2`… by the order they were
        // recorded in (their ids), as `domain::service::default_code` says.
        let db = m.get_connection();
        db.execute_unprepared(
            "UPDATE agreement_services SET code = 'S-' || CAST((SELECT COUNT(*) \
             FROM agreement_services o WHERE o.agreement_id = agreement_services.agreement_id \
             AND o.id <= agreement_services.id) AS TEXT)",
        )
        .await?;
        m.create_index(index("agreement_services", &["agreement_id", "code"], true))
            .await?;

        let mut s = table("service_standards", false);
        s.col(integer(c("service_id")))
            .col(string(c("channel")))
            .col(text(c("standard")))
            .col(text_null(c("standard_fr")))
            .col(exact_decimal(m, "target").not_null().to_owned())
            .foreign_key(&mut fk(
                "service_standards",
                "service_id",
                "agreement_services",
                true,
            ));
        create(
            m,
            s,
            vec![index("service_standards", &["service_id", "channel"], true)],
        )
        .await?;

        // No foreign key: SQLite cannot add one to an existing table. The
        // service is checked to be the agreement's when a volume is recorded,
        // and service rows are never deleted while their agreement exists.
        add(m, "transaction_volumes", integer_null(c("service_id"))).await?;
        add(
            m,
            "transaction_volumes",
            big_integer_null(c("meeting_standard")),
        )
        .await?;
        m.create_index(index(
            "transaction_volumes",
            &["service_id", "period_start"],
            false,
        ))
        .await?;

        let backend = m.get_database_backend();
        for sql in crate::triggers_for(backend, "service_standards") {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_transaction_volumes_service_id_period_start")
                .table(c("transaction_volumes"))
                .to_owned(),
        )
        .await?;
        drop(m, "transaction_volumes", "meeting_standard").await?;
        drop(m, "transaction_volumes", "service_id").await?;
        drop_table(m, "service_standards").await?;
        m.drop_index(
            Index::drop()
                .name("ix_agreement_services_agreement_id_code")
                .table(c("agreement_services"))
                .to_owned(),
        )
        .await?;
        for col in [
            "in_force",
            "online_stages",
            "fee",
            "service_type",
            "client_types",
            "code",
        ] {
            drop(m, "agreement_services", col).await?;
        }
        Ok(())
    }
}
