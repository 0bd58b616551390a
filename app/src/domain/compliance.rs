//! Service-level compliance (DOMAIN.md §4): judging a reported value
//! against a commitment's target and warning band, when a period without a
//! report is `missing` or still `pending`, how a report of a ratio KPI
//! counts (Σnumerator / Σdenominator, never a mean of percentages), the
//! plausibility checks every submitted value passes, and the error budget of
//! a commitment over a year. Pure rules: the browser checks a report with
//! exactly what the server checks.

use crate::domain::enums::str_enum;
use crate::domain::{KpiDirection, KpiUnit, Period};
use chrono::NaiveDate;
use rust_decimal::Decimal;

str_enum! {
    /// The compliance of one commitment for one period.
    pub enum Status("compliance status") {
        Met = "met",
        AtRisk = "at_risk",
        Breached = "breached",
        Missing = "missing",
        Pending = "pending",
    }
}

/// The terms a value is judged by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target {
    pub target: Decimal,
    /// How far past the target still counts as `at_risk` (none: zero).
    pub warning_band: Option<Decimal>,
    pub direction: KpiDirection,
}

/// `met` on the right side of the target (the target included); `at_risk`
/// when it misses by no more than the warning band (its far edge
/// included); `breached` beyond.
///
/// ```
/// use app::domain::compliance::{Status, Target, judge};
/// use app::domain::KpiDirection;
/// let t = Target { target: "80".parse().unwrap(), warning_band: Some("5".parse().unwrap()),
///                  direction: KpiDirection::HigherIsBetter };
/// assert_eq!(judge("80".parse().unwrap(), &t), Status::Met);
/// assert_eq!(judge("75".parse().unwrap(), &t), Status::AtRisk);
/// assert_eq!(judge("74.99".parse().unwrap(), &t), Status::Breached);
/// ```
pub fn judge(value: Decimal, t: &Target) -> Status {
    let band = t.warning_band.unwrap_or(Decimal::ZERO).abs();
    let (should_be_above, above) = match t.direction {
        KpiDirection::HigherIsBetter => (t.target, value),
        KpiDirection::LowerIsBetter => (value, t.target),
    };
    // How far short the value falls; a difference too large for a
    // decimal is beyond any band.
    let Some(short) = should_be_above.checked_sub(above) else {
        return if should_be_above > above {
            Status::Breached
        } else {
            Status::Met
        };
    };
    if short <= Decimal::ZERO {
        Status::Met
    } else if short <= band {
        Status::AtRisk
    } else {
        Status::Breached
    }
}

/// The last day a report for a period ending `end` is on time.
pub fn due_date(end: NaiveDate, grace_days: i32) -> NaiveDate {
    end.checked_add_signed(chrono::Duration::days(i64::from(grace_days.max(0))))
        .unwrap_or(end)
}

/// The grace days a commitment has when it names none (DOMAIN.md §4).
pub const DEFAULT_GRACE_DAYS: i32 = 15;

/// The latest calendar month whose reports are past due by `today` under
/// the default grace: the last month whose every unreported commitment
/// already counts as missing, so its figures are final. On 2026-12-01 that
/// is 2026-10 (November's reports are due until 12-15); from 12-16, 2026-11.
pub fn latest_month_due(today: NaiveDate) -> Option<Period> {
    let mut month = Period::month_of(today).ok()?;
    loop {
        month = month.plus(-1)?;
        if unreported(month.end_date(1), DEFAULT_GRACE_DAYS, today) == Status::Missing {
            return Some(month);
        }
    }
}

/// A period without a report: `missing` once its end plus the grace days
/// have passed, `pending` until then (the last day of grace included).
pub fn unreported(end: NaiveDate, grace_days: i32, today: NaiveDate) -> Status {
    if today > due_date(end, grace_days) {
        Status::Missing
    } else {
        Status::Pending
    }
}

/// What a report gives: a value, or a numerator and denominator.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reading {
    pub value: Option<Decimal>,
    pub numerator: Option<Decimal>,
    pub denominator: Option<Decimal>,
    pub volume: Option<i64>,
}

