#!/usr/bin/env bash
# What the metrics and the audit log cost on the API's hot path, measured in one run: the
# requests per second of an authenticated GraphQL `{ me { id email role } }` under
# `wrk -t2 -c32`, against two release servers running side by side: one with both on (the
# defaults), one with both off (PLOYER_METRICS_ENABLED=false PLOYER_AUDIT_LOG_ENABLED=false).
# ROUNDS rounds (default 8) of SECONDS_EACH seconds (default 5) on each, alternating which
# goes first, so drift in the machine's load hits both alike. Prints each round, the medians
# and the median of the rounds' costs in percent, in throughput and in the server's CPU time
# per request (from /proc/PID/stat; steadier than throughput on a busy machine) (target
# <= 5 %); it asserts nothing.
# Then, when valgrind is installed, the figure a busy machine cannot blur: the instructions
# the server executes per `{ me }` request (callgrind, counting only inside the HTTP
# connection tasks: no timers, no idle worker threads), 2,000 sequential requests after 100
# of warm-up, each mode twice. `PLOYER_BIN=path` measures that binary instead of building one;
# CALLGRIND=0 skips the callgrind part.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

export PLOYER_START_CADDY=false
ROUNDS=${ROUNDS:-8}
SECONDS_EACH=${SECONDS_EACH:-5}

say() { printf 'bench-observe: %s\n' "$*"; }
die() { printf 'bench-observe: ERROR: %s\n' "$*" >&2; exit 1; }

command -v wrk >/dev/null 2>&1 || die "wrk is not installed (scripts/setup.sh installs it)"
if [ -n "${PLOYER_BIN:-}" ]; then
  BIN=$(realpath "$PLOYER_BIN")
else
  say "cargo build --release -p ployer-server"
  cargo build --release -p ployer-server
  BIN=$(realpath "${CARGO_TARGET_DIR:-target}/release/ployer")
fi

umask 077 # the temp dir holds session tokens
work=$(mktemp -d -t ployer-bench-observe.XXXXXX)
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ "$status" -ne 0 ]; then
    tail -n 20 "$work"/server-*.log >&2 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Starts a server on fresh data ($1: on|off), registers, and writes its wrk script to
# $work/$1.lua; leaves its address in $work/$1.base.
start_server() {
  local mode=$1 port base data token
  port=$(free_port)
  base="http://127.0.0.1:$port"
  data=$(mktemp -d -p "$work" "data-$mode.XXXXXX")
  if [ "$mode" = off ]; then
    PLOYER_METRICS_ENABLED=false PLOYER_AUDIT_LOG_ENABLED=false \
      "$BIN" start --listen "127.0.0.1:$port" --data-dir "$data" </dev/null >"$work/server-$mode.log" 2>&1 &
  else
    "$BIN" start --listen "127.0.0.1:$port" --data-dir "$data" </dev/null >"$work/server-$mode.log" 2>&1 &
  fi
  pids+=("$!")
  echo "$!" >"$work/$mode.pid"
  for _ in $(seq 600); do
    curl -fsS --noproxy '*' -o /dev/null "$base/healthz" 2>/dev/null && break
    sleep 0.1
  done
  # shellcheck disable=SC2016 # $i is a GraphQL variable
  local register='{"query":"mutation($i: RegisterInput!){ register(input:$i){ token } }","variables":{"i":{"email":"bench@example.com","password":"load-test-secret-97"}}}'
  token=$(curl -sS --noproxy '*' -X POST "$base/graphql" -H 'Content-Type: application/json' -d "$register" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["data"]["register"]["token"])') ||
    die "register failed ($mode)"
  cat >"$work/$mode.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"query":"{ me { id email role } }"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
LUA
  echo "$base" >"$work/$mode.base"
  wrk -t2 -c32 -d2s -s "$work/$mode.lua" "$base/graphql" >/dev/null # warm-up
}

# CPU time (user + system, clock ticks) the server $1 has used so far.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$(cat "$work/$1.pid")/stat"; }

# "requests/sec:cpu microseconds per request" of `{ me }` against server $1 (on|off) over
# $2 seconds. CPU per request barely moves with what else the machine runs; throughput does.
measure() {
  local before after
  before=$(cpu_ticks "$1")
  wrk -t2 -c32 "-d$2s" -s "$work/$1.lua" "$(cat "$work/$1.base")/graphql" >"$work/wrk.txt"
  after=$(cpu_ticks "$1")
  awk -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" '
    /requests in/ { requests = $1 }
    /^Requests\/sec:/ { rps = $2 }
    END { printf "%s:%.1f", rps, ticks / hz * 1e6 / requests }' "$work/wrk.txt"
}

