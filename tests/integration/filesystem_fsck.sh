#!/usr/bin/env bash
# run_fsck with the real checkers: auto checks ext4 marked with errors and not a clean
# one; no leaves it; force runs e2fsck / xfs_repair; a check that fails stops the mount.
. "$(dirname "$0")/lib.sh"

state() { dumpe2fs -h "$1" 2>/dev/null | sed -n 's/^Filesystem state: *//p'; }

make_fs ext4
mnt=$IT_TMP/mnt
resource device="$DEV" directory="$mnt" fstype=ext4

# --- auto on a clean ext4: no check --------------------------------------------------
agent start
assert_rc 0 "start (run_fsck=auto) on a clean ext4"
assert_not_contains "$(cat "$IT_TMP/err")" "checking" "start's log"
ok "no check on a clean ext4"
agent stop
assert_rc 0 "stop"

# --- a filesystem marked with errors -------------------------------------------------
debugfs -w -R "ssv state 3" "$DEV" >/dev/null 2>&1 || fail "debugfs could not mark $DEV"
[[ $(state "$DEV") == "clean with errors" ]] || fail "$DEV state is '$(state "$DEV")'"
agent start OCF_RESKEY_run_fsck=no
assert_rc 0 "start (run_fsck=no) with errors"
agent stop
assert_rc 0 "stop"
[[ $(state "$DEV") == *errors* ]] || fail "run_fsck=no: errors were cleared: '$(state "$DEV")'"
ok "run_fsck=no left the errors for a person to see"
agent start
assert_rc 0 "start (run_fsck=auto) with errors"
assert_contains "$(cat "$IT_TMP/err")" "checking $DEV: e2fsck" "start's log"
assert_mounted "$DEV" "$mnt"
agent stop
assert_rc 0 "stop"
[[ $(state "$DEV") == clean ]] || fail "run_fsck=auto did not repair $DEV: '$(state "$DEV")'"
ok "run_fsck=auto ran e2fsck, which cleared the errors"

# --- a check that fails: no mount ----------------------------------------------------
debugfs -w -R "clri <2>" "$DEV" >/dev/null 2>&1 || fail "debugfs could not clear the root inode of $DEV"
agent start OCF_RESKEY_run_fsck=force
assert_rc 1 "start (run_fsck=force) on a broken ext4"
assert_reason "e2fsck $DEV" "exit code 4" "UNEXPECTED INCONSISTENCY" "not mounting"
[[ -z $(mounted_on "$mnt") ]] || fail "a filesystem that failed its check got mounted"
ok "a filesystem that failed its check is not mounted"

# --- xfs: force runs xfs_repair ------------------------------------------------------
make_fs xfs
resource device="$DEV" directory="$mnt" fstype=xfs run_fsck=force
agent start
assert_rc 0 "start (run_fsck=force) on a clean xfs"
assert_contains "$(cat "$IT_TMP/err")" "checking $DEV: xfs_repair" "start's log"
assert_mounted "$DEV" "$mnt"
agent stop
assert_rc 0 "stop"
assert_not_mounted "$mnt"

# --- xfs: force after a crash (a log that needs replaying) -----------------------------
mount "$DEV" "$mnt" && echo data >"$mnt/file" && sync "$mnt/file" && xfs_io -x -c "shutdown -f" "$mnt" && umount "$mnt" ||
  fail "could not leave a dirty XFS log on $DEV"
agent start
assert_rc 0 "start (run_fsck=force) on an xfs whose log needs replaying"
assert_contains "$(cat "$IT_TMP/err")" "log to replay" "start's log"
assert_mounted "$DEV" "$mnt"
[[ $(cat "$mnt/file") == data ]] || fail "the data written before the crash is not there"
ok "the data written before the crash survived the replay and the repair"
agent stop
assert_rc 0 "stop"

