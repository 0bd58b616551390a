//! The schema and the demo portfolio, on SQLite and (with
//! `TEST_DATABASE_URL`) PostgreSQL.

mod common;

use app::backend::fixtures::{self, FixtureError, TABLES};
use common::{count, databases, empty_databases, fixtures_copy, fixtures_dir, seeded_databases};
use migrations::{Migrator, MigratorTrait};

#[tokio::test]
async fn migrations_run_up_down_and_up_again_on_every_database() {
    for t in empty_databases().await {
        Migrator::up(&t.db, None)
            .await
            .unwrap_or_else(|e| panic!("{}: up: {e}", t.name));
        assert_eq!(count(&t.db, "agreements").await, 0, "{}", t.name);
        Migrator::down(&t.db, None)
            .await
            .unwrap_or_else(|e| panic!("{}: down: {e}", t.name));
        assert!(
            t.db.query_one_raw(sea_orm::Statement::from_string(
                t.db.get_database_backend(),
                "SELECT COUNT(*) FROM agreements".to_owned(),
            ))
            .await
            .is_err(),
            "{}: the agreements table survived `down`",
            t.name
        );
        Migrator::up(&t.db, None)
            .await
            .unwrap_or_else(|e| panic!("{}: up again: {e}", t.name));
        assert!(
            Migrator::get_pending_migrations(&t.db)
                .await
                .expect("pending")
                .is_empty()
        );
    }
}

use sea_orm::ConnectionTrait;

#[tokio::test]
async fn seeding_twice_loads_the_demo_portfolio_once() {
    for t in seeded_databases().await {
        let before: Vec<i64> = {
            let mut v = Vec::new();
            for table in TABLES {
                v.push(count(&t.db, table).await);
            }
            v
        };
        assert_eq!(count(&t.db, "agreements").await, 12, "{}", t.name);
        assert!(
            count(&t.db, "service_level_reports").await > 1000,
            "{}",
            t.name
        );
        assert_eq!(count(&t.db, "agreement_versions").await, 12, "{}", t.name);

        let again = fixtures::seed(&t.db, &fixtures_dir())
            .await
            .expect("second seed");
        assert!(
            again.iter().all(|r| r.inserted == 0),
            "{}: {again:?}",
            t.name
        );
        for (table, n) in TABLES.iter().zip(before) {
            assert_eq!(count(&t.db, table).await, n, "{}: {table} changed", t.name);
        }
    }
}

#[tokio::test]
async fn money_survives_the_database_to_the_cent() {
    use app::backend::entities::cost_model_line;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    for t in seeded_databases().await {
        let lines = cost_model_line::Entity::find()
            .filter(cost_model_line::Column::Percent.is_not_null())
            .all(&t.db)
            .await
            .expect("lines");
        assert!(!lines.is_empty());
        // A fixture line holds 33.3334: exact, not 33.333399999.
        let view = app::backend::services::agreements::get(&app::backend::Ctx::system(), &t.db, 2)
            .await
            .expect("agreement 2");
        let cap = view
            .cost_model
            .expect("a cost model")
            .lines
            .into_iter()
            .find_map(|l| l.cap)
            .expect("the Halifax cap");
        assert_eq!(cap, "12000.00", "{}", t.name);
    }
}

/// Breaks one cell of one fixture file, seeds, and returns the problems.
async fn seed_broken(
    file: &str,
    line: usize,
    from: &str,
    to: &str,
) -> (Vec<fixtures::Problem>, Vec<common::TestDb>) {
    let dir = fixtures_copy();
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    assert!(
        lines[line - 1].contains(from),
        "line {line} of {file} has no '{from}'"
    );
    lines[line - 1] = lines[line - 1].replacen(from, to, 1);
    std::fs::write(&path, lines.join("\n") + "\n").expect("write");
    let dbs = databases().await;
    let mut problems = Vec::new();
    for t in &dbs {
        match fixtures::seed(&t.db, &dir).await {
            Err(FixtureError::Problems(p)) => problems = p,
            other => panic!("{}: expected problems, got {other:?}", t.name),
        }
    }
    (problems, dbs)
}

