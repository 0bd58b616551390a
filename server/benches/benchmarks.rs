//! Benchmark (issue 7): the executive views at scale. Builds the demo
//! portfolio plus `server generate`'s synthetic one (2,000 agreements,
//! 20,000 commitments, about 1,000,000 reports over five years) in a fresh
//! SQLite file — or in the empty PostgreSQL database `BENCH_DATABASE_URL`
//! names — starts the real router, signs in as the oversight executive and
//! times, 30 times each, `GET /api/v1/benchmarks` for every grouping (the
//! default range, the last twelve months), with one KPI, over five years,
//! the CSV, the channel mix, and the executive home (`GET /overview`,
//! server-rendered to the last byte). Prints the median and the 95th
//! percentile of each. Targets: benchmarks under 200 ms and the executive
//! home under 300 ms at the 95th percentile. Then checks that a new report
//! shows in the very next request.
//!
//! Run: `cargo bench -p server --bench benchmarks` (release). Set
//! `BENCH_AGREEMENTS` / `BENCH_YEARS` to change the size, `BENCH_RUNS` the
//! requests per path; `BENCH_KEEP=1` keeps the database's directory and
//! `BENCH_REUSE=<that directory>` times it again without generating anew.

use app::backend::auth::SESSION_COOKIE;
use app::backend::{db, fixtures, generate, schema};
use chrono::Datelike;
use std::path::PathBuf;
use std::time::Instant;

fn runs() -> usize {
    std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30)
}

fn env_or(name: &str, default: u32) -> u32 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Median and 95th percentile, in milliseconds.
fn summary(mut times: Vec<f64>) -> (f64, f64) {
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1];
    (at(0.5) * 1000.0, at(0.95) * 1000.0)
}

