//! The Tell Us Once demo (issue 21): `seed` loads a Tell-Us-Once agreement
//! with three years of notices passed on to the parties told, its
//! propagation terms as part of version 1 of its terms, the holidays of
//! its jurisdictions (real days, never moved), and the monthly values of
//! the derived KPIs, computed from the deliveries. On SQLite and (with
//! `TEST_DATABASE_URL`) PostgreSQL.

use crate::common::{databases, fixtures_copy, fixtures_dir, sqlite_database, test_today};
use app::backend::entities::{
    agreement, agreement_version, commitment, holiday, jurisdiction, kpi, life_event,
    life_event_delivery, life_event_notice, organisation, service_level_report,
};
use app::backend::fixtures::{self, FixtureError};
use app::domain::propagation::{ACKNOWLEDGED_KPI, ACTED_KPI, Delivery, Targets, WorkingCalendar};
use chrono::{Datelike, NaiveDate};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use std::collections::{BTreeMap, HashMap};

const TELL_US_ONCE: &str = "AGR-2023-0006";

async fn org_ids(db: &DatabaseConnection) -> HashMap<String, i32> {
    organisation::Entity::find()
        .all(db)
        .await
        .expect("organisations")
        .into_iter()
        .map(|o| (o.code, o.id))
        .collect()
}

/// The days of `jurisdiction`'s holidays.
async fn holidays_of(db: &DatabaseConnection, jurisdiction: &str) -> Vec<NaiveDate> {
    let j = jurisdiction::Entity::find()
        .filter(jurisdiction::Column::Code.eq(jurisdiction))
        .one(db)
        .await
        .expect("jurisdiction")
        .expect("a jurisdiction");
    holiday::Entity::find()
        .filter(holiday::Column::JurisdictionId.eq(j.id))
        .all(db)
        .await
        .expect("holidays")
        .into_iter()
        .map(|h| h.day)
        .collect()
}

