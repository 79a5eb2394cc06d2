#!/usr/bin/env bash
# Regenerates server/link-order.txt: the functions of `ployer` that run at start-up, at rest
# and on the first requests, which release builds place first and side by side (server/build.rs).
# Builds the release binary (its symbol names are kept), runs it under callgrind on a temp data dir and free
# loopback ports (with its own Caddy when `caddy` is on PATH) for about a minute — start-up,
# 20 s at rest, register, login, `me`, `servers`, 20 s at rest; with the lab up (scripts/lab.sh),
# also a remote server validated and a deployment to it, then 40 s at rest while its checks,
# health probes and stats run over SSH — and keeps every executed function the binary defines.
# Run it after changes that move much code; a stale list only costs memory. Needs valgrind
# (apt-get install valgrind).
# Usage: scripts/link-order.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf 'link-order: %s\n' "$*"; }
die() { printf 'link-order: ERROR: %s\n' "$*" >&2; exit 1; }

command -v valgrind >/dev/null 2>&1 || die "valgrind is missing (apt-get install valgrind)"
# The same build as every release build: the names it records must be the names they link.
if [ -z "${LINK_ORDER_NO_BUILD:-}" ]; then # set it to profile the binary already built
  say "cargo build --release -p ployer-server"
  cargo build --release -p ployer-server
fi
BIN=$(realpath "${CARGO_TARGET_DIR:-target}/release/ployer")

