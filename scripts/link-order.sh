#!/usr/bin/env bash
# Regenerates server/link-order.txt: the functions of `ployer` that run at start-up, at rest
# and on the first requests, which release builds place first and side by side (server/build.rs).
# Builds the release binary (its symbol names are kept), runs it under callgrind on a temp data dir and free
# loopback ports (with its own Caddy when `caddy` is on PATH) for about a minute — start-up,
# 20 s at rest, register, login, `me`, `servers`, 20 s at rest — and keeps every executed
# function the binary defines. Run it after changes that move much code; a stale list only
# costs memory. Needs valgrind (apt-get install valgrind).
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
kill -INT "$pid"
wait "$pid" || true
pid=""

python3 - "$work/callgrind.out" "$BIN" server/link-order.txt <<'PY'
import re, subprocess, sys

profile, binary, out = sys.argv[1:]
executed = set()
for line in open(profile, errors="replace"):
    m = re.match(r"^c?fn=\(\d+\) (.+)$", line.rstrip("\n"))
    if m:
        executed.add(m.group(1))
symbols = subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True, check=True).stdout
text = {p[2] for p in (l.split() for l in symbols.splitlines()) if len(p) == 3 and p[1] in "tTwW"}
hot = sorted(executed & text)
with open(out, "w") as f:
    f.write("\n".join(hot) + "\n")
print(f"link-order: {len(hot)} functions of {len(text)} written to {out}")
PY
