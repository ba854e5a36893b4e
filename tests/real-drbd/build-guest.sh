#!/bin/bash
# Builds what the real-DRBD guests boot: Debian's kernel (its in-tree DRBD 8.4 module)
# and a busybox initramfs with drbd-utils 9 and, when given, a staged install of ours.
#
#   tests/real-drbd/build-guest.sh WORK [STAGE]
#
# The downloaded packages (kernel and drbd-utils, about 75 MB) are kept in the cache,
# $SFT_CACHE_DIR/real-drbd/debs (default ~/.cache/sft), under their versioned names, so
# a new checkout on the same machine downloads nothing; the kernel is the one
# linux-image-amd64 depends on today, found each time because its ABI name changes with
# every security update. STAGE is a DESTDIR (cmake --install with
# DESTDIR=STAGE); its files and the shared libraries they need go into a second archive
# appended to the first, which the kernel unpacks on top. /usr is not merged in the
# guest: drbd-utils lives in /sbin and /lib/drbd, ours under /usr, libraries in /lib.
# Writes WORK/vmlinuz and WORK/initrd.img; prints one line with the kernel and sizes.
# Needs busybox-static, cpio, apt-get download (network) and e2fsprogs on the host.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${1:?usage: build-guest.sh WORK [STAGE]}
stage=${2:-}
mkdir -p "$work"
work=$(cd "$work" && pwd)
debs=${SFT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sft}/real-drbd/debs
mkdir -p "$debs"
cd "$work"

kpkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
[ -n "$kpkg" ] || { echo "build-guest: no kernel package behind linux-image-amd64" >&2; exit 1; }
kver=${kpkg#linux-image-}
# The versions apt would fetch today: a cached file of another version is not used.
want=()
for p in "$kpkg" drbd-utils; do
  v=$(apt-cache policy "$p" | awk '/Candidate:/ {print $2}')
  [ -n "$v" ] && [ "$v" != "(none)" ] || { echo "build-guest: apt knows no $p" >&2; exit 1; }
  want+=("$debs/${p}_${v//:/%3a}_amd64.deb")
done
if [ ! -s "${want[0]}" ] || [ ! -s "${want[1]}" ]; then
  # Downloaded aside and moved in whole: another checkout may be reading the cache.
  fetch=$(mktemp -d "$debs/.fetch.XXXXXX")
  (cd "$fetch" && apt-get download -q "$kpkg" drbd-utils) || { rm -rf "$fetch"; echo "build-guest: apt-get download failed" >&2; exit 1; }
  mv "$fetch"/*.deb "$debs/" && rmdir "$fetch"
fi

rm -rf kernel utils root extra
dpkg-deb -x "${want[0]}" kernel
dpkg-deb -x "${want[1]}" utils
cp "kernel/boot/vmlinuz-$kver" vmlinuz

r=$work/root
mkdir -p "$r"/{bin,sbin,etc,proc,sys,dev,tmp,run,mnt,var/lib/drbd,lib/drbd,lib64,lib/x86_64-linux-gnu}
mkdir -p "$r/usr/lib" "$r/usr/bin" "$r/usr/sbin"
ln -s ../run "$r/var/run"; ln -s ../run/lock "$r/var/lock"
cp /bin/busybox "$r/bin/busybox"
for applet in $(/bin/busybox --list); do [ -e "$r/bin/$applet" ] || ln -s busybox "$r/bin/$applet"; done

# The modules DRBD and the test need, with what they depend on (modules.dep from busybox).
mods=lib/modules/$kver
busybox depmod -b kernel "$kver"
# nf_tables: the cluster scenarios cut DRBD's port alone with nft.
for m in virtio_pci virtio_blk virtio_net drbd ext4 crc32c_generic crc32c-intel nf_tables; do
  line=$(grep -E "/${m}\.ko(\.xz)?:" "kernel/$mods/modules.dep") || { echo "build-guest: no module $m in $kpkg" >&2; exit 1; }
  for f in ${line%%:*} ${line#*:}; do
    mkdir -p "$r/$mods/$(dirname "$f")"
    cp "kernel/$mods/$f" "$r/$mods/$f"
  done
done
busybox depmod -b "$r" "$kver"

# drbd-utils 9: the front ends exec drbdadm-84/drbdsetup-84 when /proc/drbd says 8.4.
cp utils/sbin/drbdadm utils/sbin/drbdsetup utils/sbin/drbdmeta "$r/sbin/"
cp utils/lib/drbd/drbdadm-84 utils/lib/drbd/drbdsetup-84 "$r/lib/drbd/"
cp /usr/sbin/mke2fs "$r/sbin/"; ln -sf mke2fs "$r/sbin/mkfs.ext4"; rm -f "$r/bin/mke2fs" "$r/bin/mkfs.ext4"

copy_libs() {  # copy_libs ROOT FILE...: the shared libraries FILEs load, into ROOT
  local root=$1; shift
  ldd "$@" 2>/dev/null | awk '/=> \// {print $3} /^\s*\/lib64\// {print $1}' | sort -u | while read -r lib; do
    local dest=$root/lib/x86_64-linux-gnu
    [[ $lib == /lib64/* ]] && dest=$root/lib64
    mkdir -p "$dest"
    [ -e "$dest/$(basename "$lib")" ] || cp -L "$lib" "$dest/"
  done
}
copy_libs "$r" /usr/sbin/mke2fs utils/sbin/drbdadm utils/sbin/drbdsetup utils/sbin/drbdmeta
cp -L /lib64/ld-linux-x86-64.so.2 "$r/lib64/"
install -m 0755 "$here/init.sh" "$r/init"
install -m 0755 "$here/control-loop.sh" "$r/bin/control-loop"
echo "root:x:0:0:root:/:/bin/sh" >"$r/etc/passwd"
echo "root:x:0:" >"$r/etc/group"
(cd "$r" && find . | cpio -o -H newc --quiet | gzip -1) >initrd.img

if [ -n "$stage" ]; then
  e=$work/extra
  mkdir -p "$e"
  cp -a "$stage/." "$e/"
  mapfile -t elves < <(find "$e" -type f -perm -u+x -exec sh -c 'head -c4 "$1" | grep -q ELF' _ {} \; -print)
  [ ${#elves[@]} -eq 0 ] || copy_libs "$e" "${elves[@]}"
  # What the base archive already holds stays as it is.
  (cd "$e" && find . -type f | while read -r f; do if [ -e "$r/$f" ]; then rm -f "$f"; fi; done)
  (cd "$e" && find . | cpio -o -H newc --quiet | gzip -1) >>initrd.img
fi
echo "build-guest: kernel $kver, initrd $(du -h initrd.img | cut -f1)${stage:+ (with $stage)}"
