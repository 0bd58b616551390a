//! What the caller may see of notices and deliveries, as views: a party
//! told sees its own deliveries; the intake party its notices and how each
//! of their deliveries stands; whoever sees the whole portfolio, all.

use super::intake::Intake;
use super::today;
use crate::backend::entities::{
    agreement, life_event, life_event_delivery, life_event_notice, organisation,
};
use crate::backend::services::Ctx;
use crate::backend::{ServiceError, ServiceResult};
use crate::domain::propagation::{Delivery, Targets};
use crate::domain::{Channel, Role};
use crate::wire::notices::*;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::{BTreeMap, HashMap};

/// The most deliveries and notices a page lists, newest first.
const PAGE: u64 = 200;

/// What views need besides the rows: names and calendars.
struct Lookups {
    agreements: HashMap<i32, agreement::Model>,
    events: HashMap<i32, life_event::Model>,
    orgs: HashMap<i32, organisation::Model>,
    notices: HashMap<i32, life_event_notice::Model>,
    calendars: HashMap<i32, crate::domain::propagation::WorkingCalendar>,
}

impl Lookups {
    async fn load(
        db: &impl ConnectionTrait,
        notices: Vec<life_event_notice::Model>,
        deliveries: &[life_event_delivery::Model],
    ) -> ServiceResult<Self> {
        let mut agreement_ids: Vec<i32> = notices.iter().map(|n| n.agreement_id).collect();
        agreement_ids.sort_unstable();
        agreement_ids.dedup();
        let mut org_ids: Vec<i32> = deliveries.iter().map(|d| d.organisation_id).collect();
        org_ids.extend(notices.iter().map(|n| n.intake_id));
        org_ids.sort_unstable();
        org_ids.dedup();
        Ok(Lookups {
            agreements: agreement::Entity::find()
                .filter(agreement::Column::Id.is_in(agreement_ids))
                .all(db)
                .await?
                .into_iter()
                .map(|a| (a.id, a))
                .collect(),
            events: life_event::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|e| (e.id, e))
                .collect(),
            orgs: crate::backend::services::organisations::organisations_by_id(
                db,
                Some(org_ids.clone()),
            )
            .await?,
            calendars: super::working_days::calendars_of(db, &org_ids).await?,
            notices: notices.into_iter().map(|n| (n.id, n)).collect(),
        })
    }

    fn event(&self, id: i32) -> NoticeEvent {
        self.events.get(&id).map_or_else(
            || NoticeEvent {
                code: String::new(),
                name: String::new(),
                name_fr: None,
            },
            |e| NoticeEvent {
                code: e.code.clone(),
                name: e.name.clone(),
                name_fr: e.name_fr.clone(),
            },
        )
    }

    fn org(&self, id: i32) -> String {
        self.orgs
            .get(&id)
            .map(|o| o.name.clone())
            .unwrap_or_default()
    }

    fn delivery(
        &self,
        d: &life_event_delivery::Model,
        caller: Option<i32>,
        can_act: bool,
    ) -> Option<DeliveryView> {
        let n = self.notices.get(&d.notice_id)?;
        let cal = self
            .calendars
            .get(&d.organisation_id)
            .cloned()
            .unwrap_or_default();
        let t = Targets {
            acknowledge_days: u32::try_from(d.acknowledge_days).unwrap_or(0),
            act_days: u32::try_from(d.act_days).unwrap_or(0),
        };
        let status = Delivery {
            received_on: d.received_on,
            acknowledged_on: d.acknowledged_on,
            acted_on: d.acted_on,
            declined_on: d.declined_on,
        }
        .status(t, &cal, today());
        let open = d.acted_on.is_none() && d.declined_on.is_none();
        Some(DeliveryView {
            id: d.id,
            notice_id: d.notice_id,
            agreement_id: d.agreement_id,
            agreement_reference: self
                .agreements
                .get(&d.agreement_id)
                .map(|a| a.reference.clone())
                .unwrap_or_default(),
            life_event: self.event(n.life_event_id),
            case_reference: n.case_reference.clone(),
            channel: n.channel.parse().unwrap_or(Channel::InPerson),
            intake_organisation_id: n.intake_id,
            intake_organisation: self.org(n.intake_id),
            organisation_id: d.organisation_id,
            organisation: self.org(d.organisation_id),
            received_on: d.received_on,
            acknowledge_days: d.acknowledge_days,
            act_days: d.act_days,
            acknowledge_by: cal.deadline(d.received_on, t.acknowledge_days),
            act_by: cal.deadline(d.received_on, t.act_days),
            acknowledged_on: d.acknowledged_on,
            acted_on: d.acted_on,
            outcome: d.outcome.clone(),
            declined_on: d.declined_on,
            decline_reason: d.decline_reason.clone(),
            status: status.as_str().to_owned(),
            actionable: can_act && open && caller == Some(d.organisation_id),
        })
    }

    fn notice(&self, n: &life_event_notice::Model, deliveries: Vec<DeliveryView>) -> NoticeView {
        NoticeView {
            id: n.id,
            agreement_id: n.agreement_id,
            agreement_reference: self
                .agreements
                .get(&n.agreement_id)
                .map(|a| a.reference.clone())
                .unwrap_or_default(),
            life_event: self.event(n.life_event_id),
            intake_organisation_id: n.intake_id,
            intake_organisation: self.org(n.intake_id),
            received_on: n.received_on,
            channel: n.channel.parse().unwrap_or(Channel::InPerson),
            case_reference: n.case_reference.clone(),
            deliveries,
        }
    }
}

