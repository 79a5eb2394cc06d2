#!/usr/bin/env bash
# Measures the release binary and prints figures; it asserts nothing. On a temp data dir and
# a free loopback port: (a) time from spawn to the first 200 from GET /healthz, 5 runs on
# fresh empty data dirs (min, median); (b) resident memory after start-up and 3 s idle;
# (c) throughput and latency of an authenticated GraphQL `{ me { id email role } }` under
# `wrk -t2 -c32 -d10s`, then resident memory after that load; (d) monitoring: a second
# Ployer (with its own Caddy) runs 20 applications (IMAGE strategy, busybox httpd, default
# health check every 10 s, stats every 15 s); once all are running and healthy, its
# resident memory (target <= 30 MB) and the CPU it used over 60 s from /proc/<pid>/stat
# utime+stime, then the same with monitoring idle (health checks hourly, stats daily): the
# difference is monitoring's share (target < 1% of one core); dockerd's CPU for context.
# (d) needs Docker and caddy. Also says how much of server/link-order.txt the build matches.
# Extra arguments go to `ployer start` (for (a)-(c)).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# With default config Ployer starts Caddy itself when no admin API answers at 127.0.0.1:2019;
# turn that off so these figures measure Ployer alone (scripts/bench-deploy.sh covers the stack).
export PLOYER_START_CADDY=false

say() { printf 'bench: %s\n' "$*"; }
die() { printf 'bench: ERROR: %s\n' "$*" >&2; exit 1; }

scripts/setup.sh --with-test-fixtures

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
# Idle memory depends on the start-up code being laid out together (server/build.rs): say how
# much of server/link-order.txt this build still has (scripts/link-order.sh renews it).
if [ -s server/link-order.txt ] && command -v nm >/dev/null 2>&1; then
  listed=$(grep -c . server/link-order.txt)
  found=$(nm --defined-only "$BIN" 2>/dev/null | awk '{ print $3 }' | grep -cxFf server/link-order.txt || true)
  say "link order: $found of the $listed functions in server/link-order.txt are in this build"
fi

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

# --- (d) monitoring 20 running applications ------------------------------------------------
kill "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
server_pid=""
python3 - "$BIN" "$work" <<'PY'
import json, os, signal, socket, subprocess, sys, time, urllib.request

binary, work = sys.argv[1], sys.argv[2]
APPS, SETTLE_S, WINDOW_S = 20, 30, 60
IMAGE = f"ployer-bench/httpd:{os.getpid()}"
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

def say(message):
    print(f"bench: {message}", flush=True)

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout

def ticks(pid):
    # Fields after the command (which may hold spaces): utime and stime are 14 and 15.
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])

def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")

def dockerd_pid():
    try:
        with open("/var/run/docker.pid") as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None

