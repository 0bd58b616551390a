//! The service inventory (issue 22, DOMAIN.md §9): every service in force
//! of the agreements the caller may see, with who delivers it, what it is,
//! its channels, and how each channel's service standard did over a range
//! of months, judged from the volumes partners recorded against it (those
//! that say how many transactions met the standard). As JSON and as CSV.

use super::Ctx;
use super::agreements::list_as_party;
use super::months::{month_text, months};
use super::service_rows;
use crate::backend::csv_out::to_csv;
use crate::backend::entities::{organisation, transaction_volume};
use crate::backend::{FieldError, ServiceError, ServiceResult};
use crate::domain::service::StandardTally;
use crate::domain::{Channel, Currency, OnlineStage};
use crate::wire::agreements::{AgreementFilters, AgreementSummary};
use crate::wire::inventory::*;
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashMap;

/// The inventory for `q`. Every user, over the agreements they may see
/// (API tokens submit and do not read the portfolio: `Forbidden`, as for
/// the agreements list); `Validation` for a bad range or sort.
pub async fn inventory(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    q: &InventoryQuery,
) -> ServiceResult<InventoryView> {
    ctx.actor()?;
    let (from, to) = months(q.from.as_deref(), q.to.as_deref(), crate::clock::today(), 1)?;
    let sort = Sort::parse(q.sort.as_deref())?;
    let filters = AgreementFilters {
        status: q.status,
        ..Default::default()
    };
    let agreements: HashMap<i32, AgreementSummary> = list_as_party(ctx, db, &filters)
        .await?
        .into_iter()
        .filter(|a| q.agreement_id.is_none_or(|id| id == a.id))
        .map(|a| (a.id, a))
        .collect();
    let ids: Vec<i32> = agreements.keys().copied().collect();
    let rows = service_rows::in_force(db, &ids).await?;
    let tallies = tallies(db, rows.iter().map(|(s, _)| s.id).collect(), from, to).await?;
    let names: HashMap<i32, organisation::Model> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(rows.iter().map(|(s, _)| s.delivered_by)))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let mut items = Vec::new();
    for (s, standards) in &rows {
        let Some(a) = agreements.get(&s.agreement_id) else {
            continue;
        };
        let view = service_rows::view(s, standards, Currency::parse(&a.currency).ok())?;
        let org = names.get(&s.delivered_by);
        let by_channel = tallies.get(&s.id);
        let volume =
            by_channel.map_or(0, |c| c.values().fold(0i64, |n, t| n.saturating_add(t.all)));
        let item = InventoryItem {
            id: s.id,
            code: view.code,
            agreement_id: a.id,
            agreement_reference: a.reference.clone(),
            agreement_title: a.title.clone(),
            agreement_title_fr: a.title_fr.clone(),
            agreement_status: a.status,
            name: view.name,
            name_fr: view.name_fr,
            delivered_by: s.delivered_by,
            delivered_by_name: org.map(|o| o.name.clone()).unwrap_or_default(),
            delivered_by_name_fr: org.and_then(|o| o.name_fr.clone()),
            fully_online: OnlineStage::ALL
                .iter()
                .all(|st| view.online_stages.contains(st)),
            channels: view.channels,
            client_types: view.client_types,
            service_type: view.service_type,
            fee: view.fee,
            currency: a.currency.clone(),
            online_stages: view.online_stages,
            volume,
            standards: view
                .standards
                .into_iter()
                .map(|st| {
                    let t = by_channel
                        .and_then(|c| c.get(&st.channel))
                        .map(|c| c.judged)
                        .unwrap_or_default();
                    let target = st.target.parse().unwrap_or_default();
                    StandardResult {
                        channel: st.channel,
                        standard: st.standard,
                        standard_fr: st.standard_fr,
                        target: st.target,
                        volume: t.volume,
                        meeting: t.meeting,
                        met_percent: t.met_percent().map(|p| p.to_string()),
                        meets: t.meets(target),
                    }
                })
                .collect(),
        };
        if matches(&item, q) {
            items.push(item);
        }
    }
    sort.apply(&mut items);
    Ok(InventoryView {
        total: items.len(),
        items,
        from: month_text(from),
        to: month_text(to),
    })
}

