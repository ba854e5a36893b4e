#!/usr/bin/env bash
# Pacemaker's own executor path without a cluster: crm_resource --validate and
# --force-start/--force-check/--force-stop run the installed agent as the cluster would.
. "$(dirname "$0")/lib.sh"
need_root
make_loop xfs || { echo "FAIL: no loop device"; exit 1; }
dir="$workdir/mnt"
cr() { crm_resource --class ocf --provider sft --agent Filesystem \
  --option device="$dev" --option directory="$dir" --option fstype=xfs "$@" >"$workdir/cr.out" 2>&1; }
rc_of() { "$@"; echo $?; }

check "--validate exits 0" cr --validate
check "--force-start exits 0" cr --force-start
check "the filesystem is mounted" findmnt -n --source "$dev" --target "$dir"
check "--force-check exits 0 while mounted" cr --force-check
check "--force-stop exits 0" cr --force-stop
check "--force-check exits 7 after the stop" test "$(rc_of cr --force-check)" = 7
crm_resource --validate --class ocf --provider sft --agent Filesystem --option device="$dev" \
  --option directory=relative --option fstype=xfs --output-as=xml >"$workdir/bad.xml" 2>/dev/null
check "--validate with a relative directory fails with OCF_ERR_CONFIGURED (6)" \
  test "$(xmllint --xpath 'string(//agent-status/@code)' "$workdir/bad.xml")" = 6
check "... and names the parameter in its exit reason" \
  bash -c "xmllint --xpath 'string(//agent-status/@reason)' '$workdir/bad.xml' | grep -q '^directory: '"
finish
