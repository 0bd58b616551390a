//! Drafting and negotiating agreements through the REST API: every rule of
//! the terms, versions and optimistic concurrency, the lifecycle, approvals,
//! amendments, comments and withdrawal — on SQLite and PostgreSQL.

use crate::common::{get_as, login, seeded_databases, spawn};
use serde_json::{Value, json};
use std::collections::HashMap;

const MANAGER: &str = "manager@servicecanada.example";
const PARTNER_MANAGER: &str = "manager@novascotia.example";
const EXECUTIVES: [&str; 3] = [
    "executive@servicecanada.example",
    "executive@novascotia.example",
    "executive@isans.example",
];

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

    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self
            .client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.expect("request");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    async fn post(&self, path: &str, token: &str, body: Value) -> (u16, Value) {
        self.send(reqwest::Method::POST, path, token, Some(body))
            .await
    }

    async fn put(&self, path: &str, token: &str, body: Value) -> (u16, Value) {
        self.send(reqwest::Method::PUT, path, token, Some(body))
            .await
    }

    async fn get(&self, path: &str, token: &str) -> (u16, Value) {
        self.send(reqwest::Method::GET, path, token, None).await
    }

    /// Valid terms: Service Canada leads, Nova Scotia Community Services and
    /// a community organisation are partners (jurisdictional and sectoral).
    fn terms(&self) -> Value {
        json!({
            "title": "Halifax Newcomer Single Window", "summary": "One door for newcomers.",
            "purpose": "single_window", "structure": "shared", "partnership_type": "collaborative",
            "starts_on": "2027-04-01", "ends_on": "2030-03-31", "currency": "CAD",
            "fiscal_year_start_month": 4,
            "parties": [
                {"organisation_id": self.org("SC"), "role": "lead"},
                {"organisation_id": self.org("NS-CS"), "role": "partner"},
                {"organisation_id": self.org("ISANS"), "role": "partner"}
            ],
            "services": [{"name": "Settlement referrals", "delivered_by": self.org("ISANS"), "channels": ["in_person", "phone"]}],
            "life_events": ["moving_to_country"],
            "governance": [{"section": "committee", "body": "A steering committee of the three parties."}]
        })
    }

    async fn create(&self, token: &str) -> i64 {
        let (status, a) = self.post("/api/v1/agreements", token, self.terms()).await;
        assert_eq!(status, 201, "{a}");
        a["id"].as_i64().expect("id")
    }

    async fn save(&self, id: i64, token: &str, version: i64, title: &str) -> (u16, Value) {
        let mut body = self.terms();
        body["title"] = json!(title);
        body["version"] = json!(version);
        body["change_summary"] = json!(format!("Retitled {title}"));
        self.put(&format!("/api/v1/agreements/{id}"), token, body)
            .await
    }
}

/// Breaks one rule in a copy of valid terms.
type Breaker = Box<dyn Fn(&mut Value)>;

async fn count_agreements(api: &Api, token: &str) -> u64 {
    let (_, list) = api.get("/api/v1/agreements", token).await;
    list["total"].as_u64().expect("total")
}

#[tokio::test]
async fn a_manager_drafts_an_agreement_as_version_1_with_its_boundaries_derived() {
    for t in seeded_databases().await {
        let api = Api::new(spawn(t.db.clone()).await).await;
        let token = login(&api.base, MANAGER).await;
        let (status, a) = api.post("/api/v1/agreements", &token, api.terms()).await;
        assert_eq!(status, 201, "{}: {a}", t.name);
        assert_eq!(a["version"], 1);
        assert_eq!(a["status"], "draft");
        let reference = a["reference"].as_str().unwrap();
        assert!(
            reference.starts_with("AGR-20") && reference.len() == 13,
            "{reference}"
        );
        assert_eq!(a["boundaries"], json!(["jurisdictional", "sectoral"]));
        assert_eq!(a["services"][0]["channels"], json!(["in_person", "phone"]));
        let (_, versions) = api
            .get(&format!("/api/v1/agreements/{}/versions", a["id"]), &token)
            .await;
        assert_eq!(versions["items"].as_array().unwrap().len(), 1);
        assert_eq!(versions["items"][0]["number"], 1);
        assert_eq!(versions["items"][0]["author_name"], "Julie Gagnon");
    }
}

#[tokio::test]
async fn every_rule_of_the_terms_is_a_field_error_and_nothing_is_saved() {
    for t in seeded_databases().await {
        let api = Api::new(spawn(t.db.clone()).await).await;
        let token = login(&api.base, MANAGER).await;
        let before = count_agreements(&api, &token).await;
        let sc = api.org("SC");
        let nscs = api.org("NS-CS");
        let cases: Vec<(&str, Breaker, &str)> = vec![
            (
                "no lead",
                Box::new(|b| b["parties"][0]["role"] = json!("partner")),
                "parties",
            ),
            (
                "two leads",
                Box::new(|b| b["parties"][1]["role"] = json!("lead")),
                "parties",
            ),
            (
                "service agent missing",
                Box::new(|b| b["structure"] = json!("service_agent")),
                "parties",
            ),
            (
                "host missing",
                Box::new(|b| b["structure"] = json!("co_located")),
                "parties",
            ),
            (
                "direct across governments",
                Box::new(|b| b["structure"] = json!("direct")),
                "parties",
            ),
            (
                "end before start",
                Box::new(|b| b["ends_on"] = json!("2027-01-01")),
                "ends_on",
            ),
            (
                "unknown organisation",
                Box::new(|b| b["parties"][2]["organisation_id"] = json!(999_999)),
                "parties[2].organisation_id",
            ),
            (
                "duplicate party",
                Box::new(move |b| b["parties"][2]["organisation_id"] = json!(sc)),
                "parties",
            ),
            (
                "title too long",
                Box::new(|b| b["title"] = json!("x".repeat(201))),
                "title",
            ),
            (
                "empty title",
                Box::new(|b| b["title"] = json!("  ")),
                "title",
            ),
            (
                "unknown currency",
                Box::new(|b| b["currency"] = json!("XYZ")),
                "currency",
            ),
            (
                "service by a non-party",
                Box::new(|b| b["services"][0]["delivered_by"] = json!(999_999)),
                "services[0].delivered_by",
            ),
            (
                "unknown life event",
                Box::new(|b| b["life_events"] = json!(["winning_the_lottery"])),
                "life_events[0]",
            ),
            (
                "bad fiscal month",
                Box::new(|b| b["fiscal_year_start_month"] = json!(13)),
                "fiscal_year_start_month",
            ),
            // Tell Us Once: who passes a notice to whom.
            (
                "propagation for a life event not covered",
                Box::new(move |b| {
                    b["propagation"] = json!([{"life_event": "death", "intake_organisation_id": sc,
                        "told_organisation_ids": [nscs], "acknowledge_days": 2, "act_days": 10}]);
                }),
                "propagation[0].life_event",
            ),
            (
                "propagation intake not a party",
                Box::new(move |b| {
                    b["propagation"] = json!([{"life_event": "moving_to_country", "intake_organisation_id": 999_999,
                        "told_organisation_ids": [nscs], "acknowledge_days": 2, "act_days": 10}]);
                }),
                "propagation[0].intake_organisation_id",
            ),
            (
                "propagation telling the intake party",
                Box::new(move |b| {
                    b["propagation"] = json!([{"life_event": "moving_to_country", "intake_organisation_id": sc,
                        "told_organisation_ids": [sc, nscs], "acknowledge_days": 2, "act_days": 10}]);
                }),
                "propagation[0].told_organisation_ids",
            ),
            (
                "propagation telling nobody",
                Box::new(move |b| {
                    b["propagation"] = json!([{"life_event": "moving_to_country", "intake_organisation_id": sc,
                        "told_organisation_ids": [], "acknowledge_days": 2, "act_days": 10}]);
                }),
                "propagation[0].told_organisation_ids",
            ),
            (
                "propagation acting before acknowledging",
                Box::new(move |b| {
                    b["propagation"] = json!([{"life_event": "moving_to_country", "intake_organisation_id": sc,
                        "told_organisation_ids": [nscs], "acknowledge_days": 5, "act_days": 3}]);
                }),
                "propagation[0].act_days",
            ),
            (
                "propagation target beyond a year of working days",
                Box::new(move |b| {
                    b["propagation"] = json!([{"life_event": "moving_to_country", "intake_organisation_id": sc,
                        "told_organisation_ids": [nscs], "acknowledge_days": 2, "act_days": 261}]);
                }),
                "propagation[0].act_days",
            ),
            // Minimum service levels (the services offer in person and phone).
            (
                "minimum on a channel no service offers",
                Box::new(|b| b["channel_minimums"] = json!([{"channel": "kiosk", "share": "10"}])),
                "channel_minimums[0].channel",
            ),
            (
                "two minimums on one channel",
                Box::new(|b| {
                    b["channel_minimums"] = json!([{"channel": "phone", "share": "10"},
                        {"channel": "phone", "share": "20"}]);
                }),
                "channel_minimums[1].channel",
            ),
            (
                "minimum keeping nothing",
                Box::new(|b| b["channel_minimums"] = json!([{"channel": "phone", "share": "0"}])),
                "channel_minimums[0].share",
            ),
            (
                "minimum above 100 %",
                Box::new(|b| {
                    b["channel_minimums"] = json!([{"channel": "phone", "share": "100.5"}]);
                }),
                "channel_minimums[0].share",
            ),
            (
                "minimum that is not a number",
                Box::new(|b| b["channel_minimums"] = json!([{"channel": "phone", "share": "1e2"}])),
                "channel_minimums[0].share",
            ),
            (
                "minimums keeping more than every transaction",
                Box::new(|b| {
                    b["channel_minimums"] = json!([{"channel": "phone", "share": "60"},
                        {"channel": "in_person", "share": "40.01"}]);
                }),
                "channel_minimums",
            ),
            // Translations are bounded like the texts they translate.
            (
                "French title too long",
                Box::new(|b| b["title_fr"] = json!("é".repeat(201))),
                "title_fr",
            ),
            (
                "French service name too long",
                Box::new(|b| b["services"][0]["name_fr"] = json!("é".repeat(201))),
                "services[0].name_fr",
            ),
            (
                "French governance text too long",
                Box::new(|b| b["governance"][0]["body_fr"] = json!("é".repeat(10_001))),
                "governance[0].body_fr",
            ),
            (
                "French barrier description too long",
                Box::new(|b| {
                    b["barriers"] = json!([{"category": "legal", "description": "Privacy law",
                        "description_fr": "é".repeat(10_001), "severity": 3, "status": "open"}]);
                }),
                "barriers[0].description_fr",
            ),
            (
                "French mitigation too long",
                Box::new(|b| {
                    b["barriers"] = json!([{"category": "legal", "description": "Privacy law",
                        "severity": 3, "mitigation": "Consent", "mitigation_fr": "é".repeat(10_001),
                        "status": "open"}]);
                }),
                "barriers[0].mitigation_fr",
            ),
        ];
        for (what, break_it, field) in cases {
            let mut body = api.terms();
            break_it(&mut body);
            let (status, err) = api.post("/api/v1/agreements", &token, body).await;
            assert_eq!(status, 422, "{}: {what}: {err}", t.name);
            assert_eq!(err["error"]["code"], "validation_failed");
            let fields: Vec<&str> = err["error"]["details"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["field"].as_str().unwrap())
                .collect();
            assert!(fields.contains(&field), "{}: {what}: {fields:?}", t.name);
        }
        // Wrong types and unknown enum values are a 400.
        let mut body = api.terms();
        body["structure"] = json!("hub");
        assert_eq!(api.post("/api/v1/agreements", &token, body).await.0, 400);
        assert_eq!(
            count_agreements(&api, &token).await,
            before,
            "{}: something was saved",
            t.name
        );
    }
}