# Both servers run side by side (one idles while the other is measured); the rounds
# alternate which goes first, so drift in the machine's load hits both alike.
start_server off
start_server on
results=()
for round in $(seq "$ROUNDS"); do
  if [ $((round % 2)) -eq 1 ]; then order="off on"; else order="on off"; fi
  declare -A rps=()
  for mode in $order; do rps[$mode]=$(measure "$mode" "$SECONDS_EACH"); done
  say "round $round: off ${rps[off]%%:*} req/s, ${rps[off]#*:} µs CPU/req; on ${rps[on]%%:*} req/s, ${rps[on]#*:} µs CPU/req"
  results+=("${rps[off]}|${rps[on]}")
  unset rps
done

python3 - "${results[@]}" <<'PY'
import statistics, sys
# Each argument: off_rps:off_cpu_us:on_rps:on_cpu_us (the two measures of one round).
rounds = [tuple(float(v) for v in arg.replace("|", ":").split(":")) for arg in sys.argv[1:]]
med = lambda i: statistics.median(r[i] for r in rounds)
rps_cost = statistics.median((r[0] - r[2]) / r[0] * 100 for r in rounds)
cpu_cost = statistics.median((r[3] - r[1]) / r[1] * 100 for r in rounds)
print(f"bench-observe: {{ me }} medians: off {med(0):.0f} req/s, {med(1):.1f} µs CPU/req; "
      f"on {med(2):.0f} req/s, {med(3):.1f} µs CPU/req")
print(f"bench-observe: cost of metrics and audit (median of the rounds): throughput {rps_cost:.1f} %, "
      f"CPU per request {cpu_cost:.1f} % (target <= 5 %)")
PY

# --- instructions per request, under callgrind ----------------------------------------------
if [ "${CALLGRIND:-1}" = 0 ] || ! command -v valgrind >/dev/null 2>&1; then
  exit 0
fi
for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
pids=()
cat >"$work/load.py" <<'PY'
import http.client, json, sys
port, token, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
body = json.dumps({"query": "{ me { id email role } }"})
headers = {"Content-Type": "application/json", "Authorization": "Bearer " + token}
for _ in range(count):
    conn.request("POST", "/graphql", body, headers)
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        sys.exit(f"bench-observe: ERROR: {response.status} under callgrind")
PY
# Instructions per request of mode $1 (on|off) under callgrind.
instructions() {
  local mode=$1 port base data pid token out
  port=$(free_port)
  base="http://127.0.0.1:$port"
  data=$(mktemp -d -p "$work" "cg-$mode.XXXXXX")
  out="$work/callgrind-$mode.out"
  local -a env=()
  if [ "$mode" = off ]; then env=(PLOYER_METRICS_ENABLED=false PLOYER_AUDIT_LOG_ENABLED=false); fi
  env "${env[@]}" valgrind --tool=callgrind --collect-atstart=no '--toggle-collect=*axum::serve::handle_connection*' \
    --callgrind-out-file="$out" "$BIN" start --listen "127.0.0.1:$port" --data-dir "$data" \
    </dev/null >"$work/server-cg-$mode.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 1200); do
    curl -fsS --noproxy '*' -o /dev/null "$base/healthz" 2>/dev/null && break
    sleep 0.1
  done
  # shellcheck disable=SC2016 # $i is a GraphQL variable
  local register='{"query":"mutation($i: RegisterInput!){ register(input:$i){ token } }","variables":{"i":{"email":"bench@example.com","password":"load-test-secret-97"}}}'
  token=$(curl -sS --noproxy '*' -X POST "$base/graphql" -H 'Content-Type: application/json' -d "$register" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["data"]["register"]["token"])') ||
    die "register failed under callgrind ($mode)"
  python3 "$work/load.py" "$port" "$token" 100
  callgrind_control -z "$pid" >/dev/null
  python3 "$work/load.py" "$port" "$token" 2000
  callgrind_control -d "$pid" >/dev/null
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  awk '/^summary:/ { printf "%.0f", $2 / 2000 }' "$out".1
}
cg=()
for round in 1 2; do
  for mode in off on; do
    ir=$(instructions "$mode")
    say "callgrind round $round, metrics and audit $mode: $ir instructions per request"
    cg+=("$mode:$ir")
  done
done
python3 - "${cg[@]}" <<'PY'
import statistics, sys
values = {"off": [], "on": []}
for arg in sys.argv[1:]:
    mode, ir = arg.split(":")
    values[mode].append(float(ir))
off, on = statistics.mean(values["off"]), statistics.mean(values["on"])
print(f"bench-observe: instructions per {{ me }} request (callgrind, mean of 2): off {off:.0f}, on {on:.0f}; "
      f"cost of metrics and audit: {(on - off) / off * 100:.1f} % (target <= 5 %)")
PY
