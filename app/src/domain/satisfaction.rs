//! Citizen satisfaction by driver (DOMAIN.md §9), in the way of the Common
//! Measurements Tool: a survey result gives, for one service, channel and
//! month, its sample size, the percent of respondents satisfied overall,
//! perhaps a margin of error, and the percent satisfied with each driver
//! asked about. Here: the drivers, the bounds a result must keep, the
//! aggregation of results weighted by sample size, the margin of error of
//! an aggregate, and the driver analysis (which drivers most separate
//! satisfied from dissatisfied clients). Pure: no I/O, no clock.
//!
//! Means are exact decimals (Σ n·p ÷ Σ n, checked: an overflow is an
//! error, never a wrong number). Only square roots (margins, correlations)
//! leave exact arithmetic: each is refined by Newton's method in decimals
//! from a floating-point first guess.

use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};

use super::enums::str_enum;
use super::money::{DecimalTextError, parse_plain_decimal};

str_enum! {
    /// What a client may be satisfied with, beside the service as a whole:
    /// the Common Measurements Tool's drivers of satisfaction.
    pub enum Driver("satisfaction driver") {
        /// The time it took to get the service.
        Timeliness = "timeliness",
        /// Staff were knowledgeable and competent.
        Knowledge = "knowledge",
        Courtesy = "courtesy",
        /// Being treated fairly.
        Fairness = "fairness",
        /// Getting what was needed in the end.
        Outcome = "outcome",
    }
}

impl Driver {
    /// This driver's place in [`Driver::ALL`] (and in [`Survey::drivers`]).
    pub const fn index(self) -> usize {
        match self {
            Self::Timeliness => 0,
            Self::Knowledge => 1,
            Self::Courtesy => 2,
            Self::Fairness => 3,
            Self::Outcome => 4,
        }
    }
}

/// The largest sample size a result may give.
pub const MAX_SAMPLE: i64 = 10_000_000;

/// The most decimals a percentage of a result may have (`87.25`).
pub const SCORE_DECIMALS: u32 = 2;

/// Why a text is not a percentage of a survey result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    #[error("'{0}' is not a number: write a percentage as 87.5, without %")]
    NotANumber(String),
    #[error("'{0}' has more than two decimals")]
    TooManyDecimals(String),
    #[error("'{0}' is not a percentage from 0 to 100")]
    OutOfRange(String),
}

/// Reads a percentage of a survey result: plain decimal notation, from 0
/// to 100, at most two decimals (`87.5`, `100`, `0`).
///
/// # Errors
/// [`ScoreError`] for anything else; never rounded.
pub fn parse_score(text: &str) -> Result<Decimal, ScoreError> {
    let t = text.trim();
    let v = parse_plain_decimal(t, SCORE_DECIMALS).map_err(|e| match e {
        DecimalTextError::NotANumber => ScoreError::NotANumber(t.to_owned()),
        DecimalTextError::TooManyDecimals => ScoreError::TooManyDecimals(t.to_owned()),
        DecimalTextError::OutOfRange => ScoreError::OutOfRange(t.to_owned()),
    })?;
    if v < Decimal::ZERO || v > Decimal::ONE_HUNDRED {
        return Err(ScoreError::OutOfRange(t.to_owned()));
    }
    Ok(v)
}

/// What is wrong with a sample size, if anything: it counts respondents,
/// from 1 to [`MAX_SAMPLE`].
pub fn sample_problem(n: i64) -> Option<&'static str> {
    if n < 1 {
        Some("A sample has at least one respondent.")
    } else if n > MAX_SAMPLE {
        Some("At most 10,000,000 respondents.")
    } else {
        None
    }
}

/// One survey result as the aggregation reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Survey {
    /// Respondents, ≥ 1.
    pub sample: i64,
    /// Percent satisfied overall, 0–100.
    pub overall: Decimal,
    /// The survey's own margin of error, in percentage points.
    pub margin: Option<Decimal>,
    /// Percent satisfied with each driver, in [`Driver::ALL`] order; `None`
    /// where the survey did not ask.
    pub drivers: [Option<Decimal>; 5],
}

impl Survey {
    pub fn driver(&self, d: Driver) -> Option<Decimal> {
        self.drivers[d.index()]
    }
}

/// The sums of the results are too large to compute exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the results are too many or too large to add up exactly")]
pub struct Overflow;

