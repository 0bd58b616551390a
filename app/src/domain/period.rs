//! Reporting periods: calendar months, quarters and years (`2026-10`,
//! `2026-Q3`, `2026`) and fiscal years and quarters (`FY2026`, `FY2026-Q1`),
//! named by the calendar year in which the fiscal year starts. Only calendar
//! arithmetic lives here — no clock: callers pass "today" in.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use thiserror::Error;

use super::enums::Frequency;

const MIN_YEAR: i32 = 1900;
const MAX_YEAR: i32 = 9999;

/// A reporting period, always within the years 1900 to 9999.
///
/// Fiscal periods need the agreement's fiscal start month (1 = January,
/// 4 = April) to become dates; calendar periods ignore it. Travels as its
/// canonical text, parsed again on the way in.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period(Repr);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Repr {
    Month { year: i32, month: u32 },
    Quarter { year: i32, quarter: u32 },
    Year { year: i32 },
    FiscalYear { start_year: i32 },
    FiscalQuarter { start_year: i32, quarter: u32 },
}

/// The shape of a [`Period`], in the order periods starting together sort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PeriodKind {
    Month,
    Quarter,
    Year,
    FiscalYear,
    FiscalQuarter,
}

impl Period {
    /// Reads a period in its canonical form: `2026-10`, `2026-Q3`, `2026`,
    /// `FY2026` or `FY2026-Q1` — uppercase, with no surrounding spaces.
    ///
    /// # Errors
    /// Fails with [`PeriodError::Malformed`] for any other shape (`2026-1`,
    /// `2026-q3`, ` 2026`), [`PeriodError::YearOutOfRange`] outside
    /// 1900..=9999, [`PeriodError::MonthOutOfRange`] for months other than
    /// 01..=12 and [`PeriodError::QuarterOutOfRange`] for quarters other
    /// than Q1..=Q4.
    pub fn parse(text: &str) -> Result<Self, PeriodError> {
        let input = || text.to_owned();
        let (fiscal, rest) = match text.strip_prefix("FY") {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (year, suffix) = match rest.split_once('-') {
            Some((year, suffix)) => (year, Some(suffix)),
            None => (rest, None),
        };
        let year = digits(year, 4).ok_or_else(|| PeriodError::Malformed { input: input() })?;
        let year = i32::from(year);
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(PeriodError::YearOutOfRange { input: input() });
        }
        let quarter = |text: &str| match digits(text, 1) {
            Some(quarter @ 1..=4) => Ok(u32::from(quarter)),
            Some(_) => Err(PeriodError::QuarterOutOfRange { input: input() }),
            None => Err(PeriodError::Malformed { input: input() }),
        };
        let month = |text: &str| match digits(text, 2) {
            Some(month @ 1..=12) => Ok(u32::from(month)),
            Some(_) => Err(PeriodError::MonthOutOfRange { input: input() }),
            None => Err(PeriodError::Malformed { input: input() }),
        };
        let repr = match (fiscal, suffix) {
            (false, None) => Repr::Year { year },
            (true, None) => Repr::FiscalYear { start_year: year },
            (false, Some(suffix)) => match suffix.strip_prefix('Q') {
                Some(q) => Repr::Quarter {
                    year,
                    quarter: quarter(q)?,
                },
                None => Repr::Month {
                    year,
                    month: month(suffix)?,
                },
            },
            (true, Some(suffix)) => match suffix.strip_prefix('Q') {
                Some(q) => Repr::FiscalQuarter {
                    start_year: year,
                    quarter: quarter(q)?,
                },
                // Concord speaks of fiscal years and quarters, never fiscal months.
                None => return Err(PeriodError::Malformed { input: input() }),
            },
        };
        Ok(Self(repr))
    }

    /// The calendar month containing `date`.
    ///
    /// # Errors
    /// Fails with [`PeriodError::YearOutOfRange`] for a date outside 1900..=9999.
    pub fn month_of(date: NaiveDate) -> Result<Self, PeriodError> {
        let year = checked_year(date)?;
        Ok(Self(Repr::Month {
            year,
            month: date.month(),
        }))
    }

