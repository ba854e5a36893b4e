#!/bin/sh
# /init of a real-DRBD guest. The kernel command line names it: node=NAME addr=IP/PREFIX.
# The host drives the guest through its second serial port: it sends "ID BASE64\n", the
# guest runs the decoded script with sh and answers its output, then "\n@@done ID RC@@\n".
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mkdir -p /run/lock /run/drbd /var/lib/drbd /mnt/data
for word in $(cat /proc/cmdline); do
  case $word in node=*) node=${word#node=} ;; addr=*) addr=${word#addr=} ;; esac
done
hostname "${node:-guest}"
for m in virtio_pci virtio_blk virtio_net crc32c_generic crc32c-intel drbd ext4; do modprobe "$m" 2>/dev/null; done
ip link set lo up
ip link set eth0 up
[ -n "$addr" ] && ip addr add "$addr" dev eth0

cat >/bin/control-loop <<'EOF'
#!/bin/sh
exec 3<>/dev/ttyS1
stty raw -echo <&3
printf '\n@@ready@@\n' >&3
while IFS=' ' read -r id encoded <&3; do
  printf '%s' "$encoded" | base64 -d >/tmp/command.sh
  sh /tmp/command.sh >/tmp/command.out 2>&1 </dev/null
  rc=$?
  cat /tmp/command.out >&3
  printf '\n@@done %s %s@@\n' "$id" "$rc" >&3
done
EOF
chmod 0755 /bin/control-loop
printf '::respawn:/bin/control-loop\n::shutdown:/bin/umount -a -r\n' >/etc/inittab
echo "guest $(hostname) up after $(cut -d' ' -f1 /proc/uptime) s" >/dev/console
exec /bin/init
