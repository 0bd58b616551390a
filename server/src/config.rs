//! Configuration from flags and environment variables (API.md
//! "Configuration"). Holds no behaviour beyond defaults and checks.

use app::backend::auth::AuthSettings;
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

    /// Failed sign-ins for one account before it is locked.
    #[arg(
        long,
        env = "CONCORD_LOGIN_MAX_FAILURES",
        default_value_t = 5,
        global = true
    )]
    pub login_max_failures: u64,

    /// Window, in minutes, over which failed sign-ins are counted.
    #[arg(
        long,
        env = "CONCORD_LOGIN_WINDOW_MINUTES",
        default_value_t = 15,
        global = true
    )]
    pub login_window_minutes: i64,

    /// How long, in minutes, a locked account stays locked.
    #[arg(
        long,
        env = "CONCORD_LOGIN_LOCK_MINUTES",
        default_value_t = 15,
        global = true
    )]
    pub login_lock_minutes: i64,

    /// Failed sign-ins from one address (any account) before it is refused.
    #[arg(
        long,
        env = "CONCORD_LOGIN_MAX_FAILURES_PER_ADDRESS",
        default_value_t = 50,
        global = true
    )]
    pub login_max_failures_per_address: u64,

    /// Addresses of the reverse proxies in front of Concord (comma
    /// separated). Only from these is `X-Forwarded-For` believed, to know
    /// the address a sign-in comes from; by default none is.
    #[arg(
        long,
        env = "CONCORD_TRUSTED_PROXIES",
        value_delimiter = ',',
        global = true
    )]
    pub trusted_proxies: Vec<std::net::IpAddr>,

    /// How long a session lasts, in minutes.
    #[arg(
        long,
        env = "CONCORD_SESSION_MINUTES",
        default_value_t = 480,
        global = true
    )]
    pub session_minutes: i64,

    /// Mark the session cookie `Secure` (default: in production).
    #[arg(long, env = "CONCORD_SECURE_COOKIES", global = true)]
    pub secure_cookies: Option<bool>,

    /// Where to serve `GET /metrics` (Prometheus text format), e.g.
    /// `127.0.0.1:9464`: an address of its own, for the monitoring system
    /// only. Unset (the default), no metrics are served.
    #[arg(long, env = "CONCORD_METRICS_ADDR", global = true)]
    pub metrics_addr: Option<SocketAddr>,

    /// `text` (default) or `json`: one JSON object a log line.
    #[arg(
        long,
        env = "CONCORD_LOG_FORMAT",
        value_enum,
        default_value = "text",
        global = true
    )]
    pub log_format: crate::telemetry::LogFormat,

    /// Directory for the default SQLite database and other local data.
    #[arg(long, env = "CONCORD_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: String,

    /// Run as if today were this date (YYYY-MM-DD): to try Concord or run its
    /// tests on another day. The time of day still flows. Refused in production.
    #[arg(long, env = "CONCORD_TODAY", global = true)]
    pub today: Option<chrono::NaiveDate>,

    /// The address people reach Concord at (`https://concord.example.gov`):
    /// the base of the links in the open data feed. Default: `http://` and
    /// the listening address.
    #[arg(long, env = "CONCORD_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// Who publishes the open data feed (OCDS `publisher.name`).
    #[arg(
        long,
        env = "CONCORD_PUBLISHER",
        default_value = "Concord",
        global = true
    )]
    pub publisher: String,

    /// The prefix of every ocid in the open data feed: the one the Open
    /// Contracting Partnership registered for you (`ocds-` and six
    /// characters). The default is a placeholder.
    #[arg(
        long,
        env = "CONCORD_OCID_PREFIX",
        default_value = "ocds-concord",
        global = true
    )]
    pub ocid_prefix: String,
}

impl Config {
    /// The open data feed's publisher settings.
    ///
    /// Fails, saying which setting, when one is not usable.
    pub fn publisher(
        &self,
        listening: &SocketAddr,
    ) -> Result<app::backend::services::export::Publisher, String> {
        let url = self
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{listening}"));
        app::backend::services::export::Publisher::new(&self.publisher, &url, &self.ocid_prefix)
            .map_err(|e| {
                format!("CONCORD_PUBLIC_URL, CONCORD_PUBLISHER or CONCORD_OCID_PREFIX: {e}")
            })
    }

