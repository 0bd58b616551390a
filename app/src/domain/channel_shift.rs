//! The business case for moving volume between channels (issue 22,
//! DOMAIN.md §9): what a transaction costs on each channel, measured from an
//! agreement's recorded costs and volumes; what moving a share of one
//! channel's volume to another saves; and whether the volumes after the
//! move keep the minimum service levels that keep traditional channels
//! available.
//!
//! **The method.** Each month's actual cost is attributed to the channels
//! in proportion to the month's transactions weighted by the channel
//! weights of the cost model in force that month (one in-person
//! transaction may weigh as much as eight online ones; 1 where no weight is
//! set). A channel's cost per transaction is its attributed cost over its
//! transactions, summed over the months. Moving transactions from channel A
//! to channel B saves, per transaction, A's cost per transaction less B's.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use thiserror::Error;

use super::cost::Volume;
use super::enums::Channel;
use super::money::Currency;

/// `cost` attributed to the channels of `by_channel` in proportion to their
/// transactions times their weight (1 where `weights` sets none); nothing
/// when there is no weighted transaction.
pub fn apportion(
    cost: Decimal,
    by_channel: &BTreeMap<Channel, u64>,
    weights: &BTreeMap<Channel, Decimal>,
) -> BTreeMap<Channel, Decimal> {
    let weight = |c: &Channel| weights.get(c).copied().unwrap_or(Decimal::ONE);
    let weighted: Decimal = by_channel
        .iter()
        .map(|(c, n)| Decimal::from(*n) * weight(c))
        .sum();
    if weighted.is_zero() {
        return BTreeMap::new();
    }
    by_channel
        .iter()
        .map(|(c, n)| (*c, cost * Decimal::from(*n) * weight(c) / weighted))
        .collect()
}

/// Transactions and attributed cost by channel, over some months.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Measured {
    by_channel: BTreeMap<Channel, (u64, Decimal)>,
}

impl Measured {
    /// Adds one month: its actual `cost`, its transactions by channel and
    /// the channel weights in force that month.
    pub fn add_month(
        &mut self,
        cost: Decimal,
        by_channel: &BTreeMap<Channel, u64>,
        weights: &BTreeMap<Channel, Decimal>,
    ) {
        let shares = apportion(cost, by_channel, weights);
        for (c, n) in by_channel {
            let slot = self.by_channel.entry(*c).or_default();
            slot.0 = slot.0.saturating_add(*n);
            slot.1 += shares.get(c).copied().unwrap_or_default();
        }
    }

    /// Channels measured elsewhere: each one's transactions and attributed
    /// cost (as [`Measured::channels`] gives them).
    pub fn from_totals(rows: impl IntoIterator<Item = (Channel, u64, Decimal)>) -> Self {
        let mut m = Self::default();
        for (c, n, cost) in rows {
            let slot = m.by_channel.entry(c).or_default();
            slot.0 = slot.0.saturating_add(n);
            slot.1 += cost;
        }
        m
    }

    /// Each channel measured: its transactions and attributed cost.
    pub fn channels(&self) -> impl Iterator<Item = (Channel, u64, Decimal)> + '_ {
        self.by_channel.iter().map(|(c, (n, cost))| (*c, *n, *cost))
    }

    /// What a transaction on `channel` cost, exactly; `None` for a channel
    /// with no transaction measured.
    pub fn cost_per_transaction(&self, channel: Channel) -> Option<Decimal> {
        self.by_channel
            .get(&channel)
            .filter(|(n, _)| *n > 0)
            .map(|(n, cost)| *cost / Decimal::from(*n))
    }
}

