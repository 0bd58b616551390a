#!/usr/bin/env bash
# Load test (issue 19): the release build under the traffic of its three
# kinds of users at once, on SQLite and on PostgreSQL, beside an axum
# "hello world" built alongside (the same run, for scale).
#
# For LOAD_SECONDS (60) five wrk processes run side by side, 64 connections
# in all, one a kind of request, so that each kind gets its own rate and
# percentiles while the server sees the mix. Each connection is a user,
# who waits between requests as people and partners' systems do (the think
# time, drawn between half and one and a half times its mean; LOAD_THINK=0
# sends back to back, which only measures the queue):
#   kind        conns  think  what
#   pages          24  50 ms  an executive's portfolio (/) and agreement pages in turn
#   agreement      12  50 ms  a manager's agreement pages, another each request
#   benchmarks     12 100 ms  GET /api/v1/benchmarks, grouped by agreement, over a year
#   reports        12 100 ms  POST /api/v1/reports: a partner's system sending a report
#   sign-ins        4   1 s   POST /api/v1/auth/login (argon2: the costliest request)
# Targets: no errors (every answer 2xx, no socket error), p99 under 250 ms,
# the server's peak memory (VmHWM) at most 250 MB.
#
# Run: ./scripts/load-test.sh   (LOAD_SECONDS=60; LOAD_PG_ADMIN_URL, default
# postgres://postgres@127.0.0.1:5432/postgres, where a scratch database is
# created and dropped; LOAD_DATABASES="sqlite postgres")
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${LOAD_SECONDS:-60}
think=${LOAD_THINK:-1}
databases=${LOAD_DATABASES:-sqlite postgres}
pg_admin=${LOAD_PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk >/dev/null
fi
# LOAD_BUILD=0 uses the release already built (scripts/release.sh).
if [ "${LOAD_BUILD:-1}" != 0 ]; then scripts/release.sh >/dev/null; fi

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The Lua of one kind of request: a GET of one path, or a POST of a body.
lua_get() { # file, header lines...
  local f=$1; shift
  { echo 'wrk.method = "GET"'; for h in "$@"; do echo "wrk.headers[\"${h%%:*}\"] = \"${h#*: }\""; done; } >"$f"
}
lua_post() { # file, body, header lines...
  local f=$1 body=$2; shift 2
  {
    echo 'wrk.method = "POST"'
    printf 'wrk.body = [[%s]]\n' "$body"
    echo 'wrk.headers["Content-Type"] = "application/json"'
    for h in "$@"; do echo "wrk.headers[\"${h%%:*}\"] = \"${h#*: }\""; done
  } >"$f"
}
# Pages: the portfolio, then agreement pages in turn, as a browser session.
lua_pages() { # file, cookie, ids...
  local f=$1 cookie=$2; shift 2
  cat >"$f" <<LUA
wrk.headers["Cookie"] = "$cookie"
wrk.headers["Accept-Encoding"] = "gzip, br"
local paths = { "/" $(for i in "$@"; do printf ', "/agreements/%s"' "$i"; done) }
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
LUA
}
lua_rotate() { # file, header, prefix, ids...
  local f=$1 header=$2 prefix=$3; shift 3
  cat >"$f" <<LUA
wrk.headers["${header%%:*}"] = "${header#*: }"
wrk.headers["Accept-Encoding"] = "gzip, br"
local ids = { $(printf '%s, ' "$@") }
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "$prefix" .. ids[(n % #ids) + 1])
end
LUA
}

# Appends the think time to a Lua file: before each request the connection
# waits between half and one and a half times the mean (ms), drawn afresh
# each time. A fixed wait would keep connections that started together in
# step for the whole run, arriving in bursts (four sign-ins at once, every
# second), as people and systems that come and go independently do not.
think_time() { # file, mean ms
  if [ "$think" != 0 ]; then
    printf 'math.randomseed(%s)\ndelay = function() return math.random(%s, %s) end\n' "$RANDOM" \
      $(($2 / 2)) $(($2 * 3 / 2)) >>"$1"
  fi
}

# One run of the mix against base URL $1; prints a table row per kind.
# $2: the server's pid (for its peak memory), or 0.
run_mix() {
  local base=$1 pid=$2 label=$3
  local out="$work/out-$label"
  mkdir -p "$out"
  wrk -t1 -c24 -d"${seconds}s" --latency -s "$work/pages.lua" "$base" >"$out/pages" 2>&1 &
  local w1=$!
  wrk -t1 -c12 -d"${seconds}s" --latency -s "$work/agreement.lua" "$base" >"$out/agreement" 2>&1 &
  local w2=$!
  wrk -t1 -c12 -d"${seconds}s" --latency -s "$work/benchmarks.lua" \
    "$base/api/v1/benchmarks?group_by=agreement&from=$from&to=$to" >"$out/benchmarks" 2>&1 &
  local w3=$!
  wrk -t1 -c12 -d"${seconds}s" --latency -s "$work/reports.lua" "$base/api/v1/reports" >"$out/reports" 2>&1 &
  local w4=$!
  wrk -t1 -c4 -d"${seconds}s" --latency -s "$work/signin.lua" "$base/api/v1/auth/login" >"$out/sign-ins" 2>&1 &
  local w5=$!
  wait $w1 $w2 $w3 $w4 $w5
  local kind
  for kind in pages agreement benchmarks reports sign-ins; do
    awk -v kind="$kind" -v label="$label" '
      /Requests\/sec/ {rate=$2}
      $1=="50%" {p50=$2} $1=="90%" {p90=$2} $1=="99%" {p99=$2}
      /Non-2xx/ {bad=$5}
      /Socket errors/ {sock=$0; sub(/.*Socket errors: /, "", sock)}
      /requests in/ {n=$1}
      END {printf "| %-10s | %-10s | %8s | %9.0f/s | %9s | %9s | %9s | %s |\n", label, kind, n, rate, p50, p90, p99, (bad=="" && sock=="") ? "none" : "non-2xx " (bad==""?0:bad) (sock==""?"":", socket " sock)}
    ' "$out/$kind"
  done
  if [ "$pid" != 0 ]; then
    echo "|            | peak memory (VmHWM) of the server: $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' /proc/"$pid"/status) |"
  fi
}

header() {
  printf '| %-10s | %-10s | %8s | %11s | %9s | %9s | %9s | %s |\n' database kind requests throughput p50 p90 p99 errors
  echo "|------------|------------|----------|-------------|-----------|-----------|-----------|--------|"
}

echo
echo "Load test: release build, demo portfolio, ${seconds} s, 64 connections in five kinds (wrk, 1 thread each)," \
  "think time $([ "$think" = 0 ] && echo none || echo 'on'), $(nproc) cores"
header
for database in $databases; do
  port=$(free_port)
  case $database in
    sqlite) url="sqlite://$work/load.db?mode=rwc" ;;
    postgres)
      name="concord_load_$$"
      psql "$pg_admin" -qc "DROP DATABASE IF EXISTS $name" >/dev/null
      psql "$pg_admin" -qc "CREATE DATABASE $name" >/dev/null
      url="${pg_admin%/*}/$name"
      ;;
  esac
  export LEPTOS_SITE_ADDR="127.0.0.1:$port" CONCORD_DATA_DIR="$work" DATABASE_URL="$url"
  ./target/release/server seed >/dev/null
  ./target/release/server serve >"$work/server-$database.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  base="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

  sign_in() {
    curl -fsS -X POST "$base/api/v1/auth/login" -H 'content-type: application/json' \
      -d "{\"email\":\"$1\",\"password\":\"concord-demo-2026\"}"
  }
  executive=$(sign_in oversight@concord.example | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  manager=$(sign_in manager@servicecanada.example | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  read -r reporter org <<<"$(sign_in reporter@accessns.example | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["token"], d["user"]["organisation_id"])')"
  ids=$(curl -fsS -H "Authorization: Bearer $executive" "$base/api/v1/agreements" |
    python3 -c 'import json,sys; print(" ".join(str(a["id"]) for a in json.load(sys.stdin)["items"]))')
  # The reporter's report: a commitment of its organisation and a period it
  # has reported, sent again (each is the next revision).
  read -r commitment period value <<<"$(python3 - "$base" "$reporter" "$org" <<'PY'
import json, sys, urllib.request
base, token, org = sys.argv[1], sys.argv[2], int(sys.argv[3])
def get(path):
    req = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + token})
    return json.load(urllib.request.urlopen(req))
for a in get("/api/v1/agreements")["items"]:
    mine = {c["id"] for c in get(f"/api/v1/agreements/{a['id']}")["commitments"] if c["organisation_id"] == org}
    items = [i for i in get(f"/api/v1/agreements/{a['id']}/compliance")["items"]
             if i["commitment_id"] in mine and i["value"] is not None]
    if items:
        i = items[-1]
        print(i["commitment_id"], i["period"], i["value"])
        break
PY
)"
  to=$(date -u -d "$(date -u +%Y-%m-01) -1 day" +%Y-%m)
  from=$(date -u -d "$(date -u +%Y-%m-01) -12 months" +%Y-%m)

  managed=$(curl -fsS -H "Authorization: Bearer $manager" "$base/api/v1/agreements" |
    python3 -c 'import json,sys; print(" ".join(str(a["id"]) for a in json.load(sys.stdin)["items"]))')
  lua_pages "$work/pages.lua" "concord_session=$executive" $ids
  lua_rotate "$work/agreement.lua" "Cookie: concord_session=$manager" "/agreements/" $managed
  lua_get "$work/benchmarks.lua" "Authorization: Bearer $manager"
  lua_post "$work/reports.lua" "{\"commitment_id\":$commitment,\"period\":\"$period\",\"value\":\"$value\",\"comment\":\"load test\"}" \
    "Authorization: Bearer $reporter"
  lua_post "$work/signin.lua" '{"email":"executive@accessns.example","password":"concord-demo-2026"}'
  think_time "$work/pages.lua" 50
  think_time "$work/agreement.lua" 50
  think_time "$work/benchmarks.lua" 100
  think_time "$work/reports.lua" 100
  think_time "$work/signin.lua" 1000

  run_mix "$base" "$server_pid" "$database"
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  if [ "$database" = postgres ]; then
    psql "$pg_admin" -qc "DROP DATABASE IF EXISTS $name" >/dev/null 2>&1 || true
  fi
done

# The same mix against the hello world, which answers every request alike.
hello_port=$(free_port)
./target/release/server hello-ceiling --listen "127.0.0.1:$hello_port" &
hello_pid=$!
pids+=("$hello_pid")
sleep 0.5
run_mix "http://127.0.0.1:$hello_port" "$hello_pid" hello