impl Reading {
    /// The value judged against the target: the value given, or for a
    /// ratio 100 × numerator / denominator (`None` should that not fit in
    /// a decimal, which [`reading_bounds`] rules out for what comes in).
    pub fn value(&self) -> Option<Decimal> {
        match (self.numerator, self.denominator) {
            (Some(n), Some(d)) if !d.is_zero() => percent_of(n, d),
            _ => self.value,
        }
    }

    /// How the report counts in a ratio aggregate: its numerator and
    /// denominator; a bare value counts as value × volume / 100 over the
    /// volume, or as value over 100 without one.
    pub fn ratio_parts(&self) -> Option<(Decimal, Decimal)> {
        match (self.numerator, self.denominator, self.value, self.volume) {
            (Some(n), Some(d), _, _) => Some((n, d)),
            (_, _, Some(v), Some(vol)) if vol > 0 => {
                let vol = Decimal::from(vol);
                let n = v.checked_mul(vol)?.checked_div(Decimal::ONE_HUNDRED)?;
                Some((n, vol))
            }
            (_, _, Some(v), _) => Some((v, Decimal::ONE_HUNDRED)),
            _ => None,
        }
    }
}

/// 100 × `n` / `d`, `None` when it does not fit in a decimal.
fn percent_of(n: Decimal, d: Decimal) -> Option<Decimal> {
    Decimal::ONE_HUNDRED
        .checked_mul(n)
        .and_then(|x| x.checked_div(d))
        // 100 × n alone may overflow where the quotient would not.
        .or_else(|| n.checked_div(d)?.checked_mul(Decimal::ONE_HUNDRED))
}

/// Σnumerator / Σdenominator × 100 over ratio readings; `None` when the
/// denominators add up to zero (or the sums would not fit in a decimal,
/// which [`reading_bounds`] rules out for what comes in).
///
/// ```
/// use app::domain::compliance::{Reading, ratio_of};
/// let d = |s: &str| Some(s.parse().unwrap());
/// // 90 of 100 and 10 of 100 000: 0.10 %, not the mean of 90 % and 0.01 %.
/// let r = [Reading { numerator: d("90"), denominator: d("100"), ..Default::default() },
///          Reading { numerator: d("10"), denominator: d("100000"), ..Default::default() }];
/// assert_eq!(ratio_of(&r).unwrap().round_dp(2), "0.10".parse().unwrap());
/// ```
pub fn ratio_of(readings: &[Reading]) -> Option<Decimal> {
    let (mut n, mut d) = (Decimal::ZERO, Decimal::ZERO);
    for r in readings {
        if let Some((a, b)) = r.ratio_parts() {
            n = n.checked_add(a)?;
            d = d.checked_add(b)?;
        }
    }
    if d.is_zero() {
        return None;
    }
    percent_of(n, d)
}

/// One implausible field of a report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Implausible {
    pub field: &'static str,
    pub message: String,
}

fn problem(out: &mut Vec<Implausible>, field: &'static str, message: impl Into<String>) {
    out.push(Implausible {
        field,
        message: message.into(),
    });
}

/// The largest value, numerator, denominator or target taken in (absolute
/// value): 10^15, which keeps every ratio and statistic within a decimal.
pub const MAX_READING: Decimal = Decimal::from_parts(0xA4C6_8000, 0x38D7E, 0, false, 0);

/// A number of a report — value, numerator, denominator — or a target, as
/// typed or sent: plain decimal notation (an optional `-`, digits, and
/// optionally `.` and digits), at most four decimals once trailing zeros
/// are dropped, at most [`MAX_READING`]. The one reading of such numbers,
/// in the browser's forms and on the server.
///
/// ```
/// use app::domain::compliance::parse_number;
/// assert_eq!(parse_number(" 84.50 ").unwrap().to_string(), "84.5");
/// assert!(parse_number("1e3").is_err());
/// assert!(parse_number("0.12345").is_err());
/// ```
pub fn parse_number(text: &str) -> Result<Decimal, String> {
    use super::money::{DecimalTextError, parse_plain_decimal};
    let t = text.trim();
    match parse_plain_decimal(t, 4) {
        Ok(d) if d.abs() <= MAX_READING => Ok(d),
        Ok(_) | Err(DecimalTextError::OutOfRange) => Err(format!(
            "'{t}' is too large: at most 1,000,000,000,000,000."
        )),
        Err(DecimalTextError::TooManyDecimals) => {
            Err(format!("'{t}' has more than four decimals."))
        }
        Err(DecimalTextError::NotANumber) => Err(format!("'{t}' is not a number.")),
    }
}

