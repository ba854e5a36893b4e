# Shared by the conformance scripts: root check, a loop device with a filesystem, and
# cleanup that runs however the script ends.
set -uo pipefail

SFT_AGENT_DIR=${SFT_AGENT_DIR:-/usr/lib/ocf/resource.d/sft}
failures=0
cleanups=()

# Root is needed for loop devices and mounts. Off CI: skip (ctest SKIP_RETURN_CODE 77).
need_root() {
  [ "$(id -u)" -eq 0 ] && return 0
  if [ "${CI:-}" = "true" ]; then echo "FAIL: needs root, and CI=true forbids skipping"; exit 1; fi
  echo "SKIP: needs root"; exit 77
}

at_exit() { cleanups+=("$*"); }
run_cleanups() {
  local i
  for ((i = ${#cleanups[@]} - 1; i >= 0; i--)); do eval "${cleanups[i]}" >/dev/null 2>&1 || true; done
}
trap run_cleanups EXIT

workdir=$(mktemp -d /tmp/sft-conf.XXXXXX)
at_exit "rm -rf '$workdir'"

# make_loop FSTYPE: sets $dev to a new loop device with that filesystem, detached at
# exit. (Not a $(...) function: cleanups registered in a subshell would be lost.)
make_loop() {
  local img="$workdir/$1-$RANDOM.img"
  dev=""
  truncate -s 320M "$img" || return 1
  dev=$(losetup --find --show "$img") || return 1
  at_exit "umount -q '$dev'; losetup -d '$dev'"
  case "$1" in
    xfs) mkfs.xfs -q -f "$dev" ;;
    *) mkfs."$1" -q -F "$dev" ;;
  esac >/dev/null
}

check() {  # check "what" command... : passes when the command succeeds
  local what=$1; shift
  if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; failures=$((failures + 1)); fi
}

# xpath EXPR: evaluates EXPR on crm_mon's XML.
xpath() { crm_mon -1 --output-as=xml 2>/dev/null | xmllint --xpath "$1" - 2>/dev/null; }
# wait_for XPATH VALUE: polls crm_mon (at most 30 s) until the XPath reads VALUE.
wait_for() {
  local i
  for ((i = 0; i < 150; i++)); do
    [ "$(xpath "$1")" = "$2" ] && return 0
    sleep 0.2
  done
  echo "  waited 30 s for $1 = $2; it reads '$(xpath "$1")'"
  return 1
}

finish() {
  [ "$failures" -eq 0 ] && { echo "all checks passed"; exit 0; }
  echo "$failures check(s) failed"; exit 1
}
