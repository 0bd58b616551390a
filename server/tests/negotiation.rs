//! Drafting and negotiating agreements through the REST API: every rule of
//! the terms, versions and optimistic concurrency, the lifecycle, approvals,
//! amendments, comments and withdrawal — on SQLite and PostgreSQL.

mod common;

use common::{get_as, login, seeded_databases, spawn};
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
            client: reqwest::Client::new(),
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
        let api = Api::new(spawn(t.db).await).await;
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
        let api = Api::new(spawn(t.db).await).await;
        let token = login(&api.base, MANAGER).await;
        let before = count_agreements(&api, &token).await;
        let sc = api.org("SC");
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
        let api = Api::new(spawn(t.db).await).await;
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
        let api = Api::new(spawn(t.db).await).await;
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
        let api = std::sync::Arc::new(Api::new(spawn(t.db).await).await);
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
        let api = Api::new(spawn(t.db).await).await;
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
        let api = Api::new(spawn(t.db).await).await;
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
        let api = Api::new(spawn(t.db).await).await;
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
async fn an_agreement_exports_as_an_ocds_record() {
    for t in seeded_databases().await {
        let api = Api::new(spawn(t.db).await).await;
        let token = login(&api.base, "oversight@concord.example").await;
        let (_, list) = api.get("/api/v1/agreements?q=AGR-2023-0001", &token).await;
        let id = list["items"][0]["id"].as_i64().expect("id");
        let (status, doc) = api
            .get(&format!("/api/v1/agreements/{id}/export/ocds"), &token)
            .await;
        assert_eq!(status, 200, "{}", t.name);
        let release = &doc["records"][0]["compiledRelease"];
        assert_eq!(doc["records"][0]["ocid"], "ocds-concord-AGR-2023-0001");
        assert!(
            release["parties"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["roles"].as_array().unwrap().contains(&json!("buyer")))
        );
        let contract = &release["contracts"][0];
        assert_eq!(contract["status"], "active");
        assert_eq!(contract["period"]["startDate"], "2023-04-01");
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
        app::backend::db::migrate(&t.db).await.expect("migrate");
        let v1 = agreement_version::Entity::find()
            .filter(agreement_version::Column::AgreementId.eq(row))
            .filter(agreement_version::Column::Number.eq(1))
            .one(&t.db)
            .await
            .expect("query")
            .expect("version 1");
        assert_eq!(v1.terms["schema_version"], 2, "{}", t.name);
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
