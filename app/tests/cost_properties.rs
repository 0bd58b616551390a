//! Properties of the cost-sharing engine (DOMAIN.md §3) over random models,
//! totals and volumes: the parts add up to the total to the cent; caps and
//! floors hold whenever they can; impossible caps and floors are refused
//! with their reason; scaling the costs scales the shares; the order of the
//! parties does not matter.

mod common;

use app::domain::cost::{CostError, CostLine, CostModel, Volume, check_model, split};
use app::domain::{Channel, CostModelKind, Currency};
use common::any_decimal;
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

fn cad() -> Currency {
    Currency::parse("CAD").expect("CAD")
}

fn cents(n: i64) -> Decimal {
    Decimal::new(n, 2)
}

const CHANNELS: [Channel; 4] = [
    Channel::InPerson,
    Channel::Phone,
    Channel::Online,
    Channel::Mail,
];

/// Percentages with four decimals summing to exactly 100, one per party.
fn percents(n: usize) -> impl Strategy<Value = Vec<Decimal>> {
    prop::collection::vec(1u32..10_000, n).prop_map(|raw| {
        let sum: u64 = raw.iter().map(|r| u64::from(*r)).sum();
        // Ten-thousandths of a percent: 1_000_000 makes 100.0000 %.
        let mut parts: Vec<i64> = raw
            .iter()
            .map(|r| (u64::from(*r) * 1_000_000 / sum) as i64)
            .collect();
        let short = 1_000_000 - parts.iter().sum::<i64>();
        parts[0] += short;
        parts.into_iter().map(|p| Decimal::new(p, 4)).collect()
    })
}

/// A model of `kind` over parties with ids `ids`, with random weights.
fn model_of(kind: CostModelKind, ids: &[i32], pcts: &[Decimal], weights: &[u32]) -> CostModel {
    CostModel {
        kind,
        fixed_portion: (kind == CostModelKind::Hybrid).then(|| Decimal::from(weights[0] % 101)),
        channel_weights: CHANNELS
            .iter()
            .zip(weights)
            .map(|(c, w)| (*c, Decimal::from(w % 9 + 1)))
            .collect(),
        lines: ids
            .iter()
            .zip(pcts)
            .map(|(id, p)| CostLine {
                organisation_id: *id,
                percent: Some(*p),
                cap: None,
                floor: None,
                rates: CHANNELS
                    .iter()
                    .zip(weights)
                    .map(|(c, w)| (*c, cents(i64::from(w % 500))))
                    .collect(),
            })
            .collect(),
    }
}

fn volumes_of(ids: &[i32], counts: &[u64]) -> Vec<Volume> {
    let mut out = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        for (j, c) in CHANNELS.iter().enumerate() {
            let count = counts[(i * CHANNELS.len() + j) % counts.len()];
            if count > 0 {
                out.push(Volume {
                    organisation_id: *id,
                    channel: *c,
                    count,
                });
            }
        }
    }
    out
}

fn kinds() -> impl Strategy<Value = CostModelKind> {
    prop_oneof![
        Just(CostModelKind::Fixed),
        Just(CostModelKind::Proportional),
        Just(CostModelKind::FeeForService),
        Just(CostModelKind::Hybrid),
    ]
}

/// A random case: kind, party ids (distinct, unordered), percentages,
/// channel weights, volumes and a total in cents.
#[derive(Clone, Debug)]
struct Case {
    kind: CostModelKind,
    ids: Vec<i32>,
    pcts: Vec<Decimal>,
    weights: Vec<u32>,
    counts: Vec<u64>,
    total: Decimal,
}

