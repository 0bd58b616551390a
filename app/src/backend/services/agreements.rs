//! Reading agreements: the portfolio list and one agreement in full.
//! (Drafting, versions and approvals arrive with the negotiation issue.)

use super::organisations::jurisdictions_by_id;
use super::rows::json_rows;
use super::{Ctx, plain_decimal, stored};
use crate::backend::entities::{
    agreement, agreement_life_event, agreement_party, approval, barrier, channel_minimum,
    commitment, cost_model, cost_model_line, governance_section, kpi, life_event, organisation,
    propagation_term, proposed_party,
};
use crate::backend::{ServiceError, ServiceResult};
use crate::domain::renewal::renewal_due;
use crate::domain::{
    AgreementStatus, Boundary, Channel, Currency, OrganisationKind, PartnershipType, PartyFacts,
    PartyRole, Purpose, Structure, boundaries_crossed,
};
use crate::wire::agreements::*;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::{BTreeMap, HashMap};

/// Above this many agreements, loading every party row beats an `IN` list.
const IN_LIST_LIMIT: usize = 500;

/// The boundaries crossed by a set of parties (DOMAIN.md §2), derived.
pub(crate) fn boundaries_of<'a>(
    orgs: impl IntoIterator<Item = &'a organisation::Model>,
) -> Result<Vec<Boundary>, sea_orm::DbErr> {
    let facts = orgs
        .into_iter()
        .map(|o| {
            let kind: OrganisationKind = o.kind;
            Ok(PartyFacts {
                organisation_id: o.id,
                sector: kind.sector(),
                jurisdiction_id: o.jurisdiction_id,
            })
        })
        .collect::<Result<Vec<_>, sea_orm::DbErr>>()?;
    Ok(boundaries_crossed(&facts))
}

/// Whether `organisation_id` is a party to agreement `id`.
pub(crate) async fn is_party(
    db: &impl ConnectionTrait,
    id: i32,
    organisation_id: i32,
) -> ServiceResult<bool> {
    Ok(agreement_party::Entity::find()
        .filter(agreement_party::Column::AgreementId.eq(id))
        .filter(agreement_party::Column::OrganisationId.eq(organisation_id))
        .one(db)
        .await?
        .is_some())
}

/// Whether `organisation_id` takes part in agreement `id`: a party in
/// force, or one named by its pending amendment (which it must see and
/// approve, even before it is a party).
pub(crate) async fn is_involved(
    db: &impl ConnectionTrait,
    id: i32,
    organisation_id: i32,
) -> ServiceResult<bool> {
    Ok(involved_organisations(db, id)
        .await?
        .contains(&organisation_id))
}

/// The organisations that take part in agreement `id`: its parties in
/// force and those its pending amendment names (rows that exist only while
/// one is pending). They see it, are told of it and must approve what
/// awaits approval.
pub(crate) async fn involved_organisations(
    db: &impl ConnectionTrait,
    id: i32,
) -> ServiceResult<std::collections::BTreeSet<i32>> {
    let mut out: std::collections::BTreeSet<i32> = agreement_party::Entity::find()
        .filter(agreement_party::Column::AgreementId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.organisation_id)
        .collect();
    out.extend(
        proposed_party::Entity::find()
            .filter(proposed_party::Column::AgreementId.eq(id))
            .all(db)
            .await?
            .into_iter()
            .map(|p| p.organisation_id),
    );
    Ok(out)
}

/// Whether the caller may see agreement `id` (DOMAIN.md §7): their
/// organisation is a party in force or named by a pending amendment, or
/// they see everything.
///
/// Fails with `Unauthenticated` for anonymous callers, `Forbidden` for API
/// tokens (which only reach their organisation's reports).
pub(crate) async fn check_visible(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
) -> ServiceResult<()> {
    if ctx.sees_all() {
        return Ok(());
    }
    let actor = ctx.person()?;
    if is_involved(db, id, actor.organisation_id).await? {
        Ok(())
    } else {
        Err(ServiceError::NotFound)
    }
}

/// The columns of a party its agreement's summary shows.
struct PartyRow {
    organisation_id: i32,
    role: PartyRole,
}

