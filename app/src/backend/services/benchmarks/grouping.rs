//! The benchmarks' visibility and grouping lent to the benchmarks of other
//! areas (citizen satisfaction): the agreements the caller may see, each
//! with the groups it belongs to, and the range of months read — decided
//! here, by the same `scope` and `group_keys` every benchmark uses, so
//! there is one rule of who sees what.

use super::groups::group_keys;
use super::scope::{range, scope};
use crate::backend::ServiceResult;
use crate::backend::services::Ctx;
use crate::domain::Role;
use crate::wire::agreements::AgreementSummary;
use crate::wire::benchmarks::{BenchmarkQuery, GroupBy};
use chrono::NaiveDate;
use std::collections::HashMap;

/// The agreements kept and their groups.
pub(crate) struct Grouping {
    /// From the first day of the first month to the last day of the last.
    pub(crate) from: NaiveDate,
    pub(crate) to: NaiveDate,
    /// Each kept agreement, by id.
    pub(crate) agreements: HashMap<i32, AgreementSummary>,
    /// The groups (key, label, French label) of each kept agreement: one,
    /// or one per boundary it crosses.
    pub(crate) groups_of: HashMap<i32, Vec<(String, String, Option<String>)>>,
}

/// The agreements `ctx` may see as benchmarks see them (executives,
/// managers and admins), grouped by `group_by` (one of an agreement's own
/// attributes: agreement, structure, purpose, boundary), over the months
/// `from` to `to` (default: the twelve months to today).
///
/// Fails with `Forbidden` for reporters and API tokens, `Validation` for a
/// malformed period or a range that ends before it starts.
pub(crate) async fn grouping(
    ctx: &Ctx,
    db: &impl sea_orm::ConnectionTrait,
    group_by: GroupBy,
    from: Option<String>,
    to: Option<String>,
) -> ServiceResult<Grouping> {
    ctx.require(&[Role::Executive, Role::Manager, Role::Admin])?;
    let q = BenchmarkQuery {
        group_by: Some(group_by),
        from,
        to,
        ..Default::default()
    };
    let s = scope(ctx, db, &q).await?;
    let groups_of = s
        .kept
        .values()
        .map(|a| (a.id, group_keys(&s, Some(a), None)))
        .collect();
    Ok(Grouping {
        from: s.from,
        to: s.to,
        agreements: s.kept,
        groups_of,
    })
}

/// The range of `from` to `to` as every benchmark reads it: from the first
/// day of `from` to the last of `to`; by default the twelve months to
/// today.
///
/// Fails with `Validation` for a malformed period or a range that ends
/// before it starts.
pub(crate) fn months(
    from: Option<String>,
    to: Option<String>,
) -> ServiceResult<(NaiveDate, NaiveDate)> {
    range(
        &BenchmarkQuery {
            from,
            to,
            ..Default::default()
        },
        crate::clock::today(),
    )
}
