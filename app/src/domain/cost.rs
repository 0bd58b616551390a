//! The cost-sharing engine of DOMAIN.md §3: splitting a period's total cost
//! among the parties under a `fixed`, `proportional`, `fee_for_service` or
//! `hybrid` model, with caps and floors, and the rounding rule that makes
//! the parts add up to the total to the cent. Pure arithmetic on exact
//! decimals: no I/O, runs in the browser for the what-if simulator too.
//!
//! The worked example of API.md: 100,000.00 under a hybrid model with a 40 %
//! fixed portion split 60/40, the rest by volume weighted 8:1 (in person :
//! online) — 40,000 splits 24,000 / 16,000, and 60,000 splits 1,200 : 800.
//!
//! ```
//! use app::domain::cost::{CostLine, CostModel, Volume, split};
//! use app::domain::{Channel, CostModelKind, Currency};
//! use rust_decimal::Decimal;
//! use std::collections::BTreeMap;
//!
//! let d = |s: &str| s.parse::<Decimal>().unwrap();
//! let line = |id, p| CostLine { organisation_id: id, percent: Some(d(p)), ..Default::default() };
//! let model = CostModel {
//!     kind: CostModelKind::Hybrid,
//!     fixed_portion: Some(d("40")),
//!     channel_weights: BTreeMap::from([(Channel::InPerson, d("8")), (Channel::Online, d("1"))]),
//!     lines: vec![line(3, "60"), line(7, "40")],
//! };
//! let volumes = [
//!     Volume { organisation_id: 3, channel: Channel::Online, count: 1200 },
//!     Volume { organisation_id: 7, channel: Channel::InPerson, count: 100 },
//! ];
//! let s = split(&model, d("100000.00"), &volumes, Currency::parse("CAD").unwrap()).unwrap();
//! assert_eq!(s.shares, vec![(3, d("60000.00")), (7, d("40000.00"))]);
//! ```
//!
//! The rounding rule of DOMAIN.md §3: 100.00 in thirds is cut to 33.33 each
//! and the cent left over goes to the largest remainder (here the party
//! with 33.3334 %), so the parts add up to the total.
//!
//! ```
//! use app::domain::cost::{CostLine, CostModel, split};
//! use app::domain::{CostModelKind, Currency};
//! use rust_decimal::Decimal;
//!
//! let d = |s: &str| s.parse::<Decimal>().unwrap();
//! let line = |id, p| CostLine { organisation_id: id, percent: Some(d(p)), ..Default::default() };
//! let model = CostModel {
//!     kind: CostModelKind::Fixed,
//!     fixed_portion: None,
//!     channel_weights: Default::default(),
//!     lines: vec![line(1, "33.3333"), line(2, "33.3333"), line(3, "33.3334")],
//! };
//! let s = split(&model, d("100.00"), &[], Currency::parse("CAD").unwrap()).unwrap();
//! assert_eq!(s.shares, vec![(1, d("33.33")), (2, d("33.33")), (3, d("33.34"))]);
//! ```
//!
//! Settling: balances +70 / −50 / −20 (positive owes) settle in two
//! transfers, the largest debtor paying the largest creditor first.
//!
//! ```
//! use app::domain::cost::{Transfer, settle};
//! use rust_decimal::Decimal;
//!
//! let d = |s: &str| s.parse::<Decimal>().unwrap();
//! let t = settle(&[(1, d("70")), (2, d("-50")), (3, d("-20"))]);
//! assert_eq!(t, vec![
//!     Transfer { from: 1, to: 2, amount: d("50") },
//!     Transfer { from: 1, to: 3, amount: d("20") },
//! ]);
//! ```

use super::Id;
use crate::domain::{Channel, CostModelKind, Currency};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use thiserror::Error;

