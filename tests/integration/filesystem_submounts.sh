#!/usr/bin/env bash
# Mounts below the directory: stop takes them away first (deepest first) and then the
# filesystem itself; start refuses to hide a mount that is already below the directory.
. "$(dirname "$0")/lib.sh"

make_fs ext4
mnt=$IT_TMP/mnt
resource device="$DEV" directory="$mnt" fstype=ext4

agent start
assert_rc 0 "start"
mkdir -p "$mnt/sub" "$mnt/other"
mount -t tmpfs sft-it-sub "$mnt/sub" || fail "mounting a tmpfs on $mnt/sub"
mkdir -p "$mnt/sub/deeper"
mount -t tmpfs sft-it-deeper "$mnt/sub/deeper" || fail "mounting a tmpfs on $mnt/sub/deeper"
mount -t tmpfs sft-it-other "$mnt/other" || fail "mounting a tmpfs on $mnt/other"
[[ $(mounts_under "$mnt" | grep -c .) == 4 ]] || fail "expected 4 mounts under $mnt: $(mounts_under "$mnt")"

agent monitor OCF_CHECK_LEVEL=20
assert_rc 0 "monitor depth 20 with sub-mounts"

# A process inside a sub-mount holds it: stop must signal it too.
(cd "$mnt/sub/deeper" && exec sleep 1000) &
holder=$!
track "$holder"
wait_for links_to "$holder" cwd "$mnt/sub/deeper" ||
  fail "the holder did not start: cwd $(readlink "/proc/$holder/cwd"), $(ps -o stat=,args= -p "$holder")"

agent stop
assert_rc 0 "stop with three sub-mounts, one busy"
assert_not_mounted "$mnt/sub/deeper"
assert_not_mounted "$mnt/sub"
assert_not_mounted "$mnt/other"
assert_not_mounted "$mnt"
[[ -z $(mounts_under "$mnt") ]] || fail "mounts left under $mnt: $(mounts_under "$mnt")"
ok "stop took away every mount under $mnt"
{ wait "$holder"; } 2>/dev/null
[[ $? == 143 ]] || fail "the holder inside the sub-mount was not ended by TERM"
ok "the holder inside the sub-mount got TERM"

agent monitor
assert_rc 7 "monitor after stop"

# Something mounted below the (unmounted) directory: mounting would hide it.
mkdir -p "$mnt/below"
mount -t tmpfs sft-it-below "$mnt/below" || fail "mounting a tmpfs on $mnt/below"
agent start
assert_rc 1 "start with a mount below the directory"
assert_reason "$mnt/below" "below"
[[ -z $(mounted_on "$mnt") ]] || fail "start mounted over $mnt/below anyway"
ok "start left $mnt alone"
umount "$mnt/below"
agent start
assert_rc 0 "start once the mount below is gone"
assert_mounted "$DEV" "$mnt"
agent stop
assert_rc 0 "stop"
assert_not_mounted "$mnt"
