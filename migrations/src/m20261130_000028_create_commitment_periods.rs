//! Creates `commitment_periods`: one row for every period each commitment
//! owes over its term, holding the judged result of its latest report
//! (judged under the terms in force then) or marking it unreported, with
//! its due date. Kept in the same transaction as every report and
//! re-judged when an agreement's terms change, so that benchmarks
//! aggregate in SQL (counts of 0/1 flags over one covering index) instead
//! of judging every report on every request. Filled by the application
//! after migrating (judging needs the domain rules). Also creates
//! `agreement_period_totals`: each agreement's sums by period, moved in the
//! same transactions, for the groupings by agreement, and
//! `dimension_period_totals`, the same by party, KPI and channel.
//! Shipped migrations are never edited: add a new one.

use crate::common::*;
use sea_orm_migration::{prelude::*, schema::*};

const T: &str = "commitment_periods";
const TOTALS: &str = "agreement_period_totals";
const DIMENSIONS: &str = "dimension_period_totals";

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table(T, false);
        t.col(integer(c("commitment_id")))
            .col(integer(c("agreement_id")))
            .col(integer(c("organisation_id")))
            .col(integer(c("kpi_id")))
            .col(string_null(c("channel")))
            .col(string(c("period")))
            .col(date(c("period_start")))
            .col(date(c("period_end")))
            .col(date(c("due_on")))
            .col(integer(c("revision")))
            .col(string(c("status")))
            .col(small_integer(c("met")))
            .col(small_integer(c("at_risk")))
            .col(small_integer(c("breached")))
            .col(small_integer(c("unreported")))
            .col(exact_decimal(m, "value").null())
            .col(exact_decimal(m, "numerator").null())
            .col(exact_decimal(m, "denominator").null())
            .col(big_integer_null(c("volume")))
            .foreign_key(&mut fk(T, "commitment_id", "commitments", true))
            .foreign_key(&mut fk(T, "agreement_id", "agreements", true));
        // The benchmarks' aggregate reads only this index (it covers every
        // column the query names), in period order.
        let mut covering = Index::create();
        covering
            .name("ix_commitment_periods_benchmarks")
            .table(c(T));
        for col in [
            "period_start",
            "period_end",
            "agreement_id",
            "met",
            "at_risk",
            "breached",
            "unreported",
            "due_on",
            "kpi_id",
            "organisation_id",
            "channel",
            "commitment_id",
        ] {
            covering.col(c(col));
        }
        // With one KPI: its rows in period order, with their values.
        let mut kpis = Index::create();
        kpis.name("ix_commitment_periods_kpis").table(c(T));
        for col in [
            "kpi_id",
            "period_start",
            "period_end",
            "agreement_id",
            "met",
            "at_risk",
            "breached",
            "unreported",
            "due_on",
            "organisation_id",
            "channel",
            "commitment_id",
            "value",
            "numerator",
            "denominator",
            "volume",
        ] {
            kpis.col(c(col));
        }
        create(
            m,
            t,
            vec![
                index(T, &["commitment_id", "period"], true),
                index(T, &["agreement_id"], false),
                covering,
                kpis,
            ],
        )
        .await?;
        // Each agreement's totals by period (start and end: a month and a
        // quarter may start on the same day): the sums of its rows' flags
        // and the latest due date among them, moved by the same writes.
        let mut t = table(TOTALS, false);
        t.col(integer(c("agreement_id")))
            .col(date(c("period_start")))
            .col(date(c("period_end")))
            .col(integer(c("met")))
            .col(integer(c("at_risk")))
            .col(integer(c("breached")))
            .col(integer(c("unreported")))
            .col(date(c("max_due_on")))
            .foreign_key(&mut fk(TOTALS, "agreement_id", "agreements", true));
        let mut covering = Index::create();
        covering
            .name("ix_agreement_period_totals_benchmarks")
            .table(c(TOTALS));
        for col in [
            "period_start",
            "period_end",
            "agreement_id",
            "met",
            "at_risk",
            "breached",
            "unreported",
            "max_due_on",
        ] {
            covering.col(c(col));
        }
        create(
            m,
            t,
            vec![
                index(
                    TOTALS,
                    &["agreement_id", "period_start", "period_end"],
                    true,
                ),
                covering,
            ],
        )
        .await?;
        // The same totals by party, KPI and channel across every agreement
        // (`dimension` is `organisation`, `kpi` or `channel`; `key` the id
        // or channel, empty for none), for executives' unfiltered views.
        let mut t = table(DIMENSIONS, false);
        t.col(string(c("dimension")))
            .col(string(c("key")))
            .col(date(c("period_start")))
            .col(date(c("period_end")))
            .col(integer(c("met")))
            .col(integer(c("at_risk")))
            .col(integer(c("breached")))
            .col(integer(c("unreported")))
            .col(date(c("max_due_on")));
        let mut covering = Index::create();
        covering
            .name("ix_dimension_period_totals_benchmarks")
            .table(c(DIMENSIONS));
        for col in [
            "dimension",
            "period_start",
            "period_end",
            "key",
            "met",
            "at_risk",
            "breached",
            "unreported",
            "max_due_on",
        ] {
            covering.col(c(col));
        }
        create(
            m,
            t,
            vec![
                index(
                    DIMENSIONS,
                    &["dimension", "key", "period_start", "period_end"],
                    true,
                ),
                covering,
            ],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_table(m, DIMENSIONS).await?;
        drop_table(m, TOTALS).await?;
        drop_table(m, T).await
    }
}