#[tokio::test]
async fn a_broken_fixture_is_reported_by_file_line_and_column_and_nothing_is_written() {
    let (problems, dbs) = seed_broken("organisations.csv", 5, ",ministry,", ",ministery,").await;
    assert_eq!(problems.len(), 1, "{problems:?}");
    let p = &problems[0];
    assert!(p.file.ends_with("organisations.csv"), "{p}");
    assert_eq!(p.line, 5);
    assert_eq!(p.column, "kind");
    assert!(p.message.contains("ministery"), "{p}");
    for t in dbs {
        for table in TABLES {
            assert_eq!(
                count(&t.db, table).await,
                0,
                "{}: {table} was written",
                t.name
            );
        }
    }
}

#[tokio::test]
async fn a_broken_row_late_in_the_load_rolls_back_everything_before_it() {
    // A report far down the dependency order: the earlier tables loaded
    // fine inside the transaction, and must be gone too.
    let (problems, dbs) = seed_broken(
        "transaction_volumes.csv",
        3,
        "AGR-2023-0001,",
        "AGR-1999-0001,",
    )
    .await;
    assert!(
        problems
            .iter()
            .any(|p| p.line == 3 && p.column == "agreement_reference"),
        "{problems:?}"
    );
    for t in dbs {
        assert_eq!(count(&t.db, "organisations").await, 0, "{}", t.name);
        assert_eq!(count(&t.db, "agreements").await, 0, "{}", t.name);
    }
}

#[tokio::test]
async fn importing_one_table_refuses_rows_that_already_exist() {
    for t in seeded_databases().await {
        let err = fixtures::import_table(
            &t.db,
            "organisations",
            &fixtures_dir().join("organisations.csv"),
        )
        .await
        .expect_err("duplicates refused");
        let FixtureError::Problems(p) = err else {
            panic!("{}: {err}", t.name)
        };
        assert!(
            p.iter().all(|p| p.message.contains("already exists")),
            "{p:?}"
        );
        assert_eq!(p.len(), 44, "{}: one problem per row", t.name);
    }
}

#[tokio::test]
async fn importing_an_unknown_table_names_the_known_ones() {
    for t in databases().await {
        let err = fixtures::import_table(&t.db, "nope", &fixtures_dir().join("kpis.csv"))
            .await
            .expect_err("refused");
        assert!(err.to_string().contains("organisations"), "{err}");
    }
}

#[tokio::test]
async fn importing_a_new_organisation_file_loads_it() {
    for t in seeded_databases().await {
        let dir = fixtures_copy();
        let file = dir.join("new_orgs.csv");
        std::fs::write(
            &file,
            "code,name,name_fr,kind,jurisdiction_code\r\nNEWORG,\"New Org, Inc.\",,business,\r\n",
        )
        .expect("write");
        let r = fixtures::import_table(&t.db, "organisations", &file)
            .await
            .expect("imported");
        assert_eq!(r.inserted, 1);
        assert_eq!(count(&t.db, "organisations").await, 45, "{}", t.name);
    }
}

#[tokio::test]
async fn the_audit_log_refuses_updates_and_deletes() {
    for t in seeded_databases().await {
        let ctx = app::backend::Ctx::system();
        app::backend::audit::record(
            &t.db,
            &ctx,
            app::backend::audit::Event {
                action: "test.event",
                entity: "test",
                entity_id: None,
                before: None,
                after: None,
            },
        )
        .await
        .expect("append");
        assert!(
            t.db.execute_unprepared("UPDATE audit_events SET action = 'x'")
                .await
                .is_err(),
            "{}",
            t.name
        );
        assert!(
            t.db.execute_unprepared("DELETE FROM audit_events")
                .await
                .is_err(),
            "{}",
            t.name
        );
        assert!(count(&t.db, "audit_events").await >= 1);
    }
}
