//! Journeys across channels (issue 22, DOMAIN.md §9): partners record, per
//! service in force and month, how many journeys started on one channel
//! and ended on another or were abandoned — one at a time (form, API) or
//! by CSV (all rows or none) — and whoever may see the agreement's volumes
//! reads the flow matrix, completion rate and digital take-up per service
//! and month (`domain::journeys` computes them; nothing derived is stored).
//!
//! Who records what mirrors transaction volumes (`services::costs`):
//! admins and managers of a party for any party, a reporter (or its
//! organisation's API token) for its own organisation only; and only while
//! the agreement is active. A count sent again for the same month,
//! service, partner and channels replaces the earlier one, as a volume
//! does: partners' systems resend corrected monthly figures, and the audit
//! log keeps what was replaced.

use super::Ctx;
use crate::backend::audit::{self, Event};
use crate::backend::csv_cells::{codes, enum_cell, names, organisation_cell, required_cell};
use crate::backend::entities::{
    agreement, agreement_party, agreement_service, channel_journey, organisation,
};
use crate::backend::stored::stored_list;
use crate::backend::{FieldError, ServiceError, ServiceResult, csv_table};
use crate::domain::journeys::{FlowMatrix, Overflow, Ratio, count_problem};
use crate::domain::{AgreementStatus, Channel, Period, PeriodKind, Role};
use crate::wire::cost::ImportOutcome;
use crate::wire::journeys::*;
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use serde_json::json;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The longest range the flow view covers, in months.
const MAX_MONTHS: i32 = 120;

/// A service of the agreement as recording and reading need it.
struct Service {
    code: String,
    name: String,
    name_fr: Option<String>,
    channels: Vec<Channel>,
    in_force: bool,
}

/// What recording and reading need to know about the agreement.
pub(crate) struct Book {
    agreement: agreement::Model,
    /// Party organisation ids, ascending.
    pub(crate) parties: Vec<i32>,
    /// Every service of the agreement (in force or not), by inventory id,
    /// in the order they were recorded.
    services: BTreeMap<i32, Service>,
}

impl Book {
    /// The inventory id of the service with id `code` within the
    /// agreement (any case).
    pub(crate) fn service_by_code(&self, code: &str) -> Option<i32> {
        self.services
            .iter()
            .find(|(_, s)| s.code.eq_ignore_ascii_case(code))
            .map(|(id, _)| *id)
    }
}

/// Agreement `id`'s book. Fails with `NotFound` when there is none.
pub(crate) async fn book(db: &impl ConnectionTrait, id: i32) -> ServiceResult<Book> {
    let agreement = agreement::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let mut parties: Vec<i32> = agreement_party::Entity::find()
        .filter(agreement_party::Column::AgreementId.eq(id))
        .select_only()
        .column(agreement_party::Column::OrganisationId)
        .into_tuple()
        .all(db)
        .await?;
    parties.sort_unstable();
    parties.dedup();
    let mut services = BTreeMap::new();
    for s in agreement_service::Entity::find()
        .filter(agreement_service::Column::AgreementId.eq(id))
        .order_by_asc(agreement_service::Column::Id)
        .all(db)
        .await?
    {
        services.insert(
            s.id,
            Service {
                channels: stored_list(&s.channels, "agreement_services.channels")?,
                code: s.code,
                name: s.name,
                name_fr: s.name_fr,
                in_force: s.in_force,
            },
        );
    }
    Ok(Book {
        agreement,
        parties,
        services,
    })
}

/// The organisations the caller may record journeys for, as for volumes:
/// every party for admins and managers of a party (people, not tokens);
/// their own organisation for reporters and their API tokens.
fn recorders(ctx: &Ctx, b: &Book) -> Vec<i32> {
    let Some(actor) = ctx.actor.as_ref() else {
        return Vec::new();
    };
    let party = b.parties.contains(&actor.organisation_id);
    let person = actor.api_token_id().is_none();
    match actor.role {
        Role::Admin if person => b.parties.clone(),
        Role::Manager if party && person => b.parties.clone(),
        Role::Reporter if party => vec![actor.organisation_id],
        _ => Vec::new(),
    }
}

