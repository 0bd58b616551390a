//! Configuration from flags and environment variables (API.md
//! "Configuration"). Holds no behaviour beyond defaults and checks.

use clap::{Args, ValueEnum};
use std::net::SocketAddr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Args, Clone, Debug)]
pub struct Config {
    /// Database URL: `sqlite://path?mode=rwc` (default: a file under ./data/) or `postgres://…`.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    /// Address to listen on.
    #[arg(
        long,
        env = "LEPTOS_SITE_ADDR",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub site_addr: SocketAddr,

    /// `development` or `production`.
    #[arg(
        long = "env",
        env = "CONCORD_ENV",
        value_enum,
        default_value = "development",
        global = true
    )]
    pub environment: Environment,

    /// Directory holding the built site (`pkg/`, favicon), written by cargo-leptos.
    #[arg(
        long,
        env = "LEPTOS_SITE_ROOT",
        default_value = "target/site",
        global = true
    )]
    pub site_root: String,

    /// Secret for signing session tokens.
    #[arg(
        long,
        env = "CONCORD_JWT_SECRET",
        hide_env_values = true,
        global = true
    )]
    pub jwt_secret: Option<String>,

    /// Directory for the default SQLite database and other local data.
    #[arg(long, env = "CONCORD_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: String,
}

impl Config {
    /// The database URL, defaulting to `data/concord.db` (created if missing).
    pub fn database_url(&self) -> std::io::Result<String> {
        if let Some(url) = &self.database_url {
            return Ok(url.clone());
        }
        std::fs::create_dir_all(&self.data_dir)?;
        Ok(format!("sqlite://{}/concord.db?mode=rwc", self.data_dir))
    }
}
