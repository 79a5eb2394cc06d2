#!/usr/bin/env bash
# Builds the local base image ployer-test/busybox:latest that the tests deploy (no registry
# is reachable, so nothing can be pulled): /bin/busybox from Debian's busybox-static plus
# applet symlinks, an empty /www for `httpd -f -p 8080 -h /www`, and /tmp. Also
# ployer-test/caddy:latest, the same with this machine's (static) caddy binary: the Caddy
# image the tests have Ployer run on the lab's remote servers (users' servers pull caddy:2).
# Does nothing for an image that exists already; --rebuild replaces them.
#
# Usage: scripts/test-image.sh [--rebuild]
set -euo pipefail

IMAGE=ployer-test/busybox:latest
CADDY_IMAGE=ployer-test/caddy:latest
BUSYBOX=/bin/busybox
APPLETS=(sh httpd echo cat sleep ls mkdir wget nc env printf kill true false tr date)

say() { printf 'test-image: %s\n' "$*"; }
die() { printf 'test-image: ERROR: %s\n' "$*" >&2; exit 1; }

rebuild=0
for arg in "$@"; do
  case "$arg" in
    --rebuild) rebuild=1 ;;
    -h | --help) sed -n '2,7p' "$0"; exit 0 ;;
    *) die "unknown argument: $arg (usage: scripts/test-image.sh [--rebuild])" ;;
  esac
done

build_caddy_image() {
  local caddy rootfs
  if [ "$rebuild" -eq 0 ] && docker image inspect "$CADDY_IMAGE" >/dev/null 2>&1; then
    say "$CADDY_IMAGE present"
    return
  fi
  caddy=$(command -v caddy) || die "caddy missing (scripts/setup.sh installs it)"
  ldd "$caddy" >/dev/null 2>&1 && die "$caddy is dynamically linked; the image needs a static one"
  rootfs=$(mktemp -d)
  mkdir -p "$rootfs/bin" "$rootfs/usr/bin" "$rootfs/tmp" "$rootfs/data"
  chmod 1777 "$rootfs/tmp"
  cp "$BUSYBOX" "$rootfs/bin/busybox"
  for applet in sh cat mv rm printf; do ln -s busybox "$rootfs/bin/$applet"; done
  cp "$caddy" "$rootfs/usr/bin/caddy"
  tar -C "$rootfs" --owner=0 --group=0 --numeric-owner -c . \
    | docker import -c 'ENV PATH=/usr/bin:/bin' -c 'CMD ["caddy", "run"]' - "$CADDY_IMAGE" >/dev/null
  rm -rf "$rootfs"
  say "built $CADDY_IMAGE"
}

if [ "$rebuild" -eq 0 ] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  say "$IMAGE present"
  build_caddy_image
  exit 0
fi

[ -x "$BUSYBOX" ] || die "$BUSYBOX missing (apt-get install busybox-static)"
# A dynamically linked busybox (package busybox) would not run in an empty rootfs.
if ldd "$BUSYBOX" >/dev/null 2>&1; then
  die "$BUSYBOX is dynamically linked (apt-get install busybox-static)"
fi
available=" $("$BUSYBOX" --list | tr '\n' ' ') "
for applet in "${APPLETS[@]}"; do
  [[ $available == *" $applet "* ]] || die "$BUSYBOX has no applet $applet"
done

rootfs=$(mktemp -d)
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$rootfs/bin" "$rootfs/tmp" "$rootfs/www"
chmod 1777 "$rootfs/tmp"
cp "$BUSYBOX" "$rootfs/bin/busybox"
for applet in "${APPLETS[@]}"; do
  ln -s busybox "$rootfs/bin/$applet"
done

tar -C "$rootfs" --owner=0 --group=0 --numeric-owner -c . \
  | docker import -c 'CMD ["/bin/sh"]' - "$IMAGE" >/dev/null
say "built $IMAGE ($(docker image inspect -f '{{.Size}}' "$IMAGE") bytes)"
build_caddy_image
