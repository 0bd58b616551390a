//! The schema and the demo portfolio, on SQLite and (with
//! `TEST_DATABASE_URL`) PostgreSQL.

use crate::common::{
    count, databases, empty_databases_for_migrating, fixtures_copy, fixtures_dir, seeded_databases,
};
use app::backend::fixtures::{self, FixtureError, TABLES};
use migrations::{Migrator, MigratorTrait};

#[tokio::test]
async fn migrations_run_up_down_and_up_again_on_every_database() {
    // Migrated over one connection, as the server migrates (see
    // `db::connect_one`).
    for t in empty_databases_for_migrating().await {
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

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

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

        let again = fixtures::seed(&t.db, &fixtures_dir(), crate::common::test_today())
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
) -> (Vec<fixtures::Problem>, Vec<crate::common::TestDb>) {
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
        match fixtures::seed(&t.db, &dir, crate::common::test_today()).await {
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

/// Fixture reports, costs and volumes are checked as the API checks them:
/// same rules, same messages. A commitment moved to begin after two of its
/// reported months makes those reports fall outside its effective dates.
#[tokio::test]
async fn fixture_reports_costs_and_volumes_follow_the_rules_and_words_of_the_api() {
    let (problems, _) = seed_broken("commitments.csv", 2, ",2023-04-01,,2", ",2023-07-01,,2").await;
    for line in [2, 3] {
        assert!(
            problems
                .iter()
                .any(|p| p.file.ends_with("service_level_reports.csv")
                    && p.line == line
                    && p.column == "period"
                    && p.message
                        .contains("lies outside the commitment's effective dates")),
            "line {line}: {problems:?}"
        );
    }

    let (problems, _) =
        seed_broken("service_level_reports.csv", 2, ",1608,1896,", ",1997,1896,").await;
    assert!(
        problems.iter().any(|p| p.line == 2
            && p.column == "numerator"
            && p.message == "The numerator (1997) is above the denominator (1896)."),
        "{problems:?}"
    );

    // Actual costs are recorded by month.
    let (problems, _) = seed_broken(
        "cost_entries.csv",
        2,
        ",2023-04,actual,",
        ",2023-Q2,actual,",
    )
    .await;
    assert!(
        problems.iter().any(|p| p.line == 2
            && p.column == "period"
            && p.message
                .contains("is not a month: actual costs and volumes are recorded by month")),
        "{problems:?}"
    );

    let (problems, _) = seed_broken("transaction_volumes.csv", 2, ",11882", ",-5").await;
    assert!(
        problems.iter().any(|p| p.line == 2
            && p.column == "count"
            && p.message == "A count cannot be negative."),
        "{problems:?}"
    );
}

/// The terms a fixture agreement is loaded with are checked as the API
/// checks an agreement's terms: a title over 200 characters is refused on
/// the agreement's line, with the API's message, and nothing is written.
#[tokio::test]
async fn fixture_agreements_follow_the_rules_and_words_of_the_api() {
    let long = "A".repeat(201);
    let (problems, dbs) = seed_broken(
        "agreements.csv",
        2,
        ",Canada–Nova Scotia Single Window Memorandum of Understanding,",
        &format!(",{long},"),
    )
    .await;
    assert!(
        problems.iter().any(|p| p.file.ends_with("agreements.csv")
            && p.line == 2
            && p.column == "title"
            && p.message == "At most 200 characters."),
        "{problems:?}"
    );
    for t in dbs {
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

/// Each dated row of the demo, as (table, kind of period, periods before or
/// after the one of that kind containing `today`), counted.
async fn relative_periods(
    db: &sea_orm::DatabaseConnection,
    today: chrono::NaiveDate,
) -> std::collections::BTreeMap<(&'static str, i32, i32), usize> {
    use app::domain::Period;
    use chrono::Datelike;
    let now = today.year() * 12 + today.month0() as i32;
    let mut out = std::collections::BTreeMap::new();
    for table in [
        "service_level_reports",
        "cost_entries",
        "transaction_volumes",
    ] {
        let rows = db
            .query_all_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                format!("SELECT period FROM {table}"),
            ))
            .await
            .expect("periods");
        for row in rows {
            let text: String = row.try_get("", "period").expect("period");
            let period: Period = text.parse().expect("a stored period parses");
            assert!(
                period.has_ended(today, 1),
                "{table}: {period} has not ended on {today}"
            );
            let (first, length) = period.month_span(1);
            let offset = first.div_euclid(length) - now.div_euclid(length);
            *out.entry((table, length, offset)).or_insert(0) += 1;
        }
    }
    out
}

/// What a partnership manager would notice first on the portfolio page.
async fn portfolio_facts(
    db: &sea_orm::DatabaseConnection,
    today: chrono::NaiveDate,
) -> Vec<String> {
    use app::backend::entities::agreement;
    use sea_orm::EntityTrait;
    let all = agreement::Entity::find().all(db).await.expect("agreements");
    let mut facts = Vec::new();
    for status in [
        "pending_approval",
        "suspended",
        "expired",
        "draft",
        "negotiation",
    ] {
        let n = all.iter().filter(|a| a.status.as_str() == status).count();
        facts.push(format!("{status}: {n}"));
    }
    let renewals = all
        .iter()
        .filter(|a| a.status == app::domain::AgreementStatus::Active)
        .filter(|a| {
            let left = (a.ends_on - today).num_days();
            (0..=i64::from(a.renewal_notice_days)).contains(&left)
        })
        .count();
    facts.push(format!("inside their renewal notice: {renewals}"));
    let past_term = all
        .iter()
        .filter(|a| matches!(a.status.as_str(), "active" | "suspended") && a.ends_on < today)
        .count();
    facts.push(format!("in force past their term: {past_term}"));
    let first_start = all.iter().map(|a| a.starts_on).min().expect("agreements");
    facts.push(format!(
        "years of history: {}",
        (today - first_start).num_days() / 365
    ));
    facts
}

#[tokio::test]
async fn the_demo_seeded_on_any_day_reads_as_on_the_day_it_was_made() {
    use app::domain::compliance::latest_month_due;
    let anchor = crate::common::test_today();
    let reference = {
        let t = crate::common::sqlite_database().await;
        fixtures::seed(&t.db, &fixtures_dir(), anchor)
            .await
            .expect("seed");
        (
            relative_periods(&t.db, anchor).await,
            portfolio_facts(&t.db, anchor).await,
        )
    };
    assert_eq!(
        reference.1,
        [
            "pending_approval: 1",
            "suspended: 1",
            "expired: 1",
            "draft: 1",
            "negotiation: 1",
            "inside their renewal notice: 1",
            "in force past their term: 0",
            "years of history: 3",
        ],
        "the demo as made"
    );
    // The first of a month, month ends long and short, a leap day, a year
    // and more ahead, and a day before the anchor.
    for day in [
        "2026-12-01",
        "2027-01-01",
        "2027-03-01",
        "2027-03-31",
        "2028-01-31",
        "2028-02-29",
        "2030-06-15",
        "2026-06-15",
    ] {
        let today: chrono::NaiveDate = day.parse().expect("date");
        let t = crate::common::sqlite_database().await;
        fixtures::seed(&t.db, &fixtures_dir(), today)
            .await
            .unwrap_or_else(|e| panic!("seeding on {day}: {e}"));
        assert_eq!(
            relative_periods(&t.db, today).await,
            reference.0,
            "on {day}, every report, cost and volume keeps its distance from today"
        );
        assert_eq!(portfolio_facts(&t.db, today).await, reference.1, "on {day}");
        let month = latest_month_due(today).expect("a month").to_string();
        let reported = app::backend::entities::service_level_report::Entity::find()
            .filter(app::backend::entities::service_level_report::Column::Period.eq(&month))
            .count(&t.db)
            .await
            .expect("count");
        assert!(reported > 20, "on {day}, {month} has {reported} reports");
    }
}

#[tokio::test]
async fn the_demo_moved_a_year_and_more_loads_on_every_database() {
    let today = crate::common::test_today() + chrono::Months::new(14);
    for t in databases().await {
        fixtures::seed(&t.db, &fixtures_dir(), today)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", t.name));
        let expired = app::backend::services::negotiation::expire_due(&t.db, today)
            .await
            .expect("expiry");
        assert_eq!(expired, 0, "{}: nothing runs past its term", t.name);
    }
}

#[tokio::test]
async fn a_calendar_file_without_a_date_is_refused_and_nothing_is_written() {
    let dir = fixtures_copy();
    std::fs::write(dir.join("calendar.csv"), "anchor_date\n29/11/2026\n").expect("write");
    for t in databases().await {
        match fixtures::seed(&t.db, &dir, crate::common::test_today()).await {
            Err(FixtureError::Problems(p)) => {
                assert_eq!(p.len(), 1, "{p:?}");
                assert!(p[0].file.ends_with("calendar.csv"), "{}", p[0]);
                assert_eq!(p[0].column, "anchor_date");
            }
            other => panic!("{}: expected a problem, got {other:?}", t.name),
        }
        assert_eq!(count(&t.db, "agreements").await, 0, "{}", t.name);
    }
}
