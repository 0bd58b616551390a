//! Citizen satisfaction by driver (issue 22, DOMAIN.md §9): survey results
//! recorded by the parties of an active agreement for its services in
//! force — one at a time or by CSV (all rows or none) — by whoever may
//! record volumes for that party (`costs::recording`: a reporter or API
//! token for its own organisation, a manager of a party or an admin for
//! any party); read with the same visibility as the ledger; added up
//! weighted by sample size (`domain::satisfaction`); and across the
//! portfolio, benchmarks by driver and the driver analysis (`portfolio`).
//!
//! A result recorded again for the same service, channel, month and party
//! replaces the earlier one, as a volume does: a corrected survey file is
//! simply sent again. The audit log keeps what was replaced.

mod import;
mod portfolio;

pub use import::import;
pub use portfolio::{benchmarks, drivers};

use super::Ctx;
use crate::backend::audit::{self, Event};
use crate::backend::entities::{agreement_service, organisation, satisfaction_result};
use crate::backend::exact::Exact;
use crate::backend::services::costs::{self, Books};
use crate::backend::services::{rfc3339, service_rows};
use crate::backend::stored::stored_list;
use crate::backend::{FieldError, ServiceError, ServiceResult};
use crate::domain::satisfaction::{
    Aggregate, Driver, Survey, aggregate, parse_score, sample_problem,
};
use crate::domain::{AgreementStatus, Channel};
use crate::wire::satisfaction::*;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use serde_json::json;
use std::collections::{BTreeMap, HashMap, HashSet};

/// A service results may be recorded for.
pub(crate) struct ServiceFact {
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) name_fr: Option<String>,
    pub(crate) channels: Vec<Channel>,
}

/// What recording for an agreement checks against.
pub(crate) struct Facts {
    pub(super) books: Books,
    /// The organisations the caller may record for.
    pub(super) may: Vec<i32>,
    /// The agreement's services in force, by inventory id.
    pub(crate) services: BTreeMap<i32, ServiceFact>,
}

/// The services in force of agreement `id`, by inventory id.
async fn services_in_force(
    db: &impl ConnectionTrait,
    id: i32,
) -> ServiceResult<BTreeMap<i32, ServiceFact>> {
    let mut out = BTreeMap::new();
    for (s, _) in service_rows::in_force(db, &[id]).await? {
        out.insert(
            s.id,
            ServiceFact {
                channels: stored_list(&s.channels, "agreement_services.channels")?,
                code: s.code,
                name: s.name,
                name_fr: s.name_fr,
            },
        );
    }
    Ok(out)
}

/// What the caller may record for agreement `id`.
///
/// Fails with `NotFound` if they may not see it, `Forbidden` if they may
/// see but not record (as for volumes), and `Conflict` when the agreement
/// is not active: results are recorded for partnerships in operation.
pub(super) async fn facts(ctx: &Ctx, db: &impl ConnectionTrait, id: i32) -> ServiceResult<Facts> {
    let (books, may) = costs::recording(ctx, db, id).await?;
    facts_of(db, books, may).await
}

/// What the demo's loader records for agreement `id` with: every party,
/// as it loads volumes.
///
/// Fails with `NotFound` for no such agreement and `Conflict` when it is
/// not active.
pub(crate) async fn loading_facts(db: &impl ConnectionTrait, id: i32) -> ServiceResult<Facts> {
    let books = costs::books(db, id).await?;
    let may = books.parties.clone();
    facts_of(db, books, may).await
}

async fn facts_of(db: &impl ConnectionTrait, books: Books, may: Vec<i32>) -> ServiceResult<Facts> {
    let id = books.agreement.id;
    if books.agreement.status != AgreementStatus::Active {
        return Err(ServiceError::Conflict(format!(
            "This agreement is {}: satisfaction results are recorded for active agreements only.",
            books.agreement.status
        )));
    }
    let services = services_in_force(db, id).await?;
    Ok(Facts {
        books,
        may,
        services,
    })
}