/// The caller's organisation, `None` when they see everything; whether
/// they may act (a reporter or an API token).
fn audience(ctx: &Ctx) -> ServiceResult<(Option<i32>, bool)> {
    let actor = ctx.actor()?;
    let can_act = actor.role == Role::Reporter;
    Ok((
        if ctx.sees_all() {
            None
        } else {
            Some(actor.organisation_id)
        },
        can_act,
    ))
}

/// Delivery `id` if the caller may see it. `NotFound` otherwise.
pub async fn delivery(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
) -> ServiceResult<DeliveryView> {
    let (caller, can_act) = audience(ctx)?;
    let d = life_event_delivery::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let n = life_event_notice::Entity::find_by_id(d.notice_id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if caller.is_some_and(|o| o != d.organisation_id && o != n.intake_id) {
        return Err(ServiceError::NotFound);
    }
    let deliveries = [d];
    let l = Lookups::load(db, vec![n], &deliveries).await?;
    l.delivery(&deliveries[0], Some(ctx.actor()?.organisation_id), can_act)
        .ok_or(ServiceError::NotFound)
}

/// Notice `id` with the deliveries the caller may see of it: all of them
/// for its intake party and whoever sees everything; a party told sees its
/// own only; anyone else, `NotFound`.
pub(super) async fn notice(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
) -> ServiceResult<NoticeView> {
    let (caller, can_act) = audience(ctx)?;
    let n = life_event_notice::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let mut q =
        life_event_delivery::Entity::find().filter(life_event_delivery::Column::NoticeId.eq(id));
    if let Some(o) = caller.filter(|o| *o != n.intake_id) {
        q = q.filter(life_event_delivery::Column::OrganisationId.eq(o));
    }
    let deliveries = q
        .order_by_asc(life_event_delivery::Column::Id)
        .all(db)
        .await?;
    if caller.is_some_and(|o| o != n.intake_id) && deliveries.is_empty() {
        return Err(ServiceError::NotFound);
    }
    let l = Lookups::load(db, vec![n.clone()], &deliveries).await?;
    let me = Some(ctx.actor()?.organisation_id);
    let views = deliveries
        .iter()
        .filter_map(|d| l.delivery(d, me, can_act))
        .collect();
    Ok(l.notice(&n, views))
}

/// The notices page: the deliveries to the caller's party (every one for
/// whoever sees everything), newest first; the notices their party
/// recorded, each with its deliveries; where they may record one.
pub async fn page(ctx: &Ctx, db: &impl ConnectionTrait) -> ServiceResult<NoticesView> {
    let (caller, can_act) = audience(ctx)?;
    let me = ctx.actor()?.organisation_id;
    let mut dq = life_event_delivery::Entity::find();
    let mut nq = life_event_notice::Entity::find();
    if let Some(o) = caller {
        dq = dq.filter(life_event_delivery::Column::OrganisationId.eq(o));
        nq = nq.filter(life_event_notice::Column::IntakeId.eq(o));
    }
    let told = dq
        .order_by_desc(life_event_delivery::Column::ReceivedOn)
        .order_by_desc(life_event_delivery::Column::Id)
        .limit(PAGE)
        .all(db)
        .await?;
    let recorded = nq
        .order_by_desc(life_event_notice::Column::ReceivedOn)
        .order_by_desc(life_event_notice::Column::Id)
        .limit(PAGE)
        .all(db)
        .await?;
    let of_recorded = life_event_delivery::Entity::find()
        .filter(life_event_delivery::Column::NoticeId.is_in(recorded.iter().map(|n| n.id)))
        .order_by_asc(life_event_delivery::Column::Id)
        .all(db)
        .await?;
    let mut notices = recorded.clone();
    let known: std::collections::HashSet<i32> = notices.iter().map(|n| n.id).collect();
    let missing: Vec<i32> = told
        .iter()
        .map(|d| d.notice_id)
        .filter(|id| !known.contains(id))
        .collect();
    notices.extend(
        life_event_notice::Entity::find()
            .filter(life_event_notice::Column::Id.is_in(missing))
            .all(db)
            .await?,
    );
    let mut all = told.clone();
    all.extend(of_recorded.iter().cloned());
    let l = Lookups::load(db, notices, &all).await?;
    let deliveries = told
        .iter()
        .filter_map(|d| l.delivery(d, Some(me), can_act))
        .collect();
    let mut by_notice: BTreeMap<i32, Vec<DeliveryView>> = BTreeMap::new();
    for d in &of_recorded {
        if let Some(v) = l.delivery(d, Some(me), can_act) {
            by_notice.entry(d.notice_id).or_default().push(v);
        }
    }
    let notices = recorded
        .iter()
        .map(|n| l.notice(n, by_notice.remove(&n.id).unwrap_or_default()))
        .collect();
    let intake = if can_act {
        let i = Intake::of(db, me).await?;
        let mut options: BTreeMap<i32, IntakeOption> = BTreeMap::new();
        let by_code: HashMap<&str, &life_event::Model> =
            l.events.values().map(|e| (e.code.as_str(), e)).collect();
        for (a, code) in i.options() {
            let o = options.entry(a.id).or_insert_with(|| IntakeOption {
                agreement_id: a.id,
                reference: a.reference.clone(),
                title: a.title.clone(),
                title_fr: a.title_fr.clone(),
                life_events: Vec::new(),
            });
            if let Some(e) = by_code.get(code) {
                o.life_events.push(NoticeEvent {
                    code: e.code.clone(),
                    name: e.name.clone(),
                    name_fr: e.name_fr.clone(),
                });
            }
        }
        let mut out: Vec<IntakeOption> = options.into_values().collect();
        for o in &mut out {
            o.life_events.sort_by(|a, b| a.code.cmp(&b.code));
        }
        out
    } else {
        Vec::new()
    };
    Ok(NoticesView {
        deliveries,
        notices,
        intake,
        can_act,
        sees_all: caller.is_none(),
    })
}
