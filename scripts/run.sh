#!/usr/bin/env bash
# Sets up, builds and serves Concord with an embedded SQLite database and the
# demo portfolio: the first of the README's two commands.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"

cargo leptos build
# Migrates and loads the demo portfolio; a second run changes nothing.
./target/debug/server seed

addr="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
cat <<MSG

  Concord is starting on http://$addr
  Demo portfolio loaded from fixtures/ (sample data).
  Stop it with Ctrl-C.

MSG
exec ./target/debug/server serve
