//! Citizen satisfaction by driver (issue 22) through the API: results
//! recorded one by one and by CSV (all rows or none, every bad row by
//! line), their aggregation weighted by sample size as computed by hand,
//! a result recorded again replacing the first, bounds on every number,
//! who may record and read what, benchmarks by driver across agreements,
//! structures and boundaries, and the driver analysis against a hand
//! computation. SQLite and PostgreSQL.

use crate::common::{self, get_as, login, pin_clock, post_as, seeded_databases, spawn, who};
use serde_json::{Value, json};

const OVERSIGHT: &str = who::OVERSIGHT;
const REPORTER_NS: &str = who::REPORTER_ACCESSNS;
const REPORTER_NSW: &str = who::REPORTER_SNSW;

async fn csv_as(base: &str, path: &str, token: &str, body: &str) -> (u16, Value) {
    let r = common::client()
        .post(format!("{base}{path}"))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(body.to_owned())
        .send()
        .await
        .expect("request");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// The id of the agreement with `reference`, and its services' inventory
/// ids by code.
async fn agreement(base: &str, token: &str, reference: &str) -> (i64, Value) {
    let (status, list) = get_as(
        &format!("{base}/api/v1/agreements?q={reference}"),
        Some(token),
    )
    .await;
    assert_eq!(status, 200, "{list}");
    let id = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|a| a["reference"] == reference)
        .unwrap_or_else(|| panic!("{reference} in {list}"))["id"]
        .as_i64()
        .unwrap();
    let (_, a) = get_as(&format!("{base}/api/v1/agreements/{id}"), Some(token)).await;
    (id, a)
}

fn service_id(agreement: &Value, code: &str) -> i64 {
    agreement["services"]
        .as_array()
        .expect("services")
        .iter()
        .find(|s| s["code"] == code)
        .unwrap_or_else(|| panic!("{code}"))["id"]
        .as_i64()
        .unwrap()
}

