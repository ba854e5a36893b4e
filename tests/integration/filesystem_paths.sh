#!/usr/bin/env bash
# Mount points given through symbolic links or with redundant slashes: the kernel lists
# the mount under the resolved path, and monitor and stop must still find it.
. "$(dirname "$0")/lib.sh"

make_fs ext4
real=$IT_TMP/real
mkdir -p "$real/mnt"
ln -s "$real/mnt" "$IT_TMP/link-to-mnt"
ln -s "$real" "$IT_TMP/link-to-parent"

# check DIRECTORY WHERE: the full cycle with directory=DIRECTORY, which resolves to WHERE.
check() {
  local dir=$1 where=$2
  resource device="$DEV" directory="$dir" fstype=ext4
  agent monitor
  assert_rc 7 "probe, directory=$dir"
  agent start
  assert_rc 0 "start, directory=$dir"
  assert_mounted "$DEV" "$where"
  agent monitor OCF_CHECK_LEVEL=20
  assert_rc 0 "monitor depth 20, directory=$dir"
  agent start
  assert_rc 0 "start again, directory=$dir"
  agent stop
  assert_rc 0 "stop, directory=$dir"
  assert_not_mounted "$where"
  [[ -z $(grep -F " $(majmin "$DEV") " /proc/self/mountinfo) ]] || fail "$DEV is still mounted somewhere"
  agent monitor
  assert_rc 7 "monitor after stop, directory=$dir"
}

check "$IT_TMP/link-to-mnt" "$real/mnt"
check "$IT_TMP/link-to-parent/mnt" "$real/mnt"
check "$IT_TMP/link-to-parent/new/mnt" "$real/new/mnt"  # created by start, through the link
[[ -d $real/new/mnt ]] || fail "start did not create $real/new/mnt"
check "$IT_TMP//real/./mnt/" "$real/mnt"
check "$IT_TMP/real/new/../mnt" "$real/mnt"
