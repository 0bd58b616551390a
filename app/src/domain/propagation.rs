//! Tell Us Once (issue 21): a citizen tells one party of a life event, and
//! that party passes the notice to every party that must be told. Each
//! delivery is timed in working days, weekends and the jurisdiction's
//! holidays excluded, against the targets the agreement sets to
//! acknowledge it and to act on it.
//!
//! Pure rules: the days and the status of a delivery on a given day, and
//! whether it met each target. Storage and the clock are the caller's.

use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::BTreeSet;

/// The days a public body works: Monday to Friday, except its holidays.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkingCalendar {
    holidays: BTreeSet<NaiveDate>,
}

impl WorkingCalendar {
    pub fn new(holidays: impl IntoIterator<Item = NaiveDate>) -> Self {
        Self {
            holidays: holidays.into_iter().collect(),
        }
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !self.holidays.contains(&day)
    }

    /// The day by which something received on `from` must be done within
    /// `n` working days: the `n`th working day after `from` (the day of
    /// receipt does not count). With `n` = 0, `from` itself if it is a
    /// working day, else the next one. `None` past the calendar's end.
    pub fn deadline(&self, from: NaiveDate, n: u32) -> Option<NaiveDate> {
        let mut day = from;
        if n == 0 {
            while !self.is_working_day(day) {
                day = day.succ_opt()?;
            }
            return Some(day);
        }
        let mut left = n;
        while left > 0 {
            day = day.succ_opt()?;
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        Some(day)
    }

    /// The working days after `from` up to and including `to` (0 when `to`
    /// is not after `from`): how long something received on `from` and
    /// done on `to` took.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        from.iter_days()
            .skip(1)
            .take_while(|d| *d <= to)
            .filter(|d| self.is_working_day(*d))
            .fold(0u32, |n, _| n.saturating_add(1))
    }
}

/// Where a delivery stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeliveryStatus {
    /// Not acknowledged yet, and not late.
    Pending,
    /// Acknowledged, not acted on yet, and not late.
    Acknowledged,
    /// Acted on.
    Acted,
    /// A target passed with nothing done.
    Overdue,
    /// The party told declined to act, with a reason.
    Declined,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Acknowledged => "acknowledged",
            DeliveryStatus::Acted => "acted",
            DeliveryStatus::Overdue => "overdue",
            DeliveryStatus::Declined => "declined",
        }
    }
}

/// The target times a propagation term sets, in working days from the
/// notice's receipt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Targets {
    pub acknowledge_days: u32,
    pub act_days: u32,
}

/// What happened to one delivery, and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Delivery {
    pub received_on: NaiveDate,
    pub acknowledged_on: Option<NaiveDate>,
    pub acted_on: Option<NaiveDate>,
    pub declined_on: Option<NaiveDate>,
}

impl Delivery {
    /// Where it stands on `today`. A target passes at the end of its
    /// deadline: a delivery due on Monday is overdue on Tuesday.
    pub fn status(&self, t: Targets, cal: &WorkingCalendar, today: NaiveDate) -> DeliveryStatus {
        if self.declined_on.is_some_and(|d| d <= today) {
            return DeliveryStatus::Declined;
        }
        if self.acted_on.is_some_and(|d| d <= today) {
            return DeliveryStatus::Acted;
        }
        let late = |n: u32| {
            cal.deadline(self.received_on, n)
                .is_some_and(|due| today > due)
        };
        let acknowledged = self.acknowledged_on.is_some_and(|d| d <= today);
        if late(t.act_days) || (!acknowledged && late(t.acknowledge_days)) {
            DeliveryStatus::Overdue
        } else if acknowledged {
            DeliveryStatus::Acknowledged
        } else {
            DeliveryStatus::Pending
        }
    }

    /// Whether it was acknowledged within its target, as known on `today`:
    /// `None` while it may still be.
    pub fn acknowledged_in_target(
        &self,
        t: Targets,
        cal: &WorkingCalendar,
        today: NaiveDate,
    ) -> Option<bool> {
        in_target(
            self.received_on,
            self.acknowledged_on,
            t.acknowledge_days,
            cal,
            today,
        )
    }

