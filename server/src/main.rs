//! The `server` binary: serves Concord (default) and runs its
//! administrative tasks. Run `server --help`.

use app::backend::{AppState, Ctx, db, fixtures, portable, schema, services};
use app::domain::{Role, Scope};
use clap::{Parser, Subcommand};
use leptos::config::LeptosOptions;
use server::config::Config;
use server::config::Environment;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser, Debug)]
#[command(
    name = "server",
    version,
    about = "Concord: governing the partnerships behind integrated public services"
)]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the web application and the API (the default).
    Serve,
    /// Apply pending database migrations (or, with `--status`, list them).
    Migrate {
        /// List every migration, applied or pending, and change nothing.
        #[arg(long)]
        status: bool,
    },
    /// Copy a live SQLite database to a new file, consistently, while it
    /// serves. (PostgreSQL: use `pg_dump`.)
    Backup {
        /// The new file.
        #[arg(long)]
        to: PathBuf,
    },
    /// Write every table to a new directory: a manifest and one JSON-lines
    /// file a table, which `restore` reads into SQLite or PostgreSQL.
    Export {
        /// The new (or empty) directory.
        #[arg(long)]
        to: PathBuf,
    },
    /// Read an export into an empty database (migrated first, here): all
    /// rows or none. How an installation moves from SQLite to PostgreSQL.
    Restore {
        /// The directory `export` wrote.
        #[arg(long)]
        from: PathBuf,
    },
    /// Load the demo portfolio from CSV files (idempotent).
    Seed {
        /// Directory holding one CSV file per table.
        #[arg(long, default_value = "fixtures")]
        fixtures: PathBuf,
    },
    /// Manage user accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Generate a large synthetic portfolio for benchmarks (after `seed`):
    /// active agreements with ten commitments each and most periods reported.
    Generate {
        /// How many agreements (1–9,999).
        #[arg(long, default_value_t = 2000)]
        agreements: usize,
        /// How many years of reports, up to last month.
        #[arg(long, default_value_t = 4)]
        years: u32,
        /// The random seed: the same seed gives the same portfolio.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// For `scripts/bench-http.sh`: axum answering "Hello, World!" with no
    /// middleware, database or rendering, the ceiling the pages are measured
    /// against, built with the same compiler settings as the server.
    #[command(hide = true)]
    HelloCeiling {
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1:3999")]
        listen: std::net::SocketAddr,
    },
    /// Load one CSV file into one table; all rows or none.
    Import {
        /// The table, e.g. `organisations` or `service_level_reports`.
        #[arg(long)]
        table: String,
        /// The CSV file (header row first).
        file: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
enum UserCommand {
    /// Create a user; the password is read from standard input.
    Create {
        #[arg(long)]
        email: String,
        /// admin, manager, executive or reporter.
        #[arg(long)]
        role: Role,
        /// The code of the user's organisation.
        #[arg(long)]
        organisation: String,
        /// `organisation` (default) or `all` (oversight bodies).
        #[arg(long, default_value = "organisation")]
        scope: Scope,
        /// The name shown in the header (default: the email).
        #[arg(long)]
        name: Option<String>,
        /// The language Concord writes to them in: `en` (default) or `fr`.
        #[arg(long, default_value = "en")]
        lang: app::domain::Lang,
        /// Read the password from standard input (required: never on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

/// mimalloc instead of the system's allocator: a page render allocates
/// thousands of small values, and glibc's malloc and free took a fifth of
/// the server's time under load (issue 18, measured with perf).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    server::telemetry::init_with("info,sqlx=warn,sea_orm=warn", cli.config.log_format);
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The database's URL (creating the data directory of the default file).
fn database_url(config: &Config) -> Result<String, String> {
    config
        .database_url()
        .map_err(|e| format!("cannot create the data directory: {e}"))
}

async fn connect(config: &Config) -> Result<sea_orm::DatabaseConnection, String> {
    let url = database_url(config)?;
    // Migrated over one connection (see `db::connect_one`), then served
    // over a pool.
    let one = db::connect_one(&url)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))?;
    schema::migrate(&one)
        .await
        .map_err(|e| format!("migration failed: {e}"))?;
    one.close()
        .await
        .map_err(|e| format!("cannot close the database: {e}"))?;
    db::connect(&url)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))
}

/// The database as it is, migrated or not: for reading its state.
async fn connect_unmigrated(config: &Config) -> Result<sea_orm::DatabaseConnection, String> {
    db::connect(&database_url(config)?)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))
}

