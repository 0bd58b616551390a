//! Malformed input over every write endpoint of the REST API and every
//! server function that writes (issue 16):
//! wrong types, missing fields, huge and negative numbers, impossible
//! dates and periods, invalid UTF-8, deep nesting, oversized strings,
//! broken CSV, bad ids. Every request gets a 4xx in the error shape,
//! nothing is written, and the server keeps answering — on SQLite and
//! PostgreSQL.

use crate::common::{count, get_as, login, seeded_databases, spawn};
use serde_json::{Value, json};

/// Every table a write could touch.
const TABLES: &[&str] = &[
    "agreements",
    "agreement_versions",
    "agreement_parties",
    "proposed_parties",
    "agreement_services",
    "barriers",
    "governance_sections",
    "comments",
    "approvals",
    "cost_models",
    "cost_model_lines",
    "cost_entries",
    "transaction_volumes",
    "commitments",
    "service_level_reports",
    "notifications",
    "audit_events",
    "organisations",
    "users",
    "api_tokens",
];

/// The write endpoints, with who calls them (a caller allowed to, so the
/// input is what is judged): `(method, path, caller, takes CSV)`.
const WRITES: &[(&str, &str, &str, bool)] = &[
    ("POST", "/api/v1/cost-sharing/simulate", "manager", false),
    ("POST", "/api/v1/agreements", "manager", false),
    ("PUT", "/api/v1/agreements/{id}", "manager", false),
    ("POST", "/api/v1/agreements/{id}/comments", "manager", false),
    (
        "POST",
        "/api/v1/agreements/{id}/transitions",
        "manager",
        false,
    ),
    (
        "POST",
        "/api/v1/agreements/{id}/approvals",
        "executive",
        false,
    ),
    (
        "PUT",
        "/api/v1/agreements/{id}/cost-model",
        "manager",
        false,
    ),
    (
        "POST",
        "/api/v1/agreements/{id}/cost-entries",
        "manager",
        false,
    ),
    ("POST", "/api/v1/agreements/{id}/volumes", "manager", false),
    (
        "POST",
        "/api/v1/agreements/{id}/commitments",
        "manager",
        false,
    ),
    (
        "PUT",
        "/api/v1/agreements/{id}/commitments/{commitment_id}",
        "manager",
        false,
    ),
    ("POST", "/api/v1/reports", "reporter", false),
    (
        "POST",
        "/api/v1/agreements/{id}/cost-entries/import",
        "manager",
        true,
    ),
    (
        "POST",
        "/api/v1/agreements/{id}/volumes/import",
        "manager",
        true,
    ),
    ("POST", "/api/v1/reports/import", "reporter", true),
];

/// Deletions, tried with ids that are not ids.
const DELETES: &[&str] = &[
    "/api/v1/agreements/{bad}",
    "/api/v1/agreements/{id}/amendment",
    "/api/v1/agreements/{id}/cost-entries/{bad}",
    "/api/v1/agreements/{id}/volumes/{bad}",
];

const BAD_IDS: &[&str] = &[
    "abc",
    "-1",
    "0",
    "99999999999999999999",
    "1.5",
    "%00",
    "1e3",
    "1%20OR%201=1",
    "%D9%A3",
];

