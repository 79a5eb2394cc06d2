#!/usr/bin/env bash
# Runs Ployer: sets up what is missing (scripts/setup.sh), builds the web UI and the release
# binary (which embeds the UI) and
# starts it. Arguments pass through to `ployer start`, e.g.
#   scripts/run.sh --listen 127.0.0.1:8080 --data-dir ./data
# (it runs from the repository root, so relative paths are taken from there).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/setup.sh

# setup.sh may have just installed Rust; its PATH change doesn't reach this shell.
cargo_home="${CARGO_HOME:-${HOME:-/root}/.cargo}"
if ! command -v cargo >/dev/null 2>&1; then export PATH="$cargo_home/bin:$PATH"; fi

echo "run: building the web UI (npm ci, npm run build)"
(cd web && npm ci --no-audit --no-fund && npm run build)

echo "run: cargo build --release -p ployer-server"
cargo build --release -p ployer-server

exec "${CARGO_TARGET_DIR:-target}/release/ployer" start "$@"