async fn run(cli: Cli) -> Result<(), String> {
    let config = cli.config;
    config.set_clock()?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Migrate { status: false } => {
            connect(&config).await?;
            println!("The database is up to date.");
            Ok(())
        }
        Command::Migrate { status: true } => {
            let db = connect_unmigrated(&config).await?;
            let all = schema::status(&db)
                .await
                .map_err(|e| format!("cannot read the migrations: {e}"))?;
            let pending = all.iter().filter(|(_, applied)| !applied).count();
            for (name, applied) in &all {
                println!("{:<8} {name}", if *applied { "applied" } else { "pending" });
            }
            println!("{} applied, {pending} pending", all.len() - pending);
            Ok(())
        }
        Command::Backup { to } => {
            let db = connect_unmigrated(&config).await?;
            let bytes = portable::backup(&db, &to)
                .await
                .map_err(|e| e.to_string())?;
            println!("Backed up to {} ({bytes} bytes)", to.display());
            Ok(())
        }
        Command::Export { to } => {
            let db = connect_unmigrated(&config).await?;
            let manifest = portable::export(&db, &to)
                .await
                .map_err(|e| e.to_string())?;
            let rows: u64 = manifest.tables.iter().map(|t| t.rows).sum();
            println!(
                "Exported {rows} rows of {} tables to {}",
                manifest.tables.len(),
                to.display()
            );
            Ok(())
        }
        Command::Restore { from } => {
            let db = connect(&config).await?;
            let manifest = portable::restore(&db, &from)
                .await
                .map_err(|e| e.to_string())?;
            for t in &manifest.tables {
                println!("{:<24} {:>8} rows", t.table, t.rows);
            }
            println!("Restored from {}", from.display());
            Ok(())
        }
        Command::Seed { fixtures: dir } => {
            if config.environment == Environment::Production {
                return Err("`seed` creates demo accounts with a published password: \
                            it refuses to run in production."
                    .into());
            }
            let conn = connect(&config).await?;
            let mut reports = fixtures::seed(&conn, &dir, app::clock::today())
                .await
                .map_err(|e| describe(&e))?;
            reports.push(
                fixtures::seed_users(&conn, &dir, fixtures::DEMO_PASSWORD)
                    .await
                    .map_err(|e| describe(&e))?,
            );
            for r in reports {
                println!(
                    "{:<24} {:>6} loaded {:>6} already present",
                    r.table, r.inserted, r.skipped
                );
            }
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Create {
                    email,
                    role,
                    organisation,
                    scope,
                    name,
                    lang,
                    password_stdin: _,
                },
        } => {
            let mut password = String::new();
            std::io::stdin()
                .read_line(&mut password)
                .map_err(|e| format!("cannot read the password: {e}"))?;
            let password = password.trim_end_matches(['\r', '\n']).to_owned();
            let conn = connect(&config).await?;
            let params = app::wire::admin::CreateUserParams {
                display_name: name.unwrap_or_else(|| email.clone()),
                email,
                role,
                scope,
                organisation_code: organisation,
                password,
                lang,
            };
            let u = services::admin::create_user(&Ctx::system(), &conn, params)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "Created user {} ({}, {}) in {}",
                u.email, u.role, u.scope, u.organisation_code
            );
            Ok(())
        }
        Command::Generate {
            agreements,
            years,
            seed,
        } => {
            let conn = connect(&config).await?;
            let started = std::time::Instant::now();
            let g = app::backend::generate::generate(&conn, agreements, years, seed)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "generated {} agreements, {} commitments and {} reports in {:.1} s",
                g.agreements,
                g.commitments,
                g.reports,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::HelloCeiling { listen } => {
            // Every path and method: the load test sends its whole mix here.
            let app = axum::Router::new().fallback(|| async { "Hello, World!" });
            let listener = tokio::net::TcpListener::bind(listen)
                .await
                .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
            axum::serve(server::router::without_delay(listener), app)
                .await
                .map_err(|e| e.to_string())
        }
        Command::Import { table, file } => {
            let conn = connect(&config).await?;
            let r = fixtures::import_table(&conn, &table, &file)
                .await
                .map_err(|e| describe(&e))?;
            println!("{}: {} rows loaded", r.table, r.inserted);
            Ok(())
        }
    }
}

/// A fixture error with every problem on its own line.
fn describe(e: &fixtures::FixtureError) -> String {
    match e {
        fixtures::FixtureError::Problems(problems) => {
            let mut out = e.to_string();
            for p in problems {
                out.push_str("\n  ");
                out.push_str(&p.to_string());
            }
            out
        }
        other => other.to_string(),
    }
}

async fn serve(config: Config) -> Result<(), String> {
    let auth = Arc::new(config.auth_settings()?);
    let db = connect(&config).await?;
    app::backend::services::notices::ensure_derived_kpis(&db)
        .await
        .map_err(|e| format!("cannot complete the KPI catalogue: {e}"))?;
    app::backend::services::journeys::ensure_journey_kpis(&db)
        .await
        .map_err(|e| format!("cannot complete the KPI catalogue: {e}"))?;
    let leptos_options = LeptosOptions::builder()
        .output_name("concord")
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.site_addr)
        .hash_files(server::assets::hashed_build())
        .build();
    spawn_expiry(db.clone());
    if let Some(addr) = config.metrics_addr {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| format!("cannot listen on {addr} for metrics: {e}"))?;
        let metrics = server::metrics::router(db.clone());
        tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, metrics).await {
                tracing::error!(error = %e, "the metrics listener stopped");
            }
        });
        println!("Metrics on http://{addr}/metrics");
    }
    let router = server::build_router(AppState {
        db,
        leptos_options,
        auth,
        cache: Default::default(),
        publisher: Arc::new(config.publisher(&config.site_addr)?),
    });
    let listener = tokio::net::TcpListener::bind(config.site_addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.site_addr))?;
    println!("Concord is listening on http://{}", config.site_addr);
    axum::serve(
        server::router::without_delay(listener),
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| format!("server error: {e}"))
}

/// Moves agreements whose term has ended to `expired`, and tells reporters
/// of reports due or missing, now and every hour.
/// Safe with several servers: the move is idempotent.
fn spawn_expiry(db: sea_orm::DatabaseConnection) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            let today = app::clock::today();
            match services::negotiation::expire_due(&db, today).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(expired = n, "agreements past their term expired"),
                Err(e) => tracing::error!(error = %e, "expiry check failed"),
            }
            match services::reports::notify_due(&db, today).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(notified = n, "reporters told of reports due or missing"),
                Err(e) => tracing::error!(error = %e, "report reminders failed"),
            }
            match services::notices::rederive_open(&db, today).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(derived = n, "life-event delivery KPIs re-derived"),
                Err(e) => tracing::error!(error = %e, "life-event delivery KPIs failed"),
            }
        }
    });
}

/// Resolves on Ctrl-C or SIGTERM, so in-flight requests finish first.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
