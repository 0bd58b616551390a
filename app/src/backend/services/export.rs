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
use crate::backend::entities::{agreement, cost_entry, service_level_report, user};
use crate::domain::{AgreementStatus, CostKind, PartyRole};
use crate::wire::agreements::{AgreementView, PublishedAgreement, PublishedParty};
use crate::wire::negotiation::VersionView;
use chrono::NaiveDate;
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

/// The OCDS extension whose fields the records use beyond the core
/// standard: performance failures (the breaches of commitments).
pub const PERFORMANCE_FAILURES_EXTENSION: &str = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_performance_failures/master/extension.json";

/// Who publishes the open contracting data, and where: settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Publisher {
    /// OCDS `publisher.name`.
    pub name: String,
    /// The address people reach Concord at, without a trailing slash: the
    /// base of every URI in the data.
    pub public_url: String,
    /// The prefix of every ocid: the one registered for this publisher
    /// with the Open Contracting Partnership (`ocds-` and six characters).
    pub ocid_prefix: String,
}

impl Default for Publisher {
    fn default() -> Self {
        Publisher {
            name: "Concord".into(),
            public_url: "http://127.0.0.1:3000".into(),
            ocid_prefix: "ocds-concord".into(),
        }
    }
}

impl Publisher {
    /// Checks the settings.
    ///
    /// Fails, saying which, when the name is empty, the URL is not an
    /// absolute `http(s)` URL, or the prefix does not start with `ocds-`
    /// followed by letters, digits and hyphens.
    pub fn new(name: &str, public_url: &str, ocid_prefix: &str) -> Result<Self, String> {
        let name = name.trim();
        if name.is_empty() {
            return Err("The publisher's name must not be empty.".into());
        }
        let url = public_url.trim().trim_end_matches('/');
        let host = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .unwrap_or_default();
        if host.is_empty() || host.contains(char::is_whitespace) {
            return Err(format!(
                "The public URL must be an absolute http:// or https:// address, not {public_url:?}."
            ));
        }
        let rest = ocid_prefix.strip_prefix("ocds-").unwrap_or_default();
        if rest.is_empty() || !rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(format!(
                "The ocid prefix must be ocds- followed by letters and digits (the one registered for you), not {ocid_prefix:?}."
            ));
        }
        Ok(Publisher {
            name: name.to_owned(),
            public_url: url.to_owned(),
            ocid_prefix: ocid_prefix.to_owned(),
        })
    }
}

/// OCDS dates are date-times: a day's first second.
fn start_of(day: NaiveDate) -> String {
    format!("{day}T00:00:00Z")
}

/// A day's last second.
fn end_of(day: NaiveDate) -> String {
    format!("{day}T23:59:59Z")
}

/// An OCDS 1.1 record package of `records`, found at `path`.
fn package(publisher: &Publisher, path: &str, records: &[Value]) -> Value {
    json!({
        "uri": format!("{}{path}", publisher.public_url),
        "version": "1.1",
        "extensions": [PERFORMANCE_FAILURES_EXTENSION],
        "publishedDate": super::rfc3339(crate::clock::now()),
        "publisher": {"name": publisher.name, "uri": publisher.public_url},
        "records": records,
    })
}

/// Agreement `id` as an OCDS record package of one record. Fails as
/// `agreements::get` does.
pub async fn ocds(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
    publisher: &Publisher,
) -> ServiceResult<Value> {
    let a = get(ctx, db, id).await?;
    let history = versions(ctx, db, id).await?;
    let record = record(db, &a, &history, publisher, Audience::Parties).await?;
    Ok(package(
        publisher,
        &format!("/api/v1/agreements/{id}/export/ocds"),
        &[record],
    ))
}

/// The agreements every party agreed to publish, by reference: `published`
/// among the terms of a version in force (an amendment that proposes it
/// changes nothing until approved, since terms are written only once
/// approved).
async fn published_agreements(db: &impl ConnectionTrait) -> ServiceResult<Vec<agreement::Model>> {
    Ok(agreement::Entity::find()
        .filter(agreement::Column::Published.eq(true))
        .filter(agreement::Column::InForceVersion.is_not_null())
        .order_by_asc(agreement::Column::Reference)
        .all(db)
        .await?)
}