/// The agreements the caller may see that match `filters`, by reference.
///
/// Fails with `Unauthenticated` for anonymous callers and `Forbidden` for
/// API tokens.
#[tracing::instrument(skip(ctx, db))]
pub async fn list(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    filters: &AgreementFilters,
) -> ServiceResult<Vec<AgreementSummary>> {
    match &ctx.visible {
        Some(once) => {
            let every = AgreementFilters::default();
            let all = once
                .get_or_try_init(|| list_afresh(ctx, db, &every))
                .await?;
            Ok(all.iter().filter(|s| s.matches(filters)).cloned().collect())
        }
        None => list_afresh(ctx, db, filters).await,
    }
}

/// As [`list`], less the agreements the caller's organisation is only
/// invited to join by a pending amendment: their readings (benchmarks,
/// costs) are for the parties in force.
pub(crate) async fn list_as_party(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    filters: &AgreementFilters,
) -> ServiceResult<Vec<AgreementSummary>> {
    let mut all = list(ctx, db, filters).await?;
    if !ctx.sees_all() {
        let org = ctx.person()?.organisation_id;
        all.retain(|s| s.parties.iter().any(|p| p.organisation_id == org));
    }
    Ok(all)
}

async fn list_afresh(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    filters: &AgreementFilters,
) -> ServiceResult<Vec<AgreementSummary>> {
    let agreements = visible_rows(ctx, db).await?;
    let ids: Vec<i32> = agreements.iter().map(|r| r.0).collect();
    let mut parties = party_rows(db, &ids).await?;
    let orgs: HashMap<i32, organisation::Model> =
        crate::backend::services::organisations::organisations_by_id(db, None).await?;
    let mut out = Vec::with_capacity(agreements.len());
    for row in agreements {
        let rows = parties.remove(&row.0).unwrap_or_default();
        // The filters are one rule, `AgreementSummary::matches`, applied
        // to each summary (the browser applies the same).
        let summary = summary_of(row, &rows, &orgs)?;
        if summary.matches(filters) {
            out.push(summary);
        }
    }
    Ok(out)
}

/// The columns of an agreement a summary shows: id, reference, title,
/// title_fr, status, purpose, structure, partnership type, starts on, ends
/// on, currency, renewal notice days.
type SummaryRow = (
    i32,
    String,
    String,
    Option<String>,
    AgreementStatus,
    Purpose,
    Structure,
    PartnershipType,
    chrono::NaiveDate,
    chrono::NaiveDate,
    String,
    i32,
);

/// The agreements `ctx` may see, by reference: only the columns a summary
/// shows, every row at once, so that a portfolio of thousands lists fast.
async fn visible_rows(ctx: &Ctx, db: &impl ConnectionTrait) -> ServiceResult<Vec<SummaryRow>> {
    let mut rest = String::from("FROM agreements WHERE 1 = 1");
    let mut values: Vec<sea_orm::Value> = Vec::new();
    if !ctx.sees_all() {
        let actor = ctx.person()?;
        rest.push_str(
            " AND (id IN (SELECT agreement_id FROM agreement_parties WHERE organisation_id = ?) \
             OR id IN (SELECT agreement_id FROM proposed_parties WHERE organisation_id = ?))",
        );
        values.push(actor.organisation_id.into());
        values.push(actor.organisation_id.into());
    }
    let mut agreements: Vec<SummaryRow> = json_rows(
        db,
        &[
            "id",
            "reference",
            "title",
            "title_fr",
            "status",
            "purpose",
            "structure",
            "partnership_type",
            "CAST(starts_on AS TEXT)",
            "CAST(ends_on AS TEXT)",
            "currency",
            "renewal_notice_days",
        ],
        &rest,
        values,
    )
    .await?;
    agreements.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(agreements)
}

