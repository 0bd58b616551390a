//! What a cost entry or a transaction volume must satisfy: a month within
//! the term that has begun, a party of the agreement, an amount or count in
//! bounds. Every problem is named by line and field.

use super::Books;
use crate::backend::entities::{cost_entry, transaction_volume};
use crate::backend::exact::Exact;
use crate::backend::{FieldError, ServiceError};
use crate::domain::cost::MAX_COUNT;
use crate::domain::{CostKind, Money, Period, PeriodKind};
use crate::wire::cost::*;
use chrono::NaiveDate;
use sea_orm::ActiveValue::Set;

/// What is wrong with a transaction count, if anything: negative, or
/// beyond [`MAX_COUNT`] (which keeps every sum and product of counts far
/// from overflowing).
pub(super) fn count_problem(count: i64) -> Option<&'static str> {
    if count < 0 {
        Some("A count cannot be negative.")
    } else if count.unsigned_abs() > MAX_COUNT {
        Some("At most 1,000,000,000,000 transactions.")
    } else {
        None
    }
}

/// A month within the agreement's term, as recorded.
pub(crate) fn month(
    errors: &mut Vec<FieldError>,
    line: Option<u64>,
    text: &str,
    b: &Books,
) -> Option<Period> {
    period_in_term(errors, line, text, b, true)
}

/// A period within the agreement's term: a month when `months_only`
/// (actual costs, volumes), any period otherwise (budgets).
pub(super) fn period_in_term(
    errors: &mut Vec<FieldError>,
    line: Option<u64>,
    text: &str,
    b: &Books,
    months_only: bool,
) -> Option<Period> {
    let mut problem = |m: String| {
        errors.push(match line {
            Some(l) => FieldError::at_line(l, "period", m),
            None => FieldError::new("period", m),
        });
    };
    match Period::parse(text.trim()) {
        Err(e) => {
            problem(format!("{e}."));
            None
        }
        Ok(p) if months_only && p.kind() != PeriodKind::Month => {
            problem(format!(
                "'{text}' is not a month: actual costs and volumes are recorded by month, as 2026-10."
            ));
            None
        }
        Ok(p)
            if p.end_date(b.fiscal) < b.agreement.starts_on
                || p.start_date(b.fiscal) > b.agreement.ends_on =>
        {
            problem(format!(
                "{p} lies outside the agreement's term ({} to {}).",
                b.agreement.starts_on, b.agreement.ends_on
            ));
            None
        }
        Ok(p) => Some(p),
    }
}

pub(crate) fn push(errors: &mut Vec<FieldError>, line: Option<u64>, field: &str, message: String) {
    errors.push(match line {
        Some(l) => FieldError::at_line(l, field, message),
        None => FieldError::new(field, message),
    });
}

pub(crate) fn party(
    errors: &mut Vec<FieldError>,
    line: Option<u64>,
    organisation_id: i32,
    b: &Books,
    may: &[i32],
) -> Option<i32> {
    if !b.parties.contains(&organisation_id) {
        push(
            errors,
            line,
            "organisation_id",
            format!("Organisation {organisation_id} is not a party to this agreement."),
        );
        None
    } else if !may.contains(&organisation_id) {
        push(
            errors,
            line,
            "organisation_id",
            "You may record only for your own organisation.".to_owned(),
        );
        None
    } else {
        Some(organisation_id)
    }
}

/// Whether `p` begins after `today`.
pub(crate) fn not_begun(p: Period, b: &Books, today: NaiveDate) -> bool {
    p.start_date(b.fiscal) > today
}

