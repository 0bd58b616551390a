//! Drafting and negotiating agreements (DOMAIN.md §2): creating a draft,
//! saving new terms as immutable versions under optimistic concurrency,
//! comparing versions, comments, lifecycle moves, approvals, amendments and
//! withdrawal. Every change is audited in its own transaction.

use super::agreements::{check_visible, is_involved, is_party};
use super::notifications::{self, kind, party_users};
use super::{Ctx, stored};
use crate::backend::audit::{self, Event};
use crate::backend::entities::{
    agreement, agreement_life_event, agreement_party, agreement_service, agreement_version,
    approval, barrier, comment, commitment, cost_model, cost_model_line, governance_section, kpi,
    life_event, organisation, proposed_party, user,
};
use crate::backend::exact::Exact;
use crate::backend::{FieldError, ServiceError, ServiceResult};
use crate::domain::cost::{CostModel, check_model};
use crate::domain::{
    AgreementStatus, Currency, OrganisationKind, PartyFacts, Role, check_parties, check_term,
};
use crate::domain::{Terms, terms};
use crate::wire::agreements::AgreementView;
use crate::wire::cost::{CostLineParams, CostModelParams};
use crate::wire::negotiation::*;
use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, TransactionSession, TransactionTrait,
};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Longest title, name or short text.
const SHORT_TEXT: usize = 200;
/// Longest summary, description or governance section.
const LONG_TEXT: usize = 10_000;

use super::rfc3339 as ts;

/// Terms checked against the database, ready to write.
struct Checked {
    terms: AgreementTermsParams,
    currency: Currency,
    fiscal: i16,
    notice: i32,
    cost_model: Option<CostModel>,
    /// Each party's organisation code, by id.
    codes: HashMap<i32, String>,
}

fn text_problem(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: &str,
    max: usize,
    required: bool,
) {
    if required && value.trim().is_empty() {
        errors.push(FieldError::new(field, "This field is required."));
    } else if value.chars().count() > max {
        errors.push(FieldError::new(field, format!("At most {max} characters.")));
    }
}

/// Checks every rule of DOMAIN.md §2 on `terms`, collecting every problem.
///
/// Fails with `Validation` listing each problem by field.
async fn check(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    mut terms: AgreementTermsParams,
    agreement_id: Option<i32>,
) -> ServiceResult<Checked> {
    let mut errors = Vec::new();
    text_problem(&mut errors, "title", &terms.title, SHORT_TEXT, true);
    text_problem(
        &mut errors,
        "title_fr",
        terms.title_fr.as_deref().unwrap_or(""),
        SHORT_TEXT,
        false,
    );
    text_problem(&mut errors, "summary", &terms.summary, LONG_TEXT, false);
    text_problem(
        &mut errors,
        "summary_fr",
        terms.summary_fr.as_deref().unwrap_or(""),
        LONG_TEXT,
        false,
    );
    terms.title = terms.title.trim().to_owned();
    for v in check_term(terms.starts_on, terms.ends_on) {
        errors.push(FieldError::new(v.field, v.message));
    }
    let currency = match Currency::parse(terms.currency.trim()) {
        Ok(c) => Some(c),
        Err(e) => {
            errors.push(FieldError::new("currency", e.to_string()));
            None
        }
    };
    let fiscal = terms.fiscal_year_start_month.unwrap_or(1);
    if !(1..=12).contains(&fiscal) {
        errors.push(FieldError::new(
            "fiscal_year_start_month",
            "A month from 1 to 12.",
        ));
    }
    let notice = terms.renewal_notice_days.unwrap_or(90);
    if !(0..=730).contains(&notice) {
        errors.push(FieldError::new(
            "renewal_notice_days",
            "From 0 to 730 days.",
        ));
    }

    // Parties: known organisations, once each, and the structure's rules.
    let ids: Vec<i32> = terms.parties.iter().map(|p| p.organisation_id).collect();
    let orgs: HashMap<i32, organisation::Model> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let mut facts = Vec::new();
    for (i, p) in terms.parties.iter().enumerate() {
        match orgs.get(&p.organisation_id) {
            None => errors.push(FieldError::new(
                format!("parties[{i}].organisation_id"),
                format!("No organisation has id {}.", p.organisation_id),
            )),
            Some(o) => {
                let kind: OrganisationKind = stored(&o.kind, "organisations.kind")?;
                facts.push((
                    PartyFacts {
                        organisation_id: i64::from(o.id),
                        sector: kind.sector(),
                        jurisdiction_id: o.jurisdiction_id.map(i64::from),
                    },
                    p.role,
                ));
            }
        }
    }
    if terms.parties.is_empty() {
        errors.push(FieldError::new(
            "parties",
            "An agreement needs at least one party, its lead.",
        ));
    } else {
        for v in check_parties(terms.structure, &facts) {
            errors.push(FieldError::new(v.field, v.message));
        }
    }
    let party_ids: HashSet<i32> = terms.parties.iter().map(|p| p.organisation_id).collect();

    for (i, s) in terms.services.iter().enumerate() {
        text_problem(
            &mut errors,
            &format!("services[{i}].name"),
            &s.name,
            SHORT_TEXT,
            true,
        );
        if !party_ids.contains(&s.delivered_by) {
            errors.push(FieldError::new(
                format!("services[{i}].delivered_by"),
                "The delivering organisation must be a party.",
            ));
        }
        if s.channels.is_empty() {
            errors.push(FieldError::new(
                format!("services[{i}].channels"),
                "Name at least one channel.",
            ));
        }
    }

    let known: HashMap<String, i32> = life_event::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.code, e.id))
        .collect();
    let mut seen = HashSet::new();
    for (i, code) in terms.life_events.iter().enumerate() {
        match known.get(code.trim()) {
            Some(id) if seen.insert(*id) => {}
            Some(_) => errors.push(FieldError::new(format!("life_events[{i}]"), "Named twice.")),
            None => errors.push(FieldError::new(
                format!("life_events[{i}]"),
                format!("No life event has code '{code}'."),
            )),
        }
    }

    for (i, b) in terms.barriers.iter().enumerate() {
        text_problem(
            &mut errors,
            &format!("barriers[{i}].description"),
            &b.description,
            LONG_TEXT,
            true,
        );
        text_problem(
            &mut errors,
            &format!("barriers[{i}].mitigation"),
            b.mitigation.as_deref().unwrap_or(""),
            LONG_TEXT,
            false,
        );
        if !(1..=5).contains(&b.severity) {
            errors.push(FieldError::new(
                format!("barriers[{i}].severity"),
                "A severity from 1 to 5.",
            ));
        }
        if b.owner_id.is_some_and(|o| !party_ids.contains(&o)) {
            errors.push(FieldError::new(
                format!("barriers[{i}].owner_id"),
                "The owner must be a party.",
            ));
        }
    }

    let mut sections = HashSet::new();
    for (i, g) in terms.governance.iter().enumerate() {
        if !sections.insert(g.section) {
            errors.push(FieldError::new(
                format!("governance[{i}].section"),
                "This section appears twice.",
            ));
        }
        text_problem(
            &mut errors,
            &format!("governance[{i}].body"),
            &g.body,
            LONG_TEXT,
            true,
        );
    }

    if let Some(parent) = terms.parent_id {
        if Some(parent) == agreement_id {
            errors.push(FieldError::new(
                "parent_id",
                "An agreement cannot be its own parent.",
            ));
        } else if !may_see(ctx, db, parent).await? {
            // The same answer whether it does not exist or the caller may
            // not see it: no reference, no title, no oracle.
            errors.push(FieldError::new(
                "parent_id",
                format!("No agreement has id {parent}."),
            ));
        }
    }

    let mut cost_model = None;
    if let (Some(params), Some(currency)) = (&terms.cost_model, currency) {
        match super::cost::parse_model(params, currency) {
            Ok(m) => {
                let parties: Vec<i64> = party_ids.iter().map(|i| i64::from(*i)).collect();
                let problems = check_model(&m, &parties);
                if problems.is_empty() {
                    cost_model = Some(m);
                }
                for p in problems {
                    errors.push(FieldError::new(
                        format!("cost_model.{}", p.field),
                        p.message,
                    ));
                }
            }
            Err(ServiceError::Validation { details, .. }) => {
                for d in details {
                    let field = d.field.strip_prefix("model.").unwrap_or(&d.field);
                    errors.push(FieldError::new(format!("cost_model.{field}"), d.message));
                }
            }
            Err(e) => return Err(e),
        }
    }

    match (errors.is_empty(), currency) {
        (true, Some(currency)) => Ok(Checked {
            terms,
            currency,
            fiscal,
            notice,
            cost_model,
            codes: orgs.into_iter().map(|(id, o)| (id, o.code)).collect(),
        }),
        _ => Err(ServiceError::validation(
            format!(
                "{} problem(s) in the terms; nothing was saved.",
                errors.len()
            ),
            errors,
        )),
    }
}

