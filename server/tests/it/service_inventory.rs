//! The service inventory (issue 22) through the API: a service's stable id,
//! client types, type, fee, online stages and standards are terms, checked
//! field by field; volumes may name the service and how many met its
//! standard; the inventory judges each standard exactly as computed by
//! hand, keeps a service's id (and its volumes) through an amendment, shows
//! only what the caller may see, filters, sorts and exports neutralised
//! CSV. And the basis of a channel-migration business case: each channel's
//! cost per transaction, measured from the recorded costs and volumes with
//! the channel weights in force, and the saving of a shift priced from it,
//! both to the cent as computed by hand. SQLite and PostgreSQL.

use crate::common::{get_as, login, pin_clock, post_as, seeded_databases, spawn};
use serde_json::{Value, json};

const MANAGER: &str = "manager@servicecanada.example";
const EXECUTIVES: [&str; 2] = [
    "executive@servicecanada.example",
    "executive@accessns.example",
];

async fn put_as(base: &str, path: &str, token: &str, body: Value) -> (u16, Value) {
    let r = crate::common::client()
        .put(format!("{base}{path}"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("request");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn text_as(base: &str, path: &str, token: &str) -> (u16, String) {
    let r = crate::common::client()
        .get(format!("{base}{path}"))
        .bearer_auth(token)
        .send()
        .await
        .expect("request");
    (r.status().as_u16(), r.text().await.unwrap_or_default())
}

async fn csv_as(base: &str, path: &str, token: &str, body: &str) -> (u16, Value) {
    let r = crate::common::client()
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

/// Service Canada leads, Access Nova Scotia delivers passports (with two
/// standards) and Service Canada a counter service.
fn terms(sc: i64, ns: i64) -> Value {
    json!({
        "title": "Halifax passport counter", "summary": "Passports at Access Nova Scotia.",
        "purpose": "single_window", "structure": "shared", "partnership_type": "collaborative",
        "starts_on": "2025-04-01", "ends_on": "2030-03-31", "currency": "CAD",
        "fiscal_year_start_month": 4,
        "parties": [
            {"organisation_id": sc, "role": "lead"},
            {"organisation_id": ns, "role": "partner"}
        ],
        "services": [
            {"code": "SC-0101", "name": "Passport renewals", "name_fr": "Renouvellement de passeport",
             "delivered_by": ns, "channels": ["in_person", "online"],
             "client_types": ["individuals"], "service_type": "licence", "fee": "57",
             "online_stages": ["application", "authentication", "feedback"],
             "standards": [
                {"channel": "in_person", "standard": "Passport within 10 working days",
                 "standard_fr": "Passeport en 10 jours ouvrables", "target": "90"},
                {"channel": "online", "standard": "Passport within 20 working days", "target": "95.0"}
             ]},
            {"name": "=SUM(A1) counter", "delivered_by": sc, "channels": ["in_person"]}
        ]
    })
}

fn fields(body: &Value) -> Vec<String> {
    body["error"]["details"]
        .as_array()
        .map(|d| {
            d.iter()
                .map(|e| e["field"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

async fn activate(base: &str, manager: &str, id: i64, version: i64) {
    let path = format!("/api/v1/agreements/{id}/transitions");
    if version == 1 {
        post_as(base, &path, manager, json!({"to": "negotiation"})).await;
        post_as(base, &path, manager, json!({"to": "pending_approval"})).await;
    }
    for e in EXECUTIVES {
        let token = login(base, e).await;
        let (status, a) = post_as(
            base,
            &format!("/api/v1/agreements/{id}/approvals"),
            &token,
            json!({"version": version}),
        )
        .await;
        assert_eq!(status, 201, "{e}: {a}");
    }
}

fn item<'a>(list: &'a Value, code: &str) -> &'a Value {
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["code"] == code)
        .unwrap_or_else(|| panic!("{code} in {list}"))
}

#[tokio::test]
async fn a_service_keeps_its_id_through_versions_and_its_standards_are_judged_as_by_hand() {
    pin_clock();
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let manager = login(&base, MANAGER).await;
        let orgs = crate::common::organisation_ids(&base, &manager).await;
        let (sc, ns) = (orgs["SC"], orgs["ACCESSNS"]);
        let name = &t.name;

        // Every rule is a field error; nothing is saved.
        let before = crate::common::count(&t.db, "agreements").await;
        let mut bad = terms(sc, ns);
        bad["services"][0]["code"] = json!("sc 101");
        bad["services"][0]["fee"] = json!("-5");
        bad["services"][0]["standards"][0]["target"] = json!("101");
        bad["services"][0]["standards"][1]["channel"] = json!("phone");
        bad["services"][1]["standards"] = json!([
            {"channel": "in_person", "standard": "", "target": "80"},
            {"channel": "in_person", "standard": "Again", "target": "80"}
        ]);
        let (status, body) = post_as(&base, "/api/v1/agreements", &manager, bad).await;
        assert_eq!(status, 422, "{name}: {body}");
        let f = fields(&body);
        for field in [
            "services[0].code",
            "services[0].fee",
            "services[0].standards[0].target",
            "services[0].standards[1].channel",
            "services[1].standards[0].standard",
            "services[1].standards[1].channel",
        ] {
            assert!(f.contains(&field.to_owned()), "{name}: {field} in {f:?}");
        }
        let mut twice = terms(sc, ns);
        twice["services"][1]["code"] = json!("SC-0101");
        let (status, body) = post_as(&base, "/api/v1/agreements", &manager, twice).await;
        assert_eq!(status, 422, "{name}: {body}");
        assert_eq!(fields(&body), ["services[1].code"], "{name}");
        assert_eq!(
            crate::common::count(&t.db, "agreements").await,
            before,
            "{name}"
        );

        // Saved: the first keeps its id, the second gets S-1; fee and
        // target in their checked forms.
        let (status, a) = post_as(&base, "/api/v1/agreements", &manager, terms(sc, ns)).await;
        assert_eq!(status, 201, "{name}: {a}");
        let id = a["id"].as_i64().unwrap();
        activate(&base, &manager, id, 1).await;
        let (_, a) = get_as(&format!("{base}/api/v1/agreements/{id}"), Some(&manager)).await;
        let s = &a["services"];
        assert_eq!(s[0]["code"], "SC-0101", "{name}: {s}");
        assert_eq!(s[1]["code"], "S-1", "{name}: {s}");
        assert_eq!(s[0]["fee"], "57.00", "{name}: {s}");
        assert_eq!(s[0]["service_type"], "licence", "{name}");
        assert_eq!(s[0]["standards"][1]["target"], "95", "{name}: {s}");
        assert_eq!(
            s[0]["standards"][0]["standard_fr"],
            "Passeport en 10 jours ouvrables"
        );
        let passport = s[0]["id"].as_i64().unwrap();
        let counter = s[1]["id"].as_i64().unwrap();

        // Volumes naming the service. Refused: another agreement's service,
        // a channel the service is not offered on, more meeting the
        // standard than transactions, a standard the service does not have.
        let volume = |period: &str, channel: &str, count: i64, service: i64, meeting: Value| {
            json!({"period": period, "channel": channel, "organisation_id": ns, "count": count,
                   "service_id": service, "meeting_standard": meeting})
        };
        let path = format!("/api/v1/agreements/{id}/volumes");
        let (_, demo) = get_as(&format!("{base}/api/v1/agreements/1"), Some(&manager)).await;
        let foreign = demo["services"][0]["id"].as_i64().unwrap();
        for (body, field) in [
            (
                volume("2026-09", "in_person", 10, foreign, json!(null)),
                "service_id",
            ),
            (
                volume("2026-09", "phone", 10, passport, json!(null)),
                "service_id",
            ),
            (
                volume("2026-09", "in_person", 10, passport, json!(11)),
                "meeting_standard",
            ),
            (
                volume("2026-09", "in_person", 10, passport, json!(-1)),
                "meeting_standard",
            ),
            (
                volume("2026-09", "in_person", 10, counter, json!(5)),
                "meeting_standard",
            ),
        ] {
            let (status, e) = post_as(&base, &path, &manager, body.clone()).await;
            assert_eq!(status, 422, "{name}: {body} → {e}");
            assert_eq!(fields(&e), [field], "{name}: {body} → {e}");
        }
        let volumes_before = crate::common::count(&t.db, "transaction_volumes").await;
        for body in [
            volume("2026-09", "in_person", 1000, passport, json!(950)),
            volume("2026-10", "in_person", 500, passport, json!(430)),
            volume("2026-10", "online", 200, passport, json!(150)),
            // Not judged: the partner did not say how many met it.
            volume("2026-10", "in_person", 300, counter, json!(null)),
        ] {
            let (status, e) = post_as(&base, &path, &manager, body).await;
            assert_eq!(status, 201, "{name}: {e}");
        }
        // By CSV: all rows or none, every bad row by line.
        let import = format!("/api/v1/agreements/{id}/volumes/import");
        let (status, e) = csv_as(
            &base,
            &import,
            &manager,
            "period,channel,organisation_id,count,service,meeting_standard\n\
             2026-08,online,ACCESSNS,100,SC-0101,99\n\
             2026-08,online,ACCESSNS,100,SC-9999,\n\
             2026-08,in_person,ACCESSNS,10,S-1,5\n",
        )
        .await;
        assert_eq!(status, 422, "{name}: {e}");
        let lines: Vec<u64> = e["error"]["details"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|d| d["line"].as_u64())
            .collect();
        assert_eq!(lines, [3, 4], "{name}: {e}");
        assert_eq!(
            crate::common::count(&t.db, "transaction_volumes").await,
            volumes_before + 4,
            "{name}: the bad file saved nothing"
        );
        let (status, e) = csv_as(
            &base,
            &import,
            &manager,
            "period,channel,organisation_id,count,service,meeting_standard\n\
             2026-08,online,ACCESSNS,100,SC-0101,99\n",
        )
        .await;
        assert_eq!(status, 201, "{name}: {e}");

        // Judged by hand over September and October: in person 1,500
        // judged, 1,380 met = 92.00 % ≥ 90; online 200 judged, 150 met =
        // 75.00 % < 95. August's online volume is outside the range.
        let list = format!("{base}/api/v1/services?agreement_id={id}&from=2026-09&to=2026-10");
        let (status, inv) = get_as(&list, Some(&manager)).await;
        assert_eq!(status, 200, "{name}: {inv}");
        assert_eq!(inv["total"], 2, "{name}: {inv}");
        assert_eq!(
            (inv["from"].as_str(), inv["to"].as_str()),
            (Some("2026-09"), Some("2026-10"))
        );
        let p = item(&inv, "SC-0101");
        assert_eq!(p["id"], passport, "{name}");
        assert_eq!(p["volume"], 1700, "{name}: {p}");
        assert_eq!(p["fully_online"], false, "{name}");
        assert_eq!(p["currency"], "CAD", "{name}");
        let st = &p["standards"];
        assert_eq!(st[0]["channel"], "in_person", "{name}: {st}");
        assert_eq!(
            (&st[0]["volume"], &st[0]["meeting"]),
            (&json!(1500), &json!(1380))
        );
        assert_eq!(st[0]["met_percent"], "92.00", "{name}: {st}");
        assert_eq!(st[0]["meets"], true, "{name}: {st}");
        assert_eq!(st[1]["met_percent"], "75.00", "{name}: {st}");
        assert_eq!(st[1]["meets"], false, "{name}: {st}");
        let c = item(&inv, "S-1");
        assert_eq!(c["volume"], 300, "{name}: {c}");
        assert_eq!(c["delivered_by_name"], "Service Canada", "{name}: {c}");
        // From August: 100 more online, 99 of them in time: 249 / 300 = 83.00 %.
        let (_, inv) = get_as(
            &format!("{base}/api/v1/services?agreement_id={id}&from=2026-08&to=2026-10"),
            Some(&manager),
        )
        .await;
        assert_eq!(
            item(&inv, "SC-0101")["standards"][1]["met_percent"],
            "83.00"
        );

        // Filters and sorts.
        let q = |query: &str| format!("{base}/api/v1/services?agreement_id={id}&{query}");
        for (query, expected) in [
            ("channel=online", vec!["SC-0101"]),
            ("client_type=businesses", vec![]),
            ("service_type=licence", vec!["SC-0101"]),
            ("q=renouvellement", vec!["SC-0101"]),
            (
                "online=false&sort=-volume&from=2026-09&to=2026-10",
                vec!["SC-0101", "S-1"],
            ),
            (
                "sort=volume&from=2026-09&to=2026-10",
                vec!["S-1", "SC-0101"],
            ),
        ] {
            let (status, inv) = get_as(&q(query), Some(&manager)).await;
            assert_eq!(status, 200, "{name}: {query}: {inv}");
            let codes: Vec<&str> = inv["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["code"].as_str().unwrap())
                .collect();
            assert_eq!(codes, expected, "{name}: {query}");
        }
        for (query, field) in [
            ("sort=fee", "sort"),
            ("from=2026-13", "from"),
            ("from=2026-10&to=2026-09", "to"),
        ] {
            let (status, e) = get_as(&q(query), Some(&manager)).await;
            assert_eq!(status, 422, "{name}: {query}: {e}");
            assert_eq!(fields(&e), [field], "{name}: {query}");
        }

        // CSV: each channel's target and share in columns; cells neutralised.
        let (status, csv) = text_as(
            &base,
            &format!("/api/v1/services.csv?agreement_id={id}&from=2026-09&to=2026-10"),
            &manager,
        )
        .await;
        assert_eq!(status, 200, "{name}: {csv}");
        let header = csv.lines().next().unwrap();
        assert!(
            header.starts_with("id,service_id,agreement_reference,name"),
            "{header}"
        );
        assert!(
            header.contains("in_person_target,in_person_met_percent"),
            "{header}"
        );
        assert!(csv.contains(",90,92.00,"), "{name}: {csv}");
        assert!(
            csv.contains("'=SUM(A1) counter"),
            "{name}: neutralised: {csv}"
        );

        // Only what the caller may see: a UK reporter and a UK manager see
        // none of it, by id or by text.
        for who in ["reporter@leeds.example", "manager@dwp.example"] {
            let token = login(&base, who).await;
            let (status, inv) = get_as(
                &format!("{base}/api/v1/services?agreement_id={id}"),
                Some(&token),
            )
            .await;
            assert_eq!(status, 200, "{name}: {who}");
            assert_eq!(inv["total"], 0, "{name}: {who}: {inv}");
            let (_, inv) = get_as(&format!("{base}/api/v1/services?q=SC-0101"), Some(&token)).await;
            assert_eq!(inv["total"], 0, "{name}: {who}: {inv}");
        }
        let (status, _) = get_as(&format!("{base}/api/v1/services"), None).await;
        assert_eq!(status, 401, "{name}");

        // An amendment renames the passport service (same id) and drops the
        // counter: once approved, the passport service is the same
        // inventory row with its volumes; the counter leaves the inventory.
        let (_, a) = get_as(&format!("{base}/api/v1/agreements/{id}"), Some(&manager)).await;
        let mut amended = terms(sc, ns);
        amended["services"] = json!([a["services"][0].clone()]);
        amended["services"][0]["name"] = json!("Passport services");
        amended["version"] = a["version"].clone();
        amended["change_summary"] = json!("Passports only");
        amended["effective_from"] = json!("2026-11-01");
        let (status, v) = put_as(
            &base,
            &format!("/api/v1/agreements/{id}"),
            &manager,
            amended,
        )
        .await;
        assert_eq!(status, 200, "{name}: {v}");
        // Proposed, not in force: the inventory is unchanged.
        let (_, inv) = get_as(&list, Some(&manager)).await;
        assert_eq!(inv["total"], 2, "{name}: {inv}");
        assert_eq!(item(&inv, "SC-0101")["name"], "Passport renewals", "{name}");
        let version = a["version"].as_i64().unwrap() + 1;
        activate(&base, &manager, id, version).await;
        let (_, inv) = get_as(&list, Some(&manager)).await;
        assert_eq!(inv["total"], 1, "{name}: {inv}");
        let p = item(&inv, "SC-0101");
        assert_eq!(
            (p["id"].as_i64(), p["name"].as_str()),
            (Some(passport), Some("Passport services"))
        );
        assert_eq!(
            p["volume"], 1700,
            "{name}: the volumes stay with the service"
        );
        // The version comparison names the service by its id.
        let (_, cmp) = get_as(
            &format!("{base}/api/v1/agreements/{id}/versions/compare?from=1&to={version}"),
            Some(&manager),
        )
        .await;
        let paths: Vec<&str> = cmp["changes"]
            .as_array()
            .map(|c| c.iter().filter_map(|x| x["path"].as_str()).collect())
            .unwrap_or_default();
        assert!(paths.contains(&"services[SC-0101].name"), "{name}: {cmp}");
    }
}

#[tokio::test]
async fn a_channel_costs_its_weighted_share_of_the_actual_cost_and_a_shift_saves_the_difference() {
    use app::domain::channel_shift::{Measured, price, shifted};
    use app::domain::cost::Volume;
    use app::domain::{Channel, Currency};
    use rust_decimal::Decimal;
    pin_clock();
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let manager = login(&base, MANAGER).await;
        let orgs = crate::common::organisation_ids(&base, &manager).await;
        let (sc, ns) = (orgs["SC"], orgs["ACCESSNS"]);
        let name = &t.name;
        let mut terms = terms(sc, ns);
        terms["services"] = json!([{"name": "Counter and kiosk", "delivered_by": ns, "channels": ["in_person", "kiosk"]}]);
        // One counter transaction weighs as much as eight at the kiosk.
        terms["cost_model"] = json!({"kind": "proportional", "channel_weights": {"in_person": "8"},
            "lines": [{"organisation_id": sc}, {"organisation_id": ns}]});
        let (status, a) = post_as(&base, "/api/v1/agreements", &manager, terms).await;
        assert_eq!(status, 201, "{name}: {a}");
        let id = a["id"].as_i64().unwrap();
        activate(&base, &manager, id, 1).await;
        for (period, kind, amount, org) in [
            ("2026-09", "actual", "12000.00", sc),
            ("2026-10", "actual", "5000.00", sc),
            ("2026-10", "actual", "4000.00", ns),
            // A budget is not a cost; August is outside the range.
            ("2026-10", "budget", "99999.00", sc),
            ("2026-08", "actual", "777.00", sc),
        ] {
            let (status, e) = post_as(
                &base,
                &format!("/api/v1/agreements/{id}/cost-entries"),
                &manager,
                json!({"period": period, "kind": kind, "category": "staff", "amount": amount, "organisation_id": org}),
            )
            .await;
            assert_eq!(status, 201, "{name}: {e}");
        }
        for (period, channel, org, count) in [
            ("2026-09", "in_person", ns, 100),
            ("2026-09", "kiosk", ns, 250),
            ("2026-09", "kiosk", sc, 150),
            ("2026-10", "in_person", sc, 50),
            ("2026-10", "kiosk", ns, 500),
            ("2026-08", "in_person", ns, 1000),
        ] {
            let (status, e) = post_as(
                &base,
                &format!("/api/v1/agreements/{id}/volumes"),
                &manager,
                json!({"period": period, "channel": channel, "organisation_id": org, "count": count}),
            )
            .await;
            assert_eq!(status, 201, "{name}: {e}");
        }
        // September: 12,000.00 over 100 at the counter (weighted 800) and
        // 400 at the kiosk (400): counter 8,000.00, kiosk 4,000.00.
        // October: 9,000.00 over 50 at the counter (400) and 500 at the
        // kiosk (500): counter 4,000.00, kiosk 5,000.00.
        // Counter: 12,000.00 / 150 = 80.00; kiosk: 9,000.00 / 900 = 10.00.
        let (status, v) = get_as(
            &format!("{base}/api/v1/agreements/{id}/channel-costs?from=2026-09&to=2026-10"),
            Some(&manager),
        )
        .await;
        assert_eq!(status, 200, "{name}: {v}");
        assert_eq!(
            (v["from"].as_str(), v["to"].as_str()),
            (Some("2026-09"), Some("2026-10"))
        );
        assert_eq!(v["total_cost"], "21000.00", "{name}: {v}");
        let rows: Vec<(String, i64, String, String)> = v["channels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["channel"].as_str().unwrap().to_owned(),
                    c["transactions"].as_i64().unwrap(),
                    c["cost"].as_str().unwrap().to_owned(),
                    c["cost_per_transaction"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                (
                    "in_person".to_owned(),
                    150,
                    "12000".to_owned(),
                    "80.00".to_owned()
                ),
                (
                    "kiosk".to_owned(),
                    900,
                    "9000".to_owned(),
                    "10.00".to_owned()
                )
            ],
            "{name}"
        );
        let volumes: Vec<Volume> = v["volumes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| Volume {
                organisation_id: x["organisation_id"].as_i64().unwrap() as i32,
                channel: x["channel"].as_str().unwrap().parse().unwrap(),
                count: x["count"].as_u64().unwrap(),
            })
            .collect();
        let total_in_person: u64 = volumes
            .iter()
            .filter(|x| x.channel == Channel::InPerson)
            .map(|x| x.count)
            .sum();
        assert_eq!(total_in_person, 150, "{name}: August is outside the range");
        // Moving a quarter of the counter to the kiosk: Access Nova Scotia
        // moves 25 of 100, Service Canada 12 of 50 (rounded down): 37 ×
        // (80.00 − 10.00) = 2,590.00 a period like this one.
        let measured = Measured::from_totals(v["channels"].as_array().unwrap().iter().map(|c| {
            (
                c["channel"].as_str().unwrap().parse::<Channel>().unwrap(),
                c["transactions"].as_u64().unwrap(),
                c["cost"].as_str().unwrap().parse::<Decimal>().unwrap(),
            )
        }));
        let after = shifted(&volumes, Channel::InPerson, Channel::Kiosk, 25);
        let cad = Currency::parse("CAD").unwrap();
        let cost = price(
            "21000.00".parse().unwrap(),
            &volumes,
            &after,
            &measured,
            cad,
        )
        .unwrap();
        assert_eq!(cost.saving.to_string(), "2590.00", "{name}");
        assert_eq!(cost.after.to_string(), "18410.00", "{name}");

        // A reversed range is a field error; an outsider learns nothing.
        let (status, e) = get_as(
            &format!("{base}/api/v1/agreements/{id}/channel-costs?from=2026-10&to=2026-09"),
            Some(&manager),
        )
        .await;
        assert_eq!(status, 422, "{name}: {e}");
        assert_eq!(fields(&e), ["to"], "{name}");
        let outsider = login(&base, "manager@dwp.example").await;
        let (status, _) = get_as(
            &format!("{base}/api/v1/agreements/{id}/channel-costs"),
            Some(&outsider),
        )
        .await;
        assert_eq!(status, 404, "{name}");
    }
}