/// A percentage cell, checked: `None` when empty or wrong (a problem
/// pushed then).
fn score(
    errors: &mut Vec<FieldError>,
    line: Option<u64>,
    field: &str,
    text: Option<&str>,
) -> Result<Option<Decimal>, ()> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => match parse_score(t) {
            Ok(v) => Ok(Some(v)),
            Err(e) => {
                costs::push(errors, line, field, format!("{e}."));
                Err(())
            }
        },
    }
}

/// One result checked against the agreement; every problem pushed (on
/// `line` for a CSV row). `today` bounds the month: a month that has not
/// begun has no survey.
pub(crate) fn check(
    errors: &mut Vec<FieldError>,
    line: Option<u64>,
    p: &SatisfactionParams,
    f: &Facts,
    today: NaiveDate,
) -> Option<satisfaction_result::ActiveModel> {
    let before = errors.len();
    let b = &f.books;
    let period = costs::month(errors, line, &p.period, b);
    if let Some(period) = period
        && costs::not_begun(period, b, today)
    {
        costs::push(
            errors,
            line,
            "period",
            format!("{period} has not begun: no survey can have been made in it."),
        );
    }
    match f.services.get(&p.service_id) {
        None => costs::push(
            errors,
            line,
            "service_id",
            "No service in force of this agreement has this id.".to_owned(),
        ),
        Some(s) if !s.channels.contains(&p.channel) => costs::push(
            errors,
            line,
            "channel",
            format!(
                "Service {} is not offered on the {} channel.",
                s.code, p.channel
            ),
        ),
        Some(_) => {}
    }
    let org = costs::party(errors, line, p.organisation_id, b, &f.may);
    if let Some(problem) = sample_problem(p.sample_size) {
        costs::push(errors, line, "sample_size", problem.to_owned());
    }
    let overall = score(errors, line, "overall", Some(&p.overall));
    if matches!(overall, Ok(None)) {
        costs::push(
            errors,
            line,
            "overall",
            "Give the percent of respondents satisfied overall.".to_owned(),
        );
    }
    let margin = score(
        errors,
        line,
        "margin_of_error",
        p.margin_of_error.as_deref(),
    );
    let mut drivers = [None; 5];
    let mut drivers_ok = true;
    for d in Driver::ALL {
        match score(errors, line, d.as_str(), driver_text(p, *d)) {
            Ok(v) => drivers[d.index()] = v,
            Err(()) => drivers_ok = false,
        }
    }
    if errors.len() > before || !drivers_ok {
        return None;
    }
    let (period, org, Ok(Some(overall)), Ok(margin)) = (period?, org?, overall, margin) else {
        return None;
    };
    let sample = i32::try_from(p.sample_size).ok()?;
    let exact = |v: Option<Decimal>| v.map(Exact);
    // Set here: rows imported in batches skip the entity's hooks.
    let now = crate::clock::now();
    Some(satisfaction_result::ActiveModel {
        created_at: Set(now),
        updated_at: Set(now),
        agreement_id: Set(b.agreement.id),
        service_id: Set(p.service_id),
        channel: Set(p.channel),
        period: Set(period.to_string()),
        period_start: Set(period.start_date(b.fiscal)),
        organisation_id: Set(org),
        sample_size: Set(sample),
        overall: Set(Exact(overall)),
        margin_of_error: Set(exact(margin)),
        timeliness: Set(exact(drivers[Driver::Timeliness.index()])),
        knowledge: Set(exact(drivers[Driver::Knowledge.index()])),
        courtesy: Set(exact(drivers[Driver::Courtesy.index()])),
        fairness: Set(exact(drivers[Driver::Fairness.index()])),
        outcome: Set(exact(drivers[Driver::Outcome.index()])),
        ..Default::default()
    })
}

fn driver_text(p: &SatisfactionParams, d: Driver) -> Option<&str> {
    match d {
        Driver::Timeliness => p.timeliness.as_deref(),
        Driver::Knowledge => p.knowledge.as_deref(),
        Driver::Courtesy => p.courtesy.as_deref(),
        Driver::Fairness => p.fairness.as_deref(),
        Driver::Outcome => p.outcome.as_deref(),
    }
}

