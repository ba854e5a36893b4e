#!/usr/bin/env bash
# resource-agents' ocf-tester against the installed agents: Filesystem on XFS and on
# ext4; drbd over the stand-in drbdadm/drbdsetup (tests/drbd-standin) with stand-in
# attribute tools, promote, demote and notify included.
. "$(dirname "$0")/lib.sh"
need_root
agent=$SFT_AGENT_DIR/Filesystem
command -v ocf-tester >/dev/null || { echo "FAIL: ocf-tester not installed"; exit 1; }

for fstype in xfs ext4; do
  make_loop $fstype || { echo "FAIL: cannot make a $fstype loop device"; exit 1; }
  out="$workdir/ocf-tester-$fstype.log"
  ocf-tester -n "fs-$fstype" -o device="$dev" -o directory="$workdir/mnt-$fstype" -o fstype="$fstype" \
    "$agent" >"$out" 2>&1
  rc=$?
  check "ocf-tester on $fstype exits 0" test "$rc" -eq 0
  check "ocf-tester on $fstype says passed all tests" grep -q "passed all tests" "$out"
  [ "$rc" -eq 0 ] || cat "$out"
  check "$fstype is unmounted afterwards" bash -c "! findmnt -n '$workdir/mnt-$fstype' >/dev/null"
done
standin="$(cd "$(dirname "$0")/../drbd-standin" && pwd)"
export SFT_DRBD_STANDIN="$workdir/drbd" SFT_PROC_DRBD="$workdir/drbd/proc-drbd"
mkdir -p "$SFT_DRBD_STANDIN"
"$standin/standin.py" init r0
out="$workdir/ocf-tester-drbd.log"
PATH="$standin:$standin/pacemaker:$PATH" ocf-tester -n "sft-ocf-tester-drbd-$$" -o drbd_resource=r0 -o wfc_timeout=1s \
  "$SFT_AGENT_DIR/drbd" >"$out" 2>&1
rc=$?
at_exit "rm -f /run/sft/drbd/sft-ocf-tester-drbd-$$"
check "ocf-tester on drbd exits 0" test "$rc" -eq 0
check "ocf-tester on drbd says passed all tests" grep -q "passed all tests" "$out"
check "ocf-tester promoted it and stopped it: r0 is down" test "$("$standin/standin.py" get r0 up)" = False
[ "$rc" -eq 0 ] || cat "$out"
finish