#[tokio::main]
async fn main() {
    // `RUST_LOG=app=debug`: the phases of each benchmarks query.
    if std::env::var_os("RUST_LOG").is_some() {
        server::telemetry::init("warn");
    }
    let agreements = env_or("BENCH_AGREEMENTS", 2_000);
    let years = env_or("BENCH_YEARS", 5);
    // `BENCH_REUSE=DIR`: the portfolio a run with `BENCH_KEEP=1` kept
    // (migrated again, not generated again).
    let reuse = std::env::var_os("BENCH_REUSE").map(PathBuf::from);
    let dir = reuse.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("concord-benchmarks-{}", std::process::id()))
    });
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (url, engine) = match std::env::var("BENCH_DATABASE_URL") {
        Ok(url) => (url, "PostgreSQL"),
        Err(_) => (
            format!("sqlite://{}?mode=rwc", dir.join("bench.db").display()),
            "SQLite",
        ),
    };
    let conn = db::connect(&url).await.expect("database");
    let t = Instant::now();
    schema::migrate(&conn).await.expect("migrate");
    if reuse.is_some() {
        println!(
            "{engine}: reused {}, migrated in {:.1} s",
            dir.display(),
            t.elapsed().as_secs_f64()
        );
    } else {
        let fixtures_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
        fixtures::seed(&conn, &fixtures_dir, app::clock::today())
            .await
            .expect("seed");
        fixtures::seed_users(&conn, &fixtures_dir, fixtures::DEMO_PASSWORD)
            .await
            .expect("users");
        let t = Instant::now();
        let made = generate::generate(&conn, agreements as usize, years, 2026)
            .await
            .expect("generate");
        println!(
            "{engine}: generated {} agreements, {} commitments, {} reports in {:.1} s",
            made.agreements,
            made.commitments,
            made.reports,
            t.elapsed().as_secs_f64()
        );
        if engine == "PostgreSQL" {
            // As autovacuum would after a bulk load: statistics for the
            // planner, and a visibility map for index-only scans.
            use sea_orm::ConnectionTrait;
            let t = Instant::now();
            conn.execute_unprepared("VACUUM ANALYZE")
                .await
                .expect("vacuum");
            println!("{engine}: vacuumed in {:.1} s", t.elapsed().as_secs_f64());
        }
    }

    let base =
        server::router::serve_locally(conn.clone(), b"bench secret, thirty-two bytes or more")
            .await;
    let client = reqwest::Client::new();
    let login = |email: &'static str| {
        let client = client.clone();
        let base = base.clone();
        async move {
            let v: serde_json::Value = client
                .post(format!("{base}/api/v1/auth/login"))
                .json(&serde_json::json!({"email": email, "password": fixtures::DEMO_PASSWORD}))
                .send()
                .await
                .expect("login")
                .json()
                .await
                .expect("json");
            v["token"].as_str().expect("token").to_owned()
        }
    };
    let token = login("oversight@concord.example").await;

    let today = app::clock::today();
    let five_years_ago = (today - chrono::Months::new(60))
        .format("%Y-%m")
        .to_string();
    let mut paths: Vec<String> = [
        "agreement",
        "party",
        "structure",
        "purpose",
        "boundary",
        "jurisdiction_level",
        "channel",
        "life_event",
        "kpi",
        "commitment",
        "period",
    ]
    .iter()
    .map(|g| format!("/api/v1/benchmarks?group_by={g}"))
    .collect();
    paths.extend([
        "/api/v1/benchmarks?group_by=agreement&kpi=in_person_wait_min".to_owned(),
        "/api/v1/benchmarks?group_by=period&kpi=in_person_wait_min".to_owned(),
        "/api/v1/benchmarks?group_by=structure&status=active&jurisdiction=NS".to_owned(),
        format!("/api/v1/benchmarks?group_by=agreement&from={five_years_ago}"),
        format!("/api/v1/benchmarks?group_by=period&from={five_years_ago}"),
        "/api/v1/benchmarks.csv?group_by=agreement".to_owned(),
        format!(
            "/api/v1/benchmarks/channels?from={}&to={today}",
            today - chrono::Months::new(12)
        ),
    ]);
    // What the executive home asks for, one by one, then the page itself.
    let this = today.with_day(1).unwrap_or(today);
    let month = |back: u32| {
        (this - chrono::Months::new(back))
            .format("%Y-%m")
            .to_string()
    };
    paths.extend([
        format!(
            "/api/v1/benchmarks?group_by=structure&from={}&to={}",
            month(1),
            month(1)
        ),
        format!(
            "/api/v1/benchmarks?group_by=boundary&from={}&to={}",
            month(3),
            month(1)
        ),
        format!(
            "/api/v1/benchmarks?group_by=commitment&from={}&to={}&worst=5",
            month(3),
            month(1)
        ),
        "POST /sfn/agreements/glance".to_owned(),
        format!(
            "POST /sfn/benchmarks/costs?from={}&to={today}",
            today.with_ordinal(1).unwrap_or(today)
        ),
        "/overview".to_owned(),
    ]);
    let runs = runs();
    println!("{runs} requests each, after one warm-up:");
    let mut worst_api: f64 = 0.0;
    let mut home = 0.0;
    // `BENCH_ONLY=text`: only the paths containing it.
    let only = std::env::var("BENCH_ONLY").ok();
    for path in paths
        .iter()
        .filter(|p| only.as_deref().is_none_or(|o| p.contains(o)))
    {
        let mut times = Vec::with_capacity(runs);
        for i in 0..=runs {
            let t = Instant::now();
            let request = match path.strip_prefix("POST ") {
                Some(p) => {
                    let (p, form) = p.split_once('?').unwrap_or((p, ""));
                    client
                        .post(format!("{base}{p}"))
                        .header("content-type", "application/x-www-form-urlencoded")
                        .body(form.to_owned())
                }
                None => client.get(format!("{base}{path}")),
            };
            let r = request
                .header("origin", &base)
                .bearer_auth(&token)
                .header("cookie", format!("{SESSION_COOKIE}={token}"))
                .send()
                .await
                .expect("request");
            let status = r.status();
            let body = r.bytes().await.expect("body");
            let elapsed = t.elapsed().as_secs_f64();
            assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&body));
            if i > 0 {
                times.push(elapsed);
            }
        }
        let (median, p95) = summary(times);
        println!("  {path:<72} median {median:6.1} ms   p95 {p95:6.1} ms");
        if path == "/overview" {
            home = p95;
        } else {
            worst_api = worst_api.max(p95);
        }
    }
    println!(
        "{engine}: slowest API p95 {worst_api:.1} ms (target < 200); executive home p95 {home:.1} ms (target < 300)"
    );

    // A new report shows in the next request: a Canada Post reporter
    // reports last month for one of its demo commitments.
    let reporter = login("reporter@canadapost.example").await;
    let owed: serde_json::Value = client
        .get(format!("{base}/api/v1/reports/due"))
        .bearer_auth(&reporter)
        .send()
        .await
        .expect("due")
        .json()
        .await
        .expect("json");
    let item = ["missing", "due"]
        .iter()
        .filter_map(|k| owed[*k].as_array())
        .flatten()
        .find(|i| i["is_ratio"] == false)
        .cloned();
    if let Some(item) = item {
        let q = "/api/v1/benchmarks?group_by=kpi&from=2000-01";
        let before: serde_json::Value = client
            .get(format!("{base}{q}"))
            .bearer_auth(&token)
            .send()
            .await
            .expect("before")
            .json()
            .await
            .expect("json");
        let r = client
            .post(format!("{base}/api/v1/reports"))
            .bearer_auth(&reporter)
            .json(&serde_json::json!({"commitment_id": item["commitment_id"], "period": item["period"], "value": "1"}))
            .send()
            .await
            .expect("report");
        let ok = r.status().is_success();
        let after: serde_json::Value = client
            .get(format!("{base}{q}"))
            .bearer_auth(&token)
            .send()
            .await
            .expect("after")
            .json()
            .await
            .expect("json");
        let reported = |v: &serde_json::Value| {
            v["items"].as_array().map_or(0, |i| {
                i.iter()
                    .map(|r| r["reported"].as_u64().unwrap_or(0))
                    .sum::<u64>()
            })
        };
        println!(
            "a new report ({}): reported across all KPIs went from {} to {} in the next request",
            if ok { "accepted" } else { "refused" },
            reported(&before),
            reported(&after)
        );
    }
    if std::env::var_os("BENCH_KEEP").is_some() || reuse.is_some() {
        println!("kept {}", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(dir);
    }
}
