#!/usr/bin/env bash
# Measures the release binary and prints figures; it asserts nothing. On a temp data dir and
# a free loopback port: (a) time from spawn to the first 200 from GET /healthz, 5 runs on
# fresh empty data dirs (min, median); (b) resident memory after start-up and 3 s idle;
# (c) throughput and latency of an authenticated GraphQL `{ me { id email role } }` under
# `wrk -t2 -c32 -d10s`, then resident memory after that load.
# Extra arguments go to `ployer start`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# With default config Ployer starts Caddy itself when no admin API answers at 127.0.0.1:2019;
# turn that off so these figures measure Ployer alone (scripts/bench-deploy.sh covers the stack).
export PLOYER_START_CADDY=false

say() { printf 'bench: %s\n' "$*"; }
die() { printf 'bench: ERROR: %s\n' "$*" >&2; exit 1; }

scripts/setup.sh

# setup.sh may have just installed Rust; its PATH change doesn't reach this shell.
cargo_home="${CARGO_HOME:-${HOME:-/root}/.cargo}"
if ! command -v cargo >/dev/null 2>&1; then export PATH="$cargo_home/bin:$PATH"; fi

say "cargo build --release -p ployer-server"
cargo build --release -p ployer-server
BIN=$(realpath "${CARGO_TARGET_DIR:-target}/release/ployer")

umask 077 # the temp dir holds a session token
work=$(mktemp -d -t ployer-bench.XXXXXX)
server_pid=""
cleanup() {
  local status=$?
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ] && [ -s "$work/server.log" ]; then
    echo "bench: last lines of the server log:" >&2
    tail -n 20 "$work/server.log" >&2
  fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
rss_mb() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
# POSTs GraphQL request body $1 (JSON) to the server, with extra curl arguments after it.
graphql() {
  local body=$1
  shift
  curl -sS --noproxy '*' -X POST "$base/graphql" -H 'Content-Type: application/json' "$@" -d "$body"
}

say "binary: $BIN ($(stat -c %s "$BIN" | awk '{ printf "%.1f", $1 / 1048576 }') MB)"

# --- (a) start-up time ---------------------------------------------------------------------
python3 - "$BIN" "$work" "$@" <<'PY'
import http.client, os, socket, statistics, subprocess, sys, tempfile, time

binary, work, extra = sys.argv[1], sys.argv[2], sys.argv[3:]
RUNS, TIMEOUT_S, POLL_S = 5, 60, 0.003

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def healthy(port):
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        conn.request("GET", "/healthz")
        ok = conn.getresponse().status == 200
        conn.close()
        return ok
    except OSError:
        return False

def fail(message, log_path):
    with open(log_path, "rb") as log:
        tail = log.read().decode(errors="replace").splitlines()[-20:]
    sys.exit("bench: ERROR: " + message + "\n" + "\n".join(tail))

times_ms = []
for run in range(RUNS):
    data_dir = tempfile.mkdtemp(dir=work, prefix=f"startup-{run}-")
    port = free_port()
    log_path = os.path.join(work, f"startup-{run}.log")
    with open(log_path, "wb") as log:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [binary, "start", "--listen", f"127.0.0.1:{port}", "--data-dir", data_dir, *extra],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        try:
            while not healthy(port):
                if proc.poll() is not None:
                    fail(f"server exited with {proc.returncode} during start-up", log_path)
                if time.perf_counter() - started > TIMEOUT_S:
                    fail(f"no 200 from /healthz within {TIMEOUT_S} s", log_path)
                time.sleep(POLL_S)
            times_ms.append((time.perf_counter() - started) * 1000)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

runs = ", ".join(f"{t:.1f}" for t in times_ms)
print(f"bench: start-up to first 200 /healthz ({RUNS} fresh data dirs): "
      f"min {min(times_ms):.1f} ms, median {statistics.median(times_ms):.1f} ms  [{runs}]")
PY

# --- (b) memory at idle --------------------------------------------------------------------
port=$(free_port)
base="http://127.0.0.1:$port"
mkdir "$work/data"
"$BIN" start --listen "127.0.0.1:$port" --data-dir "$work/data" "$@" \
  </dev/null >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 600); do
  curl -fsS --noproxy '*' -o /dev/null "$base/healthz" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || die "server exited during start-up"
  sleep 0.1
done
curl -fsS --noproxy '*' -o /dev/null "$base/healthz" || die "no 200 from $base/healthz within 60 s"
sleep 3
say "RSS after start-up and 3 s idle: $(rss_mb "$server_pid") MB"

# --- (c) authenticated GraphQL under load --------------------------------------------------
# shellcheck disable=SC2016 # \$i is a GraphQL variable, not a shell one
register='{"query":"mutation($i: RegisterInput!){ register(input:$i){ token } }","variables":{"i":{"email":"bench@example.com","password":"load-test-secret-97"}}}'
token=$(graphql "$register" | python3 -c '
import json, sys
try:
    reply = json.load(sys.stdin)
except ValueError:
    sys.exit("bench: ERROR: register: the reply is not JSON")
token = ((reply.get("data") or {}).get("register") or {}).get("token")
if not token:
    sys.exit("bench: ERROR: register failed: " + json.dumps(reply.get("errors")))
print(token)') || exit 1

me='{"query":"{ me { id email role } }"}'
graphql "$me" -H "Authorization: Bearer $token" | python3 -c '
import json, sys
try:
    reply = json.load(sys.stdin)
except ValueError:
    sys.exit("bench: ERROR: me query: the reply is not JSON")
me = (reply.get("data") or {}).get("me") or {}
if me.get("email") != "bench@example.com":
    sys.exit("bench: ERROR: me query failed: " + json.dumps(reply.get("errors")))' || exit 1
say "registered bench@example.com; me query answers"

cat >"$work/me.lua" <<LUA
wrk.method = "POST"
wrk.body = '$me'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
LUA
say "wrk -t2 -c32 -d10s --latency POST /graphql { me { id email role } }"
wrk -t2 -c32 -d10s --latency -s "$work/me.lua" "$base/graphql" >"$work/wrk.txt"
sed 's/^/  /' "$work/wrk.txt"
rps=$(awk '/^Requests\/sec:/ { print $2 }' "$work/wrk.txt")
latency=$(awk '$1 == "Latency" && $2 != "Distribution" { print "avg " $2 ", stdev " $3 ", max " $4 }' "$work/wrk.txt")
percentiles=$(awk '$1 == "50%" || $1 == "90%" || $1 == "99%" { printf "%sp%s %s", sep, substr($1, 1, 2), $2; sep = ", " }' "$work/wrk.txt")
say "requests/sec: $rps; latency $latency; $percentiles"
say "RSS after load: $(rss_mb "$server_pid") MB"
