#!/usr/bin/env bash
# Builds the local base image ployer-test/busybox:latest that the tests deploy (no registry
# is reachable, so nothing can be pulled): /bin/busybox from Debian's busybox-static plus
# applet symlinks, an empty /www for `httpd -f -p 8080 -h /www`, and /tmp. Does nothing when
# the image exists already; --rebuild replaces it.
#
# Usage: scripts/test-image.sh [--rebuild]
set -euo pipefail

IMAGE=ployer-test/busybox:latest
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

if [ "$rebuild" -eq 0 ] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  say "$IMAGE present"
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
