//! The `server` binary run as an operator runs it, for the tests of what
//! only a process shows (a kill, a signal, a restart): on a given database,
//! with the tests' day, seeded, served on a free port.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A served `server` process.
pub struct Running {
    pub child: Child,
    pub base: String,
    pub port: u16,
}

/// A port nobody listens on (just now).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// The binary with `args`, on the database `url` and data directory `dir`,
/// on the tests' day, quiet.
pub fn command(dir: &Path, url: &str, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_server"));
    c.args(args)
        .env("DATABASE_URL", url)
        .env("CONCORD_DATA_DIR", dir)
        .env("CONCORD_TODAY", super::test_today().to_string())
        .env("RUST_LOG", "warn");
    c
}

/// Loads the demo from `fixtures` (migrating first), or fails the test.
pub fn seed(dir: &Path, url: &str, fixtures: &Path) {
    let out = command(dir, url, &["seed", "--fixtures"])
        .arg(fixtures)
        .output()
        .expect("seed runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Serves on a free port (not yet answering: see [`wait_healthy`]).
pub fn serve(dir: &Path, url: &str) -> Running {
    let port = free_port();
    let child = command(dir, url, &["serve"])
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("server starts");
    Running {
        child,
        base: format!("http://127.0.0.1:{port}"),
        port,
    }
}

/// Waits until `base` answers `/healthz` with 200 (at most 20 s).
pub async fn wait_healthy(base: &str) {
    for _ in 0..400 {
        if let Ok(r) = super::client().get(format!("{base}/healthz")).send().await
            && r.status() == 200
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not answer /healthz");
}