/// Whether the caller may see agreement `id` (one that does not exist
/// included: `false`).
async fn may_see(ctx: &Ctx, db: &impl ConnectionTrait, id: i32) -> ServiceResult<bool> {
    if agreement::Entity::find_by_id(id).one(db).await?.is_none() {
        return Ok(false);
    }
    match check_visible(ctx, db, id).await {
        Ok(()) => Ok(true),
        Err(ServiceError::NotFound) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The terms `c` proposes, with `commitments`, as a version records them.
fn proposal(c: &Checked, commitments: Vec<terms::Commitment>) -> Terms {
    let t = &c.terms;
    Terms {
        schema_version: terms::SCHEMA_VERSION,
        title: t.title.trim().to_owned(),
        title_fr: t.title_fr.clone(),
        summary: t.summary.trim().to_owned(),
        summary_fr: t.summary_fr.clone(),
        purpose: t.purpose,
        structure: t.structure,
        partnership_type: t.partnership_type,
        starts_on: t.starts_on,
        ends_on: t.ends_on,
        renewal_notice_days: c.notice,
        currency: c.currency.code().to_owned(),
        fiscal_year_start_month: c.fiscal,
        parent_id: t.parent_id,
        parties: t
            .parties
            .iter()
            .map(|p| terms::Party {
                organisation_id: p.organisation_id,
                code: c.codes.get(&p.organisation_id).cloned().unwrap_or_default(),
                role: p.role,
            })
            .collect(),
        services: t
            .services
            .iter()
            .map(|s| terms::Service {
                name: s.name.trim().to_owned(),
                name_fr: s.name_fr.clone(),
                delivered_by: s.delivered_by,
                channels: s.channels.clone(),
            })
            .collect(),
        life_events: t.life_events.iter().map(|e| e.trim().to_owned()).collect(),
        barriers: t
            .barriers
            .iter()
            .map(|b| terms::Barrier {
                category: b.category,
                description: b.description.trim().to_owned(),
                severity: b.severity,
                mitigation: b.mitigation.clone(),
                owner_id: b.owner_id,
                status: b.status,
            })
            .collect(),
        governance: t
            .governance
            .iter()
            .map(|g| terms::Section {
                section: g.section,
                body: g.body.trim().to_owned(),
                body_fr: g.body_fr.clone(),
            })
            .collect(),
        cost_model: c.cost_model.clone(),
        commitments,
    }
    .normalised()
}

/// Makes `t` the terms in force of agreement `id`: its row and every table
/// that pages, readings and calculations read (parties, services, life
/// events, barriers, governance, cost model, commitments). Commitments are
/// matched by id: a new one is inserted under the id reserved for it, a
/// changed one updated; the reports of any other stay where they are.
async fn write_live(tx: &impl ConnectionTrait, id: i32, t: &Terms) -> ServiceResult<()> {
    let now = crate::clock::now();
    let currency = Currency::parse(&t.currency)
        .map_err(|e| ServiceError::Db(sea_orm::DbErr::Type(format!("terms.currency: {e}"))))?;
    agreement::Entity::update_many()
        .col_expr(agreement::Column::Title, Expr::value(t.title.clone()))
        .col_expr(agreement::Column::TitleFr, Expr::value(t.title_fr.clone()))
        .col_expr(agreement::Column::Summary, Expr::value(t.summary.clone()))
        .col_expr(
            agreement::Column::SummaryFr,
            Expr::value(t.summary_fr.clone()),
        )
        .col_expr(agreement::Column::Purpose, Expr::value(t.purpose.as_str()))
        .col_expr(
            agreement::Column::Structure,
            Expr::value(t.structure.as_str()),
        )
        .col_expr(
            agreement::Column::PartnershipType,
            Expr::value(t.partnership_type.as_str()),
        )
        .col_expr(agreement::Column::StartsOn, Expr::value(t.starts_on))
        .col_expr(agreement::Column::EndsOn, Expr::value(t.ends_on))
        .col_expr(
            agreement::Column::RenewalNoticeDays,
            Expr::value(t.renewal_notice_days),
        )
        .col_expr(agreement::Column::Currency, Expr::value(currency.code()))
        .col_expr(
            agreement::Column::FiscalYearStartMonth,
            Expr::value(t.fiscal_year_start_month),
        )
        .col_expr(agreement::Column::ParentId, Expr::value(t.parent_id))
        .col_expr(agreement::Column::UpdatedAt, Expr::value(now))
        .filter(agreement::Column::Id.eq(id))
        .exec(tx)
        .await?;

    agreement_party::Entity::delete_many()
        .filter(agreement_party::Column::AgreementId.eq(id))
        .exec(tx)
        .await?;
    agreement_service::Entity::delete_many()
        .filter(agreement_service::Column::AgreementId.eq(id))
        .exec(tx)
        .await?;
    agreement_life_event::Entity::delete_many()
        .filter(agreement_life_event::Column::AgreementId.eq(id))
        .exec(tx)
        .await?;
    barrier::Entity::delete_many()
        .filter(barrier::Column::AgreementId.eq(id))
        .exec(tx)
        .await?;
    governance_section::Entity::delete_many()
        .filter(governance_section::Column::AgreementId.eq(id))
        .exec(tx)
        .await?;

    for p in &t.parties {
        agreement_party::ActiveModel {
            agreement_id: Set(id),
            organisation_id: Set(p.organisation_id),
            role: Set(p.role.as_str().to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    for s in &t.services {
        agreement_service::ActiveModel {
            agreement_id: Set(id),
            name: Set(s.name.clone()),
            name_fr: Set(s.name_fr.clone()),
            delivered_by: Set(s.delivered_by),
            channels: Set(s
                .channels
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(";")),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    let events: HashMap<String, i32> = life_event::Entity::find()
        .filter(life_event::Column::Code.is_in(t.life_events.clone()))
        .all(tx)
        .await?
        .into_iter()
        .map(|e| (e.code, e.id))
        .collect();
    for code in &t.life_events {
        let event = events.get(code).ok_or_else(|| {
            ServiceError::Db(sea_orm::DbErr::RecordNotFound(format!("life event {code}")))
        })?;
        agreement_life_event::ActiveModel {
            agreement_id: Set(id),
            life_event_id: Set(*event),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    for b in &t.barriers {
        barrier::ActiveModel {
            agreement_id: Set(id),
            category: Set(b.category.as_str().to_owned()),
            description: Set(b.description.clone()),
            severity: Set(b.severity),
            mitigation: Set(b.mitigation.clone()),
            owner_id: Set(b.owner_id),
            status: Set(b.status.as_str().to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
            lock_version: Set(1),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    for g in &t.governance {
        governance_section::ActiveModel {
            agreement_id: Set(id),
            section: Set(g.section.as_str().to_owned()),
            body: Set(g.body.clone()),
            body_fr: Set(g.body_fr.clone()),
            created_at: Set(now),
            updated_at: Set(now),
            lock_version: Set(1),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    write_cost_model(tx, id, t.cost_model.as_ref(), currency).await?;
    for c in &t.commitments {
        let row = commitment_row(tx, id, c).await?;
        match commitment::Entity::find_by_id(c.id).one(tx).await? {
            Some(existing) if existing.agreement_id == id => {
                let mut row = row;
                row.created_at = sea_orm::ActiveValue::NotSet;
                row.lock_version = Set(existing.lock_version + 1);
                row.update(tx).await?;
            }
            Some(_) => {
                return Err(ServiceError::Db(sea_orm::DbErr::Custom(format!(
                    "commitment {} belongs to another agreement",
                    c.id
                ))));
            }
            None => {
                commitment::Entity::insert(row).exec(tx).await?;
            }
        }
    }
    Ok(())
}

/// The row of commitment `c` of agreement `id` (with its id).
async fn commitment_row(
    tx: &impl ConnectionTrait,
    id: i32,
    c: &terms::Commitment,
) -> ServiceResult<commitment::ActiveModel> {
    let k = kpi::Entity::find()
        .filter(kpi::Column::Code.eq(c.kpi.as_str()))
        .one(tx)
        .await?
        .ok_or_else(|| {
            ServiceError::Db(sea_orm::DbErr::RecordNotFound(format!("kpi {}", c.kpi)))
        })?;
    let now = crate::clock::now();
    Ok(commitment::ActiveModel {
        id: Set(c.id),
        agreement_id: Set(id),
        organisation_id: Set(c.organisation_id),
        kpi_id: Set(k.id),
        target: Set(Exact(c.target)),
        warning_band: Set(c.warning_band.map(Exact)),
        channel: Set(c.channel.map(|ch| ch.as_str().to_owned())),
        frequency: Set(c.frequency.as_str().to_owned()),
        grace_days: Set(c.grace_days),
        effective_from: Set(c.effective_from),
        effective_to: Set(c.effective_to),
        allowed_misses: Set(c.allowed_misses),
        created_at: Set(now),
        updated_at: Set(now),
        lock_version: Set(1),
    })
}

/// Reserves an id for a commitment that terms propose, without making it a
/// commitment in force: a row is inserted and deleted again, so the id is
/// never handed out twice (PostgreSQL's sequences and SQLite's
/// AUTOINCREMENT never reuse one) and [`write_live`] inserts the commitment
/// under it once the terms naming it are in force.
async fn reserve_commitment_id(
    tx: &impl ConnectionTrait,
    id: i32,
    c: &terms::Commitment,
) -> ServiceResult<i32> {
    let mut row = commitment_row(tx, id, c).await?;
    row.id = sea_orm::ActiveValue::NotSet;
    let reserved = row.insert(tx).await?.id;
    commitment::Entity::delete_by_id(reserved).exec(tx).await?;
    Ok(reserved)
}

/// Replaces the agreement's cost model (none when `model` is `None`).
async fn write_cost_model(
    tx: &impl ConnectionTrait,
    id: i32,
    model: Option<&CostModel>,
    currency: Currency,
) -> ServiceResult<()> {
    let old: Vec<i32> = cost_model::Entity::find()
        .filter(cost_model::Column::AgreementId.eq(id))
        .all(tx)
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect();
    if !old.is_empty() {
        cost_model_line::Entity::delete_many()
            .filter(cost_model_line::Column::CostModelId.is_in(old.clone()))
            .exec(tx)
            .await?;
        cost_model::Entity::delete_many()
            .filter(cost_model::Column::Id.is_in(old))
            .exec(tx)
            .await?;
    }
    let Some(m) = model else {
        return Ok(());
    };
    let now = crate::clock::now();
    let map = |values: &BTreeMap<crate::domain::Channel, rust_decimal::Decimal>, money: bool| {
        (!values.is_empty()).then(|| {
            Value::Object(
                values
                    .iter()
                    .map(|(c, v)| {
                        let text = if money {
                            currency.fixed(*v)
                        } else {
                            v.normalize().to_string()
                        };
                        (c.as_str().to_owned(), Value::String(text))
                    })
                    .collect(),
            )
        })
    };
    let saved = cost_model::ActiveModel {
        agreement_id: Set(id),
        kind: Set(m.kind.as_str().to_owned()),
        fixed_portion: Set(m.fixed_portion.map(Exact)),
        channel_weights: Set(map(&m.channel_weights, false)),
        created_at: Set(now),
        updated_at: Set(now),
        lock_version: Set(1),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    for l in &m.lines {
        cost_model_line::ActiveModel {
            cost_model_id: Set(saved.id),
            organisation_id: Set(i32::try_from(l.organisation_id).unwrap_or_default()),
            percent: Set(l.percent.map(Exact)),
            cap: Set(l.cap.map(Exact)),
            floor: Set(l.floor.map(Exact)),
            rates: Set(map(&l.rates, true)),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    Ok(())
}

/// Records version `number` of agreement `id`: the terms `t`.
async fn record_version(
    ctx: &Ctx,
    tx: &impl ConnectionTrait,
    id: i32,
    number: i32,
    summary: &str,
    effective_from: NaiveDate,
    t: &Terms,
) -> ServiceResult<()> {
    let now = crate::clock::now();
    agreement_version::ActiveModel {
        agreement_id: Set(id),
        number: Set(number),
        terms: Set(t.to_stored()),
        change_summary: Set(summary.to_owned()),
        author_id: Set(ctx.actor.as_ref().and_then(|a| a.user_id())),
        effective_from: Set(effective_from),
        approved_at: Set(None),
        withdrawn_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    Ok(())
}

/// The next free reference of `year` (`AGR-2026-0042`).
async fn next_reference(tx: &impl ConnectionTrait, year: i32) -> ServiceResult<String> {
    let prefix = format!("AGR-{year}-");
    let last = agreement::Entity::find()
        .filter(agreement::Column::Reference.starts_with(&prefix))
        .order_by_desc(agreement::Column::Reference)
        .one(tx)
        .await?
        .and_then(|a| a.reference[prefix.len()..].parse::<u32>().ok())
        .unwrap_or(0);
    Ok(format!("{prefix}{:04}", last + 1))
}

/// Creates a draft (version 1). Managers (whose organisation must be a
/// party) and admins.
///
/// Fails with `Forbidden` for other roles and `Validation` listing every
/// problem with the terms.
#[tracing::instrument(skip_all)]
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    terms: AgreementTermsParams,
) -> ServiceResult<AgreementView> {
    let actor = ctx.require(&[Role::Manager, Role::Admin])?;
    if actor.role == Role::Manager
        && !terms
            .parties
            .iter()
            .any(|p| p.organisation_id == actor.organisation_id)
    {
        let m = "Your organisation must be a party to an agreement you draft.";
        return Err(ServiceError::validation(
            m,
            vec![FieldError::new("parties", m)],
        ));
    }
    let checked = check(ctx, db, terms, None).await?;
    let year = chrono::Datelike::year(&crate::clock::today());
    // Two managers may draft at the same moment: the unique reference
    // decides, and the loser takes the next number.
    for _ in 0..5 {
        let tx = crate::backend::db::write_tx(db).await?;
        let reference = next_reference(&tx, year).await?;
        let now = crate::clock::now();
        let inserted = agreement::ActiveModel {
            reference: Set(reference.clone()),
            title: Set(checked.terms.title.clone()),
            title_fr: Set(None),
            summary: Set(String::new()),
            summary_fr: Set(None),
            purpose: Set(checked.terms.purpose.as_str().to_owned()),
            structure: Set(checked.terms.structure.as_str().to_owned()),
            partnership_type: Set(checked.terms.partnership_type.as_str().to_owned()),
            status: Set(AgreementStatus::Draft.as_str().to_owned()),
            starts_on: Set(checked.terms.starts_on),
            ends_on: Set(checked.terms.ends_on),
            renewal_notice_days: Set(checked.notice),
            currency: Set(checked.currency.code().to_owned()),
            fiscal_year_start_month: Set(checked.fiscal),
            parent_id: Set(None),
            version: Set(1),
            in_force_version: Set(None),
            created_by: Set(actor.user_id()),
            created_at: Set(now),
            updated_at: Set(now),
            lock_version: Set(1),
            ..Default::default()
        }
        .insert(&tx)
        .await;
        let a = match inserted {
            Ok(a) => a,
            Err(e) if crate::backend::error::is_unique_violation(&e) => continue,
            Err(e) => return Err(e.into()),
        };
        let terms = proposal(&checked, Vec::new());
        write_live(&tx, a.id, &terms).await?;
        let effective = checked
            .terms
            .effective_from
            .unwrap_or(checked.terms.starts_on);
        record_version(ctx, &tx, a.id, 1, "First draft", effective, &terms).await?;
        audit::record(
            &tx,
            ctx,
            Event {
                action: "agreement.create",
                entity: "agreement",
                entity_id: Some(a.id),
                before: None,
                after: Some(terms.to_stored()),
            },
        )
        .await?;
        // The periods its commitments will owe.
        super::results::rebuild(&tx, &[a.id]).await?;
        let view = super::agreements::get(&Ctx::system(), &tx, a.id).await?;
        tx.commit().await?;
        return Ok(view);
    }
    Err(ServiceError::Conflict(
        "Could not assign a reference; try again.".into(),
    ))
}

/// The caller, when they may change agreement `id`: a manager of one of its
/// parties, or an admin.
///
/// Fails with `NotFound` if they may not see it, `Forbidden` if they may
/// see but not change it.
pub(crate) async fn managing(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
) -> ServiceResult<crate::backend::auth::Actor> {
    check_visible(ctx, db, id).await?;
    let actor = ctx.require(&[Role::Manager, Role::Admin])?;
    if actor.role == Role::Admin || is_party(db, id, actor.organisation_id).await? {
        Ok((*actor).clone())
    } else {
        Err(ServiceError::Forbidden)
    }
}

async fn load(db: &impl ConnectionTrait, id: i32) -> ServiceResult<agreement::Model> {
    agreement::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)
}

fn status_of(a: &agreement::Model) -> ServiceResult<AgreementStatus> {
    Ok(stored(&a.status, "agreements.status")?)
}

/// Saves new terms based on `params.version` as the next version.
///
/// Before the agreement's first activation the new version replaces the
/// terms (every organisation it names sees it and must approve it). On an
/// active or suspended agreement it is an amendment: only the version is
/// recorded, the terms in force stay untouched until every party in force
/// and every party it adds has approved it ([`approve`]).
///
/// Fails with `Stale` (409) when `params.version` is not the latest —
/// nothing is overwritten — `Conflict` for an expired or terminated
/// agreement, `Validation` for bad terms.
#[tracing::instrument(skip(ctx, db, params))]
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    params: UpdateAgreementParams,
) -> ServiceResult<AgreementView> {
    update_with(ctx, db, id, params, None)
        .await
        .map(|(view, _)| view)
}

/// [`update`], also adding or changing `commitment` (id 0 for a new one,
/// which gets an id of its own); returns the commitment as recorded.
pub(crate) async fn update_with<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    params: UpdateAgreementParams,
    commitment: Option<terms::Commitment>,
) -> ServiceResult<(AgreementView, Option<terms::Commitment>)> {
    managing(ctx, db, id).await?;
    let summary = params.change_summary.trim().to_owned();
    let mut problems = Vec::new();
    text_problem(&mut problems, "change_summary", &summary, 500, true);
    if !problems.is_empty() {
        return Err(ServiceError::validation(
            "Say what this version changes.",
            problems,
        ));
    }
    let checked = check(ctx, db, params.terms, Some(id)).await?;

    let tx = crate::backend::db::write_tx(db).await?;
    let current = load(&tx, id).await?;
    let status = status_of(&current)?;
    if matches!(
        status,
        AgreementStatus::Expired | AgreementStatus::Terminated
    ) {
        return Err(ServiceError::Conflict(format!(
            "A {} agreement's terms can no longer change.",
            status.as_str()
        )));
    }
    // Optimistic concurrency: only a save based on the latest version wins;
    // the conditional update makes concurrent savers queue on the row.
    let next = params.version + 1;
    let claimed = agreement::Entity::update_many()
        .col_expr(agreement::Column::Version, Expr::value(next))
        .col_expr(
            agreement::Column::LockVersion,
            Expr::col(agreement::Column::LockVersion).add(1),
        )
        .filter(agreement::Column::Id.eq(id))
        .filter(agreement::Column::Version.eq(params.version))
        .exec(&tx)
        .await?;
    if claimed.rows_affected != 1 {
        drop(tx);
        let latest = load(db, id).await?.version;
        let changes = if params.version >= 1 && params.version < latest {
            diff_versions(db, id, params.version, latest).await?
        } else {
            Vec::new()
        };
        return Err(ServiceError::Stale {
            based_on: params.version,
            current: latest,
            changes,
        });
    }
    let amendment = matches!(status, AgreementStatus::Active | AgreementStatus::Suspended)
        && current.in_force_version.is_some();
    let pending = super::versions::pending(&tx, &current).await?;
    let base = super::versions::terms_of_version(&tx, id, base_version(&current, pending.as_ref()))
        .await?;
    // Revising a pending amendment keeps its effective date unless told.
    let pending_from = pending.map(|p| p.effective_from);
    let mut commitments = base.commitments.clone();
    let commitment = match commitment {
        None => None,
        Some(mut c) => {
            if c.id == 0 {
                c.id = reserve_commitment_id(&tx, id, &c).await?;
            }
            match commitments.iter_mut().find(|x| x.id == c.id) {
                Some(slot) => *slot = c.clone(),
                None => commitments.push(c.clone()),
            }
            Some(c)
        }
    };
    let terms = proposal(&checked, commitments);
    let today = crate::clock::today();
    let effective = checked
        .terms
        .effective_from
        .or(pending_from)
        .unwrap_or(if amendment {
            std::cmp::max(today, terms.starts_on)
        } else {
            terms.starts_on
        });
    if effective < terms.starts_on || effective > terms.ends_on {
        let m = "The effective date must lie within the term.";
        return Err(ServiceError::validation(
            m,
            vec![FieldError::new("effective_from", m)],
        ));
    }
    if amendment {
        // Nothing it proposes is read until it is approved: only the
        // version, and who it names (they see it and must approve it).
        record_version(ctx, &tx, id, next, &summary, effective, &terms).await?;
        propose_parties(&tx, id, next, &terms).await?;
    } else {
        write_live(&tx, id, &terms).await?;
        record_version(ctx, &tx, id, next, &summary, effective, &terms).await?;
    }
    // A new version withdraws the approvals of every version not in force.
    let mut withdrawn = approval::Entity::update_many()
        .col_expr(
            approval::Column::WithdrawnAt,
            Expr::value(crate::clock::now()),
        )
        .filter(approval::Column::AgreementId.eq(id))
        .filter(approval::Column::WithdrawnAt.is_null());
    if let Some(v) = current.in_force_version {
        withdrawn = withdrawn.filter(approval::Column::VersionNumber.ne(v));
    }
    withdrawn.exec(&tx).await?;
    if status == AgreementStatus::PendingApproval {
        set_status(&tx, id, AgreementStatus::Negotiation).await?;
    }
    audit::record(
        &tx,
        ctx,
        Event {
            action: if amendment {
                "agreement.amend"
            } else {
                "agreement.update"
            },
            entity: "agreement",
            entity_id: Some(id),
            before: Some(base.to_stored()),
            after: Some(terms.to_stored()),
        },
    )
    .await?;
    let others = party_users(
        &tx,
        id,
        &[Role::Manager, Role::Executive],
        ctx.actor.as_ref().and_then(|a| a.user_id()),
    )
    .await?;
    notifications::notify(
        &tx,
        &others,
        if amendment {
            kind::AMENDMENT_PROPOSED
        } else {
            kind::NEW_VERSION
        },
        id,
        &format!("{} v{next}", current.reference),
    )
    .await?;
    if amendment {
        let executives = party_users(&tx, id, &[Role::Executive], None).await?;
        notifications::notify(
            &tx,
            &executives,
            kind::APPROVAL_REQUESTED,
            id,
            &format!("{} v{next}", current.reference),
        )
        .await?;
    } else {
        // Commitments or dates may have changed: the periods are judged
        // again under the terms now.
        super::results::rebuild(&tx, &[id]).await?;
    }
    tx.commit().await?;
    let view = super::agreements::get(&Ctx::system(), db, id).await?;
    Ok((view, commitment))
}

/// The version a new version of `a` starts from: the pending amendment;
/// when none is pending (a withdrawn one is not), the version in force;
/// before the first activation, the latest draft.
fn base_version(a: &agreement::Model, pending: Option<&agreement_version::Model>) -> i32 {
    pending.map_or(a.in_force_version.unwrap_or(a.version), |p| p.number)
}

/// Commitment `commitment_id` of agreement `id` as the terms a new version
/// starts from record it, if they hold it.
pub(crate) async fn commitment_in_base(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
    commitment_id: i32,
) -> ServiceResult<Option<terms::Commitment>> {
    check_visible(ctx, db, id).await?;
    let a = load(db, id).await?;
    let pending = super::versions::pending(db, &a).await?;
    let terms =
        super::versions::terms_of_version(db, id, base_version(&a, pending.as_ref())).await?;
    Ok(terms
        .commitments
        .into_iter()
        .find(|c| c.id == commitment_id))
}

/// Records the organisations version `number` of agreement `id` names as
/// the parties of its pending amendment (replacing any earlier proposal's).
async fn propose_parties(
    tx: &impl ConnectionTrait,
    id: i32,
    number: i32,
    t: &Terms,
) -> ServiceResult<()> {
    proposed_party::Entity::delete_many()
        .filter(proposed_party::Column::AgreementId.eq(id))
        .exec(tx)
        .await?;
    let now = crate::clock::now();
    for org in t.party_ids() {
        proposed_party::ActiveModel {
            agreement_id: Set(id),
            version_number: Set(number),
            organisation_id: Set(org),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    Ok(())
}

/// Every organisation whose approval the latest version of `a` needs: the
/// parties in force and, for a pending amendment, every party it names.
async fn approvers(
    db: &impl ConnectionTrait,
    a: &agreement::Model,
) -> ServiceResult<std::collections::BTreeSet<i32>> {
    super::agreements::involved_organisations(db, a.id).await
}

/// Moves agreement `id` to `status`. An agreement that ends (expired,
/// terminated) ends any pending amendment too: the organisations only it
/// named no longer see the agreement.
async fn set_status(
    tx: &impl ConnectionTrait,
    id: i32,
    status: AgreementStatus,
) -> ServiceResult<()> {
    if matches!(
        status,
        AgreementStatus::Expired | AgreementStatus::Terminated
    ) {
        proposed_party::Entity::delete_many()
            .filter(proposed_party::Column::AgreementId.eq(id))
            .exec(tx)
            .await?;
    }
    agreement::Entity::update_many()
        .col_expr(agreement::Column::Status, Expr::value(status.as_str()))
        .col_expr(
            agreement::Column::UpdatedAt,
            Expr::value(crate::clock::now()),
        )
        .filter(agreement::Column::Id.eq(id))
        .exec(tx)
        .await?;
    Ok(())
}

/// The terms a new version starts from, in the shape the edit form
/// submits, and the version they are: the pending amendment's when one
/// awaits approval, otherwise the terms in force (or, before the first
/// activation, the latest draft).
pub async fn terms_of(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
) -> ServiceResult<(AgreementTermsParams, i32)> {
    let v = super::agreements::get(ctx, db, id).await?;
    let a = load(db, id).await?;
    let terms = match super::versions::pending(db, &a).await? {
        Some(p) => super::versions::read(&p.terms)?,
        None => super::versions::terms_of(&v)?,
    };
    Ok((params_of(&terms), v.version))
}

/// Terms as the edit form submits them.
fn params_of(t: &Terms) -> AgreementTermsParams {
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
                name: s.name.clone(),
                name_fr: s.name_fr.clone(),
                delivered_by: s.delivered_by,
                channels: s.channels.clone(),
            })
            .collect(),
        life_events: t.life_events.clone(),
        barriers: t
            .barriers
            .iter()
            .map(|b| BarrierParams {
                category: b.category,
                description: b.description.clone(),
                severity: b.severity,
                mitigation: b.mitigation.clone(),
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

async fn diff_versions(
    db: &impl ConnectionTrait,
    id: i32,
    from: i32,
    to: i32,
) -> ServiceResult<Vec<FieldChange>> {
    let a = super::versions::terms_of_version(db, id, from).await?;
    let b = super::versions::terms_of_version(db, id, to).await?;
    Ok(super::versions::field_changes(&a, &b))
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

/// Comments on agreement `id`, oldest first (threads by `parent_id`).
pub async fn comments(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
) -> ServiceResult<Vec<CommentView>> {
    check_visible(ctx, db, id).await?;
    ctx.person()?;
    let rows = comment::Entity::find()
        .filter(comment::Column::AgreementId.eq(id))
        .order_by_asc(comment::Column::Id)
        .all(db)
        .await?;
    let authors: HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().map(|r| r.author_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let codes: HashMap<i32, String> = organisation::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.code))
        .collect();
    Ok(rows
        .into_iter()
        .map(|c| {
            let author = authors.get(&c.author_id);
            CommentView {
                id: c.id,
                version: c.version_number,
                parent_id: c.parent_id,
                author_id: c.author_id,
                author_name: author.map(|a| a.display_name.clone()).unwrap_or_default(),
                organisation_code: author
                    .and_then(|a| codes.get(&a.organisation_id).cloned())
                    .unwrap_or_default(),
                body: c.body,
                created_at: ts(c.created_at),
            }
        })
        .collect())
}

/// Adds a comment by a user of one of the parties (or an admin).
///
/// Fails with `Forbidden` for users outside the parties (oversight may read,
/// not negotiate), `Validation` for an empty or over-long comment or an
/// unknown version or parent.
pub async fn add_comment<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    params: CommentParams,
) -> ServiceResult<CommentView> {
    check_visible(ctx, db, id).await?;
    let actor = ctx.person()?;
    if actor.role != Role::Admin && !is_involved(db, id, actor.organisation_id).await? {
        return Err(ServiceError::Forbidden);
    }
    let body = params.body.trim().to_owned();
    let mut problems = Vec::new();
    text_problem(&mut problems, "body", &body, LONG_TEXT, true);
    let a = load(db, id).await?;
    let version = params.version.unwrap_or(a.version);
    if version < 1 || version > a.version {
        problems.push(FieldError::new(
            "version",
            format!("This agreement has no version {version}."),
        ));
    }
    if let Some(parent) = params.parent_id {
        let ok = comment::Entity::find_by_id(parent)
            .one(db)
            .await?
            .is_some_and(|c| c.agreement_id == id);
        if !ok {
            problems.push(FieldError::new(
                "parent_id",
                "There is no such comment to reply to.",
            ));
        }
    }
    if !problems.is_empty() {
        return Err(ServiceError::validation(
            "The comment was not saved.",
            problems,
        ));
    }
    let tx = crate::backend::db::write_tx(db).await?;
    let now = crate::clock::now();
    let c = comment::ActiveModel {
        agreement_id: Set(id),
        version_number: Set(version),
        parent_id: Set(params.parent_id),
        author_id: Set(actor.user_id),
        body: Set(body),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::record(
        &tx,
        ctx,
        Event {
            action: "comment.create",
            entity: "agreement",
            entity_id: Some(id),
            before: None,
            after: Some(json!({"comment_id": c.id, "version": version})),
        },
    )
    .await?;
    let others = party_users(
        &tx,
        id,
        &[Role::Manager, Role::Executive],
        Some(actor.user_id),
    )
    .await?;
    notifications::notify(
        &tx,
        &others,
        kind::NEW_COMMENT,
        id,
        &format!("{} v{version}", a.reference),
    )
    .await?;
    tx.commit().await?;
    comments(ctx, db, id)
        .await?
        .into_iter()
        .find(|x| x.id == c.id)
        .ok_or(ServiceError::NotFound)
}

/// Whether the lifecycle allows `from → to` by hand (`active` is otherwise
/// reached through approvals, `expired` by the calendar).
pub fn move_allowed(from: AgreementStatus, to: AgreementStatus) -> bool {
    use AgreementStatus::*;
    matches!(
        (from, to),
        (Draft | PendingApproval, Negotiation)
            | (Negotiation, PendingApproval)
            | (Active, Suspended)
            | (Suspended, Active)
            | (
                Negotiation | PendingApproval | Active | Suspended,
                Terminated
            )
    )
}

/// Moves agreement `id` to `to`. Managers of a party and admins.
///
/// Fails with `Conflict` (and the reason) for a move the lifecycle forbids.
pub async fn transition<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    to: AgreementStatus,
) -> ServiceResult<AgreementView> {
    managing(ctx, db, id).await?;
    let tx = crate::backend::db::write_tx(db).await?;
    let a = load(&tx, id).await?;
    let from = status_of(&a)?;
    if !move_allowed(from, to) {
        let why = match to {
            AgreementStatus::Active => "An agreement becomes active when every party has approved the same version (or, when suspended, by resuming it).".to_owned(),
            AgreementStatus::Expired => "An agreement expires by itself when its term ends.".to_owned(),
            AgreementStatus::Draft => "An agreement cannot go back to draft.".to_owned(),
            _ => format!("An agreement cannot move from {} to {}.", from.as_str(), to.as_str()),
        };
        return Err(ServiceError::Conflict(why));
    }
    set_status(&tx, id, to).await?;
    audit::record(
        &tx,
        ctx,
        Event {
            action: "agreement.transition",
            entity: "agreement",
            entity_id: Some(id),
            before: Some(json!({"status": from})),
            after: Some(json!({"status": to})),
        },
    )
    .await?;
    if to == AgreementStatus::PendingApproval {
        let executives = party_users(&tx, id, &[Role::Executive], None).await?;
        notifications::notify(
            &tx,
            &executives,
            kind::APPROVAL_REQUESTED,
            id,
            &format!("{} v{}", a.reference, a.version),
        )
        .await?;
    }
    tx.commit().await?;
    super::agreements::get(ctx, db, id).await
}

/// Approves `version` of agreement `id` on behalf of the caller's
/// organisation. The approval that completes the set puts that version in
/// force: before the first activation every party's approval, which makes
/// the agreement active; for an amendment, the approval of every party in
/// force (a party it removes approves its own removal) and of every party
/// it adds, which makes its terms the terms in force — in the same
/// transaction, with the periods from its effective date judged again.
///
/// Fails with `Forbidden` unless the caller is an executive of an
/// organisation whose approval is needed, `Conflict` when the agreement is
/// not awaiting approval, the version is not the latest, or the
/// organisation already approved it.
pub async fn approve<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    version: i32,
) -> ServiceResult<AgreementView> {
    check_visible(ctx, db, id).await?;
    let actor = ctx.require(&[Role::Executive])?;
    let tx = crate::backend::db::write_tx(db).await?;
    let a = load(&tx, id).await?;
    let status = status_of(&a)?;
    let pending = super::versions::pending(&tx, &a).await?;
    let needed = approvers(&tx, &a).await?;
    if !needed.contains(&actor.organisation_id) {
        return Err(ServiceError::Forbidden);
    }
    if status != AgreementStatus::PendingApproval && pending.is_none() {
        return Err(ServiceError::Conflict(
            "This agreement is not awaiting approval.".into(),
        ));
    }
    if version != a.version {
        return Err(ServiceError::Conflict(format!(
            "Version {version} is not the latest: approve version {}.",
            a.version
        )));
    }
    let existing = approval::Entity::find()
        .filter(approval::Column::AgreementId.eq(id))
        .filter(approval::Column::VersionNumber.eq(version))
        .filter(approval::Column::WithdrawnAt.is_null())
        .all(&tx)
        .await?;
    if existing
        .iter()
        .any(|ap| ap.organisation_id == actor.organisation_id)
    {
        return Err(ServiceError::Conflict(
            "Your organisation has already approved this version.".into(),
        ));
    }
    let now = crate::clock::now();
    approval::ActiveModel {
        agreement_id: Set(id),
        version_number: Set(version),
        organisation_id: Set(actor.organisation_id),
        approver_id: Set(actor.user_id),
        withdrawn_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::record(
        &tx,
        ctx,
        Event {
            action: "agreement.approve",
            entity: "agreement",
            entity_id: Some(id),
            before: None,
            after: Some(json!({"version": version, "organisation_id": actor.organisation_id})),
        },
    )
    .await?;
    let approved: std::collections::BTreeSet<i32> = existing
        .iter()
        .map(|ap| ap.organisation_id)
        .chain([actor.organisation_id])
        .collect();
    let label = format!("{} v{version}", a.reference);
    let told = party_users(
        &tx,
        id,
        &[Role::Manager, Role::Executive],
        Some(actor.user_id),
    )
    .await?;
    notifications::notify(&tx, &told, kind::VERSION_APPROVED, id, &label).await?;
    if needed.is_subset(&approved) {
        // Told before the parties change: a party the amendment removes
        // learns that it took effect.
        let everyone = party_users(&tx, id, &[], None).await?;
        if let Some(p) = &pending {
            let terms = super::versions::read(&p.terms)?;
            write_live(&tx, id, &terms).await?;
            proposed_party::Entity::delete_many()
                .filter(proposed_party::Column::AgreementId.eq(id))
                .exec(&tx)
                .await?;
        }
        agreement::Entity::update_many()
            .col_expr(
                agreement::Column::Status,
                Expr::value(if status == AgreementStatus::Suspended {
                    "suspended"
                } else {
                    "active"
                }),
            )
            .col_expr(agreement::Column::InForceVersion, Expr::value(version))
            .col_expr(agreement::Column::UpdatedAt, Expr::value(now))
            .filter(agreement::Column::Id.eq(id))
            .exec(&tx)
            .await?;
        agreement_version::Entity::update_many()
            .col_expr(agreement_version::Column::ApprovedAt, Expr::value(now))
            .filter(agreement_version::Column::AgreementId.eq(id))
            .filter(agreement_version::Column::Number.eq(version))
            .exec(&tx)
            .await?;
        audit::record(
            &tx,
            ctx,
            Event {
                action: if pending.is_some() {
                    "agreement.amendment_in_force"
                } else {
                    "agreement.activate"
                },
                entity: "agreement",
                entity_id: Some(id),
                before: Some(json!({"status": status, "in_force_version": a.in_force_version})),
                after: Some(json!({"status": if status == AgreementStatus::Suspended { "suspended" } else { "active" }, "in_force_version": version})),
            },
        )
        .await?;
        notifications::notify(
            &tx,
            &everyone,
            if pending.is_some() {
                kind::AMENDMENT_IN_FORCE
            } else {
                kind::AGREEMENT_ACTIVATED
            },
            id,
            &label,
        )
        .await?;
        // A version came into force: each period is judged under the
        // version in force then, so those from its effective date on are
        // judged under it now and the earlier ones stay as they were.
        super::results::rebuild(&tx, &[id]).await?;
    }
    tx.commit().await?;
    // The system's view: a party that approved its own removal no longer
    // sees the agreement, but is answered.
    super::agreements::get(&Ctx::system(), db, id).await
}

/// Withdraws the pending amendment of agreement `id`: the terms in force
/// are untouched, the version stays in the history (marked withdrawn) and
/// its approvals lapse. A manager of any organisation it involves, or an
/// admin.
///
/// Fails with `Forbidden` for other callers and `Conflict` when no
/// amendment is pending.
pub async fn withdraw_amendment<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
) -> ServiceResult<AgreementView> {
    check_visible(ctx, db, id).await?;
    let actor = ctx.require(&[Role::Manager, Role::Admin])?;
    let tx = crate::backend::db::write_tx(db).await?;
    let a = load(&tx, id).await?;
    let Some(pending) = super::versions::pending(&tx, &a).await? else {
        return Err(ServiceError::Conflict(
            "No amendment of this agreement is awaiting approval.".into(),
        ));
    };
    if actor.role != Role::Admin && !approvers(&tx, &a).await?.contains(&actor.organisation_id) {
        return Err(ServiceError::Forbidden);
    }
    let now = crate::clock::now();
    agreement_version::Entity::update_many()
        .col_expr(agreement_version::Column::WithdrawnAt, Expr::value(now))
        .filter(agreement_version::Column::Id.eq(pending.id))
        .exec(&tx)
        .await?;
    approval::Entity::update_many()
        .col_expr(approval::Column::WithdrawnAt, Expr::value(now))
        .filter(approval::Column::AgreementId.eq(id))
        .filter(approval::Column::VersionNumber.eq(pending.number))
        .filter(approval::Column::WithdrawnAt.is_null())
        .exec(&tx)
        .await?;
    let told = party_users(
        &tx,
        id,
        &[Role::Manager, Role::Executive],
        Some(actor.user_id),
    )
    .await?;
    proposed_party::Entity::delete_many()
        .filter(proposed_party::Column::AgreementId.eq(id))
        .exec(&tx)
        .await?;
    audit::record(
        &tx,
        ctx,
        Event {
            action: "agreement.withdraw_amendment",
            entity: "agreement",
            entity_id: Some(id),
            before: Some(json!({"pending_version": pending.number})),
            after: Some(json!({"in_force_version": a.in_force_version})),
        },
    )
    .await?;
    notifications::notify(
        &tx,
        &told,
        kind::AMENDMENT_WITHDRAWN,
        id,
        &format!("{} v{}", a.reference, pending.number),
    )
    .await?;
    tx.commit().await?;
    // A party the amendment would have added no longer sees the agreement,
    // but is answered.
    super::agreements::get(&Ctx::system(), db, id).await
}

/// Withdraws (deletes) a draft that never left `draft`. Managers of a party
/// and admins.
///
/// Fails with `Conflict` for any other status.
pub async fn withdraw<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
) -> ServiceResult<()> {
    managing(ctx, db, id).await?;
    let tx = crate::backend::db::write_tx(db).await?;
    let a = load(&tx, id).await?;
    if status_of(&a)? != AgreementStatus::Draft {
        return Err(ServiceError::Conflict(
            "Only a draft that never left draft can be withdrawn.".into(),
        ));
    }
    let before = super::versions::terms_of_version(&tx, id, a.version)
        .await
        .ok()
        .map(|t| t.to_stored());
    // Notifications point at the agreement; they go with it (cascade).
    agreement::Entity::delete_by_id(id).exec(&tx).await?;
    audit::record(
        &tx,
        ctx,
        Event {
            action: "agreement.withdraw",
            entity: "agreement",
            entity_id: Some(id),
            before,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What the caller may do with agreement `id` now.
pub async fn permissions(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
) -> ServiceResult<Permissions> {
    check_visible(ctx, db, id).await?;
    let actor = ctx.person()?;
    let a = load(db, id).await?;
    let status = status_of(&a)?;
    let party = is_party(db, id, actor.organisation_id).await?;
    let pending = super::versions::pending(db, &a).await?;
    let involved = approvers(db, &a).await?.contains(&actor.organisation_id);
    let manages = actor.role == Role::Admin || (actor.role == Role::Manager && party);
    let open = !matches!(
        status,
        AgreementStatus::Expired | AgreementStatus::Terminated
    );
    let awaiting = status == AgreementStatus::PendingApproval || pending.is_some();
    let approved_already = approval::Entity::find()
        .filter(approval::Column::AgreementId.eq(id))
        .filter(approval::Column::VersionNumber.eq(a.version))
        .filter(approval::Column::OrganisationId.eq(actor.organisation_id))
        .filter(approval::Column::WithdrawnAt.is_null())
        .one(db)
        .await?
        .is_some();
    Ok(Permissions {
        edit: manages && open,
        comment: involved || actor.role == Role::Admin,
        approve: actor.role == Role::Executive && involved && awaiting && !approved_already,
        withdraw: manages && status == AgreementStatus::Draft,
        withdraw_amendment: pending.is_some()
            && (actor.role == Role::Admin || (actor.role == Role::Manager && involved)),
        transitions: if manages {
            AgreementStatus::ALL
                .iter()
                .copied()
                .filter(|to| move_allowed(status, *to))
                .collect()
        } else {
            Vec::new()
        },
    })
}

/// Moves every active or suspended agreement whose term ended before
/// `today` to `expired`; returns how many moved.
pub async fn expire_due<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    today: NaiveDate,
) -> ServiceResult<usize> {
    let due = agreement::Entity::find()
        .filter(agreement::Column::Status.is_in(["active", "suspended"]))
        .filter(agreement::Column::EndsOn.lt(today))
        .all(db)
        .await?;
    let ctx = Ctx::system();
    for a in &due {
        let tx = crate::backend::db::write_tx(db).await?;
        set_status(&tx, a.id, AgreementStatus::Expired).await?;
        audit::record(
            &tx,
            &ctx,
            Event {
                action: "agreement.expire",
                entity: "agreement",
                entity_id: Some(a.id),
                before: Some(json!({"status": a.status})),
                after: Some(json!({"status": "expired"})),
            },
        )
        .await?;
        tx.commit().await?;
    }
    Ok(due.len())
}

/// Replaces the cost-sharing model alone, keeping every other term: the
/// next version, under the same rules as [`update`].
///
/// Fails as [`update`] does; model problems are reported under
/// `cost_model.…` fields.
#[tracing::instrument(skip(ctx, db, params))]
pub async fn set_cost_model<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    params: crate::wire::cost::CostModelChangeParams,
) -> ServiceResult<AgreementView> {
    managing(ctx, db, id).await?;
    let (mut terms, _) = terms_of(ctx, db, id).await?;
    terms.cost_model = params.model;
    terms.effective_from = params.effective_from;
    update(
        ctx,
        db,
        id,
        UpdateAgreementParams {
            terms,
            version: params.version,
            change_summary: params.change_summary,
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_moves_of_the_lifecycle_are_allowed() {
        use AgreementStatus::*;
        assert!(move_allowed(Draft, Negotiation));
        assert!(move_allowed(Negotiation, PendingApproval));
        assert!(move_allowed(Suspended, Active));
        assert!(!move_allowed(Negotiation, Active));
        assert!(!move_allowed(PendingApproval, Active));
        assert!(!move_allowed(Draft, PendingApproval));
        assert!(!move_allowed(Expired, Active));
        assert!(!move_allowed(Terminated, Negotiation));
        assert!(!move_allowed(Active, Draft));
    }
}
