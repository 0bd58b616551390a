//! Journeys across channels (issue 22) through the API: a partner's
//! reporter records counts of journeys by service, month and channels, one
//! at a time or by CSV (all rows or none, every bad row by line); the flow
//! view gives the channel-to-channel matrix, completion rate and digital
//! take-up exactly as counted by hand; a partner records only for its own
//! organisation, on the channels the service is offered through, within
//! bounds, for months that have begun, and only while the agreement is
//! active; a party of another partnership reads nothing. SQLite and
//! PostgreSQL.

use crate::common::{self, count, get_as, login, pin_clock, post_as, seeded_databases, spawn, who};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

const MANAGER: &str = "manager@servicecanada.example";
const EXECUTIVES: [&str; 2] = [
    "executive@servicecanada.example",
    "executive@accessns.example",
];

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

/// Service Canada leads; Access Nova Scotia delivers passports at the
/// counter, by phone and online (not at a kiosk, not by mail), and Service
/// Canada a counter-only service.
fn terms(sc: i64, ns: i64) -> Value {
    json!({
        "title": "Halifax passport journeys", "summary": "Passports at Access Nova Scotia.",
        "purpose": "single_window", "structure": "shared", "partnership_type": "collaborative",
        "starts_on": "2025-04-01", "ends_on": "2030-03-31", "currency": "CAD",
        "parties": [
            {"organisation_id": sc, "role": "lead"},
            {"organisation_id": ns, "role": "partner"}
        ],
        "services": [
            {"code": "PP-1", "name": "Passport renewals", "delivered_by": ns,
             "channels": ["in_person", "phone", "online"]},
            {"code": "CT-1", "name": "Counter enquiries", "delivered_by": sc,
             "channels": ["in_person"]}
        ]
    })
}

async fn activate(base: &str, manager: &str, id: i64) {
    let path = format!("/api/v1/agreements/{id}/transitions");
    post_as(base, &path, manager, json!({"to": "negotiation"})).await;
    post_as(base, &path, manager, json!({"to": "pending_approval"})).await;
    for e in EXECUTIVES {
        let token = login(base, e).await;
        let (status, a) = post_as(
            base,
            &format!("/api/v1/agreements/{id}/approvals"),
            &token,
            json!({"version": 1}),
        )
        .await;
        assert_eq!(status, 201, "{e}: {a}");
    }
}

