#!/usr/bin/env bash
# Runs every check CI runs, in order, stopping at the first failure: set-up (including the
# test base image; dockerd is started if needed and caddy put on PATH), cargo fmt --check,
# clippy with warnings as errors, then cargo test for the whole workspace.
# Extra arguments go to `cargo test`, e.g. scripts/test.sh -- --nocapture
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Runs one step under a banner; on failure names the step and exits with its status.
step() {
  local name=$1 started=$SECONDS status=0
  shift
  printf '\n==== %s ====\n' "$name"
  "$@" || status=$?
  if [ "$status" -ne 0 ]; then
    printf '\n==== FAILED: %s (exit %d) ====\n' "$name" "$status" >&2
    exit "$status"
  fi
  printf '==== ok: %s (%d s) ====\n' "$name" $((SECONDS - started))
}

step "setup" scripts/setup.sh --with-test-fixtures

# setup.sh may have just installed Rust; its PATH change doesn't reach this shell.
cargo_home="${CARGO_HOME:-${HOME:-/root}/.cargo}"
if ! command -v cargo >/dev/null 2>&1; then export PATH="$cargo_home/bin:$PATH"; fi

step "cargo fmt --all --check" cargo fmt --all --check
step "cargo clippy --workspace --all-targets -- -D warnings" \
  cargo clippy --workspace --all-targets -- -D warnings
step "cargo test --workspace${*:+ $*}" cargo test --workspace "$@"

printf '\n==== all checks passed ====\n'
