//! Properties of the compliance and benchmark rules (DOMAIN.md §4–5) over
//! any decimals at all, far beyond what Concord takes in: judging, ratio
//! aggregates, plausibility checks, quartiles and ranks answer and never
//! panic; and whatever the plausibility checks accept stays within a
//! decimal when aggregated, so a ratio is always computed.

mod common;

use app::domain::compliance::{
    Reading, Status, Target, check_reading, error_budget, judge, ratio_of,
};
use app::domain::stats::{percentile, quantile, ranks};
use app::domain::{KpiDirection, KpiUnit};
use common::any_decimal;
use proptest::prelude::*;
use rust_decimal::Decimal;

/// How many readings an aggregate takes in the properties: a KPI's
/// reports across a large portfolio.
const MANY: usize = 10_000;

fn direction() -> impl Strategy<Value = KpiDirection> {
    prop::sample::select(vec![
        KpiDirection::HigherIsBetter,
        KpiDirection::LowerIsBetter,
    ])
}

fn unit() -> impl Strategy<Value = KpiUnit> {
    prop::sample::select(vec![
        KpiUnit::Percent,
        KpiUnit::Seconds,
        KpiUnit::Minutes,
        KpiUnit::Days,
        KpiUnit::Count,
        KpiUnit::Currency,
    ])
}

fn any_reading() -> impl Strategy<Value = Reading> {
    (
        prop::option::of(any_decimal()),
        prop::option::of(any_decimal()),
        prop::option::of(any_decimal()),
        prop::option::of(any::<i64>()),
    )
        .prop_map(|(value, numerator, denominator, volume)| Reading {
            value,
            numerator,
            denominator,
            volume,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Any value against any target and band is judged; a value on the
    /// target is met, whatever the band.
    #[test]
    fn any_value_is_judged(
        value in any_decimal(),
        target in any_decimal(),
        band in prop::option::of(any_decimal()),
        direction in direction(),
    ) {
        let t = Target { target, warning_band: band, direction };
        let _ = judge(value, &t);
        prop_assert_eq!(judge(target, &t), Status::Met);
    }

    /// Any readings at all — denominators of 10^-28, numerators of 10^28,
    /// volumes near 2^63 — give a value and a ratio or none, never a panic.
    #[test]
    fn extreme_readings_never_make_a_ratio_panic(
        readings in prop::collection::vec(any_reading(), 0..20),
        unit in unit(),
        is_ratio in any::<bool>(),
    ) {
        for r in &readings {
            let _ = r.value();
            let _ = r.ratio_parts();
            let _ = check_reading(r, unit, is_ratio);
        }
        let _ = ratio_of(&readings);
    }

    /// What the checks accept for a ratio KPI aggregates to a percentage
    /// from 0 to 100 — as many readings as a file may hold, each as large as
    /// allowed.
    #[test]
    fn accepted_ratio_readings_always_aggregate(
        parts in prop::collection::vec((0u64..=1_000_000_000_000_000, 1u64..=1_000_000_000_000_000), 1..50),
        copies in 1usize..=MANY,
    ) {
        let readings: Vec<Reading> = parts
            .iter()
            .map(|(n, d)| {
                let (n, d) = (Decimal::from(*n.min(d)), Decimal::from(*d));
                Reading { numerator: Some(n), denominator: Some(d), ..Default::default() }
            })
            .collect();
        for r in &readings {
            prop_assert!(check_reading(r, KpiUnit::Percent, true).is_empty(), "{:?}", r);
        }
        let many: Vec<Reading> = readings.iter().copied().cycle().take(copies.max(readings.len())).collect();
        let ratio = ratio_of(&many);
        prop_assert!(ratio.is_some_and(|r| (Decimal::ZERO..=Decimal::ONE_HUNDRED).contains(&r)), "{:?}", ratio);
    }

    /// Quartiles of any decimals lie between the least and the greatest;
    /// ranks and percentiles of any scores answer.
    #[test]
    fn statistics_of_extreme_values_never_panic(
        values in prop::collection::vec(any_decimal(), 1..30),
        q in any_decimal(),
        higher in any::<bool>(),
        budget in prop::option::of(any::<i32>()),
        periods in 0usize..1000,
    ) {
        let got = quantile(&values, q).expect("values");
        let (lo, hi) = (values.iter().min().copied(), values.iter().max().copied());
        prop_assert!(Some(got) >= lo && Some(got) <= hi, "{} outside {:?}..{:?}", got, lo, hi);
        let scores: Vec<Option<Decimal>> = values.iter().map(|v| Some(*v)).chain([None]).collect();
        for rank in ranks(&scores, higher) {
            let p = percentile(rank, scores.len());
            prop_assert!((Decimal::ZERO..=Decimal::ONE_HUNDRED).contains(&p));
        }
        let statuses = vec![Status::Breached; periods.min(60)];
        let b = error_budget(budget, periods, &statuses);
        prop_assert_eq!(b.remaining, b.allowed.saturating_sub(b.spent));
    }
}
