//! Units into groups, and groups into the rows shown: each group's
//! compliance rate and statistics, the ranks of agreements among their
//! peers, the worst first when asked, one page at a time.

use super::scope::Scope;
use super::sums::{EVERY, Tally, Unit};
use crate::backend::services::plain_decimal;
use crate::domain::KpiDirection;
use crate::domain::compliance::ratio_of;
use crate::domain::stats::{percentile, quantile, ranks};
use crate::wire::benchmarks::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::collections::{BTreeMap, HashMap};

/// Each unit added to the groups it belongs to (an agreement belongs to
/// one group per boundary it crosses, and per life event it covers), by
/// group key.
pub(super) fn group(s: &Scope, units: HashMap<Unit, Tally>) -> BTreeMap<String, Tally> {
    let mut groups: BTreeMap<String, Tally> = BTreeMap::new();
    for ((a, key), unit) in units {
        let summary = s.kept.get(&a);
        if summary.is_none() && a != EVERY {
            continue;
        }
        for (group, label, label_fr) in group_keys(s, summary, key.as_deref()) {
            let t = groups.entry(group).or_default();
            t.label = label;
            t.label_fr = label_fr;
            t.add(&unit);
        }
    }
    groups
}

/// The groups (key, label and its French version) of a unit: its agreement (`None` across
/// agreements) and the grouping's column value. Units across agreements
/// are never grouped by an agreement's own attributes.
pub(super) fn group_keys(
    s: &Scope,
    summary: Option<&crate::wire::agreements::AgreementSummary>,
    key: Option<&str>,
) -> Vec<(String, String, Option<String>)> {
    let id_of = |k: Option<&str>| k.and_then(|k| k.parse::<i32>().ok());
    let org_of = |k: Option<&str>| id_of(k).and_then(|id| s.orgs.get(&id));
    let both = |k: &str| (k.to_owned(), k.to_owned(), None);
    match (s.group_by, summary) {
        (GroupBy::Agreement, Some(a)) => {
            vec![(a.reference.clone(), a.title.clone(), a.title_fr.clone())]
        }
        (GroupBy::Party, _) => vec![match org_of(key) {
            Some(o) => (o.code.clone(), o.name.clone(), o.name_fr.clone()),
            None => (key.unwrap_or_default().to_owned(), String::new(), None),
        }],
        (GroupBy::Structure, Some(a)) => vec![both(a.structure.as_str())],
        (GroupBy::Purpose, Some(a)) => vec![both(a.purpose.as_str())],
        (GroupBy::Boundary, Some(a)) if a.boundaries.is_empty() => vec![both("none")],
        (GroupBy::Boundary, Some(a)) => a.boundaries.iter().map(|b| both(b.as_str())).collect(),
        // An agreement covering no life event is in no group.
        (GroupBy::LifeEvent, Some(a)) => s
            .life_events_of
            .get(&a.id)
            .map(|events| {
                events
                    .iter()
                    .map(|e| (e.code.clone(), e.name.clone(), e.name_fr.clone()))
                    .collect()
            })
            .unwrap_or_default(),
        (GroupBy::JurisdictionLevel, _) => {
            let level = org_of(key)
                .and_then(|o| o.jurisdiction_id)
                .and_then(|j| s.jurisdictions.get(&j))
                .map_or("none", |j| j.level.as_str());
            vec![both(level)]
        }
        (GroupBy::Channel, _) => vec![both(key.unwrap_or("all"))],
        (GroupBy::Kpi, _) => match id_of(key).and_then(|id| s.kpi_by_id.get(&id)) {
            Some(k) => vec![(k.code.clone(), k.name.clone(), k.name_fr.clone())],
            None => Vec::new(),
        },
        (GroupBy::Period, _) => {
            let month: String = key.unwrap_or_default().chars().take(7).collect();
            vec![(month.clone(), month, None)]
        }
        // Labelled once the rows are chosen.
        (GroupBy::Commitment, Some(a)) => match id_of(key) {
            Some(id) => vec![(format!("{}#{id}", a.reference), String::new(), None)],
            None => Vec::new(),
        },
        (
            GroupBy::Agreement
            | GroupBy::Structure
            | GroupBy::Purpose
            | GroupBy::Boundary
            | GroupBy::LifeEvent
            | GroupBy::Commitment,
            None,
        ) => Vec::new(),
    }
}