/// A reading's numbers beyond what Concord takes in: parts above
/// [`MAX_READING`], a volume above [`super::cost::MAX_COUNT`].
pub fn reading_bounds(r: &Reading) -> Vec<Implausible> {
    let mut out = Vec::new();
    for (field, v) in [
        ("value", r.value),
        ("numerator", r.numerator),
        ("denominator", r.denominator),
    ] {
        if v.is_some_and(|v| v.abs() > MAX_READING) {
            problem(&mut out, field, "Too large: at most 1,000,000,000,000,000.");
        }
    }
    if r.volume
        .is_some_and(|v| v.unsigned_abs() > super::cost::MAX_COUNT)
    {
        problem(
            &mut out,
            "volume",
            "At most 1,000,000,000,000 transactions.",
        );
    }
    out
}

/// The plausibility checks of DOMAIN.md §4: a value or a numerator and
/// denominator (for a ratio KPI), not both and not neither; a percentage
/// within 0–100; a numerator no greater than its denominator, which is
/// above zero; no negative duration, count, amount or volume.
pub fn check_reading(r: &Reading, unit: KpiUnit, is_ratio: bool) -> Vec<Implausible> {
    let mut out = reading_bounds(r);
    if !out.is_empty() {
        return out;
    }
    let parts = r.numerator.is_some() || r.denominator.is_some();
    match (r.value.is_some(), parts) {
        (false, false) => problem(
            &mut out,
            "value",
            if is_ratio {
                "Give a value, or a numerator and a denominator."
            } else {
                "Give a value."
            },
        ),
        (true, true) => problem(
            &mut out,
            "value",
            "Give a value or a numerator and a denominator, not both.",
        ),
        (false, true) if !is_ratio => problem(
            &mut out,
            "numerator",
            "This KPI is not a ratio: give a value.",
        ),
        (false, true) => match (r.numerator, r.denominator) {
            (Some(n), Some(d)) => {
                if n < Decimal::ZERO {
                    problem(&mut out, "numerator", "A numerator cannot be negative.");
                }
                if d <= Decimal::ZERO {
                    problem(&mut out, "denominator", "A denominator must be above zero.");
                } else if n > d {
                    problem(
                        &mut out,
                        "numerator",
                        format!("The numerator ({n}) is above the denominator ({d})."),
                    );
                }
            }
            (None, _) => problem(&mut out, "numerator", "Give the numerator too."),
            (_, None) => problem(&mut out, "denominator", "Give the denominator too."),
        },
        (true, false) => {}
    }
    if let Some(v) = r.value {
        match unit {
            KpiUnit::Percent if v < Decimal::ZERO || v > Decimal::ONE_HUNDRED => problem(
                &mut out,
                "value",
                format!("A percentage is from 0 to 100, not {v}."),
            ),
            KpiUnit::Seconds | KpiUnit::Minutes | KpiUnit::Days if v < Decimal::ZERO => {
                problem(
                    &mut out,
                    "value",
                    format!("A time cannot be negative ({v})."),
                );
            }
            KpiUnit::Count | KpiUnit::Currency if v < Decimal::ZERO => {
                problem(
                    &mut out,
                    "value",
                    format!("This value cannot be negative ({v})."),
                );
            }
            _ => {}
        }
    }
    if r.volume.is_some_and(|v| v < 0) {
        problem(&mut out, "volume", "A volume cannot be negative.");
    }
    out
}

/// A commitment's error budget over one year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorBudget {
    /// Periods allowed to be `breached` or `missing`.
    pub allowed: u32,
    /// Periods that were.
    pub spent: u32,
    /// `allowed − spent`, never below zero.
    pub remaining: u32,
    /// More spent than allowed: the year's commitment is lost.
    pub exhausted: bool,
}

