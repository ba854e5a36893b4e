#!/usr/bin/env bash
# Installs everything the build and every test tier need. Idempotent.
#   scripts/install-deps.sh            # detects the distribution
# Debian 12 (apt) is what CI runs; Oracle Linux 8/9 (dnf) is what users build on.
set -euo pipefail

debian_packages=(
  # build
  build-essential cmake ninja-build pkg-config git
  libboost-test-dev nlohmann-json3-dev libcurl4-openssl-dev libssl-dev
  libqb-dev libmount-dev libblkid-dev libxml2-dev
  pacemaker-dev libcpg-dev libquorum-dev libcmap-dev
  # test tiers: real filesystems, a real cluster stack, the anchor agents
  pacemaker pacemaker-cli-utils corosync pcs resource-agents fence-agents
  libxml2-utils xfsprogs e2fsprogs kmod util-linux procps psmisc dmsetup
  python3 strace ccache
  # the OCI tiers: the mock OCI API (Python), Oracle's own signer (npm oci-common;
  # npm itself is added below only when missing: some nodejs builds bundle it)
  python3-cryptography nodejs curl openssl ca-certificates
  qemu-system-x86 busybox-static cpio debootstrap
)

oracle_packages=(
  cmake ninja-build pkgconf-pkg-config git
  boost-devel json-devel libcurl-devel openssl-devel
  libqb-devel libmount-devel libblkid-devel libxml2-devel
  pacemaker-libs-devel corosynclib-devel
  pacemaker pacemaker-cli corosync pcs resource-agents fence-agents-common binutils
  libxml2 xfsprogs e2fsprogs kmod util-linux procps-ng psmisc device-mapper
  python3 strace ccache
  python3-cryptography nodejs npm curl openssl ca-certificates
)

need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then echo sudo; else
      echo "install-deps: run as root (or install sudo)" >&2; exit 1; fi
  fi
}

install_debian() {
  local missing=()
  for p in "${debian_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  command -v npm >/dev/null || missing+=(npm)
  [ ${#missing[@]} -eq 0 ] && { echo "install-deps: all ${#debian_packages[@]} packages present"; return; }
  local sudo; sudo=$(need_root)
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  # Services must not start on install (the tests start their own cluster): a
  # policy-rc.d that says no, for the duration of the install only.
  local policy=/usr/sbin/policy-rc.d added=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod 755 "$policy" && added=1
  fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" || {
    [ -n "$added" ] && $sudo rm -f "$policy"; return 1; }
  [ -n "$added" ] && $sudo rm -f "$policy"
  return 0
}

install_oracle() {
  local sudo; sudo=$(need_root)
  local major; major=$(. /etc/os-release; echo "${VERSION_ID%%.*}")
  # The HA stack lives in the addons repository; nlohmann json and ccache in EPEL.
  $sudo dnf install -y "oracle-epel-release-el${major}" || true
  $sudo dnf config-manager --enable "ol${major}_addons" "ol${major}_codeready_builder" || true
  if [ "$major" = 8 ]; then $sudo dnf install -y gcc-toolset-13; else $sudo dnf install -y gcc-c++; fi
  $sudo dnf install -y "${oracle_packages[@]}"
  [ "$major" = 8 ] && echo "install-deps: run 'source scl_source enable gcc-toolset-13' before building"
  return 0
}

. /etc/os-release
case " ${ID} ${ID_LIKE:-} " in
  *" debian "*) install_debian ;;
  *" ol "*|*" rhel "*|*" fedora "*) install_oracle ;;
  *) echo "install-deps: unsupported distribution '${ID}'" >&2; exit 1 ;;
esac
