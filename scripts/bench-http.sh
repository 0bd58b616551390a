#!/usr/bin/env bash
# HTTP benchmark (issue 18): builds the release site (precompressed, hashed
# files), seeds the demo portfolio into a fresh SQLite file, serves it, and
# runs wrk (32 connections, 10 s a line after 1 s of warming up, 2 threads)
# against the pages and the API beside an axum "hello world" built alongside
# as the ceiling. Then
# prints the bytes each page costs a first visit, as the browser gets them
# (the HTML gzipped by the server, the files' gzip and brotli copies).
#
# Run: ./scripts/bench-http.sh          (BENCH_SECONDS=10 BENCH_CONNECTIONS=32)
# The release wasm is split at each page (scripts/release.sh, --split): a
# page's first load is its HTML, the main JS, wasm and CSS, the split
# loader, and the page's own parts as the split manifest lists them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
seconds=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-32}

# wrk drives the load; zopfli makes the release's gzip copies (release.sh).
missing=""
command -v wrk >/dev/null 2>&1 || missing="$missing wrk"
command -v zopfli >/dev/null 2>&1 || missing="$missing zopfli"
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  # shellcheck disable=SC2086
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq $missing >/dev/null
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
echo "A first visit, in KB (1,000 bytes) as sent: the page's HTML (gzip), the main wasm, JS, CSS and"
echo "split loader, and the page's own wasm parts (listed in the split manifest)"
printf '| %-26s | %9s | %5s | %13s | %15s |\n' page 'HTML gzip' files 'total (gzip)' 'total (brotli)'
printf '|%s|%s|%s|%s|%s|\n' "----------------------------" "-----------" "-------" "---------------" "-----------------"
# Each page and its lazy route (app/src/ui/lazy_pages.rs), in snake case.
for entry in /sign-in:sign_in /:portfolio /agreements/1:agreement /overview:overview /benchmarks:benchmarks \
  /reporting:reporting /agreements/1/compliance:compliance /agreements/1/costs:costs \
  /agreements/1/cost-model:cost_model; do
  page=${entry%%:*} route=${entry#*:}
  auth="$cookie"
  [ "$page" = /sign-in ] && auth='X-No-Session: 1'
  html=$(curl -fsS -o /dev/null -w '%{size_download}' -H 'Accept-Encoding: gzip' -H "$auth" "$base$page")
  python3 - "$page" "$route" "$html" <<'PY'
import glob, json, os, sys
page, route, html = sys.argv[1], sys.argv[2], int(sys.argv[3])
pkg = "target/site/pkg"
manifest = json.load(open("target/site/split-manifest.json"))
[key] = [k for k in manifest if k.startswith(f"__{route}_view_")]
names = [f"{pkg}/{h}.wasm" for h in manifest[key]]
names += glob.glob(f"{pkg}/concord.*.wasm") + glob.glob(f"{pkg}/concord.*.js")
names += glob.glob(f"{pkg}/concord.*.css") + glob.glob(f"{pkg}/__wasm_split.*.js")
gz = sum(os.path.getsize(n + ".gz") for n in names)
br = sum(os.path.getsize(n + ".br") for n in names)
print(f"| {page:<26} | {html/1000:9.1f} | {len(names):5d} | {(html+gz)/1000:13.1f} | {(html+br)/1000:15.1f} |")
PY
done
