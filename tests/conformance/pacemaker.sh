#!/usr/bin/env bash
# A real single-node Corosync+Pacemaker runs the installed agent the way an admin
# would: pcs resource create, crm_mon shows it Started, pcs resource disable
# unmounts it, and a failing start shows our exit reason.
. "$(dirname "$0")/lib.sh"
need_root
harness="$(cd "$(dirname "$0")/../lib" && pwd)/pcmk-single.sh"
export SFT_PCMK_STATE=/run/sft-pcmk-conformance
"$harness" start || { echo "FAIL: the test cluster did not start"; exit 1; }
at_exit "'$harness' stop"
make_loop xfs || { echo "FAIL: no loop device"; exit 1; }
dir="$workdir/mnt"

role() { echo "string(/pacemaker-result/resources/resource[@id='$1']/@role)"; }

check "pcs resource create ocf:sft:Filesystem succeeds" \
  pcs resource create data-fs ocf:sft:Filesystem device="$dev" directory="$dir" fstype=xfs \
  op monitor interval=5s OCF_CHECK_LEVEL=20
check "crm_mon shows it Started" wait_for "$(role data-fs)" Started
check "it is mounted, by our device" findmnt -n --source "$dev" --target "$dir"
check "a monitor at depth 20 wrote its status file" \
  bash -c "for i in \$(seq 50); do ls '$dir'/.Filesystem_status/data-fs_* >/dev/null 2>&1 && exit 0; sleep 0.2; done; exit 1"
check "pcs resource disable stops it" bash -c "pcs resource disable data-fs && $(declare -f xpath wait_for); wait_for \"$(role data-fs)\" Stopped"
check "and unmounts it" bash -c "! findmnt -n --target '$dir' --source '$dev' >/dev/null"
check "pcs resource delete removes it" pcs resource delete data-fs

# A start that must fail: a relative directory is a configuration error (6).
check "pcs accepts a resource whose start will fail" \
  pcs resource create bad-fs ocf:sft:Filesystem device="$dev" directory=not/absolute fstype=xfs --force
reason_xpath="string(//lrm_resource[@id='bad-fs']/lrm_rsc_op[@id='bad-fs_last_failure_0']/@exit-reason)"
reason() { cibadmin -Q --scope status 2>/dev/null | xmllint --xpath "$reason_xpath" - 2>/dev/null; }
check "the failure reaches the CIB with our exit reason" \
  bash -c "$(declare -f reason); reason_xpath=\"$reason_xpath\"; for i in \$(seq 150); do
             [ \"\$(reason)\" = \"directory: 'not/absolute' is not an absolute path\" ] && exit 0; sleep 0.2; done
           echo \"  exit reason: '\$(reason)'\"; exit 1"
check "crm_mon lists the failed start with exit code 6" \
  test "$(xpath "string(/pacemaker-result/failures/failure[@op_key='bad-fs_start_0']/@exitcode)")" = 6
check "crm_mon's text shows the exit reason" bash -c "crm_mon -1 | grep -q \"not/absolute' is not an absolute path\""
pcs resource delete bad-fs >/dev/null 2>&1
finish
