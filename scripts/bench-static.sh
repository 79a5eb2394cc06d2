#!/usr/bin/env bash
# Measures what static sites cost and prints figures; it asserts nothing. Ployer (release
# build, temp data dir, free loopback ports, its own Caddy) serves 100 static sites from one
# repository served by git-daemon. Figures: resident memory of Ployer and of Caddy (VmRSS)
# with no site, then with the 100 sites deployed and after 10 s at rest — the difference is
# what 100 sites cost (target <= 30 MB); how long the 100 deploys took; that every site
# answers through Caddy; and that no container runs for any of them.
# Usage: scripts/bench-static.sh   (BENCH_SITES=N for another number of sites;
#        BENCH_BIN=path/to/ployer to measure another build, e.g. target/debug/ployer)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf 'bench-static: %s\n' "$*"; }
die() { printf 'bench-static: ERROR: %s\n' "$*" >&2; exit 1; }

scripts/setup.sh --with-test-fixtures

cargo_home="${CARGO_HOME:-${HOME:-/root}/.cargo}"
if ! command -v cargo >/dev/null 2>&1; then export PATH="$cargo_home/bin:$PATH"; fi

if [ -n "${BENCH_BIN:-}" ]; then
  BIN=$(realpath "$BENCH_BIN")
else
  say "cargo build --release -p ployer-server"
  cargo build --release -p ployer-server
  BIN=$(realpath "${CARGO_TARGET_DIR:-target}/release/ployer")
fi
SITES=${BENCH_SITES:-100}
[[ $SITES =~ ^[0-9]+$ ]] && [ "$SITES" -gt 0 ] || die "BENCH_SITES must be a positive number"

umask 077 # the temp dir holds a session token
work=$(mktemp -d -t ployer-bench-static.XXXXXX)
chmod 755 "$work" # git-daemon reads from it
server_pid=""
daemon_pid=""

cleanup() {
  local status=$?
  set +e
  if [ -n "$server_pid" ]; then
    # Ployer runs in its own process group (setsid) with its Caddy child: stop the group.
    kill -TERM -- "-$server_pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
  if [ "$status" -ne 0 ] && [ -s "$work/server.log" ]; then
    echo "bench-static: last lines of the server log:" >&2
    tail -n 30 "$work/server.log" >&2
  fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
rss_kb() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status"; }
mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }

# --- the site's repository -----------------------------------------------------------------
git_port=$(free_port)
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
src="$work/src"
mkdir -p "$src/public/assets" "$work/repos"
echo '<!doctype html><title>bench</title><h1>static bench</h1>' >"$src/public/index.html"
head -c 20000 /dev/urandom | base64 >"$src/public/assets/app.js"
git -C "$src" init -q -b main
git -C "$src" add -A
git -C "$src" commit -q -m "a static site"
git clone -q --bare "$src" "$work/repos/site.git"
"$(git --exec-path)/git-daemon" --export-all --base-path="$work/repos" --listen=127.0.0.1 \
  --port="$git_port" --reuseaddr >"$work/git-daemon.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 100); do
  git ls-remote "git://127.0.0.1:$git_port/site.git" >/dev/null 2>&1 && break
  sleep 0.1
done
git ls-remote "git://127.0.0.1:$git_port/site.git" >/dev/null || die "git-daemon does not answer"

# --- Ployer --------------------------------------------------------------------------------
port=$(free_port)
proxy_port=$(free_port)
caddy_admin_port=$(free_port)
base="http://127.0.0.1:$port"
mkdir "$work/data"
PLOYER_LISTEN="127.0.0.1:$port" PLOYER_CADDY_ADMIN="http://127.0.0.1:$caddy_admin_port" \
  PLOYER_PROXY_HTTP_LISTEN="127.0.0.1:$proxy_port" PLOYER_START_CADDY=true \
  setsid "$BIN" start --data-dir "$work/data" </dev/null >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 600); do
  curl -fsS --noproxy '*' -o /dev/null "$base/healthz" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || die "server exited during start-up"
  sleep 0.1
done
caddy_pid=""
for _ in $(seq 100); do
  caddy_pid=$(pgrep -P "$server_pid" -x caddy || true)
  [ -n "$caddy_pid" ] && break
  sleep 0.1