/// The book of `id` when the caller may record journeys for some party.
///
/// Fails with `NotFound` if they may not see the agreement, `Forbidden` if
/// they may see but not record, and `Conflict` unless it is active.
async fn recording(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
) -> ServiceResult<(Book, Vec<i32>)> {
    let actor = ctx.actor()?;
    let b = book(db, id).await?;
    if !ctx.sees_all() && !b.parties.contains(&actor.organisation_id) {
        return Err(ServiceError::NotFound);
    }
    let may = recorders(ctx, &b);
    if may.is_empty() {
        return Err(ServiceError::Forbidden);
    }
    if b.agreement.status != AgreementStatus::Active {
        return Err(ServiceError::Conflict(format!(
            "Journeys are recorded only while the agreement is active; it is {}.",
            b.agreement.status
        )));
    }
    Ok((b, may))
}

fn push(errors: &mut Vec<FieldError>, line: Option<u64>, field: &str, message: String) {
    errors.push(match line {
        Some(l) => FieldError::at_line(l, field, message),
        None => FieldError::new(field, message),
    });
}

/// One count checked against the agreement; every problem pushed. `may`
/// are the organisations the caller may record for.
pub(crate) fn check(
    errors: &mut Vec<FieldError>,
    line: Option<u64>,
    p: &JourneyParams,
    b: &Book,
    may: &[i32],
    today: NaiveDate,
) -> Option<channel_journey::ActiveModel> {
    let before = errors.len();
    let a = &b.agreement;
    let period = match Period::parse(p.period.trim()) {
        Err(e) => {
            push(errors, line, "period", format!("{e}."));
            None
        }
        Ok(m) if m.kind() != PeriodKind::Month => {
            push(
                errors,
                line,
                "period",
                format!(
                    "'{}' is not a month: journeys are recorded by month, as 2026-10.",
                    p.period
                ),
            );
            None
        }
        Ok(m) if m.end_date(1) < a.starts_on || m.start_date(1) > a.ends_on => {
            push(
                errors,
                line,
                "period",
                format!(
                    "{m} lies outside the agreement's term ({} to {}).",
                    a.starts_on, a.ends_on
                ),
            );
            None
        }
        Ok(m) if m.start_date(1) > today => {
            push(
                errors,
                line,
                "period",
                format!("{m} has not begun: no journey can have been made in it."),
            );
            None
        }
        Ok(m) => Some(m),
    };
    if let Some(problem) = count_problem(p.count) {
        push(errors, line, "count", problem.to_owned());
    }
    if !b.parties.contains(&p.organisation_id) {
        push(
            errors,
            line,
            "organisation_id",
            format!(
                "Organisation {} is not a party to this agreement.",
                p.organisation_id
            ),
        );
    } else if !may.contains(&p.organisation_id) {
        push(
            errors,
            line,
            "organisation_id",
            "You may record only for your own organisation.".to_owned(),
        );
    }
    match b.services.get(&p.service_id).filter(|s| s.in_force) {
        None => push(
            errors,
            line,
            "service_id",
            "No such service in force in this agreement.".to_owned(),
        ),
        Some(s) => {
            if !s.channels.contains(&p.started_on) {
                push(
                    errors,
                    line,
                    "started_on",
                    format!(
                        "Service {} is not offered on the {} channel.",
                        s.code, p.started_on
                    ),
                );
            }
            if let Some(end) = p.ended_on
                && !s.channels.contains(&end)
            {
                push(
                    errors,
                    line,
                    "ended_on",
                    format!("Service {} is not offered on the {end} channel.", s.code),
                );
            }
        }
    }
    if errors.len() > before {
        return None;
    }
    let period = period?;
    let now = crate::clock::now();
    Some(channel_journey::ActiveModel {
        agreement_id: Set(a.id),
        service_id: Set(p.service_id),
        period: Set(period.to_string()),
        period_start: Set(period.start_date(1)),
        organisation_id: Set(p.organisation_id),
        started_on: Set(p.started_on),
        ended_on: Set(p.ended_on),
        count: Set(p.count),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
}

/// A count's identity: service, month, partner, channels.
type Key = (i32, NaiveDate, i32, Channel, Option<Channel>);

fn key_of(m: &channel_journey::ActiveModel) -> Option<Key> {
    match (
        &m.service_id,
        &m.period_start,
        &m.organisation_id,
        &m.started_on,
        &m.ended_on,
    ) {
        (Set(s), Set(p), Set(o), Set(st), Set(e)) => Some((*s, *p, *o, *st, *e)),
        _ => None,
    }
}

/// Deletes the counts the new ones replace; returns how many.
async fn replace(
    tx: &impl ConnectionTrait,
    id: i32,
    new: &[channel_journey::ActiveModel],
) -> ServiceResult<u64> {
    let wanted: HashSet<Key> = new.iter().filter_map(key_of).collect();
    let months: HashSet<NaiveDate> = wanted.iter().map(|k| k.1).collect();
    if months.is_empty() {
        return Ok(0);
    }
    let existing = channel_journey::Entity::find()
        .filter(channel_journey::Column::AgreementId.eq(id))
        .filter(channel_journey::Column::PeriodStart.is_in(months))
        .all(tx)
        .await?;
    let ids: Vec<i32> = existing
        .iter()
        .filter(|j| {
            wanted.contains(&(
                j.service_id,
                j.period_start,
                j.organisation_id,
                j.started_on,
                j.ended_on,
            ))
        })
        .map(|j| j.id)
        .collect();
    if ids.is_empty() {
        return Ok(0);
    }
    Ok(channel_journey::Entity::delete_many()
        .filter(channel_journey::Column::Id.is_in(ids))
        .exec(tx)
        .await?
        .rows_affected)
}

fn refused(errors: Vec<FieldError>) -> ServiceError {
    ServiceError::validation(
        format!(
            "{} problem(s) in the journeys; nothing was saved.",
            errors.len()
        ),
        errors,
    )
}

fn stamp(ctx: &Ctx, m: &mut channel_journey::ActiveModel) {
    let actor = ctx.actor.as_ref();
    m.recorded_by = Set(actor.and_then(|a| a.user_id()));
    m.api_token_id = Set(actor.and_then(|a| a.api_token_id()));
}

/// Records one count of journeys, replacing any earlier count for the same
/// month, service, partner and channels.
///
/// Fails with `NotFound`/`Forbidden`/`Conflict` as [`recording`] does and
/// `Validation` for a bad month, service, channel, party or count.
#[tracing::instrument(skip(ctx, db, params))]
pub async fn record<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    params: JourneyParams,
) -> ServiceResult<JourneyView> {
    let (b, may) = recording(ctx, db, id).await?;
    let mut errors = Vec::new();
    let Some(mut model) = check(&mut errors, None, &params, &b, &may, crate::clock::today()) else {
        return Err(refused(errors));
    };
    stamp(ctx, &mut model);
    let tx = crate::backend::db::write_tx(db).await?;
    let replaced = replace(&tx, id, std::slice::from_ref(&model)).await?;
    let saved = model.insert(&tx).await?;
    let view = JourneyView {
        id: saved.id,
        period: saved.period.clone(),
        service_id: saved.service_id,
        service: b
            .services
            .get(&saved.service_id)
            .map(|s| s.code.clone())
            .unwrap_or_default(),
        organisation_id: saved.organisation_id,
        started_on: saved.started_on,
        ended_on: saved.ended_on,
        count: saved.count,
        replaced: replaced > 0,
    };
    audit::commit(
        tx,
        ctx,
        Event {
            action: "journeys.record",
            entity: "channel_journey",
            entity_id: Some(saved.id),
            before: (replaced > 0).then(|| json!({"replaced": replaced})),
            after: Some(json!(view)),
        },
    )
    .await?;
    Ok(view)
}

/// Imports counts from CSV with the header
/// `period,service,organisation_id,started_on,ended_on,count`: `service`
/// is the service's id within the agreement (`S-1`), `organisation_id` an
/// id or an organisation code, `ended_on` empty or `abandoned` for
/// abandoned journeys. All rows or none; a row replaces an earlier count
/// for its month, service, partner and channels; the same six twice in one
/// file is refused.
///
/// Fails as [`record`] does, and with `Validation` listing every bad row
/// by line (the header is line 1); nothing is written then.
#[tracing::instrument(skip(ctx, db, bytes))]
pub async fn import<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    id: i32,
    bytes: &[u8],
) -> ServiceResult<ImportOutcome> {
    let (b, may) = recording(ctx, db, id).await?;
    let t = csv_table::read(
        bytes,
        &[
            "period",
            "service",
            "organisation_id",
            "started_on",
            "ended_on",
            "count",
        ],
        &[],
    )?;
    let codes = codes(db).await?;
    let channels = names(Channel::ALL, Channel::as_str);
    let today = crate::clock::today();
    let mut errors = Vec::new();
    let mut rows = Vec::with_capacity(t.rows.len());
    let mut seen: HashMap<Key, u64> = HashMap::new();
    for row in &t.rows {
        let before = errors.len();
        let period = required_cell(&mut errors, &t, row, "period");
        let service = required_cell(&mut errors, &t, row, "service").and_then(|code| {
            let s = b.service_by_code(code);
            if s.is_none() {
                errors.push(FieldError::at_line(
                    row.line,
                    "service",
                    format!("This agreement has no service with the id '{code}'."),
                ));
            }
            s
        });
        let org = required_cell(&mut errors, &t, row, "organisation_id")
            .and_then(|o| organisation_cell(&mut errors, row.line, o, &codes));
        let started = required_cell(&mut errors, &t, row, "started_on")
            .and_then(|c| enum_cell::<Channel>(&mut errors, row.line, "started_on", c, &channels));
        let ended = match t.get(row, "ended_on") {
            None => Some(None),
            Some(c) if c.eq_ignore_ascii_case("abandoned") => Some(None),
            Some(c) => enum_cell::<Channel>(
                &mut errors,
                row.line,
                "ended_on",
                c,
                &format!("{channels} (or empty, or abandoned)"),
            )
            .map(Some),
        };
        let count = required_cell(&mut errors, &t, row, "count").and_then(|c| {
            let v = c.parse::<i64>().ok();
            if v.is_none() {
                errors.push(FieldError::at_line(
                    row.line,
                    "count",
                    format!("'{c}' is not a whole number."),
                ));
            }
            v
        });
        if errors.len() > before {
            continue;
        }
        let (
            Some(period),
            Some(service_id),
            Some(org),
            Some(started_on),
            Some(ended_on),
            Some(count),
        ) = (period, service, org, started, ended, count)
        else {
            continue;
        };
        let params = JourneyParams {
            period: period.to_owned(),
            service_id,
            organisation_id: org,
            started_on,
            ended_on,
            count,
        };
        let Some(mut m) = check(&mut errors, Some(row.line), &params, &b, &may, today) else {
            continue;
        };
        if let Some(k) = key_of(&m)
            && let Some(first) = seen.insert(k, row.line)
        {
            errors.push(FieldError::at_line(
                row.line,
                "period",
                format!("Line {first} already gives this month, service, partner and channels."),
            ));
            continue;
        }
        stamp(ctx, &mut m);
        rows.push(m);
    }
    if !errors.is_empty() {
        return Err(csv_table::refused(errors));
    }
    if rows.is_empty() {
        return Err(csv_table::empty());
    }
    let n = rows.len();
    let tx = crate::backend::db::write_tx(db).await?;
    let replaced = replace(&tx, id, &rows).await?;
    crate::backend::batch::insert_all(&tx, rows).await?;
    audit::commit(
        tx,
        ctx,
        Event {
            action: "journeys.import",
            entity: "agreement",
            entity_id: Some(id),
            before: (replaced > 0).then(|| json!({"replaced": replaced})),
            after: Some(json!({ "imported": n })),
        },
    )
    .await?;
    Ok(ImportOutcome { imported: n })
}

