#!/usr/bin/env bash
# Runs every check CI runs, in order, stopping at the first failure: set-up (including the
# test base image and Chromium; dockerd is started if needed and caddy put on PATH), the web
# UI (npm ci, generated GraphQL types current, svelte-check without warnings, build), cargo fmt
# --check, clippy with warnings as errors, the lab's six hosts (scripts/lab.sh up 6), cargo
# test for the whole workspace, a few seconds of
# each fuzz target (scripts/fuzz.sh), then the browser tests against the real binary.
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

step "setup" scripts/setup.sh --with-test-fixtures --with-lab

# setup.sh may have just installed Rust; its PATH change doesn't reach this shell.
cargo_home="${CARGO_HOME:-${HOME:-/root}/.cargo}"
if ! command -v cargo >/dev/null 2>&1; then export PATH="$cargo_home/bin:$PATH"; fi

# The UI is built before the binary, which embeds it.
web_generated_current() {
  (cd web && npm run --silent codegen >/dev/null) || return 1
  if ! git diff --quiet --exit-code -- web/src/lib/graphql/generated \
    || [ -n "$(git ls-files --others --exclude-standard web/src/lib/graphql/generated)" ]; then
    git --no-pager diff --stat -- web/src/lib/graphql/generated >&2
    echo "web/src/lib/graphql/generated is not what schema.graphql and the operations generate: run 'npm run codegen' in web/ and commit it" >&2
    return 1
  fi
}
step "web: npm ci" bash -c 'cd web && npm ci --no-audit --no-fund'
step "web: generated GraphQL types are current" web_generated_current
step "web: svelte-check" bash -c 'cd web && npm run --silent check'
step "web: build" bash -c 'cd web && npm run --silent build'

step "cargo fmt --all --check" cargo fmt --all --check
step "cargo clippy --workspace --all-targets -- -D warnings" \
  cargo clippy --workspace --all-targets -- -D warnings
# Six hosts in network namespaces (own sshd and dockerd): the remote-server tests use the
# first three, the cluster test the other three.
step "lab: 6 hosts (scripts/lab.sh up 6)" scripts/lab.sh up 6
step "cargo test --workspace${*:+ $*}" cargo test --workspace "$@"
# A short run of every fuzz target (scripts/fuzz.sh; the README has the longer one).
step "fuzz: every target for ${PLOYER_FUZZ_SECONDS:-5} s" scripts/fuzz.sh "${PLOYER_FUZZ_SECONDS:-5}"
# The browser tests run the binary cargo test just built, with the UI embedded.
step "web: browser tests (playwright-core, Chromium)" \
  env PLOYER_BIN="$PWD/${CARGO_TARGET_DIR:-target}/debug/ployer" bash -c 'cd web && npm test'


printf '\n==== all checks passed ====\n'
