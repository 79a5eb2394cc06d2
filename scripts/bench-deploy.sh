#!/usr/bin/env bash
# Measures Ployer deploying real applications and prints figures; it asserts nothing.
# Needs the real stack (a running dockerd, caddy on PATH, ployer-test/busybox:latest), which
# `scripts/setup.sh --with-test-fixtures` ensures. Test git repositories live in a temp dir and
# are served by git-daemon; Ployer runs from target/release with a temp data dir and free
# loopback ports (it starts its own Caddy). Figures:
#  (a) deploy overhead: median time of 5 deploys of the same commit (cached build), from the
#      `deploy` mutation to status RUNNING, vs median of 5 runs of the same steps by hand
#      (clone, cached docker build, docker run, poll /healthz); the ratio (target <= 1.15);
#  (b) 10 redeploys while two curl loops send requests through Caddy, one opening a connection
#      per request, one keeping its connection alive (50 requests per connection): total and
#      non-200 requests of each (target 0 failed);
#  (c) Ployer's peak RSS (VmHWM) while deploying a repo whose build context holds a 200 MB
#      file (target <= 60 MB);
#  (d) a build printing 100,000 lines: deployment time, stored log lines, what a live SSE
#      subscriber received (count, order), RSS vs idle (measured after a quiet deployment and
#      95 s at rest) right after, 5 s later, and how long until it is back within 1 MB of idle
#      (at most 155 s);
#  (e) a Compose application (web built from the repository, a db service it waits for until
#      healthy): 10 redeploys of the routed web service while a curl loop sends requests
#      through Caddy: total and non-200 requests (target 0), and whether db kept its container;
#  (f) remote servers (three lab hosts from scripts/lab.sh, network namespaces with their own
#      sshd and dockerd): one engine request through Ployer's SSH transport (one kept SSH
#      connection, a channel per request: the `logs(tail: 1)` of an application there, over
#      GraphQL) vs `docker -H ssh://` (an ssh process and `docker system dial-stdio` per
#      command) vs the lab engine's own socket: median of 30 each;
#  (g) deploy overhead on a remote server: median of 5 deploys of the same commit (cached
#      build there) vs the same steps by hand over SSH (clone here, `docker -H ssh:// build`
#      streaming the context, `docker -H ssh:// run`, /healthz polled on the host over one ssh);
#      the ratio (target <= 1.15);
#  (h) Ployer's resident memory managing 3 remote servers with 10 running applications each
#      (target <= 30 MB), after the stats and health passes over them settled;
#  (i) a Docker Swarm cluster of three lab hosts (the lab's fourth to sixth): 10 redeploys of a
#      2-replica application while a curl loop sends requests through the cluster's edge
#      (target 0 failed); then one node's dockerd stopped under the same load: seconds until
#      the edge's pool names only healthy tasks (the lost one rescheduled; target <= 15), the
#      requests that failed meanwhile and when the last one did.
# Usage: scripts/bench-deploy.sh   (BENCH_PARTS=ae runs only (a) and (e); default abcdefghi)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf 'bench-deploy: %s\n' "$*"; }
die() { printf 'bench-deploy: ERROR: %s\n' "$*" >&2; exit 1; }

if [[ "${BENCH_PARTS:-abcdefghi}" =~ [fghi] ]]; then
  scripts/setup.sh --with-test-fixtures --with-lab
  # Six lab hosts: three remote servers (f-h), three for a cluster (i).
  [ "$(grep -c . /run/ployer-lab/hosts 2>/dev/null || echo 0)" -ge 6 ] || scripts/lab.sh up 6
else
  scripts/setup.sh --with-test-fixtures
fi

cargo_home="${CARGO_HOME:-${HOME:-/root}/.cargo}"
if ! command -v cargo >/dev/null 2>&1; then export PATH="$cargo_home/bin:$PATH"; fi

say "cargo build --release -p ployer-server"
cargo build --release -p ployer-server
BIN=$(realpath "${CARGO_TARGET_DIR:-target}/release/ployer")
BASE_IMAGE=ployer-test/busybox:latest
docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 || die "image $BASE_IMAGE missing"

umask 077 # the temp dir holds a session token
work=$(mktemp -d -t ployer-bench-deploy.XXXXXX)
chmod 755 "$work" # git-daemon and docker build read from it
server_pid=""
daemon_pid=""
load_pids=()
app_ids=()
manual_image="ployer-bench-manual:$$"
manual_container=""

