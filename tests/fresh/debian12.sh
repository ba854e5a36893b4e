#!/usr/bin/env bash
# The test command on a fresh Debian 12: debootstrap's minbase (what every Debian has,
# nothing more) in a chroot, a clean clone of this checkout in it, and `CI=true bash
# .ci/run` there as root. Shows that scripts/install-deps.sh installs everything every
# tier needs. Not a ctest tier (it builds a machine and runs all the tiers in it: about
# as long as the tiers themselves, plus the installs); run it when the dependencies
# change.
#
#   sudo tests/fresh/debian12.sh [DIR]      # DIR: the new root, default /var/tmp/sft-fresh
#
# Only the kernel, /dev, /proc, /sys and the network are the host's, and with the
# network the certificate authorities it needs trusted (the host's own, in
# /usr/local/share/ca-certificates: ca-certificates adds them to the new root's trust
# when install-deps installs it), as any machine on that network has them. The chroot
# runs in its own mount namespace, so what it mounts goes away with it. Exits with the
# test command's exit status; the log is DIR/ci.log.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
dir=${1:-/var/tmp/sft-fresh}
[ "$(id -u)" -eq 0 ] || { echo "fresh: run as root (debootstrap, chroot, mounts)" >&2; exit 1; }
for tool in debootstrap git unshare; do
  command -v "$tool" >/dev/null || { echo "fresh: $tool is not installed" >&2; exit 1; }
done

start=$SECONDS
rm -rf "$dir"
echo "fresh: debootstrap --variant=minbase bookworm $dir"
debootstrap --variant=minbase bookworm "$dir" http://deb.debian.org/debian >"$dir.debootstrap.log" 2>&1 ||
  { echo "fresh: debootstrap failed (see $dir.debootstrap.log)" >&2; exit 1; }
cp /etc/resolv.conf "$dir/etc/resolv.conf"
mkdir -p "$dir/usr/local/share/ca-certificates"
cp -r /usr/local/share/ca-certificates/. "$dir/usr/local/share/ca-certificates/" 2>/dev/null || true
git clone -q "$src" "$dir/root/sft"
echo "fresh: $(chroot "$dir" dpkg-query -W | wc -l) packages in the new root, $((SECONDS - start)) s"

rc=0
unshare --mount --propagation private /bin/bash -euc '
  dir=$1
  mount --rbind /dev "$dir/dev"
  mount -t proc proc "$dir/proc"
  mount --rbind /sys "$dir/sys"
  mount -t tmpfs tmpfs "$dir/run"
  mount -t tmpfs tmpfs "$dir/tmp"
  exec chroot "$dir" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 CI=true \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    /bin/bash -c "cd /root/sft && bash .ci/run"
' fresh "$dir" 2>&1 | tee "$dir/ci.log" || rc=$?
echo "fresh: .ci/run in a fresh Debian 12 exited $rc after $((SECONDS - start)) s in all (log: $dir/ci.log)"
exit $rc
