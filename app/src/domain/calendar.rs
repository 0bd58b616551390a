//! Moving dated data through the calendar by whole months, so that data made
//! on one day reads the same on another: the demo portfolio states the day
//! it was made (its anchor), and `seed` loads it as if it were made in
//! today's month. Pure calendar arithmetic: callers pass both days in.
//!
//! A date moves by the months between the anchor's month and today's, and a
//! last day of a month stays a last day (2027-01-31 → 2027-02-28). A period
//! moves by whole periods of its own kind: as many as lie between the period
//! of that kind containing the anchor and the one containing today. So the
//! last quarter reported before the anchor is the last quarter ended before
//! today, whatever the day, and no period moves past today.

use chrono::{Datelike, Months, NaiveDate};

use super::period::Period;

/// A move from one month (the anchor's) to another (today's).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CalendarShift {
    /// Months since January of year 0 (as [`Period::month_span`] counts).
    from: i32,
    to: i32,
}

impl CalendarShift {
    /// No move at all: every date and period stays where it is.
    pub const NONE: Self = Self { from: 0, to: 0 };

    /// The move from `anchor`'s month to `today`'s month; the days within
    /// the months do not count.
    pub fn between(anchor: NaiveDate, today: NaiveDate) -> Self {
        Self {
            from: month_index(anchor),
            to: month_index(today),
        }
    }

    /// Whole months moved; negative when today is before the anchor.
    pub const fn months(self) -> i32 {
        self.to - self.from
    }

    /// `date` moved by [`Self::months`]; a month's last day stays its last
    /// day, any other day is kept or cut to the month's length. `None`
    /// outside chrono's calendar.
    pub fn date(self, date: NaiveDate) -> Option<NaiveDate> {
        let month_end = date
            .succ_opt()
            .is_none_or(|next| next.month() != date.month());
        let first = date.with_day(1)?;
        let moved = match u32::try_from(self.months()) {
            Ok(n) => first.checked_add_months(Months::new(n))?,
            Err(_) => first.checked_sub_months(Months::new(self.months().unsigned_abs()))?,
        };
        let last = last_day(moved)?;
        if month_end {
            Some(last)
        } else {
            Some(moved.with_day(date.day()).unwrap_or(last))
        }
    }

    /// `period` moved by whole periods of its own kind: as many as lie
    /// between the one containing the anchor and the one containing today
    /// (fiscal periods aligned on `fiscal_start_month`). `None` outside the
    /// years 1900 to 9999.
    ///
    /// # Panics
    /// If `fiscal_start_month` is not in 1..=12.
    pub fn period(self, period: Period, fiscal_start_month: u32) -> Option<Period> {
        let (first, length) = period.month_span(fiscal_start_month);
        let alignment = first.rem_euclid(length);
        let block = |month: i32| (month - alignment).div_euclid(length);
        period.plus(block(self.to) - block(self.from))
    }
}

fn month_index(date: NaiveDate) -> i32 {
    date.year() * 12 + date.month0() as i32
}

