//! Which version of an agreement's terms governs a day: every period is
//! judged (cost shares, compliance) under the version in force then.

use crate::backend::ServiceResult;
use crate::backend::entities::{agreement, agreement_version};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// A version that governs (or would govern) from `effective_from`, with
/// the terms it recorded.
pub(crate) struct Governing {
    pub number: i32,
    pub effective_from: NaiveDate,
    pub terms: serde_json::Value,
}

/// The versions that have been in force, oldest first, and `false` — or,
/// before any approval, the latest version alone and `true` (provisional).
pub(crate) async fn governing(
    db: &impl ConnectionTrait,
    a: &agreement::Model,
) -> ServiceResult<(Vec<Governing>, bool)> {
    let rows = agreement_version::Entity::find()
        .filter(agreement_version::Column::AgreementId.eq(a.id))
        .order_by_asc(agreement_version::Column::Number)
        .all(db)
        .await?;
    let approved: Vec<Governing> = rows
        .iter()
        .filter(|r| r.approved_at.is_some() || a.in_force_version == Some(r.number))
        .map(|r| Governing {
            number: r.number,
            effective_from: r.effective_from,
            terms: r.terms.clone(),
        })
        .collect();
    if !approved.is_empty() {
        return Ok((approved, false));
    }
    Ok((
        rows.into_iter()
            .last()
            .map(|r| Governing {
                number: r.number,
                effective_from: r.effective_from,
                terms: r.terms,
            })
            .into_iter()
            .collect(),
        true,
    ))
}

/// The version in force on `day`: the latest approved one already
/// effective; the first one governs from the start of the term.
pub(crate) fn in_force(versions: &[Governing], day: NaiveDate) -> Option<&Governing> {
    versions
        .iter()
        .filter(|v| v.effective_from <= day)
        .max_by_key(|v| (v.effective_from, v.number))
        .or_else(|| versions.first())
}
