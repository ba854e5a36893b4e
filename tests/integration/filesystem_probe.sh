#!/usr/bin/env bash
# A node that has no such device: probes say "not running", stop succeeds, start fails
# with "not installed" before its timeout.
. "$(dirname "$0")/lib.sh"

missing=/dev/sft-it-no-such-device-$$
mnt=$IT_TMP/mnt
for device in "$missing" "LABEL=sft-no-$$" "UUID=00000000-5f7e-4c1e-9a1b-$(printf '%012d' $$)"; do
  resource device="$device" directory="$mnt" fstype=xfs
  agent monitor
  assert_rc 7 "probe (no interval) of $device"
  assert_no_reason
  agent monitor OCF_RESKEY_CRM_meta_interval=0
  assert_rc 7 "probe (interval 0) of $device"
  agent monitor OCF_RESKEY_CRM_meta_interval=0 OCF_CHECK_LEVEL=20
  assert_rc 7 "probe at depth 20 of $device"
  agent stop
  assert_rc 0 "stop of $device"
  IT_SAFETY=10 agent start OCF_RESKEY_CRM_meta_timeout=3000
  assert_rc 5 "start of $device (timeout 3 s)"
  assert_reason "$device"
  [[ -z $(mounted_on "$mnt") ]] || fail "something got mounted on $mnt"
done
