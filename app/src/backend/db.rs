//! Connecting to SQLite or PostgreSQL, and beginning write transactions.
//! No queries here.

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};
use std::time::Duration;

/// Connects to `url` (`sqlite://path?mode=rwc` or `postgres://…`).
///
/// SQLite connections use WAL, a busy timeout and enforced foreign keys, so
/// concurrent writers wait instead of failing with "database is locked".
///
/// Fails when the database cannot be reached or opened.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut opts = options(url);
    opts.max_connections(if url.starts_with("sqlite:") { 8 } else { 16 });
    Database::connect(opts).await
}

/// Connects to `url` as [`connect`] does, over one connection: for
/// migrating. SQLite migrations run statement by statement, outside a
/// transaction; over a pool, a connection still reading from before a
/// `DROP TABLE` that another connection committed sees the old table
/// (`CREATE TABLE IF NOT EXISTS` skips it, the index after it fails).
///
/// Fails when the database cannot be reached or opened.
pub async fn connect_one(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut opts = options(url);
    opts.max_connections(1);
    Database::connect(opts).await
}

fn options(url: &str) -> ConnectOptions {
    let mut opts = ConnectOptions::new(url.to_owned());
    // A database that does not answer (stopped, restarting) fails a
    // request within five seconds, as a 503 (`error::is_unavailable`),
    // instead of holding it; the pool reconnects once it answers again.
    opts.sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(5))
        .connect_timeout(Duration::from_secs(3))
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                .create_if_missing(true)
                // Reads of a large portfolio (benchmarks) come from memory:
                // 32 MiB of page cache per connection, and the file mapped.
                .pragma("cache_size", "-32768")
                .pragma("mmap_size", "1073741824")
        });
    opts
}

/// Begins a transaction that will write. On SQLite it starts `IMMEDIATE`,
/// taking the write lock at once so concurrent writers queue (under the
/// busy timeout) instead of failing when a read lock cannot be upgraded;
/// PostgreSQL ignores the mode.
///
/// Its first statement moves the count of changes on (`cache`), which the
/// tables' triggers would do anyway: on PostgreSQL, every writer then takes
/// that one row's lock first, so two writers cannot each hold a row the
/// other's trigger waits for.
///
/// Fails when the database cannot start a transaction.
pub async fn write_tx<C: sea_orm::TransactionTrait>(db: &C) -> Result<C::Transaction, DbErr> {
    use sea_orm::ConnectionTrait;
    let tx = db
        .begin_with_options(sea_orm::TransactionOptions {
            sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?;
    tx.execute_unprepared("UPDATE data_versions SET n = n + 1 WHERE id = 1")
        .await?;
    Ok(tx)
}
