//! Working days: each organisation's calendar, weekends and the holidays
//! of its jurisdiction and of every jurisdiction above it.

use crate::backend::ServiceResult;
use crate::backend::entities::{holiday, jurisdiction, organisation};
use crate::domain::propagation::WorkingCalendar;
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// The working calendar of each organisation in `orgs`: the holidays of
/// its jurisdiction and of every jurisdiction above it (a city keeps its
/// country's); weekends only without a jurisdiction.
pub(crate) async fn calendars_of(
    db: &impl ConnectionTrait,
    orgs: &[i32],
) -> ServiceResult<HashMap<i32, WorkingCalendar>> {
    let places: HashMap<i32, Option<i32>> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(orgs.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.jurisdiction_id))
        .collect();
    let parents: HashMap<i32, Option<i32>> = jurisdiction::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|j| (j.id, j.parent_id))
        .collect();
    // Each jurisdiction with those above it (a bounded walk: no cycle
    // can hold it).
    let chain = |start: i32| {
        let mut out = vec![start];
        let mut at = start;
        while let Some(Some(p)) = parents.get(&at) {
            if out.contains(p) || out.len() > 16 {
                break;
            }
            out.push(*p);
            at = *p;
        }
        out
    };
    let mut days: HashMap<i32, Vec<NaiveDate>> = HashMap::new();
    for h in holiday::Entity::find().all(db).await? {
        days.entry(h.jurisdiction_id).or_default().push(h.day);
    }
    Ok(orgs
        .iter()
        .map(|o| {
            let holidays: Vec<NaiveDate> = places
                .get(o)
                .copied()
                .flatten()
                .map(|j| {
                    chain(j)
                        .into_iter()
                        .flat_map(|j| days.get(&j).cloned().unwrap_or_default())
                        .collect()
                })
                .unwrap_or_default();
            (*o, WorkingCalendar::new(holidays))
        })
        .collect())
}
