//! A service as the service inventory describes it (in the spirit of the
//! Government of Canada's Service Inventory): a stable id that survives
//! every version of the terms, who its clients are, what kind of service it
//! is, its fee, which stages can be done online end to end, and its service
//! standards per channel; and how a standard is judged from the volumes
//! partners record against it.

use rust_decimal::Decimal;

use super::enums::str_enum;

str_enum! {
    /// Who a service is for.
    pub enum ClientType("client type") {
        Individuals = "individuals",
        Businesses = "businesses",
        Organisations = "organisations",
    }
}

str_enum! {
    /// What a service does for its clients (`other` unless said).
    #[derive(Default)]
    pub enum ServiceType("service type") {
        Benefit = "benefit",
        Grant = "grant",
        Licence = "licence",
        Registration = "registration",
        Information = "information",
        Advisory = "advisory",
        Compliance = "compliance",
        #[default]
        Other = "other",
    }
}

str_enum! {
    /// A stage of a service that may be done online end to end.
    pub enum OnlineStage("online stage") {
        Application = "application",
        Authentication = "authentication",
        Decision = "decision",
        Issuance = "issuance",
        Feedback = "feedback",
    }
}

/// The longest service id.
pub const CODE_MAX: usize = 20;

/// The id a service gets when none is given: `S-1` for the first of an
/// agreement's services, `S-2` for the second… The migration that gave
/// services their ids and terms recorded before them follow the same rule.
pub fn default_code(position: usize) -> String {
    format!("S-{}", position + 1)
}

/// Why `code` cannot be a service id (1 to 20 of `A-Z`, `0-9` and `-`,
/// starting with a letter or digit), if it cannot.
pub fn code_problem(code: &str) -> Option<&'static str> {
    if code.is_empty() || code.len() > CODE_MAX {
        return Some("A service id has 1 to 20 characters.");
    }
    if code.starts_with('-')
        || !code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
    {
        return Some("A service id is capital letters, digits and hyphens (SVC-0042).");
    }
    None
}

/// How a service standard did over some months: of `volume` transactions,
/// `meeting` met the standard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct StandardTally {
    pub volume: i64,
    pub meeting: i64,
}

impl StandardTally {
    /// Adds one recorded volume (`None` when the partner did not say how
    /// many met the standard: such volumes are not judged).
    #[must_use]
    pub fn add(self, count: i64, meeting: Option<i64>) -> Self {
        match meeting {
            Some(m) => Self {
                volume: self.volume.saturating_add(count),
                meeting: self.meeting.saturating_add(m),
            },
            None => self,
        }
    }

    /// The share of transactions that met the standard, in percent with
    /// exactly two decimals (half away from zero: `92.00`); `None` with no
    /// volume judged.
    pub fn met_percent(self) -> Option<Decimal> {
        if self.volume <= 0 {
            return None;
        }
        let share = Decimal::from(self.meeting) * Decimal::ONE_HUNDRED / Decimal::from(self.volume);
        let mut share =
            share.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        share.rescale(2);
        Some(share)
    }

    /// Whether the share met `target` (a percentage): `None` with no
    /// volume judged. Compared exactly, not on the rounded share.
    pub fn meets(self, target: Decimal) -> Option<bool> {
        (self.volume > 0).then(|| {
            Decimal::from(self.meeting) * Decimal::ONE_HUNDRED
                >= target * Decimal::from(self.volume)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    #[test]
    fn ids_are_capitals_digits_and_hyphens() {
        assert_eq!(code_problem("SVC-0042"), None);
        assert_eq!(code_problem("S-1"), None);
        assert!(code_problem("").is_some());
        assert!(code_problem("svc-1").is_some());
        assert!(code_problem("-S").is_some());
        assert!(code_problem("S 1").is_some());
        assert!(code_problem(&"A".repeat(21)).is_some());
        assert_eq!(code_problem(&"A".repeat(20)), None);
        assert_eq!(default_code(0), "S-1");
    }

    #[test]
    fn a_standard_is_judged_on_the_volumes_that_say_how_many_met_it() {
        let t = StandardTally::default()
            .add(1000, Some(950))
            .add(500, None)
            .add(200, Some(150));
        assert_eq!(
            t,
            StandardTally {
                volume: 1200,
                meeting: 1100
            }
        );
        // 1100 / 1200 = 91.6666…
        assert_eq!(t.met_percent(), Some(d("91.67")));
        assert_eq!(t.meets(d("91.66")), Some(true));
        // Exactly, not on the rounded share: 91.67 > 91.666…
        assert_eq!(t.meets(d("91.67")), Some(false));
        assert_eq!(StandardTally::default().met_percent(), None);
        assert_eq!(StandardTally::default().meets(d("80")), None);
        let edge = StandardTally {
            volume: 10,
            meeting: 8,
        };
        assert_eq!(edge.meets(d("80")), Some(true));
        assert_eq!(edge.meets(d("80.0001")), Some(false));
    }
}
