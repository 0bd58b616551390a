//! Copies of a whole database (issue 19): a portable export that restores
//! into an empty database of either kind — how an installation moves from
//! the embedded SQLite to PostgreSQL — and an online backup of an SQLite
//! file while it serves.
//!
//! An export is a directory: `manifest.json` (the format, the migrations
//! the data is shaped by, each table's file and row count) and one file of
//! JSON lines per table, a row a line, in the shape of the table's entity.
//! Money and measures are the exact decimal text, dates ISO 8601, so
//! nothing is rounded on the way between databases.

use crate::backend::db;
use crate::backend::entities::*;
use sea_orm::{
    AccessMode, ActiveModelTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr,
    EntityTrait, IntoActiveModel, IsolationLevel, Iterable, PaginatorTrait, PrimaryKeyToColumn,
    QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

/// What an export says of itself.
pub const FORMAT: &str = "concord-export";
/// The layout of the files; a restore refuses any other.
pub const FORMAT_VERSION: u32 = 1;
/// Rows read, or written, per statement.
const PAGE: u64 = 500;

/// Why an export, restore or backup could not be made. Nothing is written
/// to the database when a restore fails.
#[derive(Debug, thiserror::Error)]
pub enum PortableError {
    #[error("{0}")]
    Refused(String),
    #[error("{path}: {source}")]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}, line {line}: {message}")]
    Row {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("database: {0}")]
    Db(#[from] DbErr),
}

fn file_error(path: &Path) -> impl FnOnce(std::io::Error) -> PortableError + '_ {
    move |source| PortableError::File {
        path: path.to_owned(),
        source,
    }
}

/// `manifest.json`.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    /// The version of Concord that wrote it.
    pub concord_version: String,
    pub exported_at: chrono::DateTime<chrono::Utc>,
    /// The migrations the data is shaped by, in order.
    pub migrations: Vec<String>,
    pub tables: Vec<TableCount>,
}

/// One table of an export: its name, file and rows.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct TableCount {
    pub table: String,
    pub file: String,
    pub rows: u64,
}

/// Every table, parents before children (the order of the migrations that
/// create them), so that a restore satisfies each foreign key as it goes.
/// `data_versions` (the cache's count) and the migrations' own table are
/// not data: a restore's database has its own.
macro_rules! each_table {
    ($apply:ident!($($args:tt)*)) => {
        $apply!($($args)*;
            jurisdiction, organisation, user, agreement, agreement_version,
            agreement_party, agreement_service, life_event, agreement_life_event,
            barrier, governance_section, comment, approval, cost_model,
            cost_model_line, cost_entry, transaction_volume, kpi, commitment,
            api_token, service_level_report, audit_event, revoked_token,
            notification, login_failure, password_reset, commitment_period,
            agreement_period_total, dimension_period_total, proposed_party,
            propagation_term, holiday, life_event_notice, life_event_delivery,
            service_standard, channel_minimum, satisfaction_result, channel_journey
        )
    };
}

/// The tables' names, in restore order.
pub fn table_names() -> Vec<&'static str> {
    macro_rules! names {
        (; $($m:ident),*) => {
            vec![$(<$m::Entity as sea_orm::EntityName>::table_name(&$m::Entity)),*]
        };
    }
    each_table!(names!())
}

/// The migrations applied to `db`, in order; fails when one this version
/// knows is still pending (or the database is newer than this version).
async fn applied_migrations(db: &impl ConnectionTrait) -> Result<Vec<String>, PortableError> {
    let all = crate::backend::schema::status(db).await?;
    let pending: Vec<&str> = all
        .iter()
        .filter(|(_, applied)| !applied)
        .map(|(name, _)| name.as_str())
        .collect();
    if !pending.is_empty() {
        return Err(PortableError::Refused(format!(
            "the database is not migrated to this version of Concord (pending: {}); run `server migrate` first",
            pending.join(", ")
        )));
    }
    Ok(all.into_iter().map(|(name, _)| name).collect())
}