/// Who recorded: the user, or the API token.
fn stamp(ctx: &Ctx, m: &mut satisfaction_result::ActiveModel) {
    let actor = ctx.actor.as_ref();
    m.recorded_by = Set(actor.and_then(|a| a.user_id()));
    m.api_token_id = Set(actor.and_then(|a| a.api_token_id()));
}

/// The refusal of a result with problems.
fn refused(errors: Vec<FieldError>) -> ServiceError {
    ServiceError::validation(
        format!(
            "{} problem(s) in the satisfaction result; nothing was saved.",
            errors.len()
        ),
        errors,
    )
}

/// Records one survey result, replacing any earlier result for the same
/// service, channel, month and party.
///
/// Fails with `NotFound`/`Forbidden`/`Conflict` as [`facts`] does and
/// `Validation` for a bad month, service, channel, party or number.
#[tracing::instrument(skip(ctx, db, params))]
pub async fn record<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    params: SatisfactionParams,
) -> ServiceResult<SatisfactionResultView> {
    let f = facts(ctx, db, id).await?;
    let mut errors = Vec::new();
    let Some(mut model) = check(&mut errors, None, &params, &f, crate::clock::today()) else {
        return Err(refused(errors));
    };
    stamp(ctx, &mut model);
    let tx = crate::backend::db::write_tx(db).await?;
    let replaced = replace(&tx, id, std::slice::from_ref(&model)).await?;
    let saved = model.insert(&tx).await?;
    let org_code = organisation::Entity::find_by_id(saved.organisation_id)
        .one(&tx)
        .await?
        .map(|o| o.code)
        .unwrap_or_default();
    let view = view(&saved, &code_of(&f.services, saved.service_id), &org_code);
    audit::commit(
        tx,
        ctx,
        Event {
            action: "satisfaction.record",
            entity: "satisfaction_result",
            entity_id: Some(saved.id),
            before: (!replaced.is_empty()).then(|| json!({ "replaced": replaced })),
            after: Some(json!(view)),
        },
    )
    .await?;
    Ok(view)
}

fn code_of(services: &BTreeMap<i32, ServiceFact>, id: i32) -> String {
    services
        .get(&id)
        .map(|s| s.code.clone())
        .unwrap_or_default()
}

/// The key a result replaces another by.
type Key = (i32, Channel, i32);

/// Deletes the results the new ones replace (same service, channel, month
/// and party); returns the ids deleted.
pub(super) async fn replace(
    tx: &impl ConnectionTrait,
    id: i32,
    new: &[satisfaction_result::ActiveModel],
) -> ServiceResult<Vec<i32>> {
    let mut keys: BTreeMap<NaiveDate, HashSet<Key>> = BTreeMap::new();
    for m in new {
        if let (Set(start), Set(service), Set(channel), Set(org)) = (
            &m.period_start,
            &m.service_id,
            &m.channel,
            &m.organisation_id,
        ) {
            keys.entry(*start)
                .or_default()
                .insert((*service, *channel, *org));
        }
    }
    let mut gone = Vec::new();
    for (start, wanted) in keys {
        let existing: Vec<(i32, i32, Channel, i32)> = satisfaction_result::Entity::find()
            .filter(satisfaction_result::Column::AgreementId.eq(id))
            .filter(satisfaction_result::Column::PeriodStart.eq(start))
            .select_only()
            .column(satisfaction_result::Column::Id)
            .column(satisfaction_result::Column::ServiceId)
            .column(satisfaction_result::Column::Channel)
            .column(satisfaction_result::Column::OrganisationId)
            .into_tuple()
            .all(tx)
            .await?;
        let ids: Vec<i32> = existing
            .into_iter()
            .filter(|(_, s, c, o)| wanted.contains(&(*s, *c, *o)))
            .map(|(i, ..)| i)
            .collect();
        if !ids.is_empty() {
            satisfaction_result::Entity::delete_many()
                .filter(satisfaction_result::Column::Id.is_in(ids.clone()))
                .exec(tx)
                .await?;
            gone.extend(ids);
        }
    }
    Ok(gone)
}