/// One cost entry checked against the agreement; every problem pushed.
/// `may` are the organisations the caller may record for; a period that
/// begins after `today` takes only budgets.
pub(crate) fn check_entry(
    errors: &mut Vec<FieldError>,
    line: Option<u64>,
    p: &CostEntryParams,
    b: &Books,
    may: &[i32],
    today: NaiveDate,
) -> Option<cost_entry::ActiveModel> {
    let before = errors.len();
    let period = period_in_term(errors, line, &p.period, b, p.kind == CostKind::Actual);
    let amount = match Money::parse_non_negative(p.amount.trim(), b.currency) {
        Ok(m) => Some(m.amount()),
        Err(e) => {
            push(errors, line, "amount", format!("'{}': {e}", p.amount));
            None
        }
    };
    let org = party(errors, line, p.organisation_id, b, may);
    if let Some(period) = period
        && p.kind == CostKind::Actual
        && not_begun(period, b, today)
    {
        push(
            errors,
            line,
            "period",
            format!("{period} has not begun: only budgets can be recorded for it."),
        );
    }
    if errors.len() > before {
        return None;
    }
    let (period, amount, org) = (period?, amount?, org?);
    let now = crate::clock::now();
    Some(cost_entry::ActiveModel {
        agreement_id: Set(b.agreement.id),
        period: Set(period.to_string()),
        period_start: Set(period.start_date(b.fiscal)),
        kind: Set(p.kind),
        category: Set(p.category),
        amount: Set(Exact(amount)),
        organisation_id: Set(org),
        created_at: Set(now),
        updated_at: Set(now),
        lock_version: Set(1),
        ..Default::default()
    })
}

/// One volume checked against the agreement; every problem pushed.
pub(crate) fn check_volume(
    errors: &mut Vec<FieldError>,
    line: Option<u64>,
    p: &VolumeEntryParams,
    b: &Books,
    may: &[i32],
    today: NaiveDate,
) -> Option<transaction_volume::ActiveModel> {
    let before = errors.len();
    let period = month(errors, line, &p.period, b);
    if let Some(problem) = count_problem(p.count) {
        push(errors, line, "count", problem.to_owned());
    }
    let org = party(errors, line, p.organisation_id, b, may);
    if let Some(period) = period
        && not_begun(period, b, today)
    {
        push(
            errors,
            line,
            "period",
            format!("{period} has not begun: no transactions can have been delivered in it."),
        );
    }
    check_service_of_volume(errors, line, p, b);
    if errors.len() > before {
        return None;
    }
    let (period, org) = (period?, org?);
    let now = crate::clock::now();
    Some(transaction_volume::ActiveModel {
        agreement_id: Set(b.agreement.id),
        period: Set(period.to_string()),
        period_start: Set(period.start_date(b.fiscal)),
        channel: Set(p.channel),
        organisation_id: Set(org),
        count: Set(p.count),
        service_id: Set(p.service_id),
        meeting_standard: Set(p.meeting_standard),
        created_at: Set(now),
        updated_at: Set(now),
        lock_version: Set(1),
        ..Default::default()
    })
}

/// The service a volume names: one of the agreement's, offered on the
/// volume's channel; and how many met its standard: only where the
/// service has a standard on that channel, from 0 to the count.
fn check_service_of_volume(
    errors: &mut Vec<FieldError>,
    line: Option<u64>,
    p: &VolumeEntryParams,
    b: &Books,
) {
    let service = match p.service_id {
        None => None,
        Some(id) => match b.services.get(&id) {
            None => {
                push(
                    errors,
                    line,
                    "service_id",
                    "No such service in this agreement.".to_owned(),
                );
                return;
            }
            Some(s) if !s.channels.contains(&p.channel) => {
                push(
                    errors,
                    line,
                    "service_id",
                    format!(
                        "Service {} is not offered on the {} channel.",
                        s.code, p.channel
                    ),
                );
                return;
            }
            Some(s) => Some(s),
        },
    };
    let Some(meeting) = p.meeting_standard else {
        return;
    };
    match service {
        None => push(
            errors,
            line,
            "meeting_standard",
            "Name the service whose standard these transactions met.".to_owned(),
        ),
        Some(s) if !s.standards.contains(&p.channel) => push(
            errors,
            line,
            "meeting_standard",
            format!(
                "Service {} has no standard on the {} channel.",
                s.code, p.channel
            ),
        ),
        Some(_) if meeting < 0 || meeting > p.count => push(
            errors,
            line,
            "meeting_standard",
            format!("From 0 to the count ({}).", p.count),
        ),
        Some(_) => {}
    }
}

pub(super) fn refused(errors: Vec<FieldError>, what: &str) -> ServiceError {
    ServiceError::validation(
        format!(
            "{} problem(s) in the {what}; nothing was saved.",
            errors.len()
        ),
        errors,
    )
}
