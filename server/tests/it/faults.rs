//! Faults (issue 19): a server told to stop (SIGTERM) while requests are
//! in flight finishes them before it exits, and none fails. (A server
//! killed mid-import: `imports.rs`.)

use crate::common::*;
use std::io::{Read, Write};
use std::time::Duration;

/// A CSV upload sent in two halves, `pause` apart: in flight for that long.
fn slow_upload(port: u16, token: &str, csv: &str, pause: Duration) -> (u16, String) {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    let head = format!(
        "POST /api/v1/reports/import HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
         Authorization: Bearer {token}\r\nContent-Type: text/csv\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        csv.len()
    );
    let (first, rest) = csv.split_at(csv.len() / 2);
    s.write_all(head.as_bytes()).expect("headers");
    s.write_all(first.as_bytes()).expect("first half");
    s.flush().expect("flush");
    std::thread::sleep(pause);
    s.write_all(rest.as_bytes()).expect("second half");
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, answer)
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_lets_the_requests_in_flight_finish() {
    init_logs();
    let dir = std::env::temp_dir()
        .join("concord-tests")
        .join(unique("sigterm"));
    std::fs::create_dir_all(&dir).expect("dir");
    let url = format!("sqlite://{}?mode=rwc", dir.join("t.db").display());
    process::seed(&dir, &url, &fixtures_dir());
    let mut server = process::serve(&dir, &url);
    process::wait_healthy(&server.base).await;
    let reporter = login(&server.base, who::REPORTER_ACCESSNS).await;
    let last = last_report(&server.base, &reporter).await;
    let csv = format!(
        "commitment_id,period,value,numerator,denominator,volume,comment\n{},{},{},,,,sent while stopping\n",
        last.commitment_id, last.period, last.value
    );
    let db = app::backend::db::connect(&url).await.expect("db");
    let before = count(&db, "service_level_reports").await;

    // Eight uploads, each half sent; the signal; then the other halves.
    let uploads: Vec<_> = (0..8)
        .map(|_| {
            let (port, token, csv) = (server.port, reporter.clone(), csv.clone());
            std::thread::spawn(move || slow_upload(port, &token, &csv, Duration::from_millis(1500)))
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let term = std::process::Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .expect("kill");
    assert!(term.success());
    for u in uploads {
        let (status, answer) = u.join().expect("upload");
        assert_eq!(status, 201, "an upload in flight failed: {answer}");
    }
    let exit = server.child.wait().expect("the server stops");
    assert!(exit.success(), "{exit:?}");
    assert_eq!(count(&db, "service_level_reports").await, before + 8);
    // It stopped: nothing listens any more.
    assert!(std::net::TcpStream::connect(("127.0.0.1", server.port)).is_err());
    db.close().await.expect("close");
    let _ = std::fs::remove_dir_all(dir);
}

/// A TCP relay to PostgreSQL that the test can cut and restore: cut, it
/// drops every open connection and refuses new ones, as a stopped server.
struct Relay {
    addr: std::net::SocketAddr,
    up: std::sync::Arc<std::sync::atomic::AtomicBool>,
    links: std::sync::Arc<std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>>,
}

impl Relay {
    async fn to(target: String) -> Relay {
        use std::sync::atomic::Ordering;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let addr = listener.local_addr().expect("address");
        let up = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let links = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (up2, links2) = (up.clone(), links.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if !up2.load(Ordering::SeqCst) {
                    drop(inbound);
                    continue;
                }
                let target = target.clone();
                let link = tokio::spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                links2.lock().unwrap().push(link);
            }
        });
        Relay { addr, up, links }
    }

    fn cut(&self) {
        self.up.store(false, std::sync::atomic::Ordering::SeqCst);
        for link in self.links.lock().unwrap().drain(..) {
            link.abort();
        }
    }

    fn restore(&self) {
        self.up.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_stopped_while_serving_gives_503s_and_concord_recovers_by_itself() {
    if std::env::var_os("TEST_DATABASE_URL").is_none() {
        eprintln!("TEST_DATABASE_URL is not set: this test needs PostgreSQL");
        return;
    }
    let Some(t) = seeded_databases()
        .await
        .into_iter()
        .find(|t| t.name == "postgres")
    else {
        return;
    };
    // host:port of the test database's URL, between '@' (or "//") and the
    // next '/'.
    let pg = t.url.clone();
    let rest = pg.split_once("://").expect("a URL").1;
    let authority = rest.split('/').next().expect("authority");
    let host_port = authority.rsplit('@').next().expect("host");
    let relay = Relay::to(host_port.to_owned()).await;
    let through = pg.replacen(host_port, &relay.addr.to_string(), 1);
    let mut opts = sea_orm::ConnectOptions::new(through);
    opts.set_schema_search_path(t.schema.clone().expect("schema"))
        .max_connections(5)
        .acquire_timeout(Duration::from_secs(5))
        .connect_timeout(Duration::from_secs(3))
        .sqlx_logging(false);
    let db = sea_orm::Database::connect(opts)
        .await
        .expect("through the relay");
    let base = spawn(db).await;
    let token = login(&base, who::OVERSIGHT).await;
    let agreements = format!("{base}/api/v1/agreements");
    assert_eq!(get_as(&format!("{base}/healthz"), None).await.0, 200);
    assert_eq!(get_as(&agreements, Some(&token)).await.0, 200);

    relay.cut();
    let started = std::time::Instant::now();
    let (status, body) = get_as(&format!("{base}/healthz"), None).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["error"]["code"], "unavailable");
    let (status, body) = get_as(&agreements, Some(&token)).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["error"]["code"], "unavailable", "{body}");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "answered in {:?}, not held",
        started.elapsed()
    );

    relay.restore();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let health = get_as(&format!("{base}/healthz"), None).await.0;
        let read = get_as(&agreements, Some(&token)).await.0;
        if (health, read) == (200, 200) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "not recovered: /healthz {health}, agreements {read}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