    /// The calendar quarter containing `date`.
    ///
    /// # Errors
    /// Fails with [`PeriodError::YearOutOfRange`] for a date outside 1900..=9999.
    pub fn quarter_of(date: NaiveDate) -> Result<Self, PeriodError> {
        let year = checked_year(date)?;
        Ok(Self(Repr::Quarter {
            year,
            quarter: date.month0() / 3 + 1,
        }))
    }

    /// The calendar year containing `date`.
    ///
    /// # Errors
    /// Fails with [`PeriodError::YearOutOfRange`] for a date outside 1900..=9999.
    pub fn year_of(date: NaiveDate) -> Result<Self, PeriodError> {
        let year = checked_year(date)?;
        Ok(Self(Repr::Year { year }))
    }

    /// Which of the five shapes this period has.
    pub const fn kind(self) -> PeriodKind {
        match self.0 {
            Repr::Month { .. } => PeriodKind::Month,
            Repr::Quarter { .. } => PeriodKind::Quarter,
            Repr::Year { .. } => PeriodKind::Year,
            Repr::FiscalYear { .. } => PeriodKind::FiscalYear,
            Repr::FiscalQuarter { .. } => PeriodKind::FiscalQuarter,
        }
    }

    /// The reporting frequency whose periods have this length; fiscal
    /// quarters and years count as quarterly and annual.
    pub const fn frequency(self) -> Frequency {
        match self.kind() {
            PeriodKind::Month => Frequency::Monthly,
            PeriodKind::Quarter | PeriodKind::FiscalQuarter => Frequency::Quarterly,
            PeriodKind::Year | PeriodKind::FiscalYear => Frequency::Annual,
        }
    }

    /// The period of the same kind that follows this one, or `None` after
    /// the year 9999.
    pub fn next(self) -> Option<Self> {
        let repr = match self.0 {
            Repr::Month { year, month: 12 } => Repr::Month {
                year: next_year(year)?,
                month: 1,
            },
            Repr::Month { year, month } => Repr::Month {
                year,
                month: month + 1,
            },
            Repr::Quarter { year, quarter: 4 } => Repr::Quarter {
                year: next_year(year)?,
                quarter: 1,
            },
            Repr::Quarter { year, quarter } => Repr::Quarter {
                year,
                quarter: quarter + 1,
            },
            Repr::Year { year } => Repr::Year {
                year: next_year(year)?,
            },
            Repr::FiscalYear { start_year } => Repr::FiscalYear {
                start_year: next_year(start_year)?,
            },
            Repr::FiscalQuarter {
                start_year,
                quarter: 4,
            } => Repr::FiscalQuarter {
                start_year: next_year(start_year)?,
                quarter: 1,
            },
            Repr::FiscalQuarter {
                start_year,
                quarter,
            } => Repr::FiscalQuarter {
                start_year,
                quarter: quarter + 1,
            },
        };
        Some(Self(repr))
    }

