#!/usr/bin/env bash
# resource-agents' ocf-tester against the installed agent, on XFS and on ext4.
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
finish