/// The parties of agreements `ids`, by agreement, in the order they were
/// added.
async fn party_rows(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> ServiceResult<HashMap<i32, Vec<PartyRow>>> {
    let mut rest = String::from("FROM agreement_parties");
    let mut values: Vec<sea_orm::Value> = Vec::new();
    if ids.len() <= IN_LIST_LIMIT {
        let marks = vec!["?"; ids.len().max(1)].join(", ");
        rest.push_str(&format!(" WHERE agreement_id IN ({marks})"));
        values = if ids.is_empty() {
            vec![0.into()]
        } else {
            ids.iter().map(|&id| id.into()).collect()
        };
    }
    let mut parties: Vec<(i32, i32, i32, PartyRole)> = json_rows(
        db,
        &["id", "agreement_id", "organisation_id", "role"],
        &rest,
        values,
    )
    .await?;
    parties.sort_by_key(|p| p.0);
    let mut by_agreement: HashMap<i32, Vec<PartyRow>> = HashMap::new();
    for (_, agreement_id, organisation_id, role) in parties {
        by_agreement
            .entry(agreement_id)
            .or_default()
            .push(PartyRow {
                organisation_id,
                role,
            });
    }
    Ok(by_agreement)
}

/// The summary of agreement `row` with its `parties`, their organisations
/// from `orgs`.
fn summary_of(
    row: SummaryRow,
    parties: &[PartyRow],
    orgs: &HashMap<i32, organisation::Model>,
) -> ServiceResult<AgreementSummary> {
    let (
        id,
        reference,
        title,
        title_fr,
        status,
        purpose,
        structure,
        partnership_type,
        starts_on,
        ends_on,
        currency,
        renewal_notice_days,
    ) = row;
    let party_orgs: Vec<&organisation::Model> = parties
        .iter()
        .filter_map(|p| orgs.get(&p.organisation_id))
        .collect();
    let boundaries = boundaries_of(party_orgs.iter().copied())?;
    let parties = parties
        .iter()
        .filter_map(|p| orgs.get(&p.organisation_id).map(|o| (p, o)))
        .map(|(p, o)| PartySummary {
            organisation_id: o.id,
            code: o.code.clone(),
            name: o.name.clone(),
            role: p.role,
        })
        .collect();
    Ok(AgreementSummary {
        id,
        status,
        purpose,
        structure,
        partnership_type,
        reference,
        title,
        title_fr,
        starts_on,
        ends_on,
        currency,
        renewal_notice_days,
        boundaries,
        parties,
    })
}

/// A commitment row as the wire shows it, with its KPI.
///
/// Fails when a stored enum value is not one the domain knows.
pub(crate) fn commitment_view(
    c: &commitment::Model,
    k: &kpi::Model,
) -> Result<CommitmentView, sea_orm::DbErr> {
    let terms = crate::domain::terms::Commitment {
        id: c.id,
        organisation_id: c.organisation_id,
        kpi: k.code.clone(),
        target: c.target.0,
        warning_band: c.warning_band.map(|b| b.0),
        channel: c.channel,
        service: c.service_code.clone(),
        frequency: c.frequency,
        grace_days: c.grace_days,
        effective_from: c.effective_from,
        effective_to: c.effective_to,
        allowed_misses: c.allowed_misses,
    };
    Ok(commitment_terms_view(&terms, k))
}

/// A commitment as terms record it (in force or proposed), with its KPI.
pub(crate) fn commitment_terms_view(
    c: &crate::domain::terms::Commitment,
    k: &kpi::Model,
) -> CommitmentView {
    CommitmentView {
        id: c.id,
        organisation_id: c.organisation_id,
        kpi: k.code.clone(),
        kpi_name: k.name.clone(),
        kpi_name_fr: k.name_fr.clone(),
        target: plain_decimal(c.target),
        warning_band: c.warning_band.map(plain_decimal),
        channel: c.channel,
        service: c.service.clone(),
        frequency: c.frequency,
        grace_days: c.grace_days,
        effective_from: c.effective_from,
        effective_to: c.effective_to,
        allowed_misses: c.allowed_misses,
    }
}

/// A stored amount with exactly the currency's minor-unit digits.
fn money_string(amount: Decimal, currency: Option<Currency>) -> String {
    currency.unwrap_or(Currency::UNKNOWN).fixed(amount)
}

fn string_map(
    json: Option<&serde_json::Value>,
    column: &str,
) -> ServiceResult<BTreeMap<Channel, String>> {
    let mut out = BTreeMap::new();
    if let Some(serde_json::Value::Object(map)) = json {
        for (k, v) in map {
            let channel: Channel = stored(k, column)?;
            let text = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            out.insert(channel, text);
        }
    }
    Ok(out)
}

/// One agreement in full.
///
/// Fails with `NotFound` when there is no agreement `id` or the caller may
/// not see it (they learn nothing about its existence), `Unauthenticated`
/// for anonymous callers.
#[tracing::instrument(skip(ctx, db))]
pub async fn get(ctx: &Ctx, db: &impl ConnectionTrait, id: i32) -> ServiceResult<AgreementView> {
    check_visible(ctx, db, id).await?;
    let a = agreement::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let currency = Currency::parse(&a.currency).ok();

    let (party_rows, parties, boundaries) = parties_of(db, id).await?;
    let services = services_of(db, id, currency).await?;
    let life_events = life_events_of(db, id).await?;
    let barriers = barriers_of(db, id).await?;
    let governance = governance_of(db, id).await?;
    let propagation = propagation_of(db, id).await?;
    let channel_minimums = channel_minimums_of(db, id).await?;
    let cost_model = cost_model_of(db, id, currency).await?;
    let commitments = commitments_of(db, id).await?;

    let pending = super::versions::pending(db, &a).await?;
    let approval_rows = approval::Entity::find()
        .filter(approval::Column::AgreementId.eq(id))
        .filter(approval::Column::WithdrawnAt.is_null())
        .order_by_asc(approval::Column::Id)
        .all(db)
        .await?;
    let pending_number = pending.as_ref().map(|p| p.number);
    let approvals = approval_rows
        .iter()
        .filter(|ap| Some(ap.version_number) != pending_number)
        .map(approval_view)
        .collect();
    let pending_amendment = match pending {
        None => None,
        Some(p) => {
            let in_force = a.in_force_version.unwrap_or(p.number);
            let before = super::versions::terms_of_version(db, id, in_force).await?;
            let after = super::versions::read(&p.terms)?;
            Some(pending_view(db, &p, &before, &after, &approval_rows, &party_rows).await?)
        }
    };

    let parent = match a.parent_id {
        Some(pid) => agreement::Entity::find_by_id(pid)
            .one(db)
            .await?
            .map(|p| AgreementRef {
                id: p.id,
                reference: p.reference,
                title: p.title,
            }),
        None => None,
    };

    Ok(AgreementView {
        id: a.id,
        status: a.status,
        purpose: a.purpose,
        structure: a.structure,
        partnership_type: a.partnership_type,
        reference: a.reference,
        version: a.version,
        title: a.title,
        title_fr: a.title_fr,
        summary: a.summary,
        summary_fr: a.summary_fr,
        starts_on: a.starts_on,
        ends_on: a.ends_on,
        renewal_notice_days: a.renewal_notice_days,
        currency: a.currency,
        fiscal_year_start_month: a.fiscal_year_start_month,
        parent,
        parties,
        services,
        life_events,
        barriers,
        governance,
        propagation,
        channel_minimums,
        published: a.published,
        boundaries,
        cost_model,
        commitments,
        approvals,
        pending_amendment,
    })
}

/// The parties of agreement `id` in the order they were named, with the
/// rows they come from and the boundaries they cross.
async fn parties_of(
    db: &impl ConnectionTrait,
    id: i32,
) -> ServiceResult<(Vec<agreement_party::Model>, Vec<PartyView>, Vec<Boundary>)> {
    let party_rows = agreement_party::Entity::find()
        .filter(agreement_party::Column::AgreementId.eq(id))
        .order_by_asc(agreement_party::Column::Id)
        .all(db)
        .await?;
    let org_ids: Vec<i32> = party_rows.iter().map(|p| p.organisation_id).collect();
    let orgs: HashMap<i32, organisation::Model> =
        crate::backend::services::organisations::organisations_by_id(db, Some(org_ids)).await?;
    let jurisdictions = jurisdictions_by_id(db).await?;
    let mut parties = Vec::new();
    for p in &party_rows {
        let Some(o) = orgs.get(&p.organisation_id) else {
            continue;
        };
        let kind: OrganisationKind = o.kind;
        let j = o.jurisdiction_id.and_then(|j| jurisdictions.get(&j));
        parties.push(PartyView {
            organisation_id: o.id,
            code: o.code.clone(),
            name: o.name.clone(),
            name_fr: o.name_fr.clone(),
            kind,
            sector: kind.sector(),
            role: p.role,
            jurisdiction_id: o.jurisdiction_id,
            jurisdiction: j.map(|j| j.name.clone()),
            jurisdiction_fr: j.and_then(|j| j.name_fr.clone()),
        });
    }
    let boundaries = boundaries_of(
        party_rows
            .iter()
            .filter_map(|p| orgs.get(&p.organisation_id)),
    )?;
    Ok((party_rows, parties, boundaries))
}

/// The services in force under agreement `id`.
async fn services_of(
    db: &impl ConnectionTrait,
    id: i32,
    currency: Option<Currency>,
) -> ServiceResult<Vec<ServiceView>> {
    let mut out = Vec::new();
    for (s, standards) in super::service_rows::in_force(db, &[id]).await? {
        out.push(super::service_rows::view(&s, &standards, currency)?);
    }
    Ok(out)
}

/// The life events agreement `id` serves, by name.
async fn life_events_of(db: &impl ConnectionTrait, id: i32) -> ServiceResult<Vec<LifeEventView>> {
    let event_ids: Vec<i32> = agreement_life_event::Entity::find()
        .filter(agreement_life_event::Column::AgreementId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.life_event_id)
        .collect();
    let life_events = life_event::Entity::find()
        .filter(life_event::Column::Id.is_in(event_ids))
        .order_by_asc(life_event::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|e| LifeEventView {
            code: e.code,
            name: e.name,
            name_fr: e.name_fr,
        })
        .collect();
    Ok(life_events)
}

/// The barriers in force of agreement `id`, the most severe first, as the
/// register holds them (with the owning party's updates).
async fn barriers_of(db: &impl ConnectionTrait, id: i32) -> ServiceResult<Vec<BarrierView>> {
    let barriers = barrier::Entity::find()
        .filter(barrier::Column::AgreementId.eq(id))
        .filter(barrier::Column::InForce.eq(true))
        .order_by_desc(barrier::Column::Severity)
        .order_by_asc(barrier::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|b| BarrierView {
            id: b.id,
            key: b.key,
            category: b.category,
            status: b.status,
            description: b.description,
            description_fr: b.description_fr,
            severity: b.severity,
            mitigation: b.mitigation,
            mitigation_fr: b.mitigation_fr,
            actions: b.actions,
            actions_fr: b.actions_fr,
            owner_id: b.owner_id,
            recorded_on: b.recorded_on,
            updated_at: b.register_updated_at.map(super::rfc3339),
        })
        .collect();
    Ok(barriers)
}

/// The governance sections of agreement `id`, in the order of sections.
async fn governance_of(db: &impl ConnectionTrait, id: i32) -> ServiceResult<Vec<GovernanceView>> {
    let mut governance = governance_section::Entity::find()
        .filter(governance_section::Column::AgreementId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|g| GovernanceView {
            section: g.section,
            body: g.body,
            body_fr: g.body_fr,
        })
        .collect::<Vec<_>>();
    governance.sort_by_key(|g| g.section);
    Ok(governance)
}

/// The minimum service levels in force for agreement `id`, by channel.
async fn channel_minimums_of(
    db: &impl ConnectionTrait,
    id: i32,
) -> ServiceResult<Vec<crate::wire::cost::ChannelMinimumTerm>> {
    let mut rows = channel_minimum::Entity::find()
        .filter(channel_minimum::Column::AgreementId.eq(id))
        .all(db)
        .await?;
    rows.sort_by_key(|r| r.channel);
    Ok(rows
        .iter()
        .map(|r| {
            crate::wire::cost::ChannelMinimumTerm::of_terms(
                &crate::domain::channel_shift::ChannelMinimum {
                    channel: r.channel,
                    share: r.share.0,
                },
            )
        })
        .collect())
}

/// The propagation terms in force for agreement `id`, by life event code.
async fn propagation_of(
    db: &impl ConnectionTrait,
    id: i32,
) -> ServiceResult<Vec<crate::wire::negotiation::PropagationTerm>> {
    let rows = propagation_term::Entity::find()
        .filter(propagation_term::Column::AgreementId.eq(id))
        .all(db)
        .await?;
    let codes: HashMap<i32, String> = life_event::Entity::find()
        .filter(life_event::Column::Id.is_in(rows.iter().map(|r| r.life_event_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.code))
        .collect();
    let mut out = rows
        .into_iter()
        .map(|r| {
            let told: Vec<i32> = serde_json::from_value(r.told).map_err(|e| {
                ServiceError::Db(sea_orm::DbErr::Custom(format!(
                    "propagation term {}: parties told: {e}",
                    r.id
                )))
            })?;
            Ok(crate::wire::negotiation::PropagationTerm {
                life_event: codes.get(&r.life_event_id).cloned().unwrap_or_default(),
                intake_organisation_id: r.intake_id,
                told_organisation_ids: told,
                acknowledge_days: r.acknowledge_days,
                act_days: r.act_days,
            })
        })
        .collect::<ServiceResult<Vec<_>>>()?;
    out.sort_by(|a, b| a.life_event.cmp(&b.life_event));
    Ok(out)
}

/// The cost-sharing model in force for agreement `id`, amounts in its
/// currency.
async fn cost_model_of(
    db: &impl ConnectionTrait,
    id: i32,
    currency: Option<Currency>,
) -> ServiceResult<Option<CostModelView>> {
    let cost_model = match cost_model::Entity::find()
        .filter(cost_model::Column::AgreementId.eq(id))
        .one(db)
        .await?
    {
        None => None,
        Some(m) => {
            let lines = cost_model_line::Entity::find()
                .filter(cost_model_line::Column::CostModelId.eq(m.id))
                .order_by_asc(cost_model_line::Column::OrganisationId)
                .all(db)
                .await?
                .into_iter()
                .map(|l| {
                    Ok(CostLineView {
                        organisation_id: l.organisation_id,
                        percent: l.percent.map(|p| plain_decimal(p.0)),
                        cap: l.cap.map(|c| money_string(c.0, currency)),
                        floor: l.floor.map(|f| money_string(f.0, currency)),
                        rates: string_map(l.rates.as_ref(), "cost_model_lines.rates")?,
                    })
                })
                .collect::<ServiceResult<Vec<_>>>()?;
            Some(CostModelView {
                kind: m.kind,
                fixed_portion: m.fixed_portion.map(|p| plain_decimal(p.0)),
                channel_weights: string_map(
                    m.channel_weights.as_ref(),
                    "cost_models.channel_weights",
                )?,
                lines,
            })
        }
    };
    Ok(cost_model)
}

/// The commitments of agreement `id`, each with its KPI.
async fn commitments_of(db: &impl ConnectionTrait, id: i32) -> ServiceResult<Vec<CommitmentView>> {
    let kpis: HashMap<i32, kpi::Model> = kpi::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|k| (k.id, k))
        .collect();
    let commitments = commitment::Entity::find()
        .filter(commitment::Column::AgreementId.eq(id))
        .order_by_asc(commitment::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|c| {
            let k = kpis
                .get(&c.kpi_id)
                .ok_or_else(|| sea_orm::DbErr::RecordNotFound(format!("kpi {}", c.kpi_id)))?;
            commitment_view(&c, k)
        })
        .collect::<Result<Vec<_>, sea_orm::DbErr>>()?;
    Ok(commitments)
}

fn approval_view(ap: &approval::Model) -> ApprovalView {
    ApprovalView {
        organisation_id: ap.organisation_id,
        version: ap.version_number,
        approver_id: ap.approver_id,
        approved_at: super::rfc3339(ap.created_at),
    }
}

/// A pending amendment as the agreement shows it: what it changes from the
/// terms in force, who must approve it and who has.
async fn pending_view(
    db: &impl ConnectionTrait,
    p: &crate::backend::entities::agreement_version::Model,
    before: &crate::domain::Terms,
    after: &crate::domain::Terms,
    approvals: &[approval::Model],
    in_force: &[agreement_party::Model],
) -> ServiceResult<PendingAmendmentView> {
    let mut ids: Vec<i32> = in_force.iter().map(|p| p.organisation_id).collect();
    for id in after.party_ids() {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let orgs: HashMap<i32, organisation::Model> =
        crate::backend::services::organisations::organisations_by_id(db, Some(ids.clone())).await?;
    let mut approvers = Vec::new();
    for id in ids {
        let Some(o) = orgs.get(&id) else { continue };
        let role_in_force = in_force
            .iter()
            .find(|p| p.organisation_id == id)
            .map(|p| p.role);
        approvers.push(ApproverView {
            organisation_id: id,
            code: o.code.clone(),
            name: o.name.clone(),
            name_fr: o.name_fr.clone(),
            role_in_force,
            role_proposed: after
                .parties
                .iter()
                .find(|x| x.organisation_id == id)
                .map(|x| x.role),
        });
    }
    let author = match p.author_id {
        Some(uid) => crate::backend::entities::user::Entity::find_by_id(uid)
            .one(db)
            .await?
            .map(|u| u.display_name),
        None => None,
    };
    Ok(PendingAmendmentView {
        version: p.number,
        author,
        author_id: p.author_id,
        change_summary: p.change_summary.clone(),
        effective_from: p.effective_from,
        proposed_at: super::rfc3339(p.created_at),
        changes: super::versions::field_changes(before, after),
        approvals: approvals
            .iter()
            .filter(|ap| ap.version_number == p.number)
            .map(approval_view)
            .collect(),
        approvers,
    })
}

/// [`get`] for a request: kept until the data changes (`backend::cache`).
///
/// Fails as [`get`] does.
pub async fn get_cached(
    ctx: &Ctx,
    db: &sea_orm::DatabaseConnection,
    id: i32,
) -> ServiceResult<AgreementView> {
    ctx.kept(db, "agreement", &id, get(ctx, db, id)).await
}

/// [`glance`] for a request: kept until the data changes.
///
/// Fails as [`glance`] does.
pub async fn glance_cached(
    ctx: &Ctx,
    db: &sea_orm::DatabaseConnection,
) -> ServiceResult<PortfolioGlance> {
    ctx.kept(db, "glance", &(), glance(ctx, db)).await
}

/// The portfolio at a glance for the caller: what they may see, counted,
/// and the renewals due today.
pub async fn glance(ctx: &Ctx, db: &impl ConnectionTrait) -> ServiceResult<PortfolioGlance> {
    let all = list(ctx, db, &AgreementFilters::default()).await?;
    Ok(glance_of(all, crate::clock::today()))
}

/// Counts `all`; renewals due are judged on `today`.
fn glance_of(all: Vec<AgreementSummary>, today: NaiveDate) -> PortfolioGlance {
    let mut status: BTreeMap<AgreementStatus, usize> = BTreeMap::new();
    let mut structure: BTreeMap<Structure, usize> = BTreeMap::new();
    let mut boundary: BTreeMap<Boundary, usize> = BTreeMap::new();
    for a in &all {
        *status.entry(a.status).or_default() += 1;
        *structure.entry(a.structure).or_default() += 1;
        for b in &a.boundaries {
            *boundary.entry(*b).or_default() += 1;
        }
    }
    let total = all.len();
    let renewals = all
        .into_iter()
        .filter(|a| renewal_due(a.status, a.ends_on, a.renewal_notice_days, today).is_some())
        .collect();
    PortfolioGlance {
        total,
        by_status: status.into_iter().collect(),
        by_structure: structure.into_iter().collect(),
        by_boundary: boundary.into_iter().collect(),
        renewals,
    }
}
