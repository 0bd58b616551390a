//! Percentages from 0 to 100 with at most four decimals, and the fixed cost
//! shares that must add up to exactly 100. Applying shares to money belongs to
//! the cost-sharing rules, not here.

use super::Id;
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use thiserror::Error;

use super::money::{DecimalTextError, parse_plain_decimal};

/// The most decimals a percentage may have (`12.3456`).
const MAX_DECIMALS: u32 = 4;

/// A percentage in `0..=100`, with at most four decimals.
///
/// Travels as its text (`"12.5"`), and is parsed again on the way in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Percent(Decimal);

impl Percent {
    /// Reads a percentage written in plain decimal notation, without `%`:
    /// `25`, `33.3333`, `0`, `100`.
    ///
    /// # Errors
    /// Fails with [`PercentError::NotANumber`] for anything else (spaces,
    /// `+`, `%`, exponents), [`PercentError::TooManyDecimals`] past four
    /// significant decimals (never rounded), [`PercentError::Negative`] below
    /// zero and [`PercentError::OverHundred`] above 100.
    pub fn parse(text: &str) -> Result<Self, PercentError> {
        let input = || text.to_owned();
        let value = parse_plain_decimal(text, MAX_DECIMALS).map_err(|error| match error {
            DecimalTextError::NotANumber => PercentError::NotANumber { input: input() },
            DecimalTextError::TooManyDecimals => PercentError::TooManyDecimals { input: input() },
            // Too many digits to hold: far outside 0..=100 one way or the other.
            DecimalTextError::OutOfRange if text.starts_with('-') => {
                PercentError::Negative { input: input() }
            }
            DecimalTextError::OutOfRange => PercentError::OverHundred { input: input() },
        })?;
        if value < Decimal::ZERO {
            return Err(PercentError::Negative { input: input() });
        }
        if value > Decimal::ONE_HUNDRED {
            return Err(PercentError::OverHundred { input: input() });
        }
        Ok(Self(value))
    }

