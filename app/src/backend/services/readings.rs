//! Reading reports back: the latest revision of each report, and the
//! commitment of each version, so that every period is judged under the
//! terms in force then.

use crate::backend::ServiceResult;
use crate::backend::entities::{agreement, service_level_report};
use crate::backend::exact::Exact;
use crate::domain::KpiDirection;
use crate::domain::compliance::{Reading, Target};
use crate::domain::terms::Commitment;
use chrono::NaiveDate;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashMap;

/// The latest revision of each (commitment, period) among `ids`.
pub(crate) async fn latest_revisions(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> ServiceResult<HashMap<(i32, String), i32>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i32, String, i32)> = service_level_report::Entity::find()
        .filter(service_level_report::Column::CommitmentId.is_in(ids.to_vec()))
        .select_only()
        .column(service_level_report::Column::CommitmentId)
        .column(service_level_report::Column::Period)
        .column_as(
            sea_orm::sea_query::ExprTrait::max(Expr::col(service_level_report::Column::Revision)),
            "revision",
        )
        .group_by(service_level_report::Column::CommitmentId)
        .group_by(service_level_report::Column::Period)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(c, p, r)| ((c, p), r)).collect())
}

/// The commitment's terms as the version in force on `day` recorded them;
/// `None` when that version does not hold it but another does (it was
/// added by an amendment that governs from later, so it owes nothing on
/// `day`); the current ones when no version holds it (loaded directly).
pub(crate) fn terms_on<'a>(
    versions: &'a [(
        crate::backend::services::versions::Governing,
        HashMap<i32, Commitment>,
    )],
    current: &'a Commitment,
    day: NaiveDate,
) -> Option<&'a Commitment> {
    let governing: Vec<&crate::backend::services::versions::Governing> =
        versions.iter().map(|(g, _)| g).collect();
    let chosen = governing
        .iter()
        .filter(|v| v.effective_from <= day)
        .max_by_key(|v| (v.effective_from, v.number))
        .or_else(|| governing.first())
        .map(|g| g.number);
    let held = chosen
        .and_then(|n| versions.iter().find(|(g, _)| g.number == n))
        .and_then(|(_, m)| m.get(&current.id));
    match held {
        Some(terms) => Some(terms),
        None if versions.iter().any(|(_, m)| m.contains_key(&current.id)) => None,
        None => Some(current),
    }
}

pub(crate) fn target_of(c: &Commitment, direction: KpiDirection) -> ServiceResult<Target> {
    Ok(Target {
        target: c.target,
        warning_band: c.warning_band,
        direction,
    })
}

/// A report as the compliance views read it: commitment, period, revision,
/// value, numerator, denominator, volume.
pub(crate) type ReportRow = (
    i32,
    String,
    i32,
    Option<Exact>,
    Option<Exact>,
    Option<Exact>,
    Option<i64>,
);

/// Every report (each revision) of the commitments `ids`.
pub(crate) async fn report_rows(
    db: &impl ConnectionTrait,
    ids: Vec<i32>,
) -> ServiceResult<Vec<ReportRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(service_level_report::Entity::find()
        .filter(service_level_report::Column::CommitmentId.is_in(ids))
        .select_only()
        .column(service_level_report::Column::CommitmentId)
        .column(service_level_report::Column::Period)
        .column(service_level_report::Column::Revision)
        .column(service_level_report::Column::Value)
        .column(service_level_report::Column::Numerator)
        .column(service_level_report::Column::Denominator)
        .column(service_level_report::Column::Volume)
        .into_tuple()
        .all(db)
        .await?)
}

/// The latest revision's reading of each (commitment, period) among `rows`
/// whose commitment `keep` accepts.
pub(crate) fn latest_readings(
    rows: Vec<ReportRow>,
    keep: impl Fn(i32) -> bool,
) -> HashMap<(i32, String), (i32, Reading)> {
    let mut latest: HashMap<(i32, String), (i32, Reading)> = HashMap::new();
    for (c, p, rev, v, n, d, vol) in rows {
        if !keep(c) {
            continue;
        }
        let reading = Reading {
            value: v.map(|x| x.0),
            numerator: n.map(|x| x.0),
            denominator: d.map(|x| x.0),
            volume: vol,
        };
        let slot = latest.entry((c, p)).or_insert((0, reading));
        if rev >= slot.0 {
            *slot = (rev, reading);
        }
    }
    latest
}

/// The versions that have governed, each with its commitments by id.
pub(crate) type CommitmentVersions = Vec<(
    crate::backend::services::versions::Governing,
    HashMap<i32, Commitment>,
)>;

pub(crate) async fn commitment_versions(
    db: &impl ConnectionTrait,
    a: &agreement::Model,
) -> ServiceResult<CommitmentVersions> {
    let (versions, _) = crate::backend::services::versions::governing(db, a).await?;
    Ok(versions
        .into_iter()
        .map(|v| {
            let map = v
                .terms
                .commitments
                .iter()
                .map(|c| (c.id, c.clone()))
                .collect();
            (v, map)
        })
        .collect())
}
