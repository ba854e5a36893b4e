#!/usr/bin/env bash
# Configuration errors: each gets its OCF exit code and exactly one ocf-exit-reason line
# that names the parameter, from validate-all and from start, and start mounts nothing.
. "$(dirname "$0")/lib.sh"

make_fs xfs
mnt=$IT_TMP/mnt
resource device="$DEV" directory="$mnt" fstype=xfs

agent validate-all
assert_rc 0 "validate-all on a good configuration"
assert_no_reason

# invalid RC NEEDLE [NAME=VALUE | -NAME]...: validate-all and start both fail with RC and
# a reason holding NEEDLE; nothing gets mounted and the mount point is not created.
invalid() {
  local rc=$1 needle=$2 action
  shift 2
  for action in validate-all start; do
    agent "$action" "$@"
    assert_rc "$rc" "$action ($*)"
    assert_reason "$needle"
  done
  [[ ! -e $mnt ]] || fail "$mnt exists after a refused start ($*)"
  [[ -z $(grep -F " $(majmin "$DEV") " /proc/self/mountinfo) ]] || fail "$DEV got mounted ($*)"
}

invalid 6 "device" -OCF_RESKEY_device
invalid 6 "device" OCF_RESKEY_device=loop0
invalid 6 "directory" OCF_RESKEY_directory=relative/mnt
invalid 6 "directory" OCF_RESKEY_directory=/
invalid 6 "fstype" OCF_RESKEY_fstype=vfat
invalid 6 "fstype" -OCF_RESKEY_fstype
invalid 6 "options" OCF_RESKEY_options=noatime,bind
invalid 6 "options" OCF_RESKEY_options=remount
invalid 6 "term_signals" OCF_RESKEY_term_signals=FOO
invalid 6 "kill_signals" OCF_RESKEY_kill_signals=KILL,SIGNOPE
invalid 6 "signal_delay" OCF_RESKEY_signal_delay=soon
invalid 6 "force_unmount" OCF_RESKEY_force_unmount=maybe
invalid 6 "run_fsck" OCF_RESKEY_run_fsck=always
invalid 6 "statusfile_prefix" OCF_RESKEY_statusfile_prefix=../x
invalid 6 "statusfile_prefix" OCF_RESKEY_statusfile_prefix=/etc/
invalid 6 "clone" OCF_RESKEY_CRM_meta_clone_max=2
invalid 5 "directory" OCF_RESKEY_create_directory=false

# The mount point exists: create_directory=false is fine then.
mkdir "$mnt"
agent validate-all OCF_RESKEY_create_directory=false
assert_rc 0 "validate-all, create_directory=false, directory exists"
rmdir "$mnt"

agent frobnicate
assert_rc 3 "an unknown action"
assert_contains "$(cat "$IT_TMP/err")" "usage:" "stderr of an unknown action"
agent ""
assert_rc 2 "no action"
assert_contains "$(cat "$IT_TMP/err")" "usage:" "stderr without an action"

agent meta-data -OCF_RESKEY_device -OCF_RESKEY_directory -OCF_RESKEY_fstype
assert_rc 0 "meta-data without parameters"
assert_contains "$(cat "$IT_TMP/out")" '<resource-agent name="Filesystem"' "meta-data"
[[ -z $(grep -F " $(majmin "$DEV") " /proc/self/mountinfo) ]] || fail "$DEV got mounted"
ok "nothing got mounted"
