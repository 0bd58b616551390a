//! The databases tests run against: an SQLite file, and a PostgreSQL
//! database when `TEST_DATABASE_URL` names a server.
//!
//! Migrating and seeding the demo portfolio (its 22 passwords hashed with
//! argon2 included) takes seconds per database, and a hundred tests ask for
//! one. So each test program does it once per kind of database, into a
//! template, and each test gets a copy: the file copied on SQLite, `CREATE
//! DATABASE … TEMPLATE` on PostgreSQL. A test's database is removed when its
//! [`TestDb`] is dropped; templates (and anything a killed run left) are
//! removed by the next test program that starts, once their process is gone.

use super::{fixtures_dir, init_logs, pin_clock, test_today, unique};
use app::backend::{db, fixtures, schema};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};
use std::path::{Path, PathBuf};
use tokio::sync::OnceCell;

/// A database under test and its name for messages.
pub struct TestDb {
    pub name: &'static str,
    pub db: DatabaseConnection,
    /// How to open another pool on the same database: its URL and, on
    /// PostgreSQL, its schema.
    pub url: String,
    pub schema: Option<String>,
    /// What to remove once the test is done with it.
    place: Place,
}

/// Where a test database lives.
enum Place {
    SqliteFile(PathBuf),
    /// A database of the server named by `TEST_DATABASE_URL`.
    Postgres {
        admin_url: String,
        name: String,
    },
}

