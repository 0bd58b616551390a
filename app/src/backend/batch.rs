//! Writing many rows at once: one `INSERT` per chunk of rows, each chunk
//! small enough for both databases' limits on a statement's parameters
//! (SQLite 32,766, PostgreSQL 65,535; Concord's widest table has 22
//! columns).

use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait};

/// Rows per statement: 500 rows of 22 columns are 11,000 parameters.
const CHUNK: usize = 500;

/// Inserts every row of `rows`, `CHUNK` rows per statement, returning
/// nothing of them. Inside a transaction, all or none are kept.
pub async fn insert_all<A>(db: &impl ConnectionTrait, rows: Vec<A>) -> Result<(), DbErr>
where
    A: ActiveModelTrait + Send,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(CHUNK).collect();
        <A::Entity as EntityTrait>::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}