#[tokio::test]
async fn markup_in_any_text_is_stored_as_typed_and_shown_escaped() {
    for t in seeded_databases().await {
        let api = Api::new(spawn(t.db.clone()).await).await;
        let token = login(&api.base, MANAGER).await;
        let mut body = api.terms();
        let typed = "</title><script>alert('x')</script> & '; DROP TABLE agreements; --";
        body["title"] = json!(typed);
        let (status, a) = api.post("/api/v1/agreements", &token, body).await;
        assert_eq!(status, 201);
        assert_eq!(a["title"], typed);
        let html = api
            .client
            .get(format!("{}/agreements/{}", api.base, a["id"]))
            .header("cookie", format!("concord_session={token}"))
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("html");
        assert!(
            html.contains("&lt;script&gt;alert("),
            "{}: not escaped",
            t.name
        );
        assert!(
            !html.contains("<script>alert("),
            "{}: markup executed",
            t.name
        );
        assert!(count_agreements(&api, &token).await > 1);
    }
}

#[tokio::test]
async fn a_save_based_on_a_stale_version_is_refused_and_says_what_changed() {
    for t in seeded_databases().await {
        let api = Api::new(spawn(t.db.clone()).await).await;
        let token = login(&api.base, MANAGER).await;
        let partner = login(&api.base, PARTNER_MANAGER).await;
        let id = api.create(&token).await;
        let (status, a) = api.save(id, &partner, 1, "Their title").await;
        assert_eq!(
            (status, a["version"].as_i64()),
            (200, Some(2)),
            "{}: {a}",
            t.name
        );
        let (status, err) = api.save(id, &token, 1, "My title").await;
        assert_eq!(status, 409, "{}", t.name);
        assert_eq!(err["error"]["code"], "conflict");
        let details = err["error"]["details"].as_array().expect("details");
        assert!(
            details
                .iter()
                .any(|d| d["field"] == "title"
                    && d["message"].as_str().unwrap().contains("Their title")),
            "{details:?}"
        );
        let (_, now) = api.get(&format!("/api/v1/agreements/{id}"), &token).await;
        assert_eq!(now["title"], "Their title", "{}: overwritten", t.name);
        // Re-applied on top of the latest version, it goes through.
        let (status, a) = api.save(id, &token, 2, "My title").await;
        assert_eq!((status, a["version"].as_i64()), (200, Some(3)));
        let (_, cmp) = api
            .get(
                &format!("/api/v1/agreements/{id}/versions/compare?from=1&to=3"),
                &token,
            )
            .await;
        assert_eq!(cmp["changes"][0]["path"], "title");
        assert_eq!(
            cmp["changes"][0]["before"],
            "Halifax Newcomer Single Window"
        );
        assert_eq!(cmp["changes"][0]["after"], "My title");
    }
}

#[tokio::test]
async fn two_writers_racing_never_lose_an_update() {
    for t in seeded_databases().await {
        let api = std::sync::Arc::new(Api::new(spawn(t.db.clone()).await).await);
        let a_token = login(&api.base, MANAGER).await;
        let b_token = login(&api.base, PARTNER_MANAGER).await;
        let id = api.create(&a_token).await;
        let rounds = 15;
        for round in 0..rounds {
            let version = 1 + round;
            let (ta, tb) = (format!("A{round}"), format!("B{round}"));
            let (x, y) = tokio::join!(
                api.save(id, &a_token, version, &ta),
                api.save(id, &b_token, version, &tb),
            );
            let mut codes = [x.0, y.0];
            codes.sort_unstable();
            assert_eq!(codes, [200, 409], "{}: round {round}: {x:?} {y:?}", t.name);
        }
        let (_, versions) = api
            .get(&format!("/api/v1/agreements/{id}/versions"), &a_token)
            .await;
        let items = versions["items"].as_array().unwrap();
        assert_eq!(items.len() as i64, rounds + 1, "{}", t.name);
        // Each round's winner is exactly what its version holds.
        let (_, latest) = api.get(&format!("/api/v1/agreements/{id}"), &a_token).await;
        assert_eq!(latest["version"].as_i64(), Some(rounds + 1));
    }
}

#[tokio::test]
async fn the_lifecycle_allows_its_moves_and_refuses_the_rest_with_a_reason() {
    for t in seeded_databases().await {
        let api = Api::new(spawn(t.db.clone()).await).await;
        let token = login(&api.base, MANAGER).await;
        let id = api.create(&token).await;
        let path = format!("/api/v1/agreements/{id}/transitions");
        let (status, err) = api
            .post(&path, &token, json!({"to": "pending_approval"}))
            .await;
        assert_eq!(status, 409, "{}", t.name);
        assert!(err["error"]["message"].as_str().unwrap().contains("draft"));
        assert_eq!(
            api.post(&path, &token, json!({"to": "active"})).await.0,
            409
        );
        assert_eq!(
            api.post(&path, &token, json!({"to": "negotiation"}))
                .await
                .0,
            200
        );
        assert_eq!(
            api.post(&path, &token, json!({"to": "active"})).await.0,
            409
        );
        // Someone who may not manage it: a reporter of a party, a stranger.
        let reporter = login(&api.base, "reporter@accessns.example").await;
        assert_eq!(
            api.post(&path, &reporter, json!({"to": "pending_approval"}))
                .await
                .0,
            404
        );
        let exec = login(&api.base, EXECUTIVES[1]).await;
        assert_eq!(
            api.post(&path, &exec, json!({"to": "pending_approval"}))
                .await
                .0,
            403
        );
        let (status, a) = api
            .post(&path, &token, json!({"to": "pending_approval"}))
            .await;
        assert_eq!(
            (status, a["status"].as_str()),
            (200, Some("pending_approval"))
        );
        // A draft that left draft cannot be withdrawn.
        assert_eq!(
            api.send(
                reqwest::Method::DELETE,
                &format!("/api/v1/agreements/{id}"),
                &token,
                None
            )
            .await
            .0,
            409
        );
    }
}