/// A stored result as the aggregation reads it.
pub(super) fn survey(m: &satisfaction_result::Model) -> Survey {
    let d = |v: Option<Exact>| v.map(|e| e.0);
    Survey {
        sample: i64::from(m.sample_size),
        overall: m.overall.0,
        margin: d(m.margin_of_error),
        drivers: [
            d(m.timeliness),
            d(m.knowledge),
            d(m.courtesy),
            d(m.fairness),
            d(m.outcome),
        ],
    }
}

/// A percentage as the API writes it: two decimals at most, no trailing
/// zeros.
pub(super) fn percent(v: Decimal) -> String {
    crate::backend::services::plain_decimal(v.round_dp(2))
}

fn view(m: &satisfaction_result::Model, code: &str, org_code: &str) -> SatisfactionResultView {
    let p = |v: Option<Exact>| v.map(|e| percent(e.0));
    SatisfactionResultView {
        id: m.id,
        agreement_id: m.agreement_id,
        period: m.period.clone(),
        service_id: m.service_id,
        service_code: code.to_owned(),
        channel: m.channel,
        organisation_id: m.organisation_id,
        organisation_code: org_code.to_owned(),
        sample_size: i64::from(m.sample_size),
        overall: percent(m.overall.0),
        margin_of_error: p(m.margin_of_error),
        drivers: DriverScores {
            timeliness: p(m.timeliness),
            knowledge: p(m.knowledge),
            courtesy: p(m.courtesy),
            fairness: p(m.fairness),
            outcome: p(m.outcome),
        },
        recorded_by: m.recorded_by,
        created_at: rfc3339(m.created_at),
    }
}

/// An aggregate as the API writes it.
pub(super) fn aggregate_view(a: &Aggregate) -> SatisfactionAggregate {
    let d = |x: Driver| a.drivers[x.index()].map(|m| percent(m.mean));
    SatisfactionAggregate {
        results: a.overall.results,
        sample_size: a.overall.sample,
        overall: percent(a.overall.mean),
        margin_of_error: percent(a.margin),
        margin_pooled: a.margin_pooled,
        drivers: DriverScores {
            timeliness: d(Driver::Timeliness),
            knowledge: d(Driver::Knowledge),
            courtesy: d(Driver::Courtesy),
            fairness: d(Driver::Fairness),
            outcome: d(Driver::Outcome),
        },
    }
}

/// `rows` added up, as the API writes it; `None` over no row.
///
/// Fails with `Validation` when the sums cannot be held exactly.
pub(super) fn added_up(rows: &[Survey]) -> ServiceResult<Option<SatisfactionAggregate>> {
    Ok(aggregate(rows)
        .map_err(too_large)?
        .as_ref()
        .map(aggregate_view))
}

pub(super) fn too_large(e: crate::domain::satisfaction::Overflow) -> ServiceError {
    ServiceError::validation(
        e.to_string(),
        vec![FieldError::new("from", "Choose fewer months.")],
    )
}

