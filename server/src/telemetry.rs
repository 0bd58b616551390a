//! Logging: `RUST_LOG`-filtered tracing to stderr (standard output is the
//! commands' answers), as text for people or,
//! with `CONCORD_LOG_FORMAT=json`, a JSON object a line for a log
//! collector (timestamp, level, message, fields, and the request's span).

use clap::ValueEnum;
use tracing_subscriber::EnvFilter;

/// How log lines are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One readable line an event.
    #[default]
    Text,
    /// One JSON object a line.
    Json,
}

/// Installs the global subscriber (once; later calls are ignored).
pub fn init(default_filter: &str) {
    init_with(default_filter, LogFormat::Text);
}

/// As [`init`], in `format`.
pub fn init_with(default_filter: &str, format: LogFormat) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
}
