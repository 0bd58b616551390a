//! The `server` binary's administrative commands as an operator runs them
//! (issue 19): `migrate --status`, `backup`, `export` and `restore`, and
//! `CONCORD_LOG_FORMAT=json`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn server(dir: &Path, db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .env("CONCORD_DATA_DIR", dir)
        .env(
            "DATABASE_URL",
            format!("sqlite://{}?mode=rwc", dir.join(db).display()),
        )
        .env_remove("RUST_LOG")
        .output()
        .expect("the server binary runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir()
        .join("concord-tests")
        .join(crate::common::unique("cli"));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn migrate_status_lists_pending_then_applied_and_changes_nothing() {
    let dir = temp_dir();
    let before = server(&dir, "a.db", &["migrate", "--status"]);
    assert!(before.status.success(), "{}", text(&before));
    let out = text(&before);
    let known = out.lines().filter(|l| l.starts_with("pending ")).count();
    assert!(known >= 31, "{out}");
    assert!(
        out.contains(&format!("0 applied, {known} pending")),
        "{out}"
    );
    // Asking changed nothing: still all pending.
    let again = text(&server(&dir, "a.db", &["migrate", "--status"]));
    assert!(
        again.contains(&format!("0 applied, {known} pending")),
        "{again}"
    );

    let migrated = server(&dir, "a.db", &["migrate"]);
    assert!(migrated.status.success(), "{}", text(&migrated));
    let after = text(&server(&dir, "a.db", &["migrate", "--status"]));
    assert!(
        after.contains(&format!("{known} applied, 0 pending")),
        "{after}"
    );
    assert!(
        after.contains("applied  m20261129_000001_create_jurisdictions"),
        "{after}"
    );
}

#[test]
fn backup_export_and_restore_from_the_command_line() {
    let dir = temp_dir();
    let seeded = server(&dir, "live.db", &["seed"]);
    assert!(seeded.status.success(), "{}", text(&seeded));

    let copy = dir.join("copy.db");
    let backup = server(&dir, "live.db", &["backup", "--to", copy.to_str().unwrap()]);
    assert!(backup.status.success(), "{}", text(&backup));
    assert!(copy.exists());
    let twice = server(&dir, "live.db", &["backup", "--to", copy.to_str().unwrap()]);
    assert!(!twice.status.success());
    assert!(text(&twice).contains("exists"), "{}", text(&twice));

    let export = dir.join("export");
    let out = server(
        &dir,
        "live.db",
        &["export", "--to", export.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(export.join("manifest.json").exists());

    let restored = server(
        &dir,
        "new.db",
        &["restore", "--from", export.to_str().unwrap()],
    );
    assert!(restored.status.success(), "{}", text(&restored));
    assert!(
        text(&restored).contains("agreements"),
        "{}",
        text(&restored)
    );
    // Into the database it came from: refused, with the reason.
    let refused = server(
        &dir,
        "live.db",
        &["restore", "--from", export.to_str().unwrap()],
    );
    assert!(!refused.status.success());
    assert!(text(&refused).contains("not empty"), "{}", text(&refused));
}

#[test]
fn json_logs_are_one_object_a_line() {
    let dir = temp_dir();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("serve")
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .env("CONCORD_DATA_DIR", &dir)
        .env(
            "DATABASE_URL",
            format!("sqlite://{}?mode=rwc", dir.join("j.db").display()),
        )
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("CONCORD_LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");
    // This server's own word that it listens (not some other process that
    // took the port in between), then one request answered by it: its
    // signal handler is installed once it serves.
    let stdout = child.stdout.take().expect("stdout");
    let (said, heard) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if line.contains("listening") {
                let _ = said.send(());
            }
        }
    });
    heard
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the server says it listens");
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    {
        use std::io::{Read, Write};
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .expect("request");
        let mut answer = String::new();
        let _ = s.read_to_string(&mut answer);
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    }
    // SIGTERM: the server logs that it shuts down, and stops.
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let out = child.wait_with_output().expect("the server stops");
    let logs = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = logs.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(!lines.is_empty(), "no log lines on stderr");
    for line in &lines {
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(
            v["timestamp"].is_string() && v["level"].is_string(),
            "{line}"
        );
    }
    assert!(
        lines.iter().any(|l| l.contains("\"shutting down\"")),
        "{logs}"
    );
}