/// One party's terms in a cost model. Stored in version snapshots
/// ([`super::terms::Terms`]), decimals as exact text.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CostLine {
    pub organisation_id: Id,
    /// Percentage of the (fixed portion of the) total, for `fixed`/`hybrid`.
    #[serde(default)]
    pub percent: Option<Decimal>,
    /// Most the party pays in a period.
    #[serde(default)]
    pub cap: Option<Decimal>,
    /// Least the party pays in a period.
    #[serde(default)]
    pub floor: Option<Decimal>,
    /// Price per transaction by channel, for `fee_for_service`.
    #[serde(default)]
    pub rates: BTreeMap<Channel, Decimal>,
}

/// A cost-sharing model.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CostModel {
    pub kind: CostModelKind,
    /// For `hybrid`: the percentage of the total split by the fixed shares.
    #[serde(default)]
    pub fixed_portion: Option<Decimal>,
    /// Weight of one transaction per channel (default 1).
    #[serde(default)]
    pub channel_weights: BTreeMap<Channel, Decimal>,
    pub lines: Vec<CostLine>,
}

/// Transactions delivered on a party's behalf through one channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Volume {
    pub organisation_id: Id,
    pub channel: Channel,
    pub count: u64,
}

/// Why a split cannot be computed.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum CostError {
    #[error("the model has no parties")]
    NoParties,
    #[error("the percentages add up to {0}, not exactly 100")]
    PercentagesNot100(Decimal),
    #[error("party {0} has no percentage")]
    MissingPercent(Id),
    #[error("the fixed portion must be from 0 to 100")]
    BadFixedPortion,
    #[error("no transactions were recorded, so nothing can be split in proportion to them")]
    NoVolumes,
    #[error("the total cost cannot be negative")]
    NegativeTotal,
    #[error("party {0}'s floor is above its cap")]
    FloorAboveCap(Id),
    #[error("the floors add up to more than the total ({0})")]
    FloorsExceedTotal(Decimal),
    #[error("the caps add up to less than the total ({0})")]
    CapsBelowTotal(Decimal),
    #[error("{0} is beyond what can be shared (at most {1})")]
    TooLarge(&'static str, Decimal),
}

/// Largest amount shared, cap, floor or rate: what money takes in.
pub const MAX_AMOUNT: Decimal = super::money::MAX_MONEY;
/// Largest transaction count of one volume: 10^12.
pub const MAX_COUNT: u64 = 1_000_000_000_000;
/// Largest channel weight: 10^6.
pub const MAX_WEIGHT: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);
/// A channel weight as typed or sent: plain decimal notation, at most six
/// decimals, above 0 and at most [`MAX_WEIGHT`] — in the browser's form,
/// the API and the fixtures alike.
///
/// ```
/// use app::domain::cost::parse_weight;
/// assert_eq!(parse_weight(" 8 ").unwrap().to_string(), "8");
/// assert!(parse_weight("0").is_err());
/// assert!(parse_weight("7e26").is_err());
/// ```
pub fn parse_weight(text: &str) -> Result<Decimal, String> {
    let t = text.trim();
    match super::money::parse_plain_decimal(t, 6) {
        Ok(d) if d > Decimal::ZERO && d <= MAX_WEIGHT => Ok(d),
        Ok(d) if d > MAX_WEIGHT => Err(format!(
            "'{t}' is too large: a weight is at most {MAX_WEIGHT}."
        )),
        Err(super::money::DecimalTextError::OutOfRange) => Err(format!(
            "'{t}' is too large: a weight is at most {MAX_WEIGHT}."
        )),
        _ => Err(format!("'{t}' is not a positive weight.")),
    }
}

/// Most volumes one split reads.
pub const MAX_VOLUMES: usize = 10_000;