/// `(field, line)` of every detail of an error.
fn details(body: &Value) -> Vec<(String, Option<u64>)> {
    body["error"]["details"]
        .as_array()
        .map(|d| {
            d.iter()
                .map(|e| {
                    (
                        e["field"].as_str().unwrap_or_default().to_owned(),
                        e["line"].as_u64(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn cell(flow: &Value, started: &str, ended: Option<&str>) -> u64 {
    let columns: Vec<&str> = flow["ended_channels"]
        .as_array()
        .expect("columns")
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let row = flow["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["started_on"] == started)
        .unwrap_or_else(|| panic!("row {started} in {flow}"));
    let i = match ended {
        Some(e) => columns.iter().position(|c| *c == e).expect("column"),
        None => columns.len(),
    };
    row["cells"][i]["count"].as_u64().expect("count")
}

#[tokio::test]
async fn journeys_are_recorded_checked_and_read_as_counted_by_hand() {
    pin_clock();
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let name = &t.name;
        let manager = login(&base, MANAGER).await;
        let orgs = common::organisation_ids(&base, &manager).await;
        let (sc, ns) = (orgs["SC"], orgs["ACCESSNS"]);

        // A draft takes no journeys: 409.
        let (status, draft) = post_as(&base, "/api/v1/agreements", &manager, terms(sc, ns)).await;
        assert_eq!(status, 201, "{name}: {draft}");
        let draft_id = draft["id"].as_i64().unwrap();
        let reporter = login(&base, who::REPORTER_ACCESSNS).await;
        let one = |service: i64, period: &str, org: i64, started: &str, ended: Value, n: i64| {
            json!({"period": period, "service_id": service, "organisation_id": org,
                   "started_on": started, "ended_on": ended, "count": n})
        };
        let draft_service = draft["services"][0]["id"].as_i64().unwrap();
        let (status, body) = post_as(
            &base,
            &format!("/api/v1/agreements/{draft_id}/journeys"),
            &reporter,
            one(draft_service, "2026-10", ns, "online", json!("online"), 1),
        )
        .await;
        assert_eq!(status, 409, "{name}: {body}");

        let (status, a) = post_as(&base, "/api/v1/agreements", &manager, terms(sc, ns)).await;
        assert_eq!(status, 201, "{name}: {a}");
        let id = a["id"].as_i64().unwrap();
        activate(&base, &manager, id).await;
        let passport = a["services"][0]["id"].as_i64().unwrap();
        let counter = a["services"][1]["id"].as_i64().unwrap();
        let path = format!("/api/v1/agreements/{id}/journeys");

        // One count by the API.
        let (status, j) = post_as(
            &base,
            &path,
            &reporter,
            one(passport, "2026-10", ns, "online", json!("online"), 690),
        )
        .await;
        assert_eq!(status, 201, "{name}: {j}");
        assert_eq!(j["service"], "PP-1", "{name}");
        assert_eq!(j["replaced"], false, "{name}");
        // Sent again: it replaces the first, not adds to it.
        let (status, j) = post_as(
            &base,
            &path,
            &reporter,
            one(passport, "2026-10", ns, "online", json!("online"), 700),
        )
        .await;
        assert_eq!(status, 201, "{name}: {j}");
        assert_eq!(j["replaced"], true, "{name}");

        // Refused, each with its field; nothing written.
        let before = count(&t.db, "channel_journeys").await;
        for (body, field) in [
            // Another party's organisation.
            (
                one(passport, "2026-10", sc, "online", json!("online"), 1),
                "organisation_id",
            ),
            // Channels the service is not offered through.
            (
                one(passport, "2026-10", ns, "kiosk", json!("online"), 1),
                "started_on",
            ),
            (
                one(passport, "2026-10", ns, "online", json!("mail"), 1),
                "ended_on",
            ),
            (
                one(counter, "2026-10", ns, "online", json!("in_person"), 1),
                "started_on",
            ),
            // Bounds.
            (
                one(passport, "2026-10", ns, "online", json!(null), -1),
                "count",
            ),
            (
                one(
                    passport,
                    "2026-10",
                    ns,
                    "online",
                    json!(null),
                    1_000_000_001,
                ),
                "count",
            ),
            // A month that has not begun (today is 2026-11-29), a quarter,
            // a month before the term.
            (
                one(passport, "2026-12", ns, "online", json!(null), 1),
                "period",
            ),
            (
                one(passport, "2026-Q3", ns, "online", json!(null), 1),
                "period",
            ),
            (
                one(passport, "2025-03", ns, "online", json!(null), 1),
                "period",
            ),
            // Another agreement's service.
            (
                one(draft_service, "2026-10", ns, "online", json!(null), 1),
                "service_id",
            ),
        ] {
            let (status, b) = post_as(&base, &path, &reporter, body.clone()).await;
            assert_eq!(status, 422, "{name}: {body} → {b}");
            let d = details(&b);
            assert!(
                d.iter().any(|(f, _)| f == field),
                "{name}: {field} in {d:?}"
            );
        }
        // At the bounds: a billion is taken, and so is this month.
        let (status, b) = post_as(
            &base,
            &path,
            &reporter,
            one(
                passport,
                "2026-11",
                ns,
                "phone",
                json!("phone"),
                1_000_000_000,
            ),
        )
        .await;
        assert_eq!(status, 201, "{name}: {b}");
        assert_eq!(count(&t.db, "channel_journeys").await, before + 1, "{name}");

        // A CSV with one bad row in four: 422, every bad row by line,
        // nothing written.
        let import = format!("{path}/import");
        let before = count(&t.db, "channel_journeys").await;
        let bad = "period,service,organisation_id,started_on,ended_on,count\n\
                   2026-10,PP-1,ACCESSNS,online,phone,50\n\
                   2026-10,PP-1,ACCESSNS,kiosk,online,5\n\
                   2026-10,PP-1,SC,online,online,5\n\
                   2026-10,PP-9,ACCESSNS,online,,5\n\
                   2026-10,PP-1,ACCESSNS,online,abandoned,-3\n\
                   2026-10,PP-1,ACCESSNS,online,phone,51\n";
        let (status, b) = csv_as(&base, &import, &reporter, bad).await;
        assert_eq!(status, 422, "{name}: {b}");
        let mut lines: Vec<u64> = details(&b).iter().filter_map(|(_, l)| *l).collect();
        lines.sort_unstable();
        lines.dedup();
        assert_eq!(lines, vec![3, 4, 5, 6, 7], "{name}: {b}");
        assert_eq!(count(&t.db, "channel_journeys").await, before, "{name}");

        // The month in full, as counted by hand for PP-1 in 2026-10:
        // online → online 700 (above), online → phone 50, online → in
        // person 30, online abandoned 120; in person → in person 200;
        // phone → phone 80, phone → online 20, phone abandoned 10.
        // Started 1,210; completed 1,080; abandoned 130; completed on a
        // digital channel (online) 720.
        // Completion 1,080 / 1,210 = 89.2561… → 89.26; take-up 720 / 1,080
        // = 66.666… → 66.67.
        let good = "period,service,organisation_id,started_on,ended_on,count\r\n\
                    2026-10,PP-1,ACCESSNS,online,phone,50\r\n\
                    2026-10,pp-1,accessns,online,in_person,30\r\n\
                    2026-10,PP-1,ACCESSNS,online,,120\r\n\
                    2026-10,PP-1,ACCESSNS,in_person,in_person,200\r\n\
                    2026-10,PP-1,ACCESSNS,phone,phone,80\r\n\
                    2026-10,PP-1,ACCESSNS,phone,online,20\r\n\
                    2026-10,PP-1,ACCESSNS,phone,abandoned,10\r\n\
                    2026-09,CT-1,ACCESSNS,in_person,in_person,40\r\n\
                    2026-09,CT-1,ACCESSNS,in_person,,10\r\n";
        let (status, b) = csv_as(&base, &import, &reporter, good).await;
        assert_eq!(status, 201, "{name}: {b}");
        assert_eq!(b["imported"], 9, "{name}");

        let executive = login(&base, "executive@accessns.example").await;
        let (status, v) = get_as(
            &format!("{base}{path}?from=2026-10&to=2026-10&service=PP-1"),
            Some(&executive),
        )
        .await;
        assert_eq!(status, 200, "{name}: {v}");
        let flow = &v["all"];
        assert_eq!(flow["started"], 1210, "{name}: {flow}");
        assert_eq!(flow["completed"], 1080, "{name}");
        assert_eq!(flow["abandoned"], 130, "{name}");
        assert_eq!(flow["switched"], 100, "{name}");
        assert_eq!(flow["completion_rate"]["numerator"], 1080, "{name}");
        assert_eq!(flow["completion_rate"]["denominator"], 1210, "{name}");
        assert_eq!(flow["completion_rate"]["percent"], "89.26", "{name}");
        assert_eq!(flow["digital_take_up"]["numerator"], 720, "{name}");
        assert_eq!(flow["digital_take_up"]["denominator"], 1080, "{name}");
        assert_eq!(flow["digital_take_up"]["percent"], "66.67", "{name}");
        assert_eq!(
            flow["ended_channels"],
            json!(["in_person", "phone", "online"]),
            "{name}"
        );
        assert_eq!(cell(flow, "online", Some("online")), 700, "{name}");
        assert_eq!(cell(flow, "online", None), 120, "{name}");
        assert_eq!(cell(flow, "phone", Some("online")), 20, "{name}");
        // 120 of the 900 started online were abandoned: 13.33 %.
        let online = flow["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["started_on"] == "online")
            .unwrap();
        assert_eq!(online["total"], 900, "{name}");
        assert_eq!(online["cells"][3]["share"], "13.33", "{name}: {online}");
        assert_eq!(v["months"][0]["period"], "2026-10", "{name}");

        // Both services over two months: per service and per month.
        let (status, v) = get_as(
            &format!("{base}{path}?from=2026-09&to=2026-10"),
            Some(&reporter),
        )
        .await;
        assert_eq!(status, 200, "{name}: {v}");
        assert_eq!(v["all"]["started"], 1260, "{name}");
        let services = v["services"].as_array().unwrap();
        assert_eq!(services.len(), 2, "{name}");
        let ct = services.iter().find(|s| s["code"] == "CT-1").unwrap();
        // 40 of 50 completed; none digitally.
        assert_eq!(ct["flow"]["completion_rate"]["percent"], "80.00", "{name}");
        assert_eq!(ct["flow"]["digital_take_up"]["percent"], "0.00", "{name}");
        let months: Vec<&str> = v["months"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["period"].as_str().unwrap())
            .collect();
        assert_eq!(months, ["2026-09", "2026-10"], "{name}");
        // A month with nothing completed has no take-up: null, not 0.
        let (_, v) = get_as(
            &format!("{base}{path}?from=2026-08&to=2026-08"),
            Some(&reporter),
        )
        .await;
        assert_eq!(v["all"]["started"], 0, "{name}");
        assert_eq!(
            v["all"]["completion_rate"]["percent"],
            Value::Null,
            "{name}"
        );

        // A bad range or service is refused.
        for q in ["from=2026-10&to=2026-09", "from=2026-Q1", "service=NOPE"] {
            let (status, b) = get_as(&format!("{base}{path}?{q}"), Some(&reporter)).await;
            assert_eq!(status, 422, "{name}: {q} → {b}");
        }

        // A partner of another partnership reads and records nothing.
        let other = login(&base, who::REPORTER_SNSW).await;
        let (status, _) = get_as(&format!("{base}{path}"), Some(&other)).await;
        assert_eq!(status, 404, "{name}");
        let (status, _) = post_as(
            &base,
            &path,
            &other,
            one(passport, "2026-10", ns, "online", json!("online"), 1),
        )
        .await;
        assert_eq!(status, 404, "{name}");
        let (status, _) = csv_as(&base, &import, &other, good).await;
        assert_eq!(status, 404, "{name}");
        // An executive of a party reads but does not record.
        let (status, _) = post_as(
            &base,
            &path,
            &executive,
            one(passport, "2026-10", ns, "online", json!("online"), 1),
        )
        .await;
        assert_eq!(status, 403, "{name}");
    }
}

#[tokio::test]
async fn the_demo_journeys_load_and_stay_within_the_volumes_recorded() {
    pin_clock();
    for t in seeded_databases().await {
        let name = &t.name;
        assert!(count(&t.db, "channel_journeys").await > 0, "{name}");
        // Completed journeys per agreement, service, month, partner and
        // ending channel never exceed the volume recorded for them.
        let backend = t.db.get_database_backend();
        let over =
            t.db.query_one_raw(sea_orm::Statement::from_string(
                backend,
                "SELECT COUNT(*) AS n FROM (SELECT j.agreement_id, j.service_id, j.period_start, \
                 j.organisation_id, j.ended_on, SUM(j.count) AS done FROM channel_journeys j \
                 WHERE j.ended_on IS NOT NULL GROUP BY j.agreement_id, j.service_id, \
                 j.period_start, j.organisation_id, j.ended_on) d WHERE d.done > COALESCE((SELECT \
                 SUM(v.count) FROM transaction_volumes v WHERE v.agreement_id = d.agreement_id \
                 AND v.service_id = d.service_id AND v.period_start = d.period_start AND \
                 v.organisation_id = d.organisation_id AND v.channel = d.ended_on), 0)"
                    .to_owned(),
            ))
            .await
            .expect("query")
            .expect("row")
            .try_get::<i64>("", "n")
            .expect("n");
        assert_eq!(over, 0, "{name}");
    }
}
