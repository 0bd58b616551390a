//! The cells of an uploaded CSV row read as values, each problem pushed as
//! a field error on the row's line: a required cell, an enum value, an
//! organisation by id or code. Shared by every import (costs and volumes,
//! journeys…) so that each names its problems the same way. No file
//! parsing here (that is `csv_table`), no rule of any area.

use crate::backend::csv_table::{CsvRow, CsvTable};
use crate::backend::entities::organisation;
use crate::backend::{FieldError, ServiceResult};
use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect};
use std::collections::HashMap;
use std::str::FromStr;

/// The organisation id of a CSV cell: an id, or an organisation's code;
/// a problem on `line` otherwise.
pub(crate) fn organisation_cell(
    errors: &mut Vec<FieldError>,
    line: u64,
    text: &str,
    codes: &HashMap<String, i32>,
) -> Option<i32> {
    let v = text
        .parse::<i32>()
        .ok()
        .or_else(|| codes.get(&text.to_ascii_uppercase()).copied());
    if v.is_none() {
        errors.push(FieldError::at_line(
            line,
            "organisation_id",
            format!("No organisation has id or code '{text}'."),
        ));
    }
    v
}

/// Every organisation's id by its code, upper-cased (for
/// [`organisation_cell`]).
pub(crate) async fn codes(db: &impl ConnectionTrait) -> ServiceResult<HashMap<String, i32>> {
    let rows: Vec<(i32, String)> = organisation::Entity::find()
        .select_only()
        .column(organisation::Column::Id)
        .column(organisation::Column::Code)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, code)| (code.to_ascii_uppercase(), id))
        .collect())
}

/// The cell of `column` in `row`; a problem when it is empty.
pub(crate) fn required_cell<'a>(
    errors: &mut Vec<FieldError>,
    t: &'a CsvTable,
    row: &'a CsvRow,
    column: &str,
) -> Option<&'a str> {
    let v = t.get(row, column);
    if v.is_none() {
        errors.push(FieldError::at_line(row.line, column, "This cell is empty."));
    }
    v
}

/// `text` parsed as one of an enum's values (`known` lists them for the
/// message); a problem otherwise.
pub(crate) fn enum_cell<T: FromStr>(
    errors: &mut Vec<FieldError>,
    line: u64,
    column: &str,
    text: &str,
    known: &str,
) -> Option<T> {
    let v = text.parse::<T>().ok();
    if v.is_none() {
        errors.push(FieldError::at_line(
            line,
            column,
            format!("'{text}' is not one of {known}."),
        ));
    }
    v
}

/// The names of `all`, comma-separated, for a message.
pub(crate) fn names<T: Copy>(all: &[T], name: impl Fn(T) -> &'static str) -> String {
    all.iter().map(|v| name(*v)).collect::<Vec<_>>().join(", ")
}