#[tokio::test]
async fn the_demo_holds_three_years_of_notices_passed_on_and_measured() {
    let today = test_today();
    let this_month = today.with_day(1).expect("first of the month");
    for t in databases().await {
        let db = &t.db;
        fixtures::seed(db, &fixtures_dir(), today)
            .await
            .unwrap_or_else(|e| panic!("{}: seed: {e}", t.name));
        let a = agreement::Entity::find()
            .filter(agreement::Column::Reference.eq(TELL_US_ONCE))
            .one(db)
            .await
            .expect("agreement")
            .expect("the Tell Us Once agreement");
        let orgs = org_ids(db).await;
        let code_of: HashMap<i32, &str> = orgs.iter().map(|(c, id)| (*id, c.as_str())).collect();
        let events: HashMap<i32, String> = life_event::Entity::find()
            .all(db)
            .await
            .expect("life events")
            .into_iter()
            .map(|e| (e.id, e.code))
            .collect();

        // Version 1 of its terms holds the propagation terms.
        let v1 = agreement_version::Entity::find()
            .filter(agreement_version::Column::AgreementId.eq(a.id))
            .one(db)
            .await
            .expect("version")
            .expect("version 1");
        let terms = &v1.terms["propagation"];
        assert_eq!(
            terms.as_array().map(Vec::len),
            Some(2),
            "{}: {terms}",
            t.name
        );

        // Three years of notices, received by Leeds, none in today's month.
        let notices = life_event_notice::Entity::find()
            .filter(life_event_notice::Column::AgreementId.eq(a.id))
            .all(db)
            .await
            .expect("notices");
        assert!(notices.len() >= 6 * 36, "{}: {}", t.name, notices.len());
        let first = notices
            .iter()
            .map(|n| n.received_on)
            .min()
            .expect("a notice");
        let last = notices
            .iter()
            .map(|n| n.received_on)
            .max()
            .expect("a notice");
        assert!(
            (last - first).num_days() >= 3 * 365 - 31,
            "{first} to {last}"
        );
        assert!(
            first >= a.starts_on && last < this_month,
            "{first} to {last}"
        );
        assert!(
            notices
                .iter()
                .all(|n| n.intake_id == orgs["LEEDS"] && n.recorded_by.is_none()),
            "{}",
            t.name
        );
        let months_with_notices: std::collections::BTreeSet<(i32, u32)> = notices
            .iter()
            .map(|n| (n.received_on.year(), n.received_on.month()))
            .collect();
        assert!(months_with_notices.len() >= 36, "{}", t.name);

        // One delivery per party told: deaths to DWP, GRO and HMRC, births
        // to DWP and HMRC; its dates in order, none in today's month.
        let deliveries = life_event_delivery::Entity::find()
            .filter(life_event_delivery::Column::AgreementId.eq(a.id))
            .all(db)
            .await
            .expect("deliveries");
        let mut told: HashMap<i32, Vec<&str>> = HashMap::new();
        for d in &deliveries {
            told.entry(d.notice_id)
                .or_default()
                .push(code_of[&d.organisation_id]);
            for day in [d.acknowledged_on, d.acted_on, d.declined_on]
                .into_iter()
                .flatten()
            {
                assert!(day >= d.received_on && day < this_month, "{d:?}");
            }
            if let Some(done) = d.acted_on.or(d.declined_on) {
                assert!(d.acknowledged_on.is_some_and(|k| k <= done), "{d:?}");
            }
            assert_eq!(d.acted_on.is_some(), d.outcome.is_some(), "{d:?}");
            assert_eq!(d.declined_on.is_some(), d.decline_reason.is_some(), "{d:?}");
        }
        for n in &notices {
            let mut parties = told.remove(&n.id).unwrap_or_default();
            parties.sort_unstable();
            let expected: &[&str] = match events[&n.life_event_id].as_str() {
                "death" => &["DWP", "GRO", "HMRC"],
                "birth_of_child" => &["DWP", "HMRC"],
                other => panic!("a notice of {other}"),
            };
            assert_eq!(parties, expected, "{}: {}", t.name, n.case_reference);
        }
        assert!(told.is_empty(), "{}: deliveries without a notice", t.name);
        let declined = deliveries
            .iter()
            .filter(|d| d.declined_on.is_some())
            .count();
        assert!(declined >= 5, "{}: {declined} declined", t.name);
        let open = deliveries
            .iter()
            .filter(|d| d.acted_on.is_none() && d.declined_on.is_none())
            .count();
        assert!(open >= 1, "{}: nothing left open", t.name);

        // Holidays are real days: Christmas of this year in Great Britain.
        let gb = holidays_of(db, "GB").await;
        let christmas = NaiveDate::from_ymd_opt(today.year(), 12, 25).expect("a day");
        assert!(gb.contains(&christmas), "{}: {gb:?}", t.name);

        // Each party told has a derived value for every month of notices,
        // reported by nobody, and it is the share of its deliveries in
        // target, counted here by hand with the working days of Great
        // Britain.
        let cal = WorkingCalendar::new(gb);
        let kpis: HashMap<i32, String> = kpi::Entity::find()
            .all(db)
            .await
            .expect("kpis")
            .into_iter()
            .map(|k| (k.id, k.code))
            .collect();
        let derived: Vec<commitment::Model> = commitment::Entity::find()
            .filter(commitment::Column::AgreementId.eq(a.id))
            .all(db)
            .await
            .expect("commitments")
            .into_iter()
            .filter(|c| [ACKNOWLEDGED_KPI, ACTED_KPI].contains(&kpis[&c.kpi_id].as_str()))
            .collect();
        let mut parties: Vec<&str> = derived
            .iter()
            .map(|c| code_of[&c.organisation_id])
            .collect();
        parties.sort_unstable();
        assert_eq!(parties, ["DWP", "DWP", "GRO", "GRO", "HMRC", "HMRC"]);
        for c in &derived {
            let acted = kpis[&c.kpi_id] == ACTED_KPI;
            let reports = service_level_report::Entity::find()
                .filter(service_level_report::Column::CommitmentId.eq(c.id))
                .all(db)
                .await
                .expect("reports");
            assert!(reports.len() >= 36, "{}: {}", t.name, kpis[&c.kpi_id]);
            let mut by_month: BTreeMap<String, (u32, u32)> = BTreeMap::new();
            for d in deliveries
                .iter()
                .filter(|d| d.organisation_id == c.organisation_id)
            {
                let delivery = Delivery {
                    received_on: d.received_on,
                    acknowledged_on: d.acknowledged_on,
                    acted_on: d.acted_on,
                    declined_on: d.declined_on,
                };
                let targets = Targets {
                    acknowledge_days: u32::try_from(d.acknowledge_days).expect("days"),
                    act_days: u32::try_from(d.act_days).expect("days"),
                };
                let judged = if acted {
                    delivery.acted_in_target(targets, &cal, today)
                } else {
                    delivery.acknowledged_in_target(targets, &cal, today)
                };
                if let Some(met) = judged {
                    let month = by_month
                        .entry(d.received_on.format("%Y-%m").to_string())
                        .or_default();
                    month.0 += u32::from(met);
                    month.1 += 1;
                }
            }
            for r in &reports {
                assert!(r.submitted_by.is_none() && r.revision == 1, "{r:?}");
                let (met, judged) = by_month[&r.period];
                assert_eq!(
                    (r.numerator.map(|n| n.0), r.denominator.map(|n| n.0)),
                    (Some(met.into()), Some(judged.into())),
                    "{}: {} {}",
                    t.name,
                    kpis[&c.kpi_id],
                    r.period
                );
            }
            assert_eq!(reports.len(), by_month.len(), "{}: a value a month", t.name);
        }
        // Somebody missed a target somewhere: the comparison is not flat.
        let missed = service_level_report::Entity::find()
            .filter(service_level_report::Column::CommitmentId.is_in(derived.iter().map(|c| c.id)))
            .all(db)
            .await
            .expect("reports")
            .iter()
            .filter(|r| r.numerator != r.denominator)
            .count();
        assert!(missed >= 10, "{}: {missed} months with a miss", t.name);
    }
}

