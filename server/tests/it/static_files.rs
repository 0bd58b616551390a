//! The site's static files (issue 18): the precompressed copy the browser
//! accepts, sent as it is; a year's caching for hashed names, even for a
//! signed-in browser; revalidation for names that stay the same; a missing
//! file that no cache keeps; and, where no copy was built, compression on
//! the fly as before.

use crate::common::{TEST_SECRET, client, sqlite_database};
use std::path::PathBuf;

const FOREVER: &str = "public, max-age=31536000, immutable";

/// A built site with one hashed wasm file and its two copies (marked by
/// their contents, so the test sees which one was sent), and a stylesheet
/// with no copies.
fn site() -> PathBuf {
    let root = std::env::temp_dir().join(format!(
        "concord-site-{}-{}",
        std::process::id(),
        crate::common::unique("s")
    ));
    let pkg = root.join("pkg");
    std::fs::create_dir_all(&pkg).expect("a temporary site");
    std::fs::write(pkg.join("concord.Ab9_x.wasm"), b"\0asm raw").unwrap();
    std::fs::write(pkg.join("concord.Ab9_x.wasm.gz"), b"gzip copy").unwrap();
    std::fs::write(pkg.join("concord.Ab9_x.wasm.br"), b"brotli copy").unwrap();
    std::fs::write(
        pkg.join("concord.css"),
        "main { color: black; }\n".repeat(100),
    )
    .unwrap();
    root
}

/// A server over a fresh database and a fresh [`site`] (`hashed`: its names
/// carry hashes); the site's folder and the server's base URL.
async fn serve_site(hashed: bool) -> (PathBuf, String) {
    let root = site();
    let t = sqlite_database().await;
    let base = server::router::serve_site_locally(
        t.db.clone(),
        TEST_SECRET,
        root.to_str().unwrap(),
        hashed,
    )
    .await;
    (root, base)
}

async fn fetch(
    url: &str,
    headers: &[(&str, &str)],
) -> (u16, Option<String>, Option<String>, Vec<u8>) {
    let mut request = client().get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let r = request.send().await.expect("an answer");
    let header = |name: &str| {
        r.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let (encoding, cache) = (header("content-encoding"), header("cache-control"));
    assert_eq!(header("vary").as_deref(), Some("accept-encoding"), "{url}");
    (
        r.status().as_u16(),
        encoding,
        cache,
        r.bytes().await.unwrap().to_vec(),
    )
}

#[tokio::test]
async fn hashed_files_are_sent_precompressed_and_kept_a_year() {
    let (root, base) = serve_site(true).await;
    let wasm = format!("{base}/pkg/concord.Ab9_x.wasm");

    let (status, encoding, cache, body) =
        fetch(&wasm, &[("accept-encoding", "gzip, deflate, br")]).await;
    assert_eq!(status, 200);
    assert_eq!(encoding.as_deref(), Some("br"));
    assert_eq!(cache.as_deref(), Some(FOREVER));
    assert_eq!(body, b"brotli copy", "the brotli copy, as it is");

    let (_, encoding, _, body) = fetch(&wasm, &[("accept-encoding", "gzip")]).await;
    assert_eq!(encoding.as_deref(), Some("gzip"));
    assert_eq!(body, b"gzip copy", "the gzip copy, not compressed again");

    let (_, encoding, cache, body) = fetch(&wasm, &[("accept-encoding", "identity")]).await;
    assert_eq!(encoding, None);
    assert_eq!(body, b"\0asm raw");
    assert_eq!(cache.as_deref(), Some(FOREVER));

    // The same file for everyone: a signed-in browser may keep it too.
    let (_, _, cache, _) = fetch(
        &wasm,
        &[
            ("accept-encoding", "br"),
            ("cookie", "concord_session=anything"),
        ],
    )
    .await;
    assert_eq!(cache.as_deref(), Some(FOREVER));

    // A file that is not there is a 404 that no cache keeps.
    let (status, _, cache, _) = fetch(&format!("{base}/pkg/concord.Zz.wasm"), &[]).await;
    assert_eq!(status, 404);
    assert_ne!(cache.as_deref(), Some(FOREVER));

    // Without a built copy (a debug build), compressed on the fly as before.
    let (status, encoding, _, _) = fetch(
        &format!("{base}/pkg/concord.css"),
        &[("accept-encoding", "gzip")],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(encoding.as_deref(), Some("gzip"));
    std::fs::remove_dir_all(root).ok();
}

#[tokio::test]
async fn files_whose_names_stay_the_same_are_checked_each_time() {
    let (root, base) = serve_site(false).await;
    let (status, _, cache, _) = fetch(&format!("{base}/pkg/concord.css"), &[]).await;
    assert_eq!(status, 200);
    assert_eq!(cache.as_deref(), Some("no-cache"));
    std::fs::remove_dir_all(root).ok();
}
