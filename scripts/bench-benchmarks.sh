#!/usr/bin/env bash
# Builds the large synthetic portfolio (server generate) in a fresh SQLite
# file with a release build, serves it, and times GET /api/v1/benchmarks for
# each grouping: 20 requests each, printing the median and the 95th
# percentile. Issue 7's target: under 200 ms at the 95th percentile.
#   scripts/bench-benchmarks.sh [AGREEMENTS] [YEARS]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
agreements=${1:-2000}
years=${2:-5}
cargo build --release -p server >/dev/null
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export DATABASE_URL="sqlite://$work/bench.db?mode=rwc" CONCORD_DATA_DIR="$work" LEPTOS_SITE_ADDR="127.0.0.1:$port" RUST_LOG=warn
./target/release/server seed >/dev/null
./target/release/server generate --agreements "$agreements" --years "$years" --seed 2026
./target/release/server serve >"$work/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
token=$(curl -s "http://127.0.0.1:$port/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"email":"oversight@concord.example","password":"concord-demo-2026"}' | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')
for q in "group_by=agreement" "group_by=structure" "group_by=boundary" "group_by=kpi" "group_by=agreement&kpi=in_person_wait_min"; do
  for _ in $(seq 1 20); do
    curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/benchmarks?$q"
  done | sort -n | awk -v q="$q" '{t[NR]=$1} END {printf "%-45s median %6.0f ms   p95 %6.0f ms\n", q, t[int(NR/2)+1]*1000, t[int(NR*0.95)]*1000}'
done
