#!/bin/bash
# Builds the root image of the Pacemaker guests: Debian 12 (debootstrap, minbase) with
# systemd, Corosync, Pacemaker and drbd-utils, the kernel modules of build-guest.sh's
# kernel, the control loop as a service, Corosync configured for alpha and bravo, DRBD
# resource r0 on their /dev/vdb with fencing resource-and-stonith and sft's handlers,
# and a staged install of ours (fence_oci included) on top.
#
#   tests/real-drbd/build-cluster-image.sh WORK STAGE
#
# Run build-guest.sh WORK first (its kernel tree and module set are reused). The
# debootstrap tree (about 90 s and 400 MB the first time) is cached by content: a tarball
# in $SFT_CACHE_DIR/real-drbd (default ~/.cache/sft) named by the hash of what makes it
# (suite, variant, mirror, packages), so any checkout on the same machine unpacks it
# instead of running debootstrap again. WORK/cluster.img is rebuilt each time from it
# (mkfs.ext4 -d, no loop device or mount).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(cd "${1:?usage: build-cluster-image.sh WORK STAGE}" && pwd)
stage=$(cd "${2:?usage: build-cluster-image.sh WORK STAGE}" && pwd)
root=$work/cluster-root
command -v debootstrap >/dev/null || { echo "build-cluster-image: debootstrap is not installed" >&2; exit 1; }
kver=$(ls "$work/root/lib/modules")

# strace: bench/drbd.py counts what each agent runs; libcurl4: fence_oci opens it;
# nftables: scenarios cut DRBD's port alone.
packages=systemd-sysv,udev,kmod,iproute2,procps,e2fsprogs,pacemaker,pacemaker-cli-utils,corosync,drbd-utils,strace,libcurl4,nftables
suite=bookworm mirror=http://deb.debian.org/debian
key=$(printf '%s\n' minbase "$packages" "$suite" "$mirror" | sha256sum | cut -c1-16)
cache=${SFT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sft}/real-drbd
tarball=$cache/cluster-root-$key.tar
mkdir -p "$cache"
if [ ! -s "$tarball" ]; then
  rm -rf "$root"
  debootstrap --variant=minbase --include="$packages" "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { echo "build-cluster-image: debootstrap failed (see $work/debootstrap.log)" >&2; exit 1; }
  rm -f "$root"/var/cache/apt/archives/*.deb
  # Written aside and renamed: another checkout may be building the same tarball.
  part=$(mktemp "$cache/.cluster-root.XXXXXX")
  tar -C "$root" --numeric-owner -cf "$part" . && mv "$part" "$tarball"
  echo "build-cluster-image: debootstrap tree cached as $tarball"
fi
# Every build starts from the cached tree as debootstrap left it.
rm -rf "$root"
mkdir -p "$root"
tar -C "$root" --numeric-owner -xf "$tarball"
rm -f "$root/etc/hostname"

# The kernel's modules, as the initramfs has them.
rm -rf "$root/lib/modules"
mkdir -p "$root/lib/modules"
cp -a "$work/root/lib/modules/$kver" "$root/lib/modules/"
cp "$work/kernel/lib/modules/$kver"/modules.{order,builtin,builtin.modinfo} "$root/lib/modules/$kver/"
chroot "$root" depmod "$kver"

install -m 0755 "$here/control-loop.sh" "$root/usr/local/sbin/control-loop"
cat >"$root/etc/systemd/system/control-loop.service" <<'EOF'
[Unit]
Description=Test control channel on ttyS1
[Service]
ExecStart=/usr/local/sbin/control-loop
Restart=always
[Install]
WantedBy=multi-user.target
EOF
ln -sf /etc/systemd/system/control-loop.service "$root/etc/systemd/system/multi-user.target.wants/control-loop.service"

cat >"$root/etc/corosync/corosync.conf" <<'EOF'
totem {
  version: 2
  cluster_name: sft-real-drbd
  transport: knet
  crypto_cipher: none
  crypto_hash: none
  token: 5000
}
nodelist {
  node {
    ring0_addr: 10.99.0.1
    name: alpha
    nodeid: 1
  }
  node {
    ring0_addr: 10.99.0.2
    name: bravo
    nodeid: 2
  }
}
quorum {
  provider: corosync_votequorum
  two_node: 1
}
logging {
  to_syslog: yes
}
EOF
printf 'global { usage-count no; }\n' >"$root/etc/drbd.d/global_common.conf"
# The test bed's resource, in the image: a guest that boots again finds it before
# Pacemaker starts the resource there.
cat >"$root/etc/drbd.d/r0.res" <<'EOF'
resource r0 {
  net { protocol C; ping-int 3; connect-int 2; }
  disk { fencing resource-and-stonith; c-plan-ahead 0; resync-rate 500M; }
  handlers {
    fence-peer "/usr/lib/drbd/sft-fence-peer";
    after-resync-target "/usr/lib/drbd/sft-unfence-peer";
  }
  on alpha { device /dev/drbd0; disk /dev/vdb; address 10.99.0.1:7789; meta-disk internal; }
  on bravo { device /dev/drbd0; disk /dev/vdb; address 10.99.0.2:7789; meta-disk internal; }
}
EOF
grep -qs ' alpha$' "$root/etc/hosts" || printf '10.99.0.1 alpha\n10.99.0.2 bravo\n' >>"$root/etc/hosts"
# The mock OCI API, forwarded by the host (guests.py, oci_port); its certificate names it.
grep -qs ' oci.test$' "$root/etc/hosts" || printf '10.0.2.100 oci.test\n' >>"$root/etc/hosts"

cp -a "$stage/." "$root/"
mkfs.ext4 -q -F -L root -d "$root" "$work/cluster.img" 1G >"$work/mkfs.log" 2>&1 ||
  { echo "build-cluster-image: mkfs.ext4 failed (see $work/mkfs.log)" >&2; exit 1; }
echo "build-cluster-image: $(du -sh "$root" | cut -f1) root, with $(cd "$stage" && find . -type f | wc -l) staged files"
