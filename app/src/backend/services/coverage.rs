//! The life-event coverage map (issue 21): for each life event and
//! jurisdiction, the agreements in force the caller may see that cover it,
//! with their services, parties and channels, and the gaps.
//!
//! An agreement covers a life event it names in each jurisdiction one of
//! its parties belongs to. Only the terms in force count: a draft, or what
//! a pending amendment proposes, covers nothing yet.

use super::Ctx;
use super::agreements::list_as_party;
use crate::backend::ServiceResult;
use crate::backend::entities::{
    agreement_life_event, agreement_service, life_event, life_event_notice, propagation_term,
};
use crate::domain::{AgreementStatus, Channel, Role};
use crate::wire::agreements::AgreementFilters;
use crate::wire::coverage::*;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The coverage map over what the caller may see. Executives, managers and
/// admins; `Forbidden` for others and for API tokens.
pub async fn coverage(ctx: &Ctx, db: &impl ConnectionTrait) -> ServiceResult<CoverageView> {
    ctx.require(&[Role::Executive, Role::Manager, Role::Admin])?;
    let visible = list_as_party(ctx, db, &AgreementFilters::default()).await?;
    let in_force: Vec<_> = visible
        .into_iter()
        .filter(|a| {
            matches!(
                a.status,
                AgreementStatus::Active | AgreementStatus::Suspended
            )
        })
        .collect();
    let ids: Vec<i32> = in_force.iter().map(|a| a.id).collect();
    let events = life_event::Entity::find()
        .order_by_asc(life_event::Column::Id)
        .all(db)
        .await?;
    let code_of: HashMap<i32, &str> = events.iter().map(|e| (e.id, e.code.as_str())).collect();
    // Each agreement's life events, by id and code.
    let mut covers: HashMap<i32, Vec<(i32, &str)>> = HashMap::new();
    for r in agreement_life_event::Entity::find()
        .filter(agreement_life_event::Column::AgreementId.is_in(ids.clone()))
        .all(db)
        .await?
    {
        if let Some(code) = code_of.get(&r.life_event_id) {
            covers
                .entry(r.agreement_id)
                .or_default()
                .push((r.life_event_id, code));
        }
    }
    let propagated: HashSet<(i32, i32)> = propagation_term::Entity::find()
        .filter(propagation_term::Column::AgreementId.is_in(ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.agreement_id, p.life_event_id))
        .collect();
    let mut services: HashMap<i32, Vec<agreement_service::Model>> = HashMap::new();
    for s in agreement_service::Entity::find()
        .filter(agreement_service::Column::AgreementId.is_in(ids.clone()))
        .filter(agreement_service::Column::InForce.eq(true))
        .order_by_asc(agreement_service::Column::Id)
        .all(db)
        .await?
    {
        services.entry(s.agreement_id).or_default().push(s);
    }
    // The notices each agreement took in of each life event over the last
    // twelve months: how much the covering agreements are used.
    let since = crate::clock::today() - chrono::Duration::days(365);
    // Counted by the database, not row by row here.
    let notices: HashMap<(i32, i32), u64> = life_event_notice::Entity::find()
        .select_only()
        .column(life_event_notice::Column::AgreementId)
        .column(life_event_notice::Column::LifeEventId)
        .column_as(life_event_notice::Column::Id.count(), "n")
        .filter(life_event_notice::Column::AgreementId.is_in(ids.clone()))
        .filter(life_event_notice::Column::ReceivedOn.gte(since))
        .group_by(life_event_notice::Column::AgreementId)
        .group_by(life_event_notice::Column::LifeEventId)
        .into_tuple::<(i32, i32, i64)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(a, e, n)| ((a, e), u64::try_from(n).unwrap_or(0)))
        .collect();
    let orgs = super::organisations::organisations_by_id(db, None).await?;
    let places = super::organisations::jurisdictions_by_id(db).await?;

    // Each agreement's parties, by jurisdiction.
    let mut cells: BTreeMap<(usize, i32), CoverageCell> = BTreeMap::new();
    let mut reached: BTreeSet<i32> = BTreeSet::new();
    let mut gaps = Vec::new();
    let order: HashMap<&str, usize> = events
        .iter()
        .enumerate()
        .map(|(i, e)| (e.code.as_str(), i))
        .collect();
    for a in &in_force {
        let mut by_place: BTreeMap<i32, Vec<String>> = BTreeMap::new();
        for p in &a.parties {
            if let Some(j) = orgs.get(&p.organisation_id).and_then(|o| o.jurisdiction_id) {
                by_place.entry(j).or_default().push(p.code.clone());
                reached.insert(j);
            }
        }
        let mine = services.get(&a.id).map(Vec::as_slice).unwrap_or_default();
        let channels: BTreeSet<Channel> = mine
            .iter()
            .flat_map(|s| s.channels.split(';'))
            .filter_map(|c| c.parse::<Channel>().ok())
            .collect();
        for (event, code) in covers.get(&a.id).map(Vec::as_slice).unwrap_or_default() {
            let has_propagation = propagated.contains(&(a.id, *event));
            if !has_propagation {
                gaps.push(CoverageGap {
                    kind: "no_propagation".into(),
                    life_event: (*code).to_owned(),
                    jurisdiction_id: None,
                    agreement_id: Some(a.id),
                    reference: Some(a.reference.clone()),
                });
            }
            for (j, parties) in &by_place {
                let cell = cells
                    .entry((order.get(code).copied().unwrap_or(usize::MAX), *j))
                    .or_insert_with(|| CoverageCell {
                        life_event: (*code).to_owned(),
                        jurisdiction_id: *j,
                        agreements: Vec::new(),
                        services: Vec::new(),
                        parties: Vec::new(),
                        channels: Vec::new(),
                        notices: 0,
                    });
                cell.notices += notices.get(&(a.id, *event)).copied().unwrap_or(0);
                cell.agreements.push(CoveringAgreement {
                    id: a.id,
                    reference: a.reference.clone(),
                    title: a.title.clone(),
                    title_fr: a.title_fr.clone(),
                    has_propagation,
                });
                cell.services.extend(mine.iter().map(|s| s.name.clone()));
                cell.parties.extend(parties.iter().cloned());
                cell.channels.extend(channels.iter().copied());
            }
        }
    }
    for cell in cells.values_mut() {
        for list in [&mut cell.services, &mut cell.parties] {
            list.sort();
            list.dedup();
        }
        cell.channels.sort();
        cell.channels.dedup();
    }
    for e in &events {
        for j in &reached {
            if !cells.contains_key(&(order[e.code.as_str()], *j)) {
                gaps.push(CoverageGap {
                    kind: "not_covered".into(),
                    life_event: e.code.clone(),
                    jurisdiction_id: Some(*j),
                    agreement_id: None,
                    reference: None,
                });
            }
        }
    }
    let mut jurisdictions: Vec<CoverageJurisdiction> = reached
        .iter()
        .filter_map(|j| places.get(j))
        .map(|j| CoverageJurisdiction {
            id: j.id,
            code: j.code.clone(),
            name: j.name.clone(),
            name_fr: j.name_fr.clone(),
        })
        .collect();
    jurisdictions.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(CoverageView {
        life_events: events
            .iter()
            .map(|e| CoverageEvent {
                code: e.code.clone(),
                name: e.name.clone(),
                name_fr: e.name_fr.clone(),
            })
            .collect(),
        jurisdictions,
        cells: cells.into_values().collect(),
        gaps,
    })
}
