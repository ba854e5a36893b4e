#!/usr/bin/env bash
# A device that stops answering cannot make monitor overrun its timeout: the I/O probes
# run in a child the agent abandons at its deadline, and the reason says the device
# looks hung.
#
# device-mapper (dmsetup suspend) is what one would use, but kernels without it exist
# (this test bed's has none), so the hung device here is a loop device over a file on a
# FUSE filesystem (hangfs.py) whose server is stopped with SIGSTOP: the loop device's
# I/O then blocks in the kernel until SIGCONT. Depth 20 is also checked against a
# frozen filesystem (fsfreeze), whose writes block the same way.
. "$(dirname "$0")/lib.sh"

# --- depth 10: reads of a hung block device ------------------------------------------
[[ -c /dev/fuse ]] || fail "no /dev/fuse: the kernel has no FUSE, which this test needs"
backing=$IT_TMP/backing
truncate -s 64M "$backing"
mkfs.ext4 -q -F "$backing" || fail "mkfs.ext4 $backing"
mkdir -p "$IT_TMP/fuse"
"$PYTHON3" "$IT_DIR/hangfs.py" "$IT_TMP/fuse" "$backing" >"$IT_TMP/hangfs.out" 2>&1 &
server=$!
IT_SERVERS+=("$server")
wait_for grep -q ready "$IT_TMP/hangfs.out" || fail "hangfs did not start: $(cat "$IT_TMP/hangfs.out")"
attach_loop "$IT_TMP/fuse/disk"
mnt=$IT_TMP/mnt
resource device="$DEV" directory="$mnt" fstype=ext4

agent start
assert_rc 0 "start on the FUSE-backed loop device"
assert_mounted "$DEV" "$mnt"
agent monitor OCF_CHECK_LEVEL=10 OCF_RESKEY_CRM_meta_timeout=3000
assert_rc 0 "monitor depth 10 while the device answers"

kill -STOP "$server"
IT_SAFETY=10 agent monitor OCF_CHECK_LEVEL=10 OCF_RESKEY_CRM_meta_timeout=3000 OCF_RESKEY_CRM_meta_interval=10000
assert_rc 1 "monitor depth 10 on the hung device (timeout 3 s)"
assert_reason "$DEV" "looks hung"
# Proof that the device was hung and the probe did not just fail: an O_DIRECT read of
# the device is still blocked (in the background: a process in D state outlives timeout(1)).
dd if="$DEV" of=/dev/null bs=4096 count=1 iflag=direct 2>/dev/null &
reader=$!
track "$reader"
# Blocked is state D (waiting on the device), not merely slow: wait for that state.
in_d_state() { [[ $(awk '{print $3}' "/proc/$reader/stat" 2>/dev/null) == D ]]; }
wait_for in_d_state || fail "a direct read of $DEV never blocked on the device (state $(awk '{print $3}' "/proc/$reader/stat" 2>/dev/null || echo gone))"
ok "a direct read of $DEV blocks meanwhile (state D)"
IT_SAFETY=10 agent monitor OCF_CHECK_LEVEL=0 OCF_RESKEY_CRM_meta_timeout=3000 OCF_RESKEY_CRM_meta_interval=10000
assert_rc 0 "monitor depth 0 on the hung device (no I/O at depth 0)"
IT_SAFETY=10 agent monitor OCF_CHECK_LEVEL=20 OCF_RESKEY_CRM_meta_timeout=3000 OCF_RESKEY_CRM_meta_interval=10000
assert_rc 1 "monitor depth 20 on the hung device (timeout 3 s)"
assert_reason "looks hung"

kill -CONT "$server"
wait "$reader" || fail "the direct read of $DEV failed once the device answered"
agent_until 0 monitor OCF_CHECK_LEVEL=20 OCF_RESKEY_CRM_meta_timeout=3000
assert_rc 0 "monitor depth 20 once the device answers again"
agent stop
assert_rc 0 "stop"
assert_not_mounted "$mnt"

# --- depth 20: writes to a frozen filesystem -----------------------------------------
make_fs xfs
mnt=$IT_TMP/mnt-frozen
resource device="$DEV" directory="$mnt" fstype=xfs
agent start
assert_rc 0 "start xfs"
agent monitor OCF_CHECK_LEVEL=20
assert_rc 0 "monitor depth 20 before freezing"
fsfreeze -f "$mnt" || fail "fsfreeze -f $mnt"
IT_FROZEN+=("$mnt")
IT_SAFETY=10 agent monitor OCF_CHECK_LEVEL=10 OCF_RESKEY_CRM_meta_timeout=3000
assert_rc 0 "monitor depth 10 on the frozen filesystem (reads still work)"
IT_SAFETY=10 agent monitor OCF_CHECK_LEVEL=20 OCF_RESKEY_CRM_meta_timeout=3000
assert_rc 1 "monitor depth 20 on the frozen filesystem (timeout 3 s)"
assert_reason "$mnt/.Filesystem_status/" "looks hung"
fsfreeze -u "$mnt" || fail "fsfreeze -u $mnt"
IT_FROZEN=()
agent_until 0 monitor OCF_CHECK_LEVEL=20 OCF_RESKEY_CRM_meta_timeout=3000
assert_rc 0 "monitor depth 20 after thawing"
agent stop
assert_rc 0 "stop xfs"
assert_not_mounted "$mnt"
