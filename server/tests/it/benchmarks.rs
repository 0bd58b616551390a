//! Benchmarks through the API (DOMAIN.md §5), checked against the
//! compliance view of each agreement and against hand-computed medians —
//! on SQLite and PostgreSQL.

use crate::common::{get_as, login, seeded_databases, spawn, who};
use serde_json::{Value, json};

fn period_in_2025(p: &str) -> bool {
    p.starts_with("2025")
}

#[tokio::test]
async fn benchmarks_by_agreement_match_each_agreements_compliance() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let token = login(&base, who::OVERSIGHT).await;
        // A change awaiting approval must not change how 2025 is judged:
        // AGR-2023-0001's wait-time target moves from 15 to 1 minutes.
        let manager = login(&base, who::MANAGER_SC).await;
        let (_, list) = get_as(
            &format!("{base}/api/v1/agreements?q=AGR-2023-0001"),
            Some(&manager),
        )
        .await;
        let id = list["items"][0]["id"].as_i64().unwrap();
        let (_, a) = get_as(&format!("{base}/api/v1/agreements/{id}"), Some(&manager)).await;
        let c = a["commitments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["kpi"] == "in_person_wait_min")
            .cloned()
            .unwrap();
        let r = crate::common::client()
            .put(format!(
                "{base}/api/v1/agreements/{id}/commitments/{}",
                c["id"]
            ))
            .bearer_auth(&manager)
            .json(
                &json!({"organisation_id": c["organisation_id"], "kpi": "in_person_wait_min",
                "target": "1", "warning_band": "0", "channel": "in_person", "frequency": "monthly",
                "effective_from": c["effective_from"]}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let (s, b) = get_as(
            &format!("{base}/api/v1/benchmarks?group_by=agreement&from=2025-01&to=2025-12"),
            Some(&token),
        )
        .await;
        assert_eq!(s, 200, "{}: {b}", t.name);
        assert_eq!(b["from"], "2025-01-01");
        assert_eq!(b["to"], "2025-12-31");
        let items = b["items"].as_array().unwrap();
        assert!(items.len() >= 5, "{b}");
        // Each agreement's counts are its compliance view's, over 2025.
        let (_, list) = get_as(&format!("{base}/api/v1/agreements?limit=100"), Some(&token)).await;
        for row in items {
            let reference = row["group"].as_str().unwrap();
            let id = list["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|a| a["reference"] == reference)
                .unwrap()["id"]
                .as_i64()
                .unwrap();
            let (_, c) = get_as(
                &format!("{base}/api/v1/agreements/{id}/compliance"),
                Some(&token),
            )
            .await;
            let in_range: Vec<&Value> = c["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|i| period_in_2025(i["period"].as_str().unwrap()))
                .collect();
            let count = |statuses: &[&str]| {
                in_range
                    .iter()
                    .filter(|i| statuses.contains(&i["status"].as_str().unwrap()))
                    .count() as u64
            };
            assert_eq!(
                row["reported"],
                count(&["met", "at_risk", "breached"]),
                "{reference}"
            );
            assert_eq!(row["met"], count(&["met"]), "{reference}");
            assert_eq!(row["missing"], count(&["missing"]), "{reference}");
            let judged = count(&["met", "at_risk", "breached", "missing"]);
            if judged > 0 {
                let rate = row["compliance_rate"].as_f64().unwrap();
                let expected = count(&["met"]) as f64 / judged as f64;
                assert!(
                    (rate - expected).abs() < 0.0001,
                    "{reference}: {rate} vs {expected}"
                );
            }
        }
        // Ranked best first, ties sharing a rank; percentiles from 100 down.
        let rates: Vec<f64> = items
            .iter()
            .map(|r| r["compliance_rate"].as_f64().unwrap_or(-1.0))
            .collect();
        assert!(rates.windows(2).all(|w| w[0] >= w[1]), "{rates:?}");
        assert_eq!(items[0]["rank"], 1);
        assert_eq!(items[0]["percentile"], 100.0);
        for w in items.windows(2) {
            if w[0]["compliance_rate"] == w[1]["compliance_rate"] {
                assert_eq!(w[0]["rank"], w[1]["rank"]);
            }
        }
    }
}

#[tokio::test]
async fn benchmarks_come_a_page_at_a_time_with_the_total_and_ranks_among_all() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let token = login(&base, who::OVERSIGHT).await;
        let q = format!("{base}/api/v1/benchmarks?group_by=agreement&from=2025-01&to=2025-12");
        let (s, all) = get_as(&q, Some(&token)).await;
        assert_eq!(s, 200, "{}: {all}", t.name);
        let items = all["items"].as_array().unwrap();
        assert!(items.len() >= 4, "{}: {all}", t.name);
        assert_eq!(all["total"], items.len(), "{}", t.name);

        let (s, page) = get_as(&format!("{q}&limit=2&offset=1"), Some(&token)).await;
        assert_eq!(s, 200, "{}: {page}", t.name);
        assert_eq!(page["total"], items.len(), "{}", t.name);
        assert_eq!(
            page["items"].as_array().unwrap(),
            &items[1..3],
            "{}",
            t.name
        );
        // Ranks stay those among every agreement.
        assert_eq!(page["items"][0]["rank"], items[1]["rank"], "{}", t.name);

        let (s, past) = get_as(&format!("{q}&offset=1000"), Some(&token)).await;
        assert_eq!(s, 200, "{}: {past}", t.name);
        assert_eq!(past["items"], json!([]), "{}", t.name);
        assert_eq!(past["total"], items.len(), "{}", t.name);

        for bad in ["limit=0", "limit=1001"] {
            let (s, b) = get_as(&format!("{q}&{bad}"), Some(&token)).await;
            assert_eq!(s, 422, "{}: {bad}: {b}", t.name);
            assert_eq!(
                b["error"]["details"][0]["field"], "limit",
                "{}: {b}",
                t.name
            );
        }
        let (s, b) = get_as(&format!("{q}&limit=ten"), Some(&token)).await;
        assert_eq!(s, 400, "{}: {b}", t.name);
    }
}

#[tokio::test]
async fn one_kpi_gives_its_median_and_quartiles_and_groups_can_change() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let token = login(&base, who::OVERSIGHT).await;
        let (s, b) = get_as(
            &format!("{base}/api/v1/benchmarks?group_by=agreement&kpi=in_person_wait_min&from=2025-01&to=2025-12"),
            Some(&token),
        )
        .await;
        assert_eq!(s, 200, "{}: {b}", t.name);
        let row = b["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["group"] == "AGR-2023-0001")
            .cloned()
            .expect("AGR-2023-0001 has a wait-time commitment");
        // By hand: the twelve monthly values of 2025, sorted; the median is
        // the mean of the sixth and seventh.
        let (_, list) = get_as(
            &format!("{base}/api/v1/agreements?q=AGR-2023-0001"),
            Some(&token),
        )
        .await;
        let id = list["items"][0]["id"].as_i64().unwrap();
        let (_, a) = get_as(&format!("{base}/api/v1/agreements/{id}"), Some(&token)).await;
        let c = a["commitments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["kpi"] == "in_person_wait_min")
            .unwrap()["id"]
            .clone();
        let (_, comp) = get_as(
            &format!("{base}/api/v1/agreements/{id}/compliance"),
            Some(&token),
        )
        .await;
        let mut values: Vec<f64> = comp["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["commitment_id"] == c && period_in_2025(i["period"].as_str().unwrap()))
            .filter_map(|i| i["value"].as_str().map(|v| v.parse::<f64>().unwrap()))
            .collect();
        values.sort_by(f64::total_cmp);
        assert_eq!(values.len(), 12);
        let median = (values[5] + values[6]) / 2.0;
        assert!(
            (row["median"].as_str().unwrap().parse::<f64>().unwrap() - median).abs() < 0.006,
            "{row} vs {median}"
        );
        let p25: f64 = row["p25"].as_str().unwrap().parse().unwrap();
        let p75: f64 = row["p75"].as_str().unwrap().parse().unwrap();
        assert!(p25 <= median && median <= p75);
        // Lower is better: the best median ranks first.
        let medians: Vec<f64> = b["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r["median"].as_str().map(|m| m.parse::<f64>().unwrap()))
            .collect();
        assert!(medians.windows(2).all(|w| w[0] <= w[1]), "{medians:?}");

        // Other groupings, and the CSV.
        for g in [
            "party",
            "structure",
            "purpose",
            "boundary",
            "jurisdiction_level",
            "channel",
            "life_event",
            "kpi",
        ] {
            let (s, b) = get_as(
                &format!("{base}/api/v1/benchmarks?group_by={g}"),
                Some(&token),
            )
            .await;
            assert_eq!(s, 200, "{g}: {b}");
            assert!(!b["items"].as_array().unwrap().is_empty(), "{g}");
            assert!(b["items"][0].get("rank").is_none(), "{g}");
        }
        let r = crate::common::client()
            .get(format!("{base}/api/v1/benchmarks.csv?group_by=structure"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert!(r.text().await.unwrap().starts_with(
            "group,label,label_fr,reported,met,breached,missing,compliance_rate,value"
        ));
        // Both languages: each label beside its French version.
        let text = crate::common::client()
            .get(format!("{base}/api/v1/benchmarks.csv?group_by=kpi"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let mut rows = csv::Reader::from_reader(text.as_bytes());
        let records: Vec<csv::StringRecord> = rows.records().map(|r| r.expect("row")).collect();
        let calls = records
            .iter()
            .find(|r| &r[0] == "calls_answered_in_target_pct")
            .expect("a row per KPI");
        assert_eq!(&calls[1], "Calls answered within the target time");
        assert_eq!(&calls[2], "Appels répondus dans le délai cible");
        // Bad input, and roles that do not benchmark.
        let (s, _) = get_as(
            &format!("{base}/api/v1/benchmarks?group_by=colour"),
            Some(&token),
        )
        .await;
        assert_eq!(s, 400);
        let (s, e) = get_as(
            &format!("{base}/api/v1/benchmarks?kpi=happiness"),
            Some(&token),
        )
        .await;
        assert_eq!(
            (s, e["error"]["details"][0]["field"].clone()),
            (422, json!("kpi"))
        );
        let (s, _) = get_as(
            &format!("{base}/api/v1/benchmarks?from=2026-13"),
            Some(&token),
        )
        .await;
        assert_eq!(s, 422);
        let reporter = login(&base, who::REPORTER_ACCESSNS).await;
        let (s, _) = get_as(&format!("{base}/api/v1/benchmarks"), Some(&reporter)).await;
        assert_eq!(s, 403);
    }
}

#[tokio::test]
async fn a_ratio_kpi_aggregates_as_the_sum_of_numerators_over_the_sum_of_denominators() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let manager = login(&base, who::MANAGER_SC).await;
        let (_, orgs) = get_as(
            &format!("{base}/api/v1/organisations?limit=1000"),
            Some(&manager),
        )
        .await;
        let org = |code: &str| {
            orgs["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|o| o["code"] == code)
                .unwrap()["id"]
                .clone()
        };
        let client = crate::common::client();
        let post = |token: String, path: String, body: Value| {
            let client = client.clone();
            let base = base.clone();
            async move {
                let r = client
                    .post(format!("{base}{path}"))
                    .bearer_auth(token)
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                let s = r.status().as_u16();
                (s, r.json::<Value>().await.unwrap_or(Value::Null))
            }
        };
        let (s, a) = post(
            manager.clone(),
            "/api/v1/agreements".into(),
            json!({
            "title": "Ratio test", "purpose": "single_window", "structure": "shared",
            "partnership_type": "collaborative", "starts_on": "2025-01-01", "ends_on": "2027-12-31",
            "currency": "CAD",
            "parties": [{"organisation_id": org("SC"), "role": "lead"},
                        {"organisation_id": org("ACCESSNS"), "role": "partner"},
                        {"organisation_id": org("CPC"), "role": "partner"}]}),
        )
        .await;
        assert_eq!(s, 201, "{}: {a}", t.name);
        let id = a["id"].as_i64().unwrap();
        let commitment = |who: &str| {
            json!({"organisation_id": org(who), "kpi": "calls_answered_in_target_pct",
            "target": "80", "warning_band": "5", "frequency": "monthly", "effective_from": "2025-01-01"})
        };
        let (s, c1) = post(
            manager.clone(),
            format!("/api/v1/agreements/{id}/commitments"),
            commitment("ACCESSNS"),
        )
        .await;
        assert_eq!(s, 201, "{c1}");
        let (s, c2) = post(
            manager.clone(),
            format!("/api/v1/agreements/{id}/commitments"),
            commitment("CPC"),
        )
        .await;
        assert_eq!(s, 201, "{c2}");
        // 90 of 100 calls, and 10 of 100,000.
        let r1 = login(&base, who::REPORTER_ACCESSNS).await;
        let (s, _) = post(r1, "/api/v1/reports".into(), json!({"commitment_id": c1["id"], "period": "2025-06", "numerator": 90, "denominator": 100})).await;
        assert_eq!(s, 201);
        let r2 = login(&base, "reporter@canadapost.example").await;
        let (s, _) = post(r2, "/api/v1/reports".into(), json!({"commitment_id": c2["id"], "period": "2025-06", "numerator": 10, "denominator": 100000})).await;
        assert_eq!(s, 201);

        let token = login(&base, who::OVERSIGHT).await;
        let (s, b) = get_as(
            &format!("{base}/api/v1/benchmarks?group_by=period&kpi=calls_answered_in_target_pct&from=2025-06&to=2025-06&status=draft"),
            Some(&token),
        )
        .await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["items"].as_array().unwrap().len(), 1, "{b}");
        let row = &b["items"][0];
        assert_eq!(row["group"], "2025-06");
        // 100 × (90 + 10) / (100 + 100,000) = 0.0999 %, not the mean 45 %.
        assert_eq!(row["value"], "0.1");
        // The median, 45.005, shown to two decimals (half to even).
        assert_eq!(row["median"], "45");
        assert_eq!(row["reported"], 2);
        assert_eq!(row["met"], 1);
        assert_eq!(row["breached"], 1);
        assert_eq!(row["compliance_rate"], 0.5);
    }
}

#[tokio::test]
async fn channel_costs_follow_the_weights_in_force_per_currency() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let manager = login(&base, who::MANAGER_SC).await;
        let (_, orgs) = get_as(
            &format!("{base}/api/v1/organisations?limit=1000"),
            Some(&manager),
        )
        .await;
        let org = |code: &str| {
            orgs["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|o| o["code"] == code)
                .unwrap()["id"]
                .clone()
        };
        let client = crate::common::client();
        let send = |method: reqwest::Method, path: String, body: Value| {
            let client = client.clone();
            let base = base.clone();
            let token = manager.clone();
            async move {
                let r = client
                    .request(method, format!("{base}{path}"))
                    .bearer_auth(token)
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                let s = r.status().as_u16();
                (s, r.json::<Value>().await.unwrap_or(Value::Null))
            }
        };
        // A New Zealand-dollar agreement: alone in its currency.
        let (s, a) = send(
            reqwest::Method::POST,
            "/api/v1/agreements".into(),
            json!({
            "title": "Channel test", "purpose": "single_window", "structure": "shared",
            "partnership_type": "collaborative", "starts_on": "2025-01-01", "ends_on": "2027-12-31",
            "currency": "NZD",
            "parties": [{"organisation_id": org("SC"), "role": "lead"},
                        {"organisation_id": org("NS-CS"), "role": "partner"}]}),
        )
        .await;
        assert_eq!(s, 201, "{}: {a}", t.name);
        let id = a["id"].as_i64().unwrap();
        let (s, _) = send(
            reqwest::Method::PUT,
            format!("/api/v1/agreements/{id}/cost-model"),
            json!({
            "model": {"kind": "proportional", "channel_weights": {"in_person": "8", "online": "1"},
                      "lines": [{"organisation_id": org("SC")}, {"organisation_id": org("NS-CS")}]},
            "version": 1, "change_summary": "Weights"}),
        )
        .await;
        assert_eq!(s, 200);
        for (channel, count) in [("in_person", 100), ("online", 800)] {
            let (s, v) = send(reqwest::Method::POST, format!("/api/v1/agreements/{id}/volumes"),
                json!({"period": "2025-01", "channel": channel, "organisation_id": org("SC"), "count": count})).await;
            assert_eq!(s, 201, "{v}");
        }
        let (s, _) = send(reqwest::Method::POST, format!("/api/v1/agreements/{id}/cost-entries"),
            json!({"period": "2025-01", "kind": "actual", "category": "staff", "amount": "1600.00", "organisation_id": org("SC")})).await;
        assert_eq!(s, 201);

        // 1,600.00 over 100 × 8 + 800 × 1 weighted transactions: 800.00 each
        // way, 8.00 per counter transaction and 1.00 online.
        let token = login(&base, who::OVERSIGHT).await;
        let (s, rows) = get_as(
            &format!("{base}/api/v1/benchmarks/channels?from=2025-01-01&to=2025-01-31"),
            Some(&token),
        )
        .await;
        assert_eq!(s, 200, "{rows}");
        let nzd: Vec<&Value> = rows
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["currency"] == "NZD")
            .collect();
        assert_eq!(nzd.len(), 2, "{rows}");
        let at = |ch: &str| {
            nzd.iter()
                .find(|r| r["channel"] == ch)
                .copied()
                .unwrap()
                .clone()
        };
        assert_eq!(at("in_person")["cost"], "800.00");
        assert_eq!(at("in_person")["cost_per_transaction"], "8.00");
        assert_eq!(at("online")["cost_per_transaction"], "1.00");
        assert_eq!(at("online")["share"], 0.8889);
        // Money is never added across currencies: CAD has its own rows.
        assert!(
            rows.as_array()
                .unwrap()
                .iter()
                .any(|r| r["currency"] == "CAD")
        );
    }
}

/// Every kept result, in order: commitment, period, revision, status, due
/// date and value.
async fn results(
    db: &sea_orm::DatabaseConnection,
) -> Vec<(i32, String, i32, String, String, Option<String>)> {
    use app::backend::entities::commitment_period;
    use sea_orm::{EntityTrait, QueryOrder};
    commitment_period::Entity::find()
        .order_by_asc(commitment_period::Column::CommitmentId)
        .order_by_asc(commitment_period::Column::Period)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            (
                r.commitment_id,
                r.period,
                r.revision,
                r.status,
                r.due_on.to_string(),
                r.value.map(|v| v.0.normalize().to_string()),
            )
        })
        .collect()
}

/// The totals kept by agreement and by party, KPI and channel are the sums
/// of the rows, and their latest due dates are no earlier than the rows'.
async fn check_totals(db: &sea_orm::DatabaseConnection, name: &str) {
    use app::backend::entities::{
        agreement_period_total, commitment_period, dimension_period_total,
    };
    use chrono::NaiveDate;
    use sea_orm::EntityTrait;
    use std::collections::BTreeMap;
    type Sums = BTreeMap<(String, String, NaiveDate, NaiveDate), ([i64; 4], NaiveDate)>;
    let mut want: Sums = BTreeMap::new();
    for r in commitment_period::Entity::find().all(db).await.unwrap() {
        let flags = [r.met, r.at_risk, r.breached, r.unreported].map(i64::from);
        for (dimension, key) in [
            ("agreement", r.agreement_id.to_string()),
            ("organisation", r.organisation_id.to_string()),
            ("kpi", r.kpi_id.to_string()),
            ("channel", r.channel.clone().unwrap_or_default()),
        ] {
            let slot = want
                .entry((dimension.into(), key, r.period_start, r.period_end))
                .or_insert(([0; 4], r.due_on));
            for (total, f) in slot.0.iter_mut().zip(flags) {
                *total += f;
            }
            slot.1 = slot.1.max(r.due_on);
        }
    }
    let mut kept: Sums = BTreeMap::new();
    for t in agreement_period_total::Entity::find()
        .all(db)
        .await
        .unwrap()
    {
        let flags = [t.met, t.at_risk, t.breached, t.unreported].map(i64::from);
        kept.insert(
            (
                "agreement".into(),
                t.agreement_id.to_string(),
                t.period_start,
                t.period_end,
            ),
            (flags, t.max_due_on),
        );
    }
    for t in dimension_period_total::Entity::find()
        .all(db)
        .await
        .unwrap()
    {
        let flags = [t.met, t.at_risk, t.breached, t.unreported].map(i64::from);
        kept.insert(
            (t.dimension, t.key, t.period_start, t.period_end),
            (flags, t.max_due_on),
        );
    }
    // Totals whose rows all went elsewhere stay behind at zero.
    kept.retain(|_, (f, _)| f.iter().any(|n| *n != 0));
    want.retain(|_, (f, _)| f.iter().any(|n| *n != 0));
    assert_eq!(
        kept.iter()
            .map(|(k, (f, _))| (k.clone(), *f))
            .collect::<Vec<_>>(),
        want.iter()
            .map(|(k, (f, _))| (k.clone(), *f))
            .collect::<Vec<_>>(),
        "{name}"
    );
    for (k, (_, due)) in &want {
        assert!(kept[k].1 >= *due, "{name}: {k:?}");
    }
}

#[tokio::test]
async fn results_kept_with_each_report_and_change_of_terms_match_judging_afresh() {
    for t in seeded_databases().await {
        let db = t.db.clone();
        let base = spawn(t.db.clone()).await;
        let exec = login(&base, who::OVERSIGHT).await;
        let reporter = login(&base, "reporter@canadapost.example").await;
        let (_, owed) = get_as(&format!("{base}/api/v1/reports/due"), Some(&reporter)).await;
        let missing: Vec<Value> = owed["missing"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["is_ratio"] == false)
            .cloned()
            .collect();
        assert!(missing.len() >= 2, "{}: {owed}", t.name);
        let item = &missing[0];
        let group = format!(
            "{}#{}",
            item["reference"].as_str().unwrap(),
            item["commitment_id"]
        );
        let row_of = |b: &Value| {
            b["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["group"] == group.as_str())
                .cloned()
                .unwrap_or(Value::Null)
        };
        let q = format!("{base}/api/v1/benchmarks?group_by=commitment&from=2000-01");
        let (_, before) = get_as(&q, Some(&exec)).await;
        let before = row_of(&before);
        assert!(
            before["missing"].as_u64().unwrap() >= 1,
            "{}: {before}",
            t.name
        );

        // A new report counts in the very next request, its correction
        // replaces it rather than adding to it.
        let r = crate::common::client()
            .post(format!("{base}/api/v1/reports"))
            .bearer_auth(&reporter)
            .json(&json!({"commitment_id": item["commitment_id"], "period": item["period"], "value": "1"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{}", t.name);
        let (_, after) = get_as(&q, Some(&exec)).await;
        let after = row_of(&after);
        assert_eq!(
            after["reported"],
            before["reported"].as_u64().unwrap() + 1,
            "{}",
            t.name
        );
        assert_eq!(
            after["missing"],
            before["missing"].as_u64().unwrap() - 1,
            "{}",
            t.name
        );
        let r = crate::common::client()
            .post(format!("{base}/api/v1/reports"))
            .bearer_auth(&reporter)
            .json(&json!({"commitment_id": item["commitment_id"], "period": item["period"], "value": "2"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        let (_, corrected) = get_as(&q, Some(&exec)).await;
        assert_eq!(
            row_of(&corrected)["reported"],
            after["reported"],
            "{}",
            t.name
        );

        // An imported report counts too.
        let other = &missing[1];
        let r = crate::common::client()
            .post(format!("{base}/api/v1/reports/import"))
            .bearer_auth(&reporter)
            .header("content-type", "text/csv")
            .body(format!(
                "commitment_id,period,value\n{},{},3\n",
                other["commitment_id"],
                other["period"].as_str().unwrap()
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{}", t.name);

        // A change of terms (awaiting approval) re-judges its agreement.
        let manager = login(&base, who::MANAGER_SC).await;
        let (_, list) = get_as(
            &format!("{base}/api/v1/agreements?q=AGR-2023-0001"),
            Some(&manager),
        )
        .await;
        let id = list["items"][0]["id"].as_i64().unwrap();
        let (_, a) = get_as(&format!("{base}/api/v1/agreements/{id}"), Some(&manager)).await;
        let c = a["commitments"][0].clone();
        let body = json!({"organisation_id": c["organisation_id"], "kpi": c["kpi"],
            "target": "3", "warning_band": c["warning_band"], "channel": c["channel"],
            "frequency": c["frequency"], "grace_days": c["grace_days"],
            "effective_from": c["effective_from"]});
        let r = crate::common::client()
            .put(format!(
                "{base}/api/v1/agreements/{id}/commitments/{}",
                c["id"]
            ))
            .bearer_auth(&manager)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            200,
            "{}: {}",
            t.name,
            r.text().await.unwrap_or_default()
        );

        // Every path to the counts agrees: the totals by agreement (agreement,
        // structure, period), across agreements by party, KPI and channel,
        // and row by row (commitment, and any grouping with one filter).
        let sums = |b: &Value| {
            let mut s = [0u64; 4];
            for r in b["items"].as_array().unwrap() {
                for (i, f) in ["reported", "met", "breached", "missing"]
                    .iter()
                    .enumerate()
                {
                    s[i] += r[*f].as_u64().unwrap();
                }
            }
            s
        };
        let mut seen = Vec::new();
        for g in [
            "agreement",
            "structure",
            "period",
            "party",
            "kpi",
            "channel",
            "jurisdiction_level",
            "commitment",
        ] {
            for range in ["", "&from=2025-01&to=2025-12"] {
                let (status, b) = get_as(
                    &format!("{base}/api/v1/benchmarks?group_by={g}{range}"),
                    Some(&exec),
                )
                .await;
                assert_eq!(status, 200, "{}: {b}", t.name);
                seen.push((range, g, sums(&b)));
            }
        }
        for range in ["", "&from=2025-01&to=2025-12"] {
            let all: Vec<_> = seen.iter().filter(|(r, _, _)| *r == range).collect();
            assert!(all[0].2[0] > 0, "{}: {all:?}", t.name);
            assert!(
                all.iter().all(|(_, _, s)| *s == all[0].2),
                "{}: {all:?}",
                t.name
            );
        }

        // What was kept along the way is what judging every report afresh
        // gives.
        let kept = results(&db).await;
        assert!(kept.len() > 100, "{}: {}", t.name, kept.len());
        check_totals(&db, t.name).await;
        let tx = sea_orm::TransactionTrait::begin(&db).await.unwrap();
        app::backend::services::results::rebuild_all(&tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(results(&db).await, kept, "{}", t.name);
        check_totals(&db, t.name).await;
    }
}

#[tokio::test]
async fn grouped_by_life_event_an_agreement_counts_in_the_group_of_each_life_event_it_covers() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let admin = login(&base, who::ADMIN).await;
        let manager = login(&base, who::MANAGER_SC).await;
        let post = crate::common::post_as;
        // Two life events of their own, so that no demo agreement covers them.
        for (code, name, name_fr) in [
            ("adoption", "Adoption", "Adoption d'un enfant"),
            (
                "citizenship",
                "Becoming a citizen",
                "Obtention de la citoyenneté",
            ),
        ] {
            let (s, e) = post(
                &base,
                "/api/v1/life-events",
                &admin,
                json!({"code": code, "name": name, "name_fr": name_fr}),
            )
            .await;
            assert_eq!(s, 201, "{}: {e}", t.name);
        }
        let org = crate::common::organisation_ids(&base, &manager).await;
        // A covers both life events, B adoption only, C neither.
        let mut ids = Vec::new();
        for (title, events) in [
            ("Life events A", json!(["adoption", "citizenship"])),
            ("Life events B", json!(["adoption"])),
            ("Life events C", json!([])),
        ] {
            let (s, a) = post(
                &base,
                "/api/v1/agreements",
                &manager,
                json!({
                "title": title, "purpose": "single_window", "structure": "shared",
                "partnership_type": "collaborative", "starts_on": "2025-01-01", "ends_on": "2027-12-31",
                "currency": "CAD", "life_events": events,
                "parties": [{"organisation_id": org["SC"], "role": "lead"},
                            {"organisation_id": org["ACCESSNS"], "role": "partner"},
                            {"organisation_id": org["CPC"], "role": "partner"}]}),
            )
            .await;
            assert_eq!(s, 201, "{}: {a}", t.name);
            ids.push(a["id"].as_i64().unwrap());
        }
        let commit = async |agreement: i64, who: &str| {
            let (s, c) = post(
                &base,
                &format!("/api/v1/agreements/{agreement}/commitments"),
                &manager,
                json!({"organisation_id": org[who], "kpi": "calls_answered_in_target_pct",
                       "target": "80", "warning_band": "5", "frequency": "monthly",
                       "effective_from": "2025-01-01"}),
            )
            .await;
            assert_eq!(s, 201, "{c}");
            c["id"].clone()
        };
        let a_accessns = commit(ids[0], "ACCESSNS").await;
        let b_cpc = commit(ids[1], "CPC").await;
        // Never reported: missing.
        commit(ids[1], "ACCESSNS").await;
        let c_accessns = commit(ids[2], "ACCESSNS").await;
        // June 2025: A's 90 of 100 calls meets 80 %; B's 10 of 100,000
        // breaches it; C's is met too, but C covers no life event.
        let accessns = login(&base, who::REPORTER_ACCESSNS).await;
        let cpc = login(&base, "reporter@canadapost.example").await;
        for (token, commitment, numerator, denominator) in [
            (&accessns, &a_accessns, 90, 100),
            (&cpc, &b_cpc, 10, 100_000),
            (&accessns, &c_accessns, 95, 100),
        ] {
            let (s, r) = post(
                &base,
                "/api/v1/reports",
                token,
                json!({"commitment_id": commitment, "period": "2025-06",
                       "numerator": numerator, "denominator": denominator}),
            )
            .await;
            assert_eq!(s, 201, "{}: {r}", t.name);
        }

        let token = login(&base, who::OVERSIGHT).await;
        let range = "from=2025-06&to=2025-06&status=draft";
        let (_, catalogue) = get_as(&format!("{base}/api/v1/life-events"), Some(&admin)).await;
        let codes: Vec<&Value> = catalogue["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| &e["code"])
            .collect();
        // The sums of each agreement's periods (no KPI), and row by row
        // (one KPI): the same counts.
        for kpi in ["", "&kpi=calls_answered_in_target_pct"] {
            let (s, b) = get_as(
                &format!("{base}/api/v1/benchmarks?group_by=life_event&{range}{kpi}"),
                Some(&token),
            )
            .await;
            assert_eq!(s, 200, "{}: {b}", t.name);
            let items = b["items"].as_array().unwrap();
            // Every group is a life event of the catalogue: C is in none.
            assert!(
                items.iter().all(|r| codes.contains(&&r["group"])),
                "{}: {b}",
                t.name
            );
            let row = |code: &str| {
                items
                    .iter()
                    .find(|r| r["group"] == code)
                    .unwrap_or_else(|| panic!("{}: no {code} row in {b}", t.name))
                    .clone()
            };
            // Adoption: A and B — 2 reported (1 met, 1 breached), 1 missing.
            let adoption = row("adoption");
            assert_eq!(adoption["label"], "Adoption", "{}", t.name);
            assert_eq!(adoption["label_fr"], "Adoption d'un enfant", "{}", t.name);
            assert_eq!(
                [
                    &adoption["reported"],
                    &adoption["met"],
                    &adoption["breached"],
                    &adoption["missing"]
                ],
                [2, 1, 1, 1],
                "{}{kpi}: {adoption}",
                t.name
            );
            assert_eq!(adoption["compliance_rate"], 0.3333, "{}{kpi}", t.name);
            // Citizenship: A alone — its one period, met.
            let citizenship = row("citizenship");
            assert_eq!(citizenship["label"], "Becoming a citizen", "{}", t.name);
            assert_eq!(
                citizenship["label_fr"], "Obtention de la citoyenneté",
                "{}",
                t.name
            );
            assert_eq!(
                [
                    &citizenship["reported"],
                    &citizenship["met"],
                    &citizenship["breached"],
                    &citizenship["missing"]
                ],
                [1, 1, 0, 0],
                "{}{kpi}: {citizenship}",
                t.name
            );
            assert_eq!(citizenship["compliance_rate"], 1.0, "{}{kpi}", t.name);
            assert!(citizenship.get("rank").is_none(), "{}", t.name);
            if !kpi.is_empty() {
                // 100 × (90 + 10) / (100 + 100,000), and 90 of 100.
                assert_eq!(adoption["value"], "0.1", "{}", t.name);
                assert_eq!(citizenship["value"], "90", "{}", t.name);
            }
        }

        // A renamed life event is labelled by its new names at once.
        let id = catalogue["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["code"] == "citizenship")
            .unwrap()["id"]
            .clone();
        let r = crate::common::client()
            .patch(format!("{base}/api/v1/life-events/{id}"))
            .bearer_auth(&admin)
            .json(&json!({"name": "Citizenship", "name_fr": "Citoyenneté"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", t.name);
        let (_, b) = get_as(
            &format!("{base}/api/v1/benchmarks?group_by=life_event&{range}"),
            Some(&token),
        )
        .await;
        let renamed = b["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["group"] == "citizenship")
            .unwrap();
        assert_eq!(
            (&renamed["label"], &renamed["label_fr"]),
            (&json!("Citizenship"), &json!("Citoyenneté")),
            "{}",
            t.name
        );
    }
}