#[tokio::test]
async fn the_approval_that_completes_the_set_activates_the_agreement() {
    for t in seeded_databases().await {
        let api = Api::new(spawn(t.db.clone()).await).await;
        let token = login(&api.base, MANAGER).await;
        let id = api.create(&token).await;
        let path = format!("/api/v1/agreements/{id}/transitions");
        api.post(&path, &token, json!({"to": "negotiation"})).await;
        api.post(&path, &token, json!({"to": "pending_approval"}))
            .await;
        let approvals = format!("/api/v1/agreements/{id}/approvals");

        // A manager does not sign; an executive of a non-party cannot see it.
        assert_eq!(
            api.post(&approvals, &token, json!({"version": 1})).await.0,
            403
        );
        let outsider = login(&api.base, "executive@accessns.example").await;
        assert_eq!(
            api.post(&approvals, &outsider, json!({"version": 1}))
                .await
                .0,
            404
        );

        let execs: Vec<String> = {
            let mut v = Vec::new();
            for e in EXECUTIVES {
                v.push(login(&api.base, e).await);
            }
            v
        };
        assert_eq!(
            api.post(&approvals, &execs[0], json!({"version": 2}))
                .await
                .0,
            409,
            "not the latest"
        );
        let (status, a) = api.post(&approvals, &execs[0], json!({"version": 1})).await;
        assert_eq!(
            (status, a["status"].as_str()),
            (201, Some("pending_approval")),
            "{}",
            t.name
        );
        assert_eq!(
            api.post(&approvals, &execs[0], json!({"version": 1}))
                .await
                .0,
            409,
            "twice"
        );

        // A new version withdraws the earlier approvals and reopens negotiation.
        let (status, a) = api.save(id, &token, 1, "Revised").await;
        assert_eq!(status, 200);
        assert_eq!(a["status"], "negotiation");
        assert_eq!(a["approvals"], json!([]));
        api.post(&path, &token, json!({"to": "pending_approval"}))
            .await;
        for (i, e) in execs.iter().enumerate() {
            let (status, a) = api.post(&approvals, e, json!({"version": 2})).await;
            assert_eq!(status, 201, "{}: {a}", t.name);
            let want = if i == 2 { "active" } else { "pending_approval" };
            assert_eq!(a["status"], want, "{}: after {} approvals", t.name, i + 1);
        }
        let (_, versions) = api
            .get(&format!("/api/v1/agreements/{id}/versions"), &token)
            .await;
        assert_eq!(versions["items"][1]["in_force"], true);
        assert!(versions["items"][1]["approved_at"].is_string());

        // Changing the terms of an active agreement opens an amendment: the
        // approved version stays in force until every party approves again.
        let (status, a) = api.save(id, &token, 2, "Amended").await;
        assert_eq!(
            (status, a["status"].as_str()),
            (200, Some("active")),
            "{}",
            t.name
        );
        let (_, versions) = api
            .get(&format!("/api/v1/agreements/{id}/versions"), &token)
            .await;
        assert_eq!(versions["items"][1]["in_force"], true, "v2 stays in force");
        assert_eq!(versions["items"][2]["in_force"], false);
        for e in &execs {
            assert_eq!(api.post(&approvals, e, json!({"version": 3})).await.0, 201);
        }
        let (_, versions) = api
            .get(&format!("/api/v1/agreements/{id}/versions"), &token)
            .await;
        assert_eq!(
            versions["items"][2]["in_force"], true,
            "{}: the amendment governs",
            t.name
        );
    }
}

#[tokio::test]
async fn parties_comment_in_threads_and_a_draft_can_be_withdrawn() {
    for t in seeded_databases().await {
        let api = Api::new(spawn(t.db.clone()).await).await;
        let token = login(&api.base, MANAGER).await;
        let id = api.create(&token).await;
        let path = format!("/api/v1/agreements/{id}/comments");
        let partner = login(&api.base, PARTNER_MANAGER).await;
        let (status, c) = api
            .post(
                &path,
                &partner,
                json!({"body": "Can ISANS also take phone referrals?"}),
            )
            .await;
        assert_eq!(status, 201, "{}: {c}", t.name);
        assert_eq!(c["organisation_code"], "NS-CS");
        assert_eq!(c["version"], 1);
        let (status, reply) = api
            .post(&path, &token, json!({"body": "Yes.", "parent_id": c["id"]}))
            .await;
        assert_eq!((status, reply["parent_id"].clone()), (201, c["id"].clone()));
        assert_eq!(api.post(&path, &token, json!({"body": "   "})).await.0, 422);
        // Oversight reads everything but does not negotiate.
        let oversight = login(&api.base, "oversight@concord.example").await;
        assert_eq!(
            api.post(&path, &oversight, json!({"body": "Hello"}))
                .await
                .0,
            403
        );
        let (_, list) = api.get(&path, &oversight).await;
        assert_eq!(list["items"].as_array().unwrap().len(), 2);

        let del = format!("/api/v1/agreements/{id}");
        assert_eq!(
            api.send(reqwest::Method::DELETE, &del, &partner, None)
                .await
                .0,
            204,
            "{}",
            t.name
        );
        assert_eq!(api.get(&del, &token).await.0, 404);
    }
}

#[tokio::test]
async fn propagation_terms_are_terms_versioned_and_compared_like_any_other() {
    for t in seeded_databases().await {
        let api = Api::new(spawn(t.db.clone()).await).await;
        let token = login(&api.base, MANAGER).await;
        let (isans, sc, nscs) = (api.org("ISANS"), api.org("SC"), api.org("NS-CS"));
        let mut body = api.terms();
        body["propagation"] = json!([{
            "life_event": "moving_to_country", "intake_organisation_id": isans,
            "told_organisation_ids": [nscs, sc, sc], "acknowledge_days": 2, "act_days": 10,
        }]);
        let (status, a) = api.post("/api/v1/agreements", &token, body).await;
        // Named twice is refused, not silently merged.
        assert_eq!(status, 422, "{}: {a}", t.name);
        let mut body = api.terms();
        body["propagation"] = json!([{
            "life_event": "moving_to_country", "intake_organisation_id": isans,
            "told_organisation_ids": [nscs, sc], "acknowledge_days": 2, "act_days": 10,
        }]);
        let (status, a) = api.post("/api/v1/agreements", &token, body).await;
        assert_eq!(status, 201, "{}: {a}", t.name);
        let id = a["id"].as_i64().unwrap();
        // Kept as the terms say, the parties told in id order.
        let mut told = vec![nscs, sc];
        told.sort_unstable();
        assert_eq!(
            a["propagation"],
            json!([{"life_event": "moving_to_country", "intake_organisation_id": isans,
                    "told_organisation_ids": told, "acknowledge_days": 2, "act_days": 10}]),
            "{}",
            t.name
        );
        // A new version with a longer target: a change the comparison names.
        let mut next = terms_of(&a, 1, "Five more working days to act");
        next["propagation"] = a["propagation"].clone();
        next["propagation"][0]["act_days"] = json!(15);
        let (status, b) = api
            .put(&format!("/api/v1/agreements/{id}"), &token, next)
            .await;
        assert_eq!(status, 200, "{}: {b}", t.name);
        assert_eq!(b["propagation"][0]["act_days"], 15);
        let (_, cmp) = api
            .get(
                &format!("/api/v1/agreements/{id}/versions/compare?from=1&to=2"),
                &token,
            )
            .await;
        let changes = changes_of(&cmp);
        assert!(
            changes.contains(&(
                "propagation[moving_to_country].act_days".to_owned(),
                json!(10),
                json!(15)
            )),
            "{}: {changes:?}",
            t.name
        );
        // A version that leaves them out removes them.
        let mut last = terms_of(&b, 2, "No propagation");
        last["propagation"] = json!([]);
        let (status, c) = api
            .put(&format!("/api/v1/agreements/{id}"), &token, last)
            .await;
        assert_eq!(status, 200, "{}: {c}", t.name);
        assert_eq!(c["propagation"], json!([]));
    }
}

