//! The layers depend one way (issue 17):
//!
//! ```text
//! domain ← wire ← backend (services) ← server_fns ← ui
//!                        ↖ server's rest (REST handlers)
//! ```
//!
//! read off the source: every `crate::…` path in a module of the `app`
//! crate, and every `app::…` path in the server's REST handlers, must name
//! a module its layer may use. A new import against the grain fails here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Each top-level module of `app` and the modules it may use (itself
/// included).
const APP_LAYERS: &[(&str, &[&str])] = &[
    ("clock", &["clock"]),
    ("domain", &["domain"]),
    ("wire", &["wire", "domain"]),
    ("i18n", &["i18n", "domain"]),
    ("backend", &["backend", "wire", "domain", "clock"]),
    (
        "server_fns",
        &["server_fns", "backend", "wire", "domain", "clock"],
    ),
    (
        "ui",
        &["ui", "server_fns", "wire", "domain", "i18n", "clock"],
    ),
];

/// What the REST handlers may use of `app`: never a server function or a
/// page.
const REST_USES: &[&str] = &["backend", "wire", "domain", "clock"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The first segment of every `{root}::…` path in `source`, comments
/// included (a doc link against the grain is a dependency too), and of
/// each item of a `use {root}::{a, b::c}` group.
fn modules_named(source: &str, root: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let needle = format!("{root}::");
    let mut rest = source;
    while let Some(at) = rest.find(&needle) {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + needle.len()..];
        // `my_app::` or `self.app::` are not this root.
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            for item in inner.split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.insert(name);
        }
    }
    out
}

fn wrong_uses(dir: &Path, root: &str, allowed: &[&str]) -> Vec<String> {
    let mut files = Vec::new();
    if dir.is_dir() {
        rust_files(dir, &mut files);
    } else {
        files.push(dir.with_extension("rs"));
    }
    let mut wrong = Vec::new();
    for file in files {
        let source = std::fs::read_to_string(&file).expect("source");
        for name in modules_named(&source, root) {
            if !allowed.contains(&name.as_str()) {
                wrong.push(format!("{} uses {root}::{name}", file.display()));
            }
        }
    }
    wrong
}

#[test]
fn each_layer_uses_only_the_layers_beneath_it() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    for (module, allowed) in APP_LAYERS {
        wrong.extend(wrong_uses(&src.join(module), "crate", allowed));
    }
    let rest = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../server/src/rest");
    wrong.extend(wrong_uses(&rest, "app", REST_USES));
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn every_module_of_the_crate_has_its_layer() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("lib.rs");
    for line in lib.lines() {
        if let Some(name) = line
            .trim()
            .strip_prefix("pub mod ")
            .and_then(|n| n.strip_suffix(';'))
        {
            assert!(
                APP_LAYERS.iter().any(|(m, _)| *m == name),
                "module {name} has no layer in APP_LAYERS"
            );
        }
    }
}

#[test]
fn paths_are_read_with_their_groups() {
    let got = modules_named(
        "use crate::{domain::X, wire::y};\nlet a = crate::backend::f();\nmy_crate::ui::g()",
        "crate",
    );
    let want: BTreeSet<String> = ["backend", "domain", "wire"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    assert_eq!(got, want);
}
