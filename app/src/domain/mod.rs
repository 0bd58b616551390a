//! Pure domain rules, compiled for the server and for the browser alike, so that
//! forms check input with exactly the server's rules. Nothing here may import
//! from the rest of the crate, read a clock, touch I/O or know about databases:
//! only std, serde (and serde_json, the form stored terms take), rust_decimal,
//! chrono's calendar types and thiserror.

pub mod barrier;
pub mod boundary;
pub mod calendar;
pub mod channel_shift;
pub mod compliance;
pub mod cost;
pub mod enums;
pub mod journeys;
pub mod language;
pub mod money;
pub mod percent;
pub mod period;
pub mod propagation;
pub mod renewal;
pub mod rules;
pub mod satisfaction;
pub mod service;
pub mod stats;
pub mod terms;

/// The id of a stored row (an organisation, a jurisdiction, a party): the
/// same integer the database keys are, everywhere.
pub type Id = i32;

pub use boundary::{Boundary, PartyFacts, boundaries_crossed};
pub use calendar::CalendarShift;
pub use enums::{
    AgreementStatus, BarrierCategory, BarrierStatus, Channel, CostCategory, CostKind,
    CostModelKind, Frequency, GovernanceSection, JurisdictionLevel, KpiDirection, KpiUnit,
    OrganisationKind, PartnershipType, PartyRole, Purpose, Role, Scope, Sector, Structure,
    UnknownValue,
};
pub use language::Lang;
pub use money::{Currency, Money, MoneyError};
pub use percent::{CostShares, CostSharesError, Percent, PercentError};
pub use period::{Period, PeriodError, PeriodKind, periods_between};
pub use rules::{RuleViolation, check_parties, check_term};
pub use service::{ClientType, OnlineStage, ServiceType};
pub use terms::{TermChange, Terms, TermsError};
