//! Service levels through the REST API (DOMAIN.md §4): commitments as a
//! version, reports and their revisions, plausibility and period checks,
//! CSV import all-or-nothing, compliance with error budgets — on SQLite and
//! PostgreSQL.

use crate::common::{count, get_as, login, post_as as post, seeded_databases, spawn, who};
use serde_json::{Value, json};

const REPORTER: &str = "reporter@accessns.example";
const CPC_REPORTER: &str = "reporter@canadapost.example";
const MANAGER: &str = "manager@servicecanada.example";

async fn csv(base: &str, token: &str, body: String) -> (u16, Value) {
    let r = crate::common::client()
        .post(format!("{base}/api/v1/reports/import"))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(body)
        .send()
        .await
        .expect("request");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// The id of `reference` and of its commitment on `kpi`.
async fn commitment(base: &str, token: &str, reference: &str, kpi: &str) -> (i64, i64) {
    let (_, list) = get_as(
        &format!("{base}/api/v1/agreements?q={reference}"),
        Some(token),
    )
    .await;
    let id = list["items"][0]["id"].as_i64().expect("agreement");
    let (_, a) = get_as(&format!("{base}/api/v1/agreements/{id}"), Some(token)).await;
    let c = a["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kpi"] == kpi)
        .expect("commitment")["id"]
        .as_i64()
        .unwrap();
    (id, c)
}

