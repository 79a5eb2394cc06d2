#!/usr/bin/env bash
# Prints the web UI's figures (it asserts nothing): JavaScript the first page loads, gzipped;
# a 100,000-line build log followed live in Chromium (every line in order, most DOM rows, time
# to show a scroll); Ployer's resident memory with five browser tabs open on live pages (the
# dashboard, two applications' Metrics tabs, two applications' Logs tabs) against 20 running
# applications, before, while and after (web/bench/live-tabs.bench.js); and the idle resident
# memory of the release binary with the UI embedded.
# Needs what scripts/test.sh sets up (Docker, Caddy, Chromium, the test image).
# Usage: scripts/bench-web.sh   (BENCH_WEB_PARTS="tabs idle" runs only those of: ui tabs idle)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

parts=" ${BENCH_WEB_PARTS:-ui tabs idle} "
for part in $parts; do
  case "$part" in
    ui | tabs | idle) ;;
    *) echo "bench-web: unknown part '$part' in BENCH_WEB_PARTS (parts: ui tabs idle)" >&2; exit 1 ;;
  esac
done
want() { [[ "$parts" == *" $1 "* ]]; }

work=$(mktemp -d -t ployer-bench-web.XXXXXX)
pid=""
bench_pid=""
# Whatever happens to a bench (an error, Ctrl-C, a killed node), it leaves no process,
# container or image behind: it runs in a process group of its own (with the Ployer, Caddy,
# git daemon and Chromium it starts), which is told to stop and then killed; it lists the ids
# of the applications it creates in $work/app-ids, whose containers and images go last.
cleanup() {
  set +e
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  if [ -n "$bench_pid" ] && kill -TERM -- "-$bench_pid" 2>/dev/null; then
    # Its own clean-up stops Ployer and removes the containers: give it the time for that.
    for _ in $(seq 600); do kill -0 "$bench_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$bench_pid" 2>/dev/null
    wait "$bench_pid" 2>/dev/null
  fi
  if [ -s "$work/app-ids" ]; then
    # shellcheck disable=SC2046 # one id per word
    (cd web && node --input-type=module -e "import { removeDockerObjects } from './tests/harness.js'; removeDockerObjects(process.argv.slice(1));" $(cat "$work/app-ids"))
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# bench FILE: runs web/bench/FILE against the release binary in a process group of its own,
# with its temporary files (data dir, git repository, browser profile) under $work.
bench() {
  mkdir -p "$work/tmp"
  (cd web && TMPDIR="$work/tmp" PLOYER_BIN="$bin" BENCH_APP_IDS_FILE="$work/app-ids" exec setsid node "bench/$1") &
  bench_pid=$!
  wait "$bench_pid"
  bench_pid=""
}

scripts/setup.sh --with-test-fixtures >/dev/null
cargo_home="${CARGO_HOME:-${HOME:-/root}/.cargo}"
if ! command -v cargo >/dev/null 2>&1; then export PATH="$cargo_home/bin:$PATH"; fi

(cd web && npm ci --no-audit --no-fund --silent && npm run --silent build >/dev/null 2>&1) || { echo "bench-web: the UI build failed; run npm run build in web/ to see why" >&2; exit 1; }
cargo build --release -p ployer-server >/dev/null 2>&1 || cargo build --release -p ployer-server
bin="$PWD/${CARGO_TARGET_DIR:-target}/release/ployer"

if want ui; then
  echo "== web UI =="
  bench ui.bench.js
fi

if want tabs; then
  echo "== five live tabs against 20 applications =="
  bench live-tabs.bench.js
fi

if want idle; then
  echo "== idle memory with the UI embedded =="
  data="$work/data"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  PLOYER_START_CADDY=false "$bin" start --listen "127.0.0.1:$port" --data-dir "$data" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  # Every page of the UI once, so its files have been served at least once.
  for path in / /_app/version.json; do curl -s -H 'accept: text/html' "http://127.0.0.1:$port$path" >/dev/null; done
  sleep 5
  rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
  echo "ployer start, idle after serving the UI: $((rss / 1024)).$(((rss % 1024) * 10 / 1024)) MB resident (target ≤ 15 MB)"
fi
