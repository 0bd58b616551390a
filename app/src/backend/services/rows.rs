//! Reading many rows at once: raw SQL written with `?` placeholders on
//! both databases, and its rows fetched as one JSON array that the
//! database builds (see [`json_rows`]), with readers of its columns.

use crate::backend::ServiceResult;
use sea_orm::ConnectionTrait;

/// The rows of `sql`, written with `?` placeholders (numbered `$1`, `$2`…
/// on PostgreSQL). `CROSS JOIN` keeps SQLite's join order as written (on
/// PostgreSQL it is a join like any other).
pub(crate) async fn raw(
    db: &impl ConnectionTrait,
    sql: impl Into<String>,
    values: Vec<sea_orm::Value>,
) -> ServiceResult<Vec<sea_orm::QueryResult>> {
    let sql: String = sql.into();
    let backend = db.get_database_backend();
    let sql = if backend == sea_orm::DatabaseBackend::Postgres {
        let mut n = 0;
        sql.split('?')
            .enumerate()
            .map(|(i, part)| {
                if i == 0 {
                    part.to_owned()
                } else {
                    n += 1;
                    format!("${n}{part}")
                }
            })
            .collect()
    } else {
        sql
    };
    Ok(db
        .query_all_raw(sea_orm::Statement::from_sql_and_values(
            backend, sql, values,
        ))
        .await?)
}

/// The rows of `SELECT columns rest` (with `?` placeholders) as `T`s
/// (tuples of the columns' types), fetched as one JSON array that the
/// database builds. sqlx hands SQLite's rows over one at a time from its
/// worker thread, which for tens of thousands of small rows costs more
/// than the query (grouped by commitment, 20,000 rows: 140–240 ms in the
/// application against 100 ms in SQLite alone); one row of JSON costs a
/// parse of a few milliseconds. Select decimals and dates as text (exact,
/// and parsed by their types).
///
/// Fails when the query fails or a column does not decode as `T` says.
pub(crate) async fn json_rows<T: serde::de::DeserializeOwned>(
    db: &impl ConnectionTrait,
    columns: &[&str],
    rest: &str,
    values: Vec<sea_orm::Value>,
) -> ServiceResult<Vec<T>> {
    let aliased: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} AS c{i}"))
        .collect();
    let names: Vec<String> = (0..columns.len()).map(|i| format!("t.c{i}")).collect();
    let names = names.join(", ");
    let all = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => {
            format!("CAST(json_agg(json_build_array({names})) AS TEXT)")
        }
        _ => format!("json_group_array(json_array({names}))"),
    };
    let sql = format!("SELECT {all} FROM (SELECT {} {rest}) t", aliased.join(", "));
    let text: Option<String> = match raw(db, sql, values).await?.first() {
        Some(row) => row.try_get_by_index(0)?,
        None => None,
    };
    match text {
        // No rows (PostgreSQL aggregates none to NULL).
        None => Ok(Vec::new()),
        Some(text) => serde_json::from_str(&text)
            .map_err(|e| sea_orm::DbErr::Type(format!("rows as JSON: {e}")).into()),
    }
}