/// Writes every table of `db` to the new directory `dir`, read in one
/// consistent snapshot while the database keeps serving.
///
/// Fails when `dir` exists and is not empty, when the database is not fully
/// migrated, or on a read or write error.
pub async fn export(db: &DatabaseConnection, dir: &Path) -> Result<Manifest, PortableError> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map_err(file_error(dir))?
            .next()
            .is_some()
    {
        return Err(PortableError::Refused(format!(
            "{} is not empty: an export goes to a new or empty directory",
            dir.display()
        )));
    }
    std::fs::create_dir_all(dir).map_err(file_error(dir))?;
    // One snapshot for every table: SQLite's read transaction is one;
    // PostgreSQL's needs REPEATABLE READ.
    let tx = match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            db.begin_with_config(
                Some(IsolationLevel::RepeatableRead),
                Some(AccessMode::ReadOnly),
            )
            .await?
        }
        _ => db.begin().await?,
    };
    let migrations = applied_migrations(&tx).await?;
    let mut tables = Vec::new();
    macro_rules! export_all {
        (; $($m:ident),*) => {
            $(tables.push(export_table::<$m::Entity>(&tx, dir).await?);)*
        };
    }
    each_table!(export_all!());
    tx.commit().await?;
    let manifest = Manifest {
        format: FORMAT.to_owned(),
        format_version: FORMAT_VERSION,
        concord_version: env!("CARGO_PKG_VERSION").to_owned(),
        exported_at: crate::clock::now(),
        migrations,
        tables,
    };
    let path = dir.join("manifest.json");
    let text = serde_json::to_string_pretty(&manifest).expect("a manifest serialises");
    std::fs::write(&path, text + "\n").map_err(file_error(&path))?;
    Ok(manifest)
}

async fn export_table<E>(db: &impl ConnectionTrait, dir: &Path) -> Result<TableCount, PortableError>
where
    E: EntityTrait + Default,
    E::Model: Serialize + Sync,
{
    let table = E::default().table_name().to_owned();
    let file = format!("{table}.jsonl");
    let path = dir.join(&file);
    let mut out = BufWriter::new(std::fs::File::create(&path).map_err(file_error(&path))?);
    let mut query = E::find();
    for key in E::PrimaryKey::iter() {
        query = query.order_by_asc(key.into_column());
    }
    let mut pages = query.paginate(db, PAGE);
    let mut rows = 0;
    while let Some(page) = pages.fetch_and_next().await? {
        for model in page {
            serde_json::to_writer(&mut out, &model).map_err(|e| PortableError::File {
                path: path.clone(),
                source: e.into(),
            })?;
            out.write_all(b"\n").map_err(file_error(&path))?;
            rows += 1;
        }
    }
    out.flush().map_err(file_error(&path))?;
    Ok(TableCount { table, file, rows })
}

/// Reads the export in `dir` into `db`, which must be migrated to the
/// export's version and hold no data: all rows or, on any error, none.
///
/// Fails when the manifest is missing or of another format, when the
/// migrations differ, when `db` holds any row, or when a file is missing,
/// malformed or holds another number of rows than the manifest says.
pub async fn restore(db: &DatabaseConnection, dir: &Path) -> Result<Manifest, PortableError> {
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path).map_err(file_error(&path))?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| PortableError::Row {
        path: path.clone(),
        line: e.line(),
        message: e.to_string(),
    })?;
    if manifest.format != FORMAT || manifest.format_version != FORMAT_VERSION {
        return Err(PortableError::Refused(format!(
            "{} is not a Concord export of format {FORMAT_VERSION}",
            path.display()
        )));
    }
    let here = applied_migrations(db).await?;
    if here != manifest.migrations {
        return Err(PortableError::Refused(format!(
            "the export was made at another schema version ({} migrations, this database has {}): \
             restore it with the version of Concord that made it, then upgrade",
            manifest.migrations.len(),
            here.len()
        )));
    }
    let expected = table_names();
    let named: Vec<&str> = manifest.tables.iter().map(|t| t.table.as_str()).collect();
    if named != expected {
        return Err(PortableError::Refused(format!(
            "the manifest lists the tables {named:?}, not this version's {expected:?}"
        )));
    }
    let tx = db::write_tx(db).await?;
    let mut not_empty = Vec::new();
    macro_rules! count_all {
        (; $($m:ident),*) => {
            $(if $m::Entity::find().count(&tx).await? > 0 {
                not_empty.push(<$m::Entity as sea_orm::EntityName>::table_name(&$m::Entity));
            })*
        };
    }
    each_table!(count_all!());
    if !not_empty.is_empty() {
        return Err(PortableError::Refused(format!(
            "the database is not empty ({} hold rows): a restore goes into a new, migrated database",
            not_empty.join(", ")
        )));
    }
    let mut counts = manifest.tables.iter();
    macro_rules! restore_all {
        (; $($m:ident),*) => {
            $(restore_table::<$m::Entity>(&tx, dir, counts.next().expect("counted above")).await?;)*
        };
    }
    each_table!(restore_all!());
    if tx.get_database_backend() == DatabaseBackend::Postgres {
        // Rows came with their ids: each sequence goes on after the largest.
        for table in &expected {
            tx.execute_unprepared(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                 COALESCE((SELECT MAX(id) FROM {table}), 1), \
                 (SELECT MAX(id) FROM {table}) IS NOT NULL)"
            ))
            .await?;
        }
    }
    tx.commit().await?;
    Ok(manifest)
}