/// Refuses inputs beyond the bounds above, so that no product or sum the
/// split makes can overflow a decimal (7.9 × 10^28): weighted volumes stay
/// below 10^22, fees below 10^28, and a share by volume is the amount times
/// a ratio of at most one.
fn check_bounds(
    model: &CostModel,
    total_cost: Decimal,
    volumes: &[Volume],
) -> Result<(), CostError> {
    let too_large = |what: &'static str, max: Decimal| Err(CostError::TooLarge(what, max));
    if total_cost > MAX_AMOUNT {
        return too_large("the total cost", MAX_AMOUNT);
    }
    if model
        .channel_weights
        .values()
        .any(|w| *w > MAX_WEIGHT || *w < Decimal::ZERO)
    {
        return too_large("a channel weight", MAX_WEIGHT);
    }
    for l in &model.lines {
        let amounts = [l.cap, l.floor]
            .into_iter()
            .flatten()
            .chain(l.rates.values().copied());
        for a in amounts {
            if a.abs() > MAX_AMOUNT {
                return too_large("a cap, floor or rate", MAX_AMOUNT);
            }
        }
        if l.percent.is_some_and(|p| p.abs() > HUNDRED) {
            return Err(CostError::PercentagesNot100(l.percent.unwrap_or_default()));
        }
    }
    if model.fixed_portion.is_some_and(|p| p.abs() > HUNDRED) {
        return Err(CostError::BadFixedPortion);
    }
    if volumes.len() > MAX_VOLUMES {
        return too_large("the number of volumes", Decimal::from(MAX_VOLUMES as u64));
    }
    if volumes.iter().any(|v| v.count > MAX_COUNT) {
        return too_large("a transaction count", Decimal::from(MAX_COUNT));
    }
    Ok(())
}

/// Each party's share of a period's total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    pub total: Decimal,
    /// `(organisation id, amount)`, ordered by organisation id; amounts
    /// have the currency's minor-unit digits and add up to `total`.
    pub shares: Vec<(Id, Decimal)>,
}

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

fn weighted_volumes(model: &CostModel, volumes: &[Volume]) -> BTreeMap<Id, Decimal> {
    let mut w: BTreeMap<Id, Decimal> = model
        .lines
        .iter()
        .map(|l| (l.organisation_id, Decimal::ZERO))
        .collect();
    for v in volumes {
        if let Some(acc) = w.get_mut(&v.organisation_id) {
            let weight = model
                .channel_weights
                .get(&v.channel)
                .copied()
                .unwrap_or(Decimal::ONE);
            *acc += Decimal::from(v.count) * weight;
        }
    }
    w
}

fn by_percent(model: &CostModel, amount: Decimal) -> Result<BTreeMap<Id, Decimal>, CostError> {
    let mut sum = Decimal::ZERO;
    let mut out = BTreeMap::new();
    for l in &model.lines {
        let p = l
            .percent
            .ok_or(CostError::MissingPercent(l.organisation_id))?;
        sum += p;
        out.insert(l.organisation_id, amount * p / HUNDRED);
    }
    if sum != HUNDRED {
        return Err(CostError::PercentagesNot100(sum));
    }
    Ok(out)
}

fn by_volume(
    model: &CostModel,
    amount: Decimal,
    volumes: &[Volume],
) -> Result<BTreeMap<Id, Decimal>, CostError> {
    let w = weighted_volumes(model, volumes);
    let total: Decimal = w.values().copied().sum();
    if total.is_zero() {
        return if amount.is_zero() {
            Ok(w)
        } else {
            Err(CostError::NoVolumes)
        };
    }
    Ok(w.into_iter()
        .map(|(id, x)| (id, amount * (x / total)))
        .collect())
}

