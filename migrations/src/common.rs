//! Column helpers shared by the migrations, so every table gets the same
//! bookkeeping columns and money/decimal columns look alike. No table here.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// A column name.
pub fn c(name: &str) -> Alias {
    Alias::new(name)
}

/// `CREATE TABLE name (id PK, …, created_at, updated_at[, lock_version])`.
pub fn table(name: &str, mutable: bool) -> TableCreateStatement {
    let mut t = Table::create();
    t.table(c(name)).col(pk_auto(c("id")));
    t.col(timestamp_with_time_zone(c("created_at")).default(Expr::current_timestamp()));
    t.col(timestamp_with_time_zone(c("updated_at")).default(Expr::current_timestamp()));
    if mutable {
        t.col(integer(c("lock_version")).default(1));
    }
    t
}

/// An exact decimal: money, percentages, targets. Never a float.
///
/// SQLite gets TEXT affinity so that the exact decimal string survives a
/// round trip (a NUMERIC column would turn "1250.40" into a REAL).
pub fn exact_decimal(manager: &SchemaManager, name: &str) -> ColumnDef {
    let mut col = ColumnDef::new(c(name));
    if manager.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
        col.custom(c("TEXT"));
    } else {
        col.decimal_len(19, 4);
    }
    col
}

/// A foreign key from `table.column` to `to(id)`.
pub fn fk(table: &str, column: &str, to: &str, cascade: bool) -> ForeignKeyCreateStatement {
    let mut f = ForeignKey::create();
    f.name(format!("fk_{table}_{column}"))
        .from(c(table), c(column))
        .to(c(to), c("id"));
    if cascade {
        f.on_delete(ForeignKeyAction::Cascade);
    } else {
        f.on_delete(ForeignKeyAction::Restrict);
    }
    f
}

/// An index on `table(columns…)`.
pub fn index(table: &str, columns: &[&str], unique: bool) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(format!("ix_{table}_{}", columns.join("_")))
        .table(c(table));
    for col in columns {
        i.col(c(col));
    }
    if unique {
        i.unique();
    }
    i
}

/// Create a table then its indexes.
pub async fn create(
    manager: &SchemaManager<'_>,
    t: TableCreateStatement,
    indexes: Vec<IndexCreateStatement>,
) -> Result<(), DbErr> {
    manager.create_table(t).await?;
    for i in indexes {
        manager.create_index(i).await?;
    }
    Ok(())
}

/// Drop a table.
pub async fn drop_table(manager: &SchemaManager<'_>, name: &str) -> Result<(), DbErr> {
    manager
        .drop_table(Table::drop().table(c(name)).to_owned())
        .await
}
