//! Currencies and exact amounts of money in one currency. Amounts are never
//! floats and are never rounded on the way in; splitting costs and adding up
//! totals belong to the cost-sharing rules, not here.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use thiserror::Error;

/// The largest amount Concord takes in, in major units (10^12: a trillion
/// dollars). Sums of such amounts stay far within what money can hold.
pub const MAX_MONEY: Decimal = Decimal::from_parts(0xD4A5_1000, 0xE8, 0, false, 0);

/// An ISO 4217 currency that Concord knows, with its number of minor-unit
/// digits (2 for CAD's cents, 0 for JPY, 3 for BHD).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency {
    code: &'static str,
    minor_units: u32,
}

impl Currency {
    /// Every currency Concord accepts.
    pub const KNOWN: &'static [Currency] = &[
        Currency::known("CAD", 2),
        Currency::known("AUD", 2),
        Currency::known("NZD", 2),
        Currency::known("GBP", 2),
        Currency::known("USD", 2),
        Currency::known("EUR", 2),
        Currency::known("DKK", 2),
        Currency::known("SEK", 2),
        Currency::known("NOK", 2),
        Currency::known("CHF", 2),
        Currency::known("JPY", 0),
        Currency::known("KRW", 0),
        Currency::known("ISK", 0),
        Currency::known("BHD", 3),
        Currency::known("KWD", 3),
    ];

    /// What an unknown code (never stored, but read defensively) counts
    /// as: two decimals.
    pub const UNKNOWN: Currency = Currency::known("XXX", 2);

    const fn known(code: &'static str, minor_units: u32) -> Self {
        Self { code, minor_units }
    }

    /// Looks up a currency by its uppercase three-letter code.
    ///
    /// # Errors
    /// Fails with [`MoneyError::UnknownCurrency`] for any other text,
    /// lowercase codes included.
    pub fn parse(code: &str) -> Result<Self, MoneyError> {
        Self::KNOWN
            .iter()
            .copied()
            .find(|currency| currency.code == code)
            .ok_or_else(|| MoneyError::UnknownCurrency {
                code: code.to_owned(),
                known: Self::KNOWN
                    .iter()
                    .map(|currency| currency.code)
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// The three-letter code, e.g. `"CAD"`.
    pub const fn code(self) -> &'static str {
        self.code
    }

    /// How many digits follow the decimal point in an amount (2 for CAD).
    pub const fn minor_units(self) -> u32 {
        self.minor_units
    }

    /// `amount` rounded (half to even) to the minor unit, its scale that
    /// unit: `1250.4` → `1250.40`, JPY `399.6` → `400`.
    pub fn round(self, amount: Decimal) -> Decimal {
        let mut d = amount.round_dp(self.minor_units);
        d.rescale(self.minor_units);
        d
    }

    /// The one way Concord writes an amount for a machine or a file (API.md):
    /// [`Currency::round`] with exactly the minor unit's digits and no
    /// currency code — `1250.40`, JPY `400`. (Pages write amounts for
    /// people with `i18n`'s `amount`, in the reader's language.)
    pub fn fixed(self, amount: Decimal) -> String {
        self.round(amount).to_string()
    }

    /// [`Currency::fixed`] for a currency named by its code; an unknown code
    /// (never stored, but read defensively) gets two digits.
    pub fn fixed_by_code(code: &str, amount: Decimal) -> String {
        Self::parse(code).unwrap_or(Self::UNKNOWN).fixed(amount)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code)
    }
}

impl FromStr for Currency {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code)
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        Self::parse(&code).map_err(serde::de::Error::custom)
    }
}

/// An exact amount in one currency, with no more decimals than the
/// currency's minor unit allows.
///
/// Held as a whole number of minor units (cents), which makes that rule
/// impossible to break and equality exact. Deliberately not `Serialize`:
/// amounts travel as strings, written with [`Display`](fmt::Display).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