/// Every published agreement as an OCDS record package, for anyone (`GET
/// /public/ocds.json`): nothing of an agreement that is not published, and
/// no person's name. Anyone may ask, as often as they like: the answer is
/// kept until the data changes (`ctx.kept`).
pub async fn public_feed(
    ctx: &Ctx,
    db: &sea_orm::DatabaseConnection,
    publisher: &Publisher,
) -> ServiceResult<Value> {
    ctx.kept(
        db,
        "public_feed",
        &publisher.public_url,
        Box::pin(async {
            let system = Ctx::system();
            let mut records = Vec::new();
            for a in published_agreements(db).await? {
                let view = get(&system, db, a.id).await?;
                let history = versions(&system, db, a.id).await?;
                records.push(record(db, &view, &history, publisher, Audience::Public).await?);
            }
            Ok(package(publisher, "/public/ocds.json", &records))
        }),
    )
    .await
}

/// The published agreements as the public page lists them.
pub async fn published(db: &impl ConnectionTrait) -> ServiceResult<Vec<PublishedAgreement>> {
    let system = Ctx::system();
    let mut out = Vec::new();
    for a in published_agreements(db).await? {
        let view = get(&system, db, a.id).await?;
        out.push(PublishedAgreement {
            reference: view.reference,
            title: view.title,
            title_fr: view.title_fr,
            summary: view.summary,
            summary_fr: view.summary_fr,
            status: view.status,
            structure: view.structure,
            starts_on: view.starts_on,
            ends_on: view.ends_on,
            parties: view
                .parties
                .into_iter()
                .map(|p| PublishedParty {
                    name: p.name,
                    name_fr: p.name_fr,
                    role: p.role,
                })
                .collect(),
        });
    }
    Ok(out)
}

/// Who a record is for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Audience {
    /// The agreement's parties and oversight: the approvers' names too.
    Parties,
    /// Anyone: no person's name.
    Public,
}

/// Agreement `a` as an OCDS record: the release of the version in force
/// (or, before any approval, the latest draft), compiled, with only the
/// approved versions as amendments.
async fn record(
    db: &impl ConnectionTrait,
    a: &AgreementView,
    history: &[VersionView],
    publisher: &Publisher,
    audience: Audience,
) -> ServiceResult<Value> {
    let ocid = format!("{}-{}", publisher.ocid_prefix, a.reference);
    let approved: Vec<&VersionView> = history
        .iter()
        .filter(|v| v.approved_at.is_some() || v.in_force)
        .collect();
    let current = history
        .iter()
        .find(|v| v.in_force)
        .or_else(|| approved.last().copied())
        .or_else(|| history.last());
    let number = current.map_or(a.version, |v| v.number);
    let now = super::rfc3339(crate::clock::now());
    let date = current
        .and_then(|v| v.approved_at.clone())
        .or_else(|| current.map(|v| v.created_at.clone()))
        .unwrap_or_else(|| now.clone());
    let release_id = |n: i32| format!("{}-v{n}", a.reference);
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
    let suppliers: Vec<Value> = a
        .parties
        .iter()
        .filter(|p| p.role != PartyRole::Lead)
        .map(|p| json!({"id": p.code, "name": p.name}))
        .collect();
    let signatories = signatories(db, a, &party_code, audience).await?;
    let (agreed, implementation_metrics) = metrics(db, a, &party_code).await?;
    let breakdown = budget_breakdown(db, a, &party_code).await?;
    let failures = performance_failures(db, a, &party_code).await?;
    // Only what every party approved amends the contract.
    let amendments: Vec<Value> = approved
        .windows(2)
        .map(|pair| {
            let (before, v) = (pair[0], pair[1]);
            json!({"id": format!("v{}", v.number),
                   "date": v.approved_at.clone().unwrap_or_else(|| v.created_at.clone()),
                   "rationale": v.change_summary,
                   "amendsReleaseID": release_id(before.number),
                   "releaseID": release_id(v.number)})
        })
        .collect();
    let mut implementation = json!({"metrics": implementation_metrics});
    if !failures.is_empty() {
        implementation["performanceFailures"] = Value::Array(failures);
    }
    let contract = json!({
        "id": a.reference, "awardID": a.reference,
        "title": a.title, "description": a.summary,
        "status": contract_status(a.status),
        "statusDetails": a.status,
        "period": {"startDate": start_of(a.starts_on), "endDate": end_of(a.ends_on)},
        "dateSigned": approved.first().and_then(|v| v.approved_at.clone()),
        "signatories": signatories,
        "agreedMetrics": agreed,
        "amendments": amendments,
        "implementation": implementation,
    });
    let contract = with_french(contract, "title", a.title_fr.as_deref());
    let contract = with_french(contract, "description", a.summary_fr.as_deref());
    let award = json!({
        "id": a.reference, "title": a.title,
        "status": award_status(a.status),
        "date": date,
        "suppliers": suppliers,
        "contractPeriod": {"startDate": start_of(a.starts_on), "endDate": end_of(a.ends_on)},
    });
    let tag = match a.status {
        AgreementStatus::Expired | AgreementStatus::Terminated => "contractTermination",
        _ if amendments.is_empty() => "contract",
        _ => "contractAmendment",
    };
    let release = |id: String, tag: &str, date: &str| {
        json!({
            "ocid": ocid, "id": id, "date": date,
            "tag": [tag], "initiationType": "tender", "language": "en",
            "parties": parties,
            "planning": {"budget": {"description": "Budgeted costs by party", "budgetBreakdown": breakdown}},
            "awards": [award],
            "contracts": [contract],
        })
    };
    Ok(json!({
        "ocid": ocid,
        "releases": [release(release_id(number), tag, &date)],
        "compiledRelease": release(format!("{}-compiled", release_id(number)), "compiled", &date),
    }))
}

