//! A count of the changes to the data, `data_versions.n` (one row), moved on
//! by a trigger on every table a read may show, in the same transaction as
//! the change: a server may keep an answer computed at version `n` for as
//! long as the count stays at `n` (issue 18). Triggers, not application
//! code, so that no write (an import, a script, another server) is missed.
//!
//! Left out: the tables no answer is computed from (`audit_events`, the
//! sign-in bookkeeping, API tokens) and the count itself. A table created later needs
//! its triggers too: `schema::tables_without_version_triggers` lists any
//! that lack them, and a test fails on it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Tables whose changes no cached answer depends on. `api_tokens` among
/// them: every partner system's call touches its token's `last_used_at`
/// (once a minute), which would otherwise empty every server's cache each
/// time and, on PostgreSQL, take the count's lock outside `write_tx`'s
/// order (the token's row first), where it could deadlock with a write.
pub const UNVERSIONED: [&str; 7] = [
    "data_versions",
    "seaql_migrations",
    "audit_events",
    "revoked_tokens",
    "login_failures",
    "password_resets",
    "api_tokens",
];

/// The statements that give `table` its triggers.
pub fn triggers_for(backend: DatabaseBackend, table: &str) -> Vec<String> {
    match backend {
        DatabaseBackend::Sqlite => ["INSERT", "UPDATE", "DELETE"]
            .iter()
            .map(|op| {
                format!(
                    "CREATE TRIGGER {table}_version_{} AFTER {op} ON {table} \
                     BEGIN UPDATE data_versions SET n = n + 1 WHERE id = 1; END",
                    op.to_lowercase()
                )
            })
            .collect(),
        _ => vec![format!(
            "CREATE TRIGGER {table}_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE \
             ON {table} FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()"
        )],
    }
}

async fn tables(db: &impl ConnectionTrait) -> Result<Vec<String>, DbErr> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        _ => {
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        }
    };
    let rows = db
        .query_all_raw(Statement::from_string(backend, sql))
        .await?;
    let mut names = Vec::new();
    for row in rows {
        let name: String = row.try_get("", "name")?;
        if !UNVERSIONED.contains(&name.as_str()) {
            names.push(name);
        }
    }
    Ok(names)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let backend = m.get_database_backend();
        db.execute_unprepared(
            "CREATE TABLE data_versions (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)",
        )
        .await?;
        db.execute_unprepared("INSERT INTO data_versions (id, n) VALUES (1, 0)")
            .await?;
        if backend != DatabaseBackend::Sqlite {
            db.execute_unprepared(
                "CREATE FUNCTION bump_data_version() RETURNS trigger AS $$ \
                 BEGIN UPDATE data_versions SET n = n + 1 WHERE id = 1; RETURN NULL; END; \
                 $$ LANGUAGE plpgsql",
            )
            .await?;
        }
        for table in tables(db).await? {
            for sql in triggers_for(backend, &table) {
                db.execute_unprepared(&sql).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let backend = m.get_database_backend();
        for table in tables(db).await? {
            match backend {
                DatabaseBackend::Sqlite => {
                    for op in ["insert", "update", "delete"] {
                        db.execute_unprepared(&format!(
                            "DROP TRIGGER IF EXISTS {table}_version_{op}"
                        ))
                        .await?;
                    }
                }
                _ => {
                    db.execute_unprepared(&format!(
                        "DROP TRIGGER IF EXISTS {table}_version ON {table}"
                    ))
                    .await?;
                }
            }
        }
        if backend != DatabaseBackend::Sqlite {
            db.execute_unprepared("DROP FUNCTION IF EXISTS bump_data_version()")
                .await?;
        }
        db.execute_unprepared("DROP TABLE data_versions").await?;
        Ok(())
    }
}