/// A weighted mean and what it was taken over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mean {
    /// Σ n·p ÷ Σ n, exact to the decimal's precision (not rounded).
    pub mean: Decimal,
    /// Σ n.
    pub sample: i64,
    /// How many results.
    pub results: usize,
}

/// The mean of `(n, p)` pairs weighted by `n`; `None` over no pairs.
///
/// # Errors
/// [`Overflow`] when a sum cannot be held exactly.
pub fn weighted_mean(
    pairs: impl IntoIterator<Item = (i64, Decimal)>,
) -> Result<Option<Mean>, Overflow> {
    let (mut n, mut sum, mut results) = (0_i64, Decimal::ZERO, 0_usize);
    for (w, p) in pairs {
        n = n.checked_add(w).ok_or(Overflow)?;
        sum = sum
            .checked_add(Decimal::from(w).checked_mul(p).ok_or(Overflow)?)
            .ok_or(Overflow)?;
        results += 1;
    }
    if n <= 0 {
        return Ok(None);
    }
    Ok(Some(Mean {
        mean: sum.checked_div(Decimal::from(n)).ok_or(Overflow)?,
        sample: n,
        results,
    }))
}

/// Results added up: overall and each driver weighted by sample size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Aggregate {
    /// Overall satisfaction over every result.
    pub overall: Mean,
    /// The margin of error of `overall`, in percentage points (see
    /// [`aggregate`]).
    pub margin: Decimal,
    /// Whether `margin` is the normal approximation on the pooled sample
    /// (some result gave no margin of its own).
    pub margin_pooled: bool,
    /// Each driver over the results that asked about it, in
    /// [`Driver::ALL`] order.
    pub drivers: [Option<Mean>; 5],
}

/// `Σ n·p ÷ Σ n` of `rows`, overall and per driver (a driver missing from
/// a result leaves that result out of that driver's mean: it is not counted
/// as 0), and the margin of error of the overall mean:
///
/// - when every result gives its own margin mᵢ, the results are taken as
///   independent strata weighted by their share of the sample:
///   `MOE = √(Σ (nᵢ/N)² · mᵢ²)`;
/// - otherwise, the 95 % normal approximation on the pooled sample:
///   `MOE = 100 · 1.96 · √(p(1−p)/N)`, `p` the overall mean as a fraction
///   and `N = Σ nᵢ`.
///
/// `None` over no result.
///
/// # Errors
/// [`Overflow`] when a sum cannot be held exactly.
pub fn aggregate(rows: &[Survey]) -> Result<Option<Aggregate>, Overflow> {
    let Some(overall) = weighted_mean(rows.iter().map(|r| (r.sample, r.overall)))? else {
        return Ok(None);
    };
    let mut drivers = [None; 5];
    for d in Driver::ALL {
        drivers[d.index()] = weighted_mean(
            rows.iter()
                .filter_map(|r| r.driver(*d).map(|p| (r.sample, p))),
        )?;
    }
    let n = Decimal::from(overall.sample);
    let given: Option<Vec<(i64, Decimal)>> = rows
        .iter()
        .map(|r| r.margin.map(|m| (r.sample, m)))
        .collect();
    let (margin, pooled) = match given {
        Some(margins) => {
            let mut sum = Decimal::ZERO;
            for (w, m) in margins {
                let share = Decimal::from(w).checked_div(n).ok_or(Overflow)?;
                let term = share
                    .checked_mul(m)
                    .and_then(|x| x.checked_mul(x))
                    .ok_or(Overflow)?;
                sum = sum.checked_add(term).ok_or(Overflow)?;
            }
            (sqrt(sum).ok_or(Overflow)?, false)
        }
        None => {
            let p = overall.mean / Decimal::ONE_HUNDRED;
            let variance = p
                .checked_mul(Decimal::ONE - p)
                .and_then(|v| v.checked_div(n))
                .ok_or(Overflow)?;
            let z = Decimal::new(196, 2);
            (
                Decimal::ONE_HUNDRED * z * sqrt(variance).ok_or(Overflow)?,
                true,
            )
        }
    };
    Ok(Some(Aggregate {
        overall,
        margin,
        margin_pooled: pooled,
        drivers,
    }))
}

