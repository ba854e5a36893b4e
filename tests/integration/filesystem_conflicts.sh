#!/usr/bin/env bash
# Someone else's mounts: another device on the directory, this device mounted elsewhere,
# something mounted over this filesystem. The agent never mounts over, double-mounts,
# or reports stopped while the filesystem is still mounted.
. "$(dirname "$0")/lib.sh"

make_fs xfs
ours=$DEV
make_fs ext4
theirs=$DEV
mnt=$IT_TMP/mnt
elsewhere=$IT_TMP/elsewhere
mkdir -p "$mnt" "$elsewhere"
resource device="$ours" directory="$mnt" fstype=xfs

# --- another device on the directory -------------------------------------------------
mount "$theirs" "$mnt" || fail "mounting $theirs on $mnt"
agent monitor
assert_rc 7 "probe while $theirs is on the directory"
agent monitor OCF_CHECK_LEVEL=20 OCF_RESKEY_CRM_meta_interval=10000
assert_rc 7 "monitor depth 20 while $theirs is on the directory"
[[ ! -e $mnt/.Filesystem_status ]] || fail "monitor wrote its status file into $theirs"
agent start
assert_rc 1 "start while $theirs is on the directory"
assert_reason "$theirs" "$mnt"
assert_mounted "$theirs" "$mnt"
[[ -z $(grep -F " $(majmin "$ours") " /proc/self/mountinfo) ]] || fail "start mounted $ours anyway"
ok "start did not mount $ours"
agent stop
assert_rc 0 "stop while only $theirs is on the directory"
assert_mounted "$theirs" "$mnt"
umount "$mnt"

# --- this device mounted elsewhere ---------------------------------------------------
mount "$ours" "$elsewhere" || fail "mounting $ours on $elsewhere"
agent monitor
assert_rc 7 "probe while $ours is mounted on $elsewhere"
agent start
assert_rc 1 "start while $ours is mounted on $elsewhere"
assert_reason "$ours" "$elsewhere"
[[ -z $(mounted_on "$mnt") ]] || fail "start mounted on $mnt anyway"
ok "start did not mount $ours a second time"
agent stop
assert_rc 0 "stop while $ours is mounted only elsewhere"
assert_mounted "$ours" "$elsewhere"
umount "$elsewhere"

# --- something mounted over this filesystem after start ------------------------------
agent start
assert_rc 0 "start"
assert_mounted "$ours" "$mnt"
mount -t tmpfs sft-it-over "$mnt" || fail "mounting a tmpfs over $mnt"
agent monitor OCF_RESKEY_CRM_meta_interval=10000
assert_rc 1 "monitor while a tmpfs hides $ours"
assert_reason "$ours" "sft-it-over"
agent stop
assert_rc 1 "stop while a tmpfs hides $ours"
assert_reason "$ours" "sft-it-over"
[[ $(grep -cF " $(majmin "$ours") " /proc/self/mountinfo) == 1 ]] || fail "$ours is no longer mounted"
ok "stop left both mounts alone"
umount "$mnt"
assert_mounted "$ours" "$mnt"
agent stop
assert_rc 0 "stop once the tmpfs is gone"
assert_not_mounted "$mnt"
