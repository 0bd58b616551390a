//! Service-level commitments added to or changed on an agreement, each
//! change a new version of its terms.

use crate::backend::entities::{agreement, kpi};
use crate::backend::services::Ctx;
use crate::backend::services::agreements::is_party;
use crate::backend::{FieldError, ServiceError, ServiceResult};
use crate::domain::KpiUnit;
use crate::domain::compliance::parse_number;
use crate::wire::agreements::CommitmentView;
use crate::wire::negotiation::UpdateAgreementParams;
use crate::wire::reports::*;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};

/// Adds a commitment to agreement `id`: a change of terms like any other,
/// so it is saved as the next version; the commitment's id stays the same
/// in later versions.
///
/// Fails with `NotFound`/`Forbidden` as term changes do, `Stale` for an
/// out-of-date `version`, and `Validation` for every bad field.
#[tracing::instrument(skip(ctx, db, p))]
pub async fn add_commitment<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    p: CommitmentParams,
) -> ServiceResult<CommitmentView> {
    crate::backend::services::negotiation::managing(ctx, db, id).await?;
    let mut errors = Vec::new();
    let (row, target) = commitment_row(db, id, &p, &mut errors).await?;
    let (Some((row, k)), true) = (row, errors.is_empty()) else {
        return Err(ServiceError::validation(
            format!(
                "{} problem(s) in the commitment; nothing was saved.",
                errors.len()
            ),
            errors,
        ));
    };
    let summary = p
        .change_summary
        .clone()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| format!("Adds a commitment: {} (target {target})", p.kpi.trim()));
    save_commitment(ctx, db, id, &p, summary, row, &k).await
}

/// Saves `row` (new, or changed) in the next version of agreement `id`'s
/// terms: in force at once before the first activation, proposed as an
/// amendment afterwards. Returns the commitment as recorded.
pub(super) async fn save_commitment<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    p: &CommitmentParams,
    summary: String,
    row: crate::domain::terms::Commitment,
    k: &kpi::Model,
) -> ServiceResult<CommitmentView> {
    let (mut terms, version) = crate::backend::services::negotiation::terms_of(ctx, db, id).await?;
    terms.effective_from = p.terms_effective_from;
    let (_, saved) = crate::backend::services::negotiation::update_with(
        ctx,
        db,
        id,
        UpdateAgreementParams {
            terms,
            version: p.version.unwrap_or(version),
            change_summary: summary,
        },
        Some(row),
    )
    .await?;
    let saved = saved.ok_or(ServiceError::NotFound)?;
    Ok(crate::backend::services::agreements::commitment_terms_view(
        &saved, k,
    ))
}

