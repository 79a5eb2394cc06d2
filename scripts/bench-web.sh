#!/usr/bin/env bash
# Prints the web UI's figures (it asserts nothing): JavaScript the first page loads, gzipped;
# a 100,000-line build log followed live in Chromium (every line in order, most DOM rows, time
# to show a scroll); and the idle resident memory of the release binary with the UI embedded.
# Needs what scripts/test.sh sets up (Docker, Caddy, Chromium, the test image).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/setup.sh --with-test-fixtures >/dev/null
cargo_home="${CARGO_HOME:-${HOME:-/root}/.cargo}"
if ! command -v cargo >/dev/null 2>&1; then export PATH="$cargo_home/bin:$PATH"; fi

(cd web && npm ci --no-audit --no-fund --silent && npm run --silent build >/dev/null 2>&1) || { echo "bench-web: the UI build failed; run npm run build in web/ to see why" >&2; exit 1; }
cargo build --release -p ployer-server >/dev/null 2>&1 || cargo build --release -p ployer-server
bin="$PWD/${CARGO_TARGET_DIR:-target}/release/ployer"

echo "== web UI =="
(cd web && PLOYER_BIN="$bin" node bench/ui.bench.js)

echo "== idle memory with the UI embedded =="
data=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$data"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PLOYER_START_CADDY=false "$bin" start --listen "127.0.0.1:$port" --data-dir "$data" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
# Every page of the UI once, so its files have been served at least once.
for path in / /_app/version.json; do curl -s -H 'accept: text/html' "http://127.0.0.1:$port$path" >/dev/null; done
sleep 5
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
echo "ployer start, idle after serving the UI: $((rss / 1024)).$(((rss % 1024) * 10 / 1024)) MB resident (target ≤ 15 MB)"