/// Moves shares over caps and under floors onto the other parties in
/// proportion to their shares, until every party is within its bounds.
///
/// The stable point of "redistribute in proportion, repeat" is one common
/// factor λ: every party pays `λ × share` held between its floor and its
/// cap, and λ is the one value at which the parts add up to the total.
/// With caps alone or floors alone this is exactly the repeated
/// redistribution of DOMAIN.md §3; with both, it never pins a party at a
/// bound that a later step would have to undo (a capped party whose cut-off
/// is needed to lift another to its floor gives it back in proportion too).
/// `Σ clamp(λ × share)` is piecewise linear and non-decreasing in λ, so λ is
/// found exactly on the segment between two bound points. When every share
/// is zero the parties weigh equally.
fn apply_bounds(
    model: &CostModel,
    total: Decimal,
    shares: &mut BTreeMap<Id, Decimal>,
) -> Result<(), CostError> {
    let bounds: BTreeMap<Id, (Option<Decimal>, Option<Decimal>)> = model
        .lines
        .iter()
        .map(|l| (l.organisation_id, (l.floor, l.cap)))
        .collect();
    for (id, (floor, cap)) in &bounds {
        if let (Some(f), Some(c)) = (floor, cap)
            && f > c
        {
            return Err(CostError::FloorAboveCap(*id));
        }
    }
    if bounds.values().all(|(f, c)| f.is_none() && c.is_none()) {
        return Ok(());
    }
    let all_zero = shares.values().all(|v| v.is_zero());
    let weights: BTreeMap<Id, Decimal> = shares
        .iter()
        .map(|(id, v)| (*id, if all_zero { Decimal::ONE } else { *v }))
        .collect();
    let value = |id: &Id, lambda: Decimal| {
        let (floor, cap) = bounds.get(id).copied().unwrap_or((None, None));
        let mut v = lambda * weights[id];
        if let Some(f) = floor
            && v < f
        {
            v = f;
        }
        if let Some(c) = cap
            && v > c
        {
            v = c;
        }
        v
    };
    let sum_at = |lambda: Decimal| weights.keys().map(|id| value(id, lambda)).sum::<Decimal>();

    let floors: Decimal = bounds.values().filter_map(|(f, _)| *f).sum();
    if sum_at(Decimal::ZERO) > total {
        return Err(CostError::FloorsExceedTotal(floors));
    }
    let unbounded = weights
        .iter()
        .any(|(id, w)| *w > Decimal::ZERO && bounds.get(id).is_none_or(|(_, c)| c.is_none()));
    // The λ at which each party meets a bound.
    let mut points: Vec<Decimal> = Vec::new();
    for (id, w) in &weights {
        if *w > Decimal::ZERO {
            let (floor, cap) = bounds.get(id).copied().unwrap_or((None, None));
            points.extend(floor.map(|f| f / *w));
            points.extend(cap.map(|c| c / *w));
        }
    }
    points.sort_unstable();
    points.dedup();
    if !unbounded {
        // Every party that could take more is capped: the most is the caps
        // (plus what parties with no share pay at zero).
        let most: Decimal = weights
            .iter()
            .map(|(id, w)| match bounds.get(id) {
                Some((_, Some(c))) if *w > Decimal::ZERO => *c,
                _ => value(id, Decimal::ZERO),
            })
            .sum();
        if most < total {
            return Err(CostError::CapsBelowTotal(most));
        }
    }
    // The segment (lo, hi) on which the sum crosses the total.
    let mut lo = Decimal::ZERO;
    let mut hi = None;
    for p in points.iter().copied().filter(|p| *p > Decimal::ZERO) {
        let at = sum_at(p);
        if at == total {
            for (id, v) in shares.iter_mut() {
                *v = value(id, p);
            }
            return Ok(());
        }
        if at > total {
            hi = Some(p);
            break;
        }
        lo = p;
    }
    // On the segment, parties strictly inside their bounds move with λ.
    let mid = hi.map_or(lo + Decimal::ONE, |h| (lo + h) / Decimal::TWO);
    let (mut fixed, mut free) = (Decimal::ZERO, Decimal::ZERO);
    for (id, w) in &weights {
        let (floor, cap) = bounds.get(id).copied().unwrap_or((None, None));
        let x = mid * *w;
        let inside = *w > Decimal::ZERO && floor.is_none_or(|f| f < x) && cap.is_none_or(|c| x < c);
        if inside {
            free += *w;
        } else {
            fixed += value(id, mid);
        }
    }
    let lambda = if free.is_zero() {
        lo
    } else {
        (total - fixed) / free
    };
    for (id, v) in shares.iter_mut() {
        *v = value(id, lambda);
    }
    Ok(())
}

