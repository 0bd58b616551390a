//! Copies of a whole database (issue 19): an export from SQLite restores
//! into an empty database of every kind and answers every question as the
//! original did; a restore into a database holding data is refused and
//! changes nothing; `backup` copies an SQLite file while it is written to.

use crate::common::*;
use app::backend::entities::jurisdiction;
use app::backend::{fixtures, portable};
use app::domain::JurisdictionLevel;
use sea_orm::{ActiveModelTrait, Set};

/// What the three kinds of users read, and the audit log: compared,
/// answer by answer, between the original and its restored copy.
async fn questions(base: &str, token: &str) -> Vec<String> {
    let (status, list) = get_as(&format!("{base}/api/v1/agreements"), Some(token)).await;
    assert_eq!(status, 200);
    let ids: Vec<i64> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|a| a["id"].as_i64().expect("id"))
        .collect();
    assert!(ids.len() >= 10, "the demo portfolio has its agreements");
    let mut paths = vec!["/api/v1/agreements".to_owned(), "/api/v1/audit".to_owned()];
    for id in ids {
        for tail in [
            "",
            "/versions",
            "/compliance",
            "/reconciliation?period=2025-Q1",
            "/reconciliation?period=2026-Q2",
        ] {
            paths.push(format!("/api/v1/agreements/{id}{tail}"));
        }
    }
    for group in ["agreement", "party", "structure", "kpi", "life_event"] {
        paths.push(format!(
            "/api/v1/benchmarks?group_by={group}&from=2025-01&to=2025-12"
        ));
    }
    paths
}

#[tokio::test(flavor = "multi_thread")]
async fn an_export_from_sqlite_restores_into_every_database_and_answers_alike() {
    let source = sqlite_database().await;
    fixtures::seed(&source.db, &fixtures_dir(), test_today())
        .await
        .expect("seed");
    fixtures::seed_users(&source.db, &fixtures_dir(), fixtures::DEMO_PASSWORD)
        .await
        .expect("seed users");
    let original = spawn(source.db.clone()).await;
    // Signed in before the export, so the sign-in is in both audit logs;
    // the same token then reads the copy (the servers share the secret).
    let token = login(&original, who::ADMIN).await;

    let dir = std::env::temp_dir()
        .join("concord-tests")
        .join(unique("export"));
    let manifest = portable::export(&source.db, &dir).await.expect("export");
    assert_eq!(manifest.tables.len(), portable::table_names().len());
    for t in &manifest.tables {
        assert_eq!(
            t.rows,
            count(&source.db, &t.table).await as u64,
            "{}: the manifest counts its rows",
            t.table
        );
    }
    let again = portable::export(&source.db, &dir).await.unwrap_err();
    assert!(again.to_string().contains("not empty"), "{again}");

    let paths = questions(&original, &token).await;
    let mut answers = Vec::new();
    for p in &paths {
        answers.push(get_as(&format!("{original}{p}"), Some(&token)).await);
    }

    let answered = answers.iter().filter(|(s, _)| *s == 200).count();
    assert!(
        answered * 4 >= paths.len() * 3,
        "{answered} of {} answered",
        paths.len()
    );

    for target in databases().await {
        let restored = portable::restore(&target.db, &dir)
            .await
            .unwrap_or_else(|e| panic!("{}: restore: {e}", target.name));
        assert_eq!(restored, manifest);
        for t in &manifest.tables {
            assert_eq!(
                count(&target.db, &t.table).await as u64,
                t.rows,
                "{}: {} restored whole",
                target.name,
                t.table
            );
        }
        let copy = spawn(target.db.clone()).await;
        for (p, (status, body)) in paths.iter().zip(&answers) {
            let (s, b) = get_as(&format!("{copy}{p}"), Some(&token)).await;
            assert_eq!((s, &b), (*status, body), "{}: {p}", target.name);
        }
        // The ids go on after the restored ones: a new row is written, not
        // refused as a duplicate key.
        let largest = count(&target.db, "jurisdictions").await;
        let added = jurisdiction::ActiveModel {
            code: Set("ZZ-NEW".into()),
            name: Set("Made after the restore".into()),
            level: Set(JurisdictionLevel::National),
            country_code: Set("ZZ".into()),
            ..Default::default()
        }
        .insert(&target.db)
        .await
        .unwrap_or_else(|e| panic!("{}: insert after restore: {e}", target.name));
        assert!(i64::from(added.id) > largest, "{}", target.name);

        // A second restore finds data and writes nothing.
        let agreements = count(&target.db, "agreements").await;
        let refused = portable::restore(&target.db, &dir).await.unwrap_err();
        assert!(refused.to_string().contains("not empty"), "{refused}");
        assert_eq!(count(&target.db, "agreements").await, agreements);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broken_export_restores_nothing() {
    let source = sqlite_database().await;
    fixtures::seed(&source.db, &fixtures_dir(), test_today())
        .await
        .expect("seed");
    let dir = std::env::temp_dir()
        .join("concord-tests")
        .join(unique("export"));
    portable::export(&source.db, &dir).await.expect("export");
    // A row late in the order is broken: everything before it must go too.
    let reports = dir.join("service_level_reports.jsonl");
    let mut text = std::fs::read_to_string(&reports).expect("read");
    text.push_str("{\"id\": \"not a number\"}\n");
    std::fs::write(&reports, text).expect("write");

    for target in databases().await {
        let e = portable::restore(&target.db, &dir).await.unwrap_err();
        assert!(
            e.to_string().contains("service_level_reports.jsonl, line"),
            "{}: {e}",
            target.name
        );
        for table in portable::table_names() {
            assert_eq!(
                count(&target.db, table).await,
                0,
                "{}: {table}",
                target.name
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backup_copies_sqlite_while_it_is_written_and_refuses_postgres() {
    let live = sqlite_database().await;
    fixtures::seed(&live.db, &fixtures_dir(), test_today())
        .await
        .expect("seed");
    let dir = std::env::temp_dir().join("concord-tests");
    let file = dir.join(format!("{}.db", unique("backup")));

    // Writers keep writing while the backup runs.
    let writer = {
        let db = live.db.clone();
        tokio::spawn(async move {
            for i in 0..200 {
                sea_orm::ConnectionTrait::execute_unprepared(
                    &db,
                    &format!(
                        "INSERT INTO login_failures (email, ip, at) \
                         VALUES ('w{i}@example.org', '10.0.0.1', '2026-01-01T00:00:00Z')"
                    ),
                )
                .await
                .expect("write");
            }
        })
    };
    let bytes = portable::backup(&live.db, &file).await.expect("backup");
    writer.await.expect("writer");
    assert!(bytes > 0);

    let copy = app::backend::db::connect(&format!("sqlite://{}", file.display()))
        .await
        .expect("the backup opens");
    assert_eq!(
        count(&copy, "agreements").await,
        count(&live.db, "agreements").await
    );
    let failures = count(&copy, "login_failures").await;
    assert!(
        (0..=200).contains(&failures),
        "a consistent point: {failures}"
    );

    let again = portable::backup(&live.db, &file).await.unwrap_err();
    assert!(again.to_string().contains("exists"), "{again}");

    for t in databases().await {
        if t.name == "postgres" {
            let e = portable::backup(&t.db, &file).await.unwrap_err();
            assert!(e.to_string().contains("pg_dump"), "{e}");
        }
    }
}
