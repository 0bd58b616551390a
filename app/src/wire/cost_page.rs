//! The costs page of an agreement on the wire: the agreement, the period
//! shown and that period's reconciliation and ledger, as one answer; and
//! the period shown when none is asked for.

use crate::wire::agreements::AgreementView;
use crate::wire::cost::{LedgerView, ReconciliationView};
use crate::wire::error::AppError;
use serde::{Deserialize, Serialize};

/// The costs page of an agreement, as one answer: the agreement, the
/// period shown (the one asked for, else [`default_period`]), and that
/// period's reconciliation and ledger, each of which may fail alone (a
/// malformed period is said where the reconciliation would be).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CostPageView {
    pub agreement: AgreementView,
    pub period: String,
    pub recon: Result<ReconciliationView, AppError>,
    pub ledger: Result<LedgerView, AppError>,
}

/// The period the costs page shows when none is asked for: the last fiscal
/// quarter that has ended (by the agreement's fiscal year) within its term
/// by `today`, else `today`'s month (or the term's last).
pub fn default_period(a: &AgreementView, today: chrono::NaiveDate) -> String {
    use crate::domain::Period;
    let fiscal = u32::try_from(a.fiscal_year_start_month)
        .unwrap_or(1)
        .clamp(1, 12);
    let limit = today.min(a.ends_on);
    let year = chrono::Datelike::year(&limit);
    (year - 2..=year)
        .flat_map(|y| (1..=4).filter_map(move |q| Period::parse(&format!("FY{y:04}-Q{q}")).ok()))
        .filter(|p| p.end_date(fiscal) <= limit && p.end_date(fiscal) >= a.starts_on)
        .max_by_key(|p| p.end_date(fiscal))
        .map_or_else(
            || {
                Period::month_of(limit)
                    .map(|m| m.to_string())
                    .unwrap_or_default()
            },
            |p| p.to_string(),
        )
}