impl Money {
    /// Makes an amount from an exact decimal.
    ///
    /// # Errors
    /// Fails with [`MoneyError::TooManyDecimals`] when the amount has a
    /// non-zero digit below the currency's minor unit (never rounds), and with
    /// [`MoneyError::OutOfRange`] when its minor units do not fit in an `i64`.
    pub fn new(amount: Decimal, currency: Currency) -> Result<Self, MoneyError> {
        let exact = amount.normalize();
        let too_many_decimals = || MoneyError::TooManyDecimals {
            input: amount.to_string(),
            currency: currency.code,
            allowed: currency.minor_units,
        };
        let missing_digits = currency
            .minor_units
            .checked_sub(exact.scale())
            .ok_or_else(too_many_decimals)?;
        let minor = 10_i128
            .checked_pow(missing_digits)
            .and_then(|factor| exact.mantissa().checked_mul(factor))
            .and_then(|minor| i64::try_from(minor).ok())
            .ok_or_else(|| MoneyError::OutOfRange {
                input: amount.to_string(),
            })?;
        Ok(Self::from_minor(minor, currency))
    }

    /// Reads an amount written in plain decimal notation: an optional `-`,
    /// digits, then optionally `.` and more digits (`1250.40`, `-3`, `400`).
    ///
    /// # Errors
    /// Fails with [`MoneyError::NotANumber`] for anything else (spaces, `+`,
    /// thousands separators, exponents, a bare `.5`), with
    /// [`MoneyError::TooManyDecimals`] when a non-zero digit falls below the
    /// currency's minor unit (`1.005` CAD — never rounded; `1.000` is fine),
    /// and with [`MoneyError::OutOfRange`] for amounts beyond [`MAX_MONEY`].
    pub fn parse(text: &str, currency: Currency) -> Result<Self, MoneyError> {
        let amount = parse_plain_decimal(text, currency.minor_units).map_err(|error| {
            let input = text.to_owned();
            match error {
                DecimalTextError::NotANumber => MoneyError::NotANumber { input },
                DecimalTextError::TooManyDecimals => MoneyError::TooManyDecimals {
                    input,
                    currency: currency.code,
                    allowed: currency.minor_units,
                },
                DecimalTextError::OutOfRange => MoneyError::OutOfRange { input },
            }
        })?;
        if amount.abs() > MAX_MONEY {
            return Err(MoneyError::OutOfRange {
                input: text.to_owned(),
            });
        }
        Self::new(amount, currency).map_err(|_| MoneyError::OutOfRange {
            input: text.to_owned(),
        })
    }

    /// Like [`Money::parse`], for amounts that cannot be negative (costs,
    /// caps, rates).
    ///
    /// # Errors
    /// Fails as [`Money::parse`] does, and with [`MoneyError::Negative`] for
    /// an amount below zero (`-0` is zero and accepted).
    pub fn parse_non_negative(text: &str, currency: Currency) -> Result<Self, MoneyError> {
        let money = Self::parse(text, currency)?;
        if money.minor < 0 {
            return Err(MoneyError::Negative {
                input: text.to_owned(),
            });
        }
        Ok(money)
    }

    /// The amount that is `minor` minor units (cents) of `currency`.
    pub const fn from_minor(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    /// The amount in minor units (cents): `12.34` CAD is `1234`.
    pub const fn to_minor(self) -> i64 {
        self.minor
    }

    /// The amount as a decimal whose scale is the currency's minor unit.
    pub fn amount(self) -> Decimal {
        Decimal::new(self.minor, self.currency.minor_units)
    }

    /// The currency the amount is in.
    pub const fn currency(self) -> Currency {
        self.currency
    }

    /// The amount with exactly the currency's minor-unit digits and no
    /// currency code: `400.00`, `1250.40`, JPY `400`. Same as `to_string()`.
    pub fn to_string_fixed(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A decimal built with the minor unit as its scale prints exactly that many digits.
        fmt::Display::fmt(&self.amount(), f)
    }
}

/// Why a currency or an amount of money was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MoneyError {
    #[error("unknown currency '{code}'; expected one of: {known}")]
    UnknownCurrency { code: String, known: String },
    #[error(
        "'{input}' is not an amount; write digits with an optional '.' and decimals, e.g. 1250.40"
    )]
    NotANumber { input: String },
    #[error("'{input}' has more decimals than {currency} allows ({allowed})")]
    TooManyDecimals {
        input: String,
        currency: &'static str,
        allowed: u32,
    },
    #[error("'{input}' is negative; the amount must be zero or more")]
    Negative { input: String },
    #[error("'{input}' is too large an amount (at most 1,000,000,000,000)")]
    OutOfRange { input: String },
}

/// Why a text is not an acceptable plain decimal number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DecimalTextError {
    NotANumber,
    TooManyDecimals,
    OutOfRange,
}

