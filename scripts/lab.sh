#!/usr/bin/env bash
# A lab of N hosts on this machine for multi-machine tests. Each host is a network namespace
# (plab1, plab2, ...) with an address on a private /24 that exists only inside the lab, and
# runs its own containerd, dockerd and sshd, with the test base image loaded. Run as root.
#
#   scripts/lab.sh up N    tear down any previous lab, then bring up N hosts (1..50)
#   scripts/lab.sh down    tear everything down (also after a half-failed up); idempotent
#   scripts/lab.sh status  per host: name, address, docker socket, ssh command, memory
#   scripts/lab.sh check   per host: docker info, docker over ssh, a published port via curl
#   scripts/lab.sh engine stop|start N   stop or start host N's dockerd (a host whose engine
#                          goes away and comes back, for the tests)
#
# Network: the hosts' veths hang on a bridge (br0) inside a namespace of its own (plab-sw);
# the host namespace gets one veth, plab0, with the .1 address. The bridge is not in the host
# namespace because there bridged frames pass the host's iptables FORWARD chain (br_netfilter
# with bridge-nf-call-iptables=1, set by the host's dockerd, whose FORWARD policy is DROP),
# which drops host-to-host traffic; and the host's iptables are not ours to change. The lab
# namespaces have no default route, so nothing in them can reach beyond the lab. The engines
# take a registry anywhere on the lab's /24 over plain HTTP (--insecure-registry): a test runs
# one on the machine's lab address (the .1).
#
# State: sockets, pid files, configs, keys and logs under /run/ployer-lab (gone with the
# namespaces at boot on machines where /run is a tmpfs); images and containers (the docker
# and containerd roots) under /var/lib/ployer-lab, on disk, because they grow with what the
# tests build and overlay2 wants a real file system. /run/ployer-lab/hosts lists
# "name address socket" per host for tests to read.
#
# Environment: PLOYER_LAB_NET (first three octets of the lab /24, default 10.231.0),
# PLOYER_LAB_STORAGE_DRIVER (default overlay2), PLOYER_LAB_IMAGE (default
# ployer-test/busybox:latest, loaded from the machine's own dockerd).
set -euo pipefail

RUN_DIR=/run/ployer-lab
DATA_DIR=/var/lib/ployer-lab
NET=${PLOYER_LAB_NET:-10.231.0}
STORAGE_DRIVER=${PLOYER_LAB_STORAGE_DRIVER:-overlay2}
IMAGE=${PLOYER_LAB_IMAGE:-ployer-test/busybox:latest}
# The Caddy image Ployer runs on each lab host that gets applications (no registry here).
EDGE_IMAGE=${PLOYER_LAB_EDGE_IMAGE:-ployer-test/caddy:latest}
SWITCH=plab-sw # namespace holding the bridge
UPLINK=plab0   # the host namespace's veth into the lab
LOCK=/run/ployer-lab.lock # outside RUN_DIR, which down removes
KEY=$RUN_DIR/id_ed25519
KNOWN_HOSTS=$RUN_DIR/known_hosts
MAX_HOSTS=50
CHECK_PORT=18080
ENGINE_PIDS=() # dockerd per host number, while up runs

say() { printf 'lab: %s\n' "$*"; }
warn() { printf 'lab: WARNING: %s\n' "$*" >&2; }
die() { printf 'lab: ERROR: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,10p' "$0"; }

address() { printf '%s.%d' "$NET" $((10 + $1)); }
socket() { printf 'unix://%s/%s/docker.sock' "$RUN_DIR" "$1"; }
ssh_command() {
  printf 'ssh -i %s -o UserKnownHostsFile=%s root@%s' "$KEY" "$KNOWN_HOSTS" "$(address "$1")"
}
lab_docker() { local host=$1; shift; docker -H "$(socket "$host")" "$@"; }
lab_ssh() {
  local n=$1; shift
  ssh -i "$KEY" -o UserKnownHostsFile="$KNOWN_HOSTS" -o StrictHostKeyChecking=yes \
    -o BatchMode=yes -o ConnectTimeout=5 -o LogLevel=ERROR "root@$(address "$n")" "$@"
}
in_netns() { local ns=$1; shift; nsenter --net="/run/netns/$ns" -- "$@"; }

# Host numbers of the lab that exists now (namespaces or state directories), ascending.
lab_hosts() {
  {
    ip netns list 2>/dev/null | awk '{ print $1 }' || true
    ls "$RUN_DIR" "$DATA_DIR" 2>/dev/null || true
  } | sed -n 's/^plab\([0-9][0-9]*\)$/\1/p' | sort -nu
}

