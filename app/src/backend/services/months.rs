//! The months a read covers, as its query names them: the one reading of
//! `from` and `to` for the service inventory and the channel-cost business
//! case (a month `2026-03`, or any period, taken from its first or last
//! month), with one default and one refusal of a range that ends before it
//! starts.

use crate::backend::{FieldError, ServiceError, ServiceResult};
use crate::domain::Period;
use crate::domain::period::twelve_months_before;
use chrono::{Datelike, NaiveDate};

/// The period `text` names, or a field error on `field`.
pub(crate) fn period_of(field: &str, text: &str) -> ServiceResult<Period> {
    Period::parse(text.trim()).map_err(|e| {
        ServiceError::validation(e.to_string(), vec![FieldError::new(field, e.to_string())])
    })
}

/// The first day of `from` and the last day of `to` (periods of a fiscal
/// year starting in month `fiscal`, for `FY…`); a blank or absent bound
/// takes its side of [`twelve_months_before`] `today`.
///
/// Fails with `Validation` on the field of a malformed bound, or on `to`
/// for a range that ends before it starts.
pub(crate) fn months(
    from: Option<&str>,
    to: Option<&str>,
    today: NaiveDate,
    fiscal: u32,
) -> ServiceResult<(NaiveDate, NaiveDate)> {
    let (first, last) = twelve_months_before(today);
    let from = match from.map(str::trim).filter(|t| !t.is_empty()) {
        Some(f) => period_of("from", f)?.start_date(fiscal),
        None => first,
    };
    let to = match to.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => period_of("to", t)?.end_date(fiscal),
        None => last,
    };
    if from > to {
        let m = "The range ends before it starts.";
        return Err(ServiceError::validation(m, vec![FieldError::new("to", m)]));
    }
    Ok((from, to))
}

/// `2026-03`: the month of `d`.
pub(crate) fn month_text(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}
