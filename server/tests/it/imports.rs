//! Large imports: a 100,000-row reports file through the API (SQLite and
//! PostgreSQL), and a server killed in the middle of one, which must leave
//! the database as it was — all rows or none.

use crate::common::{
    bulk_commitments, count, login, process, reports_csv, seeded_databases, spawn,
};
use std::time::{Duration, Instant};

const ROWS: usize = 100_000;

#[tokio::test]
async fn a_100000_row_file_is_imported_whole() {
    for t in seeded_databases().await {
        let db = t.db.clone();
        let ids = bulk_commitments(&db, "AGR-2023-0003", "CPC", 2_400).await;
        let base = spawn(t.db.clone()).await;
        let token = login(&base, "reporter@canadapost.example").await;
        let before = count(&db, "service_level_reports").await;
        let started = Instant::now();
        let r = crate::common::client()
            .post(format!("{base}/api/v1/reports/import"))
            .bearer_auth(&token)
            .header("content-type", "text/csv")
            .body(reports_csv(&ids, ROWS))
            .send()
            .await
            .expect("import");
        let status = r.status();
        let body: serde_json::Value = r.json().await.unwrap_or_default();
        assert_eq!(status, 201, "{}: {body}", t.name);
        assert_eq!(body["imported"], ROWS);
        assert_eq!(
            count(&db, "service_level_reports").await,
            before + ROWS as i64
        );
        eprintln!(
            "{}: {ROWS} rows in {:.1?} (debug build)",
            t.name,
            started.elapsed()
        );

        // One bad row among 100,001: refused whole, by its line.
        let mut file = reports_csv(&ids, ROWS);
        file.push_str(&format!("{},2026-10,-4,,,,\n", ids[0]));
        let r = crate::common::client()
            .post(format!("{base}/api/v1/reports/import"))
            .bearer_auth(&token)
            .header("content-type", "text/csv")
            .body(file)
            .send()
            .await
            .expect("import");
        assert_eq!(r.status(), 422);
        let e: serde_json::Value = r.json().await.expect("json");
        assert_eq!(e["error"]["details"][0]["line"], ROWS as u64 + 2);
        assert_eq!(
            count(&db, "service_level_reports").await,
            before + ROWS as i64
        );
    }
}

/// Whether some connection holds SQLite's write lock: a probe that does
/// not wait finds the database locked.
async fn write_locked(url: &str) -> bool {
    let mut opts = sea_orm::ConnectOptions::new(url.to_owned());
    opts.sqlx_logging(false)
        .max_connections(1)
        .map_sqlx_sqlite_opts(|o| o.busy_timeout(Duration::ZERO));
    let Ok(probe) = sea_orm::Database::connect(opts).await else {
        return false;
    };
    use sea_orm::ConnectionTrait;
    let locked = match probe.execute_unprepared("BEGIN IMMEDIATE").await {
        Ok(_) => {
            let _ = probe.execute_unprepared("ROLLBACK").await;
            false
        }
        Err(e) => {
            let m = e.to_string().to_lowercase();
            m.contains("locked") || m.contains("busy")
        }
    };
    let _ = probe.close().await;
    locked
}