fn lines(body: &Value) -> Vec<(u64, String)> {
    body["error"]["details"]
        .as_array()
        .map(|d| {
            d.iter()
                .map(|e| {
                    (
                        e["line"].as_u64().unwrap_or(0),
                        e["field"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn fields(body: &Value) -> Vec<String> {
    lines(body).into_iter().map(|(_, f)| f).collect()
}

/// A result of `n` respondents, `overall` satisfied.
fn result(period: &str, service: i64, channel: &str, org: i64, n: i64, overall: &str) -> Value {
    json!({"period": period, "service_id": service, "channel": channel,
           "organisation_id": org, "sample_size": n, "overall": overall})
}

#[tokio::test]
async fn results_are_weighted_by_sample_size_and_a_second_record_replaces_the_first() {
    pin_clock();
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let name = t.name;
        let reporter = login(&base, REPORTER_NS).await;
        let orgs = common::organisation_ids(&base, &reporter).await;
        let ns = orgs["ACCESSNS"];
        let (id, a) = agreement(&base, &reporter, "AGR-2023-0001").await;
        let licences = service_id(&a, "ANS-0310");
        let path = format!("/api/v1/agreements/{id}/satisfaction");

        // 100 respondents at 80 % (timeliness 90) and 300 at 60 % (outcome
        // 50; timeliness not asked): overall (8,000 + 18,000) ÷ 400 = 65,
        // timeliness 90 over the one result that asked.
        let mut a1 = result("2026-09", licences, "in_person", ns, 100, "80");
        a1["timeliness"] = json!("90");
        a1["margin_of_error"] = json!("5");
        let (status, saved) = post_as(&base, &path, &reporter, a1.clone()).await;
        assert_eq!(status, 201, "{name}: {saved}");
        assert_eq!(saved["service_code"], "ANS-0310", "{name}");
        assert_eq!(saved["drivers"]["timeliness"], "90", "{name}");
        assert!(saved["drivers"]["outcome"].is_null(), "{name}");
        let mut b = result("2026-09", licences, "online", ns, 300, "60");
        b["outcome"] = json!("50");
        let (status, saved) = post_as(&base, &path, &reporter, b).await;
        assert_eq!(status, 201, "{name}: {saved}");

        let read = format!("{base}{path}?from=2026-09&to=2026-09");
        let (status, v) = get_as(&read, Some(&reporter)).await;
        assert_eq!(status, 200, "{name}: {v}");
        assert_eq!(v["total"], 2, "{name}: {v}");
        let all = &v["overall"];
        assert_eq!(all["overall"], "65", "{name}: {all}");
        assert_eq!(all["sample_size"], 400, "{name}");
        assert_eq!(all["drivers"]["timeliness"], "90", "{name}");
        assert_eq!(all["drivers"]["outcome"], "50", "{name}");
        assert!(all["drivers"]["courtesy"].is_null(), "{name}");
        // One result gave no margin: 100 × 1.96 × √(0.65 × 0.35 ÷ 400).
        assert_eq!(all["margin_of_error"], "4.67", "{name}: {all}");
        assert_eq!(all["margin_pooled"], true, "{name}");
        assert_eq!(v["aggregates"].as_array().unwrap().len(), 2, "{name}");

        // The same service, channel, month and party again: replaced.
        let before = common::count(&t.db, "satisfaction_results").await;
        a1["overall"] = json!("40");
        let (status, _) = post_as(&base, &path, &reporter, a1).await;
        assert_eq!(status, 201, "{name}");
        assert_eq!(
            common::count(&t.db, "satisfaction_results").await,
            before,
            "{name}"
        );
        let (_, v) = get_as(&read, Some(&reporter)).await;
        // (4,000 + 18,000) ÷ 400 = 55.
        assert_eq!(v["overall"]["overall"], "55", "{name}: {v}");
    }
}

#[tokio::test]
async fn every_number_is_bounded_and_every_problem_named_by_field() {
    pin_clock();
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let name = t.name;
        let reporter = login(&base, REPORTER_NS).await;
        let ns = common::organisation_ids(&base, &reporter).await["ACCESSNS"];
        let (id, a) = agreement(&base, &reporter, "AGR-2023-0001").await;
        let admin = login(&base, who::ADMIN).await;
        let (_, other) = agreement(&base, &admin, "AGR-2023-0002").await;
        let licences = service_id(&a, "ANS-0310");
        let path = format!("/api/v1/agreements/{id}/satisfaction");
        let before = common::count(&t.db, "satisfaction_results").await;

        let mut bad = result("2026-09", licences, "in_person", ns, 10_000_001, "80.123");
        bad["timeliness"] = json!("-1");
        bad["knowledge"] = json!("100.5");
        bad["margin_of_error"] = json!("five");
        let (status, body) = post_as(&base, &path, &reporter, bad).await;
        assert_eq!(status, 422, "{name}: {body}");
        let f = fields(&body);
        for field in [
            "sample_size",
            "overall",
            "timeliness",
            "knowledge",
            "margin_of_error",
        ] {
            assert!(f.contains(&field.to_owned()), "{name}: {field} in {f:?}");
        }
        for (body, field) in [
            (
                result("2026-09", licences, "in_person", ns, 0, "80"),
                "sample_size",
            ),
            // A channel the service is not offered on.
            (
                result("2026-09", licences, "phone", ns, 10, "80"),
                "channel",
            ),
            // Another agreement's service.
            (
                result(
                    "2026-09",
                    service_id(&other, "UWH-0211"),
                    "in_person",
                    ns,
                    10,
                    "80",
                ),
                "service_id",
            ),
            // A month that has not begun (the tests run on 2026-11-29).
            (
                result("2026-12", licences, "in_person", ns, 10, "80"),
                "period",
            ),
            (
                result("2026-Q3", licences, "in_person", ns, 10, "80"),
                "period",
            ),
            // Exactly 100 and 2 decimals pass; three do not.
            (
                result("2026-09", licences, "in_person", ns, 10, "99.999"),
                "overall",
            ),
        ] {
            let (status, b) = post_as(&base, &path, &reporter, body).await;
            assert_eq!(status, 422, "{name}: {field}: {b}");
            assert_eq!(fields(&b), [field], "{name}: {b}");
        }
        let mut edge = result("2026-09", licences, "in_person", ns, 10_000_000, "100");
        edge["fairness"] = json!("0");
        edge["courtesy"] = json!("99.99");
        let (status, b) = post_as(&base, &path, &reporter, edge).await;
        assert_eq!(status, 201, "{name}: {b}");
        assert_eq!(
            common::count(&t.db, "satisfaction_results").await,
            before + 1,
            "{name}"
        );
    }
}

#[tokio::test]
async fn a_csv_import_is_all_or_nothing_with_every_bad_row_by_line() {
    pin_clock();
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let name = t.name;
        let reporter = login(&base, REPORTER_NS).await;
        let (id, _) = agreement(&base, &reporter, "AGR-2023-0001").await;
        let path = format!("/api/v1/agreements/{id}/satisfaction/import");
        let header = "period,service,channel,organisation_id,sample_size,overall,margin_of_error,timeliness,knowledge,courtesy,fairness,outcome\n";
        let before = common::count(&t.db, "satisfaction_results").await;

        // Line 3: 101 %; line 4: no such service; line 5: another party;
        // line 6: the same as line 2.
        let bad = format!(
            "{header}\
             2026-09,ANS-0310,in_person,ACCESSNS,120,81.5,,80,,,,\n\
             2026-09,ANS-0310,online,ACCESSNS,300,101,,,,,,\n\
             2026-09,XX-1,online,ACCESSNS,300,70,,,,,,\n\
             2026-09,SC-0042,online,SC,300,70,,,,,,\n\
             2026-09,ANS-0310,in_person,ACCESSNS,12,81.5,,,,,,\n"
        );
        let (status, body) = csv_as(&base, &path, &reporter, &bad).await;
        assert_eq!(status, 422, "{name}: {body}");
        let mut bad_lines: Vec<u64> = lines(&body).into_iter().map(|(l, _)| l).collect();
        bad_lines.dedup();
        assert_eq!(bad_lines, [3, 4, 5, 6], "{name}: {body}");
        assert_eq!(
            common::count(&t.db, "satisfaction_results").await,
            before,
            "{name}: nothing written"
        );

        // Right: the organisation by code or id, empty driver cells.
        let ns = common::organisation_ids(&base, &reporter).await["ACCESSNS"];
        let good = format!(
            "{header}\
             2026-09,ANS-0310,in_person,ACCESSNS,100,80,4.5,90,,85,,70\n\
             2026-09,ANS-0310,online,{ns},300,60,,,,,,50\n"
        );
        let (status, body) = csv_as(&base, &path, &reporter, &good).await;
        assert_eq!(status, 201, "{name}: {body}");
        assert_eq!(body["imported"], 2, "{name}");
        let (_, v) = get_as(
            &format!("{base}/api/v1/agreements/{id}/satisfaction?from=2026-09&to=2026-09"),
            Some(&reporter),
        )
        .await;
        assert_eq!(v["overall"]["overall"], "65", "{name}: {v}");
        // Outcome (100 × 70 + 300 × 50) ÷ 400 = 55.
        assert_eq!(v["overall"]["drivers"]["outcome"], "55", "{name}: {v}");
        assert_eq!(v["overall"]["drivers"]["courtesy"], "85", "{name}: {v}");
    }
}

#[tokio::test]
async fn a_partner_records_only_for_itself_and_reads_only_its_own_agreements() {
    pin_clock();
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let name = t.name;
        let reporter = login(&base, REPORTER_NS).await;
        let orgs = common::organisation_ids(&base, &reporter).await;
        let (id, a) = agreement(&base, &reporter, "AGR-2023-0001").await;
        let path = format!("/api/v1/agreements/{id}/satisfaction");
        let ei = service_id(&a, "SC-0042");
        let before = common::count(&t.db, "satisfaction_results").await;

        // For Service Canada, by Access Nova Scotia's reporter: refused on
        // the party, as a volume is.
        let (status, body) = post_as(
            &base,
            &path,
            &reporter,
            result("2026-09", ei, "online", orgs["SC"], 50, "70"),
        )
        .await;
        assert_eq!(status, 422, "{name}: {body}");
        assert_eq!(fields(&body), ["organisation_id"], "{name}");

        // A reporter of a non-party does not know the agreement exists.
        let nsw = login(&base, REPORTER_NSW).await;
        let (status, _) = post_as(
            &base,
            &path,
            &nsw,
            result("2026-09", ei, "online", orgs["SNSW"], 50, "70"),
        )
        .await;
        assert_eq!(status, 404, "{name}");
        let (status, _) = get_as(&format!("{base}{path}"), Some(&nsw)).await;
        assert_eq!(status, 404, "{name}");
        let (status, _) = csv_as(
            &base,
            &format!("{path}/import"),
            &nsw,
            "period,service,channel,organisation_id,sample_size,overall\n",
        )
        .await;
        assert_eq!(status, 404, "{name}");
        // An executive of a party reads, but does not record.
        let exec = login(&base, who::EXEC_ACCESSNS).await;
        let (status, _) = post_as(
            &base,
            &path,
            &exec,
            result("2026-09", ei, "online", orgs["ACCESSNS"], 50, "70"),
        )
        .await;
        assert_eq!(status, 403, "{name}");
        let (status, _) = get_as(&format!("{base}{path}"), Some(&exec)).await;
        assert_eq!(status, 200, "{name}");
        // A suspended agreement takes no results, even from an admin.
        let admin = login(&base, who::ADMIN).await;
        let (suspended, s) = agreement(&base, &admin, "AGR-2023-0007").await;
        let svc = &s["services"][0];
        let (status, body) = post_as(
            &base,
            &format!("/api/v1/agreements/{suspended}/satisfaction"),
            &admin,
            result(
                "2026-09",
                svc["id"].as_i64().unwrap(),
                svc["channels"][0].as_str().unwrap(),
                svc["delivered_by"].as_i64().unwrap(),
                50,
                "70",
            ),
        )
        .await;
        assert_eq!(status, 409, "{name}: {body}");
        assert_eq!(
            common::count(&t.db, "satisfaction_results").await,
            before,
            "{name}"
        );
        // Reporters see no portfolio benchmarks.
        for p in ["benchmarks", "drivers"] {
            let (status, _) =
                get_as(&format!("{base}/api/v1/satisfaction/{p}"), Some(&reporter)).await;
            assert_eq!(status, 403, "{name}: {p}");
        }
    }
}

/// `Σ n·p ÷ Σ n` of `(n, p)`, to two decimals, as the API writes it.
fn weighted(rows: &[(i64, f64)]) -> String {
    let n: i64 = rows.iter().map(|r| r.0).sum();
    let s: f64 = rows.iter().map(|(w, p)| *w as f64 * p).sum();
    let v = (s / n as f64 * 100.0).round() / 100.0;
    let text = format!("{v:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[tokio::test]
async fn benchmarks_by_driver_and_the_driver_analysis_match_a_hand_computation() {
    pin_clock();
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let name = t.name;
        let ns_reporter = login(&base, REPORTER_NS).await;
        let nsw_reporter = login(&base, REPORTER_NSW).await;
        let oversight = login(&base, OVERSIGHT).await;
        let orgs = common::organisation_ids(&base, &oversight).await;
        let (first, a) = agreement(&base, &oversight, "AGR-2023-0001").await;
        let (nsw, b) = agreement(&base, &oversight, "AGR-2023-0005").await;
        let (licences, savings) = (service_id(&a, "ANS-0310"), service_id(&b, "NSW-0418"));

        // September 2026, which the demo leaves without surveys:
        // (n, overall, timeliness); outcome = overall.
        let rows = [
            (
                first,
                &ns_reporter,
                licences,
                "in_person",
                orgs["ACCESSNS"],
                100,
                60,
                50,
            ),
            (
                first,
                &ns_reporter,
                licences,
                "online",
                orgs["ACCESSNS"],
                300,
                80,
                70,
            ),
            (
                nsw,
                &nsw_reporter,
                savings,
                "in_person",
                orgs["SNSW"],
                200,
                70,
                75,
            ),
            (
                nsw,
                &nsw_reporter,
                savings,
                "online",
                orgs["SNSW"],
                400,
                90,
                85,
            ),
        ];
        for (id, who, service, channel, org, n, overall, timeliness) in rows {
            let mut r = result("2026-09", service, channel, org, n, &overall.to_string());
            r["timeliness"] = json!(timeliness.to_string());
            r["outcome"] = json!(overall.to_string());
            let (status, body) = post_as(
                &base,
                &format!("/api/v1/agreements/{id}/satisfaction"),
                who,
                r,
            )
            .await;
            assert_eq!(status, 201, "{name}: {body}");
        }
        let range = "from=2026-09&to=2026-09";

        // By agreement: 0001 (100 @ 60, 300 @ 80) = 75, timeliness 65;
        // 0005 (200 @ 70, 400 @ 90) = 83.33, timeliness 81.67.
        let (status, v) = get_as(
            &format!("{base}/api/v1/satisfaction/benchmarks?group_by=agreement&{range}"),
            Some(&oversight),
        )
        .await;
        assert_eq!(status, 200, "{name}: {v}");
        let row = |v: &Value, group: &str| {
            v["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["group"] == group)
                .unwrap_or_else(|| panic!("{group} in {v}"))["aggregate"]
                .clone()
        };
        assert_eq!(v["total"], 2, "{name}: {v}");
        let r1 = row(&v, "AGR-2023-0001");
        assert_eq!(r1["overall"], "75", "{name}");
        assert_eq!(r1["drivers"]["timeliness"], "65", "{name}");
        assert_eq!(r1["sample_size"], 400, "{name}");
        let r5 = row(&v, "AGR-2023-0005");
        assert_eq!(r5["overall"], "83.33", "{name}");
        assert_eq!(r5["drivers"]["timeliness"], "81.67", "{name}");

        // Ordered by a driver: the higher timeliness first.
        let (_, v) = get_as(
            &format!(
                "{base}/api/v1/satisfaction/benchmarks?group_by=agreement&driver=timeliness&{range}"
            ),
            Some(&oversight),
        )
        .await;
        assert_eq!(v["items"][0]["group"], "AGR-2023-0005", "{name}: {v}");

        // By structure: shared (0001) and isd_organisation (0005).
        let (_, v) = get_as(
            &format!("{base}/api/v1/satisfaction/benchmarks?group_by=structure&{range}"),
            Some(&oversight),
        )
        .await;
        assert_eq!(row(&v, "shared")["overall"], "75", "{name}: {v}");
        assert_eq!(row(&v, "isd_organisation")["overall"], "83.33", "{name}");

        // By boundary: an agreement counts in each boundary it crosses.
        let (_, v) = get_as(
            &format!("{base}/api/v1/satisfaction/benchmarks?group_by=boundary&{range}"),
            Some(&oversight),
        )
        .await;
        let crosses =
            |a: &Value, b: &str| a["boundaries"].as_array().unwrap().iter().any(|x| x == b);
        for boundary in ["ministerial", "jurisdictional", "sectoral"] {
            let mut expected = Vec::new();
            if crosses(&a, boundary) {
                expected.extend([(100, 60.0), (300, 80.0)]);
            }
            if crosses(&b, boundary) {
                expected.extend([(200, 70.0), (400, 90.0)]);
            }
            let found = v["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["group"] == boundary);
            match found {
                None => assert!(expected.is_empty(), "{name}: {boundary} in {v}"),
                Some(r) => assert_eq!(
                    r["aggregate"]["overall"],
                    weighted(&expected).as_str(),
                    "{name}: {boundary}"
                ),
            }
        }

        // Visibility: Service Canada's executive does not see Service NSW's.
        let sc_exec = login(&base, "executive@servicecanada.example").await;
        let (_, v) = get_as(
            &format!("{base}/api/v1/satisfaction/benchmarks?group_by=agreement&{range}"),
            Some(&sc_exec),
        )
        .await;
        let groups: Vec<&str> = v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["group"].as_str().unwrap())
            .collect();
        assert_eq!(groups, ["AGR-2023-0001"], "{name}: {v}");

        // The driver analysis over the four results: outcome is overall
        // itself (r = 1); timeliness r = 0.858 by hand (x̄ = 75, ȳ = 80);
        // the portfolio's overall is 80, so timeliness is 78.57 among the
        // results at or above it and 66.67 below, a gap of 11.9 points.
        let (status, v) = get_as(
            &format!("{base}/api/v1/satisfaction/drivers?{range}"),
            Some(&oversight),
        )
        .await;
        assert_eq!(status, 200, "{name}: {v}");
        assert_eq!(v["portfolio"]["overall"], "80", "{name}: {v}");
        let items = v["items"].as_array().unwrap();
        assert_eq!(items[0]["driver"], "outcome", "{name}: {v}");
        assert_eq!(items[0]["correlation"], "1", "{name}: {v}");
        assert_eq!(items[1]["driver"], "timeliness", "{name}: {v}");
        assert_eq!(items[1]["rank"], 2, "{name}");
        assert_eq!(items[1]["correlation"], "0.858", "{name}: {v}");
        assert_eq!(items[1]["satisfied_mean"], "78.57", "{name}");
        assert_eq!(items[1]["dissatisfied_mean"], "66.67", "{name}");
        assert_eq!(items[1]["gap"], "11.9", "{name}");
        assert_eq!(items[1]["results"], 4, "{name}");
        assert!(
            items[2..].iter().all(|i| i["correlation"].is_null()),
            "{name}: {v}"
        );
    }
}

#[tokio::test]
async fn the_demo_surveys_load_and_timeliness_and_outcome_drive_satisfaction_most() {
    pin_clock();
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let name = t.name;
        assert!(
            common::count(&t.db, "satisfaction_results").await > 500,
            "{name}"
        );
        let oversight = login(&base, OVERSIGHT).await;
        let (status, v) = get_as(
            &format!("{base}/api/v1/satisfaction/drivers"),
            Some(&oversight),
        )
        .await;
        assert_eq!(status, 200, "{name}: {v}");
        let top: Vec<&str> = v["items"].as_array().unwrap()[..2]
            .iter()
            .map(|i| i["driver"].as_str().unwrap())
            .collect();
        assert!(
            top.contains(&"timeliness") && top.contains(&"outcome"),
            "{name}: {v}"
        );
    }
}
