//! Benchmark (issue 6): importing 100,000 report rows through the API, with
//! every check, on SQLite. Builds the demo portfolio in a fresh SQLite file,
//! gives Canada Post 2,400 monthly commitments on AGR-2023-0003, starts the
//! real router, signs in as its reporter and times
//! `POST /api/v1/reports/import` of a 100,000-row file (42 months × 2,400
//! commitments, cut at 100,000). Then times the plain `sqlite3` CLI
//! `.import` of the same file into a bare table, and prints the ratio.
//! Target: under 5 s.
//!
//! Run: `cargo bench -p server --bench import` (release).

use app::backend::entities::{agreement, commitment, kpi, organisation};
use app::backend::exact::Exact;
use app::backend::{db, fixtures, schema};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use std::path::PathBuf;
use std::time::Instant;

const ROWS: usize = 100_000;

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("concord-import-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("bench.db");
    let url = format!("sqlite://{}?mode=rwc", file.display());
    let conn = db::connect(&url).await.expect("sqlite");
    schema::migrate(&conn).await.expect("migrate");
    let fixtures_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
    fixtures::seed(&conn, &fixtures_dir, app::clock::today())
        .await
        .expect("seed");
    fixtures::seed_users(&conn, &fixtures_dir, fixtures::DEMO_PASSWORD)
        .await
        .expect("users");

    let a = agreement::Entity::find()
        .filter(agreement::Column::Reference.eq("AGR-2023-0003"))
        .one(&conn)
        .await
        .expect("query")
        .expect("AGR-2023-0003");
    let cpc = organisation::Entity::find()
        .filter(organisation::Column::Code.eq("CPC"))
        .one(&conn)
        .await
        .expect("query")
        .expect("CPC");
    let k = kpi::Entity::find()
        .filter(kpi::Column::Code.eq("processing_time_days"))
        .one(&conn)
        .await
        .expect("query")
        .expect("kpi");
    let now = app::clock::now();
    let start = chrono::NaiveDate::from_ymd_opt(2023, 5, 1).expect("date");
    let rows: Vec<commitment::ActiveModel> = (0..2_400)
        .map(|_| commitment::ActiveModel {
            agreement_id: Set(a.id),
            organisation_id: Set(cpc.id),
            kpi_id: Set(k.id),
            target: Set(Exact(rust_decimal::Decimal::from(3))),
            warning_band: Set(Some(Exact(rust_decimal::Decimal::ONE))),
            channel: Set(None),
            frequency: Set(app::domain::Frequency::Monthly),
            grace_days: Set(15),
            effective_from: Set(start),
            effective_to: Set(None),
            allowed_misses: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            lock_version: Set(1),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(500) {
        commitment::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&conn)
            .await
            .expect("commitments");
    }
    let ids: Vec<i32> = commitment::Entity::find()
        .filter(commitment::Column::AgreementId.eq(a.id))
        .filter(commitment::Column::KpiId.eq(k.id))
        .all(&conn)
        .await
        .expect("ids")
        .into_iter()
        .map(|c| c.id)
        .rev()
        .take(2_400)
        .collect();
    let mut csv = String::from("commitment_id,period,value,numerator,denominator,volume,comment\n");
    let mut n = 0;
    'outer: for m in 0..42 {
        let month = start + chrono::Months::new(m);
        for id in &ids {
            csv.push_str(&format!(
                "{id},{},{}.{},,,{},\n",
                month.format("%Y-%m"),
                1 + n % 5,
                n % 10,
                100 + n % 900
            ));
            n += 1;
            if n == ROWS {
                break 'outer;
            }
        }
    }
    let csv_path = dir.join("reports.csv");
    std::fs::write(&csv_path, &csv).expect("csv");

    let base =
        server::router::serve_locally(conn.clone(), b"bench secret, thirty-two bytes or more")
            .await;
    let client = reqwest::Client::new();
    let login: serde_json::Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": "reporter@canadapost.example", "password": fixtures::DEMO_PASSWORD}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("json");
    let token = login["token"].as_str().expect("token").to_owned();

    let t0 = Instant::now();
    let r = client
        .post(format!("{base}/api/v1/reports/import"))
        .bearer_auth(&token)
        .header("content-type", "text/csv")
        .body(csv.clone())
        .send()
        .await
        .expect("import");
    let api = t0.elapsed().as_secs_f64();
    let status = r.status();
    let body = r.text().await.unwrap_or_default();
    assert_eq!(status, 201, "{body}");

    // The plain sqlite3 CLI, importing the same file into a bare table.
    let raw = dir.join("raw.db");
    let t1 = Instant::now();
    let out = std::process::Command::new("sqlite3")
        .arg(&raw)
        .arg(".import --csv reports.csv raw")
        .current_dir(&dir)
        .output();
    let cli = t1.elapsed().as_secs_f64();
    println!(
        "import of {ROWS} rows through POST /api/v1/reports/import on SQLite: {api:.2} s ({body}), {:.0} rows/s (target < 5 s)",
        ROWS as f64 / api
    );
    match out {
        Ok(o) if o.status.success() => println!(
            "sqlite3 CLI .import of the same file into a bare table: {cli:.2} s; the API takes {:.1}× as long",
            api / cli
        ),
        _ => println!("sqlite3 CLI not available: no comparison"),
    }
    let _ = std::fs::remove_dir_all(dir);
}
