//! `Exact`: a decimal column read back without passing through a float.
//!
//! sea-orm reads `Decimal` from SQLite as `f64`, which would turn money into
//! approximations. SQLite columns holding decimals have TEXT affinity (see
//! the migrations), so the exact string is stored; this type reads it back
//! as text on SQLite and as NUMERIC on PostgreSQL. Nothing else lives here.

use rust_decimal::Decimal;
use sea_orm::sea_query::{ArrayType, ColumnType, Nullable, ValueType, ValueTypeErr};
use sea_orm::{ColIdx, QueryResult, TryGetError, TryGetable, Value};

/// An exact decimal as stored in the database.
/// In an export (`backend::portable`) it is the decimal's exact text.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct Exact(pub Decimal);

impl From<Decimal> for Exact {
    fn from(d: Decimal) -> Self {
        Exact(d)
    }
}

impl From<Exact> for Value {
    fn from(e: Exact) -> Self {
        Value::Decimal(Some(e.0))
    }
}

impl TryGetable for Exact {
    fn try_get_by<I: ColIdx>(res: &QueryResult, idx: I) -> Result<Self, TryGetError> {
        match String::try_get_by(res, idx) {
            Ok(text) => text.trim().parse::<Decimal>().map(Exact).map_err(|e| {
                TryGetError::DbErr(sea_orm::DbErr::Type(format!(
                    "column {idx:?} holds '{text}', not a decimal: {e}"
                )))
            }),
            Err(TryGetError::Null(col)) => Err(TryGetError::Null(col)),
            // PostgreSQL: a NUMERIC column, decoded exactly by sqlx.
            Err(_) => Decimal::try_get_by(res, idx).map(Exact),
        }
    }
}

impl ValueType for Exact {
    fn try_from(v: Value) -> Result<Self, ValueTypeErr> {
        match v {
            Value::Decimal(Some(d)) => Ok(Exact(d)),
            Value::String(Some(s)) => s.parse().map(Exact).map_err(|_| ValueTypeErr),
            _ => Err(ValueTypeErr),
        }
    }

    fn type_name() -> String {
        "Exact".to_owned()
    }

    fn array_type() -> ArrayType {
        ArrayType::Decimal
    }

    fn column_type() -> ColumnType {
        ColumnType::Decimal(Some((19, 4)))
    }
}

impl Nullable for Exact {
    fn null() -> Value {
        Value::Decimal(None)
    }
}
