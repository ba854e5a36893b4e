#!/usr/bin/env bash
# Devices named by LABEL= and UUID=, as libblkid finds them (here without udev's
# /dev/disk links: blkid probes the devices itself).
. "$(dirname "$0")/lib.sh"

label=sftit$((RANDOM % 100000))  # XFS labels hold at most 12 characters
make_fs xfs -L "$label"
uuid=$(blkid -p -s UUID -o value "$DEV") || fail "blkid found no UUID on $DEV"
mnt=$IT_TMP/mnt

for device in "LABEL=$label" "UUID=$uuid"; do
  resource device="$device" directory="$mnt" fstype=xfs
  agent validate-all
  assert_rc 0 "validate-all, device=$device"
  agent monitor
  assert_rc 7 "probe, device=$device"
  agent start
  assert_rc 0 "start, device=$device"
  assert_mounted "$DEV" "$mnt"
  for level in 0 10 20; do
    agent monitor OCF_CHECK_LEVEL=$level
    assert_rc 0 "monitor OCF_CHECK_LEVEL=$level, device=$device"
  done
  agent start
  assert_rc 0 "start again, device=$device"
  agent stop
  assert_rc 0 "stop, device=$device"
  assert_not_mounted "$mnt"
  agent monitor
  assert_rc 7 "monitor after stop, device=$device"
done

# The label moves to another device: the resource follows it.
make_fs xfs
second=$DEV
xfs_admin -L "$label" "$second" >/dev/null || fail "relabelling $second"
xfs_admin -L "--" "${IT_LOOPS[0]}" >/dev/null ||
  fail "clearing the label of ${IT_LOOPS[0]}"
resource device="LABEL=$label" directory="$mnt" fstype=xfs
agent start
assert_rc 0 "start, LABEL=$label now on $second"
assert_mounted "$second" "$mnt"
agent stop
assert_rc 0 "stop"
assert_not_mounted "$mnt"