#[tokio::test]
async fn every_text_keeps_its_french_version_through_versions_and_exports() {
    for t in seeded_databases().await {
        let api = Api::new(spawn(t.db.clone()).await).await;
        let token = login(&api.base, MANAGER).await;
        let mut body = api.terms();
        body["title_fr"] = json!("Guichet unique pour les nouveaux arrivants d'Halifax");
        body["summary_fr"] = json!("Une seule porte pour les nouveaux arrivants.");
        body["services"][0]["name_fr"] = json!("Aiguillages en établissement");
        body["governance"][0]["body_fr"] = json!("Un comité directeur des trois parties.");
        body["barriers"] = json!([{
            "category": "legal", "severity": 3, "status": "open",
            "description": "Provincial privacy law limits sharing of client files.",
            "description_fr": "La loi provinciale sur la vie privée limite le partage des dossiers.",
            "mitigation": "Consent at intake.", "mitigation_fr": "Consentement à l'accueil.",
            "owner_id": api.org("SC"),
        }]);
        let (status, a) = api.post("/api/v1/agreements", &token, body).await;
        assert_eq!(status, 201, "{}: {a}", t.name);
        let id = a["id"].as_i64().unwrap();
        assert_eq!(
            a["summary_fr"],
            "Une seule porte pour les nouveaux arrivants."
        );
        assert_eq!(a["services"][0]["name_fr"], "Aiguillages en établissement");
        assert_eq!(
            a["governance"][0]["body_fr"],
            "Un comité directeur des trois parties."
        );
        assert_eq!(
            a["barriers"][0]["description_fr"],
            "La loi provinciale sur la vie privée limite le partage des dossiers."
        );
        assert_eq!(
            a["barriers"][0]["mitigation_fr"],
            "Consentement à l'accueil."
        );
        // A new version that changes only a French text is a change of
        // terms, and the comparison names it.
        let mut next = terms_of(&a, 1, "French mitigation reworded");
        next["barriers"][0]["mitigation_fr"] = json!("Consentement du client à l'accueil.");
        let (status, b) = api
            .put(&format!("/api/v1/agreements/{id}"), &token, next)
            .await;
        assert_eq!(status, 200, "{}: {b}", t.name);
        assert_eq!(b["version"], 2);
        assert_eq!(
            b["barriers"][0]["mitigation_fr"],
            "Consentement du client à l'accueil."
        );
        let (_, cmp) = api
            .get(
                &format!("/api/v1/agreements/{id}/versions/compare?from=1&to=2"),
                &token,
            )
            .await;
        let paths: Vec<&str> = cmp["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .map(|c| c["path"].as_str().unwrap_or_default())
            .collect();
        assert!(
            paths.iter().any(|p| p.ends_with(".mitigation_fr")),
            "{}: {paths:?}",
            t.name
        );
        // OCDS: English is the release's language; French in its
        // multilingual form.
        let (_, doc) = api
            .get(&format!("/api/v1/agreements/{id}/export/ocds"), &token)
            .await;
        let release = &doc["records"][0]["compiledRelease"];
        assert_eq!(release["language"], "en");
        let contract = &release["contracts"][0];
        assert_eq!(contract["title"], "Halifax Newcomer Single Window");
        assert_eq!(
            contract["title_fr"],
            "Guichet unique pour les nouveaux arrivants d'Halifax"
        );
        assert_eq!(
            contract["description_fr"],
            "Une seule porte pour les nouveaux arrivants."
        );
        let sc = release["parties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == "SC")
            .expect("SC");
        assert_eq!(sc["name_fr"], "Service Canada");
    }
}

#[tokio::test]
async fn an_agreement_exports_as_an_ocds_record() {
    for t in seeded_databases().await {
        let api = Api::new(spawn(t.db.clone()).await).await;
        let token = login(&api.base, "oversight@concord.example").await;
        let (_, list) = api.get("/api/v1/agreements?q=AGR-2023-0001", &token).await;
        let id = list["items"][0]["id"].as_i64().expect("id");
        let (status, doc) = api
            .get(&format!("/api/v1/agreements/{id}/export/ocds"), &token)
            .await;
        assert_eq!(status, 200, "{}", t.name);
        let release = &doc["records"][0]["compiledRelease"];
        assert_eq!(doc["records"][0]["ocid"], "ocds-concord-AGR-2023-0001");
        assert_eq!(release["initiationType"], "tender");
        assert_eq!(doc["publisher"]["name"], "Concord");
        assert!(
            release["parties"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["roles"].as_array().unwrap().contains(&json!("buyer")))
        );
        let contract = &release["contracts"][0];
        assert_eq!(contract["status"], "active");
        assert_eq!(contract["period"]["startDate"], "2023-04-01T00:00:00Z");
        assert_eq!(contract["awardID"], release["awards"][0]["id"]);
        assert!(!contract["agreedMetrics"].as_array().unwrap().is_empty());
        let observations = contract["implementation"]["metrics"][0]["observations"]
            .as_array()
            .unwrap();
        assert!(
            observations.len() > 12,
            "{}: reports become observations",
            t.name
        );
        assert!(
            !release["planning"]["budget"]["budgetBreakdown"]
                .as_array()
                .unwrap()
                .is_empty()
        );
        // Not visible: 404.
        let reporter = login(&api.base, "reporter@servicensw.example").await;
        assert_eq!(
            api.get(&format!("/api/v1/agreements/{id}/export/ocds"), &reporter)
                .await
                .0,
            404
        );
    }
}

#[tokio::test]
async fn a_version_stored_in_the_first_shape_still_compares_and_is_brought_up_to_date() {
    use app::backend::entities::agreement_version;
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    for t in seeded_databases().await {
        let api = Api::new(spawn(t.db.clone()).await).await;
        let token = login(&api.base, MANAGER).await;
        let id = api.create(&token).await;
        let row = i32::try_from(id).expect("id");
        // Version 1 as versions were stored before the terms schema: the
        // agreement as the API shows it, names and row ids included.
        let (_, shown) = api.get(&format!("/api/v1/agreements/{id}"), &token).await;
        agreement_version::Entity::update_many()
            .col_expr(agreement_version::Column::Terms, Expr::value(shown))
            .filter(agreement_version::Column::AgreementId.eq(row))
            .filter(agreement_version::Column::Number.eq(1))
            .exec(&t.db)
            .await
            .expect("rewrite version 1");
        let (status, saved) = api.save(id, &token, 1, "A title of its own").await;
        assert_eq!(status, 200, "{}: {saved}", t.name);
        let compare = format!("/api/v1/agreements/{id}/versions/compare?from=1&to=2");
        let (status, before) = api.get(&compare, &token).await;
        assert_eq!(status, 200, "{}: {before}", t.name);
        let paths: Vec<&str> = before["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .map(|c| c["path"].as_str().expect("path"))
            .collect();
        assert_eq!(paths, ["title"], "{}: only what changed: {before}", t.name);

        // At start the old snapshot is rewritten in today's schema, once.
        app::backend::schema::migrate(&t.db).await.expect("migrate");
        let v1 = agreement_version::Entity::find()
            .filter(agreement_version::Column::AgreementId.eq(row))
            .filter(agreement_version::Column::Number.eq(1))
            .one(&t.db)
            .await
            .expect("query")
            .expect("version 1");
        assert_eq!(
            v1.terms["schema_version"],
            app::domain::terms::SCHEMA_VERSION,
            "{}",
            t.name
        );
        assert!(
            v1.terms.get("reference").is_none(),
            "{}: {}",
            t.name,
            v1.terms
        );
        assert_eq!(
            app::backend::services::versions::upgrade_stored(&t.db)
                .await
                .expect("upgrade"),
            0,
            "{}: nothing left to rewrite",
            t.name
        );
        let (_, after) = api.get(&compare, &token).await;
        assert_eq!(after, before, "{}", t.name);
    }
}

/// Terms of two parties: Service Canada leads, Access Nova Scotia delivers.
fn two_parties(api: &Api) -> Value {
    let mut t = api.terms();
    t["parties"] = json!([
        {"organisation_id": api.org("SC"), "role": "lead"},
        {"organisation_id": api.org("ACCESSNS"), "role": "partner"}
    ]);
    t["services"][0]["delivered_by"] = json!(api.org("ACCESSNS"));
    t
}

/// Creates an agreement with `terms` and has every party's executive in
/// `executives` approve version 1: it is active.
async fn activated(api: &Api, manager: &str, terms: Value, executives: &[&str]) -> i64 {
    let (status, a) = api.post("/api/v1/agreements", manager, terms).await;
    assert_eq!(status, 201, "{a}");
    let id = a["id"].as_i64().expect("id");
    let path = format!("/api/v1/agreements/{id}/transitions");
    api.post(&path, manager, json!({"to": "negotiation"})).await;
    api.post(&path, manager, json!({"to": "pending_approval"}))
        .await;
    approve_all(api, id, 1, executives).await;
    let (_, a) = api.get(&format!("/api/v1/agreements/{id}"), manager).await;
    assert_eq!(a["status"], "active", "{a}");
    id
}

async fn approve_all(api: &Api, id: i64, version: i64, executives: &[&str]) {
    for e in executives {
        let token = login(&api.base, e).await;
        let (status, a) = api
            .post(
                &format!("/api/v1/agreements/{id}/approvals"),
                &token,
                json!({"version": version}),
            )
            .await;
        assert_eq!(status, 201, "{e}: {a}");
    }
}

/// A comparison's changes as (path, before, after).
fn changes_of(cmp: &Value) -> Vec<(String, Value, Value)> {
    cmp["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            (
                c["path"].as_str().unwrap_or_default().to_owned(),
                c["before"].clone(),
                c["after"].clone(),
            )
        })
        .collect()
}

/// The terms an agreement shows, as `PUT` takes them.
fn terms_of(a: &Value, version: i64, summary: &str) -> Value {
    let mut t = json!({});
    for k in [
        "title",
        "title_fr",
        "summary",
        "summary_fr",
        "purpose",
        "structure",
        "partnership_type",
        "starts_on",
        "ends_on",
        "renewal_notice_days",
        "currency",
        "fiscal_year_start_month",
        "barriers",
        "governance",
        "cost_model",
        "channel_minimums",
        "published",
    ] {
        t[k] = a[k].clone();
    }
    t["parties"] = json!(
        a["parties"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| json!({"organisation_id": p["organisation_id"], "role": p["role"]}))
            .collect::<Vec<_>>()
    );
    // A service as shown is a service as `PUT` takes it (its inventory
    // `id` aside, which `PUT` ignores).
    t["services"] = a["services"].clone();
    t["life_events"] = json!(
        a["life_events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].clone())
            .collect::<Vec<_>>()
    );
    t["version"] = json!(version);
    t["change_summary"] = json!(summary);
    t
}

/// How many notifications of `kind` about agreement `id` user `email` has.
async fn told(db: &sea_orm::DatabaseConnection, email: &str, kind: &str, id: i64) -> i64 {
    use sea_orm::ConnectionTrait;
    let row = db
        .query_one_raw(sea_orm::Statement::from_sql_and_values(
            db.get_database_backend(),
            match db.get_database_backend() {
                sea_orm::DatabaseBackend::Postgres => {
                    "SELECT COUNT(*) AS n FROM notifications n JOIN users u ON u.id = n.user_id \
                     WHERE u.email = $1 AND n.kind = $2 AND n.agreement_id = $3"
                }
                _ => {
                    "SELECT COUNT(*) AS n FROM notifications n JOIN users u ON u.id = n.user_id \
                     WHERE u.email = ? AND n.kind = ? AND n.agreement_id = ?"
                }
            },
            [email.into(), kind.into(), (id as i32).into()],
        ))
        .await
        .expect("count")
        .expect("a row");
    row.try_get::<i64>("", "n").expect("n")
}

fn party_codes(a: &Value) -> Vec<String> {
    let mut codes: Vec<String> = a["parties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap().to_owned())
        .collect();
    codes.sort();
    codes
}

#[tokio::test]
async fn a_party_an_amendment_removes_still_sees_it_is_told_and_must_approve_its_removal() {
    for t in seeded_databases().await {
        let db = t.db.clone();
        let api = Api::new(spawn(t.db.clone()).await).await;
        let manager = login(&api.base, MANAGER).await;
        let id = activated(&api, &manager, api.terms(), &EXECUTIVES).await;
        let path = format!("/api/v1/agreements/{id}");

        // Service Canada's manager proposes to drop ISANS.
        let asked = told(&db, EXECUTIVES[2], "approval_requested", id).await;
        let (_, a) = api.get(&path, &manager).await;
        let mut body = terms_of(&a, 1, "Without ISANS");
        body["parties"] = json!([
            {"organisation_id": api.org("SC"), "role": "lead"},
            {"organisation_id": api.org("NS-CS"), "role": "partner"}
        ]);
        body["services"][0]["delivered_by"] = json!(api.org("NS-CS"));
        let (status, a) = api.put(&path, &manager, body).await;
        assert_eq!(status, 200, "{}: {a}", t.name);
        assert_eq!(a["status"], "active");
        assert_eq!(
            party_codes(&a),
            ["ISANS", "NS-CS", "SC"],
            "{}: the parties in force stay",
            t.name
        );
        let pending = &a["pending_amendment"];
        assert_eq!(pending["version"], 2, "{}: {a}", t.name);
        assert_eq!(pending["change_summary"], "Without ISANS");
        let isans = pending["approvers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["code"] == "ISANS")
            .cloned()
            .expect("ISANS must approve");
        assert_eq!(isans["role_in_force"], "partner");
        assert_eq!(isans["role_proposed"], Value::Null);
        assert!(
            pending["changes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["path"] == "parties[ISANS].role" && c["change"] == "removed"),
            "{}: {pending}",
            t.name
        );

        // ISANS still sees it, and its people were told.
        let isans_exec = login(&api.base, EXECUTIVES[2]).await;
        let (status, seen) = api.get(&path, &isans_exec).await;
        assert_eq!(status, 200, "{}", t.name);
        assert_eq!(seen["pending_amendment"]["version"], 2);
        assert_eq!(told(&db, EXECUTIVES[2], "amendment_proposed", id).await, 1);
        assert_eq!(
            told(&db, EXECUTIVES[2], "approval_requested", id).await,
            asked + 1
        );

        // The other two approve: still pending, ISANS still a party.
        approve_all(&api, id, 2, &EXECUTIVES[..2]).await;
        let (status, seen) = api.get(&path, &isans_exec).await;
        assert_eq!(status, 200, "{}", t.name);
        assert_eq!(party_codes(&seen), ["ISANS", "NS-CS", "SC"]);
        assert_eq!(
            seen["pending_amendment"]["approvals"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        assert!(told(&db, EXECUTIVES[2], "version_approved", id).await >= 2);

        // ISANS approves its own removal: the amendment is in force.
        let (status, a) = api
            .post(
                &format!("{path}/approvals"),
                &isans_exec,
                json!({"version": 2}),
            )
            .await;
        assert_eq!(status, 201, "{}: {a}", t.name);
        assert_eq!(party_codes(&a), ["NS-CS", "SC"]);
        assert_eq!(a["pending_amendment"], Value::Null);
        assert_eq!(told(&db, EXECUTIVES[2], "amendment_in_force", id).await, 1);
        assert_eq!(api.get(&path, &isans_exec).await.0, 404, "{}", t.name);
        let (_, versions) = api.get(&format!("{path}/versions"), &manager).await;
        assert_eq!(versions["items"][1]["in_force"], true);
    }
}

#[tokio::test]
async fn an_amendment_that_adds_a_party_needs_the_new_party_approval() {
    for t in seeded_databases().await {
        let api = Api::new(spawn(t.db.clone()).await).await;
        let manager = login(&api.base, MANAGER).await;
        let two = [
            "executive@servicecanada.example",
            "executive@accessns.example",
        ];
        let id = activated(&api, &manager, two_parties(&api), &two).await;
        let path = format!("/api/v1/agreements/{id}");
        let (_, a) = api.get(&path, &manager).await;
        let mut body = terms_of(&a, 1, "ISANS joins");
        body["parties"]
            .as_array_mut()
            .unwrap()
            .push(json!({"organisation_id": api.org("ISANS"), "role": "partner"}));
        let (status, a) = api.put(&path, &manager, body).await;
        assert_eq!(status, 200, "{}: {a}", t.name);
        assert_eq!(party_codes(&a), ["ACCESSNS", "SC"]);

        // The party it would add sees it (and finds it in its list); an
        // organisation it does not name still does not.
        let isans = login(&api.base, "executive@isans.example").await;
        assert_eq!(api.get(&path, &isans).await.0, 200, "{}", t.name);
        let (_, list) = api.get("/api/v1/agreements", &isans).await;
        assert!(
            list["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["id"] == json!(id))
        );
        let outsider = login(&api.base, "executive@novascotia.example").await;
        assert_eq!(api.get(&path, &outsider).await.0, 404);
        assert_eq!(
            api.post(
                &format!("{path}/approvals"),
                &outsider,
                json!({"version": 2})
            )
            .await
            .0,
            404
        );

        // The parties in force approving is not enough.
        approve_all(&api, id, 2, &two).await;
        let (_, a) = api.get(&path, &manager).await;
        assert_eq!(party_codes(&a), ["ACCESSNS", "SC"], "{}", t.name);
        assert_eq!(a["pending_amendment"]["version"], 2);
        approve_all(&api, id, 2, &["executive@isans.example"]).await;
        let (_, a) = api.get(&path, &manager).await;
        assert_eq!(party_codes(&a), ["ACCESSNS", "ISANS", "SC"], "{}", t.name);
        assert_eq!(a["pending_amendment"], Value::Null);
    }
}

#[tokio::test]
async fn a_withdrawn_amendment_leaves_the_terms_in_force_and_stays_in_the_history() {
    for t in seeded_databases().await {
        let api = Api::new(spawn(t.db.clone()).await).await;
        let manager = login(&api.base, MANAGER).await;
        let id = activated(&api, &manager, api.terms(), &EXECUTIVES).await;
        let path = format!("/api/v1/agreements/{id}");
        let (status, a) = api.save(id, &manager, 1, "Renamed").await;
        assert_eq!(status, 200, "{a}");
        assert_eq!(a["title"], "Halifax Newcomer Single Window", "{}", t.name);
        approve_all(&api, id, 2, &EXECUTIVES[..1]).await;

        // A reporter may not withdraw it; a partner's manager may.
        let reporter = login(&api.base, "reporter@accessns.example").await;
        let delete = |token: String| {
            let url = format!("{}{path}/amendment", api.base);
            let client = api.client.clone();
            async move {
                let r = client.delete(url).bearer_auth(token).send().await.unwrap();
                let status = r.status().as_u16();
                (status, r.json::<Value>().await.unwrap_or(Value::Null))
            }
        };
        assert_eq!(delete(reporter).await.0, 404, "not a party: not found");
        let partner = login(&api.base, PARTNER_MANAGER).await;
        let (status, a) = delete(partner.clone()).await;
        assert_eq!(status, 200, "{}: {a}", t.name);
        assert_eq!(a["pending_amendment"], Value::Null);
        assert_eq!(a["title"], "Halifax Newcomer Single Window");
        assert_eq!(delete(partner).await.0, 409, "nothing left to withdraw");
        let exec = login(&api.base, EXECUTIVES[1]).await;
        assert_eq!(
            api.post(&format!("{path}/approvals"), &exec, json!({"version": 2}))
                .await
                .0,
            409
        );
        let (_, versions) = api.get(&format!("{path}/versions"), &manager).await;
        assert!(
            versions["items"][1]["withdrawn_at"].is_string(),
            "{versions}"
        );
        assert_eq!(versions["items"][0]["in_force"], true);

        // The next amendment starts from the terms in force.
        let (status, a) = api.save(id, &manager, 2, "Renamed again").await;
        assert_eq!(status, 200, "{a}");
        let changes = a["pending_amendment"]["changes"].as_array().unwrap();
        assert_eq!(changes.len(), 1, "{}: {changes:?}", t.name);
        assert_eq!(changes[0]["before"], "Halifax Newcomer Single Window");
    }
}

/// Each period of commitment `c`: (status, target).
async fn judged(api: &Api, token: &str, id: i64, c: &Value) -> Vec<(String, String, String)> {
    let (status, comp) = api
        .get(&format!("/api/v1/agreements/{id}/compliance"), token)
        .await;
    assert_eq!(status, 200, "{comp}");
    comp["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| &i["commitment_id"] == c)
        .map(|i| {
            (
                i["period"].as_str().unwrap().to_owned(),
                i["status"].as_str().unwrap().to_owned(),
                i["target"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn an_approved_back_dated_amendment_judges_again_exactly_the_periods_from_its_effective_date()
{
    for t in seeded_databases().await {
        let api = Api::new(spawn(t.db.clone()).await).await;
        let manager = login(&api.base, MANAGER).await;
        let executives = [
            "executive@servicecanada.example",
            "executive@accessns.example",
        ];
        let mut terms = two_parties(&api);
        terms["starts_on"] = json!("2026-01-01");
        terms["ends_on"] = json!("2028-12-31");
        let (status, a) = api.post("/api/v1/agreements", &manager, terms).await;
        assert_eq!(status, 201, "{a}");
        let id = a["id"].as_i64().unwrap();
        // Calls answered in target: at least 80 %, at risk within 5 points.
        let commitments = format!("/api/v1/agreements/{id}/commitments");
        let commitment = json!({"organisation_id": api.org("ACCESSNS"), "kpi": "calls_answered_in_target_pct",
            "target": "80", "warning_band": "5", "channel": "phone", "frequency": "monthly",
            "grace_days": 15, "effective_from": "2026-01-01"});
        let (status, c) = api.post(&commitments, &manager, commitment.clone()).await;
        assert_eq!(status, 201, "{c}");
        let path = format!("/api/v1/agreements/{id}/transitions");
        api.post(&path, &manager, json!({"to": "negotiation"}))
            .await;
        api.post(&path, &manager, json!({"to": "pending_approval"}))
            .await;
        approve_all(&api, id, 2, &executives).await;

        // 78 % each month from May to August: at risk under 80.
        let reporter = login(&api.base, "reporter@accessns.example").await;
        for month in ["2026-05", "2026-06", "2026-07", "2026-08"] {
            let (status, r) = api
                .post(
                    "/api/v1/reports",
                    &reporter,
                    json!({"commitment_id": c["id"], "period": month, "value": "78"}),
                )
                .await;
            assert_eq!(status, 201, "{}: {r}", t.name);
        }
        let before = judged(&api, &manager, id, &c["id"]).await;
        for (period, status, target) in &before {
            if ("2026-05".."2026-09").contains(&period.as_str()) {
                assert_eq!(
                    (status.as_str(), target.as_str()),
                    ("at_risk", "80"),
                    "{period}"
                );
            }
        }
        let (_, bench_before) = api
            .get("/api/v1/benchmarks?group_by=agreement", &manager)
            .await;

        // Proposed: the target down to 75 from July (back-dated), and a
        // second commitment. Until approved, nothing is judged otherwise.
        let mut changed = commitment.clone();
        changed["target"] = json!("75");
        changed["terms_effective_from"] = json!("2026-07-01");
        let (status, r) = api
            .put(&format!("{commitments}/{}", c["id"]), &manager, changed)
            .await;
        assert_eq!(status, 200, "{}: {r}", t.name);
        assert_eq!(r["id"], c["id"], "the same commitment");
        let (status, added) = api
            .post(
                &commitments,
                &manager,
                json!({"organisation_id": api.org("ACCESSNS"), "kpi": "digital_uptake_pct",
                "target": "60", "frequency": "quarterly", "effective_from": "2026-01-01"}),
            )
            .await;
        assert_eq!(status, 201, "{}: {added}", t.name);
        assert_eq!(
            judged(&api, &manager, id, &c["id"]).await,
            before,
            "{}",
            t.name
        );
        assert_eq!(
            judged(&api, &manager, id, &added["id"]).await,
            vec![],
            "{}",
            t.name
        );
        let (status, r) = api
            .post(
                "/api/v1/reports",
                &reporter,
                json!({"commitment_id": added["id"], "period": "2026-Q2", "value": "61"}),
            )
            .await;
        assert_eq!(
            status, 404,
            "{}: a proposed commitment takes no report: {r}",
            t.name
        );
        let (_, bench) = api
            .get("/api/v1/benchmarks?group_by=agreement", &manager)
            .await;
        assert_eq!(bench, bench_before, "{}", t.name);

        // Approved by both: July on is judged under 75, May and June stay.
        let (_, a) = api.get(&format!("/api/v1/agreements/{id}"), &manager).await;
        assert_eq!(a["pending_amendment"]["effective_from"], "2026-07-01");
        approve_all(&api, id, 4, &executives).await;
        let after = judged(&api, &manager, id, &c["id"]).await;
        assert_eq!(after.len(), before.len());
        for ((period, status, target), (p0, s0, t0)) in after.iter().zip(&before) {
            assert_eq!(period, p0);
            match period.as_str() {
                "2026-07" | "2026-08" => {
                    assert_eq!(
                        (status.as_str(), target.as_str()),
                        ("met", "75"),
                        "{}: {period}",
                        t.name
                    );
                }
                p if p >= "2026-07" => {
                    assert_eq!(
                        (status, target.as_str()),
                        (s0, "75"),
                        "{}: {period}",
                        t.name
                    );
                }
                _ => assert_eq!(
                    (status, target),
                    (s0, t0),
                    "{}: {period} is as it was",
                    t.name
                ),
            }
        }
        // The commitment it added starts in January, but owes nothing
        // before the amendment governs: one quarter, July to September.
        let added_periods = judged(&api, &manager, id, &added["id"]).await;
        assert_eq!(added_periods.len(), 1, "{}: {added_periods:?}", t.name);
    }
}

#[tokio::test]
async fn a_proposed_cost_model_or_service_changes_no_reconciliation_until_approved() {
    for t in seeded_databases().await {
        let api = Api::new(spawn(t.db.clone()).await).await;
        let manager = login(&api.base, MANAGER).await;
        let (_, list) = api
            .get("/api/v1/agreements?q=AGR-2023-0001", &manager)
            .await;
        let id = list["items"][0]["id"].as_i64().expect("the demo agreement");
        let path = format!("/api/v1/agreements/{id}");
        let (_, a) = api.get(&path, &manager).await;
        let version = a["version"].as_i64().unwrap();
        let quarter = "/reconciliation?period=2026-Q2";
        let (status, rec_before) = api.get(&format!("{path}{quarter}"), &manager).await;
        assert_eq!(status, 200, "{rec_before}");
        let (_, bench_before) = api.get("/api/v1/benchmarks?group_by=party", &manager).await;

        // An equal split, back-dated to the start, and a renamed service.
        let mut body = terms_of(&a, version, "Equal shares");
        let parties = a["parties"].as_array().unwrap();
        let share = 100 / parties.len();
        body["cost_model"] = json!({"kind": "fixed", "lines": parties.iter().enumerate().map(|(i, p)| json!({
            "organisation_id": p["organisation_id"],
            "percent": (if i == 0 { 100 - share * (parties.len() - 1) } else { share }).to_string()
        })).collect::<Vec<_>>()});
        body["services"][0]["name"] = json!("Renamed service");
        body["effective_from"] = a["starts_on"].clone();
        // ISANS is invited to join.
        body["parties"]
            .as_array_mut()
            .unwrap()
            .push(json!({"organisation_id": api.org("ISANS"), "role": "partner"}));
        let (status, proposed) = api.put(&path, &manager, body).await;
        assert_eq!(status, 200, "{}: {proposed}", t.name);
        assert_eq!(proposed["cost_model"], a["cost_model"], "{}", t.name);
        assert_eq!(proposed["services"], a["services"]);
        let (_, rec) = api.get(&format!("{path}{quarter}"), &manager).await;
        assert_eq!(rec, rec_before, "{}", t.name);
        let (_, bench) = api.get("/api/v1/benchmarks?group_by=party", &manager).await;
        assert_eq!(bench, bench_before, "{}", t.name);
        // The invited party sees the agreement, not yet its readings.
        let isans = login(&api.base, "executive@isans.example").await;
        assert_eq!(api.get(&path, &isans).await.0, 200, "{}", t.name);
        assert_eq!(api.get(&format!("{path}/compliance"), &isans).await.0, 404);
        assert_eq!(api.get(&format!("{path}{quarter}"), &isans).await.0, 404);
        let in_benchmarks = |b: &Value| {
            b["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["group"] == "AGR-2023-0001")
        };
        let (_, bench) = api
            .get("/api/v1/benchmarks?group_by=agreement", &isans)
            .await;
        assert!(!in_benchmarks(&bench), "{}: {bench}", t.name);

        // Once every party approves, the quarter is shared equally.
        approve_all(
            &api,
            id,
            version + 1,
            &[
                "executive@servicecanada.example",
                "executive@esdc.example",
                "executive@accessns.example",
                "executive@novascotia.example",
                "executive@isans.example",
            ],
        )
        .await;
        let (_, bench) = api
            .get("/api/v1/benchmarks?group_by=agreement", &isans)
            .await;
        assert!(in_benchmarks(&bench), "{}: a party now: {bench}", t.name);
        let (_, a) = api.get(&path, &manager).await;
        assert_eq!(a["services"][0]["name"], "Renamed service", "{}", t.name);
        let (_, rec) = api.get(&format!("{path}{quarter}"), &manager).await;
        assert_ne!(rec, rec_before, "{}: the approved model governs", t.name);
    }
}

#[tokio::test]
async fn the_coverage_map_shows_what_the_terms_in_force_cover_and_the_gaps() {
    for t in seeded_databases().await {
        let api = Api::new(spawn(t.db.clone()).await).await;
        let all = login(&api.base, "oversight@concord.example").await;
        let (status, map) = api.get("/api/v1/life-events/coverage", &all).await;
        assert_eq!(status, 200, "{}: {map}", t.name);
        let place = |code: &str| {
            map["jurisdictions"]
                .as_array()
                .unwrap()
                .iter()
                .find(|j| j["code"] == code)
                .unwrap_or_else(|| panic!("{code} is reached"))["id"]
                .clone()
        };
        let cell = |event: &str, code: &str| {
            let j = place(code);
            map["cells"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["life_event"] == event && c["jurisdiction_id"] == j)
                .cloned()
        };
        let refs = |c: &Value| -> Vec<String> {
            c["agreements"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["reference"].as_str().unwrap().to_owned())
                .collect()
        };
        // Losing a job, in Canada: the three agreements in force that name
        // it, with a party there (fixtures); not the one pending approval.
        let job_loss = cell("job_loss", "CA").expect("covered");
        assert_eq!(
            refs(&job_loss),
            ["AGR-2023-0001", "AGR-2023-0002", "AGR-2023-0007"],
            "{}",
            t.name
        );
        assert!(
            job_loss["services"]
                .as_array()
                .unwrap()
                .contains(&json!("Employment Insurance claims"))
        );
        assert!(
            job_loss["parties"]
                .as_array()
                .unwrap()
                .contains(&json!("SC"))
        );
        assert!(
            job_loss["channels"]
                .as_array()
                .unwrap()
                .contains(&json!("phone"))
        );
        // In Nova Scotia only the agreements with a Nova Scotia party.
        assert_eq!(
            refs(&cell("job_loss", "CA-NS").expect("covered")),
            ["AGR-2023-0001", "AGR-2023-0002"]
        );
        // Gaps: nobody covers a death in Canada; no agreement says yet who
        // passes a notice on.
        let gaps = map["gaps"].as_array().unwrap();
        let ca = place("CA");
        assert!(cell("death", "CA").is_none());
        assert!(gaps.iter().any(|g| g["kind"] == "not_covered"
            && g["life_event"] == "death"
            && g["jurisdiction_id"] == ca));
        let unpropagated = |m: &Value| {
            m["gaps"].as_array().unwrap().iter().any(|g| {
                g["kind"] == "no_propagation"
                    && g["reference"] == "AGR-2023-0001"
                    && g["life_event"] == "job_loss"
            })
        };
        assert!(unpropagated(&map), "{}", t.name);

        // An amendment that adds a propagation term is not in force: the
        // gap stays until every party approves it.
        let manager = login(&api.base, MANAGER).await;
        let (_, list) = api
            .get("/api/v1/agreements?q=AGR-2023-0001", &manager)
            .await;
        let id = list["items"][0]["id"].as_i64().unwrap();
        let (_, a) = api.get(&format!("/api/v1/agreements/{id}"), &manager).await;
        let mut amended = terms_of(
            &a,
            a["version"].as_i64().unwrap(),
            "Tell Us Once for job loss",
        );
        amended["propagation"] = json!([{"life_event": "job_loss", "intake_organisation_id": api.org("ACCESSNS"),
            "told_organisation_ids": [api.org("SC")], "acknowledge_days": 2, "act_days": 10}]);
        amended["effective_from"] = json!("2026-07-01");
        let (status, b) = api
            .put(&format!("/api/v1/agreements/{id}"), &manager, amended)
            .await;
        assert_eq!(status, 200, "{}: {b}", t.name);
        assert!(
            !b["pending_amendment"].is_null(),
            "{}: an amendment",
            t.name
        );
        assert_eq!(b["propagation"], json!([]), "{}: not in force", t.name);
        let (_, after) = api.get("/api/v1/life-events/coverage", &all).await;
        assert!(unpropagated(&after), "{}: read as if in force", t.name);

        // Each caller sees what they may: the UK's manager, the UK only.
        let dwp = login(&api.base, "manager@dwp.example").await;
        let (_, theirs) = api.get("/api/v1/life-events/coverage", &dwp).await;
        let codes: Vec<&str> = theirs["jurisdictions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|j| j["code"].as_str().unwrap())
            .collect();
        assert!(
            !codes.is_empty() && codes.iter().all(|c| c.starts_with("GB")),
            "{}: {codes:?}",
            t.name
        );
        // Reporters and partner systems do not read it.
        let reporter = login(&api.base, "reporter@accessns.example").await;
        assert_eq!(
            api.get("/api/v1/life-events/coverage", &reporter).await.0,
            403
        );

        // While the amendment awaits approval, Access Nova Scotia takes no
        // notice under it; once every party approves, it does from the day
        // the amendment governs, and not before.
        let notice = |day: &str, case: &str| {
            json!({"agreement_id": id, "life_event": "job_loss", "received_on": day,
                   "channel": "in_person", "case_reference": case})
        };
        let (status, _) = api
            .post(
                "/api/v1/life-event-notices",
                &reporter,
                notice("2026-08-03", "ANS-0001"),
            )
            .await;
        assert_eq!(status, 422, "{}: proposed, not in force", t.name);
        let version = b["pending_amendment"]["version"].as_i64().unwrap();
        approve_all(
            &api,
            id,
            version,
            &[
                "executive@servicecanada.example",
                "executive@esdc.example",
                "executive@accessns.example",
                "executive@novascotia.example",
            ],
        )
        .await;
        let (status, n) = api
            .post(
                "/api/v1/life-event-notices",
                &reporter,
                notice("2026-08-03", "ANS-0001"),
            )
            .await;
        assert_eq!(status, 201, "{}: in force: {n}", t.name);
        assert_eq!(
            n["deliveries"][0]["organisation_id"],
            api.org("SC"),
            "{}",
            t.name
        );
        let (status, n) = api
            .post(
                "/api/v1/life-event-notices",
                &reporter,
                notice("2026-06-15", "ANS-0002"),
            )
            .await;
        assert_eq!(
            status, 422,
            "{}: before the amendment governed: {n}",
            t.name
        );
        assert_eq!(
            n["error"]["details"][0]["field"], "received_on",
            "{}",
            t.name
        );
    }
}

#[tokio::test]
async fn minimum_service_levels_hold_a_shift_only_once_every_party_agrees() {
    for t in seeded_databases().await {
        let api = Api::new(spawn(t.db.clone()).await).await;
        let manager = login(&api.base, MANAGER).await;
        let (_, list) = api
            .get("/api/v1/agreements?q=AGR-2023-0001", &manager)
            .await;
        let id = list["items"][0]["id"].as_i64().expect("the demo agreement");
        let path = format!("/api/v1/agreements/{id}");
        let in_force = json!([{"channel": "in_person", "share": "25"},
                              {"channel": "phone", "share": "5"}]);
        let (_, a) = api.get(&path, &manager).await;
        assert_eq!(a["channel_minimums"], in_force, "{}", t.name);
        let minimums = |v: &Value| v["minimums"].clone();
        let (status, costs) = api.get(&format!("{path}/channel-costs"), &manager).await;
        assert_eq!(status, 200, "{}: {costs}", t.name);
        assert_eq!(minimums(&costs), in_force, "{}", t.name);
        assert_eq!(costs["minimums_provisional"], false);

        // An amendment raising the counter's minimum and dropping the
        // phone's: proposed, not in force.
        let version = a["version"].as_i64().unwrap();
        let mut body = terms_of(&a, version, "Keep half of the volume at the counter");
        body["channel_minimums"] = json!([{"channel": "in_person", "share": "50.00"}]);
        let (status, proposed) = api.put(&path, &manager, body).await;
        assert_eq!(status, 200, "{}: {proposed}", t.name);
        assert_eq!(proposed["channel_minimums"], in_force, "{}", t.name);
        let (_, costs) = api.get(&format!("{path}/channel-costs"), &manager).await;
        assert_eq!(
            minimums(&costs),
            in_force,
            "{}: a proposal holds no shift",
            t.name
        );
        let (_, cmp) = api
            .get(
                &format!("{path}/versions/compare?from={version}&to={}", version + 1),
                &manager,
            )
            .await;
        let changes = changes_of(&cmp);
        assert!(
            changes.contains(&(
                "channel_minimums[in_person].share".to_owned(),
                json!("25"),
                json!("50")
            )),
            "{}: {changes:?}",
            t.name
        );
        assert!(
            changes.contains(&(
                "channel_minimums[phone].share".to_owned(),
                json!("5"),
                Value::Null
            )),
            "{}: {changes:?}",
            t.name
        );

        // Once every party approves, the new minimum is the one a shift
        // must keep.
        approve_all(
            &api,
            id,
            version + 1,
            &[
                "executive@servicecanada.example",
                "executive@esdc.example",
                "executive@accessns.example",
                "executive@novascotia.example",
            ],
        )
        .await;
        let agreed = json!([{"channel": "in_person", "share": "50"}]);
        let (_, a) = api.get(&path, &manager).await;
        assert_eq!(a["channel_minimums"], agreed, "{}", t.name);
        let (_, costs) = api.get(&format!("{path}/channel-costs"), &manager).await;
        assert_eq!(minimums(&costs), agreed, "{}", t.name);
    }
}

#[tokio::test]
async fn a_commitment_names_one_of_the_services_and_keeps_it_while_it_names_it() {
    for t in seeded_databases().await {
        let api = Api::new(spawn(t.db.clone()).await).await;
        let token = login(&api.base, MANAGER).await;
        let id = api.create(&token).await;
        let path = format!("/api/v1/agreements/{id}");
        let (_, a) = api.get(&path, &token).await;
        // The draft's one service, offered in person and by phone.
        let code = a["services"][0]["code"]
            .as_str()
            .expect("a code")
            .to_owned();
        let commitment = |service: &str, channel: &str| {
            json!({"organisation_id": api.org("ISANS"), "kpi": "calls_answered_in_target_pct",
                   "target": "80", "channel": channel, "service": service,
                   "frequency": "monthly", "effective_from": "2027-04-01"})
        };
        let post = |body: Value| {
            let api = &api;
            let token = token.clone();
            let path = format!("{path}/commitments");
            async move { api.post(&path, &token, body).await }
        };
        for (service, channel) in [("S-9", "phone"), (code.as_str(), "kiosk")] {
            let (status, e) = post(commitment(service, channel)).await;
            assert_eq!(status, 422, "{}: {service} {channel}: {e}", t.name);
            assert_eq!(e["error"]["details"][0]["field"], "service", "{e}");
        }
        let (status, c) = post(commitment(&code, "phone")).await;
        assert_eq!(status, 201, "{}: {c}", t.name);
        assert_eq!(c["service"], json!(code));
        let (_, a) = api.get(&path, &token).await;
        assert_eq!(a["commitments"][0]["service"], json!(code), "{}", t.name);

        // Terms without that service while the commitment names it are
        // refused, saying which commitment.
        let mut next = terms_of(&a, a["version"].as_i64().unwrap(), "Renumbered");
        next["services"][0]["code"] = json!("S-7");
        let (status, e) = api.put(&path, &token, next).await;
        assert_eq!(status, 422, "{}: {e}", t.name);
        assert_eq!(e["error"]["details"][0]["field"], "services", "{e}");
        let (_, after) = api.get(&path, &token).await;
        assert_eq!(after["version"], a["version"], "{}: nothing saved", t.name);
    }
}

/// Publishing is a term: an amendment that proposes it publishes nothing,
/// and lists as no amendment, until every party has approved it.
#[tokio::test]
async fn an_agreement_is_published_only_once_every_party_approves_publishing_it() {
    for t in seeded_databases().await {
        let api = Api::new(spawn(t.db.clone()).await).await;
        let manager = login(&api.base, MANAGER).await;
        let id = activated(&api, &manager, api.terms(), &EXECUTIVES).await;
        let path = format!("/api/v1/agreements/{id}");
        let (_, a) = api.get(&path, &manager).await;
        assert_eq!(a["published"], false, "{}", t.name);
        let reference = a["reference"].as_str().expect("reference").to_owned();
        let ocid = format!("ocds-concord-{reference}");
        let public = || async {
            let (status, feed) = get_as(&format!("{}/public/ocds.json", api.base), None).await;
            assert_eq!(status, 200, "{}: {feed}", t.name);
            feed["records"]
                .as_array()
                .expect("records")
                .iter()
                .map(|r| r["ocid"].as_str().expect("ocid").to_owned())
                .collect::<Vec<_>>()
        };
        assert!(!public().await.contains(&ocid), "{}", t.name);

        // Proposed: not yet agreed, so neither published nor an amendment.
        let mut body = terms_of(&a, 1, "Publish it");
        body["published"] = json!(true);
        let (status, a) = api.put(&path, &manager, body).await;
        assert_eq!(status, 200, "{}: {a}", t.name);
        assert_eq!(a["published"], false, "{}: the terms in force", t.name);
        assert!(!public().await.contains(&ocid), "{}", t.name);
        let (_, doc) = api.get(&format!("{path}/export/ocds"), &manager).await;
        let contract = &doc["records"][0]["compiledRelease"]["contracts"][0];
        assert_eq!(contract["amendments"], json!([]), "{}: {contract}", t.name);

        // Every party approves: published, and amended.
        approve_all(&api, id, 2, &EXECUTIVES).await;
        let (_, a) = api.get(&path, &manager).await;
        assert_eq!(a["published"], true, "{}", t.name);
        assert!(public().await.contains(&ocid), "{}", t.name);
        let (_, doc) = api.get(&format!("{path}/export/ocds"), &manager).await;
        let release = &doc["records"][0]["compiledRelease"];
        let amendments = release["contracts"][0]["amendments"]
            .as_array()
            .expect("amendments");
        assert_eq!(amendments.len(), 1, "{}: {amendments:?}", t.name);
        assert_eq!(amendments[0]["rationale"], "Publish it");
        assert_eq!(amendments[0]["amendsReleaseID"], format!("{reference}-v1"));
        assert_eq!(amendments[0]["releaseID"], format!("{reference}-v2"));
        assert_eq!(
            doc["records"][0]["releases"][0]["tag"],
            json!(["contractAmendment"])
        );
        // The parties' export names who approved; the public feed does not.
        let names: Vec<String> = release["contracts"][0]["signatories"]
            .as_array()
            .expect("signatories")
            .iter()
            .filter_map(|s| s["name"].as_str().map(str::to_owned))
            .collect();
        assert!(!names.is_empty(), "{}: {release}", t.name);
        let (_, feed) = get_as(&format!("{}/public/ocds.json", api.base), None).await;
        let text = feed.to_string();
        for name in names {
            assert!(!text.contains(&name), "{}: {name} is published", t.name);
        }
    }
}