work=$(mktemp -d -t ployer-link-order.XXXXXX)
pid=""
cleanup() {
  [ -n "$pid" ] && kill -INT "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
base="http://127.0.0.1:$port"
PLOYER_LISTEN="127.0.0.1:$port" PLOYER_CADDY_ADMIN="http://127.0.0.1:$(free_port)" \
  PLOYER_PROXY_HTTP_LISTEN="127.0.0.1:$(free_port)" \
  PLOYER_EDGE_IMAGE=ployer-test/caddy:latest PLOYER_EDGE_HTTPS_PORT=0 PLOYER_SERVER_CHECK_INTERVAL_SECONDS=10 \
  valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/callgrind.out" \
  "$BIN" start --data-dir "$work/data" >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 120); do
  curl -fsS --noproxy '*' -o /dev/null "$base/healthz" 2>/dev/null && break
  sleep 0.5
done
curl -fsS --noproxy '*' -o /dev/null "$base/healthz" || die "no 200 from /healthz within 60 s"
say "running under callgrind; at rest for 20 s"
sleep 20
gql() {
  curl -fsS --noproxy '*' "$base/graphql" -H 'content-type: application/json' ${2:+-H "authorization: Bearer $2"} -d "$1"
}
credentials='{"email":"order@example.com","password":"a long enough password"}'
gql "{\"query\":\"mutation(\$i: RegisterInput!){ register(input:\$i){ token } }\",\"variables\":{\"i\":$credentials}}" >/dev/null
token=$(gql "{\"query\":\"mutation(\$i: LoginInput!){ login(input:\$i){ token } }\",\"variables\":{\"i\":$credentials}}" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["data"]["login"]["token"])')
gql '{"query":"{ me { id email role } servers { id name resources { cpuPercent memoryUsedBytes } } }"}' "$token" >/dev/null
say "requests done; at rest for 20 s"
sleep 20
# What ran so far goes first in the list: the idle process touches only that.
callgrind_control --dump=idle "$pid" >/dev/null
if [ -s /run/ployer-lab/hosts ]; then
  # A deployment to the first lab host: SSH, the engine over it, the Caddy there, probes.
  read -r _ lab_addr lab_socket < /run/ployer-lab/hosts
  say "a remote server ($lab_addr) and a deployment to it"
  field() { python3 -c 'import json, sys
v = json.load(sys.stdin)
for k in sys.argv[1].split("."): v = v[k]
print(v)' "$1"; }
  src="$work/src"
  mkdir -p "$src/www"
  printf 'FROM ployer-test/busybox:latest\nCOPY www /www\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n' >"$src/Dockerfile"
  echo ok >"$src/www/index.html"
  git -C "$src" init -q -b main
  git -C "$src" -c user.name=order -c user.email=order@example.com add -A
  git -C "$src" -c user.name=order -c user.email=order@example.com commit -q -m order
  gql '{"query":"mutation { updateSettings(input: {allowLocalGitPaths: true}) { allowLocalGitPaths } }"}' "$token" >/dev/null
  server_vars=$(python3 -c 'import json, sys; print(json.dumps({"query": "mutation($i: CreateServerInput!){ createServer(input:$i){ server { id } } }",
    "variables": {"i": {"name": "lab1", "host": sys.argv[1], "dockerSocket": sys.argv[2].removeprefix("unix://"),
    "privateKey": open("/run/ployer-lab/id_ed25519").read()}}}))' "$lab_addr" "$lab_socket")
  server_id=$(gql "$server_vars" "$token" | field data.createServer.server.id)
  gql "{\"query\":\"mutation { validateServer(input: {id: \\\"$server_id\\\"}) { reachable } }\"}" "$token" >/dev/null
  app_id=$(gql "{\"query\":\"mutation { createApplication(input: {name: \\\"order\\\", gitUrl: \\\"$src\\\", branch: \\\"main\\\", buildStrategy: DOCKERFILE, port: 8080, serverId: \\\"$server_id\\\"}) { application { id } } }\"}" "$token" \
    | field data.createApplication.application.id)
  deployment=$(gql "{\"query\":\"mutation { deploy(input: {applicationId: \\\"$app_id\\\"}) { deployment { id } } }\"}" "$token" \
    | field data.deploy.deployment.id)
  status=""
  for _ in $(seq 600); do
    status=$(gql "{\"query\":\"{ deployment(id: \\\"$deployment\\\") { status } }\"}" "$token" | field data.deployment.status)
    case "$status" in RUNNING | FAILED | CANCELLED) break ;; esac
    sleep 1
  done
  say "the deployment ended $status; at rest for 40 s (checks, probes, stats over SSH)"
  gql "{\"query\":\"{ application(id: \\\"$app_id\\\") { logs(tail: 5) { line } } }\"}" "$token" >/dev/null
  sleep 40
  gql "{\"query\":\"mutation { deleteApplication(input: {id: \\\"$app_id\\\"}) { deletedApplicationId } }\"}" "$token" >/dev/null
  docker -H "$lab_socket" rm -f ployer-caddy >/dev/null 2>&1 || true
fi
kill -INT "$pid"
wait "$pid" || true
pid=""

# Two dumps: the one asked for above (start-up, rest, first requests; its name ends in `.1`)
# and the one at exit (what ran after it: the remote deployment). Each dump starts counting
# afresh.
python3 - "$work" "$BIN" server/link-order.txt <<'PY'
import glob, re, subprocess, sys

work, binary, out = sys.argv[1:]

def executed(path):
    names = set()
    for line in open(path, errors="replace"):
        m = re.match(r"^c?fn=\(\d+\) (.+)$", line.rstrip("\n"))
        if m:
            names.add(m.group(1))
    return names

dumps = glob.glob(f"{work}/callgrind.out*")
idle = set().union(*(executed(p) for p in dumps if p.endswith(".1")))
later = set().union(*(executed(p) for p in dumps if not p.endswith(".1")))
symbols = subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True, check=True).stdout
text = {p[2] for p in (l.split() for l in symbols.splitlines()) if len(p) == 3 and p[1] in "tTwW"}
first = sorted(idle & text)
then = sorted((later - idle) & text)
with open(out, "w") as f:
    f.write("\n".join(first + then) + "\n")
print(f"link-order: {len(first)} functions of the idle process, then {len(then)} of the remote deployment, of {len(text)}, written to {out}")
PY
