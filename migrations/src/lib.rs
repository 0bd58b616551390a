//! The database schema as sea-orm migrations, one file per table or change,
//! shared by SQLite and PostgreSQL. Holds no data and no queries.

pub use sea_orm_migration::MigrationStatus;
pub use sea_orm_migration::prelude::*;

mod common;
mod m20261129_000001_create_jurisdictions;
mod m20261129_000002_create_organisations;
mod m20261129_000003_create_users;
mod m20261129_000004_create_agreements;
mod m20261129_000005_create_agreement_versions;
mod m20261129_000006_create_agreement_parties;
mod m20261129_000007_create_agreement_services;
mod m20261129_000008_create_life_events;
mod m20261129_000009_create_agreement_life_events;
mod m20261129_000010_create_barriers;
mod m20261129_000011_create_governance_sections;
mod m20261129_000012_create_comments;
mod m20261129_000013_create_approvals;
mod m20261129_000014_create_cost_models;
mod m20261129_000015_create_cost_model_lines;
mod m20261129_000016_create_cost_entries;
mod m20261129_000017_create_transaction_volumes;
mod m20261129_000018_create_kpis;
mod m20261129_000019_create_commitments;
mod m20261129_000020_create_api_tokens;
mod m20261129_000021_create_service_level_reports;
mod m20261129_000022_create_audit_events;
mod m20261129_000023_create_revoked_tokens;
mod m20261129_000024_create_notifications;
mod m20261129_000025_create_login_failures;
mod m20261129_000026_create_password_resets;
mod m20261129_000027_audit_events_append_only;
mod m20261130_000028_create_commitment_periods;
mod m20261130_000029_index_results_by_commitment;
mod m20261206_000030_amendments;
mod m20261206_000031_data_version;
mod m20261207_000032_languages;
mod m20261207_000033_propagation_terms;
mod m20261207_000034_life_event_notices;
mod m20261207_000035_service_inventory;
mod m20261207_000036_satisfaction_surveys;
mod m20261207_000037_channel_journeys;
mod m20261207_000038_channel_minimums;
mod m20261207_000039_commitment_services;
mod m20261207_000040_barrier_register;
mod m20261207_000041_publication;

pub use m20261206_000031_data_version::{UNVERSIONED, triggers_for};

/// Every migration, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261129_000001_create_jurisdictions::Migration),
            Box::new(m20261129_000002_create_organisations::Migration),
            Box::new(m20261129_000003_create_users::Migration),
            Box::new(m20261129_000004_create_agreements::Migration),
            Box::new(m20261129_000005_create_agreement_versions::Migration),
            Box::new(m20261129_000006_create_agreement_parties::Migration),
            Box::new(m20261129_000007_create_agreement_services::Migration),
            Box::new(m20261129_000008_create_life_events::Migration),
            Box::new(m20261129_000009_create_agreement_life_events::Migration),
            Box::new(m20261129_000010_create_barriers::Migration),
            Box::new(m20261129_000011_create_governance_sections::Migration),
            Box::new(m20261129_000012_create_comments::Migration),
            Box::new(m20261129_000013_create_approvals::Migration),
            Box::new(m20261129_000014_create_cost_models::Migration),
            Box::new(m20261129_000015_create_cost_model_lines::Migration),
            Box::new(m20261129_000016_create_cost_entries::Migration),
            Box::new(m20261129_000017_create_transaction_volumes::Migration),
            Box::new(m20261129_000018_create_kpis::Migration),
            Box::new(m20261129_000019_create_commitments::Migration),
            Box::new(m20261129_000020_create_api_tokens::Migration),
            Box::new(m20261129_000021_create_service_level_reports::Migration),
            Box::new(m20261129_000022_create_audit_events::Migration),
            Box::new(m20261129_000023_create_revoked_tokens::Migration),
            Box::new(m20261129_000024_create_notifications::Migration),
            Box::new(m20261129_000025_create_login_failures::Migration),
            Box::new(m20261129_000026_create_password_resets::Migration),
            Box::new(m20261129_000027_audit_events_append_only::Migration),
            Box::new(m20261130_000028_create_commitment_periods::Migration),
            Box::new(m20261130_000029_index_results_by_commitment::Migration),
            Box::new(m20261206_000030_amendments::Migration),
            Box::new(m20261206_000031_data_version::Migration),
            Box::new(m20261207_000032_languages::Migration),
            Box::new(m20261207_000033_propagation_terms::Migration),
            Box::new(m20261207_000034_life_event_notices::Migration),
            Box::new(m20261207_000035_service_inventory::Migration),
            Box::new(m20261207_000036_satisfaction_surveys::Migration),
            Box::new(m20261207_000037_channel_journeys::Migration),
            Box::new(m20261207_000038_channel_minimums::Migration),
            Box::new(m20261207_000039_commitment_services::Migration),
            Box::new(m20261207_000040_barrier_register::Migration),
            Box::new(m20261207_000041_publication::Migration),
        ]
    }
}
