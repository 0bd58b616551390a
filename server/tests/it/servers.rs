//! Several servers on one database (issue 19): two routers, each with its
//! own pool, as two machines behind a load balancer. Writes racing through
//! both lose nothing and conflict with 409s; the hourly job run by both
//! tells nobody twice; a session works on both and a sign-out on one ends
//! it on the other. On PostgreSQL when `TEST_DATABASE_URL` is set (the
//! supported case), and on SQLite too.

use crate::common::*;
use app::backend::services;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

/// One request, owning what it needs (so that many can run as tasks).
fn send(
    method: reqwest::Method,
    url: String,
    token: &str,
    body: Option<Value>,
) -> impl std::future::Future<Output = (u16, Value)> + Send + 'static {
    let token = token.to_owned();
    async move {
        let mut req = client().request(method, url).bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.expect("request");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn two_servers_on_one_database_lose_nothing_and_tell_nobody_twice() {
    for t in seeded_databases().await {
        let a = spawn(t.db.clone()).await;
        let second = t.connect_again().await;
        let b = spawn(second.clone()).await;

        // A session opened on one server works on the other; signing out
        // on one ends it on both.
        let session = login(&b, who::OVERSIGHT).await;
        assert_eq!(
            get_as(&format!("{a}/api/v1/me"), Some(&session)).await.0,
            200
        );
        let out = send(
            reqwest::Method::POST,
            format!("{a}/api/v1/auth/logout"),
            &session,
            None,
        )
        .await;
        assert_eq!(out.0, 204, "{}", t.name);
        assert_eq!(
            get_as(&format!("{b}/api/v1/me"), Some(&session)).await.0,
            401,
            "{}: the sign-out on one server ends the session on the other",
            t.name
        );

        // Eight saves of the same version, four through each server, at
        // once: one wins, seven are told of the conflict, none is lost.
        let manager = login(&a, who::MANAGER_SC).await;
        let orgs = organisation_ids(&a, &manager).await;
        let terms = json!({
            "title": "Raced terms", "summary": "Saved from two servers at once.",
            "purpose": "single_window", "structure": "shared", "partnership_type": "collaborative",
            "starts_on": "2027-04-01", "ends_on": "2030-03-31", "currency": "CAD",
            "fiscal_year_start_month": 4,
            "parties": [
                {"organisation_id": orgs["SC"], "role": "lead"},
                {"organisation_id": orgs["NS-CS"], "role": "partner"}
            ],
            "services": [{"name": "Referrals", "delivered_by": orgs["SC"], "channels": ["in_person"]}],
            "life_events": ["moving_to_country"],
            "governance": [{"section": "committee", "body": "A steering committee."}]
        });
        let (status, created) = send(
            reqwest::Method::POST,
            format!("{a}/api/v1/agreements"),
            &manager,
            Some(terms.clone()),
        )
        .await;
        assert_eq!(status, 201, "{}: {created}", t.name);
        let id = created["id"].as_i64().expect("id");
        let saves = (0..8).map(|i| {
            let base = if i % 2 == 0 { a.clone() } else { b.clone() };
            let mut body = terms.clone();
            body["title"] = json!(format!("Title {i}"));
            body["version"] = json!(1);
            body["change_summary"] = json!(format!("Save {i}"));
            send(
                reqwest::Method::PUT,
                format!("{base}/api/v1/agreements/{id}"),
                &manager,
                Some(body),
            )
        });
        let results = futures_join_all(saves).await;
        let won: Vec<&Value> = results
            .iter()
            .filter(|(s, _)| *s == 200)
            .map(|(_, v)| v)
            .collect();
        let conflicts = results.iter().filter(|(s, _)| *s == 409).count();
        assert_eq!((won.len(), conflicts), (1, 7), "{}: {results:?}", t.name);
        let (_, now) = get_as(&format!("{b}/api/v1/agreements/{id}"), Some(&manager)).await;
        assert_eq!(now["version"], 2, "{}", t.name);
        assert_eq!(now["title"], won[0]["title"], "{}", t.name);

        // Ten reports of one period, five through each server, at once:
        // ten revisions, each kept, numbered 1 to 10 after the ones before.
        let reporter = login(&a, who::REPORTER_ACCESSNS).await;
        let last = last_report(&a, &reporter).await;
        let before = {
            let (_, compliance) = get_as(
                &format!("{a}/api/v1/agreements/1/compliance"),
                Some(&reporter),
            )
            .await;
            compliance["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["commitment_id"] == last.commitment_id && i["period"] == *last.period)
                .expect("the period")["revision"]
                .as_i64()
                .unwrap()
        };
        let reports = (0..10).map(|i| {
            let base = if i % 2 == 0 { a.clone() } else { b.clone() };
            send(
                reqwest::Method::POST,
                format!("{base}/api/v1/reports"),
                &reporter,
                Some(json!({
                    "commitment_id": last.commitment_id, "period": last.period,
                    "value": last.value, "comment": format!("race {i}")
                })),
            )
        });
        let mut revisions: Vec<i64> = futures_join_all(reports)
            .await
            .into_iter()
            .map(|(s, v)| {
                assert_eq!(s, 201, "{}: {v}", t.name);
                v["revision"].as_i64().expect("revision")
            })
            .collect();
        revisions.sort_unstable();
        assert_eq!(
            revisions,
            ((before + 1)..=(before + 10)).collect::<Vec<_>>(),
            "{}",
            t.name
        );

        // The hourly job, run by both servers at once, tells each person
        // of each report once.
        // Forty days on, the demo's latest periods are due and unreported.
        let today = test_today() + chrono::Duration::days(40);
        let before_job = count(&t.db, "notifications").await;
        let (one, two) = tokio::join!(
            services::reports::notify_due(&t.db, today),
            services::reports::notify_due(&second, today)
        );
        let written = one.expect("job on a") + two.expect("job on b");
        assert!(written > 0, "{}: the demo has reports due", t.name);
        assert_eq!(
            count(&t.db, "notifications").await,
            before_job + i64::try_from(written).unwrap(),
            "{}",
            t.name
        );
        let again = services::reports::notify_due(&second, today)
            .await
            .expect("again");
        assert_eq!(again, 0, "{}: nobody is told twice", t.name);
        let duplicates =
            t.db.query_one_raw(sea_orm::Statement::from_string(
                t.db.get_database_backend(),
                "SELECT COUNT(*) AS n FROM (SELECT user_id, kind, message FROM notifications \
                 GROUP BY user_id, kind, message HAVING COUNT(*) > 1) d"
                    .to_owned(),
            ))
            .await
            .expect("query")
            .expect("row")
            .try_get::<i64>("", "n")
            .expect("n");
        assert_eq!(duplicates, 0, "{}: duplicate notifications", t.name);
    }
}

/// Runs every future at once on this runtime and returns their outputs in
/// order (tokio tasks, so they truly overlap).
async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.expect("task"));
    }
    out
}
