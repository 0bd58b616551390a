//! Reading terms back: the terms of a version, every version of an
//! agreement, and what changed between two.

use super::access::load;
use crate::backend::ServiceResult;
use crate::backend::entities::{agreement_version, user};
use crate::backend::services::Ctx;
use crate::backend::services::agreements::check_visible;
use crate::backend::services::rfc3339 as ts;
use crate::domain::Terms;
use crate::wire::cost::{CostLineParams, CostModelParams};
use crate::wire::negotiation::*;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// The terms a new version starts from, in the shape the edit form
/// submits, and the version they are: the pending amendment's when one
/// awaits approval, otherwise the terms in force (or, before the first
/// activation, the latest draft).
pub async fn terms_of(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
) -> ServiceResult<(AgreementTermsParams, i32)> {
    let v = crate::backend::services::agreements::get(ctx, db, id).await?;
    let a = load(db, id).await?;
    let terms = match crate::backend::services::versions::pending(db, &a).await? {
        Some(p) => {
            let mut t = crate::backend::services::versions::read(&p.terms)?;
            // A revision starts from the register where the owning party
            // updated a barrier after the amendment was proposed: revising
            // must not carry the amendment's older values over it.
            for b in &mut t.barriers {
                if let Some(live) = v.barriers.iter().find(|x| x.key == b.key) {
                    let newer = live_updated_in(db, live.id)
                        .await?
                        .is_some_and(|n| n >= p.number);
                    if newer {
                        b.status = live.status;
                        b.mitigation.clone_from(&live.mitigation);
                        b.mitigation_fr.clone_from(&live.mitigation_fr);
                        b.actions.clone_from(&live.actions);
                        b.actions_fr.clone_from(&live.actions_fr);
                    }
                }
            }
            t
        }
        None => crate::backend::services::versions::terms_of(&v)?,
    };
    Ok((params_of(&terms), v.version))
}

/// The agreement version current when the owning party last updated
/// barrier `id` (its register row), if it ever did.
async fn live_updated_in(db: &impl ConnectionTrait, id: i32) -> ServiceResult<Option<i32>> {
    Ok(crate::backend::entities::barrier::Entity::find_by_id(id)
        .one(db)
        .await?
        .and_then(|b| b.register_version))
}

/// Terms as the edit form submits them.
pub(crate) fn params_of(t: &Terms) -> AgreementTermsParams {
    let text = |d: rust_decimal::Decimal| d.to_string();
    AgreementTermsParams {
        title: t.title.clone(),
        title_fr: t.title_fr.clone(),
        summary: t.summary.clone(),
        summary_fr: t.summary_fr.clone(),
        purpose: t.purpose,
        structure: t.structure,
        partnership_type: t.partnership_type,
        starts_on: t.starts_on,
        ends_on: t.ends_on,
        renewal_notice_days: Some(t.renewal_notice_days),
        currency: t.currency.clone(),
        fiscal_year_start_month: Some(t.fiscal_year_start_month),
        parent_id: t.parent_id,
        published: t.published,
        parties: t
            .parties
            .iter()
            .map(|p| PartyParams {
                organisation_id: p.organisation_id,
                role: p.role,
            })
            .collect(),
        services: t
            .services
            .iter()
            .map(|s| ServiceParams {
                code: Some(s.code.clone()),
                name: s.name.clone(),
                name_fr: s.name_fr.clone(),
                delivered_by: s.delivered_by,
                channels: s.channels.clone(),
                client_types: s.client_types.clone(),
                service_type: s.service_type,
                fee: s.fee.map(|f| f.to_string()),
                online_stages: s.online_stages.clone(),
                standards: s
                    .standards
                    .iter()
                    .map(|st| StandardParams {
                        channel: st.channel,
                        standard: st.standard.clone(),
                        standard_fr: st.standard_fr.clone(),
                        target: st.target.to_string(),
                    })
                    .collect(),
            })
            .collect(),
        life_events: t.life_events.clone(),
        barriers: t
            .barriers
            .iter()
            .map(|b| BarrierParams {
                key: Some(b.key.clone()),
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
        governance: t
            .governance
            .iter()
            .map(|g| GovernanceParams {
                section: g.section,
                body: g.body.clone(),
                body_fr: g.body_fr.clone(),
            })
            .collect(),
        propagation: t
            .propagation
            .iter()
            .map(crate::wire::negotiation::PropagationTerm::of_terms)
            .collect(),
        channel_minimums: t
            .channel_minimums
            .iter()
            .map(crate::wire::cost::ChannelMinimumTerm::of_terms)
            .collect(),
        effective_from: None,
        cost_model: t.cost_model.as_ref().map(|m| CostModelParams {
            kind: m.kind,
            fixed_portion: m.fixed_portion.map(text),
            channel_weights: m
                .channel_weights
                .iter()
                .map(|(c, w)| (*c, text(*w)))
                .collect(),
            lines: m
                .lines
                .iter()
                .map(|l| CostLineParams {
                    organisation_id: l.organisation_id,
                    percent: l.percent.map(text),
                    cap: l.cap.map(text),
                    floor: l.floor.map(text),
                    rates: l.rates.iter().map(|(c, r)| (*c, text(*r))).collect(),
                })
                .collect(),
        }),
    }
}

/// Every version of agreement `id`, oldest first.
pub async fn versions(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
) -> ServiceResult<Vec<VersionView>> {
    check_visible(ctx, db, id).await?;
    let a = load(db, id).await?;
    let rows = agreement_version::Entity::find()
        .filter(agreement_version::Column::AgreementId.eq(id))
        .order_by_asc(agreement_version::Column::Number)
        .all(db)
        .await?;
    let authors: HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().filter_map(|r| r.author_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| VersionView {
            number: r.number,
            author_name: r.author_id.and_then(|id| authors.get(&id).cloned()),
            author_id: r.author_id,
            change_summary: r.change_summary,
            created_at: ts(r.created_at),
            effective_from: r.effective_from,
            approved_at: r.approved_at.map(ts),
            withdrawn_at: r.withdrawn_at.map(ts),
            in_force: a.in_force_version == Some(r.number),
        })
        .collect())
}

pub(super) async fn diff_versions(
    db: &impl ConnectionTrait,
    id: i32,
    from: i32,
    to: i32,
) -> ServiceResult<Vec<FieldChange>> {
    let a = crate::backend::services::versions::terms_of_version(db, id, from).await?;
    let b = crate::backend::services::versions::terms_of_version(db, id, to).await?;
    Ok(crate::backend::services::versions::field_changes(&a, &b))
}

/// Compares two versions of agreement `id` field by field.
pub async fn compare(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
    from: i32,
    to: i32,
) -> ServiceResult<ComparisonView> {
    check_visible(ctx, db, id).await?;
    Ok(ComparisonView {
        from,
        to,
        changes: diff_versions(db, id, from, to).await?,
    })
}