impl TestDb {
    /// Another pool on the same database: a second server's.
    pub async fn connect_again(&self) -> DatabaseConnection {
        match &self.schema {
            None => db::connect(&self.url).await.expect("sqlite again"),
            Some(schema) => postgres_pool(&self.url, schema).await,
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.place {
            Place::SqliteFile(file) => remove_sqlite(file),
            // Connections still open (a server the test started) are
            // closed by the drop itself (`WITH (FORCE)`). On a thread of
            // its own: this may run inside the test's runtime.
            Place::Postgres { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                let _ = std::thread::spawn(move || {
                    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                    else {
                        return;
                    };
                    rt.block_on(async {
                        if let Ok(admin) = Database::connect(admin_url.as_str()).await {
                            let _ = admin
                                .execute_unprepared(&format!(
                                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                                ))
                                .await;
                            let _ = admin.close().await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

/// What a database holds when a test gets it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Created, nothing in it.
    Empty,
    /// Every migration run, no rows.
    Migrated,
    /// Migrated, the demo portfolio and its users loaded.
    Seeded,
}

impl Stage {
    fn label(self) -> &'static str {
        match self {
            Stage::Empty => "empty",
            Stage::Migrated => "migrated",
            Stage::Seeded => "seeded",
        }
    }
}

/// A template of each kind: the SQLite file, and the PostgreSQL database's
/// name when there is a server to test against.
struct Template {
    sqlite: PathBuf,
    postgres: Option<String>,
}

static MIGRATED: OnceCell<Template> = OnceCell::const_new();
static SEEDED: OnceCell<Template> = OnceCell::const_new();

/// The PostgreSQL server to test against, if any (`TEST_DATABASE_URL`).
fn postgres_url() -> Option<String> {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(pg) if pg.starts_with("postgres") => Some(pg),
        _ => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must run the database tests against PostgreSQL too: set TEST_DATABASE_URL"
            );
            None
        }
    }
}

/// `url` naming database `name` instead of its own.
fn with_database(url: &str, name: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let query = path.split_once('?').map(|(_, q)| q);
    match query {
        Some(q) => format!("{scheme}://{authority}/{name}?{q}"),
        None => format!("{scheme}://{authority}/{name}"),
    }
}

/// A pool on `url` with `schema` first in the search path.
async fn postgres_pool(url: &str, schema: &str) -> DatabaseConnection {
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.set_schema_search_path(schema.to_owned())
        .max_connections(5)
        .sqlx_logging(false);
    Database::connect(opts).await.expect("postgres")
}

/// Names of this process's databases and files: `<kind>_<pid>_<unique>`,
/// so that a later run can tell which ones a finished process left.
fn own_name(kind: &str) -> String {
    unique(&format!("concord_{kind}_{}", std::process::id()))
}

/// Whether the process that made `name` (see [`own_name`]) is gone.
fn left_behind(name: &str) -> bool {
    let pid = name
        .strip_prefix("concord_")
        .and_then(|rest| rest.split('_').nth(1))
        .and_then(|pid| pid.parse::<u32>().ok());
    pid.is_some_and(|pid| pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists())
}

fn tests_dir() -> PathBuf {
    let dir = std::env::temp_dir().join("concord-tests");
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn sqlite_url(file: &Path) -> String {
    format!("sqlite://{}?mode=rwc", file.display())
}

fn remove_sqlite(file: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = file.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(name);
    }
}

/// Removes what earlier, finished test programs left behind.
async fn sweep(admin: Option<&DatabaseConnection>) {
    if let Ok(entries) = std::fs::read_dir(tests_dir()) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with("concord_") && left_behind(&name) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    if let Some(admin) = admin {
        let rows = admin
            .query_all_raw(sea_orm::Statement::from_string(
                admin.get_database_backend(),
                "SELECT datname FROM pg_database WHERE datname LIKE 'concord\\_%'",
            ))
            .await
            .unwrap_or_default();
        for row in rows {
            if let Ok(name) = row.try_get::<String>("", "datname")
                && left_behind(&name)
            {
                let _ = admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await;
            }
        }
    }
}

/// Brings a fresh database up to `stage`.
async fn fill(db: &DatabaseConnection, stage: Stage, name: &str) {
    if stage == Stage::Empty {
        return;
    }
    schema::migrate(db)
        .await
        .unwrap_or_else(|e| panic!("{name}: migrate: {e}"));
    if stage == Stage::Seeded {
        fixtures::seed(db, &fixtures_dir(), test_today())
            .await
            .unwrap_or_else(|e| panic!("{name}: seed: {e}"));
        fixtures::seed_users(db, &fixtures_dir(), fixtures::DEMO_PASSWORD)
            .await
            .unwrap_or_else(|e| panic!("{name}: seed users: {e}"));
    }
}

/// Makes the template of `stage` (migrated or seeded), once per process.
async fn make_template(stage: Stage) -> Template {
    let pg = postgres_url();
    let admin = match &pg {
        Some(url) => Some(
            Database::connect(url.as_str())
                .await
                .expect("TEST_DATABASE_URL answers"),
        ),
        None => None,
    };
    sweep(admin.as_ref()).await;

    let sqlite = tests_dir().join(format!("{}.db", own_name(stage.label())));
    let db = db::connect(&sqlite_url(&sqlite)).await.expect("sqlite");
    fill(&db, stage, "sqlite").await;
    // Everything into the main file before it is copied.
    db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
        .await
        .expect("checkpoint");
    db.close().await.expect("close sqlite");

    let postgres = match (&pg, &admin) {
        (Some(url), Some(admin)) => {
            let name = own_name(stage.label());
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create the template database");
            let db = postgres_pool(&with_database(url, &name), "public").await;
            fill(&db, stage, "postgres").await;
            // A template must have no connections when it is copied.
            db.close().await.expect("close postgres");
            Some(name)
        }
        _ => None,
    };
    if let Some(admin) = admin {
        let _ = admin.close().await;
    }
    Template { sqlite, postgres }
}

/// A database of each available kind at `stage`, copied from its template
/// (or created, when empty).
async fn databases_at(stage: Stage, one_sqlite_connection: bool) -> Vec<TestDb> {
    init_logs();
    pin_clock();
    let template = match stage {
        Stage::Empty => None,
        Stage::Migrated => Some(MIGRATED.get_or_init(|| make_template(stage)).await),
        Stage::Seeded => Some(SEEDED.get_or_init(|| make_template(stage)).await),
    };
    let mut out = Vec::new();

    let file = tests_dir().join(format!("{}.db", own_name("t")));
    if let Some(t) = template {
        std::fs::copy(&t.sqlite, &file).expect("copy the SQLite template");
    }
    let url = sqlite_url(&file);
    let db = if one_sqlite_connection {
        db::connect_one(&url).await
    } else {
        db::connect(&url).await
    }
    .expect("sqlite");
    out.push(TestDb {
        name: "sqlite",
        db,
        url,
        schema: None,
        place: Place::SqliteFile(file),
    });

    if let Some(pg) = postgres_url() {
        let name = own_name("t");
        let create = match template.and_then(|t| t.postgres.as_deref()) {
            Some(from) => format!("CREATE DATABASE {name} TEMPLATE {from}"),
            None => format!("CREATE DATABASE {name}"),
        };
        let admin = Database::connect(pg.as_str())
            .await
            .expect("TEST_DATABASE_URL answers");
        admin
            .execute_unprepared(&create)
            .await
            .expect("create a test database");
        let _ = admin.close().await;
        let url = with_database(&pg, &name);
        out.push(TestDb {
            name: "postgres",
            db: postgres_pool(&url, "public").await,
            url,
            schema: Some("public".to_owned()),
            place: Place::Postgres {
                admin_url: pg,
                name,
            },
        });
    }
    out
}

/// A connected, empty (unmigrated) database of each available kind.
pub async fn empty_databases() -> Vec<TestDb> {
    databases_at(Stage::Empty, false).await
}

/// As [`empty_databases`], SQLite over one connection, as the server
/// migrates (see `db::connect_one`).
pub async fn empty_databases_for_migrating() -> Vec<TestDb> {
    databases_at(Stage::Empty, true).await
}

/// A migrated, empty SQLite database only: for tests that load many
/// databases to compare them, where the query dialect is not the point.
pub async fn sqlite_database() -> TestDb {
    init_logs();
    pin_clock();
    let template = MIGRATED
        .get_or_init(|| make_template(Stage::Migrated))
        .await;
    let file = tests_dir().join(format!("{}.db", own_name("t")));
    std::fs::copy(&template.sqlite, &file).expect("copy the SQLite template");
    let url = sqlite_url(&file);
    TestDb {
        name: "sqlite",
        db: db::connect(&url).await.expect("sqlite"),
        url,
        schema: None,
        place: Place::SqliteFile(file),
    }
}

/// A migrated, empty database of each available kind.
pub async fn databases() -> Vec<TestDb> {
    databases_at(Stage::Migrated, false).await
}

/// The demo portfolio, loaded into each available database.
pub async fn seeded_databases() -> Vec<TestDb> {
    databases_at(Stage::Seeded, false).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_names_another_database() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/ci", "concord_t_1"),
            "postgres://postgres@127.0.0.1:5432/concord_t_1"
        );
        assert_eq!(
            with_database("postgres://u:p@h/db?sslmode=disable", "x"),
            "postgres://u:p@h/x?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://h:5432", "x"),
            "postgres://h:5432/x"
        );
    }

    #[test]
    fn only_what_a_finished_process_left_is_swept() {
        assert!(!left_behind(&own_name("t")), "this process is running");
        assert!(left_behind("concord_t_4294967295_abc"));
        assert!(!left_behind("concord"));
        assert!(!left_behind("someone_elses_db"));
    }
}