    /// The period of the same kind `n` periods later (earlier when `n` is
    /// negative), or `None` outside the years 1900 to 9999.
    pub fn plus(self, n: i32) -> Option<Self> {
        // Every kind is a run of equal blocks counted from a year's start:
        // step in blocks, then read the year and block back.
        let blocks_per_year = match self.0 {
            Repr::Month { .. } => 12,
            Repr::Quarter { .. } | Repr::FiscalQuarter { .. } => 4,
            Repr::Year { .. } | Repr::FiscalYear { .. } => 1,
        };
        let (year, block) = match self.0 {
            Repr::Month { year, month } => (year, month as i32 - 1),
            Repr::Quarter { year, quarter } => (year, quarter as i32 - 1),
            Repr::Year { year } => (year, 0),
            Repr::FiscalYear { start_year } => (start_year, 0),
            Repr::FiscalQuarter {
                start_year,
                quarter,
            } => (start_year, quarter as i32 - 1),
        };
        let index = (year * blocks_per_year + block).checked_add(n)?;
        let year = index.div_euclid(blocks_per_year);
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return None;
        }
        let block = u32::try_from(index.rem_euclid(blocks_per_year)).ok()? + 1;
        let repr = match self.0 {
            Repr::Month { .. } => Repr::Month { year, month: block },
            Repr::Quarter { .. } => Repr::Quarter {
                year,
                quarter: block,
            },
            Repr::Year { .. } => Repr::Year { year },
            Repr::FiscalYear { .. } => Repr::FiscalYear { start_year: year },
            Repr::FiscalQuarter { .. } => Repr::FiscalQuarter {
                start_year: year,
                quarter: block,
            },
        };
        Some(Self(repr))
    }

    /// The period's first month counted from January of year 0, and its
    /// length in months.
    ///
    /// # Panics
    /// If `fiscal_start_month` is not in 1..=12.
    pub fn month_span(self, fiscal_start_month: u32) -> (i32, i32) {
        self.months(fiscal_start_month)
    }

    /// The first day of the period.
    ///
    /// # Panics
    /// If `fiscal_start_month` is not in 1..=12.
    pub fn start_date(self, fiscal_start_month: u32) -> NaiveDate {
        let (first_month, _) = self.months(fiscal_start_month);
        first_day(first_month)
    }

    /// The last day of the period (inclusive).
    ///
    /// # Panics
    /// If `fiscal_start_month` is not in 1..=12.
    pub fn end_date(self, fiscal_start_month: u32) -> NaiveDate {
        let (first_month, length) = self.months(fiscal_start_month);
        first_day(first_month + length)
            .pred_opt()
            .expect("the day before a first of the month in 1900..=10000 exists")
    }

    /// Whether `date` falls within the period, both ends included.
    ///
    /// # Panics
    /// If `fiscal_start_month` is not in 1..=12.
    pub fn contains(self, date: NaiveDate, fiscal_start_month: u32) -> bool {
        (self.start_date(fiscal_start_month)..=self.end_date(fiscal_start_month)).contains(&date)
    }

    /// Whether the period is over by `today`: a period whose last day is
    /// today counts as ended, so it can be reported on today.
    ///
    /// # Panics
    /// If `fiscal_start_month` is not in 1..=12.
    pub fn has_ended(self, today: NaiveDate, fiscal_start_month: u32) -> bool {
        self.end_date(fiscal_start_month) <= today
    }

    /// The period's first month, counted from January of year 0, and its
    /// length in months: month arithmetic then is plain addition.
    fn months(self, fiscal_start_month: u32) -> (i32, i32) {
        assert!(
            (1..=12).contains(&fiscal_start_month),
            "a fiscal year starts in month 1 to 12, not {fiscal_start_month}"
        );
        let fiscal_offset = fiscal_start_month as i32 - 1;
        match self.0 {
            Repr::Month { year, month } => (year * 12 + month as i32 - 1, 1),
            Repr::Quarter { year, quarter } => (year * 12 + 3 * (quarter as i32 - 1), 3),
            Repr::Year { year } => (year * 12, 12),
            Repr::FiscalYear { start_year } => (start_year * 12 + fiscal_offset, 12),
            Repr::FiscalQuarter {
                start_year,
                quarter,
            } => (
                start_year * 12 + fiscal_offset + 3 * (quarter as i32 - 1),
                3,
            ),
        }
    }
}

/// The twelve whole months before `today`'s: the first day of the first
/// and the last day of the last (`2025-12-01`, `2026-11-30` on 7 December
/// 2026), what a read over "the last year" covers by default.
pub fn twelve_months_before(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let this_month = today.with_day(1).unwrap_or(today);
    (
        this_month - chrono::Months::new(12),
        this_month.pred_opt().unwrap_or(this_month),
    )
}