cleanup() {
  local status=$?
  set +e
  for pid in "${load_pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  if [ -n "$server_pid" ]; then
    # Ployer runs in its own process group (setsid) with its Caddy child: stop the group.
    kill -TERM -- "-$server_pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
  [ -n "$manual_container" ] && docker rm -f "$manual_container" >/dev/null 2>&1
  docker rmi -f "$manual_image" >/dev/null 2>&1
  local id ids lab_socket
  # What the remote parts left on the lab hosts: their containers and images, and Caddy.
  for lab_socket in $(awk '{ print $3 }' /run/ployer-lab/hosts 2>/dev/null); do
    [[ "${BENCH_PARTS:-abcdefghi}" =~ [fghi] ]] || break
    for id in "${app_ids[@]}"; do
      ids=$(docker -H "$lab_socket" ps -aq --filter "label=ployer.app=$id")
      # shellcheck disable=SC2086
      [ -n "$ids" ] && docker -H "$lab_socket" rm -f $ids >/dev/null 2>&1
      ids=$(docker -H "$lab_socket" images -q --filter "label=ployer.app=$id" | sort -u)
      # shellcheck disable=SC2086
      [ -n "$ids" ] && docker -H "$lab_socket" rmi -f $ids >/dev/null 2>&1
    done
    docker -H "$lab_socket" rm -f ployer-caddy >/dev/null 2>&1
    docker -H "$lab_socket" rmi -f "$manual_image" >/dev/null 2>&1
    # Part (i)'s swarm, when it did not get as far as deleting its cluster.
    want i && docker -H "$lab_socket" swarm leave --force >/dev/null 2>&1
  done
  for id in "${app_ids[@]}"; do
    ids=$(docker ps -aq --filter "label=ployer.app=$id")
    # shellcheck disable=SC2086 # one id per word
    [ -n "$ids" ] && docker rm -f $ids >/dev/null 2>&1
    ids=$(docker images -q --filter "label=ployer.app=$id" | sort -u)
    # shellcheck disable=SC2086
    [ -n "$ids" ] && docker rmi -f $ids >/dev/null 2>&1
    docker network rm "ployer-$id" >/dev/null 2>&1
  done
  if [ "$status" -ne 0 ] && [ -s "$work/server.log" ]; then
    echo "bench-deploy: last lines of the server log:" >&2
    tail -n 30 "$work/server.log" >&2
  fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }
now() { date +%s.%N; }
want() { [[ "${BENCH_PARTS:-abcdefghi}" == *"$1"* ]]; }
[[ "${BENCH_PARTS:-abcdefghi}" =~ [abcdefghi] ]] || die "BENCH_PARTS=${BENCH_PARTS} names none of a to i"
median() { tr ' ' '\n' | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# --- test repositories ---------------------------------------------------------------------
git_port=$(free_port)
repos="$work/repos"
mkdir -p "$repos"
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com

# make_repo NAME [EXTRA_RUN_LINE]: a bare repo NAME.git whose main branch holds the busybox app.
make_repo() {
  local name=$1 run_line=${2:-} src="$work/src-$1"
  mkdir -p "$src/www"
  {
    echo "FROM $BASE_IMAGE"
    [ -n "$run_line" ] && echo "$run_line"
    echo 'COPY www /www'
    echo "CMD [\"sh\",\"-c\",\"trap 'exit 0' TERM; httpd -f -p 8080 -h /www & wait\"]"
  } >"$src/Dockerfile"
  echo "<h1>$name</h1>" >"$src/www/index.html"
  echo ok >"$src/www/healthz"
  git -C "$src" init -q -b main
  git -C "$src" add -A
  git -C "$src" commit -q -m "bench $name"
}
publish_repo() {
  git clone -q --bare "$work/src-$1" "$repos/$1.git"
}

make_repo app
publish_repo app
make_repo big
say "writing a 200 MB file into the 'big' repo"
dd if=/dev/zero of="$work/src-big/blob.bin" bs=1M count=200 status=none
git -C "$work/src-big" add blob.bin
git -C "$work/src-big" commit -q -m "200 MB build context"
publish_repo big
# shellcheck disable=SC2016 # $i is for the container's sh
make_repo loud 'RUN i=0; while [ $i -lt 100000 ]; do echo line $i; i=$((i+1)); done'
publish_repo loud
make_repo stack
cat >"$work/src-stack/docker-compose.yml" <<YAML
services:
  web:
    build: .
    ports: ["8080"]
    depends_on:
      db:
        condition: service_healthy
  db:
    image: $BASE_IMAGE
    expose: ["9000"]
    command: ["sh", "-c", "mkdir -p /srv && echo db > /srv/value && touch /tmp/ready; trap 'exit 0' TERM; httpd -f -p 9000 -h /srv & wait"]
    healthcheck:
      test: ["CMD-SHELL", "test -f /tmp/ready"]
      interval: 1s
      retries: 30
YAML
git -C "$work/src-stack" add -A
git -C "$work/src-stack" commit -q -m "a compose stack"
publish_repo stack

"$(git --exec-path)/git-daemon" --export-all --base-path="$repos" --listen=127.0.0.1 \
  --port="$git_port" --reuseaddr >"$work/git-daemon.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 100); do
  git ls-remote "git://127.0.0.1:$git_port/app.git" >/dev/null 2>&1 && break
  sleep 0.1
done
git ls-remote "git://127.0.0.1:$git_port/app.git" >/dev/null || die "git-daemon does not answer"

# --- Ployer --------------------------------------------------------------------------------
port=$(free_port)
proxy_port=$(free_port)
caddy_admin_port=$(free_port)
base="http://127.0.0.1:$port"
mkdir "$work/data"
# On the lab's hosts Ployer runs the locally built Caddy image (no registry), HTTP only.
PLOYER_LISTEN="127.0.0.1:$port" PLOYER_CADDY_ADMIN="http://127.0.0.1:$caddy_admin_port" \
  PLOYER_PROXY_HTTP_LISTEN="127.0.0.1:$proxy_port" PLOYER_DRAIN_SECONDS=1 \
  PLOYER_EDGE_IMAGE=ployer-test/caddy:latest PLOYER_EDGE_HTTPS_PORT=0 \
  setsid "$BIN" start --data-dir "$work/data" </dev/null >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 600); do
  curl -fsS --noproxy '*' -o /dev/null "$base/healthz" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || die "server exited during start-up"
  sleep 0.1
