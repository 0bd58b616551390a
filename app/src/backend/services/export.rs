//! Interchange (DOMAIN.md §6): an agreement as an Open Contracting Data
//! Standard record — parties with roles, the contract's status, period,
//! signatories, agreed metrics and amendments, budget by source party, and
//! reports as implementation metrics.

use super::agreements::get;
use super::negotiation::versions;
use super::{Ctx, plain_decimal};
use crate::backend::ServiceResult;
use crate::backend::entities::{cost_entry, service_level_report, user};
use crate::domain::{AgreementStatus, PartyRole};
use chrono::Utc;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};

/// OCDS party roles for Concord's roles (the Concord role is kept in
/// `details`).
fn ocds_roles(role: PartyRole) -> Vec<&'static str> {
    match role {
        PartyRole::Lead => vec!["buyer", "procuringEntity"],
        PartyRole::Partner => vec!["supplier"],
        PartyRole::ServiceAgent => vec!["supplier"],
        PartyRole::Funder => vec!["funder", "payer"],
        PartyRole::Host => vec!["interestedParty"],
    }
}

fn contract_status(s: AgreementStatus) -> &'static str {
    match s {
        AgreementStatus::Draft
        | AgreementStatus::Negotiation
        | AgreementStatus::PendingApproval => "pending",
        AgreementStatus::Active | AgreementStatus::Suspended => "active",
        AgreementStatus::Expired => "terminated",
        AgreementStatus::Terminated => "cancelled",
    }
}

/// Agreement `id` as an OCDS record. Fails as `agreements::get` does.
pub async fn ocds(ctx: &Ctx, db: &impl ConnectionTrait, id: i32) -> ServiceResult<Value> {
    let a = get(ctx, db, id).await?;
    let history = versions(ctx, db, id).await?;
    let ocid = format!("ocds-concord-{}", a.reference);
    let party_code: HashMap<i32, String> = a
        .parties
        .iter()
        .map(|p| (p.organisation_id, p.code.clone()))
        .collect();
    let parties: Vec<Value> = a
        .parties
        .iter()
        .map(|p| {
            json!({
                "id": p.code, "name": p.name,
                "roles": ocds_roles(p.role),
                "details": {"concordRole": p.role, "kind": p.kind, "sector": p.sector,
                            "jurisdiction": p.jurisdiction},
            })
        })
        .collect();

    let approvers: HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(a.approvals.iter().map(|ap| ap.approver_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let signatories: Vec<Value> = a
        .approvals
        .iter()
        .map(|ap| {
            json!({
                "id": party_code.get(&ap.organisation_id),
                "name": approvers.get(&ap.approver_id),
                "version": ap.version, "date": ap.approved_at,
            })
        })
        .collect();

    let reports = service_level_report::Entity::find()
        .filter(
            service_level_report::Column::CommitmentId.is_in(a.commitments.iter().map(|c| c.id)),
        )
        .order_by_asc(service_level_report::Column::PeriodStart)
        .order_by_asc(service_level_report::Column::Revision)
        .all(db)
        .await?;
    // The latest revision of each commitment and period counts.
    let mut latest: BTreeMap<(i32, String), service_level_report::Model> = BTreeMap::new();
    for r in reports {
        latest.insert((r.commitment_id, r.period.clone()), r);
    }
    let agreed: Vec<Value> = a
        .commitments
        .iter()
        .map(|c| {
            json!({
                "id": c.id.to_string(), "title": c.kpi_name,
                "description": format!("{} — {}", c.kpi, party_code.get(&c.organisation_id).cloned().unwrap_or_default()),
                "observations": [{"id": format!("{}-target", c.id), "measure": c.target,
                                  "dimensions": {"channel": c.channel, "frequency": c.frequency,
                                                 "warningBand": c.warning_band}}],
            })
        })
        .collect();
    let implementation_metrics: Vec<Value> = a
        .commitments
        .iter()
        .map(|c| {
            let observations: Vec<Value> = latest
                .iter()
                .filter(|((cid, _), _)| *cid == c.id)
                .map(|((_, period), r)| {
                    let value = match (r.value, r.numerator, r.denominator) {
                        (Some(v), _, _) => Some(plain_decimal(v.0)),
                        (None, Some(n), Some(d)) if d.0 > Decimal::ZERO => {
                            Some(plain_decimal((n.0 * Decimal::ONE_HUNDRED / d.0).round_dp(2)))
                        }
                        _ => None,
                    };
                    json!({"id": format!("{}-{period}-r{}", c.id, r.revision), "period": {"id": period},
                           "measure": value, "value": r.volume.map(|v| json!({"amount": v}))})
                })
                .collect();
            json!({"id": c.id.to_string(), "title": c.kpi_name, "observations": observations})
        })
        .collect();

    let budget = cost_entry::Entity::find()
        .filter(cost_entry::Column::AgreementId.eq(id))
        .filter(cost_entry::Column::Kind.eq("budget"))
        .all(db)
        .await?;
    let mut by_party: BTreeMap<i32, Decimal> = BTreeMap::new();
    for e in budget {
        *by_party.entry(e.organisation_id).or_default() += e.amount.0;
    }
    let breakdown: Vec<Value> = by_party
        .into_iter()
        .map(|(org, amount)| {
            json!({"sourceParty": {"id": party_code.get(&org), "name": a.party(org).map(|p| p.name.clone())},
                   "amount": {"amount": format!("{:.2}", amount), "currency": a.currency}})
        })
        .collect();
    let amendments: Vec<Value> = history
        .iter()
        .filter(|v| v.number > 1)
        .map(|v| json!({"id": format!("v{}", v.number), "date": v.created_at, "rationale": v.change_summary,
                        "releaseID": format!("{}-v{}", a.reference, v.number)}))
        .collect();
    let now = super::rfc3339(Utc::now());
    Ok(json!({
        "uri": format!("/api/v1/agreements/{id}/export/ocds"),
        "version": "1.1",
        "publishedDate": now,
        "records": [{
            "ocid": ocid,
            "compiledRelease": {
                "ocid": ocid, "id": format!("{}-v{}", a.reference, a.version), "date": now,
                "tag": ["compiled"], "language": "en",
                "parties": parties,
                "planning": {"budget": {"description": "Budgeted costs by party", "budgetBreakdown": breakdown}},
                "contracts": [{
                    "id": a.reference, "title": a.title, "description": a.summary,
                    "status": contract_status(a.status),
                    "statusDetails": a.status,
                    "period": {"startDate": a.starts_on, "endDate": a.ends_on},
                    "signatories": signatories,
                    "agreedMetrics": agreed,
                    "amendments": amendments,
                    "implementation": {"metrics": implementation_metrics},
                }],
            },
        }],
    }))
}