    /// Sign-in settings. In production a secret must be configured; in
    /// development one is generated once and kept in the data directory.
    ///
    /// Fails when production has no secret, the secret is shorter than 32
    /// bytes, or the development secret cannot be read or written.
    pub fn auth_settings(&self) -> Result<AuthSettings, String> {
        let secret = match (&self.jwt_secret, self.environment) {
            (Some(s), _) => s.clone().into_bytes(),
            (None, Environment::Production) => {
                return Err(
                    "CONCORD_JWT_SECRET must be set in production (32 bytes or more).".into(),
                );
            }
            (None, Environment::Development) => self.development_secret()?,
        };
        if secret.len() < 32 {
            return Err("CONCORD_JWT_SECRET must be at least 32 bytes long.".into());
        }
        Ok(AuthSettings {
            jwt_secret: secret.into(),
            session_minutes: self.session_minutes.max(1),
            max_failures: self.login_max_failures.max(1),
            failure_window_minutes: self.login_window_minutes.max(1),
            lock_minutes: self.login_lock_minutes.max(1),
            max_failures_per_address: self.login_max_failures_per_address.max(1),
            secure_cookies: self
                .secure_cookies
                .unwrap_or(self.environment == Environment::Production),
            trusted_proxies: self.trusted_proxies.clone(),
        })
    }

    fn development_secret(&self) -> Result<Vec<u8>, String> {
        let path = std::path::Path::new(&self.data_dir).join("jwt-secret");
        if let Ok(s) = std::fs::read_to_string(&path) {
            return Ok(s.trim().as_bytes().to_vec());
        }
        std::fs::create_dir_all(&self.data_dir).map_err(|e| e.to_string())?;
        let secret = app::backend::auth::secret::random_hex();
        std::fs::write(&path, &secret)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
        }
        Ok(secret.into_bytes())
    }

    /// Moves Concord's clock to `--today` when one is given.
    ///
    /// Fails in production: a server there must judge periods on the real day.
    pub fn set_clock(&self) -> Result<(), String> {
        match (self.today, self.environment) {
            (None, _) => Ok(()),
            (Some(_), Environment::Production) => Err(
                "CONCORD_TODAY moves the calendar for trials and tests: it is refused in production."
                    .into(),
            ),
            (Some(day), Environment::Development) => {
                app::clock::set_today(day);
                Ok(())
            }
        }
    }

    /// The database URL, defaulting to `data/concord.db` (created if missing).
    pub fn database_url(&self) -> std::io::Result<String> {
        if let Some(url) = &self.database_url {
            return Ok(url.clone());
        }
        std::fs::create_dir_all(&self.data_dir)?;
        Ok(format!("sqlite://{}/concord.db?mode=rwc", self.data_dir))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Flags {
        #[command(flatten)]
        config: Config,
    }

    fn config(args: &[&str]) -> Config {
        Flags::try_parse_from(std::iter::once("server").chain(args.iter().copied()))
            .expect("flags parse")
            .config
    }

    #[test]
    fn trusted_proxies_are_a_list_of_addresses_and_none_by_default() {
        assert!(
            config(&[])
                .auth_settings()
                .expect("settings")
                .trusted_proxies
                .is_empty()
        );
        let c = config(&["--trusted-proxies", "10.0.0.2,::1"]);
        let s = c.auth_settings().expect("settings");
        assert_eq!(s.trusted_proxies.len(), 2);
        assert!(
            Flags::try_parse_from(["server", "--trusted-proxies", "proxy.example"]).is_err(),
            "a name is not an address"
        );
    }

    #[test]
    fn a_moved_calendar_is_refused_in_production() {
        let c = config(&["--env", "production", "--today", "2028-01-31"]);
        let e = c.set_clock().expect_err("refused");
        assert!(e.contains("CONCORD_TODAY"), "{e}");
    }

    #[test]
    fn today_must_be_a_date() {
        assert!(
            Flags::try_parse_from(["server", "--today", "31/01/2028"]).is_err(),
            "a day that is not YYYY-MM-DD is refused"
        );
        assert_eq!(
            config(&["--today", "2028-02-29"]).today,
            chrono::NaiveDate::from_ymd_opt(2028, 2, 29)
        );
    }
}
