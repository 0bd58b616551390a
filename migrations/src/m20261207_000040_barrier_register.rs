//! The living barrier register (issue 23): each barrier gets a stable id
//! within its agreement (`key`: `B-1`, `B-2`… in the order the barriers were
//! recorded, for those that exist), the actions under way (`actions`,
//! `actions_fr`), the day it was first recorded (`recorded_on`: for those
//! that exist, the day their row was written), whether it is still in the
//! terms in force (`in_force`: a barrier an amendment removes keeps its row
//! and its history), and the owning party's last update made without an
//! amendment (`register_version`: the agreement's latest version number
//! then; `register_updated_at`, `register_updated_by`).
//! The table already has its data-version triggers (000031).
//! Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One column a statement: SQLite adds a single column per `ALTER TABLE`.
async fn add(m: &SchemaManager<'_>, col: ColumnDef) -> Result<(), DbErr> {
    let mut col = col;
    m.alter_table(
        Table::alter()
            .table(c("barriers"))
            .add_column(&mut col)
            .to_owned(),
    )
    .await
}

/// The columns this migration adds, in order.
const COLUMNS: [&str; 8] = [
    "key",
    "actions",
    "actions_fr",
    "recorded_on",
    "in_force",
    "register_version",
    "register_updated_at",
    "register_updated_by",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add(m, string(c("key")).default("").to_owned()).await?;
        add(m, text_null(c("actions"))).await?;
        add(m, text_null(c("actions_fr"))).await?;
        add(m, date(c("recorded_on")).default("2026-01-01").to_owned()).await?;
        add(m, boolean(c("in_force")).default(true).to_owned()).await?;
        add(m, integer_null(c("register_version"))).await?;
        add(m, timestamp_with_time_zone_null(c("register_updated_at"))).await?;
        add(m, integer_null(c("register_updated_by"))).await?;

        // The barriers that exist get `B-1`, `B-2`… by the order they were
        // recorded in (their ids), and the day their row was written.
        let db = m.get_connection();
        db.execute_unprepared(
            "UPDATE barriers SET \"key\" = 'B-' || CAST((SELECT COUNT(*) \
             FROM barriers o WHERE o.agreement_id = barriers.agreement_id \
             AND o.id <= barriers.id) AS TEXT)",
        )
        .await?;
        let day = match m.get_database_backend() {
            DatabaseBackend::Sqlite => {
                "UPDATE barriers SET recorded_on = substr(created_at, 1, 10)"
            }
            _ => "UPDATE barriers SET recorded_on = CAST(created_at AS DATE)",
        };
        db.execute_unprepared(day).await?;
        m.create_index(index("barriers", &["agreement_id", "key"], true))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_barriers_agreement_id_key")
                .table(c("barriers"))
                .to_owned(),
        )
        .await?;
        for col in COLUMNS.iter().rev() {
            m.alter_table(
                Table::alter()
                    .table(c("barriers"))
                    .drop_column(c(col))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
