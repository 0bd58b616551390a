//! Benchmark (issue 5): reconciling one period of an agreement with 20
//! parties and 10,000 cost entries. Builds the agreement in a fresh SQLite
//! file (and a PostgreSQL schema when `BENCH_DATABASE_URL` names one), then
//! times `services::costs::reconcile` for a fiscal year — 12 months, each
//! split under a hybrid model with caps and floors — and prints the median
//! and worst of 30 runs. Target: under 50 ms.
//!
//! Run: `cargo bench -p server --bench reconcile` (release), or with
//! `--profile dev` for a quicker, pessimistic figure.

use app::backend::auth::{Acting, Actor};
use app::backend::entities::{cost_entry, organisation, transaction_volume};
use app::backend::exact::Exact;
use app::backend::{Ctx, db, fixtures, schema, services};
use app::domain::{Channel, CostCategory, CostKind, Role, Scope};
use sea_orm::{ActiveValue::Set, ConnectOptions, ConnectionTrait, Database, EntityTrait};
use std::path::PathBuf;
use std::time::Instant;

/// The demo admin, acting.
async fn admin(conn: &sea_orm::DatabaseConnection) -> Ctx {
    use app::backend::entities::user;
    use sea_orm::{ColumnTrait, QueryFilter};
    let u = user::Entity::find()
        .filter(user::Column::Email.eq("admin@concord.example"))
        .one(conn)
        .await
        .expect("query")
        .expect("the demo admin");
    Ctx::for_actor(Actor {
        acting: Acting::User(u.id),
        role: Role::Admin,
        scope: Scope::All,
        organisation_id: u.organisation_id,
        session: None,
        via_cookie: false,
    })
}

async fn run(name: &str, conn: sea_orm::DatabaseConnection) {
    let fixtures_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
    schema::migrate(&conn).await.expect("migrate");
    fixtures::seed(&conn, &fixtures_dir, app::clock::today())
        .await
        .expect("seed");
    fixtures::seed_users(&conn, &fixtures_dir, fixtures::DEMO_PASSWORD)
        .await
        .expect("seed users");
    let ctx = admin(&conn).await;
    let orgs: Vec<i32> = organisation::Entity::find()
        .all(&conn)
        .await
        .expect("organisations")
        .into_iter()
        .map(|o| o.id)
        .take(20)
        .collect();
    assert_eq!(orgs.len(), 20);
    let terms: app::wire::negotiation::AgreementTermsParams = serde_json::from_value(serde_json::json!({
        "title": "Benchmark: twenty parties", "purpose": "single_window", "structure": "shared",
        "partnership_type": "collaborative", "starts_on": "2024-04-01", "ends_on": "2027-03-31",
        "currency": "CAD", "fiscal_year_start_month": 4,
        "parties": orgs.iter().enumerate().map(|(i, o)| serde_json::json!({
            "organisation_id": o, "role": if i == 0 { "lead" } else { "partner" }})).collect::<Vec<_>>(),
        "cost_model": {"kind": "hybrid", "fixed_portion": "40",
            "channel_weights": {"in_person": "8", "phone": "3", "online": "1"},
            "lines": orgs.iter().enumerate().map(|(i, o)| serde_json::json!({
                "organisation_id": o, "percent": "5",
                "cap": if i % 7 == 3 { Some("60000.00") } else { None },
                "floor": if i % 5 == 1 { Some("4000.00") } else { None }})).collect::<Vec<_>>()}
    }))
    .expect("terms");
    let a = services::negotiation::create(&ctx, &conn, terms)
        .await
        .expect("create");
    let now = app::clock::now();
    let months: Vec<chrono::NaiveDate> = (0..12)
        .map(|m| {
            chrono::NaiveDate::from_ymd_opt(2025 + (3 + m) / 12, ((3 + m) % 12 + 1) as u32, 1)
                .unwrap()
        })
        .collect();
    let mut entries = Vec::new();
    for i in 0..10_000usize {
        let start = months[i % 12];
        entries.push(cost_entry::ActiveModel {
            agreement_id: Set(a.id),
            period: Set(start.format("%Y-%m").to_string()),
            period_start: Set(start),
            kind: Set(if i % 10 == 0 {
                CostKind::Budget
            } else {
                CostKind::Actual
            }),
            category: Set(CostCategory::ALL[i % CostCategory::ALL.len()]),
            amount: Set(Exact(rust_decimal::Decimal::new(
                100_000 + (i as i64 * 7919) % 500_000,
                2,
            ))),
            organisation_id: Set(orgs[i % 20]),
            created_by: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            lock_version: Set(1),
            ..Default::default()
        });
    }
    for chunk in entries.chunks(500) {
        cost_entry::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&conn)
            .await
            .expect("entries");
    }
    let mut volumes = Vec::new();
    for (m, start) in months.iter().enumerate() {
        for (k, o) in orgs.iter().enumerate() {
            for (c, channel) in [Channel::InPerson, Channel::Phone, Channel::Online]
                .iter()
                .enumerate()
            {
                volumes.push(transaction_volume::ActiveModel {
                    agreement_id: Set(a.id),
                    period: Set(start.format("%Y-%m").to_string()),
                    period_start: Set(*start),
                    channel: Set(*channel),
                    organisation_id: Set(*o),
                    count: Set(((m + 1) * (k + 3) * (c + 5) * 37) as i64),
                    created_by: Set(None),
                    created_at: Set(now),
                    updated_at: Set(now),
                    lock_version: Set(1),
                    ..Default::default()
                });
            }
        }
    }
    transaction_volume::Entity::insert_many(volumes)
        .exec_without_returning(&conn)
        .await
        .expect("volumes");

    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..30 {
        let t0 = Instant::now();
        let r = services::costs::reconcile(&ctx, &conn, a.id, "FY2025")
            .await
            .expect("reconcile");
        times.push(t0.elapsed().as_secs_f64() * 1000.0);
        last = Some(r);
    }
    times.sort_by(f64::total_cmp);
    let r = last.expect("ran");
    println!(
        "{name}: reconcile FY2025 (20 parties, 10,000 cost entries, {} months, {} transfers): median {:.1} ms, worst {:.1} ms over {} runs (target < 50 ms)",
        r.months.len(),
        r.transfers.len(),
        times[times.len() / 2],
        times[times.len() - 1],
        times.len()
    );
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("concord-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.join("bench.db").display());
    run("sqlite", db::connect(&url).await.expect("sqlite")).await;
    if let Ok(pg) = std::env::var("BENCH_DATABASE_URL") {
        let schema = format!("bench_{}", std::process::id());
        let admin = Database::connect(pg.as_str()).await.expect("postgres");
        admin
            .execute_unprepared(&format!("CREATE SCHEMA {schema}"))
            .await
            .expect("schema");
        let mut opts = ConnectOptions::new(pg);
        opts.set_schema_search_path(schema.clone())
            .sqlx_logging(false);
        run("postgres", Database::connect(opts).await.expect("postgres")).await;
        admin
            .execute_unprepared(&format!("DROP SCHEMA {schema} CASCADE"))
            .await
            .expect("drop schema");
    }
    let _ = std::fs::remove_dir_all(dir);
}