done
curl -fsS --noproxy '*' -o /dev/null "$base/healthz" || die "no 200 from $base/healthz within 60 s"
say "ployer pid $server_pid on $base; proxy 127.0.0.1:$proxy_port; git-daemon port $git_port"

# GraphQL client: `gql.py QUERY [VARIABLES_JSON]` prints `data` as JSON (exits non-zero on
# errors); `gql.py deploy APP_ID` runs the deploy mutation, polls the deployment every 50 ms
# until it is RUNNING or ends, and prints "<id> <seconds> <status>".
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
    with opener.open(req, timeout=30) as resp:
        reply = json.load(resp)
    if reply.get("errors"):
        sys.exit("bench-deploy: ERROR: GraphQL: " + json.dumps(reply["errors"]))
    return reply["data"]

if sys.argv[1] == "deploy":
    END = {"RUNNING", "FAILED", "CANCELLED", "SUPERSEDED"}
    started = time.perf_counter()
    dep = gql("mutation($i: DeployInput!){ deploy(input:$i){ deployment { id status } } }",
              {"i": {"applicationId": sys.argv[2]}})["deploy"]["deployment"]
    status = dep["status"]
    while status not in END:
        if time.perf_counter() - started > 900:
            status = "TIMEOUT"
            break
        time.sleep(0.05)
        status = gql("query($id: ID!){ deployment(id:$id){ status } }",
                     {"id": dep["id"]})["deployment"]["status"]
    print(dep["id"], f"{time.perf_counter() - started:.3f}", status)
elif sys.argv[1] == "deploy-follow":
    # Deploys and, at the same time, follows the deployment's log over Server-Sent Events
    # like a live subscriber; prints "<id> <seconds> <status> <lines received> <in order>
    # <'line N' lines in sequence>".
    import threading
    started = time.perf_counter()
    dep = gql("mutation($i: DeployInput!){ deploy(input:$i){ deployment { id status } } }",
              {"i": {"applicationId": sys.argv[2]}})["deploy"]["deployment"]
    got = []
    def follow():
        body = json.dumps({"query": "subscription($id: ID!){ deploymentLogs(deploymentId:$id){ seq line } }",
                           "variables": {"id": dep["id"]}}).encode()
        req = urllib.request.Request(URL, data=body, headers={
            "Content-Type": "application/json", "Accept": "text/event-stream",
            "Authorization": "Bearer " + TOKEN})
        with opener.open(req, timeout=900) as resp:
            for raw in resp:
                if raw.startswith(b"event: complete"):
                    break
                if raw.startswith(b"data: "):
                    event = json.loads(raw[6:])
                    if event.get("data"):
                        got.append(event["data"]["deploymentLogs"])
    follower = threading.Thread(target=follow)
    follower.start()
    status = dep["status"]
    while status not in {"RUNNING", "FAILED", "CANCELLED", "SUPERSEDED"}:
        time.sleep(0.05)
        status = gql("query($id: ID!){ deployment(id:$id){ status } }", {"id": dep["id"]})["deployment"]["status"]
    took = time.perf_counter() - started
    follower.join(120)
    seqs = [l["seq"] for l in got]
    ordered = all(a < b for a, b in zip(seqs, seqs[1:]))
    numbered = [l["line"] for l in got if l["line"].startswith("line ")]
    in_sequence = sum(1 for n, l in enumerate(numbered) if l == f"line {n}")
    print(dep["id"], f"{took:.3f}", status, len(got), "yes" if ordered else "NO", in_sequence)
else:
    print(json.dumps(gql(sys.argv[1], json.loads(sys.argv[2]) if len(sys.argv) > 2 else None)))
