//! Interchange (DOMAIN.md §6): an agreement as an Open Contracting Data
//! Standard record — parties with roles, the contract's status, period,
//! signatories, agreed metrics and amendments, budget by source party, and
//! reports as implementation metrics.
//!
//! Both official languages: the release's `language` is English, the
//! language of its plain text fields, and each text with a French version
//! also carries it in OCDS's multilingual form, the field's name with the
//! language code after an underscore (`title_fr`).

use super::agreements::get;
use super::negotiation::versions;
use super::{Ctx, plain_decimal};
use crate::backend::ServiceResult;
use crate::backend::entities::{cost_entry, service_level_report, user};
use crate::domain::{AgreementStatus, CostKind, PartyRole};
use crate::wire::agreements::AgreementView;
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

/// `value` with `{field}_fr` added when there is a French version.
fn with_french(mut value: Value, field: &str, fr: Option<&str>) -> Value {
    if let (Some(fr), Some(map)) = (fr.filter(|f| !f.trim().is_empty()), value.as_object_mut()) {
        map.insert(format!("{field}_fr"), Value::String(fr.to_owned()));
    }
    value
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
            let party = json!({
                "id": p.code, "name": p.name,
                "roles": ocds_roles(p.role),
                "details": {"concordRole": p.role, "kind": p.kind, "sector": p.sector,
                            "jurisdiction": p.jurisdiction},
            });
            with_french(party, "name", p.name_fr.as_deref())
        })
        .collect();
    let signatories = signatories(db, &a, &party_code).await?;
    let (agreed, implementation_metrics) = metrics(db, &a, &party_code).await?;
    let breakdown = budget_breakdown(db, &a, &party_code).await?;
    let amendments: Vec<Value> = history
        .iter()
        .filter(|v| v.number > 1)
        .map(|v| json!({"id": format!("v{}", v.number), "date": v.created_at, "rationale": v.change_summary,
                        "releaseID": format!("{}-v{}", a.reference, v.number)}))
        .collect();
    let contract = json!({
        "id": a.reference, "title": a.title, "description": a.summary,
        "status": contract_status(a.status),
        "statusDetails": a.status,
        "period": {"startDate": a.starts_on, "endDate": a.ends_on},
        "signatories": signatories,
        "agreedMetrics": agreed,
        "amendments": amendments,
        "implementation": {"metrics": implementation_metrics},
    });
    let contract = with_french(contract, "title", a.title_fr.as_deref());
    let contract = with_french(contract, "description", a.summary_fr.as_deref());
    let now = super::rfc3339(crate::clock::now());
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
                "contracts": [contract],
            },
        }],
    }))
}

/// Who approved which version for each party (OCDS `signatories`).
async fn signatories(
    db: &impl ConnectionTrait,
    a: &AgreementView,
    party_code: &HashMap<i32, String>,
) -> ServiceResult<Vec<Value>> {
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

    Ok(signatories)
}

/// The commitments as agreed (targets) and as met (the latest revision of
/// each period's report): OCDS `agreedMetrics` and implementation metrics.
async fn metrics(
    db: &impl ConnectionTrait,
    a: &AgreementView,
    party_code: &HashMap<i32, String>,
) -> ServiceResult<(Vec<Value>, Vec<Value>)> {
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
            let metric = json!({
                "id": c.id.to_string(), "title": c.kpi_name,
                "description": format!("{} — {}", c.kpi, party_code.get(&c.organisation_id).cloned().unwrap_or_default()),
                "observations": [{"id": format!("{}-target", c.id), "measure": c.target,
                                  "dimensions": {"channel": c.channel, "frequency": c.frequency,
                                                 "warningBand": c.warning_band}}],
            });
            with_french(metric, "title", c.kpi_name_fr.as_deref())
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
            let metric = json!({"id": c.id.to_string(), "title": c.kpi_name, "observations": observations});
            with_french(metric, "title", c.kpi_name_fr.as_deref())
        })
        .collect();

    Ok((agreed, implementation_metrics))
}

