#!/usr/bin/env bash
# ocf:sft:Filesystem on XFS and ext4: start, monitor at every depth, stop; both
# idempotent; a directory whose path holds a space.
. "$(dirname "$0")/lib.sh"

for fstype in xfs ext4; do
  make_fs "$fstype"
  mnt=$IT_TMP/mnt-$fstype
  resource device="$DEV" directory="$mnt" fstype="$fstype"

  agent monitor
  assert_rc 7 "$fstype: probe before start"

  agent start
  assert_rc 0 "$fstype: start"
  assert_no_reason
  assert_mounted "$DEV" "$mnt"

  for level in 0 10 20; do
    agent monitor OCF_CHECK_LEVEL=$level OCF_RESKEY_CRM_meta_interval=20000
    assert_rc 0 "$fstype: monitor OCF_CHECK_LEVEL=$level"
  done
  status=$mnt/.Filesystem_status/fs_${IT_NAME}_itnode
  [[ -f $status ]] || fail "$fstype: monitor at depth 20 left no status file $status"
  [[ $(stat -c %s "$status") == 4096 ]] || fail "$fstype: status file $status is not one 4 KiB block"
  grep -q "fs_$IT_NAME" "$status" || fail "$fstype: status file $status does not carry the resource name"
  ok "$fstype: depth 20 left its status file"

  agent start
  assert_rc 0 "$fstype: start again (already running)"
  assert_mounted "$DEV" "$mnt"
  [[ $(grep -c " $(majmin "$DEV") " /proc/self/mountinfo) == 1 ]] || fail "$fstype: second start mounted again"
  ok "$fstype: second start did not mount twice"

  agent stop
  assert_rc 0 "$fstype: stop"
  assert_not_mounted "$mnt"

  agent monitor OCF_RESKEY_CRM_meta_interval=20000
  assert_rc 7 "$fstype: monitor after stop"
  agent monitor OCF_CHECK_LEVEL=20 OCF_RESKEY_CRM_meta_interval=20000
  assert_rc 7 "$fstype: monitor depth 20 after stop"

  agent stop
  assert_rc 0 "$fstype: stop again (already stopped)"
  assert_not_mounted "$mnt"

  # The mount point did not exist before the first start: create_directory (default true).
  [[ -d $mnt ]] || fail "$fstype: start did not create $mnt"

  # Again on a mount point whose path holds a space (and does not exist yet).
  spaced="$IT_TMP/with space/$fstype mnt"
  resource device="$DEV" directory="$spaced" fstype="$fstype"
  agent start
  assert_rc 0 "$fstype: start on '$spaced'"
  assert_mounted "$DEV" "$spaced"
  agent monitor OCF_CHECK_LEVEL=20
  assert_rc 0 "$fstype: monitor depth 20 on '$spaced'"
  agent stop
  assert_rc 0 "$fstype: stop on '$spaced'"
  assert_not_mounted "$spaced"
  agent monitor
  assert_rc 7 "$fstype: monitor on '$spaced' after stop"
done