/// Reads plain decimal notation — an optional `-`, digits, and optionally `.`
/// followed by digits — exactly. Trailing zeros after the point lose nothing
/// and are dropped; a text with more than `max_decimals` significant decimals
/// is refused rather than rounded.
///
/// Shared by money and percentages so both accept the same spellings, here
/// and in the browser. Deliberately stricter than `Decimal::from_str`, which
/// takes `_` separators and rounds digits beyond its precision.
pub(super) fn parse_plain_decimal(
    text: &str,
    max_decimals: u32,
) -> Result<Decimal, DecimalTextError> {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (integer, fraction) = match unsigned.split_once('.') {
        Some((integer, fraction)) if !fraction.is_empty() => (integer, fraction),
        Some(_) => return Err(DecimalTextError::NotANumber),
        None => (unsigned, ""),
    };
    let all_digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
    if integer.is_empty() || !all_digits(integer) || !all_digits(fraction) {
        return Err(DecimalTextError::NotANumber);
    }
    let fraction = fraction.trim_end_matches('0');
    if fraction.len() > max_decimals as usize {
        return Err(DecimalTextError::TooManyDecimals);
    }
    let sign = if unsigned.len() < text.len() { "-" } else { "" };
    let exact = if fraction.is_empty() {
        format!("{sign}{integer}")
    } else {
        format!("{sign}{integer}.{fraction}")
    };
    let value = Decimal::from_str(&exact).map_err(|_| DecimalTextError::OutOfRange)?;
    // A shorter scale than written means rust_decimal ran out of precision and rounded.
    if value.scale() as usize != fraction.len() {
        return Err(DecimalTextError::OutOfRange);
    }
    Ok(value.normalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn currency(code: &str) -> Currency {
        Currency::parse(code).unwrap()
    }

    fn cad(text: &str) -> Result<Money, MoneyError> {
        Money::parse(text, currency("CAD"))
    }

    #[test]
    fn an_amount_is_written_with_exactly_its_currency_digits() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(currency("CAD").fixed(d("1250.4")), "1250.40");
        assert_eq!(currency("CAD").fixed(d("0.125")), "0.12");
        assert_eq!(currency("CAD").fixed(d("0.135")), "0.14");
        assert_eq!(currency("JPY").fixed(d("399.6")), "400");
        assert_eq!(currency("KWD").fixed(d("-2")), "-2.000");
        assert_eq!(Currency::fixed_by_code("EUR", d("3")), "3.00");
        assert_eq!(Currency::fixed_by_code("???", d("3")), "3.00");
        // Rounded, not cut: `format!("{:.2}")` would give 2.67.
        assert_eq!(currency("CAD").fixed(d("2.675")), "2.68");
        assert_eq!(
            currency("CAD").fixed(d("1000000000000.995")),
            "1000000000001.00"
        );
    }

    #[test]
    fn every_known_currency_has_its_minor_units() {
        let units: Vec<_> = ["CAD", "EUR", "JPY", "KRW", "ISK", "BHD", "KWD"]
            .iter()
            .map(|code| currency(code).minor_units())
            .collect();

        assert_eq!(units, [2, 2, 0, 0, 0, 3, 3]);
        assert_eq!(currency("CAD").code(), "CAD");
    }

    #[test]
    fn an_unknown_currency_is_refused_with_the_known_codes() {
        let error = Currency::parse("XYZ").unwrap_err();

        assert!(matches!(error, MoneyError::UnknownCurrency { .. }));
        assert!(
            error
                .to_string()
                .starts_with("unknown currency 'XYZ'; expected one of: CAD, AUD")
        );
    }

    #[test]
    fn a_lowercase_currency_code_is_refused() {
        assert!(Currency::parse("cad").is_err());
    }

    #[test]
    fn a_currency_travels_as_its_code() {
        let json = serde_json::to_string(&currency("NZD")).unwrap();

        assert_eq!(json, "\"NZD\"");
        assert_eq!(
            serde_json::from_str::<Currency>(&json).unwrap(),
            currency("NZD")
        );
        assert!(serde_json::from_str::<Currency>("\"nzd\"").is_err());
    }

    #[test]
    fn an_amount_prints_exactly_the_minor_unit_digits() {
        assert_eq!(cad("400").unwrap().to_string(), "400.00");
        assert_eq!(cad("1250.4").unwrap().to_string_fixed(), "1250.40");
        assert_eq!(cad("-0.05").unwrap().to_string(), "-0.05");
        assert_eq!(
            Money::parse("400", currency("JPY")).unwrap().to_string(),
            "400"
        );
        assert_eq!(
            Money::parse("1.5", currency("BHD")).unwrap().to_string(),
            "1.500"
        );
    }

    #[test]
    fn an_amount_with_more_decimals_than_the_currency_allows_is_refused_not_rounded() {
        assert!(matches!(
            cad("1.005"),
            Err(MoneyError::TooManyDecimals { allowed: 2, .. })
        ));
        assert!(matches!(
            Money::parse("400.5", currency("JPY")),
            Err(MoneyError::TooManyDecimals { allowed: 0, .. })
        ));
        assert_eq!(
            cad("1.005").unwrap_err().to_string(),
            "'1.005' has more decimals than CAD allows (2)"
        );
    }

    #[test]
    fn trailing_zeros_beyond_the_minor_unit_lose_nothing_and_are_accepted() {
        assert_eq!(cad("10.000").unwrap(), cad("10").unwrap());
        assert_eq!(
            Money::parse("400.0", currency("JPY")).unwrap().to_minor(),
            400
        );
    }

    #[test]
    fn text_that_is_not_a_plain_decimal_is_refused() {
        for text in [
            "", "abc", "1,000", "1_000", "+5", " 5", "5 ", "1e3", ".5", "5.", "-", "1.2.3", "--1",
        ] {
            assert!(
                matches!(cad(text), Err(MoneyError::NotANumber { .. })),
                "{text:?}"
            );
        }
    }

    #[test]
    fn an_amount_too_large_to_hold_is_refused() {
        assert!(matches!(
            cad("92233720368547758.08"),
            Err(MoneyError::OutOfRange { .. })
        ));
        assert!(matches!(
            cad("1".repeat(40).as_str()),
            Err(MoneyError::OutOfRange { .. })
        ));
        // Concord takes in at most a trillion: a cent more is refused.
        assert!(matches!(
            cad("92233720368547758.07"),
            Err(MoneyError::OutOfRange { .. })
        ));
        assert!(matches!(
            cad("1000000000000.01"),
            Err(MoneyError::OutOfRange { .. })
        ));
        assert_eq!(
            cad("1000000000000.00").unwrap().to_minor(),
            100_000_000_000_000
        );
        assert!(matches!(
            cad("-1000000000000.01"),
            Err(MoneyError::OutOfRange { .. })
        ));
    }

    #[test]
    fn a_negative_amount_is_refused_where_amounts_cannot_be_negative() {
        let error = Money::parse_non_negative("-0.01", currency("CAD")).unwrap_err();

        assert!(matches!(error, MoneyError::Negative { .. }));
        assert_eq!(
            Money::parse_non_negative("-0", currency("CAD"))
                .unwrap()
                .to_string(),
            "0.00"
        );
        assert!(Money::parse_non_negative("0.01", currency("CAD")).is_ok());
    }

    #[test]
    fn minor_units_convert_both_ways() {
        let money = Money::from_minor(125_040, currency("CAD"));

        assert_eq!(money.to_string(), "1250.40");
        assert_eq!(money.to_minor(), 125_040);
        assert_eq!(money.amount(), Decimal::new(125_040, 2));
        assert_eq!(cad("12.34").unwrap().to_minor(), 1234);
        assert_eq!(Money::from_minor(7, currency("KWD")).to_string(), "0.007");
    }

    #[test]
    fn a_decimal_with_a_digit_below_the_minor_unit_is_refused() {
        let cad = currency("CAD");

        assert!(matches!(
            Money::new(Decimal::new(1005, 3), cad),
            Err(MoneyError::TooManyDecimals { .. })
        ));
        assert_eq!(
            Money::new(Decimal::new(1000, 3), cad).unwrap().to_string(),
            "1.00"
        );
        assert!(matches!(
            Money::new(Decimal::MAX, cad),
            Err(MoneyError::OutOfRange { .. })
        ));
    }

    #[test]
    fn amounts_in_different_currencies_are_never_equal() {
        assert_ne!(
            cad("5").unwrap(),
            Money::parse("5", currency("AUD")).unwrap()
        );
    }
}
