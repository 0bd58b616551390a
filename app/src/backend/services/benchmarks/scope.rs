//! What a benchmark reads: the query checked (range, limit, KPI), and the
//! agreements kept — those the caller may see, of the status and
//! jurisdiction asked for — with the organisations, jurisdictions, KPIs
//! and life events their rows are labelled by.

use crate::backend::entities::{agreement_life_event, jurisdiction, kpi, life_event, organisation};
use crate::backend::services::Ctx;
use crate::backend::{FieldError, ServiceError, ServiceResult};
use crate::domain::Period;
use crate::wire::agreements::{AgreementFilters, AgreementSummary};
use crate::wire::benchmarks::*;
use chrono::{Datelike, NaiveDate};
use sea_orm::{ConnectionTrait, EntityTrait};
use std::collections::HashMap;

/// A benchmark query, checked, and what it reads.
pub(super) struct Scope {
    pub(super) group_by: GroupBy,
    pub(super) from: NaiveDate,
    pub(super) to: NaiveDate,
    /// The last day of a period that counts: the range's end, or today.
    pub(super) end: NaiveDate,
    pub(super) today: NaiveDate,
    /// The one KPI asked for.
    pub(super) kpi: Option<kpi::Model>,
    pub(super) kpi_by_id: HashMap<i32, kpi::Model>,
    pub(super) orgs: HashMap<i32, organisation::Model>,
    pub(super) jurisdictions: HashMap<i32, jurisdiction::Model>,
    /// The agreements kept, by id.
    pub(super) kept: HashMap<i32, AgreementSummary>,
    /// Grouped by life event: the life events each kept agreement covers
    /// (in catalogue order), by agreement id; empty otherwise.
    pub(super) life_events_of: HashMap<i32, Vec<life_event::Model>>,
    /// Over every agreement (a caller who sees all, without filters):
    /// groupings that need no agreement's attributes sum across
    /// agreements in SQL.
    pub(super) unfiltered: bool,
}

/// Checks `q` and reads what it needs. Fails with `Validation` for a
/// malformed period or limit, or an unknown KPI.
pub(super) async fn scope(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    q: &BenchmarkQuery,
) -> ServiceResult<Scope> {
    let today = crate::clock::today();
    let (from, to) = range(q, today)?;
    if let Some(limit) = q.limit
        && !(1..=1000).contains(&limit)
    {
        let m = "limit must be from 1 to 1000.";
        return Err(ServiceError::validation(
            m,
            vec![FieldError::new("limit", m)],
        ));
    }
    let mut kpis: HashMap<String, kpi::Model> = kpi::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|k| (k.code.clone(), k))
        .collect();
    let kpi_by_id: HashMap<i32, kpi::Model> = kpis.values().map(|k| (k.id, k.clone())).collect();
    let kpi = match q.kpi.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        None => None,
        Some(k) => match kpis.remove(k) {
            Some(found) => Some(found),
            None => {
                let m = format!("No KPI has code '{k}'.");
                return Err(ServiceError::validation(
                    m.clone(),
                    vec![FieldError::new("kpi", m)],
                ));
            }
        },
    };
    let summaries = crate::backend::services::agreements::list_as_party(
        ctx,
        db,
        &AgreementFilters {
            status: q.status,
            ..Default::default()
        },
    )
    .await?;
    let orgs: HashMap<i32, organisation::Model> =
        crate::backend::services::organisations::organisations_by_id(db, None).await?;
    let jurisdictions: HashMap<i32, jurisdiction::Model> =
        crate::backend::services::organisations::jurisdictions_by_id(db).await?;
    let jurisdiction_filter = q
        .jurisdiction
        .as_deref()
        .map(|j| j.trim().to_uppercase())
        .filter(|j| !j.is_empty());
    let in_jurisdiction = |s: &AgreementSummary| {
        jurisdiction_filter.as_ref().is_none_or(|code| {
            s.parties.iter().any(|p| {
                orgs.get(&p.organisation_id)
                    .and_then(|o| o.jurisdiction_id)
                    .and_then(|j| jurisdictions.get(&j))
                    .is_some_and(|j| j.code == *code)
            })
        })
    };
    let kept: HashMap<i32, AgreementSummary> = summaries
        .into_iter()
        .filter(|s| in_jurisdiction(s))
        .map(|s| (s.id, s))
        .collect();
    let group_by = q.group_by.unwrap_or_default();
    let life_events_of = if group_by == GroupBy::LifeEvent {
        life_events_of(db, &kept).await?
    } else {
        HashMap::new()
    };
    Ok(Scope {
        group_by,
        from,
        to,
        end: std::cmp::min(to, today),
        today,
        kpi,
        kpi_by_id,
        unfiltered: ctx.sees_all() && q.status.is_none() && jurisdiction_filter.is_none(),
        orgs,
        jurisdictions,
        kept,
        life_events_of,
    })
}

/// The life events each of the `kept` agreements covers, by agreement id,
/// each agreement's in catalogue order.
async fn life_events_of(
    db: &impl ConnectionTrait,
    kept: &HashMap<i32, AgreementSummary>,
) -> ServiceResult<HashMap<i32, Vec<life_event::Model>>> {
    let events: HashMap<i32, life_event::Model> = life_event::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let mut out: HashMap<i32, Vec<life_event::Model>> = HashMap::new();
    // Every row (a few per agreement) rather than one bound parameter per
    // kept agreement.
    for r in agreement_life_event::Entity::find().all(db).await? {
        if let (true, Some(e)) = (
            kept.contains_key(&r.agreement_id),
            events.get(&r.life_event_id),
        ) {
            out.entry(r.agreement_id).or_default().push(e.clone());
        }
    }
    for list in out.values_mut() {
        list.sort_by_key(|e| e.id);
        list.dedup_by_key(|e| e.id);
    }
    Ok(out)
}

/// The range asked for: from the first month of `from` to the last day of
/// `to`; by default the twelve months to today.
pub(super) fn range(q: &BenchmarkQuery, today: NaiveDate) -> ServiceResult<(NaiveDate, NaiveDate)> {
    let parse = |field: &str, text: &str| {
        Period::parse(text.trim()).map_err(|e| {
            ServiceError::validation(e.to_string(), vec![FieldError::new(field, e.to_string())])
        })
    };
    let to = match q.to.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(t) => parse("to", t)?.end_date(1),
        None => today,
    };
    let from = match q.from.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(f) => parse("from", f)?.start_date(1),
        None => {
            let back = to - chrono::Months::new(12);
            NaiveDate::from_ymd_opt(back.year(), back.month(), 1).unwrap_or(back)
        }
    };
    if from > to {
        let m = "The range ends before it starts.";
        return Err(ServiceError::validation(m, vec![FieldError::new("to", m)]));
    }
    Ok((from, to))
}