#[tokio::test]
async fn a_report_is_judged_at_once_and_a_correction_is_the_next_revision() {
    for t in seeded_databases().await {
        let db = t.db.clone();
        let notes_before = count(&db, "notifications").await;
        let base = spawn(t.db.clone()).await;
        let token = login(&base, REPORTER).await;
        let (agreement, c) = commitment(&base, &token, "AGR-2023-0001", "in_person_wait_min").await;
        // Target 15 minutes, band 5, lower is better; 2026-10 has revision 1.
        for (value, status, revision) in [
            (json!("15"), "met", 2),
            (json!(20), "at_risk", 3),
            (json!("20.5"), "breached", 4),
        ] {
            let (s, r) = post(
                &base,
                "/api/v1/reports",
                &token,
                json!({"commitment_id": c, "period": "2026-10", "value": value, "volume": 4803, "comment": "Checked by the supervisor"}),
            )
            .await;
            assert_eq!(s, 201, "{}: {r}", t.name);
            assert_eq!(r["compliance"]["status"], status, "{r}");
            assert_eq!(r["revision"], revision);
            assert_eq!(r["period"], "2026-10");
        }
        // The latest revision counts; every revision stays visible.
        let (_, comp) = get_as(
            &format!("{base}/api/v1/agreements/{agreement}/compliance"),
            Some(&token),
        )
        .await;
        let item = comp["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["commitment_id"] == json!(c) && i["period"] == "2026-10")
            .cloned()
            .unwrap();
        assert_eq!(item["status"], "breached");
        assert_eq!(item["revision"], 4);
        assert_eq!(item["value"], "20.5");
        assert_eq!(item["target"], "15");
        let (_, revisions) = get_as(
            &format!("{base}/api/v1/commitments/{c}/reports?period=2026-10"),
            Some(&token),
        )
        .await;
        assert_eq!(revisions.as_array().unwrap().len(), 4);
        assert_eq!(revisions[0]["revision"], 4);
        assert_eq!(revisions[0]["submitted_by"], "Ryan Boudreau");
        // The breach was notified (managers of the parties, the reporters).
        assert!(count(&db, "notifications").await > notes_before);
        // Error budgets per year.
        assert!(
            comp["error_budgets"]
                .as_array()
                .unwrap()
                .iter()
                .any(|b| b["commitment_id"] == json!(c) && b["year"] == "FY2026")
        );
        // Every month from the start (2023-04) to the last ended one.
        let months: Vec<&str> = comp["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["commitment_id"] == json!(c))
            .map(|i| i["period"].as_str().unwrap())
            .collect();
        assert_eq!(months.first(), Some(&"2023-04"));
        assert!(
            months
                .last()
                .is_some_and(|m| *m == "2026-10" || *m == "2026-11"),
            "{months:?}"
        );
    }
}

#[tokio::test]
async fn bad_reports_are_refused_with_a_reason_and_nothing_is_saved() {
    for t in seeded_databases().await {
        let db = t.db.clone();
        let base = spawn(t.db.clone()).await;
        let token = login(&base, CPC_REPORTER).await;
        let (_, pct) = commitment(&base, &token, "AGR-2023-0003", "service_standard_met_pct").await;
        let (_, days) = commitment(&base, &token, "AGR-2023-0003", "processing_time_days").await;
        let before = count(&db, "service_level_reports").await;
        for (body, field) in [
            (
                json!({"commitment_id": pct, "period": "2026-10", "value": "100.5"}),
                "value",
            ),
            (
                json!({"commitment_id": pct, "period": "2026-10", "numerator": 11, "denominator": 10}),
                "numerator",
            ),
            (
                json!({"commitment_id": pct, "period": "2026-10", "numerator": 1, "denominator": 0}),
                "denominator",
            ),
            (json!({"commitment_id": pct, "period": "2026-10"}), "value"),
            (
                json!({"commitment_id": days, "period": "2026-10", "value": -2}),
                "value",
            ),
            (
                json!({"commitment_id": days, "period": "2026-Q3", "value": 2}),
                "period",
            ),
            (
                json!({"commitment_id": days, "period": "2027-01", "value": 2}),
                "period",
            ),
            (
                json!({"commitment_id": days, "period": "2026-13", "value": 2}),
                "period",
            ),
            (
                json!({"commitment_id": days, "period": "2026-10", "value": "two"}),
                "value",
            ),
        ] {
            let (s, e) = post(&base, "/api/v1/reports", &token, body.clone()).await;
            assert_eq!(s, 422, "{}: {body} → {e}", t.name);
            assert_eq!(e["error"]["details"][0]["field"], field, "{body} → {e}");
        }
        assert_eq!(count(&db, "service_level_reports").await, before);
        // Another organisation's commitment: 404 for a reporter, as if it
        // did not exist; 403 for oversight, whose role does not report.
        // Nobody signed in: 401.
        let other = login(&base, REPORTER).await;
        let (s, _) = post(
            &base,
            "/api/v1/reports",
            &other,
            json!({"commitment_id": pct, "period": "2026-10", "value": 90}),
        )
        .await;
        assert_eq!(s, 404);
        let exec = login(&base, who::OVERSIGHT).await;
        let (s, _) = post(
            &base,
            "/api/v1/reports",
            &exec,
            json!({"commitment_id": pct, "period": "2026-10", "value": 90}),
        )
        .await;
        assert_eq!(s, 403);
        let r = crate::common::client()
            .post(format!("{base}/api/v1/reports"))
            .json(&json!({"commitment_id": pct, "period": "2026-10", "value": 90}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        // A ratio by its parts.
        let (s, r) = post(
            &base,
            "/api/v1/reports",
            &token,
            json!({"commitment_id": pct, "period": "2026-10", "numerator": 97, "denominator": 100}),
        )
        .await;
        assert_eq!(
            (s, r["compliance"]["status"].clone()),
            (201, json!("met")),
            "{r}"
        );
    }
}

#[tokio::test]
async fn a_csv_import_writes_every_row_or_none_and_lists_each_bad_line() {
    for t in seeded_databases().await {
        let db = t.db.clone();
        let base = spawn(t.db.clone()).await;
        let token = login(&base, CPC_REPORTER).await;
        let (agreement, pct) =
            commitment(&base, &token, "AGR-2023-0003", "service_standard_met_pct").await;
        let (_, days) = commitment(&base, &token, "AGR-2023-0003", "processing_time_days").await;
        let before = count(&db, "service_level_reports").await;

        // Lines 3 (numerator above denominator) and 5 (a duplicate of line 2).
        let bad = format!(
            "commitment_id,period,value,numerator,denominator,volume,comment\r\n\
             {pct},2026-10,,95,100,100,\r\n\
             {pct},2026-09,,101,100,100,\r\n\
             {days},2026-10,2.5,,,,\"Late, but checked\"\r\n\
             {pct},2026-10,,96,100,100,\r\n"
        );
        let (s, e) = csv(&base, &token, bad).await;
        assert_eq!(s, 422, "{}: {e}", t.name);
        let lines: Vec<u64> = e["error"]["details"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|d| d["line"].as_u64())
            .collect();
        assert_eq!(lines, [3, 5], "{e}");
        assert_eq!(count(&db, "service_level_reports").await, before);

        let good = format!(
            "\u{feff}commitment_id,period,value,numerator,denominator,volume,comment\n\
             {pct},2026-10,,95,100,100,\n\
             {pct},2026-09,,99,100,100,\n\
             {days},2026-10,2.5,,,,\"Late, but checked\"\n"
        );
        let (s, r) = csv(&base, &token, good).await;
        assert_eq!((s, r), (201, json!({"imported": 3})));
        assert_eq!(count(&db, "service_level_reports").await, before + 3);
        let (_, comp) = get_as(
            &format!("{base}/api/v1/agreements/{agreement}/compliance"),
            Some(&token),
        )
        .await;
        let at = |c: i64, p: &str| {
            comp["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["commitment_id"] == json!(c) && i["period"] == p)
                .cloned()
                .unwrap()
        };
        assert_eq!(at(pct, "2026-10")["value"], "95");
        assert_eq!(at(days, "2026-10")["value"], "2.5");

        // A file over 10 MiB: 413; not UTF-8: 422 with the line.
        let big = "commitment_id,period,value\n".to_owned() + &"1,2026-10,1\n".repeat(1_000_000);
        let (s, _) = csv(&base, &token, big).await;
        assert_eq!(s, 413);
        let r = crate::common::client()
            .post(format!("{base}/api/v1/reports/import"))
            .bearer_auth(&token)
            .header("content-type", "text/csv")
            .body(b"commitment_id,period,value\n1,2026-10,\xff\n".to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["error"]["details"][0]["line"], 2);
    }
}

#[tokio::test]
async fn a_commitment_is_added_as_a_new_version_and_checked_field_by_field() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let token = login(&base, MANAGER).await;
        let (agreement, _) = commitment(&base, &token, "AGR-2023-0001", "in_person_wait_min").await;
        let (_, a) = get_as(
            &format!("{base}/api/v1/agreements/{agreement}"),
            Some(&token),
        )
        .await;
        let version = a["version"].as_i64().unwrap();
        let org = a["parties"][0]["organisation_id"].clone();
        let path = format!("/api/v1/agreements/{agreement}/commitments");
        let (s, e) = post(
            &base,
            &path,
            &token,
            json!({"organisation_id": org, "kpi": "calls_answered_in_target_pct",
            "target": "120", "warning_band": "5", "channel": "phone", "frequency": "monthly",
            "grace_days": 15, "effective_from": "2026-04-01"}),
        )
        .await;
        assert_eq!(s, 422, "{}: {e}", t.name);
        assert_eq!(e["error"]["details"][0]["field"], "target");
        let (s, e) = post(
            &base,
            &path,
            &token,
            json!({"organisation_id": org, "kpi": "happiness",
            "target": "80", "frequency": "monthly", "effective_from": "2026-04-01"}),
        )
        .await;
        assert_eq!(
            (s, e["error"]["details"][0]["field"].clone()),
            (422, json!("kpi"))
        );

        // The example of API.md.
        let (s, c) = post(
            &base,
            &path,
            &token,
            json!({"organisation_id": org, "kpi": "calls_answered_in_target_pct",
            "target": "80", "warning_band": "5", "channel": "phone", "frequency": "monthly",
            "grace_days": 15, "effective_from": "2026-04-01"}),
        )
        .await;
        assert_eq!(s, 201, "{c}");
        assert_eq!(c["target"], "80");
        assert_eq!(c["frequency"], "monthly");
        let id = c["id"].clone();
        let (_, a) = get_as(
            &format!("{base}/api/v1/agreements/{agreement}"),
            Some(&token),
        )
        .await;
        assert_eq!(a["version"].as_i64().unwrap(), version + 1);
        // Stable across later versions.
        let (s, c2) = post(
            &base,
            &path,
            &token,
            json!({"organisation_id": org, "kpi": "digital_uptake_pct",
            "target": "60", "frequency": "quarterly", "effective_from": "2026-04-01"}),
        )
        .await;
        assert_eq!(s, 201, "{c2}");
        let (_, a) = get_as(
            &format!("{base}/api/v1/agreements/{agreement}"),
            Some(&token),
        )
        .await;
        // An active agreement: both are proposed by the pending amendment,
        // the first under the same id, and neither is in force yet.
        assert!(
            !a["commitments"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["id"] == id || c["id"] == c2["id"]),
            "{}: proposed commitments are not in force",
            t.name
        );
        let changes = a["pending_amendment"]["changes"]
            .as_array()
            .expect("pending");
        for proposed in [&id, &c2["id"]] {
            let prefix = format!("commitments[{proposed}]");
            assert!(
                changes.iter().any(
                    |c| c["path"].as_str().is_some_and(|p| p.starts_with(&prefix))
                        && c["change"] == "added"
                ),
                "{}: {prefix} in {changes:?}",
                t.name
            );
        }
        // Reporters may not change terms.
        let reporter = login(&base, REPORTER).await;
        let (s, _) = post(
            &base,
            &path,
            &reporter,
            json!({"organisation_id": org, "kpi": "digital_uptake_pct",
            "target": "60", "frequency": "quarterly", "effective_from": "2026-04-01"}),
        )
        .await;
        assert_eq!(s, 403);
    }
}

#[tokio::test]
async fn reporters_are_told_once_of_reports_due_and_missing() {
    for t in seeded_databases().await {
        // The demo portfolio's reports run to 2026-10: on 2026-11-30 the
        // month ending that day is due.
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
        let before = count(&t.db, "notifications").await;
        let n = app::backend::services::reports::notify_due(&t.db, today)
            .await
            .expect("notify");
        assert!(n > 0, "{}: the periods ending today are due", t.name);
        assert_eq!(count(&t.db, "notifications").await, before + n as i64);
        // Again: nothing new.
        let again = app::backend::services::reports::notify_due(&t.db, today)
            .await
            .expect("notify");
        assert_eq!(again, 0);
        // The Canada Post reporter sees theirs.
        let base = spawn(t.db.clone()).await;
        let token = login(&base, CPC_REPORTER).await;
        let (_, due) = get_as(&format!("{base}/api/v1/reports/due"), Some(&token)).await;
        assert!(
            due["due"]
                .as_array()
                .unwrap()
                .iter()
                .all(|d| d["reference"] == "AGR-2023-0003"),
            "{due}"
        );
    }
}

/// Each notification of `kinds` written to a user, with that user's
/// language: (email, lang, message).
async fn notes_of(
    db: &sea_orm::DatabaseConnection,
    kinds: &[&str],
) -> Vec<(String, String, String)> {
    use app::backend::entities::{notification, user};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let users: std::collections::HashMap<i32, user::Model> = user::Entity::find()
        .all(db)
        .await
        .expect("users")
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    notification::Entity::find()
        .filter(notification::Column::Kind.is_in(kinds.iter().copied()))
        .all(db)
        .await
        .expect("notifications")
        .into_iter()
        .map(|n| {
            let u = &users[&n.user_id];
            (u.email.clone(), u.lang.clone(), n.message)
        })
        .collect()
}

#[tokio::test]
async fn notifications_are_written_in_each_recipients_language() {
    for t in seeded_databases().await {
        // Reports due and missing: the Canada Post reporter reads French
        // (fixtures/users.csv), the others English.
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
        app::backend::services::reports::notify_due(&t.db, today)
            .await
            .expect("notify");
        let due = notes_of(&t.db, &["report_due", "report_missing"]).await;
        assert!(
            due.iter().any(|(e, _, _)| e == CPC_REPORTER),
            "{}: {due:?}",
            t.name
        );
        for (email, lang, message) in &due {
            let (english, french) = (
                message.contains(": due by ") || message.contains(": missing (was due by "),
                message.contains(" : à remettre au plus tard le ")
                    || message.contains(" : manquant (attendu au plus tard le "),
            );
            match lang.as_str() {
                "fr" => assert!(french && !english, "{}: {email}: {message}", t.name),
                _ => assert!(english && !french, "{}: {email}: {message}", t.name),
            }
        }
        // A user changes their language; the next breach tells them in it.
        let base = spawn(t.db.clone()).await;
        let token = login(&base, REPORTER).await;
        let client = crate::common::client();
        let patch = |body: Value| {
            client
                .patch(format!("{base}/api/v1/me"))
                .bearer_auth(&token)
                .json(&body)
                .send()
        };
        let r = patch(json!({"lang": "de"})).await.expect("request");
        assert_eq!(r.status().as_u16(), 400, "{}: not a language", t.name);
        let r = patch(json!({"lang": "fr"})).await.expect("request");
        assert_eq!(r.status().as_u16(), 200);
        let me: Value = r.json().await.expect("json");
        assert_eq!(me["lang"], "fr");
        let (_, me) = get_as(&format!("{base}/api/v1/me"), Some(&token)).await;
        assert_eq!(me["lang"], "fr", "{}: kept on the account", t.name);
        let (_, c) = commitment(&base, &token, "AGR-2023-0001", "in_person_wait_min").await;
        let (s, r) = post(
            &base,
            "/api/v1/reports",
            &token,
            json!({"commitment_id": c, "period": "2026-10", "value": "30"}),
        )
        .await;
        assert_eq!(s, 201, "{}: {r}", t.name);
        assert_eq!(r["compliance"]["status"], "breached");
        let breaches = notes_of(&t.db, &["breach"]).await;
        let told = |email: &str| -> Vec<&String> {
            breaches
                .iter()
                .filter(|(e, _, _)| e == email)
                .map(|(_, _, m)| m)
                .collect()
        };
        let (mine, managers) = (told(REPORTER), told(MANAGER));
        assert!(
            !mine.is_empty() && mine.iter().all(|m| m.ends_with(" : non respecté")),
            "{}: {mine:?}",
            t.name
        );
        assert!(
            !managers.is_empty() && managers.iter().all(|m| m.ends_with(": breached")),
            "{}: {managers:?}",
            t.name
        );
    }
}

#[tokio::test]
async fn commitments_export_as_openslo_documents() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let token = login(&base, REPORTER).await;
        let (agreement, c) = commitment(&base, &token, "AGR-2023-0001", "in_person_wait_min").await;
        let r = crate::common::client()
            .get(format!(
                "{base}/api/v1/agreements/{agreement}/export/openslo"
            ))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let text = r.text().await.unwrap();
        // YAML documents, each written as JSON.
        let docs: Vec<Value> = text
            .split("---\n")
            .filter(|d| !d.trim().is_empty())
            .map(|d| serde_json::from_str(d).expect("a JSON document"))
            .collect();
        assert_eq!(docs.len(), 4, "{}", t.name);
        let doc = docs
            .iter()
            .find(|d| {
                d["metadata"]["annotations"]["concord.example/commitment-id"]
                    .as_str()
                    .and_then(|s| s.parse::<i64>().ok())
                    == Some(c)
            })
            .expect("the wait-time commitment");
        assert_eq!(doc["apiVersion"], "openslo/v1");
        assert_eq!(doc["kind"], "SLO");
        assert_eq!(doc["spec"]["objectives"][0]["op"], "lte");
        assert_eq!(doc["spec"]["objectives"][0]["value"], 15.0);
        assert_eq!(doc["spec"]["timeWindow"][0]["duration"], "1M");
        assert_eq!(doc["spec"]["budgetingMethod"], "Occurrences");
        // Someone outside the agreement: 404.
        let outsider = login(&base, who::REPORTER_SNSW).await;
        let (s, _) = get_as(
            &format!("{base}/api/v1/agreements/{agreement}/export/openslo"),
            Some(&outsider),
        )
        .await;
        assert_eq!(s, 404);
    }
}

#[tokio::test]
async fn a_partner_system_reports_with_an_api_token() {
    use app::backend::auth::Actor;
    use app::backend::entities::user;
    use app::domain::{Role, Scope};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    for t in seeded_databases().await {
        let admin = user::Entity::find()
            .filter(user::Column::Email.eq(who::ADMIN))
            .one(&t.db)
            .await
            .expect("query")
            .expect("admin");
        let ctx = app::backend::Ctx::for_actor(Actor {
            acting: app::backend::auth::Acting::User(admin.id),
            role: Role::Admin,
            scope: Scope::All,
            organisation_id: admin.organisation_id,
            session: None,
            via_cookie: false,
        });
        let issued = app::backend::services::admin::issue_api_token(
            &ctx,
            &t.db,
            app::wire::admin::IssueTokenParams {
                organisation_code: "CPC".into(),
                name: "Case system".into(),
                days: 30,
            },
        )
        .await
        .expect("token");
        let base = spawn(t.db.clone()).await;
        let person = login(&base, CPC_REPORTER).await;
        let (_, pct) =
            commitment(&base, &person, "AGR-2023-0003", "service_standard_met_pct").await;
        let (s, r) = post(
            &base,
            "/api/v1/reports",
            &issued.token,
            json!({"commitment_id": pct, "period": "2026-10", "numerator": 960, "denominator": 1000, "volume": 1000}),
        )
        .await;
        assert_eq!(s, 201, "{}: {r}", t.name);
        assert_eq!(r["compliance"]["status"], "met");
        let (_, revisions) = get_as(
            &format!("{base}/api/v1/commitments/{pct}/reports?period=2026-10"),
            Some(&person),
        )
        .await;
        assert_eq!(revisions[0]["submitted_by"], "API token");
        // The token reaches only its organisation's commitments.
        let oversight = login(&base, who::OVERSIGHT).await;
        let (_, wait) = commitment(&base, &oversight, "AGR-2023-0001", "in_person_wait_min").await;
        let (s, _) = post(
            &base,
            "/api/v1/reports",
            &issued.token,
            json!({"commitment_id": wait, "period": "2026-10", "value": 9}),
        )
        .await;
        assert_eq!(s, 404);
    }
}

#[tokio::test]
async fn a_changed_commitment_keeps_its_id_and_past_periods_keep_the_terms_in_force() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let token = login(&base, MANAGER).await;
        let (agreement, c) = commitment(&base, &token, "AGR-2023-0001", "in_person_wait_min").await;
        let (_, a) = get_as(
            &format!("{base}/api/v1/agreements/{agreement}"),
            Some(&token),
        )
        .await;
        let current = a["commitments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == json!(c))
            .cloned()
            .unwrap();
        let mut body = json!({"organisation_id": current["organisation_id"], "kpi": "in_person_wait_min",
            "target": "10", "warning_band": "2", "channel": "in_person", "frequency": "monthly",
            "grace_days": 15, "effective_from": current["effective_from"]});
        let path = format!("/api/v1/agreements/{agreement}/commitments/{c}");
        let r = crate::common::client()
            .put(format!("{base}{path}"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", t.name);
        let changed: Value = r.json().await.unwrap();
        assert_eq!(changed["id"], json!(c));
        assert_eq!(changed["target"], "10");
        // An active agreement: the change is an amendment awaiting
        // approval, so version 1's target (15) still judges the periods.
        let (_, comp) = get_as(
            &format!("{base}/api/v1/agreements/{agreement}/compliance"),
            Some(&token),
        )
        .await;
        let item = comp["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["commitment_id"] == json!(c) && i["period"] == "2026-09")
            .cloned()
            .unwrap();
        assert_eq!(item["target"], "15");
        // Its KPI cannot change.
        body["kpi"] = json!("processing_time_days");
        let r = crate::common::client()
            .put(format!("{base}{path}"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
    }
}

#[tokio::test]
async fn a_fiscal_quarter_that_is_a_calendar_quarter_is_accepted_as_it() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let token = login(&base, "reporter@halifax.example").await;
        // AGR-2023-0002's fiscal year starts in April: FY2026-Q2 is July to
        // September 2026, the calendar quarter 2026-Q3.
        let (_, c) = commitment(&base, &token, "AGR-2023-0002", "client_satisfaction_pct").await;
        let (s, r) = post(
            &base,
            "/api/v1/reports",
            &token,
            json!({"commitment_id": c, "period": "FY2026-Q2", "value": 91}),
        )
        .await;
        assert_eq!(s, 201, "{}: {r}", t.name);
        assert_eq!(r["period"], "2026-Q3");
        assert_eq!(r["revision"], 2);
        // A fiscal year is not a calendar year: refused, with the form to use.
        let (s, e) = post(
            &base,
            "/api/v1/reports",
            &token,
            json!({"commitment_id": c, "period": "FY2025", "value": 91}),
        )
        .await;
        assert_eq!(s, 422, "{e}");
        assert!(
            e["error"]["details"][0]["message"]
                .as_str()
                .unwrap()
                .contains("2026-Q3")
        );
    }
}
