#!/bin/sh
# /init of a real-DRBD guest. The kernel command line names it: node=NAME addr=IP/PREFIX,
# root=DEVICE for a guest that boots a full Debian (systemd, Pacemaker) from DEVICE, and
# oci=IP/PREFIX for eth1, where the host forwards the mock OCI API.
# The host drives the guest through its second serial port (control-loop.sh).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mkdir -p /run/lock /run/drbd /var/lib/drbd /mnt/data
for word in $(cat /proc/cmdline); do
  case $word in node=*) node=${word#node=} ;; addr=*) addr=${word#addr=} ;; root=*) root=${word#root=} ;; esac
done
hostname "${node:-guest}"
for m in virtio_pci virtio_blk virtio_net crc32c_generic crc32c-intel drbd ext4; do modprobe "$m" 2>/dev/null; done
ip link set lo up
ip link set eth0 up
[ -n "$addr" ] && ip addr add "$addr" dev eth0
# The user-mode NIC on which the host forwards the mock OCI API (guests.py, oci_port).
if [ -n "${oci:-}" ]; then ip link set eth1 up && ip addr add "$oci" dev eth1; fi
if [ -n "${root:-}" ]; then
  # The network stays as set here; the Debian root runs its own control loop.
  mkdir -p /newroot
  mount -t ext4 "$root" /newroot || { echo "cannot mount $root" >/dev/console; exec sh; }
  umount /tmp /run /sys /proc
  mount --move /dev /newroot/dev
  exec switch_root /newroot /sbin/init
fi

printf '::respawn:/bin/control-loop\n::shutdown:/bin/umount -a -r\n' >/etc/inittab
echo "guest $(hostname) up after $(cut -d' ' -f1 /proc/uptime) s" >/dev/console
exec /bin/init
