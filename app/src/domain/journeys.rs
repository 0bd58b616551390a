//! Journeys across channels (DOMAIN.md §9): a journey starts on one
//! channel and ends on another (or the same) or is abandoned. A partner
//! records counts by service, month, starting and ending channel; here they
//! add up into a flow matrix (started on → ended on | abandoned), from
//! which Concord derives two of the four KPIs GOV.UK asks of every service:
//!
//! - **completion rate** = journeys completed ÷ journeys started (every
//!   journey that was recorded, completed or abandoned);
//! - **digital take-up** = journeys completed on a digital channel ÷
//!   journeys completed. "Digital" means the citizen used the digital
//!   service itself, unassisted: `online`, `mobile` and `kiosk` (a
//!   self-service screen running the same service). The counter, the phone,
//!   the voice response line and mail are assisted or traditional channels.
//!
//! Counts are `u64`, summed with checks (no silent overflow); percents are
//! exact decimals (100 × numerator ÷ denominator, rounded to two places)
//! and `None` when the denominator is 0. No I/O, no clock, no storage.

use super::Channel;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use thiserror::Error;

/// The catalogue KPI derived from journeys: completed ÷ started.
pub const COMPLETION_KPI: &str = "journey_completion_rate_pct";
/// The catalogue KPI derived from journeys: completed on a digital
/// channel ÷ completed.
pub const TAKE_UP_KPI: &str = "journey_digital_take_up_pct";

/// Whether a KPI's values come from recorded journeys rather than reports.
pub fn is_journey_kpi(code: &str) -> bool {
    code == COMPLETION_KPI || code == TAKE_UP_KPI
}

/// The most journeys one recorded count may hold.
pub const MAX_JOURNEYS: u64 = 1_000_000_000;

/// Whether completing a journey on `channel` counts as digital take-up:
/// the citizen used the digital service itself (on the web, an app or a
/// self-service kiosk).
pub const fn is_digital(channel: Channel) -> bool {
    matches!(channel, Channel::Online | Channel::Mobile | Channel::Kiosk)
}

/// What is wrong with a recorded count, if anything.
pub fn count_problem(count: i64) -> Option<&'static str> {
    if count < 0 {
        Some("A count of journeys cannot be negative.")
    } else if count.unsigned_abs() > MAX_JOURNEYS {
        Some("At most 1,000,000,000 journeys in one count.")
    } else {
        None
    }
}

/// Sums too large to hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("too many journeys to add up")]
pub struct Overflow;

/// A share: `numerator` out of `denominator`, both exact counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ratio {
    pub numerator: u64,
    pub denominator: u64,
}

impl Ratio {
    /// 100 × numerator ÷ denominator, rounded to two places; `None` when
    /// the denominator is 0.
    pub fn percent(self) -> Option<Decimal> {
        (self.denominator > 0).then(|| {
            (Decimal::from(self.numerator) * Decimal::ONE_HUNDRED / Decimal::from(self.denominator))
                .round_dp(2)
        })
    }
}

/// Journeys by the channel they started on and the channel they ended on
/// (`None`: abandoned).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlowMatrix {
    cells: BTreeMap<(Channel, Option<Channel>), u64>,
}

impl FlowMatrix {
    /// An empty matrix.
    pub fn new() -> Self {
        Self::default()
    }

    /// The matrix of `flows` (started on, ended on, count).
    ///
    /// Fails with [`Overflow`] when a sum does not fit in a `u64`.
    pub fn of(
        flows: impl IntoIterator<Item = (Channel, Option<Channel>, u64)>,
    ) -> Result<Self, Overflow> {
        let mut m = Self::new();
        for (s, e, n) in flows {
            m.add(s, e, n)?;
        }
        Ok(m)
    }

    /// Adds `count` journeys started on `started` and ended on `ended`.
    ///
    /// Fails with [`Overflow`] (and changes nothing) when a sum would not
    /// fit in a `u64`.
    pub fn add(
        &mut self,
        started: Channel,
        ended: Option<Channel>,
        count: u64,
    ) -> Result<(), Overflow> {
        // Every total must stay representable, not only this cell.
        self.started().checked_add(count).ok_or(Overflow)?;
        let cell = self.cells.entry((started, ended)).or_insert(0);
        *cell = cell.checked_add(count).ok_or(Overflow)?;
        Ok(())
    }

    /// Adds every cell of `other`. Fails as [`FlowMatrix::add`] does.
    pub fn merge(&mut self, other: &Self) -> Result<(), Overflow> {
        for ((s, e), n) in &other.cells {
            self.add(*s, *e, *n)?;
        }
        Ok(())
    }

