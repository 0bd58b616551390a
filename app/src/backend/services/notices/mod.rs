//! Tell Us Once (issue 21, DOMAIN.md §8): an intake party records a
//! citizen's notice of a life event once — by form, by CSV (all rows or
//! none) or by API — and Concord creates one delivery for each party the
//! agreement's propagation terms say must be told, and tells that party's
//! reporters. Each party told acknowledges its delivery, then records the
//! action taken or declines with a reason. Times are counted in the
//! working days of the party told's jurisdiction (`calendar`), and the
//! share of deliveries done within target becomes the monthly value of the
//! two derived KPIs (`derive`), judged like any other commitment.
//!
//! Concord keeps no personal data here: a notice names its case by an
//! opaque reference in the intake party's own system, and fields that
//! look like a name, an address or a date of birth are refused.
//!
//! Who sees what: a party told sees its own deliveries; the intake party
//! sees the notices it recorded and how each delivery stands; a party of
//! the agreement that is neither sees none of them. Those who see the
//! whole portfolio (`scope = all`, admins) see every delivery.

pub mod calendar;
mod deliveries;
pub(crate) mod derive;
mod intake;
mod record;
mod views;
mod working_days;

pub use deliveries::{acknowledge, act, import as import_deliveries};
pub use derive::{ensure_derived_kpis, rederive_open};
pub use record::{import, record};
pub use views::{delivery, page};

/// The notification kind of a notice to act on.
pub const NOTICE: &str = "life_event_notice";

fn today() -> chrono::NaiveDate {
    crate::clock::today()
}