/// The budgeted costs by party (OCDS `budgetBreakdown`).
async fn budget_breakdown(
    db: &impl ConnectionTrait,
    a: &AgreementView,
    party_code: &HashMap<i32, String>,
) -> ServiceResult<Vec<Value>> {
    let budget = cost_entry::Entity::find()
        .filter(cost_entry::Column::AgreementId.eq(a.id))
        .filter(cost_entry::Column::Kind.eq(CostKind::Budget))
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
                   "amount": {"amount": crate::domain::Currency::fixed_by_code(&a.currency, amount), "currency": a.currency}})
        })
        .collect();
    Ok(breakdown)
}

/// An agreement's commitments as OpenSLO v1 `SLO` documents (DOMAIN.md §6),
/// one per commitment: the KPI as a threshold indicator read from Concord,
/// the target as the objective (`gte` when higher is better, `lte` when
/// lower), the reporting period as a calendar-aligned time window, and the
/// error budget as the share of periods that must meet it. YAML: each
/// document is written as JSON, which YAML reads as it is.
///
/// Fails with `NotFound` if the caller may not see the agreement.
pub async fn openslo(ctx: &Ctx, db: &impl ConnectionTrait, id: i32) -> ServiceResult<String> {
    use crate::backend::entities::kpi;
    use crate::domain::{Frequency, KpiDirection};
    let a = get(ctx, db, id).await?;
    let kpis: HashMap<String, kpi::Model> = kpi::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|k| (k.code.clone(), k))
        .collect();
    let slug = |s: &str| {
        s.to_ascii_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect::<String>()
    };
    let service = slug(&a.reference);
    let mut out = String::new();
    for c in &a.commitments {
        let Some(k) = kpis.get(&c.kpi) else { continue };
        let direction: KpiDirection = k.direction;
        let party = a
            .parties
            .iter()
            .find(|p| p.organisation_id == c.organisation_id);
        let (duration, periods) = match c.frequency {
            Frequency::Monthly => ("1M", 12u32),
            Frequency::Quarterly => ("1Q", 4),
            Frequency::Annual => ("1Y", 1),
        };
        let allowed = c
            .allowed_misses
            .map_or(periods / 10, |m| u32::try_from(m).unwrap_or(0));
        let share = Decimal::from(periods.saturating_sub(allowed)) / Decimal::from(periods);
        let doc = json!({
            "apiVersion": "openslo/v1",
            "kind": "SLO",
            "metadata": {
                "name": format!("{service}-{}-{}", c.id, slug(&c.kpi)),
                "displayName": format!("{} — {}", c.kpi_name, party.map_or("", |p| p.name.as_str())),
                "annotations": {
                    "concord.example/agreement": a.reference,
                    "concord.example/commitment-id": c.id.to_string(),
                    "concord.example/responsible": party.map_or("", |p| p.code.as_str()),
                    "concord.example/channel": c.channel.map_or("", |ch| ch.as_str()),
                    "concord.example/warning-band": c.warning_band.clone().unwrap_or_default(),
                    "concord.example/grace-days": c.grace_days.to_string(),
                }
            },
            "spec": {
                "description": format!("{}: {} {} {}", a.title, c.kpi_name,
                    if direction == KpiDirection::HigherIsBetter { "at least" } else { "at most" }, c.target),
                "service": service,
                "indicator": {
                    "metadata": {"name": slug(&c.kpi), "displayName": c.kpi_name},
                    "spec": {"thresholdMetric": {"metricSource": {
                        "type": "Concord",
                        "spec": {"kpi": c.kpi, "commitment_id": c.id, "unit": k.unit}
                    }}}
                },
                "timeWindow": [{
                    "duration": duration,
                    "isRolling": false,
                    "calendar": {"startTime": format!("{} 00:00:00", c.effective_from), "timeZone": "UTC"}
                }],
                "budgetingMethod": "Occurrences",
                "objectives": [{
                    "displayName": "target",
                    "op": if direction == KpiDirection::HigherIsBetter { "gte" } else { "lte" },
                    "value": c.target.parse::<f64>().unwrap_or_default(),
                    "target": share.round_dp(4).to_string().parse::<f64>().unwrap_or_default(),
                }]
            }
        });
        out.push_str("---\n");
        out.push_str(&serde_json::to_string_pretty(&doc).unwrap_or_default());
        out.push('\n');
    }
    Ok(out)
}
