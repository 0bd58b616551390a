#!/usr/bin/env bash
# Sets up and runs every check: formatting, clippy for the server (ssr) and
# browser (hydrate) builds, all Rust tests, the site build and the Playwright
# journeys. The second of the README's two commands; `.ci/run` calls it.
# Database tests also run against PostgreSQL when TEST_DATABASE_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
started=$(date +%s)

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (server: ssr)"
cargo clippy --workspace --all-targets -- -D warnings

step "clippy (browser: hydrate, wasm32)"
cargo clippy -p app --lib --target wasm32-unknown-unknown --no-default-features --features hydrate -- -D warnings

step "cargo test (SQLite${TEST_DATABASE_URL:+ and PostgreSQL})"
cargo test --workspace

step "cargo leptos build"
cargo leptos build

step "end-to-end (Playwright, headless Chromium)"
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export LEPTOS_SITE_ADDR="127.0.0.1:$port" CONCORD_DATA_DIR="$work" DATABASE_URL="sqlite://$work/e2e.db?mode=rwc"
./target/debug/server seed >/dev/null
./target/debug/server serve >"$work/server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
(cd end2end && CONCORD_URL="http://127.0.0.1:$port" npx playwright test) || {
  echo "--- server log ---"; tail -50 "$work/server.log"; exit 1;
}

step "all checks passed in $(( $(date +%s) - started ))s"