    /// The percentage as a number from 0 to 100 (not a fraction of 1).
    pub const fn value(self) -> Decimal {
        self.0
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl FromStr for Percent {
    type Err = PercentError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Why a percentage was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PercentError {
    #[error("'{input}' is not a percentage; write a number from 0 to 100, e.g. 33.3333")]
    NotANumber { input: String },
    #[error("'{input}' is negative; a percentage must be 0 or more")]
    Negative { input: String },
    #[error("'{input}' is more than 100")]
    OverHundred { input: String },
    #[error("'{input}' has more than four decimals")]
    TooManyDecimals { input: String },
}

/// Each organisation's fixed share of a total, summing to exactly 100, with
/// no organisation twice. Held in order of organisation id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostShares(Vec<(Id, Percent)>);

impl CostShares {
    /// The `(organisation id, share)` pairs, in order of organisation id.
    pub fn shares(&self) -> &[(Id, Percent)] {
        &self.0
    }
}

impl TryFrom<Vec<(Id, Percent)>> for CostShares {
    type Error = CostSharesError;

    /// Builds the shares from `(organisation id, share)` pairs, in any order.
    ///
    /// # Errors
    /// Fails with [`CostSharesError::DuplicateParty`] when an organisation
    /// has two shares, and with [`CostSharesError::SumNot100`] (showing the
    /// actual sum) unless the shares add up to exactly 100.
    fn try_from(mut shares: Vec<(Id, Percent)>) -> Result<Self, Self::Error> {
        let mut seen = BTreeSet::new();
        if let Some(&(organisation_id, _)) = shares.iter().find(|(id, _)| !seen.insert(*id)) {
            return Err(CostSharesError::DuplicateParty { organisation_id });
        }
        // At most four decimals and at most 100 each: the sum is exact for any realistic count.
        let sum: Decimal = shares.iter().map(|(_, share)| share.value()).sum();
        if sum != Decimal::ONE_HUNDRED {
            return Err(CostSharesError::SumNot100 {
                sum: sum.normalize(),
            });
        }
        shares.sort_by_key(|&(organisation_id, _)| organisation_id);
        Ok(Self(shares))
    }
}

/// Why a set of cost shares was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CostSharesError {
    #[error("organisation {organisation_id} has more than one share")]
    DuplicateParty { organisation_id: Id },
    #[error("the shares must add up to exactly 100; they add up to {sum}")]
    SumNot100 { sum: Decimal },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn percent(text: &str) -> Percent {
        Percent::parse(text).unwrap()
    }

    #[test]
    fn a_percentage_from_0_to_100_with_up_to_four_decimals_is_accepted() {
        for text in ["0", "100", "33.3333", "12.5", "100.0000"] {
            assert_eq!(
                percent(text).value(),
                text.parse::<Decimal>().unwrap(),
                "{text}"
            );
        }
        assert_eq!(percent("12.50").to_string(), "12.5");
    }

    #[test]
    fn a_negative_percentage_is_rejected() {
        let error = Percent::parse("-0.5").unwrap_err();

        assert_eq!(
            error,
            PercentError::Negative {
                input: "-0.5".into()
            }
        );
        assert_eq!(
            error.to_string(),
            "'-0.5' is negative; a percentage must be 0 or more"
        );
        assert_eq!(percent("-0").value(), Decimal::ZERO);
    }

    #[test]
    fn a_percentage_over_100_is_rejected() {
        let error = Percent::parse("100.0001").unwrap_err();

        assert_eq!(
            error,
            PercentError::OverHundred {
                input: "100.0001".into()
            }
        );
        assert_eq!(error.to_string(), "'100.0001' is more than 100");
    }

    #[test]
    fn a_percentage_that_is_not_a_number_is_rejected() {
        for text in ["", "abc", "50%", " 50", "+50", "1e2", "５０"] {
            let error = Percent::parse(text).unwrap_err();
            assert_eq!(
                error,
                PercentError::NotANumber { input: text.into() },
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_percentage_with_more_than_four_decimals_is_rejected() {
        let error = Percent::parse("33.33333").unwrap_err();

        assert_eq!(
            error,
            PercentError::TooManyDecimals {
                input: "33.33333".into()
            }
        );
        assert_eq!(error.to_string(), "'33.33333' has more than four decimals");
    }

    #[test]
    fn a_percentage_travels_as_text_and_is_checked_on_the_way_in() {
        let json = serde_json::to_string(&percent("12.5")).unwrap();

        assert_eq!(json, "\"12.5\"");
        assert_eq!(
            serde_json::from_str::<Percent>(&json).unwrap(),
            percent("12.5")
        );
        assert!(serde_json::from_str::<Percent>("\"101\"").is_err());
    }

    #[test]
    fn cost_shares_that_sum_to_exactly_100_are_accepted_in_organisation_order() {
        let shares = CostShares::try_from(vec![
            (7, percent("33.3334")),
            (3, percent("33.3333")),
            (5, percent("33.3333")),
        ])
        .unwrap();

        let ids: Vec<_> = shares.shares().iter().map(|&(id, _)| id).collect();
        assert_eq!(ids, [3, 5, 7]);
    }

    #[test]
    fn a_cost_split_that_does_not_sum_to_100_is_rejected() {
        let error =
            CostShares::try_from(vec![(1, percent("60")), (2, percent("39.9"))]).unwrap_err();

        assert_eq!(
            error,
            CostSharesError::SumNot100 {
                sum: Decimal::new(999, 1)
            }
        );
        assert_eq!(
            error.to_string(),
            "the shares must add up to exactly 100; they add up to 99.9"
        );
    }

    #[test]
    fn no_cost_shares_at_all_are_rejected() {
        let error = CostShares::try_from(Vec::new()).unwrap_err();

        assert_eq!(
            error.to_string(),
            "the shares must add up to exactly 100; they add up to 0"
        );
    }

    #[test]
    fn an_organisation_with_two_cost_shares_is_rejected() {
        let error = CostShares::try_from(vec![(1, percent("50")), (1, percent("50"))]).unwrap_err();

        assert_eq!(
            error,
            CostSharesError::DuplicateParty { organisation_id: 1 }
        );
    }
}