/// The calendar periods of `frequency` that overlap `from..=to`, in order;
/// empty when `to` is before `from`. Days outside 1900..=9999 are ignored.
pub fn periods_between(frequency: Frequency, from: NaiveDate, to: NaiveDate) -> Vec<Period> {
    let earliest = NaiveDate::from_ymd_opt(MIN_YEAR, 1, 1).expect("1900-01-01 exists");
    let mut periods = Vec::new();
    if to < from {
        return periods;
    }
    let first = from.max(earliest);
    let mut next = match frequency {
        Frequency::Monthly => Period::month_of(first),
        Frequency::Quarterly => Period::quarter_of(first),
        Frequency::Annual => Period::year_of(first),
    }
    .ok();
    while let Some(period) = next.filter(|period| period.start_date(1) <= to) {
        periods.push(period);
        next = period.next();
    }
    periods
}

/// Periods sort by their first day, and periods starting on the same day
/// from shortest to longest (`2026-01` < `2026-Q1` < `2026`). A fiscal
/// period has no first day until its fiscal start month is known; fiscal
/// periods sort as if the fiscal year began in January, which is meaningful
/// among fiscal periods only.
impl Ord for Period {
    fn cmp(&self, other: &Self) -> Ordering {
        let key = |period: &Self| (period.months(1).0, period.kind());
        key(self).cmp(&key(other))
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Repr::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            Repr::Quarter { year, quarter } => write!(f, "{year:04}-Q{quarter}"),
            Repr::Year { year } => write!(f, "{year:04}"),
            Repr::FiscalYear { start_year } => write!(f, "FY{start_year:04}"),
            Repr::FiscalQuarter {
                start_year,
                quarter,
            } => write!(f, "FY{start_year:04}-Q{quarter}"),
        }
    }
}

/// Shows the canonical text, which says more than the representation.
impl fmt::Debug for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Period({self})")
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Why a period was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PeriodError {
    #[error("'{input}' is not a period; write 2026-10, 2026-Q3, 2026, FY2026 or FY2026-Q1")]
    Malformed { input: String },
    #[error("'{input}' is outside the years 1900 to 9999")]
    YearOutOfRange { input: String },
    #[error("'{input}' has no such month; months run from 01 to 12")]
    MonthOutOfRange { input: String },
    #[error("'{input}' has no such quarter; quarters run from Q1 to Q4")]
    QuarterOutOfRange { input: String },
}