/// A commitment of agreement `id` checked field by field (every problem
/// pushed): the commitment to save (a new one, id 0) with its KPI, and its
/// target.
pub(super) async fn commitment_row(
    db: &impl ConnectionTrait,
    id: i32,
    p: &CommitmentParams,
    errors: &mut Vec<FieldError>,
) -> ServiceResult<(
    Option<(crate::domain::terms::Commitment, kpi::Model)>,
    Decimal,
)> {
    let a = agreement::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !is_party(db, id, p.organisation_id).await? {
        errors.push(FieldError::new(
            "organisation_id",
            format!(
                "Organisation {} is not a party to this agreement.",
                p.organisation_id
            ),
        ));
    }
    let k = kpi::Entity::find()
        .filter(kpi::Column::Code.eq(p.kpi.trim()))
        .one(db)
        .await?;
    if k.is_none() {
        errors.push(FieldError::new(
            "kpi",
            format!("No KPI has code '{}'.", p.kpi.trim()),
        ));
    }
    // Journeys KPIs are shown from the journeys themselves and are not
    // yet judged as commitments (issue 22).
    if k.as_ref()
        .is_some_and(|k| crate::domain::journeys::is_journey_kpi(&k.code))
    {
        errors.push(FieldError::new(
            "kpi",
            "This KPI is derived from recorded journeys and shown on the agreement's journeys page; it cannot be committed to yet.",
        ));
    }
    let mut number = |field: &str, v: &Num| match parse_number(&v.text()) {
        Ok(d) => Some(d),
        Err(m) => {
            errors.push(FieldError::new(field, m));
            None
        }
    };
    let target = number("target", &p.target);
    let band = p
        .warning_band
        .as_ref()
        .and_then(|b| number("warning_band", b));
    if band.is_some_and(|b| b < Decimal::ZERO) {
        errors.push(FieldError::new(
            "warning_band",
            "A warning band cannot be negative.",
        ));
    }
    if let (Some(k), Some(t)) = (&k, target) {
        let unit: KpiUnit = k.unit;
        if unit == KpiUnit::Percent && (t < Decimal::ZERO || t > Decimal::ONE_HUNDRED) {
            errors.push(FieldError::new("target", "A percentage is from 0 to 100."));
        } else if t < Decimal::ZERO {
            errors.push(FieldError::new("target", "A target cannot be negative."));
        }
    }
    let grace = p
        .grace_days
        .unwrap_or(crate::domain::compliance::DEFAULT_GRACE_DAYS);
    if !(0..=365).contains(&grace) {
        errors.push(FieldError::new("grace_days", "From 0 to 365 days."));
    }
    if p.effective_from < a.starts_on || p.effective_from > a.ends_on {
        errors.push(FieldError::new(
            "effective_from",
            "The commitment must start within the agreement's term.",
        ));
    }
    if p.effective_to.is_some_and(|to| to < p.effective_from) {
        errors.push(FieldError::new(
            "effective_to",
            "The commitment cannot end before it starts.",
        ));
    }
    if p.allowed_misses.is_some_and(|m| m < 0) {
        errors.push(FieldError::new("allowed_misses", "Cannot be negative."));
    }
    let (Some(k), Some(target)) = (k, target) else {
        return Ok((None, Decimal::ZERO));
    };
    Ok((
        Some((
            crate::domain::terms::Commitment {
                id: 0,
                organisation_id: p.organisation_id,
                kpi: k.code.clone(),
                target,
                warning_band: band,
                channel: p.channel,
                service: p
                    .service
                    .as_deref()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned),
                frequency: p.frequency,
                grace_days: grace,
                effective_from: p.effective_from,
                effective_to: p.effective_to,
                allowed_misses: p.allowed_misses,
            },
            k,
        )),
        target,
    ))
}

/// Changes a commitment's terms (target, band, channel, frequency, grace,
/// dates, allowed misses; its party and KPI stay): a change of terms, saved
/// as the next version. The commitment keeps its id; earlier periods stay
/// judged under the version in force then.
///
/// Fails as [`add_commitment`] does, and with `NotFound` for a commitment
/// of another agreement.
#[tracing::instrument(skip(ctx, db, p))]
pub async fn update_commitment<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    commitment_id: i32,
    p: CommitmentParams,
) -> ServiceResult<CommitmentView> {
    crate::backend::services::negotiation::managing(ctx, db, id).await?;
    // The commitment as the terms the change is based on record it: in
    // force, or already proposed by the pending amendment.
    let existing =
        crate::backend::services::negotiation::commitment_in_base(ctx, db, id, commitment_id)
            .await?
            .ok_or(ServiceError::NotFound)?;
    let mut errors = Vec::new();
    if p.organisation_id != existing.organisation_id || p.kpi.trim() != existing.kpi {
        errors.push(FieldError::new(
            "kpi",
            "A commitment's party and KPI cannot change: end it and add another.",
        ));
    }
    let (row, target) = commitment_row(db, id, &p, &mut errors).await?;
    let (Some((mut row, k)), true) = (row, errors.is_empty()) else {
        return Err(ServiceError::validation(
            format!(
                "{} problem(s) in the commitment; nothing was saved.",
                errors.len()
            ),
            errors,
        ));
    };
    row.id = commitment_id;
    let summary = p
        .change_summary
        .clone()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| format!("Changes the {} commitment (target {target})", k.code));
    save_commitment(ctx, db, id, &p, summary, row, &k).await
}