/// Cuts exact shares to the currency's minor unit; the cents left over go
/// one by one to the largest cut-off remainders (ties: lowest id first).
fn round_shares(
    total: Decimal,
    exact: &BTreeMap<Id, Decimal>,
    currency: Currency,
) -> Vec<(Id, Decimal)> {
    let dp = currency.minor_units();
    let unit = Decimal::new(1, dp);
    let total = total.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::ToZero);
    let mut cut: Vec<(Id, Decimal, Decimal)> = exact
        .iter()
        .map(|(id, v)| {
            let c = v.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::ToZero);
            (*id, c, *v - c)
        })
        .collect();
    let mut left = total - cut.iter().map(|(_, c, _)| *c).sum::<Decimal>();
    let mut order: Vec<usize> = (0..cut.len()).collect();
    order.sort_by(|a, b| cut[*b].2.cmp(&cut[*a].2).then(cut[*a].0.cmp(&cut[*b].0)));
    let mut i = 0;
    while left >= unit && !order.is_empty() {
        cut[order[i % order.len()]].1 += unit;
        left -= unit;
        i += 1;
    }
    cut.into_iter().map(|(id, c, _)| (id, c)).collect()
}

/// Splits `total_cost` (ignored for `fee_for_service`, whose total is the
/// sum of the fees) among the model's parties.
///
/// Fails when the model cannot produce a split: percentages not summing to
/// 100, no volumes to share by, an impossible set of caps and floors.
pub fn split(
    model: &CostModel,
    total_cost: Decimal,
    volumes: &[Volume],
    currency: Currency,
) -> Result<Split, CostError> {
    if model.lines.is_empty() {
        return Err(CostError::NoParties);
    }
    if total_cost < Decimal::ZERO {
        return Err(CostError::NegativeTotal);
    }
    check_bounds(model, total_cost, volumes)?;
    let (total, mut exact) = match model.kind {
        CostModelKind::Fixed => (total_cost, by_percent(model, total_cost)?),
        CostModelKind::Proportional => (total_cost, by_volume(model, total_cost, volumes)?),
        CostModelKind::FeeForService => {
            let mut out: BTreeMap<Id, Decimal> = model
                .lines
                .iter()
                .map(|l| (l.organisation_id, Decimal::ZERO))
                .collect();
            for v in volumes {
                if let Some(line) = model
                    .lines
                    .iter()
                    .find(|l| l.organisation_id == v.organisation_id)
                {
                    let rate = line.rates.get(&v.channel).copied().unwrap_or(Decimal::ZERO);
                    *out.entry(v.organisation_id).or_default() += Decimal::from(v.count) * rate;
                }
            }
            (out.values().copied().sum(), out)
        }
        CostModelKind::Hybrid => {
            let portion = model.fixed_portion.ok_or(CostError::BadFixedPortion)?;
            if portion < Decimal::ZERO || portion > HUNDRED {
                return Err(CostError::BadFixedPortion);
            }
            let fixed_amount = total_cost * portion / HUNDRED;
            let mut a = by_percent(model, fixed_amount)?;
            for (id, v) in by_volume(model, total_cost - fixed_amount, volumes)? {
                *a.entry(id).or_default() += v;
            }
            (total_cost, a)
        }
    };
    if model.kind != CostModelKind::FeeForService {
        apply_bounds(model, total, &mut exact)?;
    }
    let shares = round_shares(total, &exact, currency);
    let total = shares.iter().map(|(_, v)| *v).sum();
    Ok(Split { total, shares })
}

/// One problem with a model as it would be saved, with the field it is about
/// (`kind`, `fixed_portion`, `lines[2].percent`, `lines[0].rates.online`…).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelProblem {
    pub field: String,
    pub message: String,
}

