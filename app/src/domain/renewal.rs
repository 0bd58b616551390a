//! Renewal reminders (DOMAIN.md §2, §10): an agreement in force that ends
//! within its renewal notice is due for renewal, and the reminder escalates
//! at the notice, two thirds and one third of it (90, 60 and 30 days with
//! the default notice of 90).

use crate::domain::AgreementStatus;
use chrono::NaiveDate;

/// How pressing a renewal is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Urgency {
    /// Within the notice.
    Notice,
    /// Within two thirds of it.
    Soon,
    /// Within one third of it.
    Urgent,
}

impl Urgency {
    /// The name the pages style it by.
    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::Notice => "notice",
            Urgency::Soon => "soon",
            Urgency::Urgent => "urgent",
        }
    }
}

/// The days left and the urgency when an agreement with `status`, ending
/// on `ends_on` with `notice_days` of renewal notice, is due for renewal
/// on `today`; `None` when it is not in force, already ended, or further
/// off than its notice.
///
/// ```
/// use app::domain::renewal::{Urgency, renewal_due};
/// use app::domain::AgreementStatus::{Active, Draft};
/// let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
/// assert_eq!(renewal_due(Active, d("2027-03-01"), 90, d("2026-12-01")), Some((90, Urgency::Notice)));
/// assert_eq!(renewal_due(Active, d("2027-01-30"), 90, d("2026-12-01")), Some((60, Urgency::Soon)));
/// assert_eq!(renewal_due(Active, d("2026-12-31"), 90, d("2026-12-01")), Some((30, Urgency::Urgent)));
/// assert_eq!(renewal_due(Active, d("2027-03-02"), 90, d("2026-12-01")), None);
/// assert_eq!(renewal_due(Draft, d("2026-12-31"), 90, d("2026-12-01")), None);
/// ```
pub fn renewal_due(
    status: AgreementStatus,
    ends_on: NaiveDate,
    notice_days: i32,
    today: NaiveDate,
) -> Option<(i64, Urgency)> {
    let in_force = matches!(status, AgreementStatus::Active | AgreementStatus::Suspended);
    let left = (ends_on - today).num_days();
    let notice = i64::from(notice_days);
    if !in_force || left < 0 || left > notice {
        return None;
    }
    let urgency = if left <= notice / 3 {
        Urgency::Urgent
    } else if left <= notice * 2 / 3 {
        Urgency::Soon
    } else {
        Urgency::Notice
    };
    Some((left, urgency))
}