    /// Whether it was acted on within its target, as known on `today`:
    /// `None` while it may still be, and for a declined delivery, which is
    /// judged by its acknowledgement only.
    pub fn acted_in_target(
        &self,
        t: Targets,
        cal: &WorkingCalendar,
        today: NaiveDate,
    ) -> Option<bool> {
        if self.declined_on.is_some_and(|d| d <= today) {
            return None;
        }
        in_target(self.received_on, self.acted_on, t.act_days, cal, today)
    }
}

fn in_target(
    received: NaiveDate,
    done: Option<NaiveDate>,
    days: u32,
    cal: &WorkingCalendar,
    today: NaiveDate,
) -> Option<bool> {
    let due = cal.deadline(received, days)?;
    match done.filter(|d| *d <= today) {
        Some(d) => Some(d <= due),
        None if today > due => Some(false),
        None => None,
    }
}

/// The share of `judged` deliveries that met their target, as a percentage
/// rounded to two places; `None` with nothing judged.
pub fn percent_in_target(
    judged: impl IntoIterator<Item = Option<bool>>,
) -> Option<rust_decimal::Decimal> {
    let (mut met, mut n) = (0u32, 0u32);
    for j in judged.into_iter().flatten() {
        n += 1;
        met += u32::from(j);
    }
    (n > 0).then(|| {
        (rust_decimal::Decimal::from(met) * rust_decimal::Decimal::ONE_HUNDRED
            / rust_decimal::Decimal::from(n))
        .round_dp(2)
    })
}

/// The catalogue KPI whose monthly values are the share of a party's
/// deliveries acknowledged within target; derived, never typed in.
pub const ACKNOWLEDGED_KPI: &str = "life_event_acknowledged_in_target_pct";
/// The catalogue KPI whose monthly values are the share of a party's
/// deliveries acted on within target; derived, never typed in.
pub const ACTED_KPI: &str = "life_event_acted_in_target_pct";

/// Whether a KPI's values come from the deliveries rather than reports.
pub fn is_derived_kpi(code: &str) -> bool {
    code == ACKNOWLEDGED_KPI || code == ACTED_KPI
}

/// The longest case reference.
pub const MAX_CASE_REFERENCE: usize = 64;

/// Why a case reference is refused, or `None` when it is opaque enough to
/// keep. A case reference points into the intake party's own system;
/// Concord keeps no personal data, so anything that reads like a name, an
/// e-mail address, a telephone or social insurance number, a postal code
/// or a date (of birth) is refused: 1 to 64 letters, digits and `-_/.#:`,
/// with at least one digit, no spaces, no `@`, not 9 digits or more with
/// no letter, and not shaped like a Canadian or British postal code or a date.
pub fn case_reference_problem(text: &str) -> Option<&'static str> {
    let t = text.trim();
    if t.is_empty() {
        return Some("A case reference is required.");
    }
    if t.chars().count() > MAX_CASE_REFERENCE {
        return Some("A case reference has at most 64 characters.");
    }
    if t.contains('@') {
        return Some(
            "This looks like an e-mail address; give the reference of the case in your own system, never personal data.",
        );
    }
    if t.chars().any(char::is_whitespace) {
        return Some(
            "A case reference has no spaces: give the reference of the case in your own system, never a name or an address.",
        );
    }
    if !t
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_/.#:".contains(c))
    {
        return Some("A case reference uses only letters, digits and - _ / . # :");
    }
    if !t.chars().any(|c| c.is_ascii_digit()) {
        return Some("A case reference has at least one digit: a word alone may be a name.");
    }
    let digits = t.chars().filter(char::is_ascii_digit).count();
    if digits >= 9 && !t.chars().any(|c| c.is_ascii_alphabetic()) {
        return Some(
            "This looks like a telephone or social insurance number; give the reference of the case in your own system, never personal data.",
        );
    }
    let compact: String = t.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    if looks_like_postal_code(&compact) {
        return Some(
            "This looks like a postal code; give the reference of the case in your own system, never personal data.",
        );
    }
    if looks_like_date(t) {
        return Some(
            "This looks like a date (of birth?); give the reference of the case in your own system, never personal data.",
        );
    }
    None
}