/// The rows of the groups: counts, compliance rate, the KPI's value and
/// quartiles; grouped by agreement, ranked among peers (with one KPI by
/// its median in its direction, else by compliance rate).
pub(super) fn rows(s: &Scope, groups: BTreeMap<String, Tally>) -> Vec<BenchmarkRow> {
    let is_ratio = s.kpi.as_ref().is_some_and(|k| k.is_ratio);
    let stat = |values: &[Decimal], q: &str| {
        quantile(values, q.parse().unwrap_or_default()).map(|v| plain_decimal(v.round_dp(2)))
    };
    let mut rates: Vec<Option<Decimal>> = Vec::new();
    let mut items: Vec<BenchmarkRow> = groups
        .into_iter()
        .map(|(group, t)| {
            let judged = t.reported + t.missing;
            rates.push((judged > 0).then(|| Decimal::from(t.met) / Decimal::from(judged)));
            BenchmarkRow {
                group,
                label: t.label,
                label_fr: t.label_fr,
                reported: t.reported,
                met: t.met,
                breached: t.breached,
                missing: t.missing,
                compliance_rate: (judged > 0).then(|| {
                    (Decimal::from(t.met) / Decimal::from(judged))
                        .round_dp(4)
                        .to_f64()
                        .unwrap_or_default()
                }),
                value: if is_ratio {
                    ratio_of(&t.readings).map(|v| plain_decimal(v.round_dp(2)))
                } else {
                    stat(&t.values, "0.5")
                },
                median: stat(&t.values, "0.5"),
                p25: stat(&t.values, "0.25"),
                p75: stat(&t.values, "0.75"),
                rank: None,
                percentile: None,
            }
        })
        .collect();
    if s.group_by == GroupBy::Agreement {
        let (scores, higher): (Vec<Option<Decimal>>, bool) = match &s.kpi {
            Some(k) => (
                items
                    .iter()
                    .map(|r| r.median.as_deref().and_then(|m| m.parse().ok()))
                    .collect(),
                k.direction == KpiDirection::HigherIsBetter,
            ),
            None => (rates, true),
        };
        let n = items.len();
        for (row, rank) in items.iter_mut().zip(ranks(&scores, higher)) {
            row.rank = Some(rank);
            row.percentile = percentile(rank, n).to_f64();
        }
        items.sort_by_key(|r| (r.rank, r.group.clone()));
    }
    items
}

/// The `n` rows with the lowest compliance rate (then the most breaches),
/// worst first; rows with no rate are dropped.
pub(super) fn keep_worst(items: &mut Vec<BenchmarkRow>, n: u32) {
    items.retain(|r| r.compliance_rate.is_some());
    items.sort_by(|a, b| {
        a.compliance_rate
            .partial_cmp(&b.compliance_rate)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(b.breached.cmp(&a.breached))
            .then_with(|| a.group.cmp(&b.group))
    });
    items.truncate(usize::try_from(n).unwrap_or(usize::MAX));
}

/// The page asked for.
pub(super) fn page(
    items: Vec<BenchmarkRow>,
    offset: Option<u64>,
    limit: Option<u64>,
) -> Vec<BenchmarkRow> {
    let total = items.len();
    let offset = usize::try_from(offset.unwrap_or(0)).unwrap_or(usize::MAX);
    let limit = limit.map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX));
    if offset > 0 || limit < total {
        items.into_iter().skip(offset).take(limit).collect()
    } else {
        items
    }
}

/// Each commitment's KPI and party as its label, for the rows kept.
pub(super) fn label_commitments(
    s: &Scope,
    commitment_of: &HashMap<i32, (i32, i32)>,
    items: &mut [BenchmarkRow],
) {
    let id_of = |group: &str| {
        group
            .rsplit('#')
            .next()
            .and_then(|id| id.parse::<i32>().ok())
    };
    for r in items {
        if let Some((k, o)) = id_of(&r.group).and_then(|id| commitment_of.get(&id)) {
            let (kpi, org) = (s.kpi_by_id.get(k), s.orgs.get(o));
            let kpi_name = kpi.map_or("", |k| k.name.as_str());
            let org_name = org.map_or("", |o| o.name.as_str());
            r.label = format!("{kpi_name} — {org_name}");
            // In French when either name has a French version.
            let kpi_fr = kpi.and_then(|k| k.name_fr.as_deref());
            let org_fr = org.and_then(|o| o.name_fr.as_deref());
            if kpi_fr.is_some() || org_fr.is_some() {
                r.label_fr = Some(format!(
                    "{} — {}",
                    kpi_fr.unwrap_or(kpi_name),
                    org_fr.unwrap_or(org_name)
                ));
            }
        }
    }
}