/// Moves `percent` % of each party's `from` volume to `to` (whole
/// transactions, rounded down, per party). Moving to the same channel, or
/// 0 %, changes nothing; more than 100 % moves everything.
pub fn shifted(volumes: &[Volume], from: Channel, to: Channel, percent: u32) -> Vec<Volume> {
    let mut out: Vec<Volume> = volumes.to_vec();
    if from == to {
        return out;
    }
    let mut moved: BTreeMap<i32, u64> = BTreeMap::new();
    for v in &mut out {
        if v.channel == from {
            // At most 10^12 transactions × 100: no overflow in u64.
            let m = v.count.saturating_mul(u64::from(percent.min(100))) / 100;
            v.count -= m;
            *moved.entry(v.organisation_id).or_default() += m;
        }
    }
    for (org, m) in moved {
        match out
            .iter_mut()
            .find(|v| v.organisation_id == org && v.channel == to)
        {
            Some(v) => v.count = v.count.saturating_add(m),
            None => out.push(Volume {
                organisation_id: org,
                channel: to,
                count: m,
            }),
        }
    }
    out
}

/// Why a shift cannot be priced.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ShiftError {
    #[error("No {0} transaction was recorded in the period: its cost per transaction is unknown.")]
    Unmeasured(Channel),
}

/// What the volumes after a shift cost against those before.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShiftCost {
    /// The cost before (the total given).
    pub before: Decimal,
    /// The cost after: `before` less the saving.
    pub after: Decimal,
    /// Positive when the shift saves money; to the currency's minor unit.
    pub saving: Decimal,
}

/// Prices the move from `before` to `after` volumes at the measured costs
/// per transaction: each channel's change in transactions times its cost
/// per transaction, summed exactly, then rounded to the currency's minor
/// unit (half away from zero). `total` is what `before` cost.
///
/// # Errors
/// [`ShiftError::Unmeasured`] when a channel whose volume changes has no
/// measured cost per transaction.
pub fn price(
    total: Decimal,
    before: &[Volume],
    after: &[Volume],
    measured: &Measured,
    currency: Currency,
) -> Result<ShiftCost, ShiftError> {
    let per_channel = |vs: &[Volume]| {
        let mut m: BTreeMap<Channel, i128> = BTreeMap::new();
        for v in vs {
            *m.entry(v.channel).or_default() += i128::from(v.count);
        }
        m
    };
    let (b, a) = (per_channel(before), per_channel(after));
    let channels: std::collections::BTreeSet<Channel> = b.keys().chain(a.keys()).copied().collect();
    let mut saving = Decimal::ZERO;
    for c in channels {
        let less = b.get(&c).copied().unwrap_or(0) - a.get(&c).copied().unwrap_or(0);
        if less == 0 {
            continue;
        }
        let cpt = measured
            .cost_per_transaction(c)
            .ok_or(ShiftError::Unmeasured(c))?;
        saving += Decimal::from_i128_with_scale(less, 0) * cpt;
    }
    let saving = currency.round(saving);
    Ok(ShiftCost {
        before: total,
        after: total - saving,
        saving,
    })
}

/// A minimum service level: `channel` keeps at least `share` % of all
/// transactions. One of an agreement's terms (`Terms::channel_minimums`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChannelMinimum {
    pub channel: Channel,
    /// A percentage, 0 to 100.
    pub share: Decimal,
}

impl ChannelMinimum {
    /// The share a minimum keeps, as written (`30`, `12.5`): a percentage
    /// above 0 and at most 100, four decimals at most.
    ///
    /// # Errors
    /// A sentence saying why the text is not such a share.
    pub fn parse_share(text: &str) -> Result<Decimal, String> {
        let p = super::Percent::parse(text.trim()).map_err(|e| e.to_string())?;
        if p.value() > Decimal::ZERO {
            Ok(p.value())
        } else {
            Err("A minimum keeps a share above 0 %.".to_owned())
        }
    }

    /// Whether minimums keeping `shares` can all be kept at once: together
    /// at most 100 %.
    pub fn all_keepable(shares: impl IntoIterator<Item = Decimal>) -> bool {
        shares
            .into_iter()
            .try_fold(Decimal::ZERO, |sum, s| sum.checked_add(s))
            .is_some_and(|sum| sum <= Decimal::ONE_HUNDRED)
    }
}

