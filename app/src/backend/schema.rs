//! Bringing a database to this version of Concord: every pending schema
//! migration, then the data upgrades that need the services' rules.

use migrations::{MigrationStatus, Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr};

/// Applies every pending migration, then judges reports kept from before
/// their results were. Fails when a migration or the judging fails.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await?;
    // Version snapshots stored before the terms schema, in today's shape
    // (before the results below are judged from them).
    crate::backend::services::versions::upgrade_stored(db)
        .await
        .map_err(|e| DbErr::Custom(e.to_string()))?;
    // Results judged from reports written before they were kept.
    crate::backend::services::results::backfill(db)
        .await
        .map_err(|e| DbErr::Custom(e.to_string()))?;
    Ok(())
}

/// Every migration this version of Concord knows, in order, and whether
/// `db` has applied it. Changes nothing, not even on an empty database.
pub async fn status(db: &impl ConnectionTrait) -> Result<Vec<(String, bool)>, DbErr> {
    Ok(Migrator::get_migration_with_status_read_only(db)
        .await?
        .iter()
        .map(|m| (m.name().to_owned(), m.status() == MigrationStatus::Applied))
        .collect())
}