#[tokio::test]
async fn a_server_killed_mid_import_leaves_nothing_behind() {
    crate::common::init_logs();
    let dir = std::env::temp_dir()
        .join("concord-tests")
        .join(format!("kill-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("dir");
    let url = format!("sqlite://{}?mode=rwc", dir.join("kill.db").display());
    process::seed(&dir, &url, &crate::common::fixtures_dir());
    let db = app::backend::db::connect(&url).await.expect("db");
    let ids = bulk_commitments(&db, "AGR-2023-0003", "CPC", 2_400).await;
    let before = count(&db, "service_level_reports").await;
    db.close().await.expect("close");

    let mut server = process::serve(&dir, &url);
    process::wait_healthy(&server.base).await;
    let token = login(&server.base, "reporter@canadapost.example").await;
    let base = server.base.clone();
    let upload = tokio::spawn(async move {
        crate::common::client()
            .post(format!("{base}/api/v1/reports/import"))
            .bearer_auth(&token)
            .header("content-type", "text/csv")
            .body(reports_csv(&ids, ROWS))
            .send()
            .await
    });
    // Kill it once the import's transaction holds the write lock and has
    // had time to write.
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut caught = false;
    while Instant::now() < deadline && !upload.is_finished() {
        if write_locked(&url).await {
            tokio::time::sleep(Duration::from_millis(200)).await;
            caught = !upload.is_finished();
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.child.kill().expect("kill");
    let _ = server.child.wait();
    let _ = upload.await;
    assert!(caught, "the import finished before it could be interrupted");

    // Nothing of the import is there, and the database is sound.
    let db = app::backend::db::connect(&url).await.expect("reopen");
    assert_eq!(count(&db, "service_level_reports").await, before);
    use sea_orm::ConnectionTrait;
    let ok = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "PRAGMA integrity_check".to_owned(),
        ))
        .await
        .expect("check")
        .expect("row");
    assert_eq!(ok.try_get_by_index::<String>(0).expect("text"), "ok");
    db.close().await.expect("close");
    // And the server starts again on it.
    let mut again = process::serve(&dir, &url);
    process::wait_healthy(&again.base).await;
    again.child.kill().expect("kill");
    let _ = again.child.wait();
    let _ = std::fs::remove_dir_all(dir);
}

/// 100,000 later revisions of the demo's own reports, in the fixtures'
/// format, written into `dir` (a copy of the fixtures: `server import`
/// reads the commitments' keys from `commitments.csv` beside the file).
fn revisions_csv(dir: &std::path::Path) -> std::path::PathBuf {
    let source =
        std::fs::read_to_string(crate::common::fixtures_dir().join("service_level_reports.csv"))
            .expect("the demo's reports");
    let mut lines = source.lines();
    let header = lines.next().expect("header");
    let columns: Vec<&str> = header.split(',').collect();
    let revision = columns
        .iter()
        .position(|c| *c == "revision")
        .expect("revision");
    let submitted_by = columns
        .iter()
        .position(|c| *c == "submitted_by")
        .expect("submitted_by");
    let firsts: Vec<Vec<&str>> = lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|cells| cells.len() == columns.len() && cells[revision] == "1")
        .collect();
    let mut out = format!("{header}\n");
    let mut written = 0;
    'all: for n in 10.. {
        for cells in &firsts {
            let mut row = cells.clone();
            let n = n.to_string();
            row[revision] = &n;
            row[submitted_by] = "";
            out.push_str(&row.join(","));
            out.push('\n');
            written += 1;
            if written == ROWS {
                break 'all;
            }
        }
    }
    let path = dir.join("revisions.csv");
    std::fs::write(&path, out).expect("write");
    path
}

#[tokio::test]
async fn server_import_killed_mid_file_leaves_nothing_behind() {
    crate::common::init_logs();
    let dir = crate::common::fixtures_copy();
    let url = format!("sqlite://{}?mode=rwc", dir.join("import.db").display());
    process::seed(&dir, &url, &dir);
    let file = revisions_csv(&dir);
    let db = app::backend::db::connect(&url).await.expect("db");
    let before = count(&db, "service_level_reports").await;
    db.close().await.expect("close");

    let import = [
        "import",
        "--table",
        "service_level_reports",
        file.to_str().unwrap(),
    ];
    let mut child = process::command(&dir, &url, &import)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("import starts");
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut caught = false;
    while Instant::now() < deadline && child.try_wait().expect("wait").is_none() {
        if write_locked(&url).await {
            tokio::time::sleep(Duration::from_millis(200)).await;
            caught = child.try_wait().expect("wait").is_none();
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    child.kill().expect("kill -9");
    let _ = child.wait();
    assert!(caught, "the import finished before it could be interrupted");

    let db = app::backend::db::connect(&url).await.expect("reopen");
    assert_eq!(
        count(&db, "service_level_reports").await,
        before,
        "none of it"
    );
    db.close().await.expect("close");
    // Run again to the end: all of it.
    let done = process::command(&dir, &url, &import)
        .output()
        .expect("import runs");
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let db = app::backend::db::connect(&url).await.expect("reopen");
    assert_eq!(
        count(&db, "service_level_reports").await,
        before + ROWS as i64,
        "all of it"
    );
    db.close().await.expect("close");
    let _ = std::fs::remove_dir_all(dir);
}
