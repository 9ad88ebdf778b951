#!/usr/bin/env bash
# Turns a debootstrapped Debian rootfs into devswarm/dev: user developer (uid 1000, passwordless
# sudo, no root login) and the /workspace layout of seed 000. Run by build.sh; also usable in a Dockerfile.
set -euo pipefail
root=${1:?rootfs directory}
chroot "$root" /bin/sh -ec '
  groupadd -g 1000 developer
  useradd -u 1000 -g 1000 -m -d /workspace/developer -s /bin/bash developer
  echo "developer ALL=(ALL) NOPASSWD:ALL" > /etc/sudoers.d/developer
  chmod 0440 /etc/sudoers.d/developer
  passwd -l root
  mkdir -p /workspace/projects/active /workspace/projects/archive /workspace/scripts/lib /workspace/scripts/extensions.d /workspace/config /workspace/backups
  chown -R developer:developer /workspace
  # sshd is not started by devswarm (the gateway bridges exec streams); it is here for comparisons and for
  # users who want it. No host keys are baked in: whoever starts sshd runs ssh-keygen -A first, so each
  # container gets its own.
  rm -f /etc/ssh/ssh_host_*
  mkdir -p /run/sshd
'