fn month(text: &str, field: &str) -> ServiceResult<Period> {
    let bad = |m: String| ServiceError::validation(m.clone(), vec![FieldError::new(field, m)]);
    match Period::parse(text.trim()) {
        Ok(p) if p.kind() == PeriodKind::Month => Ok(p),
        Ok(_) => Err(bad(format!("'{text}' is not a month, as 2026-10."))),
        Err(e) => Err(bad(format!("{e}."))),
    }
}

fn rate(r: Ratio) -> RateView {
    RateView {
        numerator: r.numerator,
        denominator: r.denominator,
        percent: r.percent().map(|p| format!("{p:.2}")),
    }
}

fn flow_view(m: &FlowMatrix) -> FlowView {
    let ended = m.ended_channels();
    let rows = m
        .started_channels()
        .into_iter()
        .map(|s| {
            let cells = ended
                .iter()
                .map(|e| Some(*e))
                .chain(std::iter::once(None))
                .map(|e| FlowCellView {
                    ended_on: e,
                    count: m.cell(s, e),
                    share: m.share(s, e).map(|p| format!("{p:.2}")),
                })
                .collect();
            FlowRowView {
                started_on: s,
                total: m.row_total(s),
                cells,
            }
        })
        .collect();
    FlowView {
        started: m.started(),
        completed: m.completed(),
        abandoned: m.abandoned(),
        switched: m.switched(),
        completion_rate: rate(m.completion()),
        digital_take_up: rate(m.digital_take_up()),
        ended_channels: ended,
        rows,
    }
}

