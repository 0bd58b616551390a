//! `/metrics` (issue 19): requests by route and status, latency, sign-in
//! failures and the database pool, on an address of its own; the public
//! router does not serve it.

use crate::common::*;

async fn scrape(db: sea_orm::DatabaseConnection) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move {
        axum::serve(listener, server::metrics::router(db))
            .await
            .expect("serve metrics");
    });
    let r = client()
        .get(format!("http://{addr}/metrics"))
        .send()
        .await
        .expect("scrape");
    assert_eq!(r.status(), 200);
    r.text().await.expect("text")
}

fn value(text: &str, series: &str) -> f64 {
    text.lines()
        .find(|l| l.starts_with(series))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}

#[tokio::test(flavor = "multi_thread")]
async fn requests_failures_and_the_pool_are_counted_apart_from_the_public_site() {
    let t = sqlite_database().await;
    app::backend::fixtures::seed(&t.db, &fixtures_dir(), test_today())
        .await
        .expect("seed");
    app::backend::fixtures::seed_users(
        &t.db,
        &fixtures_dir(),
        app::backend::fixtures::DEMO_PASSWORD,
    )
    .await
    .expect("seed users");
    let before = scrape(t.db.clone()).await;
    let base = spawn(t.db.clone()).await;
    for _ in 0..3 {
        let (status, _) = get_as(&format!("{base}/healthz"), None).await;
        assert_eq!(status, 200);
    }
    let (status, _) = get_as(&format!("{base}/api/v1/agreements/123456"), None).await;
    assert_eq!(status, 401);
    let refused = client()
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": "nobody@example.org", "password": "wrong"}))
        .send()
        .await
        .expect("login");
    assert_eq!(refused.status(), 401);
    // And through the sign-in page's server function.
    let page = server_fn_as(
        &base,
        "/sfn/auth/sign-in",
        "email=nobody%40example.org&password=wrong",
        &Credential::None,
    )
    .await;
    assert_eq!(page.0, 401, "{:?}", page.1);
    // A CSV import, checked and loaded.
    let reporter = login(&base, who::REPORTER_ACCESSNS).await;
    let last = last_report(&base, &reporter).await;
    let imported = client()
        .post(format!("{base}/api/v1/reports/import"))
        .bearer_auth(&reporter)
        .header("content-type", "text/csv")
        .body(format!(
            "commitment_id,period,value,numerator,denominator,volume,comment\n{},{},{},,,,\n",
            last.commitment_id, last.period, last.value
        ))
        .send()
        .await
        .expect("import");
    assert_eq!(imported.status(), 201);
    // Not on the public address.
    let (status, _) = get_as(&format!("{base}/metrics"), None).await;
    assert_eq!(status, 404);

    let after = scrape(t.db.clone()).await;
    let healthz = r#"concord_http_requests_total{method="GET",route="/healthz",status="200"}"#;
    assert!(
        value(&after, healthz) - value(&before, healthz) >= 3.0,
        "{after}"
    );
    // The route's pattern, not the id asked for.
    assert!(
        after.contains(r#"route="/api/v1/agreements/{id}",status="401""#),
        "{after}"
    );
    assert!(!after.contains("123456"));
    let failures = "concord_sign_in_failures_total";
    assert!(
        value(&after, failures) > value(&before, failures),
        "{after}"
    );
    assert!(
        after.contains(r#"concord_http_request_duration_seconds_bucket{le="0.001",method="GET",route="/healthz"}"#)
            || after.contains(r#"concord_http_request_duration_seconds_bucket{method="GET",route="/healthz",le="0.001"}"#),
        "{after}"
    );
    assert!(
        after.contains(r#"concord_db_pool_connections{state="open"}"#),
        "{after}"
    );
    let imports =
        r#"concord_import_duration_seconds_count{method="POST",route="/api/v1/reports/import"}"#;
    assert!(
        value(&after, imports) - value(&before, imports) >= 1.0,
        "{after}"
    );
    assert!(after.trim_end().ends_with("# EOF"));
}
