//! Tell Us Once (issue 21), the notices themselves: each jurisdiction's
//! holidays (`holidays`, kept by admins), so that working days can be
//! counted; the notices an intake party records (`life_event_notices`: an
//! opaque case reference in the intake party's own system, never a name,
//! an address or any other personal data); one delivery per party that
//! must be told (`life_event_deliveries`), with the targets of the
//! propagation term in force when the notice was received and what the
//! party did, and when. (The two catalogue KPIs derived from deliveries are
//! rows, not schema: the server adds them when missing, see
//! `services::notices::ensure_derived_kpis`.)
//! Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::sea_orm::ConnectionTrait;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut h = table("holidays", false);
        h.col(integer(c("jurisdiction_id")))
            .col(date(c("day")))
            .col(string(c("name")))
            .col(string_null(c("name_fr")))
            .foreign_key(&mut fk(
                "holidays",
                "jurisdiction_id",
                "jurisdictions",
                true,
            ));
        create(
            m,
            h,
            vec![index("holidays", &["jurisdiction_id", "day"], true)],
        )
        .await?;

        let mut n = table("life_event_notices", false);
        n.col(integer(c("agreement_id")))
            .col(integer(c("life_event_id")))
            .col(integer(c("intake_id")))
            .col(date(c("received_on")))
            .col(string(c("channel")))
            .col(string(c("case_reference")))
            .col(integer_null(c("recorded_by")))
            .col(integer_null(c("api_token_id")))
            .foreign_key(&mut fk(
                "life_event_notices",
                "agreement_id",
                "agreements",
                true,
            ))
            .foreign_key(&mut fk(
                "life_event_notices",
                "life_event_id",
                "life_events",
                false,
            ))
            .foreign_key(&mut fk(
                "life_event_notices",
                "intake_id",
                "organisations",
                false,
            ))
            .foreign_key(&mut fk("life_event_notices", "recorded_by", "users", false))
            .foreign_key(&mut fk(
                "life_event_notices",
                "api_token_id",
                "api_tokens",
                false,
            ));
        create(
            m,
            n,
            vec![
                // A partner's system may send a notice twice: the second is
                // refused, not counted twice.
                index(
                    "life_event_notices",
                    &["agreement_id", "life_event_id", "case_reference"],
                    true,
                ),
                index(
                    "life_event_notices",
                    &["agreement_id", "received_on"],
                    false,
                ),
            ],
        )
        .await?;

        let mut d = table("life_event_deliveries", true);
        d.col(integer(c("notice_id")))
            .col(integer(c("agreement_id")))
            .col(integer(c("organisation_id")))
            .col(date(c("received_on")))
            .col(integer(c("acknowledge_days")))
            .col(integer(c("act_days")))
            .col(date_null(c("acknowledged_on")))
            .col(date_null(c("acted_on")))
            .col(text_null(c("outcome")))
            .col(date_null(c("declined_on")))
            .col(text_null(c("decline_reason")))
            .foreign_key(&mut fk(
                "life_event_deliveries",
                "notice_id",
                "life_event_notices",
                true,
            ))
            .foreign_key(&mut fk(
                "life_event_deliveries",
                "agreement_id",
                "agreements",
                true,
            ))
            .foreign_key(&mut fk(
                "life_event_deliveries",
                "organisation_id",
                "organisations",
                false,
            ));
        create(
            m,
            d,
            vec![
                index(
                    "life_event_deliveries",
                    &["notice_id", "organisation_id"],
                    true,
                ),
                index(
                    "life_event_deliveries",
                    &["organisation_id", "agreement_id", "received_on"],
                    false,
                ),
            ],
        )
        .await?;

        let db = m.get_connection();
        let backend = m.get_database_backend();
        for table in ["holidays", "life_event_notices", "life_event_deliveries"] {
            for sql in crate::triggers_for(backend, table) {
                db.execute_unprepared(&sql).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, "life_event_deliveries").await?;
        drop_table(m, "life_event_notices").await?;
        drop_table(m, "holidays").await
    }
}