/// A Canadian postal code (A1A1A1) or a British postcode (AA9A 9AA and
/// its shorter forms), spaces removed.
fn looks_like_postal_code(s: &str) -> bool {
    let b = s.as_bytes();
    let (a, d) = (
        |i: usize| b[i].is_ascii_alphabetic(),
        |i: usize| b[i].is_ascii_digit(),
    );
    let canadian = b.len() == 6 && a(0) && d(1) && a(2) && d(3) && a(4) && d(5);
    // The inward code: a digit and two letters at the end.
    let british = (5..=7).contains(&b.len())
        && a(0)
        && d(b.len() - 3)
        && a(b.len() - 2)
        && a(b.len() - 1)
        && b[..b.len() - 3].iter().skip(1).any(u8::is_ascii_digit);
    canadian || british
}

/// A date: yyyy-mm-dd, dd/mm/yyyy, dd.mm.yyyy and the like.
fn looks_like_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|c| c.is_ascii_digit()))
        && parts.iter().any(|p| p.len() == 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    /// Nova Scotia, late 2026: Remembrance Day (Wed 11 Nov), Christmas
    /// (Fri 25 Dec), Boxing Day observed (Mon 28 Dec).
    fn ns() -> WorkingCalendar {
        WorkingCalendar::new([d("2026-11-11"), d("2026-12-25"), d("2026-12-28")])
    }

    #[test]
    fn a_deadline_skips_weekends_and_holidays() {
        let cal = ns();
        // Thursday + 1 working day: Friday.
        assert_eq!(cal.deadline(d("2026-11-05"), 1), Some(d("2026-11-06")));
        // Friday + 1: Monday.
        assert_eq!(cal.deadline(d("2026-11-06"), 1), Some(d("2026-11-09")));
        // Tuesday 10 Nov + 1: Thursday 12 (Wednesday 11 is a holiday).
        assert_eq!(cal.deadline(d("2026-11-10"), 1), Some(d("2026-11-12")));
        // Monday 9 Nov + 5: 10, 12, 13, 16, 17 → Tuesday 17.
        assert_eq!(cal.deadline(d("2026-11-09"), 5), Some(d("2026-11-17")));
        // Thursday 24 Dec + 2: 29, 30 (25 and 28 holidays, 26–27 weekend).
        assert_eq!(cal.deadline(d("2026-12-24"), 2), Some(d("2026-12-30")));
        // Received on a Saturday, due the same working day: Monday.
        assert_eq!(cal.deadline(d("2026-11-07"), 0), Some(d("2026-11-09")));
        assert_eq!(cal.deadline(d("2026-11-09"), 0), Some(d("2026-11-09")));
        // Without holidays Wednesday 11 Nov counts.
        assert_eq!(
            WorkingCalendar::default().deadline(d("2026-11-10"), 1),
            Some(d("2026-11-11"))
        );
    }

    #[test]
    fn working_days_between_count_what_a_delivery_took() {
        let cal = ns();
        assert_eq!(
            cal.working_days_between(d("2026-11-06"), d("2026-11-09")),
            1
        );
        assert_eq!(
            cal.working_days_between(d("2026-11-10"), d("2026-11-12")),
            1
        );
        assert_eq!(
            cal.working_days_between(d("2026-11-09"), d("2026-11-17")),
            5
        );
        assert_eq!(
            cal.working_days_between(d("2026-11-09"), d("2026-11-09")),
            0
        );
        assert_eq!(
            cal.working_days_between(d("2026-11-09"), d("2026-11-01")),
            0
        );
        // The deadline n days on is always n working days away.
        for from in d("2026-11-01").iter_days().take(60) {
            for n in 1..8 {
                let due = cal.deadline(from, n).unwrap();
                assert_eq!(cal.working_days_between(from, due), n, "{from} + {n}");
            }
        }
    }

    #[test]
    fn a_delivery_moves_from_pending_to_acted_or_overdue() {
        let cal = ns();
        let t = Targets {
            acknowledge_days: 2,
            act_days: 10,
        };
        // Received Friday 6 Nov: acknowledge by Tuesday 10, act by Monday 23
        // (9, 10, 12, 13, 16, 17, 18, 19, 20, 23).
        assert_eq!(cal.deadline(d("2026-11-06"), 10), Some(d("2026-11-23")));
        let mut x = Delivery {
            received_on: d("2026-11-06"),
            acknowledged_on: None,
            acted_on: None,
            declined_on: None,
        };
        assert_eq!(x.status(t, &cal, d("2026-11-10")), DeliveryStatus::Pending);
        assert_eq!(x.acknowledged_in_target(t, &cal, d("2026-11-10")), None);
        assert_eq!(x.status(t, &cal, d("2026-11-11")), DeliveryStatus::Overdue);
        assert_eq!(
            x.acknowledged_in_target(t, &cal, d("2026-11-11")),
            Some(false)
        );
        // Acknowledged late on Thursday 12: no longer overdue until the
        // act's target passes.
        x.acknowledged_on = Some(d("2026-11-12"));
        assert_eq!(
            x.status(t, &cal, d("2026-11-20")),
            DeliveryStatus::Acknowledged
        );
        assert_eq!(
            x.acknowledged_in_target(t, &cal, d("2026-11-20")),
            Some(false)
        );
        assert_eq!(x.acted_in_target(t, &cal, d("2026-11-23")), None);
        assert_eq!(x.status(t, &cal, d("2026-11-24")), DeliveryStatus::Overdue);
        assert_eq!(x.acted_in_target(t, &cal, d("2026-11-24")), Some(false));
        // Acted on the last day: in target.
        x.acted_on = Some(d("2026-11-23"));
        assert_eq!(x.status(t, &cal, d("2026-11-24")), DeliveryStatus::Acted);
        assert_eq!(x.acted_in_target(t, &cal, d("2026-11-24")), Some(true));
        // Seen before it was acted on, it was acknowledged.
        assert_eq!(
            x.status(t, &cal, d("2026-11-13")),
            DeliveryStatus::Acknowledged
        );
        // Declined: judged by its acknowledgement only.
        let declined = Delivery {
            declined_on: Some(d("2026-11-09")),
            acknowledged_on: Some(d("2026-11-09")),
            ..x
        };
        assert_eq!(
            declined.status(t, &cal, d("2026-12-01")),
            DeliveryStatus::Declined
        );
        assert_eq!(
            declined.acknowledged_in_target(t, &cal, d("2026-12-01")),
            Some(true)
        );
        assert_eq!(declined.acted_in_target(t, &cal, d("2026-12-01")), None);
    }

    #[test]
    fn the_share_in_target_counts_only_what_is_judged() {
        assert_eq!(
            percent_in_target([Some(true), Some(false), None, Some(true)]),
            Some("66.67".parse().unwrap())
        );
        assert_eq!(percent_in_target([None, None]), None);
        assert_eq!(
            percent_in_target([Some(true)]),
            Some(rust_decimal::Decimal::ONE_HUNDRED)
        );
    }

    #[test]
    fn a_case_reference_is_opaque_never_personal_data() {
        for ok in ["NS-2026-000123", "TUO/48213", "case#7731", "A1B2C3D4"] {
            assert_eq!(case_reference_problem(ok), None, "{ok}");
        }
        for bad in [
            "",
            "Jane Doe",
            "jane.doe@example.ca",
            "Smith",
            "902-555-0147",
            "046454286",
            "B3H 4R2",
            "B3H4R2",
            "SW1A 1AA",
            "SW1A1AA",
            "1984-03-12",
            "12/03/1984",
            "12 Main Street",
            "héloïse-1",
        ] {
            assert!(case_reference_problem(bad).is_some(), "{bad}");
        }
        assert!(case_reference_problem(&"A1".repeat(33)).is_some());
    }
}