/// The inventory for `q` as CSV: one row per service, with each channel's
/// target and share meeting it in columns of their own.
pub async fn inventory_csv(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    q: &InventoryQuery,
) -> ServiceResult<String> {
    let view = inventory(ctx, db, q).await?;
    let mut header: Vec<String> = [
        "id",
        "service_id",
        "agreement_reference",
        "name",
        "name_fr",
        "delivered_by",
        "service_type",
        "client_types",
        "channels",
        "fee",
        "currency",
        "online_stages",
        "fully_online",
        "volume",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    for c in Channel::ALL {
        header.push(format!("{c}_target"));
        header.push(format!("{c}_met_percent"));
    }
    let join = |v: Vec<String>| v.join(";");
    let mut out = vec![header];
    for i in view.items {
        let mut row = vec![
            i.id.to_string(),
            i.code,
            i.agreement_reference,
            i.name,
            i.name_fr.unwrap_or_default(),
            i.delivered_by_name,
            i.service_type.to_string(),
            join(i.client_types.iter().map(ToString::to_string).collect()),
            join(i.channels.iter().map(ToString::to_string).collect()),
            i.fee.unwrap_or_default(),
            i.currency,
            join(i.online_stages.iter().map(ToString::to_string).collect()),
            i.fully_online.to_string(),
            i.volume.to_string(),
        ];
        for c in Channel::ALL {
            let st = i.standards.iter().find(|s| s.channel == *c);
            row.push(st.map(|s| s.target.clone()).unwrap_or_default());
            row.push(st.and_then(|s| s.met_percent.clone()).unwrap_or_default());
        }
        out.push(row);
    }
    Ok(to_csv(out))
}

/// Whether `item` passes the filters that are not about its agreement.
fn matches(item: &InventoryItem, q: &InventoryQuery) -> bool {
    let text = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty());
    q.delivered_by.is_none_or(|o| o == item.delivered_by)
        && q.channel.is_none_or(|c| item.channels.contains(&c))
        && q.client_type.is_none_or(|c| item.client_types.contains(&c))
        && q.service_type.is_none_or(|t| t == item.service_type)
        && q.online.is_none_or(|o| o == item.fully_online)
        && text.is_none_or(|t| {
            let t = t.to_lowercase();
            [
                Some(item.name.as_str()),
                item.name_fr.as_deref(),
                Some(item.code.as_str()),
                Some(item.agreement_reference.as_str()),
            ]
            .into_iter()
            .flatten()
            .any(|s| s.to_lowercase().contains(&t))
        })
}

/// A service's volumes on one channel: all of them, and those judged
/// against its standard.
#[derive(Clone, Copy, Default)]
struct ChannelTally {
    all: i64,
    judged: StandardTally,
}

/// The volumes recorded against `services` in the months from `from` to
/// `to`, by service and channel.
async fn tallies(
    db: &impl ConnectionTrait,
    services: Vec<i32>,
    from: NaiveDate,
    to: NaiveDate,
) -> ServiceResult<HashMap<i32, HashMap<Channel, ChannelTally>>> {
    let mut out: HashMap<i32, HashMap<Channel, ChannelTally>> = HashMap::new();
    for chunk in services.chunks(500) {
        let rows: Vec<(Option<i32>, Channel, i64, Option<i64>)> =
            transaction_volume::Entity::find()
                .select_only()
                .column(transaction_volume::Column::ServiceId)
                .column(transaction_volume::Column::Channel)
                .column(transaction_volume::Column::Count)
                .column(transaction_volume::Column::MeetingStandard)
                .filter(transaction_volume::Column::ServiceId.is_in(chunk.iter().copied()))
                .filter(transaction_volume::Column::PeriodStart.between(from, to))
                .into_tuple()
                .all(db)
                .await?;
        for (service, channel, count, meeting) in rows {
            let Some(service) = service else { continue };
            let t = out.entry(service).or_default().entry(channel).or_default();
            t.all = t.all.saturating_add(count);
            t.judged = t.judged.add(count, meeting);
        }
    }
    Ok(out)
}

/// The order of the inventory: by one key, ascending or (`-key`)
/// descending; ties by agreement and service id.
struct Sort {
    key: SortKey,
    descending: bool,
}

#[derive(Clone, Copy)]
enum SortKey {
    Name,
    Agreement,
    Volume,
    /// The lowest share meeting a standard (services with none judged last).
    Met,
}

impl Sort {
    fn parse(text: Option<&str>) -> ServiceResult<Self> {
        let text = text
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .unwrap_or("name");
        let (descending, name) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let key = match name {
            "name" => SortKey::Name,
            "agreement" => SortKey::Agreement,
            "volume" => SortKey::Volume,
            "met" => SortKey::Met,
            _ => {
                let m = "Sort by name, agreement, volume or met (with - in front for descending).";
                return Err(ServiceError::validation(
                    m,
                    vec![FieldError::new("sort", m)],
                ));
            }
        };
        Ok(Self { key, descending })
    }

    fn apply(&self, items: &mut [InventoryItem]) {
        let lowest_met = |i: &InventoryItem| {
            i.standards
                .iter()
                .filter_map(|s| {
                    s.met_percent
                        .as_deref()?
                        .parse::<rust_decimal::Decimal>()
                        .ok()
                })
                .min()
        };
        items.sort_by(|a, b| {
            let tie = (&a.agreement_reference, &a.code).cmp(&(&b.agreement_reference, &b.code));
            let by = match self.key {
                SortKey::Name => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
                SortKey::Agreement => std::cmp::Ordering::Equal,
                SortKey::Volume => a.volume.cmp(&b.volume),
                SortKey::Met => match (lowest_met(a), lowest_met(b)) {
                    (Some(x), Some(y)) => x.cmp(&y),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => std::cmp::Ordering::Equal,
                },
            };
            let by = if self.descending { by.reverse() } else { by };
            by.then(tie)
        });
    }
}
