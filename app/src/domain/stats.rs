//! Statistics of the benchmarks (DOMAIN.md §5): quartiles of a KPI's
//! values, and ranks and percentiles of peers, ties sharing a rank. Exact
//! decimals throughout.

use rust_decimal::Decimal;

/// The `q` quantile (0 ≤ q ≤ 1) of `values` by linear interpolation
/// between the closest ranks (the usual spreadsheet rule: the median of
/// 1, 2, 3, 4 is 2.5); `None` for no values.
///
/// ```
/// use app::domain::stats::quantile;
/// let v: Vec<rust_decimal::Decimal> = [4, 1, 3, 2].iter().map(|n| (*n).into()).collect();
/// assert_eq!(quantile(&v, "0.5".parse().unwrap()), Some("2.5".parse().unwrap()));
/// assert_eq!(quantile(&v, "0.25".parse().unwrap()), Some("1.75".parse().unwrap()));
/// ```
pub fn quantile(values: &[Decimal], q: Decimal) -> Option<Decimal> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_unstable();
    let q = q.clamp(Decimal::ZERO, Decimal::ONE);
    let pos = q * Decimal::from(v.len() - 1);
    let lower = pos.floor();
    let i = rust_decimal::prelude::ToPrimitive::to_usize(&lower).unwrap_or(0);
    let frac = pos - lower;
    Some(match v.get(i + 1) {
        Some(next) if !frac.is_zero() => between(v[i], *next, frac),
        _ => v[i],
    })
}

/// The point `frac` (0 ≤ frac < 1) of the way from `a` to `b` ≥ `a`.
fn between(a: Decimal, b: Decimal, frac: Decimal) -> Decimal {
    b.checked_sub(a)
        .and_then(|gap| gap.checked_mul(frac))
        .and_then(|step| a.checked_add(step))
        // The gap overflows only when a < 0 < b: then each weighted end
        // is within range and their sum too.
        .or_else(|| {
            a.checked_mul(Decimal::ONE - frac)?
                .checked_add(b.checked_mul(frac)?)
        })
        .unwrap_or(a)
}

/// Competition ranks of `scores` (higher is better when `higher_better`):
/// the best is 1, ties share the better rank, and the next rank skips
/// (1, 2, 2, 4). `None` scores rank last, tied.
pub fn ranks(scores: &[Option<Decimal>], higher_better: bool) -> Vec<usize> {
    // The scores present, best first: a score's rank is one more than the
    // count of those strictly better (a missing score is behind them all).
    let better = |o: &Decimal, s: &Decimal| if higher_better { o > s } else { o < s };
    let mut sorted: Vec<Decimal> = scores.iter().flatten().copied().collect();
    sorted.sort_by(|a, b| if higher_better { b.cmp(a) } else { a.cmp(b) });
    scores
        .iter()
        .map(|s| match s {
            Some(s) => sorted.partition_point(|o| better(o, s)) + 1,
            None => sorted.len() + 1,
        })
        .collect()
}

/// The percentile of a rank among `n` peers: the share of the others it
/// does at least as well as (the best of several is 100, the worst 0; a
/// single peer is 100).
pub fn percentile(rank: usize, n: usize) -> Decimal {
    if n <= 1 {
        return Decimal::ONE_HUNDRED;
    }
    let below = n.saturating_sub(rank);
    (Decimal::ONE_HUNDRED * Decimal::from(below) / Decimal::from(n - 1)).round_dp(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    fn ds(v: &[&str]) -> Vec<Decimal> {
        v.iter().map(|s| d(s)).collect()
    }

    #[test]
    fn a_quartile_between_the_extremes_of_a_decimal_does_not_overflow() {
        let v = [Decimal::MIN, Decimal::MAX];
        assert_eq!(quantile(&v, d("0.5")), Some(Decimal::ZERO));
        let q = quantile(&v, d("0.75")).expect("values");
        assert!(q > Decimal::ZERO && q < Decimal::MAX);
    }

    #[test]
    fn quartiles_interpolate_between_closest_ranks() {
        let v = ds(&["10", "20", "30", "40", "50"]);
        assert_eq!(quantile(&v, d("0.5")), Some(d("30")));
        assert_eq!(quantile(&v, d("0.25")), Some(d("20")));
        assert_eq!(quantile(&v, d("0.75")), Some(d("40")));
        let v = ds(&["7", "1"]);
        assert_eq!(quantile(&v, d("0.5")), Some(d("4")));
        assert_eq!(quantile(&v, d("0.25")), Some(d("2.5")));
        assert_eq!(quantile(&ds(&["3"]), d("0.75")), Some(d("3")));
        assert_eq!(quantile(&[], d("0.5")), None);
        assert_eq!(quantile(&ds(&["1", "2", "3", "4"]), d("1")), Some(d("4")));
    }

    #[test]
    fn ties_share_a_rank_and_the_next_rank_skips() {
        let s = [
            Some(d("90")),
            Some(d("80")),
            Some(d("90")),
            None,
            Some(d("70")),
        ];
        assert_eq!(ranks(&s, true), [1, 3, 1, 5, 4]);
        // Lower is better (wait times).
        let s = [Some(d("12")), Some(d("9")), Some(d("9"))];
        assert_eq!(ranks(&s, false), [3, 1, 1]);
    }

    proptest::proptest! {
        /// Ranked by sorting, as by the definition: one more than the
        /// scores strictly better (present scores beat missing ones).
        #[test]
        fn ranks_count_the_scores_strictly_better(
            raw in proptest::collection::vec(proptest::option::of(-50i64..50), 0..40),
            higher in proptest::bool::ANY,
        ) {
            // Scales vary (1.0 and 1.00 are the same score).
            let scores: Vec<Option<Decimal>> = raw
                .iter()
                .enumerate()
                .map(|(i, s)| s.map(|s| Decimal::new(s * 10_i64.pow((i % 3) as u32), (i % 3) as u32)))
                .collect();
            let expected: Vec<usize> = scores
                .iter()
                .map(|s| {
                    1 + scores
                        .iter()
                        .filter(|o| match (o, s) {
                            (Some(o), Some(s)) => if higher { o > s } else { o < s },
                            (Some(_), None) => true,
                            _ => false,
                        })
                        .count()
                })
                .collect();
            proptest::prop_assert_eq!(ranks(&scores, higher), expected);
        }
    }

    #[test]
    fn percentiles_run_from_the_worst_at_0_to_the_best_at_100() {
        assert_eq!(percentile(1, 5), d("100"));
        assert_eq!(percentile(5, 5), d("0"));
        assert_eq!(percentile(2, 5), d("75"));
        assert_eq!(percentile(1, 1), d("100"));
        assert_eq!(percentile(2, 3), d("50"));
    }
}