done
[ -n "$caddy_pid" ] || die "Ployer did not start Caddy"
say "ployer pid $server_pid on $base; caddy pid $caddy_pid, proxy 127.0.0.1:$proxy_port"

cat >"$work/gql.py" <<'PY'
import json, os, sys, time, urllib.request

URL = os.environ["BENCH_GQL_URL"]
TOKEN = os.environ.get("BENCH_TOKEN", "")
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

def gql(query, variables=None):
    req = urllib.request.Request(
        URL, data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"Content-Type": "application/json",
                 **({"Authorization": "Bearer " + TOKEN} if TOKEN else {})})
    with opener.open(req, timeout=60) as resp:
        reply = json.load(resp)
    if reply.get("errors"):
        sys.exit("bench-static: ERROR: GraphQL: " + json.dumps(reply["errors"]))
    return reply["data"]

if sys.argv[1] == "sites":
    # Creates and deploys N static sites, all deploys queued first, then waits until each
    # is RUNNING; prints the seconds it took and how many did not end RUNNING.
    count, url = int(sys.argv[2]), sys.argv[3]
    started = time.perf_counter()
    deployments, app_ids = [], []
    for n in range(count):
        app = gql("mutation($i: CreateApplicationInput!){ createApplication(input:$i){ application { id } } }",
                  {"i": {"name": f"site-{n}", "buildStrategy": "STATIC", "gitUrl": url,
                         "staticOutputDir": "public", "autoDeploy": False}})["createApplication"]["application"]
        dep = gql("mutation($i: DeployInput!){ deploy(input:$i){ deployment { id } } }",
                  {"i": {"applicationId": app["id"]}})["deploy"]["deployment"]
        deployments.append(dep["id"])
        app_ids.append(app["id"])
    with open(sys.argv[4], "w") as ids:
        ids.write("\n".join(app_ids) + "\n")
    failed = 0
    for dep in deployments:
        while True:
            status = gql("query($id: ID!){ deployment(id:$id){ status } }", {"id": dep})["deployment"]["status"]
            if status in {"RUNNING", "FAILED", "CANCELLED", "SUPERSEDED"}:
                failed += status != "RUNNING"
                break
            time.sleep(0.1)
    print(f"{time.perf_counter() - started:.1f}", failed)
else:
    print(json.dumps(gql(sys.argv[1], json.loads(sys.argv[2]) if len(sys.argv) > 2 else None)))
PY
export BENCH_GQL_URL="$base/graphql"
gql() { python3 "$work/gql.py" "$@"; }

BENCH_TOKEN=$(gql 'mutation { register(input: {email: "bench@example.com", password: "correct horse battery"}) { token } }' |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["register"]["token"])')
export BENCH_TOKEN

sleep 5
ployer_before=$(rss_kb "$server_pid")
caddy_before=$(rss_kb "$caddy_pid")
say "no site: Ployer $(mb "$ployer_before") MB, Caddy $(mb "$caddy_before") MB"

read -r took failed < <(gql sites "$SITES" "git://127.0.0.1:$git_port/site.git" "$work/app-ids")
say "$SITES static sites created and deployed in ${took} s ($failed did not reach RUNNING)"

sleep 10
ployer_after=$(rss_kb "$server_pid")
caddy_after=$(rss_kb "$caddy_pid")
say "$SITES sites, 10 s at rest: Ployer $(mb "$ployer_after") MB, Caddy $(mb "$caddy_after") MB"
delta=$((ployer_after + caddy_after - ployer_before - caddy_before))
say "Ployer + Caddy: $(mb "$delta") MB more with $SITES sites than with none (target <= 30 MB)"

answered=0
for n in $(seq 0 $((SITES - 1))); do
  code=$(curl -s --noproxy '*' -o /dev/null -w '%{http_code}' -H "Host: site-$n.localhost" "http://127.0.0.1:$proxy_port/")
  [ "$code" = 200 ] && answered=$((answered + 1))
done
containers=0
while read -r id; do
  containers=$((containers + $(docker ps -aq --filter "label=ployer.app=$id" | wc -l)))
done <"$work/app-ids"
say "answering 200 through Caddy: $answered of $SITES; containers Ployer runs: $containers"
