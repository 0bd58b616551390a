//! Strategies shared by the property tests.
#![allow(dead_code)]

use proptest::prelude::*;
use rust_decimal::Decimal;

/// Any decimal at all: from zero to the largest, either sign, any scale.
pub fn any_decimal() -> impl Strategy<Value = Decimal> {
    (
        any::<u32>(),
        any::<u32>(),
        any::<u32>(),
        any::<bool>(),
        0u32..=28,
    )
        .prop_map(|(lo, mid, hi, negative, scale)| {
            Decimal::from_parts(lo, mid, hi, negative, scale)
        })
}