/// How strongly one driver goes with overall satisfaction across results.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DriverEffect {
    pub driver: Driver,
    /// The driver's weighted mean over the results that asked about it.
    pub mean: Option<Mean>,
    /// The sample-size-weighted Pearson correlation between the driver's
    /// score and overall satisfaction across those results, from −1 to 1;
    /// `None` with fewer than three such results or when either score
    /// never varies.
    pub correlation: Option<Decimal>,
    /// The driver's weighted mean among the results whose overall is at or
    /// above the portfolio's weighted overall…
    pub satisfied: Option<Mean>,
    /// …and among those below it.
    pub dissatisfied: Option<Mean>,
    /// `satisfied − dissatisfied`, in percentage points.
    pub gap: Option<Decimal>,
    /// 1 for the driver that most separates satisfied from dissatisfied.
    pub rank: usize,
}

/// The fewest results a correlation is computed over.
pub const MIN_RESULTS_FOR_CORRELATION: usize = 3;

/// Which drivers most separate satisfied from dissatisfied clients over
/// `rows`: for each driver, over the results that asked about it, the
/// sample-size-weighted Pearson correlation between its score and overall
/// satisfaction
/// `r = Σwᵢ(xᵢ−x̄)(yᵢ−ȳ) ÷ √(Σwᵢ(xᵢ−x̄)² · Σwᵢ(yᵢ−ȳ)²)` (x̄, ȳ weighted
/// means, wᵢ the sample sizes), and the gap between its weighted mean among
/// results at or above the portfolio's weighted overall and among those
/// below. Ranked by correlation, highest first (a driver without one
/// last), then by gap, then in [`Driver::ALL`] order. Empty over no result.
///
/// # Errors
/// [`Overflow`] when a sum cannot be held exactly.
pub fn driver_analysis(rows: &[Survey]) -> Result<Vec<DriverEffect>, Overflow> {
    let Some(portfolio) = weighted_mean(rows.iter().map(|r| (r.sample, r.overall)))? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::with_capacity(Driver::ALL.len());
    for d in Driver::ALL {
        let with: Vec<(i64, Decimal, Decimal)> = rows
            .iter()
            .filter_map(|r| r.driver(*d).map(|x| (r.sample, x, r.overall)))
            .collect();
        let mean = weighted_mean(with.iter().map(|(w, x, _)| (*w, *x)))?;
        let satisfied = weighted_mean(
            with.iter()
                .filter(|(_, _, y)| *y >= portfolio.mean)
                .map(|(w, x, _)| (*w, *x)),
        )?;
        let dissatisfied = weighted_mean(
            with.iter()
                .filter(|(_, _, y)| *y < portfolio.mean)
                .map(|(w, x, _)| (*w, *x)),
        )?;
        let gap = match (satisfied, dissatisfied) {
            (Some(s), Some(u)) => Some(s.mean - u.mean),
            _ => None,
        };
        out.push(DriverEffect {
            driver: *d,
            mean,
            correlation: correlation(&with)?,
            satisfied,
            dissatisfied,
            gap,
            rank: 0,
        });
    }
    out.sort_by(|a, b| {
        let desc = |x: Option<Decimal>, y: Option<Decimal>| match (x, y) {
            (Some(x), Some(y)) => y.cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        };
        desc(a.correlation, b.correlation)
            .then(desc(a.gap, b.gap))
            .then(a.driver.cmp(&b.driver))
    });
    for (i, e) in out.iter_mut().enumerate() {
        e.rank = i + 1;
    }
    Ok(out)
}

/// The weighted Pearson correlation of `(w, x, y)` triples (see
/// [`driver_analysis`]).
fn correlation(rows: &[(i64, Decimal, Decimal)]) -> Result<Option<Decimal>, Overflow> {
    if rows.len() < MIN_RESULTS_FOR_CORRELATION {
        return Ok(None);
    }
    let (Some(mx), Some(my)) = (
        weighted_mean(rows.iter().map(|(w, x, _)| (*w, *x)))?,
        weighted_mean(rows.iter().map(|(w, _, y)| (*w, *y)))?,
    ) else {
        return Ok(None);
    };
    let (mut cov, mut vx, mut vy) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for (w, x, y) in rows {
        let w = Decimal::from(*w);
        let (dx, dy) = (*x - mx.mean, *y - my.mean);
        let term = |a: Decimal, b: Decimal| {
            w.checked_mul(a)
                .and_then(|v| v.checked_mul(b))
                .ok_or(Overflow)
        };
        cov = cov.checked_add(term(dx, dy)?).ok_or(Overflow)?;
        vx = vx.checked_add(term(dx, dx)?).ok_or(Overflow)?;
        vy = vy.checked_add(term(dy, dy)?).ok_or(Overflow)?;
    }
    if vx.is_zero() || vy.is_zero() {
        return Ok(None);
    }
    let den = sqrt(vx)
        .zip(sqrt(vy))
        .and_then(|(a, b)| a.checked_mul(b))
        .ok_or(Overflow)?;
    let r = cov.checked_div(den).ok_or(Overflow)?;
    // Rounding in the last digits may carry |r| a hair past 1.
    Ok(Some(r.clamp(-Decimal::ONE, Decimal::ONE)))
}