impl ModelProblem {
    fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Checks a model before it is saved, whatever the period's total will be:
/// percentages ≥ 0 summing to exactly 100 where the kind uses them, a
/// fixed portion from 0 to 100, positive channel weights, rates ≥ 0 and at
/// least one for `fee_for_service`, caps and floors ≥ 0 and no floor above
/// its cap — the one set of caps and floors no total can meet (whether a
/// period's total fits between the floors and the caps is known only when
/// it is split). `party_ids` are the
/// agreement's parties: every line must be one, and none may appear twice.
///
/// Returns every problem, each with its field.
pub fn check_model(model: &CostModel, party_ids: &[Id]) -> Vec<ModelProblem> {
    let mut out = Vec::new();
    if model.lines.is_empty() {
        out.push(ModelProblem::new("lines", "Name at least one party."));
    }
    let uses_percent = matches!(model.kind, CostModelKind::Fixed | CostModelKind::Hybrid);
    if model.kind == CostModelKind::Hybrid {
        match model.fixed_portion {
            None => out.push(ModelProblem::new(
                "fixed_portion",
                "A hybrid model needs a fixed portion.",
            )),
            Some(p) if p < Decimal::ZERO || p > HUNDRED => out.push(ModelProblem::new(
                "fixed_portion",
                "The fixed portion must be from 0 to 100.",
            )),
            Some(_) => {}
        }
    }
    for (c, w) in &model.channel_weights {
        if *w <= Decimal::ZERO {
            out.push(ModelProblem::new(
                format!("channel_weights.{}", c.as_str()),
                "A channel weight must be above 0.",
            ));
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut sum = Decimal::ZERO;
    let mut any_rate = false;
    for (i, l) in model.lines.iter().enumerate() {
        let id = l.organisation_id;
        if !party_ids.contains(&id) {
            out.push(ModelProblem::new(
                format!("lines[{i}].organisation_id"),
                format!("Organisation {id} is not a party to the agreement."),
            ));
        }
        if !seen.insert(id) {
            out.push(ModelProblem::new(
                format!("lines[{i}].organisation_id"),
                "This party appears twice.",
            ));
        }
        if uses_percent {
            match l.percent {
                None => out.push(ModelProblem::new(
                    format!("lines[{i}].percent"),
                    "Give this party a percentage.",
                )),
                Some(p) if p < Decimal::ZERO => out.push(ModelProblem::new(
                    format!("lines[{i}].percent"),
                    "A percentage cannot be negative.",
                )),
                Some(p) => sum += p,
            }
        }
        for (c, r) in &l.rates {
            any_rate = true;
            if *r < Decimal::ZERO {
                out.push(ModelProblem::new(
                    format!("lines[{i}].rates.{}", c.as_str()),
                    "A rate cannot be negative.",
                ));
            }
        }
        for (name, v) in [("cap", l.cap), ("floor", l.floor)] {
            if v.is_some_and(|v| v < Decimal::ZERO) {
                out.push(ModelProblem::new(
                    format!("lines[{i}].{name}"),
                    format!("A {name} cannot be negative."),
                ));
            }
        }
        if let (Some(f), Some(c)) = (l.floor, l.cap)
            && f > c
        {
            out.push(ModelProblem::new(
                format!("lines[{i}].floor"),
                "The floor is above the cap.",
            ));
        }
    }
    if uses_percent && !model.lines.is_empty() && sum != HUNDRED {
        out.push(ModelProblem::new(
            "lines",
            format!(
                "The percentages add up to {}, not exactly 100.",
                sum.normalize()
            ),
        ));
    }
    if model.kind == CostModelKind::FeeForService && !any_rate && !model.lines.is_empty() {
        out.push(ModelProblem::new(
            "lines",
            "A fee-for-service model needs at least one rate.",
        ));
    }
    out
}

/// A payment that settles balances: `from` pays `to` `amount`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transfer {
    pub from: Id,
    pub to: Id,
    pub amount: Decimal,
}

/// The transfers that settle `balances` (positive: owes; negative: is owed):
/// the largest debtor pays the largest creditor, repeated — never more
/// transfers than parties with a balance, minus one. Ties go to the lowest
/// organisation id, so the same input always gives the same answer.
pub fn settle(balances: &[(Id, Decimal)]) -> Vec<Transfer> {
    let mut debtors: Vec<(Id, Decimal)> = balances
        .iter()
        .copied()
        .filter(|(_, b)| *b > Decimal::ZERO)
        .collect();
    let mut creditors: Vec<(Id, Decimal)> = balances
        .iter()
        .filter(|(_, b)| *b < Decimal::ZERO)
        .map(|(id, b)| (*id, -*b))
        .collect();
    let mut out = Vec::new();
    loop {
        let largest = |v: &Vec<(Id, Decimal)>| {
            v.iter()
                .enumerate()
                .filter(|(_, (_, b))| *b > Decimal::ZERO)
                .max_by(|(_, x), (_, y)| x.1.cmp(&y.1).then(y.0.cmp(&x.0)))
                .map(|(i, _)| i)
        };
        let (Some(d), Some(c)) = (largest(&debtors), largest(&creditors)) else {
            break;
        };
        let amount = debtors[d].1.min(creditors[c].1);
        out.push(Transfer {
            from: debtors[d].0,
            to: creditors[c].0,
            amount,
        });
        debtors[d].1 -= amount;
        creditors[c].1 -= amount;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("decimal")
    }

    fn cad() -> Currency {
        Currency::parse("CAD").expect("CAD")
    }

    fn line(id: Id, percent: &str) -> CostLine {
        CostLine {
            organisation_id: id,
            percent: Some(d(percent)),
            ..Default::default()
        }
    }

    fn model(kind: CostModelKind, lines: Vec<CostLine>) -> CostModel {
        CostModel {
            kind,
            fixed_portion: None,
            channel_weights: BTreeMap::new(),
            lines,
        }
    }

    #[test]
    fn the_hybrid_example_of_api_md_splits_60000_and_40000() {
        let mut m = model(CostModelKind::Hybrid, vec![line(3, "60"), line(7, "40")]);
        m.fixed_portion = Some(d("40"));
        m.channel_weights =
            BTreeMap::from([(Channel::InPerson, d("8")), (Channel::Online, d("1"))]);
        let volumes = [
            Volume {
                organisation_id: 3,
                channel: Channel::Online,
                count: 1200,
            },
            Volume {
                organisation_id: 7,
                channel: Channel::InPerson,
                count: 100,
            },
        ];
        let s = split(&m, d("100000.00"), &volumes, cad()).expect("split");
        assert_eq!(s.shares, vec![(3, d("60000.00")), (7, d("40000.00"))]);
        assert_eq!(s.total, d("100000.00"));
    }

    #[test]
    fn leftover_cents_go_to_the_largest_remainders_then_the_lowest_id() {
        let m = model(
            CostModelKind::Fixed,
            vec![line(1, "33.3333"), line(2, "33.3333"), line(3, "33.3334")],
        );
        let s = split(&m, d("100.00"), &[], cad()).expect("split");
        assert_eq!(
            s.shares.iter().map(|(_, v)| *v).sum::<Decimal>(),
            d("100.00")
        );
        assert_eq!(
            s.shares,
            vec![(1, d("33.33")), (2, d("33.33")), (3, d("33.34"))]
        );
        let even = model(CostModelKind::Fixed, vec![line(5, "50"), line(2, "50")]);
        let s = split(&even, d("0.01"), &[], cad()).expect("split");
        assert_eq!(s.shares, vec![(2, d("0.01")), (5, d("0.00"))]);
    }

    #[test]
    fn percentages_that_do_not_sum_to_100_are_refused() {
        let m = model(CostModelKind::Fixed, vec![line(1, "50"), line(2, "49.9")]);
        assert_eq!(
            split(&m, d("10"), &[], cad()),
            Err(CostError::PercentagesNot100(d("99.9")))
        );
    }

    #[test]
    fn a_cap_moves_the_excess_to_the_uncapped_parties_in_proportion() {
        let mut a = line(1, "50");
        a.cap = Some(d("30"));
        let m = model(CostModelKind::Fixed, vec![a, line(2, "25"), line(3, "25")]);
        let s = split(&m, d("100"), &[], cad()).expect("split");
        assert_eq!(
            s.shares,
            vec![(1, d("30.00")), (2, d("35.00")), (3, d("35.00"))]
        );
    }

    #[test]
    fn a_floor_is_paid_and_the_difference_comes_off_the_others() {
        let mut a = line(1, "10");
        a.floor = Some(d("40"));
        let m = model(CostModelKind::Fixed, vec![a, line(2, "45"), line(3, "45")]);
        let s = split(&m, d("100"), &[], cad()).expect("split");
        assert_eq!(
            s.shares,
            vec![(1, d("40.00")), (2, d("30.00")), (3, d("30.00"))]
        );
    }

    #[test]
    fn impossible_caps_and_floors_are_refused() {
        let mut a = line(1, "50");
        a.floor = Some(d("80"));
        let mut b = line(2, "50");
        b.floor = Some(d("30"));
        let m = model(CostModelKind::Fixed, vec![a, b]);
        assert_eq!(
            split(&m, d("100"), &[], cad()),
            Err(CostError::FloorsExceedTotal(d("110")))
        );
        let mut a = line(1, "50");
        a.cap = Some(d("10"));
        let mut b = line(2, "50");
        b.cap = Some(d("10"));
        let m = model(CostModelKind::Fixed, vec![a, b]);
        assert_eq!(
            split(&m, d("100"), &[], cad()),
            Err(CostError::CapsBelowTotal(d("20")))
        );
    }

    #[test]
    fn fee_for_service_sums_the_fees_whatever_the_total() {
        let mut a = CostLine {
            organisation_id: 1,
            ..Default::default()
        };
        a.rates.insert(Channel::InPerson, d("14.50"));
        a.rates.insert(Channel::Online, d("1.10"));
        let m = model(CostModelKind::FeeForService, vec![a]);
        let v = [
            Volume {
                organisation_id: 1,
                channel: Channel::InPerson,
                count: 10,
            },
            Volume {
                organisation_id: 1,
                channel: Channel::Online,
                count: 100,
            },
        ];
        let s = split(&m, d("999999"), &v, cad()).expect("split");
        assert_eq!(s.total, d("255.00"));
    }

    #[test]
    fn proportional_without_volumes_is_refused() {
        let m = model(
            CostModelKind::Proportional,
            vec![line(1, "50"), line(2, "50")],
        );
        assert_eq!(split(&m, d("10"), &[], cad()), Err(CostError::NoVolumes));
    }

    #[test]
    fn shares_always_add_up_to_the_total_and_ignore_party_order() {
        // A small exhaustive sweep stands in for a property test here.
        for total_cents in [1_i64, 7, 99, 100, 12_345, 1_000_001] {
            let total = Decimal::new(total_cents, 2);
            let lines = vec![line(4, "12.5"), line(9, "37.5"), line(2, "50")];
            let a = split(
                &model(CostModelKind::Fixed, lines.clone()),
                total,
                &[],
                cad(),
            )
            .expect("split");
            let mut reversed = lines;
            reversed.reverse();
            let b =
                split(&model(CostModelKind::Fixed, reversed), total, &[], cad()).expect("split");
            assert_eq!(a, b);
            assert_eq!(a.shares.iter().map(|(_, v)| *v).sum::<Decimal>(), total);
        }
    }

    #[test]
    fn balances_settle_largest_debtor_to_largest_creditor_in_few_transfers() {
        let t = settle(&[(1, d("50")), (2, d("-80")), (3, d("30")), (4, d("0"))]);
        assert_eq!(
            t,
            vec![
                Transfer {
                    from: 1,
                    to: 2,
                    amount: d("50")
                },
                Transfer {
                    from: 3,
                    to: 2,
                    amount: d("30")
                },
            ]
        );
        // Never more than (parties with a balance − 1) transfers.
        let t = settle(&[(1, d("10")), (2, d("10")), (3, d("-5")), (4, d("-15"))]);
        assert!(t.len() <= 3, "{t:?}");
        let paid: Decimal = t.iter().map(|x| x.amount).sum();
        assert_eq!(paid, d("20"));
        assert!(settle(&[(1, d("0"))]).is_empty());
    }
}
