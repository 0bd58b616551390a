//! Cost sharing through the REST API (DOMAIN.md §3): the cost model as a
//! versioned term, cost entries and volumes one by one and by CSV (all rows
//! or none), and the reconciliation of a period checked against a hand
//! computation — on SQLite and PostgreSQL.

use crate::common::{count, get_as, login, seeded_databases, spawn, who};
use serde_json::{Value, json};
use std::collections::HashMap;

const MANAGER: &str = "manager@servicecanada.example";
const REPORTER: &str = "reporter@accessns.example";
const EXECUTIVE: &str = "executive@accessns.example";

struct Api {
    base: String,
    client: reqwest::Client,
    orgs: HashMap<String, i64>,
}

impl Api {
    async fn new(base: String) -> Api {
        let token = login(&base, MANAGER).await;
        let (_, list) = get_as(
            &format!("{base}/api/v1/organisations?limit=1000"),
            Some(&token),
        )
        .await;
        let orgs = list["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|o| {
                (
                    o["code"].as_str().unwrap().to_owned(),
                    o["id"].as_i64().unwrap(),
                )
            })
            .collect();
        Api {
            base,
            client: crate::common::client(),
            orgs,
        }
    }

    fn org(&self, code: &str) -> i64 {
        self.orgs[code]
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> (u16, Value) {
        let r = req.send().await.expect("request");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    async fn post(&self, path: &str, token: &str, body: Value) -> (u16, Value) {
        self.send(
            self.client
                .post(format!("{}{path}", self.base))
                .bearer_auth(token)
                .json(&body),
        )
        .await
    }

    async fn put(&self, path: &str, token: &str, body: Value) -> (u16, Value) {
        self.send(
            self.client
                .put(format!("{}{path}", self.base))
                .bearer_auth(token)
                .json(&body),
        )
        .await
    }

    async fn get(&self, path: &str, token: &str) -> (u16, Value) {
        self.send(
            self.client
                .get(format!("{}{path}", self.base))
                .bearer_auth(token),
        )
        .await
    }

    async fn csv(&self, path: &str, token: &str, body: &'static [u8]) -> (u16, Value) {
        self.send(
            self.client
                .post(format!("{}{path}", self.base))
                .bearer_auth(token)
                .header("content-type", "text/csv")
                .body(body),
        )
        .await
    }

    /// A draft: Service Canada leads; Nova Scotia Community Services and
    /// Access Nova Scotia are partners. Term 2025–2027, calendar fiscal year.
    async fn draft(&self, token: &str) -> i64 {
        let body = json!({
            "title": "Cost test", "purpose": "single_window", "structure": "shared",
            "partnership_type": "collaborative", "starts_on": "2025-01-01",
            "ends_on": "2027-12-31", "currency": "CAD",
            "parties": [
                {"organisation_id": self.org("SC"), "role": "lead"},
                {"organisation_id": self.org("NS-CS"), "role": "partner"},
                {"organisation_id": self.org("ACCESSNS"), "role": "partner"}
            ]
        });
        let (status, a) = self.post("/api/v1/agreements", token, body).await;
        assert_eq!(status, 201, "{a}");
        a["id"].as_i64().expect("id")
    }

    /// Fixed 70 / 20 / 10 with a 150.00 floor for Access Nova Scotia.
    fn model(&self) -> Value {
        json!({"kind": "fixed", "lines": [
            {"organisation_id": self.org("SC"), "percent": "70"},
            {"organisation_id": self.org("NS-CS"), "percent": "20"},
            {"organisation_id": self.org("ACCESSNS"), "percent": "10", "floor": "150.00"}
        ]})
    }
}

fn fields(body: &Value) -> Vec<(Option<u64>, String)> {
    body["error"]["details"]
        .as_array()
        .map(|d| {
            d.iter()
                .map(|x| {
                    (
                        x["line"].as_u64(),
                        x["field"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn the_cost_model_is_a_versioned_term_checked_rule_by_rule() {
    for t in seeded_databases().await {
        let api = Api::new(spawn(t.db.clone()).await).await;
        let token = login(&api.base, MANAGER).await;
        let id = api.draft(&token).await;
        let path = format!("/api/v1/agreements/{id}/cost-model");

        // Percentages that do not sum to 100, a floor above its cap, a
        // rate with too many digits: each its own field error, nothing saved.
        let mut bad = api.model();
        bad["lines"][0]["percent"] = json!("69");
        bad["lines"][1]["cap"] = json!("10.00");
        bad["lines"][1]["floor"] = json!("20.00");
        bad["lines"][2]["floor"] = json!("150.001");
        let (status, body) = api
            .put(
                &path,
                &token,
                json!({"model": bad, "version": 1, "change_summary": "Model"}),
            )
            .await;
        assert_eq!(status, 422, "{}: {body}", t.name);
        let f: Vec<String> = fields(&body).into_iter().map(|(_, f)| f).collect();
        assert!(f.contains(&"cost_model.lines[2].floor".to_owned()), "{f:?}");
        let (_, a) = api.get(&format!("/api/v1/agreements/{id}"), &token).await;
        assert_eq!(a["version"], 1);
        assert!(a["cost_model"].is_null());

        let mut bad = api.model();
        bad["lines"][0]["percent"] = json!("69");
        bad["lines"][1]["cap"] = json!("10.00");
        bad["lines"][1]["floor"] = json!("20.00");
        let (status, body) = api
            .put(
                &path,
                &token,
                json!({"model": bad, "version": 1, "change_summary": "Model"}),
            )
            .await;
        assert_eq!(status, 422, "{body}");
        let f: Vec<String> = fields(&body).into_iter().map(|(_, f)| f).collect();
        assert!(f.contains(&"cost_model.lines".to_owned()), "{f:?}");
        assert!(f.contains(&"cost_model.lines[1].floor".to_owned()), "{f:?}");

        // A party that is not in the agreement.
        let mut bad = api.model();
        bad["lines"][2]["organisation_id"] = json!(api.org("SNSW"));
        let (status, body) = api
            .put(
                &path,
                &token,
                json!({"model": bad, "version": 1, "change_summary": "Model"}),
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(
            body["error"]["details"][0]["message"]
                .as_str()
                .unwrap()
                .contains("not a party"),
            "{body}"
        );

        // Saved: version 2, shown by GET with money at the currency's digits.
        let (status, a) = api
            .put(
                &path,
                &token,
                json!({"model": api.model(), "version": 1, "change_summary": "Fixed 70/20/10"}),
            )
            .await;
        assert_eq!(status, 200, "{a}");
        assert_eq!(a["version"], 2);
        assert_eq!(a["cost_model"]["kind"], "fixed");
        let line = a["cost_model"]["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["organisation_id"] == json!(api.org("ACCESSNS")))
            .cloned()
            .unwrap();
        assert_eq!(line["floor"], "150.00");
        assert_eq!(line["percent"], "10");
        // The version records it; a stale save is refused.
        let (_, versions) = api
            .get(&format!("/api/v1/agreements/{id}/versions"), &token)
            .await;
        assert_eq!(versions["items"].as_array().unwrap().len(), 2);
        let (status, _) = api
            .put(
                &path,
                &token,
                json!({"model": null, "version": 1, "change_summary": "Stale"}),
            )
            .await;
        assert_eq!(status, 409);
        // Reporters and executives may not change terms.
        let reporter = login(&api.base, REPORTER).await;
        let (status, _) = api
            .put(
                &path,
                &reporter,
                json!({"model": api.model(), "version": 2, "change_summary": "x"}),
            )
            .await;
        assert_eq!(status, 403);
    }
}

#[tokio::test]
async fn a_quarter_reconciles_to_the_cent_as_computed_by_hand() {
    for t in seeded_databases().await {
        let api = Api::new(spawn(t.db.clone()).await).await;
        let token = login(&api.base, MANAGER).await;
        let id = api.draft(&token).await;
        let (status, _) = api
            .put(
                &format!("/api/v1/agreements/{id}/cost-model"),
                &token,
                json!({"model": api.model(), "version": 1, "change_summary": "Model"}),
            )
            .await;
        assert_eq!(status, 200);
        let (sc, nscs, ans) = (api.org("SC"), api.org("NS-CS"), api.org("ACCESSNS"));
        let entries = format!("/api/v1/agreements/{id}/cost-entries");
        for (period, kind, category, amount, org, who) in [
            ("2025-01", "actual", "staff", "1000.00", sc, MANAGER),
            ("2025-Q1", "budget", "staff", "3000.00", sc, MANAGER),
            ("2025-02", "actual", "premises", "500.00", ans, REPORTER),
        ] {
            let tok = login(&api.base, who).await;
            let (status, body) = api
                .post(&entries, &tok, json!({"period": period, "kind": kind, "category": category, "amount": amount, "organisation_id": org}))
                .await;
            assert_eq!(status, 201, "{}: {body}", t.name);
            assert_eq!(body["amount"], amount);
        }

        // January: 700 / 200 / 100, the 150.00 floor lifts Access Nova
        // Scotia and the 50 comes off the others 7:2 → 661.11, 188.89 (the
        // leftover cent to the larger remainder), 150.00. February: 350 /
        // 100 / 50 → 272.22, 77.78, 150.00.
        let (status, r) = api
            .get(
                &format!("/api/v1/agreements/{id}/reconciliation?period=2025-Q1"),
                &token,
            )
            .await;
        assert_eq!(status, 200, "{r}");
        assert_eq!(r["currency"], "CAD");
        assert_eq!(r["from"], "2025-01-01");
        assert_eq!(r["to"], "2025-03-31");
        assert_eq!(r["total_cost"], "1500.00");
        assert_eq!(r["total_due"], "1500.00");
        assert_eq!(r["budget"], "3000.00");
        assert_eq!(r["variance"], "-1500.00");
        assert_eq!(r["provisional"], true);
        let months: Vec<&str> = r["months"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["period"].as_str().unwrap())
            .collect();
        assert_eq!(months, ["2025-01", "2025-02"], "March has nothing to share");
        let party = |org: i64| {
            r["parties"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["organisation_id"] == json!(org))
                .cloned()
                .unwrap()
        };
        assert_eq!(party(sc)["due"], "933.33");
        assert_eq!(party(sc)["paid"], "1000.00");
        assert_eq!(party(sc)["balance"], "-66.67");
        assert_eq!(party(sc)["budget"], "3000.00");
        assert_eq!(party(nscs)["due"], "266.67");
        assert_eq!(party(nscs)["balance"], "266.67");
        assert_eq!(party(ans)["due"], "300.00");
        assert_eq!(party(ans)["balance"], "-200.00");
        // The largest debtor pays the largest creditor, then the rest.
        assert_eq!(
            r["transfers"],
            json!([{"from": nscs, "to": ans, "amount": "200.00"},
                   {"from": nscs, "to": sc, "amount": "66.67"}])
        );
        let staff = r["categories"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["category"] == "staff")
            .cloned()
            .unwrap();
        assert_eq!(
            staff,
            json!({"category": "staff", "budget": "3000.00", "actual": "1000.00", "variance": "-2000.00"})
        );
        // A month alone; the quarter's budget does not count in it.
        let (_, jan) = api
            .get(
                &format!("/api/v1/agreements/{id}/reconciliation?period=2025-01"),
                &token,
            )
            .await;
        assert_eq!(jan["total_cost"], "1000.00");
        assert_eq!(jan["budget"], "0.00");

        // The same as CSV.
        let r = crate::common::client()
            .get(format!(
                "{}/api/v1/agreements/{id}/reconciliation.csv?period=2025-Q1",
                api.base
            ))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        let text = r.text().await.unwrap();
        assert!(
            text.starts_with(
                "section,organisation_id,organisation,organisation_fr,due,paid,balance,budget\n"
            ),
            "{text}"
        );
        assert!(text.contains(&format!("party,{nscs},")), "{text}");
        // Each organisation in both languages.
        assert!(
            text.contains("Nova Scotia Department of Community Services,Ministère des Services communautaires de la Nouvelle-Écosse,"),
            "{text}"
        );
        assert!(text.contains("transfer,"), "{text}");

        // Bad periods: malformed, missing, outside the term.
        for q in ["?period=2025-1", "", "?period=2031-Q1"] {
            let (status, body) = api
                .get(
                    &format!("/api/v1/agreements/{id}/reconciliation{q}"),
                    &token,
                )
                .await;
            assert_eq!(status, 422, "{q}: {body}");
            assert_eq!(body["error"]["details"][0]["field"], "period");
        }
        // Someone outside the agreement does not learn it exists.
        let outsider = login(&api.base, who::REPORTER_SNSW).await;
        let (status, _) = api
            .get(
                &format!("/api/v1/agreements/{id}/reconciliation?period=2025-Q1"),
                &outsider,
            )
            .await;
        assert_eq!(status, 404);
    }
}

#[tokio::test]
async fn bad_cost_entries_and_volumes_are_refused_field_by_field_and_nothing_is_saved() {
    for t in seeded_databases().await {
        let db = t.db.clone();
        let api = Api::new(spawn(t.db.clone()).await).await;
        let token = login(&api.base, MANAGER).await;
        let id = api.draft(&token).await;
        let entries = format!("/api/v1/agreements/{id}/cost-entries");
        let before = count(&db, "cost_entries").await;
        let sc = api.org("SC");
        for (body, field) in [
            (
                json!({"period": "2025-01", "kind": "actual", "category": "staff", "amount": "10.005", "organisation_id": sc}),
                "amount",
            ),
            (
                json!({"period": "2025-01", "kind": "actual", "category": "staff", "amount": "-10.00", "organisation_id": sc}),
                "amount",
            ),
            (
                json!({"period": "2025-01", "kind": "actual", "category": "staff", "amount": "ten", "organisation_id": sc}),
                "amount",
            ),
            (
                json!({"period": "2025-1", "kind": "actual", "category": "staff", "amount": "10.00", "organisation_id": sc}),
                "period",
            ),
            (
                json!({"period": "2025-Q1", "kind": "actual", "category": "staff", "amount": "10.00", "organisation_id": sc}),
                "period",
            ),
            (
                json!({"period": "2024-12", "kind": "actual", "category": "staff", "amount": "10.00", "organisation_id": sc}),
                "period",
            ),
            (
                json!({"period": "2027-12", "kind": "actual", "category": "staff", "amount": "10.00", "organisation_id": sc}),
                "period",
            ),
            (
                json!({"period": "2025-01", "kind": "actual", "category": "staff", "amount": "10.00", "organisation_id": api.org("SNSW")}),
                "organisation_id",
            ),
        ] {
            let (status, err) = api.post(&entries, &token, body.clone()).await;
            assert_eq!(status, 422, "{}: {body} → {err}", t.name);
            assert_eq!(err["error"]["details"][0]["field"], field, "{body}");
        }
        // Unknown enum values are a 400.
        let (status, _) = api
            .post(&entries, &token, json!({"period": "2025-01", "kind": "actual", "category": "snacks", "amount": "1.00", "organisation_id": sc}))
            .await;
        assert_eq!(status, 400);
        assert_eq!(count(&db, "cost_entries").await, before);

        // A reporter records for their own organisation only; an executive
        // may not record; an outsider gets a 404.
        let reporter = login(&api.base, REPORTER).await;
        let (status, err) = api
            .post(&entries, &reporter, json!({"period": "2025-01", "kind": "actual", "category": "staff", "amount": "1.00", "organisation_id": sc}))
            .await;
        assert_eq!(status, 422);
        assert!(
            err["error"]["details"][0]["message"]
                .as_str()
                .unwrap()
                .contains("your own")
        );
        let exec = login(&api.base, EXECUTIVE).await;
        let (status, _) = api
            .post(&entries, &exec, json!({"period": "2025-01", "kind": "actual", "category": "staff", "amount": "1.00", "organisation_id": api.org("ACCESSNS")}))
            .await;
        assert_eq!(status, 403);
        let outsider = login(&api.base, who::REPORTER_SNSW).await;
        let (status, _) = api
            .post(&entries, &outsider, json!({"period": "2025-01", "kind": "actual", "category": "staff", "amount": "1.00", "organisation_id": api.org("SNSW")}))
            .await;
        assert_eq!(status, 404);

        // Volumes: negative counts and future months are refused; a second
        // count for the same month, channel and party replaces the first.
        let volumes = format!("/api/v1/agreements/{id}/volumes");
        let (status, err) = api
            .post(&volumes, &token, json!({"period": "2025-01", "channel": "online", "organisation_id": sc, "count": -1}))
            .await;
        assert_eq!(
            (status, err["error"]["details"][0]["field"].clone()),
            (422, json!("count"))
        );
        let (status, _) = api
            .post(&volumes, &token, json!({"period": "2027-11", "channel": "online", "organisation_id": sc, "count": 1}))
            .await;
        assert_eq!(status, 422);
        for n in [10, 12] {
            let (status, v) = api
                .post(&volumes, &token, json!({"period": "2025-01", "channel": "online", "organisation_id": sc, "count": n}))
                .await;
            assert_eq!(status, 201, "{v}");
        }
        let (_, ledger) = api
            .get(
                &format!("/api/v1/agreements/{id}/ledger?period=2025-01"),
                &token,
            )
            .await;
        assert_eq!(ledger["volumes"].as_array().unwrap().len(), 1);
        assert_eq!(ledger["volumes"][0]["count"], 12);
    }
}

#[tokio::test]
async fn a_csv_upload_saves_every_row_or_none_and_lists_each_bad_line() {
    for t in seeded_databases().await {
        let db = t.db.clone();
        let api = Api::new(spawn(t.db.clone()).await).await;
        let token = login(&api.base, MANAGER).await;
        let id = api.draft(&token).await;
        let import = format!("/api/v1/agreements/{id}/cost-entries/import");
        let before = count(&db, "cost_entries").await;

        // Lines 3 and 5 are bad (too many decimals; not a party); line 4
        // names its party by code. Nothing is written.
        let bad: &'static [u8] = b"period,kind,category,amount,organisation_id\n\
2025-01,actual,staff,100.00,SC\n\
2025-01,actual,staff,1.001,SC\n\
2025-02,actual,premises,\"1,5\",NS-CS\n\
2025-02,actual,other,5.00,SNSW\n";
        let (status, err) = api.csv(&import, &token, bad).await;
        assert_eq!(status, 422, "{}: {err}", t.name);
        let lines: Vec<u64> = fields(&err).into_iter().filter_map(|(l, _)| l).collect();
        assert_eq!(lines, [3, 4, 5], "{err}");
        assert_eq!(count(&db, "cost_entries").await, before);

        // With a byte-order mark and CRLF line ends: all rows saved.
        let good: &'static [u8] = b"\xEF\xBB\xBFperiod,kind,category,amount,organisation_id\r\n\
2025-01,actual,staff,100.00,SC\r\n\
2025-02,actual,premises,150.50,NS-CS\r\n\
2025-Q1,budget,staff,900.00,SC\r\n";
        let (status, ok) = api.csv(&import, &token, good).await;
        assert_eq!(status, 201, "{ok}");
        assert_eq!(ok, json!({"imported": 3}));
        assert_eq!(count(&db, "cost_entries").await, before + 3);

        // Ragged rows, unknown columns and non-UTF-8 files are refused whole.
        for (file, line) in [
            (&b"period,kind,category,amount,organisation_id\n2025-01,actual,staff\n"[..], Some(2)),
            (&b"period,kind,category,amount,organisation_id,colour\n"[..], Some(1)),
            (&b"period,kind,category,amount,organisation_id\n2025-01,actual,staff,1.00,SC\n2025-01,actual,staff,\xff,SC\n"[..], Some(3)),
        ] {
            let (status, err) = api.csv(&import, &token, file).await;
            assert_eq!(status, 422, "{err}");
            assert_eq!(err["error"]["details"][0]["line"].as_u64(), line, "{err}");
        }
        assert_eq!(count(&db, "cost_entries").await, before + 3);
        // Not CSV at all: 415.
        let (status, _) = api.post(&import, &token, json!({"rows": []})).await;
        assert_eq!(status, 415);

        // Volumes: the same month, channel and party twice in one file is
        // refused by line.
        let vimport = format!("/api/v1/agreements/{id}/volumes/import");
        let dup: &'static [u8] = b"period,channel,organisation_id,count\n\
2025-01,online,SC,10\n\
2025-01,phone,SC,3\n\
2025-01,online,SC,11\n";
        let (status, err) = api.csv(&vimport, &token, dup).await;
        assert_eq!(status, 422);
        assert_eq!(err["error"]["details"][0]["line"], 4);
        let ok: &'static [u8] =
            b"period,channel,organisation_id,count\n2025-01,online,SC,10\n2025-01,phone,SC,3\n";
        let (status, body) = api.csv(&vimport, &token, ok).await;
        assert_eq!((status, body), (201, json!({"imported": 2})));
    }
}

#[tokio::test]
async fn the_demo_portfolio_reconciles_under_the_version_in_force() {
    for t in seeded_databases().await {
        let api = Api::new(spawn(t.db.clone()).await).await;
        let token = login(&api.base, who::OVERSIGHT).await;
        let (_, list) = api.get("/api/v1/agreements?q=AGR-2023-0001", &token).await;
        let id = list["items"][0]["id"].as_i64().expect("AGR-2023-0001");
        let path = format!("/api/v1/agreements/{id}/reconciliation?period=FY2025");
        let (status, r) = api.get(&path, &token).await;
        assert_eq!(status, 200, "{}: {r}", t.name);
        assert_eq!(r["provisional"], false);
        assert_eq!(r["months"].as_array().unwrap().len(), 12);
        assert!(
            r["months"]
                .as_array()
                .unwrap()
                .iter()
                .all(|m| m["version"] == 1)
        );
        // The parts add up to the total, the balances to zero, and the
        // transfers are fewer than the parties.
        let d = |v: &Value| {
            v.as_str()
                .unwrap()
                .parse::<rust_decimal::Decimal>()
                .unwrap()
        };
        let parties = r["parties"].as_array().unwrap();
        let due: rust_decimal::Decimal = parties.iter().map(|p| d(&p["due"])).sum();
        let balance: rust_decimal::Decimal = parties.iter().map(|p| d(&p["balance"])).sum();
        assert_eq!(due, d(&r["total_cost"]));
        assert!(balance.is_zero());
        assert!(r["transfers"].as_array().unwrap().len() < parties.len());
        // ESDC's 25,000.00 monthly floor holds: at least 12 × 25,000.
        let esdc = parties
            .iter()
            .find(|p| p["organisation_id"] == json!(api.org("ESDC")))
            .unwrap();
        assert!(d(&esdc["due"]) >= "300000".parse().unwrap(), "{esdc}");

        // A pending amendment does not change the past: version 2 proposes
        // another model, version 1 still governs FY2025.
        let manager = login(&api.base, MANAGER).await;
        let (_, a) = api.get(&format!("/api/v1/agreements/{id}"), &manager).await;
        let lines: Vec<Value> = a["parties"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
            .map(|(i, p)| json!({"organisation_id": p["organisation_id"], "percent": if i == 0 { "100" } else { "0" }}))
            .collect();
        let (status, body) = api
            .put(
                &format!("/api/v1/agreements/{id}/cost-model"),
                &manager,
                json!({"model": {"kind": "fixed", "lines": lines}, "version": a["version"], "change_summary": "All on the lead"}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (_, again) = api.get(&path, &token).await;
        assert_eq!(again["parties"], r["parties"]);
    }
}