/// The square root of `x ≥ 0` to the decimal's precision: a floating-point
/// first guess, then Newton's method in decimals. `None` below zero.
pub fn sqrt(x: Decimal) -> Option<Decimal> {
    if x.is_zero() {
        return Some(Decimal::ZERO);
    }
    if x.is_sign_negative() {
        return None;
    }
    let mut y = Decimal::from_f64(x.to_f64()?.sqrt())?;
    if y.is_zero() {
        return Some(y);
    }
    let two = Decimal::TWO;
    for _ in 0..4 {
        y = y.checked_add(x.checked_div(y)?)?.checked_div(two)?;
    }
    Some(y)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn survey(n: i64, overall: &str, drivers: [Option<&str>; 5]) -> Survey {
        Survey {
            sample: n,
            overall: d(overall),
            margin: None,
            drivers: drivers.map(|x| x.map(d)),
        }
    }

    #[test]
    fn two_results_are_weighted_by_their_sample_sizes() {
        // 100 × 80 + 300 × 60 = 26,000 over 400 respondents: 65.
        let rows = [survey(100, "80", [None; 5]), survey(300, "60", [None; 5])];
        let a = aggregate(&rows).unwrap().unwrap();
        assert_eq!(a.overall.mean, d("65"));
        assert_eq!(a.overall.sample, 400);
        assert_eq!(a.overall.results, 2);
    }

    #[test]
    fn a_driver_missing_from_a_result_is_left_out_not_counted_as_zero() {
        let rows = [
            survey(100, "80", [Some("90"), None, None, None, None]),
            survey(300, "60", [None, None, None, None, Some("50")]),
            survey(100, "70", [Some("70"), None, None, None, Some("40")]),
        ];
        let a = aggregate(&rows).unwrap().unwrap();
        // Timeliness: (100 × 90 + 100 × 70) ÷ 200 = 80, over two results.
        let t = a.drivers[Driver::Timeliness.index()].unwrap();
        assert_eq!((t.mean, t.sample, t.results), (d("80"), 200, 2));
        // Outcome: (300 × 50 + 100 × 40) ÷ 400 = 47.5.
        assert_eq!(a.drivers[Driver::Outcome.index()].unwrap().mean, d("47.5"));
        assert!(a.drivers[Driver::Courtesy.index()].is_none());
    }

    #[test]
    fn without_margins_the_margin_is_the_normal_approximation_on_the_pooled_sample() {
        // p = 0.65, N = 400: 100 × 1.96 × √(0.65 × 0.35 ÷ 400) = 4.6743…
        let rows = [survey(100, "80", [None; 5]), survey(300, "60", [None; 5])];
        let a = aggregate(&rows).unwrap().unwrap();
        assert!(a.margin_pooled);
        assert_eq!(a.margin.round_dp(4), d("4.6743"));
    }

    #[test]
    fn with_every_margin_given_the_margins_combine_as_weighted_strata() {
        // √((¼ × 5)² + (¾ × 3)²) = √6.625 = 2.5739…
        let mut a = survey(100, "80", [None; 5]);
        a.margin = Some(d("5"));
        let mut b = survey(300, "60", [None; 5]);
        b.margin = Some(d("3"));
        let agg = aggregate(&[a, b]).unwrap().unwrap();
        assert!(!agg.margin_pooled);
        assert_eq!(agg.margin.round_dp(4), d("2.5739"));
    }

    #[test]
    fn no_result_aggregates_to_nothing() {
        assert_eq!(aggregate(&[]).unwrap(), None);
        assert!(driver_analysis(&[]).unwrap().is_empty());
    }

    #[test]
    fn the_weighted_correlation_and_the_gap_match_a_hand_computation() {
        // (n, overall, timeliness): x̄ = 75, ȳ = 80 (both weighted);
        // r = 0.858116… (computed by hand); the portfolio's overall is 80:
        // at or above it (300 @ 70, 400 @ 85) 78.5714…, below it (100 @ 50,
        // 200 @ 75) 66.6666…, a gap of 11.9047… points.
        let rows = [
            survey(100, "60", [Some("50"), None, None, None, None]),
            survey(300, "80", [Some("70"), None, None, None, None]),
            survey(200, "70", [Some("75"), None, None, None, None]),
            survey(400, "90", [Some("85"), None, None, None, None]),
        ];
        let effects = driver_analysis(&rows).unwrap();
        let t = effects
            .iter()
            .find(|e| e.driver == Driver::Timeliness)
            .unwrap();
        assert_eq!(t.correlation.unwrap().round_dp(6), d("0.858116"));
        assert_eq!(t.satisfied.unwrap().mean.round_dp(4), d("78.5714"));
        assert_eq!(t.dissatisfied.unwrap().mean.round_dp(4), d("66.6667"));
        assert_eq!(t.gap.unwrap().round_dp(4), d("11.9048"));
        assert_eq!(t.rank, 1);
    }

    #[test]
    fn drivers_are_ranked_by_correlation_and_those_without_one_come_last() {
        // Outcome rises with overall exactly (r = 1); courtesy falls as
        // overall rises (r = −1); fairness was asked in two results only.
        let rows = [
            survey(100, "50", [None, None, Some("90"), Some("60"), Some("40")]),
            survey(100, "70", [None, None, Some("70"), Some("80"), Some("60")]),
            survey(200, "90", [None, None, Some("50"), None, Some("80")]),
        ];
        let effects = driver_analysis(&rows).unwrap();
        let order: Vec<Driver> = effects.iter().map(|e| e.driver).collect();
        assert_eq!(order[0], Driver::Outcome);
        assert_eq!(order[1], Driver::Courtesy);
        assert_eq!(
            effects[0].correlation.map(|r| r.round_dp(9)),
            Some(Decimal::ONE)
        );
        assert_eq!(
            effects[1].correlation.map(|r| r.round_dp(9)),
            Some(-Decimal::ONE)
        );
        assert!(effects[2..].iter().all(|e| e.correlation.is_none()));
        // Threshold 75: outcome is 80 among the satisfied, 50 below.
        assert_eq!(effects[0].gap, Some(d("30")));
        assert_eq!(
            effects.iter().map(|e| e.rank).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5]
        );
    }

    #[test]
    fn a_score_has_at_most_two_decimals_and_lies_from_0_to_100() {
        assert_eq!(parse_score("87.25"), Ok(d("87.25")));
        assert_eq!(parse_score("100"), Ok(Decimal::ONE_HUNDRED));
        assert_eq!(parse_score("0"), Ok(Decimal::ZERO));
        assert!(matches!(
            parse_score("87.255"),
            Err(ScoreError::TooManyDecimals(_))
        ));
        assert!(matches!(
            parse_score("100.01"),
            Err(ScoreError::OutOfRange(_))
        ));
        assert!(matches!(parse_score("-1"), Err(ScoreError::OutOfRange(_))));
        assert!(matches!(parse_score("85%"), Err(ScoreError::NotANumber(_))));
    }

    #[test]
    fn a_sample_counts_from_one_to_ten_million_respondents() {
        assert!(sample_problem(0).is_some());
        assert!(sample_problem(-3).is_some());
        assert!(sample_problem(1).is_none());
        assert!(sample_problem(MAX_SAMPLE).is_none());
        assert!(sample_problem(MAX_SAMPLE + 1).is_some());
    }

    #[test]
    fn every_driver_knows_its_place_and_travels_as_its_name() {
        for (i, d) in Driver::ALL.iter().enumerate() {
            assert_eq!(d.index(), i);
            assert_eq!(d.as_str().parse::<Driver>(), Ok(*d));
            let json = serde_json::to_string(d).unwrap();
            assert_eq!(json, format!("\"{}\"", d.as_str()));
        }
    }

    #[test]
    fn square_roots_are_exact_where_they_can_be() {
        assert_eq!(sqrt(d("6.25")), Some(d("2.5")));
        assert_eq!(sqrt(Decimal::ZERO), Some(Decimal::ZERO));
        assert_eq!(sqrt(d("-1")), None);
    }
}
