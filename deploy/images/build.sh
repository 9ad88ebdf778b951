#!/usr/bin/env bash
# Builds devswarm's local images without a registry (none is reachable on our machines).
#   deploy/images/build.sh base   devswarm/base: busybox-static rootfs, ~2 MB, seconds (tests)
#   deploy/images/build.sh dev    devswarm/dev: debootstrapped Debian with bash, git, sudo, ssh tools (~1 min)
# Both are reproducible from Debian packages; rebuilding replaces the tag.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
what=${1:-base}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

need() { command -v "$1" >/dev/null || { echo "build.sh: '$1' is missing (apt-get install -y $2)" >&2; exit 1; }; }
need docker docker.io

build_base() {
  # the busybox of Debian's busybox-static package; the dynamic busybox would need libc in the image
  local bb=/bin/busybox
  if ! [ -x "$bb" ] || ! { ldd "$bb" 2>&1 || true; } | grep -q 'not a dynamic'; then
    need dpkg-deb dpkg
    (cd "$work" && apt-get download busybox-static >/dev/null 2>&1) || { echo "build.sh: cannot fetch busybox-static (apt-get install -y busybox-static)" >&2; exit 1; }
    dpkg-deb -x "$work"/busybox-static_*.deb "$work/pkg"
    bb="$work/pkg/bin/busybox"
  fi
  local root="$work/rootfs"
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,root,workspace,home/developer,proc,sys,dev}
  cp "$bb" "$root/bin/busybox"
  for applet in $("$root/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -sf /bin/busybox "$root/bin/$applet"
  done
  chmod 1777 "$root/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\ndeveloper:x:1000:1000:developer:/home/developer:/bin/sh\n' > "$root/etc/passwd"
  printf 'root:x:0:\ndeveloper:x:1000:\n' > "$root/etc/group"
  tar -C "$root" --numeric-owner -cf "$work/rootfs.tar" .
  # sleep as the command: with the provider's init (tini) as PID 1 it stops at once on SIGTERM
  docker import -c 'CMD ["/bin/sleep","2147483647"]' -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'WORKDIR /workspace' "$work/rootfs.tar" devswarm/base:latest >/dev/null
  echo "built devswarm/base:latest ($(docker image inspect -f '{{.Size}}' devswarm/base:latest) bytes)"
}

build_dev() {
  need debootstrap debootstrap
  local mirror
  mirror=$(grep -hE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null | grep -oE 'https?://[^ ]+' | grep -v security | grep -m1 debian || true)
  mirror=${mirror:-http://deb.debian.org/debian}
  local root="$work/rootfs"
  debootstrap --variant=minbase \
    --include=bash,git,sudo,ca-certificates,openssh-client,openssh-sftp-server,openssh-server,procps,less,curl,socat,netcat-openbsd,locales \
    bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  "$here/dev/setup-rootfs.sh" "$root"
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" --numeric-owner -cf "$work/rootfs.tar" .
  docker import -c 'CMD ["/bin/sleep","infinity"]' -c 'USER developer' -c 'WORKDIR /workspace/developer' \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 SHELL=/bin/bash HOME=/workspace/developer' \
    "$work/rootfs.tar" devswarm/dev:latest >/dev/null
  echo "built devswarm/dev:latest ($(docker image inspect -f '{{.Size}}' devswarm/dev:latest) bytes)"
}

case "$what" in
  base) build_base ;;
  dev) build_dev ;;
  all) build_base; build_dev ;;
  *) echo "usage: $0 base|dev|all" >&2; exit 2 ;;
esac