# The host's iptables rules (filter and nat), to show that the lab leaves them alone.
host_iptables() {
  iptables -S
  iptables -t nat -S
}

# Prints how the host's rules differ from those saved at bring-up, and whether any mention
# the lab. Other users of the machine's dockerd change its rules too, so a diff alone is not
# proof of a lab leak; a rule naming a lab address or interface would be.
report_iptables() {
  local before=$RUN_DIR/iptables.before now
  [ -f "$before" ] || { warn "no iptables snapshot from bring-up"; return 0; }
  now=$(host_iptables)
  if diff_out=$(diff "$before" <(printf '%s\n' "$now")); then
    say "host iptables (filter, nat): unchanged since bring-up ($(wc -l <"$before") rules)"
  else
    say "host iptables changed since bring-up (by the machine's dockerd, not the lab, unless flagged below):"
    printf '%s\n' "$diff_out" | sed 's/^/    /'
  fi
  if printf '%s\n' "$now" | grep -E -e "${NET//./\\.}\." -e 'plab' -e '10\.232\.' >/dev/null; then
    warn "a host iptables rule mentions the lab:"
    printf '%s\n' "$now" | grep -E -e "${NET//./\\.}\." -e 'plab' -e '10\.232\.' >&2
    return 1
  fi
  say "no host iptables rule mentions the lab ($NET.0/24, 10.232.0.0/16, plab*)"
}

