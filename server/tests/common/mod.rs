//! Test helpers: a fresh database per test — an SQLite file, and a
//! PostgreSQL database when `TEST_DATABASE_URL` names a server (see
//! `databases`) — and the real router on port 0.
#![allow(dead_code)]

mod databases;
pub mod process;

pub use databases::{
    TestDb, databases, empty_databases_for_migrating, seeded_databases, sqlite_database,
};

use app::backend::fixtures;

/// The signing secret of the test servers.
pub const TEST_SECRET: &[u8] = b"test secret, thirty-two bytes or more";
use sea_orm::{ConnectionTrait, DatabaseConnection};
use std::path::PathBuf;

pub fn unique(prefix: &str) -> String {
    format!("{prefix}_{}", uuid::Uuid::new_v4().simple())
}

/// Quiet unless `TEST_LOG` is set.
pub fn init_logs() {
    if std::env::var_os("TEST_LOG").is_some() {
        server::telemetry::init("debug,sqlx=warn");
    }
}

/// The day every test runs on: the day the demo fixtures were made. The
/// demo then loads unmoved and the dates the tests name hold, whatever the
/// real date; `clock_is_read_in_one_place` makes sure nothing escapes it.
pub fn test_today() -> chrono::NaiveDate {
    fixtures::anchor_date(&fixtures_dir())
        .expect("fixtures/calendar.csv reads")
        .expect("fixtures/calendar.csv names the day the fixtures were made")
}

/// Moves this test process's clock to [`test_today`]. Every test asks for
/// the same day, so tests running side by side agree.
pub fn pin_clock() {
    app::clock::set_today(test_today());
}

/// How long a test waits for an answer before it fails: a request that
/// never ends fails the test that made it, with its name, instead of
/// leaving the run waiting.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// An HTTP client that gives up after [`REQUEST_TIMEOUT`].
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .build()
        .expect("an HTTP client")
}

/// Signs in through the API as a demo account; returns the bearer token.
pub async fn login(base: &str, email: &str) -> String {
    let r = client()
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({ "email": email, "password": fixtures::DEMO_PASSWORD }))
        .send()
        .await
        .expect("login request");
    assert_eq!(r.status(), 200, "login as {email}");
    let body: serde_json::Value = r.json().await.expect("json");
    body["token"].as_str().expect("token").to_owned()
}

/// GET `url` with an optional bearer token; returns status and JSON body
/// (`Null` when the body is not JSON).
pub async fn get_as(url: &str, token: Option<&str>) -> (u16, serde_json::Value) {
    let mut req = client().get(url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r = req.send().await.expect("request");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(serde_json::Value::Null))
}

/// The demo accounts by role.
pub mod who {
    pub const ADMIN: &str = "admin@concord.example";
    /// Executive with `scope = all` (oversight, TBS).
    pub const OVERSIGHT: &str = "oversight@concord.example";
    /// Manager at Service Canada (party to AGR-2023-0001).
    pub const MANAGER_SC: &str = "manager@servicecanada.example";
    /// Executive at Access Nova Scotia (party to AGR-2023-0001).
    pub const EXEC_ACCESSNS: &str = "executive@accessns.example";
    /// Reporter at Access Nova Scotia (party to AGR-2023-0001).
    pub const REPORTER_ACCESSNS: &str = "reporter@accessns.example";
    /// Reporter at Service NSW (not a party to AGR-2023-0001).
    pub const REPORTER_SNSW: &str = "reporter@servicensw.example";
}

/// The repository's `fixtures/` directory.
pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

/// A copy of the fixtures in a fresh directory, to break on purpose.
pub fn fixtures_copy() -> PathBuf {
    let dir = std::env::temp_dir()
        .join("concord-tests")
        .join(unique("fixtures"));
    std::fs::create_dir_all(&dir).expect("temp dir");
    for entry in std::fs::read_dir(fixtures_dir()).expect("fixtures") {
        let entry = entry.expect("entry");
        if entry.path().extension().is_some_and(|e| e == "csv") {
            std::fs::copy(entry.path(), dir.join(entry.file_name())).expect("copy");
        }
    }
    dir
}

/// The real router, listening on a free port; returns its base URL.
pub async fn spawn(db: DatabaseConnection) -> String {
    server::router::serve_locally(db, TEST_SECRET).await
}

/// Counts the rows of `table`.
pub async fn count(db: &DatabaseConnection, table: &str) -> i64 {
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .await
        .expect("count")
        .expect("a row");
    row.try_get::<i64>("", "n").expect("n")
}