fn cases() -> impl Strategy<Value = Case> {
    (1usize..8)
        .prop_flat_map(|n| {
            (
                kinds(),
                prop::collection::btree_set(1i32..500, n),
                percents(n),
                prop::collection::vec(0u32..1000, CHANNELS.len()),
                prop::collection::vec(1u64..100_000, 1..12),
                0i64..1_000_000_000,
            )
        })
        .prop_map(|(kind, ids, pcts, weights, counts, total)| Case {
            kind,
            ids: ids.into_iter().rev().collect(),
            pcts,
            weights,
            counts,
            total: cents(total),
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn shares_always_add_up_to_the_total(case in cases()) {
        let model = model_of(case.kind, &case.ids, &case.pcts, &case.weights);
        let volumes = volumes_of(&case.ids, &case.counts);
        let s = split(&model, case.total, &volumes, cad()).expect("a valid model splits");
        let sum: Decimal = s.shares.iter().map(|(_, v)| *v).sum();
        prop_assert_eq!(sum, s.total);
        if case.kind != CostModelKind::FeeForService {
            prop_assert_eq!(s.total, case.total);
        }
        for (_, v) in &s.shares {
            prop_assert!(*v >= Decimal::ZERO);
            prop_assert_eq!(v.round_dp(2), *v, "every share is in whole cents");
        }
        prop_assert!(check_model(&model, &case.ids).is_empty());
    }

    #[test]
    fn the_order_of_the_parties_and_volumes_does_not_matter(case in cases()) {
        let model = model_of(case.kind, &case.ids, &case.pcts, &case.weights);
        let volumes = volumes_of(&case.ids, &case.counts);
        let mut reversed = model.clone();
        reversed.lines.reverse();
        let mut volumes_reversed = volumes.clone();
        volumes_reversed.reverse();
        let a = split(&model, case.total, &volumes, cad()).expect("split");
        let b = split(&reversed, case.total, &volumes_reversed, cad()).expect("split");
        prop_assert_eq!(a, b);
    }

    #[test]
    fn scaling_every_cost_scales_every_share(case in cases(), k in 2u32..50) {
        let k = Decimal::from(k);
        let mut model = model_of(case.kind, &case.ids, &case.pcts, &case.weights);
        let volumes = volumes_of(&case.ids, &case.counts);
        let base = split(&model, case.total, &volumes, cad()).expect("split");
        // Costs are the total and, for fee for service, the rates.
        for l in &mut model.lines {
            for r in l.rates.values_mut() {
                *r *= k;
            }
        }
        let scaled = split(&model, case.total * k, &volumes, cad()).expect("split");
        prop_assert_eq!(scaled.total, base.total * k);
        for ((id_a, a), (id_b, b)) in base.shares.iter().zip(&scaled.shares) {
            prop_assert_eq!(id_a, id_b);
            // Each share is its exact value cut to the cent, give or take
            // one leftover cent: k times a share is within k + 1 cents.
            let gap = (*b - *a * k).abs();
            prop_assert!(gap <= cents(1) * (k + Decimal::ONE), "{} vs {} × {}", b, a, k);
            if case.kind == CostModelKind::FeeForService {
                prop_assert_eq!(*b, *a * k, "fees scale exactly");
            }
        }
    }

    #[test]
    fn caps_and_floors_hold_whenever_they_can(
        case in cases(),
        bounds in prop::collection::vec((any::<bool>(), 0i64..400_000_000, any::<bool>(), 0i64..100_000_000), 8),
    ) {
        // Caps and floors do not apply to fees: test the other kinds.
        let kind = match case.kind {
            CostModelKind::FeeForService => CostModelKind::Fixed,
            k => k,
        };
        let mut model = model_of(kind, &case.ids, &case.pcts, &case.weights);
        for (l, (capped, cap, floored, floor)) in model.lines.iter_mut().zip(&bounds) {
            let (cap, floor) = (cents(*cap.max(floor)), cents(*cap.min(floor)));
            l.cap = capped.then_some(cap);
            l.floor = floored.then_some(floor);
        }
        let floors: Decimal = model.lines.iter().filter_map(|l| l.floor).sum();
        let all_capped = model.lines.iter().all(|l| l.cap.is_some());
        let caps: Decimal = model.lines.iter().filter_map(|l| l.cap).sum();
        let volumes = volumes_of(&case.ids, &case.counts);
        let result = split(&model, case.total, &volumes, cad());
        if floors > case.total {
            prop_assert_eq!(result, Err(CostError::FloorsExceedTotal(floors)));
        } else if all_capped && caps < case.total {
            prop_assert_eq!(result, Err(CostError::CapsBelowTotal(caps)));
        } else {
            let s = result.expect("feasible caps and floors split");
            prop_assert_eq!(s.shares.iter().map(|(_, v)| *v).sum::<Decimal>(), case.total);
            let lines: BTreeMap<i32, &CostLine> =
                model.lines.iter().map(|l| (l.organisation_id, l)).collect();
            for (id, v) in &s.shares {
                let l = lines[id];
                if let Some(c) = l.cap {
                    prop_assert!(*v <= c, "party {} pays {} above its cap {}", id, v, c);
                }
                if let Some(f) = l.floor {
                    prop_assert!(*v >= f, "party {} pays {} below its floor {}", id, v, f);
                }
            }
        }
    }

    #[test]
    fn impossible_caps_and_floors_are_refused_when_saved(
        case in cases(),
        who in 0usize..8,
        cap in 0i64..100_000_000,
        above in 1i64..1_000_000,
    ) {
        let mut model = model_of(case.kind, &case.ids, &case.pcts, &case.weights);
        let i = who % model.lines.len();
        model.lines[i].cap = Some(cents(cap));
        model.lines[i].floor = Some(cents(cap + above));
        let problems = check_model(&model, &case.ids);
        prop_assert_eq!(problems.len(), 1, "{:?}", problems);
        prop_assert_eq!(&problems[0].field, &format!("lines[{i}].floor"));
        prop_assert_eq!(&problems[0].message, "The floor is above the cap.");
        // And the engine refuses to split under it, whatever the total.
        let volumes = volumes_of(&case.ids, &case.counts);
        if case.kind != CostModelKind::FeeForService {
            prop_assert!(split(&model, case.total, &volumes, cad()).is_err());
        }
    }
}

#[test]
fn each_save_rule_has_its_own_message() {
    let line = |id: i32, p: &str| CostLine {
        organisation_id: id,
        percent: Some(p.parse().expect("decimal")),
        ..Default::default()
    };
    let base = CostModel {
        kind: CostModelKind::Fixed,
        fixed_portion: None,
        channel_weights: BTreeMap::new(),
        lines: vec![line(1, "60"), line(2, "40")],
    };
    assert!(check_model(&base, &[1, 2]).is_empty());
    let fields = |m: &CostModel, parties: &[i32]| -> Vec<(String, String)> {
        check_model(m, parties)
            .into_iter()
            .map(|p| (p.field, p.message))
            .collect()
    };

    let mut m = base.clone();
    m.lines[1].percent = Some("39".parse().expect("d"));
    assert_eq!(
        fields(&m, &[1, 2]),
        [(
            "lines".to_owned(),
            "The percentages add up to 99, not exactly 100.".to_owned()
        )]
    );
    m.lines[1].percent = Some("-40".parse().expect("d"));
    assert!(fields(&m, &[1, 2]).contains(&(
        "lines[1].percent".to_owned(),
        "A percentage cannot be negative.".to_owned()
    )));

    assert_eq!(
        fields(&base, &[1]),
        [(
            "lines[1].organisation_id".to_owned(),
            "Organisation 2 is not a party to the agreement.".to_owned()
        )]
    );

    let mut m = base.clone();
    m.lines[0].cap = Some(cents(1000));
    m.lines[0].floor = Some(cents(2000));
    assert_eq!(
        fields(&m, &[1, 2]),
        [(
            "lines[0].floor".to_owned(),
            "The floor is above the cap.".to_owned()
        )]
    );

    let mut m = base.clone();
    m.kind = CostModelKind::Hybrid;
    assert_eq!(
        fields(&m, &[1, 2]),
        [(
            "fixed_portion".to_owned(),
            "A hybrid model needs a fixed portion.".to_owned()
        )]
    );
    m.fixed_portion = Some(Decimal::from(101));
    assert_eq!(fields(&m, &[1, 2])[0].0, "fixed_portion");

    let mut m = base.clone();
    m.kind = CostModelKind::FeeForService;
    assert_eq!(
        fields(&m, &[1, 2]),
        [(
            "lines".to_owned(),
            "A fee-for-service model needs at least one rate.".to_owned()
        )]
    );
    m.lines[0].rates.insert(Channel::Online, cents(-1));
    assert_eq!(
        fields(&m, &[1, 2]),
        [(
            "lines[0].rates.online".to_owned(),
            "A rate cannot be negative.".to_owned()
        )]
    );

    let mut m = base.clone();
    m.kind = CostModelKind::Proportional;
    m.channel_weights.insert(Channel::Phone, Decimal::ZERO);
    assert_eq!(
        fields(&m, &[1, 2]),
        [(
            "channel_weights.phone".to_owned(),
            "A channel weight must be above 0.".to_owned()
        )]
    );

    let mut m = base;
    m.lines.push(line(1, "0"));
    assert!(fields(&m, &[1, 2]).contains(&(
        "lines[2].organisation_id".to_owned(),
        "This party appears twice.".to_owned()
    )));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Whatever comes in — weights of 10^28, counts near 2^64, totals at
    /// the edge of a decimal, negative caps — a split answers (a split or
    /// the reason it cannot be made); it never panics.
    #[test]
    fn extreme_inputs_never_make_a_split_panic(
        kind in prop::sample::select(vec![
            CostModelKind::Fixed,
            CostModelKind::Proportional,
            CostModelKind::FeeForService,
            CostModelKind::Hybrid,
        ]),
        total in any_decimal(),
        weights in prop::collection::vec(any_decimal(), 4),
        rates in prop::collection::vec(any_decimal(), 4),
        bounds in prop::collection::vec(prop::option::of(any_decimal()), 4),
        pct in any_decimal(),
        counts in prop::collection::vec(any::<u64>(), 8),
    ) {
        let ids = [3i32, 7];
        let model = CostModel {
            kind,
            fixed_portion: Some(pct),
            channel_weights: CHANNELS.iter().copied().zip(weights.iter().copied()).collect(),
            lines: ids
                .iter()
                .enumerate()
                .map(|(i, id)| CostLine {
                    organisation_id: *id,
                    percent: Some(if i == 0 { pct } else { Decimal::ONE_HUNDRED - pct.clamp(Decimal::ZERO, Decimal::ONE_HUNDRED) }),
                    cap: bounds[i * 2],
                    floor: bounds[i * 2 + 1],
                    rates: CHANNELS.iter().copied().zip(rates.iter().copied()).collect(),
                })
                .collect(),
        };
        let volumes = volumes_of(&ids, &counts);
        let _ = split(&model, total, &volumes, cad());
    }
}
