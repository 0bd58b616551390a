#!/usr/bin/env bash
# HTTP benchmark (issue 18): builds the release site (precompressed, hashed
# files), seeds the demo portfolio into a fresh SQLite file, serves it, and
# runs wrk (32 connections, 10 s a line after 1 s of warming up, 2 threads)
# against the pages and
# the API beside an axum "hello world" built alongside as the ceiling. Then
# prints the bytes each page costs a first visit, as the browser gets them
# (the HTML gzipped by the server, the files' gzip and brotli copies).
#
# Run: ./scripts/bench-http.sh          (BENCH_SECONDS=10 BENCH_CONNECTIONS=32)
# The release wasm is split at each page (scripts/release.sh, --split): a
# page's first load is its HTML plus every /pkg file the HTML names (the
# stylesheet, the main JS and wasm, the split loader and the page's parts,
# which the server lists as preloads).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
seconds=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-32}

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk >/dev/null
fi

scripts/release.sh

work=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port); hello_port=$(free_port)
export LEPTOS_SITE_ADDR="127.0.0.1:$port" CONCORD_DATA_DIR="$work" DATABASE_URL="sqlite://$work/bench.db?mode=rwc"
./target/release/server seed >/dev/null
./target/release/server serve >"$work/server.log" 2>&1 &
server_pid=$!
./target/release/server hello-ceiling --listen "127.0.0.1:$hello_port" &
hello_pid=$!
trap 'kill $server_pid $hello_pid 2>/dev/null || true; rm -rf "$work"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

token=$(curl -fsS -X POST "$base/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"email":"oversight@concord.example","password":"concord-demo-2026"}' |
  sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || { echo "could not sign in" >&2; exit 1; }
cookie="Cookie: concord_session=$token"
bearer="Authorization: Bearer $token"
wasm=$(ls target/site/pkg/ | grep -E '^concord.*\.wasm$' | head -1)
js=$(ls target/site/pkg/ | grep -E '^concord.*\.js$' | head -1)
css=$(ls target/site/pkg/ | grep -E '^concord.*\.css$' | head -1)

# One wrk line: name, URL, then headers.
bench() {
  local name=$1 url=$2; shift 2
  local args=() h
  for h in "$@"; do args+=(-H "$h"); done
  local out
  # One second first, not counted: a server that has been up a while has
  # its answers kept and its connections open.
  wrk -t2 -c"$connections" -d1s "${args[@]}" "$url" >/dev/null
  out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "${args[@]}" "$url")
  local rate p50 p99 non2xx
  rate=$(echo "$out" | awk '/Requests\/sec/ {printf "%d", $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  printf '| %-44s | %9s/s | %9s | %9s |%s\n' "$name" "$rate" "$p50" "$p99" "${non2xx:+ $non2xx non-2xx!}"
}

echo
echo "wrk: $connections connections, ${seconds} s a line, 2 threads, release build, demo portfolio"
printf '| %-44s | %11s | %9s | %9s |\n' request throughput p50 p99
printf '|%s|%s|%s|%s|\n' "----------------------------------------------" "-------------" "-----------" "-----------"
bench 'axum hello world (ceiling)' "http://127.0.0.1:$hello_port/"
bench '/healthz' "$base/healthz"
bench 'GET /api/v1/agreements' "$base/api/v1/agreements" "$bearer"
bench 'GET /api/v1/agreements/1' "$base/api/v1/agreements/1" "$bearer"
bench '/agreements/1 (page)' "$base/agreements/1" "$cookie" 'Accept-Encoding: gzip, br'
bench '/overview (executive home)' "$base/overview" "$cookie" 'Accept-Encoding: gzip, br'
bench "/pkg/$wasm (gzip asked)" "$base/pkg/$wasm" 'Accept-Encoding: gzip'
bench "/pkg/$wasm (br asked)" "$base/pkg/$wasm" 'Accept-Encoding: gzip, deflate, br'

size() { stat -c %s "$1"; }
echo
echo "Main files (bytes): $wasm $(size "target/site/pkg/$wasm") raw, $(size "target/site/pkg/$wasm.gz") gzip, $(size "target/site/pkg/$wasm.br") brotli;" \
  "$js $(size "target/site/pkg/$js.gz") gzip; $css $(size "target/site/pkg/$css.gz") gzip;" \
  "$(ls target/site/pkg/*.wasm | wc -l) wasm files in all"
echo
echo "A first visit, in KB (1,000 bytes) as sent: the page's HTML (gzip) + every /pkg file it names"
printf '| %-24s | %9s | %5s | %13s | %15s |\n' page 'HTML gzip' files 'total (gzip)' 'total (brotli)'
printf '|%s|%s|%s|%s|%s|\n' "--------------------------" "-----------" "-------" "---------------" "-----------------"
for page in /sign-in / /agreements/1 /overview /benchmarks /agreements/1/cost-model /reporting; do
  auth="$cookie"
  [ "$page" = /sign-in ] && auth='X-No-Session: 1'
  body=$(mktemp)
  html=$(curl -fsS -o "$body" -w '%{size_download}' -H 'Accept-Encoding: gzip' -H "$auth" "$base$page")
  files=$(gzip -dc "$body" 2>/dev/null | grep -o '/pkg/[A-Za-z0-9_.-]*' | sort -u || true)
  rm -f "$body"
  gz=0; br=0; n=0
  for f in $files; do
    path="target/site$f"
    [ -f "$path.gz" ] || continue
    gz=$(( gz + $(size "$path.gz") )); br=$(( br + $(size "$path.br") )); n=$(( n + 1 ))
  done
  awk -v p="$page" -v h="$html" -v n="$n" -v g="$gz" -v b="$br" \
    'BEGIN { printf "| %-24s | %9.1f | %5d | %13.1f | %15.1f |\n", p, h/1000, n, (h+g)/1000, (h+b)/1000 }'
done