# Whether pid $1 runs and is not a zombie (this machine's init reaps orphans only every
# couple of seconds).
running() {
  local state
  state=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

# Sends TERM to pid $1 if it is still command $2, waits up to $3 s, then KILLs it.
stop_pid() {
  local pid=$1 comm=$2 wait=${3:-10}
  [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$comm" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq $((wait * 10))); do
    running "$pid" || return 0
    sleep 0.1
  done
  warn "$comm ($pid) did not stop within ${wait}s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

# Pids of the processes in network namespace $1 (by the namespace's inode).
netns_pids() {
  local inode
  inode=$(stat -L -c %i "/run/netns/$1" 2>/dev/null) || return 0
  find /proc -mindepth 3 -maxdepth 3 -path '/proc/[0-9]*/ns/net' -lname "net:\[$inode\]" 2>/dev/null \
    | cut -d/ -f3
  return 0
}

# The cgroup directories (all hierarchies) that host $1's containers go under.
cgroup_dirs() { find /sys/fs/cgroup -mindepth 1 -maxdepth 2 -type d -name "ployer-lab-plab$1" 2>/dev/null; }

# Mount points at or below directory $1, deepest first.
mounts_under() {
  awk -v root="$1" '$5 == root || index($5, root "/") == 1 { print $5 }' /proc/self/mountinfo \
    | awk '{ print length, $0 }' | sort -rn | cut -d' ' -f2-
}

teardown_host() {
  local n=$1 host=plab$1 dir=$RUN_DIR/plab$1 data=$DATA_DIR/plab$1 pid mount cg
  # Containers first, while the engine still answers (their pid 1 may ignore TERM).
  if [ -S "$dir/docker.sock" ]; then
    local ids
    ids=$(timeout 10 docker -H "unix://$dir/docker.sock" ps -aq 2>/dev/null || true)
    if [ -n "$ids" ]; then
      # shellcheck disable=SC2086 # one id per word
      timeout 30 docker -H "unix://$dir/docker.sock" rm -f $ids >/dev/null 2>&1 || true
    fi
  fi
  stop_pid "$(cat "$dir/sshd.pid" 2>/dev/null || true)" sshd 5
  stop_pid "$(cat "$dir/dockerd.pid" 2>/dev/null || true)" dockerd 20
  stop_pid "$(cat "$dir/containerd.pid" 2>/dev/null || true)" containerd 10
  # Whatever is left: processes in the namespace (shims, ssh sessions, docker-proxy) and in
  # the host's container cgroups (containers of a killed engine).
  for _ in 1 2 3 4 5; do
    local pids=() live=()
    mapfile -t pids < <(netns_pids "$host"; for cg in $(cgroup_dirs "$n"); do
      find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null; done)
    for pid in "${pids[@]}"; do running "$pid" && live+=("$pid"); done
    [ ${#live[@]} -eq 0 ] && break
    kill -KILL "${live[@]}" 2>/dev/null || true
    sleep 0.2
  done
  for root in "$data" "$dir"; do
    for mount in $(mounts_under "$root"); do
      umount "$mount" 2>/dev/null || umount -l "$mount" 2>/dev/null || warn "cannot unmount $mount"
    done
  done
  for cg in $(cgroup_dirs "$n"); do
    find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null || warn "cannot remove cgroup $cg"
  done
  if [ -e "/run/netns/$host" ]; then
    ip netns del "$host" 2>/dev/null || warn "cannot delete namespace $host"
  fi
  # --one-file-system: never follow into a mount that is somehow still there.
  rm -rf --one-file-system "$dir" "$data"
}

cmd_down() {
  local n
  for n in $(lab_hosts); do
    say "tearing down plab$n"
    teardown_host "$n"
  done
  if [ -e "/run/netns/$SWITCH" ]; then ip netns del "$SWITCH" || warn "cannot delete namespace $SWITCH"; fi
  # Deleting the namespace takes the veth pair with it, asynchronously; don't wait for that.
  if ip link show "$UPLINK" >/dev/null 2>&1; then ip link del "$UPLINK" 2>/dev/null || true; fi
  for _ in $(seq 50); do
    ip link show "$UPLINK" >/dev/null 2>&1 || break
    sleep 0.1
  done
  ! ip link show "$UPLINK" >/dev/null 2>&1 || warn "interface $UPLINK is still there"
  if [ -d "$RUN_DIR" ]; then
    report_iptables || true
    rm -rf --one-file-system "$RUN_DIR"
  fi
  rm -f "$DATA_DIR/image.tar"
  rmdir "$DATA_DIR" 2>/dev/null || true
  say "down"
}

write_host_config() {
  local n=$1 dir=$RUN_DIR/plab$1 data=$DATA_DIR/plab$1
  mkdir -p "$dir/containerd" "$dir/exec" "$data/docker" "$data/containerd"
  chmod 700 "$data"
  cat >"$dir/containerd.toml" <<EOF
version = 2
root = "$data/containerd"
state = "$dir/containerd"
disabled_plugins = ["io.containerd.grpc.v1.cri"]

[grpc]
  address = "$dir/containerd/containerd.sock"

[debug]
  level = "info"

[plugins."io.containerd.internal.v1.opt"]
  path = "$data/containerd/opt"
EOF
  # Nothing from /etc/docker/daemon.json: every setting is on the command line.
  printf '{}\n' >"$dir/daemon.json"
  ssh-keygen -q -t ed25519 -N '' -C "plab$n" -f "$dir/ssh_host_ed25519_key"
  cat >"$dir/sshd_config" <<EOF
ListenAddress $(address "$n"):22
HostKey $dir/ssh_host_ed25519_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $RUN_DIR/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes yes
AllowTcpForwarding yes
AllowStreamLocalForwarding yes
# So that \`docker\` in a session (and \`docker -H ssh://\`, which runs \`docker system
# dial-stdio\` here) talks to this host's engine.
SetEnv DOCKER_HOST=$(socket "plab$n")
Subsystem sftp /usr/lib/openssh/sftp-server
EOF
}

# Starts containerd, then dockerd on it, in host $1's namespace, each in a session of its own
# (a Ctrl-C in the caller's terminal must not reach them), without the lock's fd 9.
start_engine() {
  local n=$1 dir=$RUN_DIR/plab$1 data=$DATA_DIR/plab$1
  setsid nsenter --net="/run/netns/plab$n" -- containerd --config "$dir/containerd.toml" \
    </dev/null >>"$dir/containerd.log" 2>&1 9>&- &
  echo $! >"$dir/containerd.pid"
  for _ in $(seq 100); do
    [ -S "$dir/containerd/containerd.sock" ] && break
    kill -0 "$(cat "$dir/containerd.pid")" 2>/dev/null || break
    sleep 0.1
  done
  [ -S "$dir/containerd/containerd.sock" ] || { tail -n 20 "$dir/containerd.log" >&2; die "containerd of plab$n did not start"; }
  setsid nsenter --net="/run/netns/plab$n" -- dockerd \
    --config-file "$dir/daemon.json" \
    --data-root "$data/docker" \
    --exec-root "$dir/exec" \
    --pidfile "$dir/dockerd.pid" \
    -H "$(socket "plab$n")" \
    --containerd "$dir/containerd/containerd.sock" \
    --containerd-namespace "plab$n" \
    --containerd-plugins-namespace "plab$n-plugins" \
    --bip "10.232.$n.1/24" \
    --default-address-pool "base=10.233.0.0/16,size=24" \
    --cgroup-parent "/ployer-lab-plab$n" \
    --storage-driver "$STORAGE_DRIVER" \
    --insecure-registry "$NET.0/24" \
    </dev/null >>"$dir/dockerd.log" 2>&1 9>&- &
  ENGINE_PIDS[n]=$!
}

wait_engine() {
  local n=$1 dir=$RUN_DIR/plab$1
  for _ in $(seq 300); do
    lab_docker "plab$n" version >/dev/null 2>&1 && return 0
    running "${ENGINE_PIDS[n]}" || break
    sleep 0.1
  done
  tail -n 5 "$dir/dockerd.log" >&2
  running "${ENGINE_PIDS[n]}" || die "dockerd of plab$n exited (log: $dir/dockerd.log)"
  die "dockerd of plab$n did not answer on $(socket "plab$n") within 30 s (log: $dir/dockerd.log)"
}

start_sshd() {
  local n=$1 dir=$RUN_DIR/plab$1
  mkdir -p /run/sshd # privilege separation directory
  in_netns "plab$n" /usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log" 9>&- \
    || { tail -n 20 "$dir/sshd.log" >&2; die "sshd of plab$n did not start"; }
}

wait_sshd() {
  local n=$1
  for _ in $(seq 50); do
    lab_ssh "$n" true 2>/dev/null && return 0
    sleep 0.1
  done
  lab_ssh "$n" true || die "ssh to plab$n ($(address "$n")) fails"
}

# On a failed or interrupted up. The trap runs under the redirections of whatever command
# it interrupted (e.g. a probe's >/dev/null), so it writes to the script's own stdout and
# stderr, kept as fds 3 and 4.
on_up_exit() {
  local rc=$?
  trap - EXIT
  if [ "$rc" -ne 0 ]; then
    {
      warn "bring-up failed (exit $rc); tearing down"
      cmd_down || true
    } >&3 2>&4
  fi
  exit "$rc"
}

cmd_up() {
  local count=$1 n started
  if ! [[ $count =~ ^[0-9]+$ ]] || [ "$count" -lt 1 ] || [ "$count" -gt "$MAX_HOSTS" ]; then
    die "up wants a number of hosts from 1 to $MAX_HOSTS, not '$count'"
  fi
  [[ $NET =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "PLOYER_LAB_NET must be three octets (e.g. 10.231.0), not '$NET'"
  for tool in ip nsenter setsid dockerd containerd docker iptables curl ssh ssh-keygen /usr/sbin/sshd; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool missing (scripts/setup.sh --with-lab installs what the lab needs)"
  done
  for image in $IMAGE $EDGE_IMAGE; do
    docker image inspect "$image" >/dev/null 2>&1 || die "$image is not in the machine's docker (scripts/test-image.sh builds it)"
  done
  if ip route show | grep -F "$NET." >/dev/null && ! ip link show "$UPLINK" >/dev/null 2>&1; then
    die "$NET.0/24 is routed on this machine already; choose another PLOYER_LAB_NET"
  fi
  if [ -n "$(lab_hosts)" ] || [ -e "/run/netns/$SWITCH" ] || [ -d "$RUN_DIR" ]; then
    say "removing the previous lab"
    cmd_down
  fi
  started=$EPOCHREALTIME
  exec 3>&1 4>&2
  trap on_up_exit EXIT
  trap 'exit 130' INT TERM
  mkdir -p "$RUN_DIR" "$DATA_DIR"
  chmod 755 "$RUN_DIR"
  chmod 711 "$DATA_DIR"
  host_iptables >"$RUN_DIR/iptables.before"

  ssh-keygen -q -t ed25519 -N '' -C ployer-lab -f "$KEY"
  # Readable by every user (public keys): sshd reads it as the user logging in, and the tests
  # also log in as an unprivileged one (nobody) whom the engine's socket does not admit.
  install -m 644 "$KEY.pub" "$RUN_DIR/authorized_keys"
  : >"$KNOWN_HOSTS"
  : >"$RUN_DIR/hosts"

  # The switch: a bridge in a namespace of its own, and the host's uplink into it.
  ip netns add "$SWITCH"
  in_netns "$SWITCH" sysctl -qw net.bridge.bridge-nf-call-iptables=0 2>/dev/null || true
  ip -n "$SWITCH" link set lo up
  ip -n "$SWITCH" link add br0 type bridge
  ip -n "$SWITCH" link set br0 up
  ip link add "$UPLINK" type veth peer name uplink netns "$SWITCH"
  ip -n "$SWITCH" link set uplink master br0 up
  ip addr add "$NET.1/24" dev "$UPLINK"
  ip link set "$UPLINK" up

  for n in $(seq "$count"); do
    ip netns add "plab$n"
    ip -n "$SWITCH" link add "plab$n" type veth peer name eth0 netns "plab$n"
    ip -n "$SWITCH" link set "plab$n" master br0 up
    ip -n "plab$n" link set lo up
    ip -n "plab$n" addr add "$(address "$n")/24" dev eth0
    ip -n "plab$n" link set eth0 up
    write_host_config "$n"
    start_engine "$n"
  done

  local image_tar=$DATA_DIR/image.tar
  docker save -o "$image_tar" "$IMAGE" "$EDGE_IMAGE"
  for n in $(seq "$count"); do
    wait_engine "$n"
    local driver
    driver=$(lab_docker "plab$n" info --format '{{.Driver}}')
    [ "$driver" = "$STORAGE_DRIVER" ] || die "plab$n runs storage driver $driver, not $STORAGE_DRIVER"
    lab_docker "plab$n" load -q -i "$image_tar" >/dev/null
    start_sshd "$n"
    printf 'plab%d,%s %s\n' "$n" "$(address "$n")" "$(cut -d' ' -f1,2 "$RUN_DIR/plab$n/ssh_host_ed25519_key.pub")" >>"$KNOWN_HOSTS"
    printf 'plab%d %s %s\n' "$n" "$(address "$n")" "$(socket "plab$n")" >>"$RUN_DIR/hosts"
  done
  rm -f "$image_tar"
  for n in $(seq "$count"); do wait_sshd "$n"; done
  trap - EXIT INT TERM

  say "up: $count host(s) in $(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s (storage driver $STORAGE_DRIVER, cgroup fs $(stat -fc %T /sys/fs/cgroup))"
  report_iptables
  cmd_status
}

# Resident memory in MiB of pid $1 (0 when it is gone).
rss_mib() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024; found = 1 } END { if (!found) print 0 }' "/proc/$1/status" 2>/dev/null || echo 0; }

cmd_engine() {
  local action=$1 n=$2 dir=$RUN_DIR/plab$2 pid
  [ -d "$dir" ] || die "no lab host plab$n (scripts/lab.sh up N first)"
  case "$action" in
    stop)
      pid=$(cat "$dir/dockerd.pid" 2>/dev/null) || { say "dockerd of plab$n is not running"; return 0; }
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 300); do
        running "$pid" || { say "dockerd of plab$n stopped"; return 0; }
        sleep 0.1
      done
      die "dockerd of plab$n did not stop within 30 s"
      ;;
    start)
      start_engine "$n"
      wait_engine "$n"
      say "dockerd of plab$n answers"
      ;;
    *) die "usage: scripts/lab.sh engine stop|start N" ;;
  esac
}

cmd_status() {
  local n hosts ok=1
  hosts=$(lab_hosts)
  [ -n "$hosts" ] || { say "no lab (scripts/lab.sh up N)"; return 1; }
  say "key $KEY, known hosts $KNOWN_HOSTS, hosts file $RUN_DIR/hosts"
  for n in $hosts; do
    local dir=$RUN_DIR/plab$n engine=down sshd=down dpid cpid spid mem
    dpid=$(cat "$dir/dockerd.pid" 2>/dev/null || true)
    cpid=$(cat "$dir/containerd.pid" 2>/dev/null || true)
    spid=$(cat "$dir/sshd.pid" 2>/dev/null || true)
    if timeout 5 docker -H "$(socket "plab$n")" version --format '{{.Server.Version}}' >/dev/null 2>&1; then engine=up; else ok=0; fi
    if [ -n "$spid" ] && [ "$(cat "/proc/$spid/comm" 2>/dev/null)" = sshd ]; then sshd=up; else ok=0; fi
    mem="dockerd $(rss_mib "${dpid:-0}") MiB + containerd $(rss_mib "${cpid:-0}") MiB RSS"
    printf '%-6s %-13s %-40s docker %-4s sshd %-4s %s\n' "plab$n" "$(address "$n")" "$(socket "plab$n")" "$engine" "$sshd" "$mem"
    printf '       %s\n' "$(ssh_command "$n")"
  done
  [ "$ok" -eq 1 ]
}

# Fetches http://$2/ from network namespace $1 (empty: the host's), retrying while the
# container starts; prints the body.
fetch() {
  local ns=$1 url=$2 body
  for _ in $(seq 50); do
    if [ -z "$ns" ]; then
      body=$(curl -fsS --max-time 2 "$url" 2>/dev/null) && { printf '%s' "$body"; return 0; }
    else
      body=$(in_netns "$ns" curl -fsS --max-time 2 "$url" 2>/dev/null) && { printf '%s' "$body"; return 0; }
    fi
    sleep 0.1
  done
  return 1
}

cmd_check() {
  local hosts n failed=0 count
  hosts=$(lab_hosts)
  [ -n "$hosts" ] || die "no lab (scripts/lab.sh up N)"
  count=$(printf '%s\n' "$hosts" | wc -l)
  say "cgroup fs: $(stat -fc %T /sys/fs/cgroup)"
  for n in $hosts; do
    local host=plab$n addr id info via_ssh version body neighbour container
    addr=$(address "$n")
    if ! id=$(lab_docker "$host" info --format '{{.ID}}') ||
      ! info=$(lab_docker "$host" info --format 'docker {{.ServerVersion}}, {{.Driver}}, cgroup {{.CgroupDriver}} v{{.CgroupVersion}}, {{.Images}} image(s)'); then
      warn "$host: docker info on $(socket "$host") fails"; failed=1; continue
    fi
    say "$host: docker info: $info"
    if ! version=$(lab_ssh "$n" docker version --format "'{{.Server.Version}}'") ||
      ! via_ssh=$(lab_ssh "$n" docker info --format "'{{.ID}}'"); then
      warn "$host: docker over ssh root@$addr fails"; failed=1; continue
    fi
    if [ "$via_ssh" != "$id" ]; then
      warn "$host: docker over ssh reached engine $via_ssh, not this host's $id"; failed=1; continue
    fi
    say "$host: ssh root@$addr docker version: server $version (this host's engine)"
    container=plab-check-$$
    if ! lab_docker "$host" run -d --pull never --name "$container" -p "$addr:$CHECK_PORT:8080" "$IMAGE" \
      sh -c "echo hello from $host >/www/index.html && exec httpd -f -p 8080 -h /www" >/dev/null; then
      warn "$host: docker run fails"; failed=1; continue
    fi
    if body=$(fetch "" "http://$addr:$CHECK_PORT/") && [ "$body" = "hello from $host" ]; then
      say "$host: curl http://$addr:$CHECK_PORT/ from the host namespace: $body"
    else
      warn "$host: curl http://$addr:$CHECK_PORT/ from the host namespace fails (got '${body:-}')"; failed=1
    fi
    if [ "$count" -gt 1 ]; then
      neighbour=plab$(printf '%s\n' "$hosts" | awk -v n="$n" '$1 != n { print; exit }')
      if body=$(fetch "$neighbour" "http://$addr:$CHECK_PORT/") && [ "$body" = "hello from $host" ]; then
        say "$host: curl from $neighbour's namespace: $body"
      else
        warn "$host: curl http://$addr:$CHECK_PORT/ from $neighbour fails (got '${body:-}')"; failed=1
      fi
    fi
    lab_docker "$host" rm -f "$container" >/dev/null || { warn "$host: docker rm -f $container fails"; failed=1; }
  done
  cmd_status || failed=1
  report_iptables || failed=1
  [ "$failed" -eq 0 ] || die "check failed"
  say "check passed"
}

[ $# -ge 1 ] || { usage; exit 2; }
case "$1" in
  -h | --help) usage; exit 0 ;;
esac
[ "$(id -u)" -eq 0 ] || die "run as root (namespaces, dockerd)"
# One up or down at a time (a second caller waits for the first).
if [ "$1" = up ] || [ "$1" = down ]; then
  exec 9>"$LOCK"
  flock -w 300 9 || die "another scripts/lab.sh up/down holds $LOCK"
fi
case "$1" in
  up) [ $# -eq 2 ] || die "usage: scripts/lab.sh up N"; cmd_up "$2" ;;
  down) cmd_down ;;
  status) cmd_status ;;
  check) cmd_check ;;
  engine) [ $# -eq 3 ] || die "usage: scripts/lab.sh engine stop|start N"; cmd_engine "$2" "$3" ;;
  *) usage; exit 2 ;;
esac
