//! Values as the database and the API hold them: timestamps, decimals
//! and the enum names kept as text.

/// A timestamp as the API writes it: RFC 3339, UTC, whole seconds.
pub(crate) fn rfc3339(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A decimal as the API writes it: no trailing zeros ("80", "12.5").
pub(crate) fn plain_decimal(d: rust_decimal::Decimal) -> String {
    d.normalize().to_string()
}

/// Parses a value the database holds as text (an enum, a channel list).
///
/// Fails only when the database holds something the application never
/// writes: reported as a database error, never silently replaced.
pub(crate) fn stored<T: std::str::FromStr>(value: &str, column: &str) -> Result<T, sea_orm::DbErr> {
    value
        .parse()
        .map_err(|_| sea_orm::DbErr::Type(format!("unexpected value '{value}' in {column}")))
}

/// The values of a list column (`in_person;online`), each read as
/// [`stored`] reads one.
pub(crate) fn stored_list<T: std::str::FromStr>(
    value: &str,
    column: &str,
) -> Result<Vec<T>, sea_orm::DbErr> {
    value
        .split(';')
        .filter(|v| !v.is_empty())
        .map(|v| stored(v, column))
        .collect()
}

/// Values as a list column holds them: joined by `;`.
pub(crate) fn list_column<T: std::fmt::Display>(values: &[T]) -> String {
    values
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(";")
}
