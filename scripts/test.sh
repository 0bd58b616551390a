#!/usr/bin/env bash
# Sets up and runs every check: formatting, clippy for the server (ssr) and
# browser (hydrate) builds, all Rust tests, the site build and the Playwright
# journeys — then the Rust tests and the journeys again with the calendar
# moved about fourteen months ahead, so that no test can pass only on the day
# it was written. The second of the README's two commands; `.ci/run` calls it.
# Database tests also run against PostgreSQL when TEST_DATABASE_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
# Each step says when it starts (seconds since the start), so that a slow
# run shows where the time went.
step() { printf '\n\033[1m==> [%ss] %s\033[0m\n' "$(( $(date +%s) - started ))" "$*"; }

step "setup (tools installed only when missing)"
scripts/setup.sh --test
export PATH="$HOME/.cargo/bin:$PATH"

# The second pass runs the test programs and the server under Debian's
# faketime, 425 days ahead of the real date (Chromium keeps the real clock:
# the pages must follow the server's). Monotonic clocks are left alone so
# that timers behave.
MOVED="+425d"
moved() { FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "$MOVED" "$@"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (server: ssr)"
cargo clippy --workspace --all-targets -- -D warnings

step "clippy (browser: hydrate, wasm32)"
cargo clippy -p app --lib --target wasm32-unknown-unknown --no-default-features --features hydrate -- -D warnings

step "cargo test (SQLite${TEST_DATABASE_URL:+ and PostgreSQL})"
cargo test --workspace
# The test programs just built, each with its package's directory (cargo
# runs them from there), for the second pass. Listed now: asked after the
# site build, cargo would rebuild the server binary without the names
# cargo-leptos compiles into it. Doc tests hold no dates.
programs=$(mktemp)
cargo test --workspace --no-run --message-format=json 2>/dev/null | python3 -c '
import json, os, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("profile", {}).get("test") and m.get("executable"):
        print(os.path.dirname(m["manifest_path"]), m["executable"])
' >"$programs"

step "cargo leptos build --split"
cargo leptos build --split

# Seeds the demo into SQLite once, serves a copy of it per Playwright
# worker (journeys change data: two running side by side must not share a
# database) and runs every journey; `$1` is a command to run the servers
# under ("" or "moved"), `$2` where screenshots go.
E2E_WORKERS=${E2E_WORKERS:-2}
journeys() {
  local under=$1 shots=$2 work port i urls=""
  e2e_pids=""
  work=$(mktemp -d)
  CONCORD_DATA_DIR="$work/0" DATABASE_URL="sqlite://$work/e2e.db?mode=rwc" \
    $under ./target/debug/server seed >/dev/null
  trap "for p in \$e2e_pids; do kill -- -\$p 2>/dev/null || true; done; rm -rf '$work'" EXIT
  for i in $(seq 1 "$E2E_WORKERS"); do
    # The database with its write-ahead log, if the seed left one.
    for f in "$work"/e2e.db*; do cp "$f" "${f/e2e.db/e2e-$i.db}"; done
    mkdir -p "$work/$i"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    # In a process group of its own (job control on for this one job):
    # under faketime the server is a grandchild of the job, and stopping
    # the group stops the wrapper and the server together.
    set -m
    LEPTOS_SITE_ADDR="127.0.0.1:$port" CONCORD_DATA_DIR="$work/$i" \
      DATABASE_URL="sqlite://$work/e2e-$i.db?mode=rwc" \
      $under ./target/debug/server serve >"$work/server-$i.log" 2>&1 &
    e2e_pids="$e2e_pids $!"
    set +m
    urls="${urls:+$urls,}http://127.0.0.1:$port"
    for _ in $(seq 1 100); do
      curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
      sleep 0.2
    done
  done
  (cd end2end && CONCORD_URLS="$urls" CONCORD_SCREENSHOTS="$shots" npx playwright test) || {
    for i in $(seq 1 "$E2E_WORKERS"); do echo "--- server $i log ---"; tail -50 "$work/server-$i.log"; done
    exit 1
  }
  for p in $e2e_pids; do kill -- -"$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
  trap - EXIT
}

step "end-to-end (Playwright, headless Chromium), today: $(date -u +%F)"
journeys "" screenshots

step "cargo test again, the calendar moved $MOVED: $(moved date -u +%F)"
while read -r dir program; do
  (cd "$dir" && moved "$program" -q) || { echo "failed with the calendar moved: $program"; exit 1; }
done <"$programs"
rm -f "$programs"

step "end-to-end again, the server's calendar moved $MOVED"
journeys moved screenshots/moved

step "all checks passed in $(( $(date +%s) - started ))s"