/// Flow matrices by month (its first day), with the month's name.
type Months = BTreeMap<NaiveDate, (String, FlowMatrix)>;

fn months_view(by_month: &Months) -> Vec<MonthKpisView> {
    by_month
        .values()
        .map(|(period, m)| MonthKpisView {
            period: period.clone(),
            started: m.started(),
            completion_rate: rate(m.completion()),
            digital_take_up: rate(m.digital_take_up()),
        })
        .collect()
}

fn too_many(_: Overflow) -> ServiceError {
    ServiceError::validation(
        "Too many journeys in this range to add up; choose fewer months.",
        vec![FieldError::new("from", "Choose fewer months.")],
    )
}

/// The journeys of agreement `id` over months `from` to `to` (by default
/// the twelve months to the last with journeys), for one service (by its
/// id within the agreement) or all: the flow matrix of each service and of
/// all together, and both KPIs by month.
///
/// Fails with `NotFound` if the caller may not see the agreement,
/// `Forbidden` for an API token (a partner's system records, it does not
/// read the partnership's figures), `Validation` for a malformed month, a
/// range backwards or longer than ten years, or an unknown service.
#[tracing::instrument(skip(ctx, db))]
pub async fn flows(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
    filters: &JourneyFilters,
) -> ServiceResult<JourneysView> {
    crate::backend::services::costs::reading(ctx, db, id).await?;
    if ctx
        .actor
        .as_ref()
        .is_some_and(|a| a.api_token_id().is_some())
    {
        return Err(ServiceError::Forbidden);
    }
    let b = book(db, id).await?;
    let service = match filters
        .service
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(code) => Some(b.service_by_code(code).ok_or_else(|| {
            let m = format!("This agreement has no service with the id '{code}'.");
            ServiceError::validation(m.clone(), vec![FieldError::new("service", m)])
        })?),
    };
    let given = |t: &Option<String>| {
        t.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let to = match given(&filters.to) {
        Some(t) => month(&t, "to")?,
        None => {
            let mut last =
                channel_journey::Entity::find().filter(channel_journey::Column::AgreementId.eq(id));
            if let Some(s) = service {
                last = last.filter(channel_journey::Column::ServiceId.eq(s));
            }
            let last: Option<String> = last
                .order_by_desc(channel_journey::Column::PeriodStart)
                .select_only()
                .column(channel_journey::Column::Period)
                .into_tuple()
                .one(db)
                .await?;
            match last {
                Some(p) => month(&p, "to")?,
                None => Period::month_of(crate::clock::today())
                    .map_err(|e| ServiceError::validation(e.to_string(), Vec::new()))?,
            }
        }
    };
    let from = match given(&filters.from) {
        Some(f) => month(&f, "from")?,
        None => to.plus(-11).unwrap_or(to),
    };
    if from > to {
        let m = format!("{from} comes after {to}.");
        return Err(ServiceError::validation(
            m.clone(),
            vec![FieldError::new("from", m)],
        ));
    }
    if from.plus(MAX_MONTHS - 1).is_some_and(|last| last < to) {
        let m = format!("At most {MAX_MONTHS} months at a time.");
        return Err(ServiceError::validation(
            m.clone(),
            vec![FieldError::new("from", m)],
        ));
    }
    let mut q = channel_journey::Entity::find()
        .filter(channel_journey::Column::AgreementId.eq(id))
        .filter(channel_journey::Column::PeriodStart.gte(from.start_date(1)))
        .filter(channel_journey::Column::PeriodStart.lte(to.start_date(1)));
    if let Some(s) = service {
        q = q.filter(channel_journey::Column::ServiceId.eq(s));
    }
    let rows = q.all(db).await?;

    let mut all = FlowMatrix::new();
    let mut all_months: Months = BTreeMap::new();
    let mut per_service: BTreeMap<i32, (FlowMatrix, Months)> = BTreeMap::new();
    for r in &rows {
        let n = r.count.max(0).unsigned_abs();
        all.add(r.started_on, r.ended_on, n).map_err(too_many)?;
        all_months
            .entry(r.period_start)
            .or_insert_with(|| (r.period.clone(), FlowMatrix::new()))
            .1
            .add(r.started_on, r.ended_on, n)
            .map_err(too_many)?;
        let (m, months) = per_service.entry(r.service_id).or_default();
        m.add(r.started_on, r.ended_on, n).map_err(too_many)?;
        months
            .entry(r.period_start)
            .or_insert_with(|| (r.period.clone(), FlowMatrix::new()))
            .1
            .add(r.started_on, r.ended_on, n)
            .map_err(too_many)?;
    }
    let services = per_service
        .iter()
        .map(|(sid, (m, months))| {
            let s = b.services.get(sid);
            ServiceJourneysView {
                service_id: *sid,
                code: s.map(|s| s.code.clone()).unwrap_or_default(),
                name: s.map(|s| s.name.clone()).unwrap_or_default(),
                name_fr: s.and_then(|s| s.name_fr.clone()),
                flow: flow_view(m),
                months: months_view(months),
            }
        })
        .collect();
    Ok(JourneysView {
        agreement_id: id,
        from: from.to_string(),
        to: to.to_string(),
        service: service
            .and_then(|s| b.services.get(&s))
            .map(|s| s.code.clone()),
        all: flow_view(&all),
        months: months_view(&all_months),
        services,
        service_options: b
            .services
            .iter()
            .filter(|(_, s)| s.in_force)
            .map(|(sid, s)| JourneyServiceOption {
                service_id: *sid,
                code: s.code.clone(),
                name: s.name.clone(),
                name_fr: s.name_fr.clone(),
                channels: s.channels.clone(),
            })
            .collect(),
        active: b.agreement.status == AgreementStatus::Active,
        may_record_for: if b.agreement.status == AgreementStatus::Active {
            recorders(ctx, &b)
        } else {
            Vec::new()
        },
        parties: organisation::Entity::find()
            .filter(organisation::Column::Id.is_in(b.parties.iter().copied()))
            .order_by_asc(organisation::Column::Name)
            .all(db)
            .await?
            .into_iter()
            .map(|o| JourneyParty {
                organisation_id: o.id,
                code: o.code,
                name: o.name,
                name_fr: o.name_fr,
            })
            .collect(),
    })
}

/// The KPIs derived from journeys: code, English and French names (as in
/// `fixtures/kpis.csv`).
const DERIVED: [(&str, &str, &str); 2] = [
    (
        crate::domain::journeys::COMPLETION_KPI,
        "Journeys completed of those started (derived from recorded journeys)",
        "Parcours terminés sur ceux commencés (calculé à partir des parcours inscrits)",
    ),
    (
        crate::domain::journeys::TAKE_UP_KPI,
        "Journeys completed on a digital channel (derived from recorded journeys)",
        "Parcours terminés dans un mode numérique (calculé à partir des parcours inscrits)",
    ),
];

/// Adds the two KPIs derived from journeys to the catalogue when it lacks
/// them, so that every installation lists them: the server does at start.
/// Returns how many were added.
pub async fn ensure_journey_kpis(db: &impl ConnectionTrait) -> ServiceResult<usize> {
    crate::backend::services::admin::ensure_derived(db, &DERIVED).await
}