/// The budget of a year with `periods` periods (allowed: `allowed_misses`,
/// default a tenth of the periods, rounded down) given the year's statuses.
pub fn error_budget(
    allowed_misses: Option<i32>,
    periods: usize,
    statuses: &[Status],
) -> ErrorBudget {
    let allowed = allowed_misses.map_or(periods as u32 / 10, |a| a.max(0) as u32);
    let spent = statuses
        .iter()
        .filter(|s| matches!(s, Status::Breached | Status::Missing))
        .count() as u32;
    ErrorBudget {
        allowed,
        spent,
        remaining: allowed.saturating_sub(spent),
        exhausted: spent > allowed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    fn higher(target: &str, band: Option<&str>) -> Target {
        Target {
            target: d(target),
            warning_band: band.map(d),
            direction: KpiDirection::HigherIsBetter,
        }
    }

    fn lower(target: &str, band: Option<&str>) -> Target {
        Target {
            direction: KpiDirection::LowerIsBetter,
            ..higher(target, band)
        }
    }

    #[test]
    fn differences_and_ratios_beyond_a_decimal_are_judged_not_a_panic() {
        let far = Target {
            target: Decimal::MAX,
            warning_band: Some(Decimal::MAX),
            direction: KpiDirection::HigherIsBetter,
        };
        assert_eq!(judge(Decimal::MIN, &far), Status::Breached);
        assert_eq!(judge(Decimal::MAX, &far), Status::Met);
        let low = Target {
            direction: KpiDirection::LowerIsBetter,
            ..far
        };
        assert_eq!(judge(Decimal::MIN, &low), Status::Met);
        let tiny = Reading {
            numerator: Some(Decimal::MAX),
            denominator: Some(d("0.0000000000000000000000000001")),
            ..Default::default()
        };
        assert_eq!(tiny.value(), None);
        assert_eq!(ratio_of(&[tiny, tiny]), None);
        let many = Reading {
            value: Some(Decimal::MAX),
            volume: Some(i64::MAX),
            ..Default::default()
        };
        assert_eq!(many.ratio_parts(), None);
    }

    #[test]
    fn the_target_exactly_is_met_either_way() {
        assert_eq!(judge(d("80"), &higher("80", Some("5"))), Status::Met);
        assert_eq!(judge(d("15"), &lower("15", Some("5"))), Status::Met);
        assert_eq!(judge(d("95"), &higher("80", None)), Status::Met);
        assert_eq!(judge(d("2"), &lower("15", None)), Status::Met);
    }

    #[test]
    fn exactly_on_the_far_edge_of_the_band_is_still_at_risk() {
        assert_eq!(judge(d("75"), &higher("80", Some("5"))), Status::AtRisk);
        assert_eq!(
            judge(d("79.9999"), &higher("80", Some("5"))),
            Status::AtRisk
        );
        assert_eq!(
            judge(d("74.9999"), &higher("80", Some("5"))),
            Status::Breached
        );
        assert_eq!(judge(d("20"), &lower("15", Some("5"))), Status::AtRisk);
        assert_eq!(
            judge(d("20.0001"), &lower("15", Some("5"))),
            Status::Breached
        );
    }

    #[test]
    fn without_a_band_any_miss_is_a_breach() {
        assert_eq!(judge(d("79.99"), &higher("80", None)), Status::Breached);
        assert_eq!(judge(d("15.01"), &lower("15", Some("0"))), Status::Breached);
    }

    #[test]
    fn the_latest_month_due_is_the_last_whose_grace_has_passed() {
        let on = |d: &str| latest_month_due(d.parse().expect("date")).map(|p| p.to_string());
        assert_eq!(on("2026-12-01").as_deref(), Some("2026-10"));
        assert_eq!(on("2026-12-15").as_deref(), Some("2026-10"));
        assert_eq!(on("2026-12-16").as_deref(), Some("2026-11"));
        assert_eq!(on("2027-01-01").as_deref(), Some("2026-11"));
        assert_eq!(on("2028-03-16").as_deref(), Some("2028-02"));
    }

    #[test]
    fn a_period_is_pending_through_its_last_day_of_grace_then_missing() {
        let end = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        assert_eq!(unreported(end, 15, day(10, 20)), Status::Pending);
        assert_eq!(unreported(end, 15, day(11, 15)), Status::Pending);
        assert_eq!(unreported(end, 15, day(11, 16)), Status::Missing);
        assert_eq!(unreported(end, 0, day(11, 1)), Status::Missing);
        assert_eq!(due_date(end, 15), day(11, 15));
    }

    #[test]
    fn a_ratio_reading_counts_by_its_parts_or_its_value_and_volume() {
        let r = Reading {
            numerator: Some(d("1608")),
            denominator: Some(d("1896")),
            ..Default::default()
        };
        assert_eq!(r.value().unwrap().round_dp(2), d("84.81"));
        let v = Reading {
            value: Some(d("80")),
            volume: Some(1000),
            ..Default::default()
        };
        assert_eq!(v.ratio_parts(), Some((d("800"), d("1000"))));
        let bare = Reading {
            value: Some(d("80")),
            ..Default::default()
        };
        assert_eq!(bare.ratio_parts(), Some((d("80"), d("100"))));
        assert_eq!(ratio_of(&[r, v]).unwrap().round_dp(4), d("83.1492"));
        assert_eq!(ratio_of(&[]), None);
    }

    #[test]
    fn implausible_values_are_refused_with_their_reason() {
        let msgs = |r: Reading, unit, ratio| -> Vec<(&'static str, String)> {
            check_reading(&r, unit, ratio)
                .into_iter()
                .map(|p| (p.field, p.message))
                .collect()
        };
        let value = |v: &str| Reading {
            value: Some(d(v)),
            ..Default::default()
        };
        assert_eq!(
            msgs(value("100.5"), KpiUnit::Percent, false),
            [(
                "value",
                "A percentage is from 0 to 100, not 100.5.".to_owned()
            )]
        );
        assert_eq!(msgs(value("-1"), KpiUnit::Percent, true)[0].0, "value");
        assert!(msgs(value("100"), KpiUnit::Percent, true).is_empty());
        assert!(msgs(value("0"), KpiUnit::Percent, true).is_empty());
        assert_eq!(
            msgs(value("-3"), KpiUnit::Minutes, false),
            [("value", "A time cannot be negative (-3).".to_owned())]
        );
        let parts = |n: &str, den: &str| Reading {
            numerator: Some(d(n)),
            denominator: Some(d(den)),
            ..Default::default()
        };
        assert_eq!(
            msgs(parts("11", "10"), KpiUnit::Percent, true),
            [(
                "numerator",
                "The numerator (11) is above the denominator (10).".to_owned()
            )]
        );
        assert!(msgs(parts("10", "10"), KpiUnit::Percent, true).is_empty());
        assert_eq!(
            msgs(parts("0", "0"), KpiUnit::Percent, true)[0].0,
            "denominator"
        );
        assert_eq!(
            msgs(parts("1", "2"), KpiUnit::Minutes, false)[0].0,
            "numerator"
        );
        assert_eq!(msgs(Reading::default(), KpiUnit::Days, false)[0].0, "value");
        let mut both = parts("1", "2");
        both.value = Some(d("50"));
        assert_eq!(msgs(both, KpiUnit::Percent, true)[0].0, "value");
        let mut neg = value("5");
        neg.volume = Some(-1);
        assert_eq!(msgs(neg, KpiUnit::Days, false)[0].0, "volume");
    }

    #[test]
    fn the_error_budget_defaults_to_a_tenth_of_the_periods() {
        use Status::*;
        let b = error_budget(None, 12, &[Met, Breached, Missing, AtRisk, Pending]);
        assert_eq!(
            b,
            ErrorBudget {
                allowed: 1,
                spent: 2,
                remaining: 0,
                exhausted: true
            }
        );
        let b = error_budget(Some(2), 12, &[Breached, Met]);
        assert_eq!((b.remaining, b.exhausted), (1, false));
        assert_eq!(error_budget(None, 4, &[]).allowed, 0);
    }
}
