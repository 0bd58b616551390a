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

/// Each module of the crate, as its path (`["backend", "services",
/// "negotiation", "drafting"]`), with its source.
fn crate_modules(src: &Path) -> Vec<(Vec<String>, String)> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files
        .into_iter()
        .map(|file| {
            let relative = file
                .strip_prefix(src)
                .expect("under src")
                .with_extension("");
            let mut path: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if path.last().is_some_and(|l| l == "mod" || l == "lib") {
                path.pop();
            }
            let source = std::fs::read_to_string(&file).expect("source");
            (path, source)
        })
        .collect()
}

/// Every `crate::…`, `super::…` or `self::…` path in `source` (whole-line
/// comments aside), with the items of `use` groups spelled out:
/// `use super::{a, b::{c, d}}` gives `super::a`, `super::b::c`,
/// `super::b::d`.
fn paths_in(source: &str) -> Vec<Vec<String>> {
    let code: String = source
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let chars: Vec<char> = code.chars().collect();
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts = ["crate::", "super::", "self::"]
            .iter()
            .any(|p| code_at(&chars, i, p))
            && (i == 0 || !(ident(chars[i - 1]) || chars[i - 1] == ':'));
        if starts {
            i = read_path(&chars, i, Vec::new(), &mut out);
        } else {
            i += 1;
        }
    }
    out
}

fn code_at(chars: &[char], i: usize, text: &str) -> bool {
    text.chars()
        .enumerate()
        .all(|(k, c)| chars.get(i + k) == Some(&c))
}

/// Reads one path (with its groups) from `i`, pushing each full path to
/// `out`; returns where it ended.
fn read_path(
    chars: &[char],
    mut i: usize,
    mut prefix: Vec<String>,
    out: &mut Vec<Vec<String>>,
) -> usize {
    let skip_space = |i: &mut usize| {
        while chars.get(*i).is_some_and(|c| c.is_whitespace()) {
            *i += 1;
        }
    };
    loop {
        skip_space(&mut i);
        if chars.get(i) == Some(&'{') {
            i += 1;
            loop {
                skip_space(&mut i);
                match chars.get(i) {
                    Some('}') => return i + 1,
                    Some(',') => i += 1,
                    None => return i,
                    _ => {
                        let before = i;
                        i = read_path(chars, i, prefix.clone(), out);
                        if i == before {
                            i += 1;
                        }
                    }
                }
            }
        }
        let start = i;
        while chars
            .get(i)
            .is_some_and(|c| c.is_alphanumeric() || *c == '_')
        {
            i += 1;
        }
        if i > start {
            prefix.push(chars[start..i].iter().collect());
        }
        if code_at(chars, i, "::") {
            i += 2;
            continue;
        }
        // `a as b` renames only.
        skip_space(&mut i);
        if code_at(chars, i, "as ") {
            i += 3;
            skip_space(&mut i);
            while chars
                .get(i)
                .is_some_and(|c| c.is_alphanumeric() || *c == '_')
            {
                i += 1;
            }
        }
        if !prefix.is_empty() {
            out.push(prefix);
        }
        return i;
    }
}

/// The module a path names: the longest prefix that is a module.
fn module_of(me: &[String], path: &[String], modules: &BTreeSet<Vec<String>>) -> Vec<String> {
    let mut full: Vec<String> = Vec::new();
    let mut segments = path.iter().peekable();
    match segments.peek().map(|s| s.as_str()) {
        Some("crate") => {
            segments.next();
        }
        _ => full.extend(me.iter().cloned()),
    }
    for segment in segments {
        match segment.as_str() {
            "super" => {
                full.pop();
            }
            "self" => {}
            _ => full.push(segment.clone()),
        }
    }
    (0..=full.len())
        .rev()
        .map(|k| full[..k].to_vec())
        .find(|prefix| modules.contains(prefix))
        .unwrap_or_default()
}

/// The uses between sibling modules: `a::b::c` using `a::d::e` is `a::b`
/// using `a::d`. A module using its own ancestors' or descendants' items
/// is not counted: a parent holds what its children share, and re-exports
/// what they offer.
fn sibling_uses(src: &Path) -> BTreeSet<(Vec<String>, Vec<String>)> {
    let modules = crate_modules(src);
    let known: BTreeSet<Vec<String>> = modules.iter().map(|(p, _)| p.clone()).collect();
    let mut edges = BTreeSet::new();
    for (me, source) in &modules {
        for path in paths_in(source) {
            let target = module_of(me, &path, &known);
            let common = me.iter().zip(&target).take_while(|(a, b)| a == b).count();
            if common == me.len() || common == target.len() {
                continue;
            }
            edges.insert((me[..=common].to_vec(), target[..=common].to_vec()));
        }
    }
    edges
}

#[test]
fn no_module_cycle_remains() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let edges = sibling_uses(&src);
    let uses = |from: &Vec<String>| -> Vec<&Vec<String>> {
        edges
            .iter()
            .filter(|(a, _)| a == from)
            .map(|(_, b)| b)
            .collect()
    };
    let mut cycles = Vec::new();
    for (from, to) in &edges {
        // Is there a way back from `to` to `from`?
        let mut seen = BTreeSet::new();
        let mut stack = vec![vec![to.clone()]];
        while let Some(way) = stack.pop() {
            let last = way.last().expect("non-empty").clone();
            if &last == from {
                let names: Vec<String> = std::iter::once(from)
                    .chain(way.iter())
                    .map(|m| m.join("::"))
                    .collect();
                cycles.push(names.join(" → "));
                break;
            }
            if seen.insert(last.clone()) {
                for next in uses(&last) {
                    let mut longer = way.clone();
                    longer.push(next.clone());
                    stack.push(longer);
                }
            }
        }
    }
    assert!(cycles.is_empty(), "module cycles:\n{}", cycles.join("\n"));
}

#[test]
fn sibling_uses_are_read_through_groups_and_super() {
    let got =
        paths_in("use super::{a, b::{c, d as e}};\nlet x = crate::f::g(1);\n// crate::comment\n");
    let want: Vec<Vec<String>> = vec![
        vec!["super", "a"],
        vec!["super", "b", "c"],
        vec!["super", "b", "d"],
        vec!["crate", "f", "g"],
    ]
    .into_iter()
    .map(|p| p.into_iter().map(str::to_owned).collect())
    .collect();
    assert_eq!(got, want);
}