fn award_status(s: AgreementStatus) -> &'static str {
    match s {
        AgreementStatus::Draft
        | AgreementStatus::Negotiation
        | AgreementStatus::PendingApproval => "pending",
        AgreementStatus::Active | AgreementStatus::Suspended | AgreementStatus::Expired => "active",
        AgreementStatus::Terminated => "cancelled",
    }
}

/// Each breached period of each commitment, judged as the compliance view
/// judges it (OCDS performance failures extension): the commitment's KPI
/// and responsible party as its category.
async fn performance_failures(
    db: &impl ConnectionTrait,
    a: &AgreementView,
    party_code: &HashMap<i32, String>,
) -> ServiceResult<Vec<Value>> {
    use crate::domain::compliance::Status;
    let compliance = super::reports::compliance(&Ctx::system(), db, a.id).await?;
    let fiscal = u32::try_from(a.fiscal_year_start_month)
        .unwrap_or(1)
        .clamp(1, 12);
    let commitments: HashMap<i32, &crate::wire::agreements::CommitmentView> =
        a.commitments.iter().map(|c| (c.id, c)).collect();
    Ok(compliance
        .items
        .iter()
        .filter(|i| i.status == Status::Breached)
        .filter_map(|i| {
            let c = commitments.get(&i.commitment_id)?;
            let period = crate::domain::Period::parse(&i.period).ok()?;
            Some(json!({
                "id": format!("{}-{}", i.commitment_id, i.period),
                "period": {"startDate": start_of(period.start_date(fiscal)),
                           "endDate": end_of(period.end_date(fiscal))},
                "category": format!("{} — {}", c.kpi_name,
                                    party_code.get(&c.organisation_id).cloned().unwrap_or_default()),
                "events": 1,
            }))
        })
        .collect())
}

/// Who approved which version for each party (OCDS `signatories`).
async fn signatories(
    db: &impl ConnectionTrait,
    a: &AgreementView,
    party_code: &HashMap<i32, String>,
    audience: Audience,
) -> ServiceResult<Vec<Value>> {
    if audience == Audience::Public {
        return Ok(a
            .approvals
            .iter()
            .map(|ap| json!({"id": party_code.get(&ap.organisation_id), "version": ap.version, "date": ap.approved_at}))
            .collect());
    }
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

/// An amount as OCDS writes it: a JSON number (amounts in cents are exact
/// in a double up to tens of trillions).
fn number(fixed: &str) -> Value {
    fixed
        .parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map_or(Value::Null, Value::Number)
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
                   "amount": {"amount": number(&crate::domain::Currency::fixed_by_code(&a.currency, amount)), "currency": a.currency}})
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
