//! Service levels (DOMAIN.md §4): commitments added to an agreement as a
//! new version; reports submitted one by one (form, API, API token) or by
//! CSV (all rows or none), each correction a new revision; compliance per
//! commitment and period under the terms in force then, with the error
//! budget of each year; and what a reporter's organisation owes.

mod checks;
mod commitments;
mod compliance;
mod due;
mod submit;

pub(crate) use checks::{check_report, reportables_of};
pub use commitments::{add_commitment, update_commitment};
pub use compliance::{compliance, compliance_csv, revisions};
pub use due::{home, notify_due};
pub(crate) use submit::lock_agreement;
pub use submit::{import, submit};

use chrono::NaiveDate;

/// Notification kinds of reporting.
pub mod kind {
    pub const BREACH: &str = "breach";
    pub const REPORT_DUE: &str = "report_due";
    pub const REPORT_MISSING: &str = "report_missing";
}

fn today() -> NaiveDate {
    crate::clock::today()
}