/// Bodies that are JSON, each wrong in its own way.
fn json_bodies() -> Vec<(&'static str, Vec<u8>)> {
    let huge = "9".repeat(400);
    let mut out: Vec<(&'static str, Vec<u8>)> = vec![
        ("empty object", b"{}".to_vec()),
        ("empty body", Vec::new()),
        ("an array", b"[]".to_vec()),
        ("null", b"null".to_vec()),
        ("a string", b"\"text\"".to_vec()),
        ("a number", b"42".to_vec()),
        ("a boolean", b"true".to_vec()),
        ("truncated", b"{\"title\": \"half".to_vec()),
        ("trailing garbage", b"{\"version\": 1} xx".to_vec()),
        (
            "invalid UTF-8",
            b"{\"title\": \"\xff\xfe\xfd\", \"body\": \"\xc3\x28\"}".to_vec(),
        ),
        (
            "deep nesting",
            format!("{}{}", "[".repeat(5_000), "]".repeat(5_000)).into_bytes(),
        ),
    ];
    for (name, v) in [
        (
            "wrong types",
            json!({"title": 12, "version": "x", "period": 5, "value": [], "count": "many",
                   "amount": {}, "organisation_id": "SC", "commitment_id": true,
                   "starts_on": 20260101, "parties": "all", "model": 3, "to": 7,
                   "body": 9, "currency": 1, "kpi": null, "target": {"a": 1}}),
        ),
        (
            "huge and negative numbers",
            json!({"version": -1, "count": -5, "organisation_id": -1,
                   "commitment_id": 2_147_483_648_i64, "value": huge, "numerator": "-1e400",
                   "amount": format!("-{huge}"), "total_cost": "NaN", "target": "Infinity",
                   "days": 1e300, "grace_days": -99_999, "severity": 1e308}),
        ),
        (
            "impossible dates and periods",
            json!({"period": "2026-13", "starts_on": "2026-02-30", "ends_on": "0000-00-00",
                   "effective_from": "yesterday", "terms_effective_from": "2026-99-99",
                   "version": 1, "change_summary": "x", "to": "nowhere"}),
        ),
        (
            "oversized strings",
            json!({"title": "x".repeat(300_000), "body": "y".repeat(300_000),
                   "change_summary": "z".repeat(300_000), "period": "p".repeat(100_000)}),
        ),
        (
            "plausible but wrong",
            json!({"title": "", "summary": "", "purpose": "world_peace", "structure": "pyramid",
                   "partnership_type": "x", "starts_on": "2030-01-01", "ends_on": "2020-01-01",
                   "currency": "XXX", "parties": [{"organisation_id": 999_999, "role": "king"}],
                   "version": 1, "change_summary": "", "commitment_id": 999_999,
                   "period": "2026-10", "value": "abc", "kind": "gift", "category": "snacks",
                   "amount": "1.234", "channel": "pigeon", "count": 1, "to": "active",
                   "frequency": "hourly", "kpi": "no_such_kpi", "target": "-5",
                   "effective_from": "2026-01-01", "organisation_id": 999_999}),
        ),
        (
            "nested wrongness",
            json!({"model": {"kind": "proportional", "channel_weights": {"online": "-1"},
                   "lines": [{"organisation_id": "x"}]}, "total_cost": "1",
                   "volumes": [{"organisation_id": 1, "channel": "online", "count": -1}],
                   "currency": "CAD", "version": 1, "change_summary": "m"}),
        ),
    ] {
        out.push((name, serde_json::to_vec(&v).unwrap()));
    }
    out
}

/// CSV uploads that are broken.
fn csv_bodies() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("empty file", Vec::new()),
        ("header only, unknown columns", b"what,is,this\n".to_vec()),
        ("unterminated quote", b"commitment_id,period,value\n1,\"2026-10,5\n".to_vec()),
        ("invalid UTF-8", b"commitment_id,period,value\n1,2026-10,\xff\xfe\n".to_vec()),
        ("ragged rows", b"period,channel,organisation_id,count\n2026-01,online\n".to_vec()),
        (
            "huge numbers",
            format!(
                "period,kind,category,amount,organisation_id,channel,count,commitment_id,value\n2026-01,actual,staff,{0},1,online,{0},{0},{0}\n",
                "9".repeat(60)
            )
            .into_bytes(),
        ),
        ("formula cells", b"period,channel,organisation_id,count\n=1+1,@x,-2+3,+4\n".to_vec()),
        ("binary", vec![0u8, 159, 146, 150, 0, 1, 2, 3]),
    ]
}