/// A minimum the volumes do not keep: the channel's share, exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Breach {
    pub channel: Channel,
    pub minimum: Decimal,
    pub share: Decimal,
}

/// The minimums `volumes` breach. A share exactly at its minimum keeps it;
/// compared exactly (transactions × 100 against minimum × all), not on a
/// rounded share. With no transactions at all, nothing is breached.
pub fn breaches(minimums: &[ChannelMinimum], volumes: &[Volume]) -> Vec<Breach> {
    let all: u128 = volumes.iter().map(|v| u128::from(v.count)).sum();
    if all == 0 {
        return Vec::new();
    }
    minimums
        .iter()
        .filter_map(|m| {
            let on: u128 = volumes
                .iter()
                .filter(|v| v.channel == m.channel)
                .map(|v| u128::from(v.count))
                .sum();
            let (on, all) = (Decimal::from(on), Decimal::from(all));
            (on * Decimal::ONE_HUNDRED < m.share * all).then(|| Breach {
                channel: m.channel,
                minimum: m.share,
                share: on * Decimal::ONE_HUNDRED / all,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    fn v(org: i32, channel: Channel, count: u64) -> Volume {
        Volume {
            organisation_id: org,
            channel,
            count,
        }
    }

    fn cad() -> Currency {
        Currency::parse("CAD").expect("CAD")
    }

    /// Two months, counter weighted 8 to the kiosk's 1.
    ///
    /// October: 12,000.00 over 100 in person and 400 at the kiosk:
    /// weighted 800 + 400 = 1,200; in person 8,000.00, kiosk 4,000.00.
    /// November: 9,000.00 over 50 in person and 500 at the kiosk:
    /// weighted 400 + 500 = 900; in person 4,000.00, kiosk 5,000.00.
    /// Summed: in person 12,000.00 over 150 = 80.00 a transaction;
    /// kiosk 9,000.00 over 900 = 10.00.
    fn measured() -> Measured {
        let weights = BTreeMap::from([(Channel::InPerson, d("8"))]);
        let mut m = Measured::default();
        m.add_month(
            d("12000.00"),
            &BTreeMap::from([(Channel::InPerson, 100), (Channel::Kiosk, 400)]),
            &weights,
        );
        m.add_month(
            d("9000.00"),
            &BTreeMap::from([(Channel::InPerson, 50), (Channel::Kiosk, 500)]),
            &weights,
        );
        m
    }

    #[test]
    fn a_channel_costs_its_weighted_share_of_each_month_per_transaction() {
        let m = measured();
        assert_eq!(m.cost_per_transaction(Channel::InPerson), Some(d("80")));
        assert_eq!(m.cost_per_transaction(Channel::Kiosk), Some(d("10")));
        assert_eq!(m.cost_per_transaction(Channel::Online), None);
        let rows: Vec<_> = m.channels().collect();
        assert_eq!(
            rows,
            [
                (Channel::InPerson, 150, d("12000")),
                (Channel::Kiosk, 900, d("9000"))
            ]
        );
        // Without weights every transaction costs the same.
        let mut flat = Measured::default();
        flat.add_month(
            d("100"),
            &BTreeMap::from([(Channel::InPerson, 1), (Channel::Kiosk, 3)]),
            &BTreeMap::new(),
        );
        assert_eq!(flat.cost_per_transaction(Channel::InPerson), Some(d("25")));
        assert_eq!(flat.cost_per_transaction(Channel::Kiosk), Some(d("25")));
    }

    #[test]
    fn moving_counter_volume_to_the_kiosk_saves_the_difference_per_transaction() {
        let before = [
            v(1, Channel::InPerson, 101),
            v(2, Channel::InPerson, 50),
            v(2, Channel::Kiosk, 10),
        ];
        // 25 %: party 1 moves 25 (101 × 0.25 = 25.25, rounded down), party 2 moves 12.
        let after = shifted(&before, Channel::InPerson, Channel::Kiosk, 25);
        assert_eq!(
            after,
            [
                v(1, Channel::InPerson, 76),
                v(2, Channel::InPerson, 38),
                v(2, Channel::Kiosk, 22),
                v(1, Channel::Kiosk, 25)
            ]
        );
        // 37 transactions × (80.00 − 10.00) = 2,590.00.
        let cost = price(d("20000.00"), &before, &after, &measured(), cad()).expect("priced");
        assert_eq!(cost.saving, d("2590.00"));
        assert_eq!(cost.after, d("17410.00"));
        // Back the other way costs as much more.
        let back = price(d("17410.00"), &after, &before, &measured(), cad()).expect("priced");
        assert_eq!(back.saving, d("-2590.00"));
        // To a channel never measured: no price.
        let online = shifted(&before, Channel::InPerson, Channel::Online, 10);
        assert_eq!(
            price(d("1"), &before, &online, &measured(), cad()),
            Err(ShiftError::Unmeasured(Channel::Online))
        );
        // Nothing moved, nothing saved; same channel, nothing moved.
        assert_eq!(
            shifted(&before, Channel::InPerson, Channel::InPerson, 50),
            before
        );
        let none = price(d("5"), &before, &before, &Measured::default(), cad()).expect("priced");
        assert_eq!((none.saving, none.after), (d("0"), d("5")));
    }

    #[test]
    fn a_saving_is_rounded_to_the_cent_once_summed() {
        // 1,000.00 over 3 transactions: 333.333… each; moving 1 of 3 to a
        // channel at 0.10 saves 333.2333… → 333.23.
        let mut m = Measured::default();
        m.add_month(
            d("1000.00"),
            &BTreeMap::from([(Channel::Phone, 3)]),
            &BTreeMap::new(),
        );
        m.add_month(
            d("1.00"),
            &BTreeMap::from([(Channel::Online, 10)]),
            &BTreeMap::new(),
        );
        let before = [v(1, Channel::Phone, 3)];
        let after = shifted(&before, Channel::Phone, Channel::Online, 34);
        assert_eq!(after, [v(1, Channel::Phone, 2), v(1, Channel::Online, 1)]);
        let cost = price(d("1000.00"), &before, &after, &m, cad()).expect("priced");
        assert_eq!(cost.saving, d("333.23"));
    }

    #[test]
    fn a_minimum_share_is_kept_exactly_at_its_boundary() {
        let min = [ChannelMinimum {
            channel: Channel::InPerson,
            share: d("20"),
        }];
        // 20 of 100: exactly 20 %, kept.
        let at = [v(1, Channel::InPerson, 20), v(1, Channel::Online, 80)];
        assert!(breaches(&min, &at).is_empty());
        // 199 of 1,000: 19.9 %, breached.
        let under = [v(1, Channel::InPerson, 199), v(2, Channel::Online, 801)];
        assert_eq!(
            breaches(&min, &under),
            [Breach {
                channel: Channel::InPerson,
                minimum: d("20"),
                share: d("19.9")
            }]
        );
        // A minimum with four decimals: 1 of 3 is 33.333…%: keeps 33.3333,
        // breaches 33.3334.
        let third = [v(1, Channel::InPerson, 1), v(1, Channel::Online, 2)];
        let at_least = |s: &str| {
            [ChannelMinimum {
                channel: Channel::InPerson,
                share: d(s),
            }]
        };
        assert!(breaches(&at_least("33.3333"), &third).is_empty());
        assert_eq!(breaches(&at_least("33.3334"), &third).len(), 1);
        // No transactions: nothing to breach.
        assert!(breaches(&min, &[]).is_empty());
    }
}
