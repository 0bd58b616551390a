//! Indexes for reading kept results one commitment (or one agreement) at a
//! time over a range of periods: benchmarks grouped by commitment walk the
//! commitments and, for each, seek its periods in this covering index, so
//! the rows come grouped without sorting; the same for each agreement's
//! totals over long ranges.

use crate::common::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const BY_COMMITMENT: &str = "ix_commitment_periods_by_commitment";
const BY_AGREEMENT: &str = "ix_agreement_period_totals_by_agreement";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, cols) in [
            (
                BY_COMMITMENT,
                "commitment_periods",
                &[
                    "commitment_id",
                    "period_start",
                    "period_end",
                    "met",
                    "at_risk",
                    "breached",
                    "unreported",
                    "due_on",
                ][..],
            ),
            (
                BY_AGREEMENT,
                "agreement_period_totals",
                &[
                    "agreement_id",
                    "period_start",
                    "period_end",
                    "met",
                    "at_risk",
                    "breached",
                    "unreported",
                    "max_due_on",
                ][..],
            ),
        ] {
            m.create_index(index(table, cols, false).name(name).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in [
            (BY_COMMITMENT, "commitment_periods"),
            (BY_AGREEMENT, "agreement_period_totals"),
        ] {
            m.drop_index(Index::drop().name(name).table(c(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