    /// Whether no journey is recorded (a count of 0 still names its cell).
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// The journeys started on `started` and ended on `ended`.
    pub fn cell(&self, started: Channel, ended: Option<Channel>) -> u64 {
        self.cells.get(&(started, ended)).copied().unwrap_or(0)
    }

    /// Every cell recorded, by starting then ending channel (abandoned
    /// first).
    pub fn cells(&self) -> impl Iterator<Item = (Channel, Option<Channel>, u64)> + '_ {
        self.cells.iter().map(|((s, e), n)| (*s, *e, *n))
    }

    /// The channels some journey started on, in the channel order.
    pub fn started_channels(&self) -> Vec<Channel> {
        let mut v: Vec<Channel> = self.cells.keys().map(|(s, _)| *s).collect();
        v.dedup();
        v
    }

    /// The channels some journey ended on, in the channel order.
    pub fn ended_channels(&self) -> Vec<Channel> {
        let mut v: Vec<Channel> = self.cells.keys().filter_map(|(_, e)| *e).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The journeys started on `started`, completed or not.
    pub fn row_total(&self, started: Channel) -> u64 {
        // Cannot overflow: `add` keeps the grand total representable.
        self.cells
            .iter()
            .filter(|((s, _), _)| *s == started)
            .map(|(_, n)| *n)
            .sum()
    }

    /// The journeys ended on `ended` (`None`: abandoned), wherever they
    /// started.
    pub fn column_total(&self, ended: Option<Channel>) -> u64 {
        self.cells
            .iter()
            .filter(|((_, e), _)| *e == ended)
            .map(|(_, n)| *n)
            .sum()
    }

    /// Every journey recorded: started, completed or abandoned.
    pub fn started(&self) -> u64 {
        self.cells.values().sum()
    }

    /// The journeys completed on some channel.
    pub fn completed(&self) -> u64 {
        self.cells
            .iter()
            .filter(|((_, e), _)| e.is_some())
            .map(|(_, n)| *n)
            .sum()
    }

    /// The journeys abandoned.
    pub fn abandoned(&self) -> u64 {
        self.column_total(None)
    }

    /// The journeys completed on a digital channel ([`is_digital`]).
    pub fn completed_digitally(&self) -> u64 {
        self.cells
            .iter()
            .filter(|((_, e), _)| e.is_some_and(is_digital))
            .map(|(_, n)| *n)
            .sum()
    }

    /// The journeys that ended on another channel than they started on.
    pub fn switched(&self) -> u64 {
        self.cells
            .iter()
            .filter(|((s, e), _)| e.is_some_and(|e| e != *s))
            .map(|(_, n)| *n)
            .sum()
    }

    /// Completion rate: completed out of started.
    pub fn completion(&self) -> Ratio {
        Ratio {
            numerator: self.completed(),
            denominator: self.started(),
        }
    }

    /// Digital take-up: completed on a digital channel out of completed.
    pub fn digital_take_up(&self) -> Ratio {
        Ratio {
            numerator: self.completed_digitally(),
            denominator: self.completed(),
        }
    }

    /// The share of the journeys started on `started` that ended on
    /// `ended`, as a percent; `None` when none started there.
    pub fn share(&self, started: Channel, ended: Option<Channel>) -> Option<Decimal> {
        Ratio {
            numerator: self.cell(started, ended),
            denominator: self.row_total(started),
        }
        .percent()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Channel::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// A month of one service, counted by hand:
    /// online → online 700, online → phone 50, online → in person 30,
    /// online abandoned 120; in person → in person 200; phone → phone 80,
    /// phone → online 20, phone abandoned 10; kiosk → kiosk 40.
    /// Started 1,250; abandoned 130; completed 1,120;
    /// digital (online 720 + kiosk 40) 760.
    fn month() -> FlowMatrix {
        FlowMatrix::of([
            (Online, Some(Online), 700),
            (Online, Some(Phone), 50),
            (Online, Some(InPerson), 30),
            (Online, None, 120),
            (InPerson, Some(InPerson), 200),
            (Phone, Some(Phone), 80),
            (Phone, Some(Online), 20),
            (Phone, None, 10),
            (Kiosk, Some(Kiosk), 40),
        ])
        .unwrap()
    }

    #[test]
    fn totals_match_the_hand_counts() {
        let m = month();
        assert_eq!(m.started(), 1250);
        assert_eq!(m.completed(), 1120);
        assert_eq!(m.abandoned(), 130);
        assert_eq!(m.completed_digitally(), 760);
        assert_eq!(m.switched(), 100);
        assert_eq!(m.row_total(Online), 900);
        assert_eq!(m.column_total(Some(Phone)), 130);
    }

    #[test]
    fn completion_rate_is_completed_over_started() {
        let r = month().completion();
        assert_eq!((r.numerator, r.denominator), (1120, 1250));
        assert_eq!(r.percent(), Some(d("89.60")));
    }

    #[test]
    fn digital_take_up_is_completed_digitally_over_completed() {
        let r = month().digital_take_up();
        assert_eq!((r.numerator, r.denominator), (760, 1120));
        // 76000 / 1120 = 67.857142… → 67.86
        assert_eq!(r.percent(), Some(d("67.86")));
    }

    #[test]
    fn a_journey_started_online_and_finished_at_the_counter_is_not_digital() {
        let m = FlowMatrix::of([(Online, Some(InPerson), 3)]).unwrap();
        assert_eq!(m.digital_take_up().percent(), Some(d("0")));
        assert_eq!(m.completion().percent(), Some(d("100")));
    }

    #[test]
    fn a_journey_started_by_phone_and_finished_online_is_digital() {
        let m = FlowMatrix::of([(Phone, Some(Online), 1), (Phone, Some(Phone), 3)]).unwrap();
        assert_eq!(m.digital_take_up().percent(), Some(d("25")));
    }

    #[test]
    fn with_no_journeys_both_rates_are_none() {
        let m = FlowMatrix::new();
        assert_eq!(m.completion().percent(), None);
        assert_eq!(m.digital_take_up().percent(), None);
    }

    #[test]
    fn when_every_journey_is_abandoned_take_up_is_none_and_completion_zero() {
        let m = FlowMatrix::of([(Online, None, 5)]).unwrap();
        assert_eq!(m.completion().percent(), Some(d("0")));
        assert_eq!(m.digital_take_up().percent(), None);
    }

    #[test]
    fn the_share_of_a_cell_is_of_its_row() {
        let m = month();
        // 120 of the 900 started online were abandoned.
        assert_eq!(m.share(Online, None), Some(d("13.33")));
        assert_eq!(m.share(Kiosk, Some(Kiosk)), Some(d("100")));
        assert_eq!(m.share(Mail, Some(Mail)), None);
    }

    #[test]
    fn the_same_cell_twice_adds_up() {
        let m = FlowMatrix::of([(Online, None, 2), (Online, None, 3)]).unwrap();
        assert_eq!(m.cell(Online, None), 5);
    }

    #[test]
    fn merging_months_adds_their_cells() {
        let mut a = month();
        a.merge(&month()).unwrap();
        assert_eq!(a.started(), 2500);
        assert_eq!(a.completion().percent(), Some(d("89.60")));
    }

    #[test]
    fn a_sum_beyond_u64_is_refused_and_changes_nothing() {
        let mut m = FlowMatrix::of([(Online, Some(Online), u64::MAX)]).unwrap();
        assert_eq!(m.add(Phone, None, 1), Err(Overflow));
        assert_eq!(m.cell(Phone, None), 0);
        assert_eq!(m.started(), u64::MAX);
    }

    #[test]
    fn rows_and_columns_list_the_channels_used_in_channel_order() {
        let m = month();
        assert_eq!(m.started_channels(), vec![InPerson, Phone, Online, Kiosk]);
        assert_eq!(m.ended_channels(), vec![InPerson, Phone, Online, Kiosk]);
    }

    #[test]
    fn online_mobile_and_kiosk_are_digital_and_the_rest_are_not() {
        let digital: Vec<Channel> = Channel::ALL
            .iter()
            .copied()
            .filter(|c| is_digital(*c))
            .collect();
        assert_eq!(digital, vec![Online, Kiosk, Mobile]);
    }

    #[test]
    fn a_negative_count_is_refused() {
        assert!(count_problem(-1).is_some());
    }

    #[test]
    fn a_count_above_a_billion_is_refused_and_a_billion_is_not() {
        assert!(count_problem(1_000_000_001).is_some());
        assert_eq!(count_problem(1_000_000_000), None);
        assert_eq!(count_problem(0), None);
    }

    #[test]
    fn the_derived_kpis_are_named_and_others_are_not() {
        assert!(is_journey_kpi(COMPLETION_KPI));
        assert!(is_journey_kpi(TAKE_UP_KPI));
        assert!(!is_journey_kpi("completion_rate_pct"));
    }
}