fn last_day(first_of_month: NaiveDate) -> Option<NaiveDate> {
    first_of_month
        .checked_add_months(Months::new(1))?
        .pred_opt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().expect("date")
    }

    fn p(text: &str) -> Period {
        text.parse().expect("period")
    }

    fn shift(anchor: &str, today: &str) -> CalendarShift {
        CalendarShift::between(d(anchor), d(today))
    }

    #[test]
    fn only_the_months_count_not_the_days() {
        assert_eq!(shift("2026-11-29", "2026-12-01").months(), 1);
        assert_eq!(shift("2026-11-01", "2026-11-30").months(), 0);
        assert_eq!(shift("2026-11-29", "2028-01-31").months(), 14);
        assert_eq!(shift("2026-11-29", "2026-01-01").months(), -10);
    }

    #[test]
    fn a_date_keeps_its_day_of_the_month() {
        let s = shift("2026-11-29", "2027-01-05");
        assert_eq!(s.date(d("2023-04-01")), Some(d("2023-06-01")));
        assert_eq!(s.date(d("2025-08-15")), Some(d("2025-10-15")));
    }

    #[test]
    fn a_last_day_of_a_month_stays_a_last_day() {
        let s = shift("2026-11-29", "2026-12-01");
        assert_eq!(s.date(d("2027-01-31")), Some(d("2027-02-28")));
        assert_eq!(s.date(d("2027-02-28")), Some(d("2027-03-31")));
        assert_eq!(s.date(d("2027-09-30")), Some(d("2027-10-31")));
        let back = shift("2026-11-29", "2026-10-01");
        assert_eq!(back.date(d("2027-03-31")), Some(d("2027-02-28")));
    }

    #[test]
    fn a_day_past_the_end_of_a_shorter_month_is_cut_to_its_last_day() {
        let s = shift("2026-11-29", "2026-12-01");
        assert_eq!(s.date(d("2027-01-30")), Some(d("2027-02-28")));
    }

    #[test]
    fn no_shift_changes_nothing() {
        let s = CalendarShift::NONE;
        assert_eq!(s.date(d("2024-02-29")), Some(d("2024-02-29")));
        assert_eq!(s.period(p("2026-Q3"), 1), Some(p("2026-Q3")));
        assert_eq!(s.period(p("FY2026-Q2"), 4), Some(p("FY2026-Q2")));
    }

    #[test]
    fn months_move_by_the_months_between() {
        let s = shift("2026-11-29", "2028-01-10");
        assert_eq!(s.period(p("2026-10"), 1), Some(p("2027-12")));
        assert_eq!(s.period(p("2023-04"), 1), Some(p("2024-06")));
    }

    #[test]
    fn quarters_move_by_the_quarters_between_the_anchor_and_today() {
        // November is in Q4: December too (no move), January in the next
        // quarter (one move), though both are one or two months on.
        assert_eq!(
            shift("2026-11-29", "2026-12-01").period(p("2026-Q3"), 1),
            Some(p("2026-Q3"))
        );
        assert_eq!(
            shift("2026-11-29", "2027-01-01").period(p("2026-Q3"), 1),
            Some(p("2026-Q4"))
        );
        assert_eq!(
            shift("2026-11-29", "2028-01-31").period(p("2026-Q3"), 1),
            Some(p("2027-Q4"))
        );
    }

    #[test]
    fn years_move_by_the_years_between() {
        assert_eq!(
            shift("2026-11-29", "2026-12-31").period(p("2025"), 1),
            Some(p("2025"))
        );
        assert_eq!(
            shift("2026-11-29", "2027-01-01").period(p("2025"), 1),
            Some(p("2026"))
        );
    }

    #[test]
    fn fiscal_periods_move_by_fiscal_blocks() {
        // April fiscal year: FY2026 runs April 2026 to March 2027. From
        // November 2026 to April 2027 one fiscal year begins.
        let s = shift("2026-11-29", "2027-04-02");
        assert_eq!(s.period(p("FY2025"), 4), Some(p("FY2026")));
        // FY quarters start in April, July, October, January: Q3 (Oct–Dec)
        // holds November; Q1 of FY2027 holds April, two quarters on.
        assert_eq!(s.period(p("FY2026-Q2"), 4), Some(p("FY2026-Q4")));
    }

    #[test]
    fn the_last_period_ended_before_the_anchor_is_the_last_ended_before_today() {
        let anchor = d("2026-11-29");
        let mut today = d("2026-11-01");
        while today <= d("2030-12-31") {
            let s = CalendarShift::between(anchor, today);
            for (last, next) in [
                ("2026-10", "2026-11"),
                ("2026-Q3", "2026-Q4"),
                ("2025", "2026"),
            ] {
                let moved = s.period(p(last), 1).expect("in range");
                let following = s.period(p(next), 1).expect("in range");
                assert!(moved.has_ended(today, 1), "{last} → {moved} on {today}");
                assert!(
                    !following.has_ended(today - chrono::Days::new(1), 1),
                    "{next} → {following} on {today}"
                );
            }
            today = today.succ_opt().expect("day");
        }
    }

    #[test]
    fn periods_beyond_the_calendar_are_none() {
        assert_eq!(
            shift("2026-11-29", "2026-12-29").period(p("9999-12"), 1),
            None
        );
        assert_eq!(
            shift("2026-11-29", "2026-10-29").period(p("1900-01"), 1),
            None
        );
    }
}