async fn ids(base: &str, manager: &str) -> (String, String) {
    let (_, list) = get_as(
        &format!("{base}/api/v1/agreements?q=AGR-2023-0001"),
        Some(manager),
    )
    .await;
    let id = list["items"][0]["id"].as_i64().expect("agreement");
    let (_, a) = get_as(&format!("{base}/api/v1/agreements/{id}"), Some(manager)).await;
    let c = a["commitments"][0]["id"].as_i64().expect("commitment");
    (id.to_string(), c.to_string())
}

async fn counts(db: &sea_orm::DatabaseConnection) -> Vec<(&'static str, i64)> {
    let mut out = Vec::new();
    for t in TABLES {
        out.push((*t, count(db, t).await));
    }
    out
}

#[tokio::test]
async fn malformed_requests_get_a_4xx_in_the_error_shape_and_write_nothing() {
    for t in seeded_databases().await {
        let db = t.db.clone();
        let base = spawn(t.db.clone()).await;
        let callers = [
            (
                "manager",
                login(&base, "manager@servicecanada.example").await,
            ),
            (
                "executive",
                login(&base, "executive@servicecanada.example").await,
            ),
            ("reporter", login(&base, "reporter@accessns.example").await),
        ];
        let token = |who: &str| {
            callers
                .iter()
                .find(|(n, _)| *n == who)
                .map(|(_, t)| t.clone())
                .expect("caller")
        };
        let (id, commitment) = ids(&base, &token("manager")).await;
        let before = counts(&db).await;
        let client = crate::common::client();
        let mut sent = 0;
        let mut wrong = Vec::new();
        let send = async |method: &str,
                          path: &str,
                          who: &str,
                          content_type: &str,
                          body: Vec<u8>,
                          what: &str| {
            let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
            let r = client
                .request(m, format!("{base}{path}"))
                .bearer_auth(token(who))
                .header("content-type", content_type)
                .body(body)
                .send()
                .await;
            let Ok(r) = r else {
                return Some(format!("{method} {path} ({what}): the connection dropped"));
            };
            let status = r.status().as_u16();
            let text = r.text().await.unwrap_or_default();
            let shaped = serde_json::from_str::<Value>(&text)
                .is_ok_and(|v| v["error"]["code"].is_string() && v["error"]["message"].is_string());
            if !(400..500).contains(&status) || !shaped {
                let cut: String = text.chars().take(200).collect();
                return Some(format!("{method} {path} ({what}): {status} {cut}"));
            }
            None
        };
        for (method, path, who, csv) in WRITES {
            let path = path
                .replace("{id}", &id)
                .replace("{commitment_id}", &commitment);
            for (what, body) in json_bodies() {
                sent += 1;
                if let Some(w) = send(method, &path, who, "application/json", body, what).await {
                    wrong.push(w);
                }
            }
            if *csv {
                for (what, body) in csv_bodies() {
                    sent += 1;
                    if let Some(w) = send(method, &path, who, "text/csv", body, what).await {
                        wrong.push(w);
                    }
                }
            }
            // A body that is not what the endpoint takes at all.
            sent += 1;
            if let Some(w) = send(
                method,
                &path,
                who,
                "text/plain",
                b"hello".to_vec(),
                "plain text",
            )
            .await
            {
                wrong.push(w);
            }
        }
        for path in DELETES {
            for bad in BAD_IDS {
                let path = path.replace("{id}", &id).replace("{bad}", bad);
                sent += 1;
                if let Some(w) = send(
                    "DELETE",
                    &path,
                    "manager",
                    "application/json",
                    Vec::new(),
                    "bad id",
                )
                .await
                {
                    wrong.push(w);
                }
            }
        }
        for bad in BAD_IDS {
            sent += 1;
            let path = format!("/api/v1/agreements/{bad}/comments");
            if let Some(w) = send(
                "POST",
                &path,
                "manager",
                "application/json",
                b"{\"body\":\"hi\"}".to_vec(),
                "bad id",
            )
            .await
            {
                wrong.push(w);
            }
        }
        assert!(
            wrong.is_empty(),
            "{}: {} of {sent} wrong:\n{}",
            t.name,
            wrong.len(),
            wrong.join("\n")
        );
        assert!(sent >= 300, "{}: only {sent} requests", t.name);
        assert_eq!(
            counts(&db).await,
            before,
            "{}: something was written",
            t.name
        );
        let (status, _) = get_as(&format!("{base}/healthz"), None).await;
        assert_eq!(status, 200, "{}: still answering", t.name);
    }
}