async fn restore_table<E>(
    db: &impl ConnectionTrait,
    dir: &Path,
    count: &TableCount,
) -> Result<(), PortableError>
where
    E: EntityTrait,
    E::Model: DeserializeOwned + IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    if count.file.contains(['/', '\\']) || count.file.starts_with('.') {
        return Err(PortableError::Refused(format!(
            "the manifest names the file {:?}: only plain names in the export's directory",
            count.file
        )));
    }
    let path = dir.join(&count.file);
    let reader = BufReader::new(std::fs::File::open(&path).map_err(file_error(&path))?);
    let mut rows: u64 = 0;
    let mut chunk = Vec::new();
    for (index, line) in reader.lines().enumerate() {
        let line = line.map_err(file_error(&path))?;
        if line.trim().is_empty() {
            continue;
        }
        let model: E::Model = serde_json::from_str(&line).map_err(|e| PortableError::Row {
            path: path.clone(),
            line: index + 1,
            message: e.to_string(),
        })?;
        chunk.push(model.into_active_model().reset_all());
        rows += 1;
        if chunk.len() as u64 == PAGE {
            E::insert_many(std::mem::take(&mut chunk))
                .exec_without_returning(db)
                .await?;
        }
    }
    if !chunk.is_empty() {
        E::insert_many(chunk).exec_without_returning(db).await?;
    }
    if rows != count.rows {
        return Err(PortableError::Refused(format!(
            "{} holds {rows} rows, the manifest says {}",
            path.display(),
            count.rows
        )));
    }
    Ok(())
}

/// Copies a live SQLite database to the new file `to`, consistently, while
/// it serves (`VACUUM INTO`: one read transaction, compacted on the way).
///
/// Fails on PostgreSQL (whose own `pg_dump` does this), when `to` exists,
/// or when SQLite cannot write it.
pub async fn backup(db: &DatabaseConnection, to: &Path) -> Result<u64, PortableError> {
    if db.get_database_backend() != DatabaseBackend::Sqlite {
        return Err(PortableError::Refused(
            "`server backup` copies an SQLite database; for PostgreSQL use `pg_dump` \
             (for example `pg_dump --format=custom --file=concord.dump DBNAME`), \
             or `server export` for a copy either kind of database can restore"
                .into(),
        ));
    }
    if to.exists() {
        return Err(PortableError::Refused(format!(
            "{} exists: a backup is written to a new file",
            to.display()
        )));
    }
    let target = to
        .to_str()
        .ok_or_else(|| PortableError::Refused(format!("{} is not a UTF-8 path", to.display())))?;
    db.execute_unprepared(&format!("VACUUM INTO '{}'", target.replace('\'', "''")))
        .await?;
    let size = std::fs::metadata(to).map_err(file_error(to))?.len();
    Ok(size)
}