/// Gives `org_code` `n` monthly commitments (processing time, target 3
/// days) on `reference`, straight into the database; returns their ids.
pub async fn bulk_commitments(
    db: &DatabaseConnection,
    reference: &str,
    org_code: &str,
    n: usize,
) -> Vec<i32> {
    use app::backend::entities::{agreement, commitment, kpi, organisation};
    use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let a = agreement::Entity::find()
        .filter(agreement::Column::Reference.eq(reference))
        .one(db)
        .await
        .expect("query")
        .expect("agreement");
    let org = organisation::Entity::find()
        .filter(organisation::Column::Code.eq(org_code))
        .one(db)
        .await
        .expect("query")
        .expect("organisation");
    let k = kpi::Entity::find()
        .filter(kpi::Column::Code.eq("processing_time_days"))
        .one(db)
        .await
        .expect("query")
        .expect("kpi");
    let now = app::clock::now();
    let rows: Vec<commitment::ActiveModel> = (0..n)
        .map(|_| commitment::ActiveModel {
            agreement_id: Set(a.id),
            organisation_id: Set(org.id),
            kpi_id: Set(k.id),
            target: Set(app::backend::exact::Exact(rust_decimal::Decimal::from(3))),
            warning_band: Set(Some(app::backend::exact::Exact(rust_decimal::Decimal::ONE))),
            channel: Set(None),
            frequency: Set(app::domain::Frequency::Monthly),
            grace_days: Set(15),
            effective_from: Set(chrono::NaiveDate::from_ymd_opt(2023, 5, 1).expect("date")),
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
            .exec_without_returning(db)
            .await
            .expect("commitments");
    }
    let mut ids: Vec<i32> = commitment::Entity::find()
        .filter(commitment::Column::AgreementId.eq(a.id))
        .filter(commitment::Column::KpiId.eq(k.id))
        .filter(commitment::Column::OrganisationId.eq(org.id))
        .order_by_desc(commitment::Column::Id)
        .all(db)
        .await
        .expect("ids")
        .into_iter()
        .map(|c| c.id)
        .take(n)
        .collect();
    ids.sort_unstable();
    ids
}

/// A reports file of `rows` rows: each commitment of `ids` for each month
/// from 2023-05, month by month, cut at `rows`.
pub fn reports_csv(ids: &[i32], rows: usize) -> String {
    let mut csv = String::from("commitment_id,period,value,numerator,denominator,volume,comment\n");
    let start = chrono::NaiveDate::from_ymd_opt(2023, 5, 1).expect("date");
    let mut n = 0;
    for m in 0..42 {
        let month = (start + chrono::Months::new(m)).format("%Y-%m").to_string();
        for id in ids {
            if n == rows {
                return csv;
            }
            csv.push_str(&format!(
                "{id},{month},{}.{},,,{},\n",
                1 + n % 5,
                n % 10,
                100 + n % 900
            ));
            n += 1;
        }
    }
    csv
}

/// Posts `body` as JSON to `path` with a bearer token; the status and the
/// JSON answer (`null` when there is none).
pub async fn post_as(
    base: &str,
    path: &str,
    token: &str,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    let r = client()
        .post(format!("{base}{path}"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("request");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(serde_json::Value::Null))
}

/// How a test caller presents itself.
pub enum Credential {
    None,
    /// A session (JWT): the cookie to server functions, as the browser
    /// sends it; a bearer token to the REST API.
    Session(String),
    /// An API token: always a bearer token.
    Token(String),
}

/// Calls a server function as the page does: a POST from this site's own
/// origin, a JSON body when it starts with `{` (else a form). Returns the
/// status and the answer (JSON, or the text as a string).
pub async fn server_fn_as(
    base: &str,
    path: &str,
    body: &str,
    who: &Credential,
) -> (u16, serde_json::Value) {
    let content_type = if body.starts_with('{') {
        "application/json"
    } else {
        "application/x-www-form-urlencoded"
    };
    let mut req = client()
        .post(format!("{base}{path}"))
        .header("content-type", content_type)
        .header("origin", base)
        .body(body.to_owned());
    req = match who {
        Credential::None => req,
        Credential::Session(t) => req.header("cookie", format!("concord_session={t}")),
        Credential::Token(t) => req.bearer_auth(t),
    };
    let r = req.send().await.expect("request");
    let status = r.status().as_u16();
    let text = r.text().await.unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

/// A report a reporter may send again: a commitment of the reporter's
/// organisation on the demo's first agreement, its latest reported period
/// and that period's value.
pub struct LastReport {
    pub commitment_id: i64,
    pub period: String,
    pub value: String,
}

/// [`LastReport`] for the reporter signed in with `token`.
pub async fn last_report(base: &str, token: &str) -> LastReport {
    let (_, me) = get_as(&format!("{base}/api/v1/me"), Some(token)).await;
    let org = me["organisation_id"].clone();
    let (_, agreement) = get_as(&format!("{base}/api/v1/agreements/1"), Some(token)).await;
    let commitment = agreement["commitments"]
        .as_array()
        .expect("commitments")
        .iter()
        .find(|c| c["organisation_id"] == org)
        .expect("a commitment of the reporter's")["id"]
        .clone();
    let (_, compliance) = get_as(
        &format!("{base}/api/v1/agreements/1/compliance"),
        Some(token),
    )
    .await;
    let last = compliance["items"]
        .as_array()
        .expect("items")
        .iter()
        .rfind(|i| i["commitment_id"] == commitment && !i["value"].is_null())
        .expect("a reported period")
        .clone();
    LastReport {
        commitment_id: commitment.as_i64().expect("id"),
        period: last["period"].as_str().expect("period").to_owned(),
        value: last["value"].as_str().expect("value").to_owned(),
    }
}

/// Every organisation's id by its code, as `token` sees them.
pub async fn organisation_ids(base: &str, token: &str) -> std::collections::HashMap<String, i64> {
    let (_, orgs) = get_as(&format!("{base}/api/v1/organisations"), Some(token)).await;
    orgs["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|o| {
            (
                o["code"].as_str().expect("code").to_owned(),
                o["id"].as_i64().expect("id"),
            )
        })
        .collect()
}