/// The server functions that take arguments and write, with who calls
/// them (a caller allowed to) and whether they take JSON (else a form).
const SERVER_FN_WRITES: &[(&str, &str, bool)] = &[
    ("/sfn/agreements/create", "manager", true),
    ("/sfn/agreements/update", "manager", true),
    ("/sfn/agreements/comment", "manager", false),
    ("/sfn/agreements/transition", "manager", false),
    ("/sfn/agreements/approve", "executive", false),
    ("/sfn/agreements/withdraw", "manager", false),
    ("/sfn/agreements/withdraw-amendment", "manager", false),
    ("/sfn/reports/submit", "reporter", true),
    ("/sfn/reports/commitment", "manager", true),
    ("/sfn/reports/commitment-update", "manager", true),
    ("/sfn/costs/record", "manager", true),
    ("/sfn/costs/volume", "manager", true),
    ("/sfn/costs/remove-entry", "manager", false),
    ("/sfn/costs/remove-volume", "manager", false),
    ("/sfn/costs/model", "manager", true),
    ("/sfn/admin/users/create", "admin", false),
    ("/sfn/admin/users/update", "admin", false),
    ("/sfn/admin/users/reset-link", "admin", false),
    ("/sfn/admin/users/unlock", "admin", false),
    ("/sfn/admin/organisations/create", "admin", false),
    ("/sfn/admin/organisations/update", "admin", false),
    ("/sfn/admin/jurisdictions/create", "admin", false),
    ("/sfn/admin/jurisdictions/update", "admin", false),
    ("/sfn/admin/kpis/create", "admin", false),
    ("/sfn/admin/kpis/update", "admin", false),
    ("/sfn/admin/life-events/create", "admin", false),
    ("/sfn/admin/life-events/rename", "admin", false),
    ("/sfn/admin/tokens/issue", "admin", false),
    ("/sfn/admin/tokens/revoke", "admin", false),
    ("/sfn/auth/change-password", "admin", false),
    ("/sfn/auth/reset-password", "admin", false),
    ("/sfn/auth/sign-in", "admin", false),
];

/// Form bodies, each wrong in its own way (ids never name a real row).
fn form_bodies() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("nothing", Vec::new()),
        (
            "not a number",
            b"id=abc&version=x&entry_id=y&volume_id=z".to_vec(),
        ),
        ("beyond i32", b"id=99999999999999999999&version=1".to_vec()),
        ("a fraction", b"id=1.5".to_vec()),
        ("a broken escape", b"id=%ZZ&params[body]=%".to_vec()),
        (
            "invalid UTF-8",
            b"id=%FF%FE&params[name]=%C3%28&email=%FF".to_vec(),
        ),
        (
            "deep nesting",
            format!("params{}=1", "[a]".repeat(2_000)).into_bytes(),
        ),
        (
            "oversized",
            format!("id=999999&params[body]={}", "x".repeat(2 * 1024 * 1024)).into_bytes(),
        ),
        ("the same key twice", b"id=999998&id=999999".to_vec()),
        (
            "a list for a struct",
            b"params[]=1&params[]=2&to=sideways".to_vec(),
        ),
    ]
}