PY
export BENCH_GQL_URL="$base/graphql"
gql() { python3 "$work/gql.py" "$@"; }
field() { python3 -c 'import json, sys
v = json.load(sys.stdin)
for k in sys.argv[1].split("."): v = v[k]
print(v)' "$1"; }

# shellcheck disable=SC2016 # $i is a GraphQL variable
BENCH_TOKEN=$(gql 'mutation($i: RegisterInput!){ register(input:$i){ token } }' \
  '{"i":{"email":"bench@example.com","password":"deploy-figures-Secret-42"}}' | field register.token)
export BENCH_TOKEN

# create_app NAME REPO: creates a DOCKERFILE app with an HTTP health check; prints its id.
create_app() {
  local id
  # shellcheck disable=SC2016
  id=$(gql 'mutation($i: CreateApplicationInput!){ createApplication(input:$i){ application { id } } }' \
    "{\"i\":{\"name\":\"$1\",\"gitUrl\":\"git://127.0.0.1:$git_port/$2.git\",\"branch\":\"main\",\"buildStrategy\":\"DOCKERFILE\",\"dockerfilePath\":\"Dockerfile\",\"port\":8080}}" \
    | field createApplication.application.id)
  # shellcheck disable=SC2016
  gql 'mutation($i: ConfigureHealthCheckInput!){ configureHealthCheck(input:$i){ healthCheck { path } } }' \
    "{\"i\":{\"applicationId\":\"$id\",\"path\":\"/healthz\",\"intervalSeconds\":2,\"timeoutSeconds\":1,\"startPeriodSeconds\":0}}" >/dev/null
  echo "$id"
}
# deploy APP_ID: prints "<deployment id> <seconds> <status>"; says so when it did not run.
deploy() {
  local out
  out=$(gql deploy "$1")
  [ "${out##* }" = RUNNING ] || say "WARNING: deployment ended ${out##* }: $out" >&2
  echo "$out"
}

# wait_served HOST: waits (10 s at most) for Caddy to answer 200 for HOST; warns otherwise.
wait_served() {
  local host=$1 code=
  for _ in $(seq 100); do
    code=$(curl -s --noproxy '*' -o /dev/null -w '%{http_code}' -H "Host: $host" "http://127.0.0.1:$proxy_port/")
    [ "$code" = 200 ] && return 0
    sleep 0.1
  done
  say "WARNING: $host through Caddy answers $code before the load starts"
}

# start_load HOST FILE [URL]: a curl loop through Caddy for HOST (this machine's, or the one
# at URL), one connection per request, each request's "<status> <time>s <error>" appended to
# FILE, until killed (its pid in load_pids).
start_load() {
  local host=$1 file=$2 url=${3:-http://127.0.0.1:$proxy_port/}
  : >"$file"
  (
    trap 'exit 0' TERM
    while :; do
      curl -s --noproxy '*' -o /dev/null -w '%{http_code} %{time_total}s %{errormsg}\n' -m 5 -H "Host: $host" "$url" >>"$file" || true
    done
  ) &
  load_pids+=($!)
}

# --- (a) deploy overhead -------------------------------------------------------------------
if want a || want b; then
  app_id=$(create_app bench-app app)
  app_ids+=("$app_id")
  say "warm-up deploy of bench-app (uncached build): $(deploy "$app_id" | awk '{ print $2 " s, " $3 }')"
fi
if want a; then
  ployer_times=()
  for _ in 1 2 3 4 5; do
    ployer_times+=("$(deploy "$app_id" | awk '{ print $2 }')")
  done

  # The same steps by hand; timed from the clone to the first 200 from /healthz (the point
  # where Ployer reports RUNNING); removing the container is not timed.
  manual_deploy() {
    local dir="$work/manual-clone" hport
    rm -rf "$dir"
    git clone -q --depth 1 --branch main "git://127.0.0.1:$git_port/app.git" "$dir"
    # stderr only carries the legacy builder's deprecation notice unless the build fails
    docker build -q -t "$manual_image" "$dir" >/dev/null 2>"$work/manual-build.err" \
      || { cat "$work/manual-build.err" >&2; die "docker build failed"; }
    manual_container=$(docker run -d -p 127.0.0.1::8080 "$manual_image")
    hport=$(docker port "$manual_container" 8080/tcp | head -n 1)
    hport=${hport##*:}
    for _ in $(seq 1200); do
      [ "$(curl -s --noproxy '*' -o /dev/null -w '%{http_code}' "http://127.0.0.1:$hport/healthz")" = 200 ] && return 0
      sleep 0.05
    done
    die "manual container never answered /healthz"
  }
  manual_deploy # warm-up (fills the build cache for the manual tag)
  docker rm -f "$manual_container" >/dev/null
  manual_times=()
  for _ in 1 2 3 4 5; do
    t0=$(now)
    manual_deploy
    t1=$(now)
    docker rm -f "$manual_container" >/dev/null
    manual_container=""
    manual_times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')")
  done
  p_med=$(echo "${ployer_times[*]}" | median)
  m_med=$(echo "${manual_times[*]}" | median)
  say "(a) ployer deploy (cached build) to RUNNING: median ${p_med} s  [${ployer_times[*]}]"
  say "(a) by hand (clone, cached build, run, healthy): median ${m_med} s  [${manual_times[*]}]"
  say "(a) deploy overhead ratio ployer/by-hand: $(awk -v p="$p_med" -v m="$m_med" 'BEGIN { printf "%.2f", p / m }') (target <= 1.15)"
fi

# --- (b) redeploys under load --------------------------------------------------------------
if want b; then
  proxy_url="http://127.0.0.1:$proxy_port/"
  host="bench-app.localhost"
  wait_served "$host"
  codes="$work/load-codes.txt"
  keepalive_codes="$work/load-keepalive-codes.txt"
  : >"$keepalive_codes"
  start_load "$host" "$codes"
  (
    trap 'exit 0' TERM
    many=()
    for _ in $(seq 50); do many+=(-o /dev/null "$proxy_url"); done
    while :; do
      curl -s --noproxy '*' -w '%{http_code} %{time_total}s %{errormsg}\n' -m 5 -H "Host: $host" "${many[@]}" >>"$keepalive_codes" || true
    done
  ) &
  load_pids+=($!)
  redeploy_times=()
  for _ in $(seq 10); do
    redeploy_times+=("$(deploy "$app_id" | awk '{ print $2 }')")
  done
  sleep 1 # let the last drain finish under load
  kill "${load_pids[@]}" 2>/dev/null || true
  wait "${load_pids[@]}" 2>/dev/null || true
  load_pids=()
  for loop in "connection per request:$codes" "kept-alive connections:$keepalive_codes"; do
    file=${loop#*:}
    total=$(grep -c . "$file" || true)
    failed=$(grep -vc '^200 ' "$file" || true)
    say "(b) 10 redeploys under load, ${loop%%:*}: $total requests through Caddy, $failed failed (non-200) (target 0)"
    if [ "$failed" -gt 0 ]; then
      grep -v '^200 ' "$file" | while read -r line; do say "(b) failed: $line"; done
    fi
  done
  say "(b) redeploy times: median $(echo "${redeploy_times[*]}" | median) s  [${redeploy_times[*]}]"
fi

# --- (c) peak memory with a 200 MB build context -------------------------------------------
if want c; then
  big_id=$(create_app bench-big big)
  app_ids+=("$big_id")
  # Writing 5 to clear_refs resets VmHWM to the current RSS, so the peak below is this deploy's.
  echo 5 >"/proc/$server_pid/clear_refs" 2>/dev/null || say "(c) note: cannot reset VmHWM; 'before' is the peak so far"
  hwm_before=$(status_kb "$server_pid" VmHWM)
  big=$(deploy "$big_id")
  hwm_after=$(status_kb "$server_pid" VmHWM)
  say "(c) 200 MB build context: deploy $(echo "$big" | awk '{ print $2 " s, " $3 }'); VmHWM before $(mb "$hwm_before") MB, after $(mb "$hwm_after") MB (target <= 60 MB)"
fi

# --- (d) a build printing 100,000 lines ----------------------------------------------------
if want d; then
  loud_id=$(create_app bench-loud loud)
  app_ids+=("$loud_id")
  # The idle level: after a quiet deployment (the same code paths run, so the same pages of
  # the binary are mapped) and a minute at rest (database connections are replaced after a
  # minute, and free heap goes back every 30 s).
  quiet_id=$(create_app bench-quiet app)
  app_ids+=("$quiet_id")
  say "(d) quiet deployment for the idle level: $(deploy "$quiet_id" | awk '{ print $2 " s, " $3 }')"
  sleep 95
  rss_idle=$(status_kb "$server_pid" VmRSS)
  anon_idle=$(status_kb "$server_pid" RssAnon)
  loud=$(gql deploy-follow "$loud_id")
  rss_done=$(status_kb "$server_pid" VmRSS)
  loud_dep=${loud%% *}
  sleep 5
  rss_later=$(status_kb "$server_pid" VmRSS)
  # Wait up to 150 s for RSS to come within 1 MB of the idle level.
  returned_after=""
  for i in $(seq 30); do
    sleep 5
    if [ "$(status_kb "$server_pid" VmRSS)" -le $((rss_idle + 1024)) ]; then
      returned_after=$((5 + i * 5))
      break
    fi
  done
  rss_final=$(status_kb "$server_pid" VmRSS)
  anon_final=$(status_kb "$server_pid" RssAnon)
  db="$work/data/ployer.db"
  stored=$(sqlite3 -readonly "$db" "select count(*) from deployment_logs where deployment_id='$loud_dep'" 2>&1) || stored="? ($stored)"
  build_lines=$(sqlite3 -readonly "$db" "select count(*) from deployment_logs where deployment_id='$loud_dep' and line like 'line %'" 2>&1) || build_lines="?"
  say "(d) 100,000-line build: deploy $(echo "$loud" | awk '{ print $2 " s, " $3 }'); stored log lines $stored (of which 'line N': $build_lines)"
  say "(d) live subscriber: $(echo "$loud" | awk '{ print $4 " lines received, seq ascending: " $5 ", line 0..N in sequence: " $6 }')"
  say "(d) RSS idle before $(mb "$rss_idle") MB (anonymous $(mb "$anon_idle")), right after $(mb "$rss_done") MB, 5 s later $(mb "$rss_later") MB"
  if [ -n "$returned_after" ]; then
    say "(d) back within 1 MB of idle ${returned_after} s after the deployment: $(mb "$rss_final") MB (anonymous $(mb "$anon_final"))"
  else
    say "(d) NOT back within 1 MB of idle 155 s after the deployment: $(mb "$rss_final") MB (anonymous $(mb "$anon_final"))"
  fi
fi

# --- (e) a Compose application's routed service redeployed under load ----------------------
if want e; then
  stack_id=$(create_app bench-stack stack)
  app_ids+=("$stack_id")
  # shellcheck disable=SC2016
  gql 'mutation($i: UpdateApplicationInput!){ updateApplication(input:$i){ application { id } } }' \
    "{\"i\":{\"id\":\"$stack_id\",\"buildStrategy\":\"COMPOSE\"}}" >/dev/null
  say "(e) first deploy of bench-stack (db, then web): $(deploy "$stack_id" | awk '{ print $2 " s, " $3 }')"
  # shellcheck disable=SC2016
  db_container() { gql 'query($id: ID!){ application(id:$id){ services { name containerId } } }' "{\"id\":\"$stack_id\"}" \
    | python3 -c 'import json, sys; print(next(s["containerId"] for s in json.load(sys.stdin)["application"]["services"] if s["name"] == "db"))'; }
  db_before=$(db_container)
  host="bench-stack.localhost"
  wait_served "$host"
  codes="$work/load-stack-codes.txt"
  start_load "$host" "$codes"
  redeploy_times=()
  for _ in $(seq 10); do
    redeploy_times+=("$(deploy "$stack_id" | awk '{ print $2 }')")
  done
  sleep 1 # let the last drain finish under load
  kill "${load_pids[@]}" 2>/dev/null || true
  wait "${load_pids[@]}" 2>/dev/null || true
  load_pids=()
  total=$(grep -c . "$codes" || true)
  failed=$(grep -vc '^200 ' "$codes" || true)
  say "(e) 10 redeploys of a compose app's routed service under load: $total requests through Caddy, $failed failed (non-200) (target 0)"
  if [ "$failed" -gt 0 ]; then
    grep -v '^200 ' "$codes" | while read -r line; do say "(e) failed: $line"; done
  fi
  kept=no
  [ "$(db_container)" = "$db_before" ] && kept=yes
  say "(e) redeploy times: median $(echo "${redeploy_times[*]}" | median) s  [${redeploy_times[*]}]; the unchanged db service kept its container: $kept"
fi

# --- (f), (g), (h) remote servers -----------------------------------------------------------
if want f || want g || want h; then
  mapfile -t lab < <(awk '{ print $2 " " $3 }' /run/ployer-lab/hosts)
  [ "${#lab[@]}" -ge 3 ] || die "the lab has ${#lab[@]} hosts, not 3"
  lab_key=/run/ployer-lab/id_ed25519
  server_ids=()
  for n in 0 1 2; do
    addr=${lab[$n]%% *}
    sock=${lab[$n]#* }
    vars=$(python3 -c 'import json, sys; print(json.dumps({"i": {"name": sys.argv[1], "host": sys.argv[2],
      "dockerSocket": sys.argv[3].removeprefix("unix://"), "privateKey": open(sys.argv[4]).read()}}))' \
      "lab$((n + 1))" "$addr" "$sock" "$lab_key")
    # shellcheck disable=SC2016
    sid=$(gql 'mutation($i: CreateServerInput!){ createServer(input:$i){ server { id } } }' "$vars" | field createServer.server.id)
    # shellcheck disable=SC2016
    gql 'mutation($id: ID!){ validateServer(input:{id:$id}){ reachable } }' "{\"id\":\"$sid\"}" | grep -q '"reachable": true' \
      || die "lab host $addr does not validate"
    server_ids+=("$sid")
  done
  # remote_app NAME SERVER_INDEX: an app of the repo 'app' on that lab host; prints its id.
  remote_app() {
    local id
    id=$(create_app "$1" app)
    # shellcheck disable=SC2016
    gql 'mutation($i: UpdateApplicationInput!){ updateApplication(input:$i){ application { id } } }' \
      "{\"i\":{\"id\":\"$id\",\"serverId\":\"${server_ids[$2]}\"}}" >/dev/null
    echo "$id"
  }
  remote_id=$(remote_app bench-remote 0)
  app_ids+=("$remote_id")
  say "(f) warm-up deploy to lab1 (uncached build there): $(deploy "$remote_id" | awk '{ print $2 " s, " $3 }')"
  lab1_addr=${lab[0]%% *}
  lab1_sock=${lab[0]#* }
  # ssh reads the user's ~/.ssh (from the password database, not $HOME), which is not the
  # bench's to change: `docker -H ssh://` finds an `ssh` first on PATH that passes the lab's
  # key and known hosts.
  mkdir -p "$work/bin"
  printf 'Host %s\n  User root\n  IdentityFile %s\n  UserKnownHostsFile /run/ployer-lab/known_hosts\n  StrictHostKeyChecking yes\n  BatchMode yes\n  LogLevel ERROR\n' \
    "$lab1_addr" "$lab_key" >"$work/ssh_config"
  printf '#!/bin/sh\nexec /usr/bin/ssh -F %s "$@"\n' "$work/ssh_config" >"$work/bin/ssh"
  chmod 755 "$work/bin/ssh"
  rdocker() { PATH="$work/bin:$PATH" docker -H "ssh://root@$lab1_addr" "$@"; }
fi

if want f; then
  container=$(docker -H "$lab1_sock" ps -q --filter "label=ployer.app=$remote_id" | head -n 1)
  [ -n "$container" ] || die "(f) no container of bench-remote on lab1"
  timed_runs() { # timed_runs N CMD...: N runs of CMD, each one's seconds
    local t0 t1 out=()
    for _ in $(seq "$1"); do
      t0=$(now); "${@:2}" >/dev/null; t1=$(now)
      out+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')")
    done
    echo "${out[*]}"
  }
  # The GraphQL request alone, without this script's process start-up: timed in Python.
  ployer_ms=$(python3 - "$remote_id" <<PY
import json, os, sys, time, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
body = json.dumps({"query": "query(\$id: ID!){ application(id:\$id){ logs(tail: 1){ line } } }",
                   "variables": {"id": sys.argv[1]}}).encode()
times = []
for _ in range(31):
    req = urllib.request.Request(os.environ["BENCH_GQL_URL"], data=body, headers={
        "Content-Type": "application/json", "Authorization": "Bearer " + os.environ["BENCH_TOKEN"]})
    t0 = time.perf_counter()
    with opener.open(req, timeout=30) as resp:
        reply = json.load(resp)
    times.append(time.perf_counter() - t0)
    if reply.get("errors"):
        sys.exit("bench-deploy: ERROR: " + json.dumps(reply["errors"]))
times = sorted(times[1:])
print(f"{times[len(times) // 2] * 1000:.1f}")
PY
)
  ssh_s=$(timed_runs 30 rdocker logs --tail 1 "$container" | median)
  sock_s=$(timed_runs 30 docker -H "$lab1_sock" logs --tail 1 "$container" | median)
  say "(f) one engine request (logs --tail 1) on lab1: through Ployer's SSH transport (GraphQL, kept connection) median ${ployer_ms} ms; docker -H ssh:// median $(awk -v s="$ssh_s" 'BEGIN { printf "%.1f", s * 1000 }') ms; docker CLI on the lab engine's own socket median $(awk -v s="$sock_s" 'BEGIN { printf "%.1f", s * 1000 }') ms"
fi

if want g; then
  remote_times=()
  for _ in 1 2 3 4 5; do
    remote_times+=("$(deploy "$remote_id" | awk '{ print $2 }')")
  done
  manual_remote() {
    local dir="$work/manual-remote" hport
    rm -rf "$dir"
    git clone -q --depth 1 --branch main "git://127.0.0.1:$git_port/app.git" "$dir"
    rdocker build -q -t "$manual_image" "$dir" >/dev/null 2>"$work/manual-build.err" \
      || { cat "$work/manual-build.err" >&2; die "docker -H ssh:// build failed"; }
    manual_container=$(rdocker run -d -p 127.0.0.1::8080 "$manual_image")
    hport=$(rdocker port "$manual_container" 8080/tcp | head -n 1)
    hport=${hport##*:}
    "$work/bin/ssh" "$lab1_addr" \
      "for i in \$(seq 1200); do curl -fso /dev/null http://127.0.0.1:$hport/healthz && exit 0; sleep 0.05; done; exit 1" \
      || die "the manual container on lab1 never answered /healthz"
  }
  manual_remote # warm-up (fills lab1's build cache for the manual tag)
  rdocker rm -f "$manual_container" >/dev/null
  manual_times=()
  for _ in 1 2 3 4 5; do
    t0=$(now)
    manual_remote
    t1=$(now)
    rdocker rm -f "$manual_container" >/dev/null
    manual_container=""
    manual_times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')")
  done
  p_med=$(echo "${remote_times[*]}" | median)
  m_med=$(echo "${manual_times[*]}" | median)
  say "(g) ployer deploy on lab1 (cached build there) to RUNNING: median ${p_med} s  [${remote_times[*]}]"
  say "(g) by hand over SSH (clone, docker -H ssh:// build and run, healthy): median ${m_med} s  [${manual_times[*]}]"
  say "(g) remote deploy overhead ratio ployer/by-hand: $(awk -v p="$p_med" -v m="$m_med" 'BEGIN { printf "%.2f", p / m }') (target <= 1.15)"
fi

if want h; then
  # 10 running applications on each of the 3 servers (bench-remote is one of lab1's).
  running=0
  for n in 0 1 2; do
    for i in $(seq 10); do
      [ "$n" = 0 ] && [ "$i" = 1 ] && { running=$((running + 1)); continue; }
      id=$(remote_app "bench-r$((n + 1))-$i" "$n")
      app_ids+=("$id")
      [ "$(deploy "$id" | awk '{ print $3 }')" = RUNNING ] && running=$((running + 1))
    done
  done
  say "(h) $running of 30 applications running on 3 servers; letting stats and health passes run"
  for at in 60 120; do
    sleep 60
    say "(h) after ${at} s: anonymous $(mb "$(status_kb "$server_pid" RssAnon)") MB, file-backed (the binary's pages) $(mb "$(status_kb "$server_pid" RssFile)") MB"
  done
  say "(h) ployer RSS managing 3 remote servers with 10 applications each: $(mb "$(status_kb "$server_pid" VmRSS)") MB (peak $(mb "$(status_kb "$server_pid" VmHWM)") MB) (target <= 30 MB)"
fi

# --- (i) a Docker Swarm cluster ----------------------------------------------------------------
if want i; then
  mapfile -t lab < <(awk '{ print $2 " " $3 }' /run/ployer-lab/hosts)
  [ "${#lab[@]}" -ge 6 ] || die "the lab has ${#lab[@]} hosts, not 6"
  lab_key=/run/ployer-lab/id_ed25519
  node_ids=()
  for n in 3 4 5; do
    addr=${lab[$n]%% *}
    sock=${lab[$n]#* }
    # What an earlier, interrupted run left.
    docker -H "$sock" swarm leave --force >/dev/null 2>&1 || true
    vars=$(python3 -c 'import json, sys; print(json.dumps({"i": {"name": sys.argv[1], "host": sys.argv[2],
      "dockerSocket": sys.argv[3].removeprefix("unix://"), "privateKey": open(sys.argv[4]).read()}}))' \
      "node$((n - 2))" "$addr" "$sock" "$lab_key")
    # shellcheck disable=SC2016
    sid=$(gql 'mutation($i: CreateServerInput!){ createServer(input:$i){ server { id } } }' "$vars" | field createServer.server.id)
    # shellcheck disable=SC2016
    gql 'mutation($id: ID!){ validateServer(input:{id:$id}){ reachable } }' "{\"id\":\"$sid\"}" | grep -q '"reachable": true' \
      || die "lab host $addr does not validate"
    node_ids+=("$sid")
  done
  # shellcheck disable=SC2016
  cluster_id=$(gql 'mutation($i: CreateClusterInput!){ createCluster(input:$i){ cluster { id } } }' \
    "{\"i\":{\"name\":\"bench\",\"managerServerId\":\"${node_ids[0]}\",\"workerServerIds\":[\"${node_ids[1]}\",\"${node_ids[2]}\"]}}" \
    | field createCluster.cluster.id)
  cluster_app=$(create_app bench-cluster app)
  app_ids+=("$cluster_app")
  # shellcheck disable=SC2016
  gql 'mutation($i: UpdateApplicationInput!){ updateApplication(input:$i){ application { id } } }' \
    "{\"i\":{\"id\":\"$cluster_app\",\"clusterId\":\"$cluster_id\",\"replicas\":2,\"maxReplicasPerNode\":1}}" >/dev/null
  say "(i) first deploy on the cluster (build on the manager, image loaded into the nodes): $(deploy "$cluster_app" | awk '{ print $2 " s, " $3 }')"
  edge_url="http://${lab[3]%% *}/"
  host="bench-cluster.localhost"
  for _ in $(seq 100); do
    [ "$(curl -s --noproxy '*' -o /dev/null -w '%{http_code}' -H "Host: $host" "$edge_url")" = 200 ] && break
    sleep 0.1
  done
  codes="$work/cluster-codes.txt"
  start_load "$host" "$codes" "$edge_url"
  cluster_times=()
  for _ in $(seq 10); do
    cluster_times+=("$(deploy "$cluster_app" | awk '{ print $2 }')")
  done
  sleep 3 # the last drain, under load
  kill "${load_pids[@]}" 2>/dev/null || true
  wait "${load_pids[@]}" 2>/dev/null || true
  load_pids=()
  total=$(grep -c . "$codes" || true)
  failed=$(grep -vc '^200 ' "$codes" || true)
  say "(i) 10 redeploys of a 2-replica application under load: $total requests through the cluster's edge, $failed failed (non-200) (target 0)"
  [ "$failed" -gt 0 ] && grep -v '^200 ' "$codes" | while read -r line; do say "(i) failed: $line"; done
  say "(i) redeploy times: median $(echo "${cluster_times[*]}" | median) s  [${cluster_times[*]}]"

  # A worker with a task loses its engine, under load (each request stamped with the time).
  # shellcheck disable=SC2016
  tasks_query='query($id: ID!){ application(id:$id){ tasks { nodeAddress state desiredState } } }'
  running_on() { # the node addresses of the running tasks, one per line
    gql "$tasks_query" "{\"id\":\"$cluster_app\"}" | python3 -c 'import json, sys
for t in json.load(sys.stdin)["application"]["tasks"]:
    if t["state"] == "running" and t["desiredState"] == "running": print(t["nodeAddress"])'
  }
  lost_addr=$(running_on | grep -vx "${lab[3]%% *}" | head -n 1)
  [ -n "$lost_addr" ] || die "(i) no task on a worker"
  lost_n=$(awk -v a="$lost_addr" '$2 == a { print NR }' /run/ployer-lab/hosts)
  stamped="$work/cluster-loss.txt"
  : >"$stamped"
  (
    trap 'exit 0' TERM
    while :; do
      # One write per request (its start time, then curl's line): a loop stopped between two
      # commands leaves no half line.
      at=$(date +%s.%N)
      out=$(curl -s --noproxy '*' -o /dev/null -w '%{http_code} %{time_total}s %{errormsg}' -m 5 -H "Host: $host" "$edge_url" || true)
      printf '%s %s\n' "$at" "$out" >>"$stamped"
    done
  ) &
  load_pids+=($!)
  sleep 2
  edge_sock=${lab[3]#* }
  pool_dir=$(docker -H "$edge_sock" inspect --format '{{range .Mounts}}{{if eq .Type "bind"}}{{.Source}}{{end}}{{end}}' ployer-caddy)
  killed=$(now)
  scripts/lab.sh engine stop "$lost_n" >/dev/null
  followed=""
  for _ in $(seq 600); do
    pool=$(docker -H "$edge_sock" exec ployer-caddy sh -c "cat $pool_dir/ployer-app-$cluster_app $pool_dir/ployer-app-$cluster_app.* 2>/dev/null" | sort -u)
    tasks=$(running_on)
    if [ "$(echo "$tasks" | grep -c .)" = 2 ] && ! echo "$tasks" | grep -qx "$lost_addr" \
      && [ -n "$pool" ] && ! echo "$pool" | grep -q "^$lost_addr:"; then
      followed=$(now)
      break
    fi
    sleep 0.1
  done
  sleep 5
  kill "${load_pids[@]}" 2>/dev/null || true
  wait "${load_pids[@]}" 2>/dev/null || true
  load_pids=()
  scripts/lab.sh engine start "$lost_n" >/dev/null
  if [ -n "$followed" ]; then
    say "(i) node lost: the edge's pool named only healthy tasks $(awk -v a="$killed" -v b="$followed" 'BEGIN { printf "%.1f", b - a }') s after its engine stopped (target <= 15 s)"
  else
    say "(i) node lost: the pool did not follow within 60 s"
  fi
  total=$(awk -v k="$killed" '$1 >= k' "$stamped" | grep -c . || true)
  failed=$(awk -v k="$killed" '$1 >= k && $2 != "200"' "$stamped" | grep -c . || true)
  last=$(awk -v k="$killed" '$1 >= k && $2 != "200" { t = $1 } END { if (t) printf "%.1f", t - k }' "$stamped")
  say "(i) requests from the engine stop until 5 s after: $total, $failed failed${last:+ (the last ${last} s after the stop)} (only those in flight on the lost node may fail)"
  awk -v k="$killed" '$1 >= k && $2 != "200" { printf "%.1f s after the stop: %s\n", $1 - k, substr($0, index($0, " ") + 1) }' "$stamped" \
    | while read -r line; do say "(i) failed: $line"; done
  # shellcheck disable=SC2016
  gql 'mutation($id: ID!){ deleteApplication(input:{id:$id}){ deletedApplicationId } }' "{\"id\":\"$cluster_app\"}" >/dev/null
  # shellcheck disable=SC2016
  gql 'mutation($id: ID!){ deleteCluster(input:{id:$id}){ deletedClusterId } }' "{\"id\":\"$cluster_id\"}" >/dev/null \
    || say "(i) WARNING: the cluster was not deleted"
fi