class Server:
    """A Ployer with its own Caddy and data dir, in its own session (stopped with its Caddy)."""

    def __init__(self, name, extra_env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/graphql"
        self.token = None
        self.app_ids = []
        self.log_path = os.path.join(work, f"{name}.log")
        log = open(self.log_path, "wb")
        env = dict(os.environ, PLOYER_START_CADDY="true",
                   PLOYER_CADDY_ADMIN=f"http://127.0.0.1:{free_port()}",
                   PLOYER_PROXY_HTTP_LISTEN=f"127.0.0.1:{free_port()}", **extra_env)
        self.proc = subprocess.Popen(
            [binary, "start", "--listen", f"127.0.0.1:{self.port}", "--data-dir", os.path.join(work, name)],
            env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
        deadline = time.time() + 60
        while True:
            try:
                with opener.open(f"http://127.0.0.1:{self.port}/healthz", timeout=1):
                    break
            except OSError:
                if self.proc.poll() is not None or time.time() > deadline:
                    self.fail("the server did not start")
                time.sleep(0.1)

    def fail(self, message):
        self.stop()
        with open(self.log_path, "rb") as f:
            tail = [l for l in f.read().decode(errors="replace").splitlines() if "<unknown>" not in l][-20:]
        sys.exit(f"bench: ERROR: {message}; last lines of its log:\n" + "\n".join(tail))

    def gql(self, query, variables=None):
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        request = urllib.request.Request(
            self.url, data=json.dumps({"query": query, "variables": variables or {}}).encode(), headers=headers)
        with opener.open(request, timeout=30) as response:
            reply = json.load(response)
        if reply.get("errors"):
            self.fail("GraphQL: " + json.dumps(reply["errors"]))
        return reply["data"]

    def deploy_apps(self, health_interval):
        self.token = self.gql("mutation($i: RegisterInput!){ register(input:$i){ token } }",
                              {"i": {"email": "bench@example.com", "password": "monitoring-figures-9"}})["register"]["token"]
        for n in range(APPS):
            app = self.gql("mutation($i: CreateApplicationInput!){ createApplication(input:$i){ application { id } } }",
                           {"i": {"name": f"bench-{n:02d}", "buildStrategy": "IMAGE", "image": IMAGE, "port": 8080}})
            self.app_ids.append(app["createApplication"]["application"]["id"])
            if health_interval:
                self.gql("mutation($i: ConfigureHealthCheckInput!){ configureHealthCheck(input:$i){ healthCheck { path } } }",
                         {"i": {"applicationId": self.app_ids[-1], "intervalSeconds": health_interval}})
        for app_id in self.app_ids:
            self.gql("mutation($i: DeployInput!){ deploy(input:$i){ deployment { id } } }", {"i": {"applicationId": app_id}})
        started = time.time()
        query = "{ applications(first: 100) { edges { node { status health { status } } } } }"
        while True:
            nodes = [e["node"] for e in self.gql(query)["applications"]["edges"]]
            healthy = sum(1 for n in nodes if n["status"] == "RUNNING" and n["health"]["status"] == "HEALTHY")
            if healthy == APPS:
                return time.time() - started
            if time.time() - started > 600:
                self.fail(f"only {healthy} of {APPS} applications running and healthy after 600 s")
            time.sleep(1)

    def measure(self):
        """(RSS MB, CPU % of one core over the window, dockerd's CPU % or None)."""
        time.sleep(SETTLE_S)
        hz = os.sysconf("SC_CLK_TCK")
        dockerd = dockerd_pid()
        docker_before = ticks(dockerd) if dockerd else 0
        before, t0 = ticks(self.proc.pid), time.monotonic()
        time.sleep(WINDOW_S)
        after, elapsed = ticks(self.proc.pid), time.monotonic() - t0
        docker_cpu = (ticks(dockerd) - docker_before) / hz / elapsed * 100 if dockerd else None
        return rss_mb(self.proc.pid), (after - before) / hz / elapsed * 100, docker_cpu

    def stop(self):
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for app_id in self.app_ids:
            ids = run("docker", "ps", "-aq", "--filter", f"label=ployer.app={app_id}").split()
            if ids:
                subprocess.run(["docker", "rm", "-f", *ids], capture_output=True)

build = os.path.join(work, "httpd-image")
os.makedirs(build)
with open(os.path.join(build, "Dockerfile"), "w") as f:
    f.write("FROM ployer-test/busybox:latest\n"
            "RUN mkdir -p /www && echo ok > /www/index.html\n"
            "CMD [\"sh\", \"-c\", \"trap 'exit 0' TERM; httpd -f -p 8080 -h /www & wait\"]\n")
run("docker", "build", "-q", "-t", IMAGE, build)
try:
    # Monitoring at its defaults: a health check every 10 s per app, stats every 15 s.
    server = Server("monitored", {})
    try:
        took = server.deploy_apps(health_interval=None)
        say(f"{APPS} applications (IMAGE {IMAGE}) running and healthy {took:.1f} s after the deploys; "
            f"settling {SETTLE_S} s, then measuring {WINDOW_S} s")
        rss, cpu, docker_cpu = server.measure()
        sample = server.gql("query($id: ID!){ application(id:$id){ healthResults(first: 100){ edges { cursor } } "
                            "stats { samples { cpuPercent } } } }", {"id": server.app_ids[0]})["application"]
    finally:
        server.stop()
    # The same with monitoring idle (health every hour, stats every day): what remains is the
    # rest of Ployer (reconciler passes, route checks), so the difference is monitoring's.
    server = Server("idle", {"PLOYER_STATS_INTERVAL_SECONDS": "86400"})
    try:
        server.deploy_apps(health_interval=3600)
        _, idle_cpu, idle_docker_cpu = server.measure()
    finally:
        server.stop()
finally:
    subprocess.run(["docker", "rmi", "-f", IMAGE], capture_output=True)

verdict = lambda ok: "met" if ok else "MISSED"
share = max(cpu - idle_cpu, 0.0)
say(f"monitoring {APPS} apps: RSS {rss:.1f} MB (target <= 30 MB: {verdict(rss <= 30)})")
say(f"monitoring {APPS} apps: CPU over {WINDOW_S} s: monitoring's share {share:.2f}% of one core "
    f"(target < 1%: {verdict(share < 1)}); the whole process {cpu:.2f}%, of which {idle_cpu:.2f}% "
    f"with monitoring idle (reconciler, route checks)")
if docker_cpu is not None and idle_docker_cpu is not None:
    say(f"  for context, dockerd: {docker_cpu:.2f}% of one core with monitoring, {idle_docker_cpu:.2f}% without")
say(f"  one app after the window: {len(sample['healthResults']['edges'])} health results, "
    f"{len(sample['stats']['samples'])} stats samples in the last hour")
PY