/// Agreement `id`'s results over the months of `q` (default: the twelve
/// months to today), newest first, with their aggregates by service and
/// channel and over all: for anyone who may read its ledger.
///
/// Fails with `NotFound` if the caller may not see the agreement,
/// `Forbidden` for an API token, `Validation` for a malformed month.
pub async fn results(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
    q: &SatisfactionQuery,
) -> ServiceResult<AgreementSatisfactionView> {
    costs::reading(ctx, db, id).await?;
    costs::people_only(ctx)?;
    let (from, to) = crate::backend::services::benchmarks::months(q.from.clone(), q.to.clone())?;
    let rows = satisfaction_result::Entity::find()
        .filter(satisfaction_result::Column::AgreementId.eq(id))
        .filter(satisfaction_result::Column::PeriodStart.gte(from))
        .filter(satisfaction_result::Column::PeriodStart.lte(to))
        .order_by_desc(satisfaction_result::Column::PeriodStart)
        .order_by_asc(satisfaction_result::Column::ServiceId)
        .order_by_asc(satisfaction_result::Column::Channel)
        .order_by_asc(satisfaction_result::Column::OrganisationId)
        .all(db)
        .await?;
    // Every service of the agreement, in force or not: a result keeps its
    // service's name after an amendment removes it.
    let services: HashMap<i32, agreement_service::Model> = agreement_service::Entity::find()
        .filter(agreement_service::Column::AgreementId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let code = |sid: i32| {
        services
            .get(&sid)
            .map(|s| s.code.clone())
            .unwrap_or_default()
    };
    let mut by: BTreeMap<(String, Channel, i32), Vec<Survey>> = BTreeMap::new();
    for m in &rows {
        by.entry((code(m.service_id), m.channel, m.service_id))
            .or_default()
            .push(survey(m));
    }
    let mut aggregates = Vec::with_capacity(by.len());
    for ((service_code, channel, service_id), list) in &by {
        if let Some(a) = added_up(list)? {
            let s = services.get(service_id);
            aggregates.push(ServiceChannelAggregate {
                service_id: *service_id,
                service_code: service_code.clone(),
                service_name: s.map(|s| s.name.clone()).unwrap_or_default(),
                service_name_fr: s.and_then(|s| s.name_fr.clone()),
                channel: *channel,
                aggregate: a,
            });
        }
    }
    let all: Vec<Survey> = rows.iter().map(survey).collect();
    let orgs = crate::backend::services::organisations::organisations_by_id(
        db,
        Some(rows.iter().map(|m| m.organisation_id).collect()),
    )
    .await?;
    let org_code = |o: i32| orgs.get(&o).map(|o| o.code.clone()).unwrap_or_default();
    let items: Vec<SatisfactionResultView> = rows
        .iter()
        .map(|m| view(m, &code(m.service_id), &org_code(m.organisation_id)))
        .collect();
    Ok(AgreementSatisfactionView {
        agreement_id: id,
        from: from.format("%Y-%m").to_string(),
        to: to.format("%Y-%m").to_string(),
        total: items.len(),
        items,
        aggregates,
        overall: added_up(&all)?,
    })
}

/// The active agreements the caller may record results for, each with its
/// services in force and the parties the caller may record for. People
/// only (the page's choices).
///
/// Fails with `Forbidden` for an API token.
pub async fn recordable(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
) -> ServiceResult<Vec<RecordableAgreement>> {
    costs::people_only(ctx)?;
    let visible = crate::backend::services::agreements::list_as_party(
        ctx,
        db,
        &crate::wire::agreements::AgreementFilters {
            status: Some(AgreementStatus::Active),
            ..Default::default()
        },
    )
    .await?;
    let orgs: HashMap<i32, organisation::Model> =
        crate::backend::services::organisations::organisations_by_id(db, None).await?;
    let mut out = Vec::new();
    for a in visible {
        let f = match facts(ctx, db, a.id).await {
            Ok(f) => f,
            Err(ServiceError::Forbidden | ServiceError::NotFound | ServiceError::Conflict(_)) => {
                continue;
            }
            Err(e) => return Err(e),
        };
        if f.services.is_empty() {
            continue;
        }
        out.push(RecordableAgreement {
            id: a.id,
            reference: a.reference,
            title: a.title,
            title_fr: a.title_fr,
            services: f
                .services
                .into_iter()
                .map(|(id, s)| RecordableService {
                    id,
                    code: s.code,
                    name: s.name,
                    name_fr: s.name_fr,
                    channels: s.channels,
                })
                .collect(),
            parties: f
                .may
                .iter()
                .filter_map(|o| orgs.get(o))
                .map(|o| RecordableParty {
                    id: o.id,
                    code: o.code.clone(),
                    name: o.name.clone(),
                    name_fr: o.name_fr.clone(),
                })
                .collect(),
        });
    }
    out.sort_by(|a, b| a.reference.cmp(&b.reference));
    Ok(out)
}
