#!/usr/bin/env bash
# Sets up, builds and serves Concord with an embedded SQLite database and the
# demo portfolio: the first of the README's two commands.
#
#   ./scripts/run.sh             a debug build (quicker to build)
#   ./scripts/run.sh --release   the production build of scripts/release.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--release" ]; then
  scripts/release.sh
  server=./target/release/server
else
  scripts/setup.sh
  export PATH="$HOME/.cargo/bin:$PATH"
  cargo leptos build --split
  server=./target/debug/server
fi
# Migrates and loads the demo portfolio; a second run changes nothing.
"$server" seed

addr="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
cat <<MSG

  Concord is starting on http://$addr
  Demo portfolio loaded from fixtures/ (sample data).

  Demo accounts (password for all: concord-demo-2026 — demo only):
    admin@concord.example           administrator
    oversight@concord.example       executive, sees every agreement
    manager@servicecanada.example   partnership manager, Service Canada
    executive@accessns.example      executive, Access Nova Scotia
    reporter@accessns.example       reporter, Access Nova Scotia
    (all accounts: fixtures/users.csv)

  Stop it with Ctrl-C.

MSG
exec "$server" serve