/// The number written with exactly `len` ASCII digits, if `text` is that.
fn digits(text: &str, len: usize) -> Option<u16> {
    if text.len() == len && text.bytes().all(|byte| byte.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

fn checked_year(date: NaiveDate) -> Result<i32, PeriodError> {
    let year = date.year();
    if (MIN_YEAR..=MAX_YEAR).contains(&year) {
        Ok(year)
    } else {
        Err(PeriodError::YearOutOfRange {
            input: date.to_string(),
        })
    }
}

fn next_year(year: i32) -> Option<i32> {
    (year < MAX_YEAR).then_some(year + 1)
}

/// The first day of a month counted as in [`Period::months`].
fn first_day(month_index: i32) -> NaiveDate {
    let month = u32::try_from(month_index.rem_euclid(12)).expect("0..12 fits in a u32") + 1;
    NaiveDate::from_ymd_opt(month_index.div_euclid(12), month, 1)
        .expect("the first of a month in 1900..=10000 exists")
}

#[cfg(test)]
mod tests {
    use super::*;

    const JANUARY: u32 = 1;
    const APRIL: u32 = 4;
    const JULY: u32 = 7;

    fn period(text: &str) -> Period {
        Period::parse(text).unwrap()
    }

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn span(text: &str, fiscal_start_month: u32) -> (String, String) {
        let period = period(text);
        (
            period.start_date(fiscal_start_month).to_string(),
            period.end_date(fiscal_start_month).to_string(),
        )
    }

    fn pair(start: &str, end: &str) -> (String, String) {
        (start.to_owned(), end.to_owned())
    }

    #[test]
    fn every_canonical_form_parses_and_prints_back_the_same() {
        for (text, kind) in [
            ("2026-10", PeriodKind::Month),
            ("2026-01", PeriodKind::Month),
            ("2026-Q3", PeriodKind::Quarter),
            ("2026", PeriodKind::Year),
            ("FY2026", PeriodKind::FiscalYear),
            ("FY2026-Q1", PeriodKind::FiscalQuarter),
            ("1900", PeriodKind::Year),
            ("9999-12", PeriodKind::Month),
        ] {
            let period = period(text);
            assert_eq!(period.kind(), kind, "{text}");
            assert_eq!(period.to_string(), text);
        }
    }

    #[test]
    fn calendar_periods_span_their_months() {
        assert_eq!(span("2026-10", APRIL), pair("2026-10-01", "2026-10-31"));
        assert_eq!(span("2024-02", JANUARY), pair("2024-02-01", "2024-02-29"));
        assert_eq!(span("2026-Q3", APRIL), pair("2026-07-01", "2026-09-30"));
        assert_eq!(span("2026-Q4", JANUARY), pair("2026-10-01", "2026-12-31"));
        assert_eq!(span("2026", JULY), pair("2026-01-01", "2026-12-31"));
    }

    #[test]
    fn a_fiscal_year_is_named_by_the_calendar_year_it_starts_in() {
        assert_eq!(span("FY2026", APRIL), pair("2026-04-01", "2027-03-31"));
        assert_eq!(span("FY2026", JULY), pair("2026-07-01", "2027-06-30"));
        assert_eq!(span("FY2026", JANUARY), span("2026", JANUARY));
    }

    #[test]
    fn fiscal_quarters_count_from_the_fiscal_start_month() {
        assert_eq!(span("FY2026-Q1", APRIL), pair("2026-04-01", "2026-06-30"));
        assert_eq!(span("FY2026-Q4", APRIL), pair("2027-01-01", "2027-03-31"));
        assert_eq!(span("FY2026-Q2", JANUARY), span("2026-Q2", JANUARY));
        assert_eq!(span("FY2026-Q2", 11), pair("2027-02-01", "2027-04-30"));
    }

    #[test]
    fn a_month_outside_01_to_12_is_rejected() {
        for text in ["2026-00", "2026-13"] {
            assert_eq!(
                Period::parse(text),
                Err(PeriodError::MonthOutOfRange { input: text.into() })
            );
        }
    }

    #[test]
    fn a_quarter_outside_q1_to_q4_is_rejected() {
        for text in ["2026-Q0", "2026-Q5", "FY2026-Q5"] {
            assert_eq!(
                Period::parse(text),
                Err(PeriodError::QuarterOutOfRange { input: text.into() })
            );
        }
    }

    #[test]
    fn a_year_outside_1900_to_9999_is_rejected() {
        for text in ["1899", "0000", "1899-12", "FY1899"] {
            assert_eq!(
                Period::parse(text),
                Err(PeriodError::YearOutOfRange { input: text.into() })
            );
        }
    }

    #[test]
    fn anything_but_the_canonical_form_is_rejected() {
        for text in [
            "",
            "garbage",
            "2026-q3",
            "fy2026",
            "Fy2026",
            "FY2026-q1",
            "2026-1",
            "2026-010",
            "26",
            "02026",
            "10000",
            " 2026",
            "2026 ",
            "2026-Q",
            "2026-Q10",
            "FY2026-04",
            "FY",
            "2026-",
            "-2026",
            "2026-10-01",
            "２０２６",
        ] {
            assert_eq!(
                Period::parse(text),
                Err(PeriodError::Malformed { input: text.into() }),
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_refusal_says_what_is_expected() {
        assert_eq!(
            Period::parse("2026-q3").unwrap_err().to_string(),
            "'2026-q3' is not a period; write 2026-10, 2026-Q3, 2026, FY2026 or FY2026-Q1"
        );
    }

    #[test]
    fn each_period_kind_has_its_reporting_frequency() {
        let frequencies: Vec<_> = ["2026-10", "2026-Q3", "FY2026-Q3", "2026", "FY2026"]
            .map(|text| period(text).frequency())
            .into();

        assert_eq!(
            frequencies,
            [
                Frequency::Monthly,
                Frequency::Quarterly,
                Frequency::Quarterly,
                Frequency::Annual,
                Frequency::Annual,
            ]
        );
    }

    #[test]
    fn the_next_period_rolls_over_the_year() {
        for (text, next) in [
            ("2026-11", "2026-12"),
            ("2026-12", "2027-01"),
            ("2026-Q4", "2027-Q1"),
            ("2026", "2027"),
            ("FY2026", "FY2027"),
            ("FY2026-Q3", "FY2026-Q4"),
            ("FY2026-Q4", "FY2027-Q1"),
        ] {
            assert_eq!(period(text).next(), Some(period(next)), "{text}");
        }
    }

    #[test]
    fn there_is_no_period_after_9999() {
        assert_eq!(period("9999-12").next(), None);
        assert_eq!(period("FY9999-Q4").next(), None);
    }

    #[test]
    fn the_periods_containing_a_date_are_found() {
        let day = date("2026-08-15");

        assert_eq!(Period::month_of(day), Ok(period("2026-08")));
        assert_eq!(Period::quarter_of(day), Ok(period("2026-Q3")));
        assert_eq!(Period::year_of(day), Ok(period("2026")));
        assert!(matches!(
            Period::month_of(date("1899-12-31")),
            Err(PeriodError::YearOutOfRange { .. })
        ));
    }

    #[test]
    fn a_period_contains_both_its_first_and_last_day() {
        let q1 = period("FY2026-Q1");

        assert!(q1.contains(date("2026-04-01"), APRIL));
        assert!(q1.contains(date("2026-06-30"), APRIL));
        assert!(!q1.contains(date("2026-03-31"), APRIL));
        assert!(!q1.contains(date("2026-07-01"), APRIL));
    }

    #[test]
    fn a_period_ending_today_has_ended() {
        let september = period("2026-09");

        assert!(!september.has_ended(date("2026-09-29"), JANUARY));
        assert!(september.has_ended(date("2026-09-30"), JANUARY));
        assert!(september.has_ended(date("2026-10-01"), JANUARY));
    }

    #[test]
    #[should_panic(expected = "a fiscal year starts in month 1 to 12, not 13")]
    fn a_fiscal_start_month_outside_1_to_12_is_a_programming_error() {
        period("FY2026").start_date(13);
    }

    #[test]
    fn periods_between_two_dates_are_every_overlapping_calendar_period_in_order() {
        let texts = |frequency, from, to| -> Vec<String> {
            periods_between(frequency, date(from), date(to))
                .iter()
                .map(ToString::to_string)
                .collect()
        };

        assert_eq!(
            texts(Frequency::Monthly, "2026-11-15", "2027-02-01"),
            ["2026-11", "2026-12", "2027-01", "2027-02"]
        );
        assert_eq!(
            texts(Frequency::Quarterly, "2026-03-31", "2026-07-01"),
            ["2026-Q1", "2026-Q2", "2026-Q3"]
        );
        assert_eq!(
            texts(Frequency::Annual, "2025-12-31", "2026-01-01"),
            ["2025", "2026"]
        );
        assert_eq!(
            texts(Frequency::Monthly, "2026-05-10", "2026-05-10"),
            ["2026-05"]
        );
        assert!(texts(Frequency::Monthly, "2026-05-10", "2026-05-09").is_empty());
    }

    #[test]
    fn periods_sort_by_start_then_shortest_first() {
        let mut periods = [
            "2027-01", "2026", "2026-Q2", "2026-02", "2026-Q1", "2026-01",
        ]
        .map(period);

        periods.sort();

        assert_eq!(
            periods.map(|p| p.to_string()),
            [
                "2026-01", "2026-Q1", "2026", "2026-02", "2026-Q2", "2027-01"
            ]
        );
    }

    #[test]
    fn a_period_travels_as_its_canonical_text() {
        let json = serde_json::to_string(&period("FY2026-Q1")).unwrap();

        assert_eq!(json, "\"FY2026-Q1\"");
        assert_eq!(
            serde_json::from_str::<Period>(&json).unwrap(),
            period("FY2026-Q1")
        );
        assert!(serde_json::from_str::<Period>("\"2026-13\"").is_err());
    }
}
