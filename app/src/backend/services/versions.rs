//! The terms each version recorded, in the domain's schema
//! ([`crate::domain::terms`]): reading them back, writing them from an
//! agreement's view, bringing older shapes up to date; and which version
//! governs a day — every period is judged (cost shares, compliance) under
//! the version in force then.

use crate::backend::entities::{agreement, agreement_version};
use crate::backend::{ServiceError, ServiceResult};
use crate::domain::cost::{CostLine, CostModel};
use crate::domain::terms;
use crate::domain::{AgreementStatus, Terms};
use crate::wire::agreements::{AgreementView, CommitmentView, CostModelView};
use crate::wire::negotiation::FieldChange;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::BTreeMap;
use std::str::FromStr;

/// A version that governs (or would govern) from `effective_from`, with
/// the terms it recorded.
pub(crate) struct Governing {
    pub number: i32,
    pub effective_from: NaiveDate,
    pub terms: Terms,
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
    let governing = |r: &agreement_version::Model| -> ServiceResult<Governing> {
        Ok(Governing {
            number: r.number,
            effective_from: r.effective_from,
            terms: read(&r.terms)?,
        })
    };
    let approved: Vec<Governing> = rows
        .iter()
        .filter(|r| r.approved_at.is_some() || a.in_force_version == Some(r.number))
        .map(governing)
        .collect::<ServiceResult<_>>()?;
    if !approved.is_empty() {
        return Ok((approved, false));
    }
    Ok((
        rows.last()
            .map(governing)
            .transpose()?
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

/// Reads terms as a version stored them, in whatever shape.
///
/// Fails with a database error when they cannot be read: a stored version
/// is never guessed at.
pub(crate) fn read(stored: &serde_json::Value) -> ServiceResult<Terms> {
    Terms::from_stored(stored)
        .map(Terms::normalised)
        .map_err(|e| {
            ServiceError::Db(sea_orm::DbErr::Type(format!(
                "agreement_versions.terms: {e}"
            )))
        })
}

/// The terms an agreement shows, in the schema versions are stored in.
///
/// Fails when a decimal of the view does not parse (it came from the
/// database, so that is a database error).
pub(crate) fn terms_of(view: &AgreementView) -> ServiceResult<Terms> {
    Ok(Terms::normalised(Terms {
        schema_version: terms::SCHEMA_VERSION,
        title: view.title.clone(),
        title_fr: view.title_fr.clone(),
        summary: view.summary.clone(),
        summary_fr: view.summary_fr.clone(),
        purpose: view.purpose,
        structure: view.structure,
        partnership_type: view.partnership_type,
        starts_on: view.starts_on,
        ends_on: view.ends_on,
        renewal_notice_days: view.renewal_notice_days,
        currency: view.currency.clone(),
        fiscal_year_start_month: view.fiscal_year_start_month,
        parent_id: view.parent.as_ref().map(|p| p.id),
        published: view.published,
        parties: view
            .parties
            .iter()
            .map(|p| terms::Party {
                organisation_id: p.organisation_id,
                code: p.code.clone(),
                role: p.role,
            })
            .collect(),
        services: view
            .services
            .iter()
            .map(|s| terms::Service {
                code: s.code.clone(),
                name: s.name.clone(),
                name_fr: s.name_fr.clone(),
                delivered_by: s.delivered_by,
                channels: s.channels.clone(),
                client_types: s.client_types.clone(),
                service_type: s.service_type,
                fee: s.fee.as_deref().and_then(|f| f.parse().ok()),
                online_stages: s.online_stages.clone(),
                standards: s
                    .standards
                    .iter()
                    .map(|st| terms::Standard {
                        channel: st.channel,
                        standard: st.standard.clone(),
                        standard_fr: st.standard_fr.clone(),
                        target: st.target.parse().unwrap_or_default(),
                    })
                    .collect(),
            })
            .collect(),
        life_events: view.life_events.iter().map(|e| e.code.clone()).collect(),
        barriers: view
            .barriers
            .iter()
            .map(|b| terms::Barrier {
                key: b.key.clone(),
                category: b.category,
                description: b.description.clone(),
                description_fr: b.description_fr.clone(),
                severity: b.severity,
                mitigation: b.mitigation.clone(),
                mitigation_fr: b.mitigation_fr.clone(),
                actions: b.actions.clone(),
                actions_fr: b.actions_fr.clone(),
                owner_id: b.owner_id,
                status: b.status,
            })
            .collect(),
        governance: view
            .governance
            .iter()
            .map(|g| terms::Section {
                section: g.section,
                body: g.body.clone(),
                body_fr: g.body_fr.clone(),
            })
            .collect(),
        cost_model: view.cost_model.as_ref().map(cost_model_of).transpose()?,
        commitments: view
            .commitments
            .iter()
            .map(commitment_of)
            .collect::<ServiceResult<_>>()?,
        propagation: view
            .propagation
            .iter()
            .map(crate::wire::negotiation::PropagationTerm::to_terms)
            .collect(),
        channel_minimums: view
            .channel_minimums
            .iter()
            .map(crate::wire::cost::ChannelMinimumTerm::to_terms)
            .collect(),
    }))
}

/// The version of agreement `a` awaiting approval as an amendment — one
/// proposed after a version came into force, neither approved nor
/// withdrawn — if any. An expired or terminated agreement has none.
pub(crate) async fn pending(
    db: &impl ConnectionTrait,
    a: &agreement::Model,
) -> ServiceResult<Option<agreement_version::Model>> {
    let status: AgreementStatus = a.status;
    let open = matches!(status, AgreementStatus::Active | AgreementStatus::Suspended);
    match a.in_force_version {
        Some(in_force) if open && a.version > in_force => {}
        _ => return Ok(None),
    }
    let row = agreement_version::Entity::find()
        .filter(agreement_version::Column::AgreementId.eq(a.id))
        .filter(agreement_version::Column::Number.eq(a.version))
        .one(db)
        .await?;
    Ok(row.filter(|r| r.withdrawn_at.is_none() && r.approved_at.is_none()))
}

/// The terms version `number` of agreement `id` recorded.
///
/// Fails with `NotFound` when there is no such version.
pub(crate) async fn terms_of_version(
    db: &impl ConnectionTrait,
    id: i32,
    number: i32,
) -> ServiceResult<Terms> {
    let row = agreement_version::Entity::find()
        .filter(agreement_version::Column::AgreementId.eq(id))
        .filter(agreement_version::Column::Number.eq(number))
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    read(&row.terms)
}

/// Field-by-field changes from `before` to `after`, as the wire shows them.
pub(crate) fn field_changes(before: &Terms, after: &Terms) -> Vec<FieldChange> {
    terms::compare(before, after)
        .into_iter()
        .map(|c| FieldChange {
            change: c.kind().to_owned(),
            path: c.path,
            before: c.before,
            after: c.after,
        })
        .collect()
}

fn decimal(what: &str, s: &str) -> ServiceResult<Decimal> {
    Decimal::from_str(s.trim())
        .map_err(|e| ServiceError::Db(sea_orm::DbErr::Type(format!("{what} '{s}': {e}"))))
}

/// A commitment as the terms record it.
pub(crate) fn commitment_of(c: &CommitmentView) -> ServiceResult<terms::Commitment> {
    Ok(terms::Commitment {
        id: c.id,
        organisation_id: c.organisation_id,
        kpi: c.kpi.clone(),
        target: decimal("commitments.target", &c.target)?,
        warning_band: c
            .warning_band
            .as_deref()
            .map(|b| decimal("commitments.warning_band", b))
            .transpose()?,
        channel: c.channel,
        service: c.service.clone(),
        frequency: c.frequency,
        grace_days: c.grace_days,
        effective_from: c.effective_from,
        effective_to: c.effective_to,
        allowed_misses: c.allowed_misses,
    })
}

/// A cost model as the terms (and the engine) read it.
pub(crate) fn cost_model_of(view: &CostModelView) -> ServiceResult<CostModel> {
    let opt = |s: &Option<String>| {
        s.as_deref()
            .map(|s| decimal("cost_model_lines", s))
            .transpose()
    };
    let mut lines = Vec::new();
    for l in &view.lines {
        let mut rates = BTreeMap::new();
        for (c, r) in &l.rates {
            rates.insert(*c, decimal("cost_model_lines.rates", r)?);
        }
        lines.push(CostLine {
            organisation_id: l.organisation_id,
            percent: opt(&l.percent)?,
            cap: opt(&l.cap)?,
            floor: opt(&l.floor)?,
            rates,
        });
    }
    let mut channel_weights = BTreeMap::new();
    for (c, w) in &view.channel_weights {
        channel_weights.insert(*c, decimal("cost_models.channel_weights", w)?);
    }
    Ok(CostModel {
        kind: view.kind,
        fixed_portion: opt(&view.fixed_portion)?,
        channel_weights,
        lines,
    })
}

/// Rewrites every version whose terms are stored in an older shape in
/// today's schema, in one transaction; returns how many it rewrote. Run at
/// start (`schema::migrate`), so nothing reads the old shape for long — though
/// [`read`] still would.
///
/// Fails, rewriting nothing, when a stored version cannot be read.
pub async fn upgrade_stored(db: &sea_orm::DatabaseConnection) -> ServiceResult<usize> {
    let rows: Vec<(i32, i32, serde_json::Value)> = agreement_version::Entity::find()
        .select_only()
        .column(agreement_version::Column::Id)
        .column(agreement_version::Column::AgreementId)
        .column(agreement_version::Column::Terms)
        .into_tuple()
        .all(db)
        .await?;
    let stale: Vec<&(i32, i32, serde_json::Value)> = rows
        .iter()
        .filter(|(_, _, t)| {
            t.get("schema_version").and_then(serde_json::Value::as_u64)
                != Some(u64::from(terms::SCHEMA_VERSION))
        })
        .collect();
    // Barriers recorded before they had ids take those of the register's
    // rows (given by the migration that introduced them), matched by
    // description, rather than ids by position.
    let mut known: std::collections::HashMap<i32, Vec<(String, String)>> =
        std::collections::HashMap::new();
    if !stale.is_empty() {
        let mut register = crate::backend::entities::barrier::Entity::find()
            .all(db)
            .await?;
        register.sort_by_key(|r| (!r.in_force, r.id));
        for r in register {
            known
                .entry(r.agreement_id)
                .or_default()
                .push((r.key, r.description));
        }
    }
    let old: Vec<(i32, Terms)> = stale
        .into_iter()
        .map(|(id, agreement_id, stored)| {
            let mut t = read(stored)?;
            let keyed = stored
                .get("schema_version")
                .and_then(serde_json::Value::as_u64)
                >= Some(3);
            if !keyed {
                for b in &mut t.barriers {
                    b.key.clear();
                }
                crate::domain::barrier::assign_keys(
                    &mut t.barriers,
                    known.get(agreement_id).map_or(&[][..], Vec::as_slice),
                );
            }
            Ok((*id, t))
        })
        .collect::<ServiceResult<_>>()?;
    if old.is_empty() {
        return Ok(0);
    }
    let tx = crate::backend::db::write_tx(db).await?;
    for (id, t) in &old {
        agreement_version::Entity::update_many()
            .col_expr(
                agreement_version::Column::Terms,
                sea_orm::sea_query::Expr::value(t.to_stored()),
            )
            .filter(agreement_version::Column::Id.eq(*id))
            .exec(&tx)
            .await?;
    }
    tx.commit().await?;
    Ok(old.len())
}
