#!/usr/bin/env bash
# Mount options: handed to the kernel as they are, never to a shell; options that
# work show in the mount table; a read-only mount passes every monitor depth.
. "$(dirname "$0")/lib.sh"

make_fs xfs
mnt=$IT_TMP/mnt
resource device="$DEV" directory="$mnt" fstype=xfs

# --- shell syntax stays text ---------------------------------------------------------
# No white space in them (validation refuses that): a shell would still run them.
pwned=$IT_TMP/pwned
for opts in 'noatime,$(touch${IFS}'"$pwned"')' \
            'noatime,`touch${IFS}'"$pwned"'`' \
            'noatime;touch${IFS}'"$pwned" \
            'noatime,nouuid|touch${IFS}'"$pwned" \
            'noatime&&touch${IFS}'"$pwned"; do
  agent start OCF_RESKEY_options="$opts"
  assert_rc 1 "start with options=$opts"
  assert_reason "mount $DEV on $mnt"
  [[ ! -e $pwned ]] || fail "options=$opts ran a shell: $pwned exists"
  ok "options=$opts reached no shell"
  [[ -z $(mounted_on "$mnt") ]] || fail "options=$opts: something got mounted on $mnt"
done
# The same through a shell, to show the check above would see it.
sh -c "true $(printf '%s' 'noatime,$(touch${IFS}'"$pwned"')')" 2>/dev/null
[[ -e $pwned ]] || fail "the control did not create $pwned; the check above proves nothing"
rm -f "$pwned"
ok "control: a shell would have created $pwned"

# --- options that work ---------------------------------------------------------------
agent start OCF_RESKEY_options=noatime,nodev,nosuid
assert_rc 0 "start with options=noatime,nodev,nosuid"
assert_mounted "$DEV" "$mnt"
vfs=$(D=$(mi_escape "$mnt") awk '$5 == ENVIRON["D"] { print $6 }' /proc/self/mountinfo)
for o in noatime nodev nosuid; do assert_contains "$vfs" "$o" "mount options of $mnt"; done
ok "the mount carries noatime,nodev,nosuid"
agent stop
assert_rc 0 "stop"
assert_not_mounted "$mnt"

# --- read-only -----------------------------------------------------------------------
agent start OCF_RESKEY_options=ro
assert_rc 0 "start with options=ro"
vfs=$(D=$(mi_escape "$mnt") awk '$5 == ENVIRON["D"] { print $6 }' /proc/self/mountinfo)
[[ $vfs == ro,* ]] || fail "options=ro: mount options are $vfs"
for level in 0 10 20; do
  agent monitor OCF_RESKEY_options=ro OCF_CHECK_LEVEL=$level
  assert_rc 0 "monitor OCF_CHECK_LEVEL=$level on a read-only mount"
done
# Mounted read-only although the configuration says rw: depth 20 sees it.
agent monitor OCF_CHECK_LEVEL=20
assert_rc 1 "monitor OCF_CHECK_LEVEL=20 configured rw, mounted ro"
assert_reason ".Filesystem_status"
agent stop
assert_rc 0 "stop"
assert_not_mounted "$mnt"

# --- an option the kernel refuses ----------------------------------------------------
agent start OCF_RESKEY_options=nosuchoption
assert_rc 1 "start with options=nosuchoption"
assert_reason "$DEV" "$mnt"
[[ -z $(mounted_on "$mnt") ]] || fail "options=nosuchoption: something got mounted"
ok "nothing got mounted"