/// JSON bodies for server functions, each wrong in its own way.
fn server_fn_json_bodies() -> Vec<(&'static str, Vec<u8>)> {
    let mut out: Vec<(&'static str, Vec<u8>)> = vec![
        ("empty object", b"{}".to_vec()),
        ("empty body", Vec::new()),
        ("null", b"null".to_vec()),
        ("truncated", b"{\"params\": {\"title\": \"half".to_vec()),
        (
            "invalid UTF-8",
            b"{\"params\": {\"title\": \"\xff\xfe\"}}".to_vec(),
        ),
        (
            "deep nesting",
            format!("{}{}", "{\"a\":".repeat(5_000), "}".repeat(5_000)).into_bytes(),
        ),
    ];
    for (name, v) in [
        (
            "wrong types",
            json!({"id": "x", "params": "y", "terms": 5, "commitment_id": []}),
        ),
        (
            "huge numbers",
            json!({"id": 1e300, "params": {"count": 1e300, "amount": "9".repeat(400)}}),
        ),
        (
            "oversized strings",
            json!({"id": 999_999, "params": {"title": "x".repeat(300_000)}, "terms": {"title": "y".repeat(300_000)}}),
        ),
        (
            "a real shape with nonsense",
            json!({"id": 999_999, "commitment_id": 999_999,
            "params": {"period": "2026-13", "kind": "gift", "amount": "-1", "organisation_id": 999_999,
                       "count": -1, "commitment_id": 999_999, "value": "abc", "version": -1,
                       "change_summary": "", "model": {"kind": "lottery"}, "kpi": "", "target": "x",
                       "frequency": "hourly", "effective_from": "2026-02-30"},
            "terms": {"title": "", "purpose": "x", "parties": "all"}}),
        ),
    ] {
        out.push((name, serde_json::to_vec(&v).unwrap()));
    }
    out
}

#[tokio::test]
async fn malformed_server_function_calls_get_a_4xx_and_write_nothing() {
    for t in seeded_databases().await {
        let db = t.db.clone();
        let base = spawn(t.db.clone()).await;
        let mut callers = Vec::new();
        for (who, email) in [
            ("manager", "manager@servicecanada.example"),
            ("executive", "executive@servicecanada.example"),
            ("reporter", "reporter@accessns.example"),
            ("admin", "admin@concord.example"),
        ] {
            callers.push((who, login(&base, email).await));
        }
        let before = counts(&db).await;
        let client = crate::common::client();
        let mut sent = 0;
        let mut wrong = Vec::new();
        for (path, who, takes_json) in SERVER_FN_WRITES {
            let session = &callers.iter().find(|(w, _)| w == who).expect("caller").1;
            let (content_type, bodies) = if *takes_json {
                ("application/json", server_fn_json_bodies())
            } else {
                ("application/x-www-form-urlencoded", form_bodies())
            };
            for (what, body) in bodies {
                sent += 1;
                let r = client
                    .post(format!("{base}{path}"))
                    .header("origin", &base)
                    .header("cookie", format!("concord_session={session}"))
                    .header("content-type", content_type)
                    .body(body)
                    .send()
                    .await;
                match r {
                    Ok(r) if (400..500).contains(&r.status().as_u16()) => {}
                    Ok(r) => {
                        let status = r.status().as_u16();
                        let text: String = r
                            .text()
                            .await
                            .unwrap_or_default()
                            .chars()
                            .take(200)
                            .collect();
                        wrong.push(format!("{path} ({what}): {status} {text}"));
                    }
                    Err(_) => wrong.push(format!("{path} ({what}): the connection dropped")),
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "{}: {} of {sent} wrong:\n{}",
            t.name,
            wrong.len(),
            wrong.join("\n")
        );
        assert!(sent >= 300, "{}: only {sent} requests", t.name);
        assert_eq!(
            counts(&db).await,
            before,
            "{}: something was written",
            t.name
        );
        let (status, _) = get_as(&format!("{base}/healthz"), None).await;
        assert_eq!(status, 200, "{}: still answering", t.name);
    }
}