#[tokio::test]
async fn holidays_keep_their_real_days_whatever_the_day_the_demo_is_seeded() {
    let later = test_today() + chrono::Months::new(7);
    let t = sqlite_database().await;
    fixtures::seed(&t.db, &fixtures_dir(), later)
        .await
        .expect("seed");
    let gb = holidays_of(&t.db, "GB").await;
    for day in ["2022-06-03", "2026-12-25", "2026-12-28", "2032-12-27"] {
        let day: NaiveDate = day.parse().expect("a day");
        assert!(gb.contains(&day), "{day} is not a GB holiday: {gb:?}");
    }
    // The notices moved with the rest: none in the month seeded in.
    let first_of_month = later.with_day(1).expect("first");
    let latest = life_event_notice::Entity::find()
        .all(&t.db)
        .await
        .expect("notices")
        .into_iter()
        .map(|n| n.received_on)
        .max()
        .expect("notices");
    assert!(latest < first_of_month && latest >= first_of_month - chrono::Days::new(31));
}

/// A case reference that reads like personal data is refused with the
/// API's words, on its file, line and column, and nothing is written.
#[tokio::test]
async fn a_notice_that_names_personal_data_is_refused_and_nothing_is_written() {
    let dir = fixtures_copy();
    let path = dir.join("life_event_notices.csv");
    let text = std::fs::read_to_string(&path).expect("read");
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let reference = lines[1].rsplit(',').next().expect("a case").to_owned();
    lines[1] = lines[1].replacen(&reference, "LS11UR", 1);
    std::fs::write(&path, lines.join("\n") + "\n").expect("write");
    let t = sqlite_database().await;
    match fixtures::seed(&t.db, &dir, test_today()).await {
        Err(FixtureError::Problems(p)) => {
            assert_eq!(p.len(), 1, "{p:?}");
            assert!(p[0].file.ends_with("life_event_notices.csv"), "{}", p[0]);
            assert_eq!((p[0].line, p[0].column.as_str()), (2, "case_reference"));
            assert!(p[0].message.contains("never personal data"), "{}", p[0]);
        }
        other => panic!("expected a problem, got {other:?}"),
    }
    assert_eq!(crate::common::count(&t.db, "agreements").await, 0);
    assert_eq!(crate::common::count(&t.db, "holidays").await, 0);
}

/// A delivery to a party the term does not tell is refused.
#[tokio::test]
async fn a_delivery_to_a_party_not_told_is_refused() {
    let dir = fixtures_copy();
    let path = dir.join("life_event_deliveries.csv");
    let text = std::fs::read_to_string(&path).expect("read");
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    assert!(lines[1].contains(",DWP,"), "{}", lines[1]);
    lines[1] = lines[1].replacen(",DWP,", ",CITADV,", 1);
    std::fs::write(&path, lines.join("\n") + "\n").expect("write");
    let t = sqlite_database().await;
    match fixtures::seed(&t.db, &dir, test_today()).await {
        Err(FixtureError::Problems(p)) => {
            assert!(
                p.iter()
                    .any(|p| p.file.ends_with("life_event_deliveries.csv")
                        && p.line == 2
                        && p.column == "organisation_code"
                        && p.message.contains("does not tell this organisation")),
                "{p:?}"
            );
        }
        other => panic!("expected a problem, got {other:?}"),
    }
    assert_eq!(crate::common::count(&t.db, "life_event_notices").await, 0);
}
