# Helpers for the integration tests: the installed agents against real parts of this
# machine (loop devices with real XFS/ext4, real mounts, real processes).
#
# Source it first thing from a test script:  . "$(dirname "$0")/lib.sh"
# It checks for root (exit 77, "SKIP: needs root"; under CI=true a failure instead),
# makes a scratch directory and installs an EXIT trap that always unfreezes, unmounts,
# detaches the loop devices and kills the processes the test made, even on failure.
#
# Environment: SFT_FILESYSTEM_AGENT, the staged agent (set by tests/integration/CMakeLists.txt).

set -u -o pipefail

IT_NAME=$(basename "$0" .sh)
IT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [[ $EUID -ne 0 ]]; then
  if [[ ${CI:-} == true ]]; then
    echo "FAIL: $IT_NAME needs root (CI=true, so this does not skip)"
    exit 1
  fi
  echo "SKIP: needs root"
  exit 77
fi

AGENT=${SFT_FILESYSTEM_AGENT:-$IT_DIR/../../build/stage/usr/lib/ocf/resource.d/sft/Filesystem}
if [[ ! -x $AGENT ]]; then
  echo "FAIL: no agent at $AGENT (set SFT_FILESYSTEM_AGENT or stage the build with cmake --install)"
  exit 1
fi

PYTHON3=/usr/bin/python3
[[ -x $PYTHON3 ]] || PYTHON3=$(command -v python3)

IT_TMP=$(mktemp -d /tmp/sft-it-"$IT_NAME".XXXXXX)
IT_LOOPS=()    # loop devices to detach
IT_PIDS=()     # processes to kill before unmounting (holders)
IT_SERVERS=()  # processes to kill after unmounting (FUSE servers)
IT_FROZEN=()   # mount points to thaw
IT_COUNT=0     # passed checks

# --- output and assertions ----------------------------------------------------------

it_dump() {
  [[ -n ${IT_LAST:-} ]] || return 0
  echo "--- last agent call: $IT_LAST -> rc ${RC:-?}"
  echo "--- stdout:"; sed 's/^/    /' "$IT_TMP/out" 2>/dev/null | head -40
  echo "--- stderr:"; sed 's/^/    /' "$IT_TMP/err" 2>/dev/null | head -40
}

fail() {
  echo "FAIL: $IT_NAME: $*"
  it_dump
  exit 1
}

ok() {
  IT_COUNT=$((IT_COUNT + 1))
  echo "ok $IT_COUNT - $*"
}

assert_rc() {  # assert_rc EXPECTED [what]
  [[ ${RC:-} == "$1" ]] || fail "${2:-$IT_LAST}: exit code ${RC:-none}, expected $1"
  ok "${2:-$IT_LAST} -> $1"
}

assert_contains() {  # assert_contains TEXT NEEDLE [what]
  [[ $1 == *"$2"* ]] || fail "${3:-text} does not contain '$2': $1"
}

assert_not_contains() {  # assert_not_contains TEXT NEEDLE [what]
  [[ $1 != *"$2"* ]] || fail "${3:-text} contains '$2': $1"
}

# reason: sets REASON to the one ocf-exit-reason line of the last call, failing unless
# there is exactly one.
reason() {
  local n
  n=$(grep -c '^ocf-exit-reason:' "$IT_TMP/err")
  [[ $n == 1 ]] || fail "$IT_LAST: $n ocf-exit-reason lines, expected exactly 1"
  REASON=$(sed -n 's/^ocf-exit-reason://p' "$IT_TMP/err")
}

assert_reason() {  # assert_reason NEEDLE...: exactly one reason line, holding every needle
  local needle
  reason
  for needle in "$@"; do assert_contains "$REASON" "$needle" "ocf-exit-reason of $IT_LAST"; done
  ok "$IT_LAST: reason names $*"
}

assert_no_reason() {
  ! grep -q '^ocf-exit-reason:' "$IT_TMP/err" || fail "$IT_LAST: unexpected ocf-exit-reason"
}

# --- the agent -----------------------------------------------------------------------

declare -A IT_ENV=()

# resource NAME=VALUE...: the resource's parameters (OCF_RESKEY_NAME), replacing earlier ones.
resource() {
  IT_ENV=([OCF_RESOURCE_INSTANCE]="${IT_INSTANCE:-fs_$IT_NAME}" [OCF_RESKEY_CRM_meta_on_node]=itnode)
  local kv
  for kv in "$@"; do IT_ENV[OCF_RESKEY_${kv%%=*}]=${kv#*=}; done
}

# agent ACTION [NAME=VALUE | -NAME]...: runs the agent at its installed path with the
# resource's environment, extra variables (full names: OCF_CHECK_LEVEL=20,
# OCF_RESKEY_options=x) and without the -NAMEd ones. Sets RC; output in $IT_TMP/out, err.
# A safety net (IT_SAFETY seconds, 60 by default) fails the test if the agent hangs.
agent() {
  local action=$1 kv
  shift
  local -A env=()
  for kv in "${!IT_ENV[@]}"; do env[$kv]=${IT_ENV[$kv]}; done
  for kv in "$@"; do
    if [[ $kv == -* ]]; then unset "env[${kv#-}]"; else env[${kv%%=*}]=${kv#*=}; fi
  done
  local -a assignments=(PATH=/usr/sbin:/usr/bin:/sbin:/bin OCF_ROOT=/usr/lib/ocf HA_LOGFACILITY=none)
  for kv in "${!env[@]}"; do assignments+=("$kv=${env[$kv]}"); done
  local -a argv=("$AGENT")
  [[ -n $action ]] && argv+=("$action")
  IT_LAST="$action${*:+ ($*)}"
  env -i "${assignments[@]}" timeout -k 2 "${IT_SAFETY:-60}" "${argv[@]}" \
    </dev/null >"$IT_TMP/out" 2>"$IT_TMP/err"
  RC=$?
  if [[ $RC == 124 || $RC == 137 ]]; then
    fail "$IT_LAST: still running after the ${IT_SAFETY:-60} s safety net"
  fi
  return 0
}

# agent_until RC ACTION [...]: repeats the call (for up to 10 s) until it exits with RC.
agent_until() {
  local want=$1 i
  shift
  for ((i = 0; i < 20; i++)); do
    agent "$@"
    [[ $RC == "$want" ]] && return 0
    sleep 0.5
  done
}

# --- devices and mounts --------------------------------------------------------------

# make_fs TYPE [mkfs options...]: a loop device over a fresh sparse image with TYPE on it.
# Sets DEV (the loop device) and IMG.
make_fs() {
  local type=$1
  shift
  IMG=$IT_TMP/img.$((${#IT_LOOPS[@]} + 1))
  case $type in
    xfs) truncate -s 320M "$IMG" && mkfs.xfs -q -f "$@" "$IMG" ;;
    ext*) truncate -s 64M "$IMG" && "mkfs.$type" -q -F "$@" "$IMG" ;;
    *) fail "make_fs: unknown type $type" ;;
  esac || fail "mkfs.$type on $IMG failed"
  attach_loop "$IMG"
}

attach_loop() {  # attach_loop FILE: sets DEV
  DEV=$(losetup --find --show "$1") || fail "losetup $1 failed"
  IT_LOOPS+=("$DEV")
}

majmin() { stat -Lc '%Hr:%Lr' "$1"; }

# The form /proc/self/mountinfo writes a path in.
mi_escape() {
  local p=${1//\\/\\134}
  p=${p// /\\040}
  p=${p//$'\t'/\\011}
  printf '%s' "${p//$'\n'/\\012}"
}

mi_unescape() {
  local p=${1//\\040/ }
  p=${p//\\011/$'\t'}
  p=${p//\\012/$'\n'}
  printf '%s' "${p//\\134/\\}"
}

# The maj:min of the topmost mount on DIR, or nothing.
mounted_on() {
  D=$(mi_escape "$1") awk '$5 == ENVIRON["D"] { m = $3 } END { if (m != "") print m }' /proc/self/mountinfo
}

# Mount points at or below DIR, unescaped, one per line, latest first.
mounts_under() {
  local p
  D=$(mi_escape "$1") awk '$5 == ENVIRON["D"] || index($5, ENVIRON["D"] "/") == 1 { print $5 }' \
    /proc/self/mountinfo | tac | while IFS= read -r p; do mi_unescape "$p"; echo; done
}

assert_mounted() {  # assert_mounted DEVICE DIR
  local want got
  want=$(majmin "$1")
  got=$(mounted_on "$2")
  [[ $got == "$want" ]] || fail "$1 ($want) is not mounted on $2 (there: ${got:-nothing})"
  ok "$1 is mounted on $2"
}

assert_not_mounted() {  # assert_not_mounted DIR
  local got
  got=$(mounted_on "$1")
  [[ -z $got ]] || fail "${2:-}${2:+: }$1 still has $got mounted"
  ok "nothing is mounted on $1"
}

# --- processes -----------------------------------------------------------------------

track() { IT_PIDS+=("$1"); }

# links_to PID LINK PATH: /proc/PID/LINK (cwd, fd/0, ...) points at PATH now. For
# wait_for, which must re-read the link on every try: "wait_for test "$(readlink ..)""
# would compare the value read once, before the first try.
links_to() { [[ $(readlink "/proc/$1/$2" 2>/dev/null) == "$3" ]]; }

# wait_for CONDITION-COMMAND...: polls for up to 10 s.
wait_for() {
  local i
  for ((i = 0; i < 100; i++)); do
    "$@" && return 0
    sleep 0.1
  done
  return 1
}

# --- cleanup -------------------------------------------------------------------------

it_unmount_under() {  # unmounts everything at or below IT_TMP, latest first
  local m
  while IFS= read -r m; do
    [[ -n $m ]] && umount "$m" 2>/dev/null
  done < <(mounts_under "$IT_TMP")
}

it_cleanup() {
  local rc=$? pid m loop
  set +e
  trap - EXIT
  for m in "${IT_FROZEN[@]}"; do fsfreeze -u "$m" 2>/dev/null; done
  for pid in "${IT_PIDS[@]}" "${IT_SERVERS[@]}"; do kill -CONT "$pid" 2>/dev/null; done
  for pid in "${IT_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null; done
  for pid in "${IT_PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  it_unmount_under
  it_unmount_under
  for loop in "${IT_LOOPS[@]}"; do losetup -d "$loop" 2>/dev/null; done
  it_unmount_under
  for pid in "${IT_SERVERS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${IT_SERVERS[@]}"; do wait "$pid" 2>/dev/null; done
  it_unmount_under
  local left
  left=$(mounts_under "$IT_TMP")
  if [[ -n $left ]]; then
    echo "LEAK: still mounted after cleanup, unmounting lazily: $left"
    while IFS= read -r m; do [[ -n $m ]] && umount -l "$m"; done <<<"$left"
    rc=1
  fi
  for loop in "${IT_LOOPS[@]}"; do
    if losetup "$loop" 2>/dev/null | grep -qF "$IT_TMP"; then
      sleep 0.5
      losetup -d "$loop" 2>/dev/null
      if losetup "$loop" 2>/dev/null | grep -qF "$IT_TMP"; then
        echo "LEAK: loop device $loop still attached"
        rc=1
      fi
    fi
  done
  [[ -z $(mounts_under "$IT_TMP") ]] && rm -rf --one-file-system "$IT_TMP"
  if [[ $rc == 0 ]]; then echo "PASS: $IT_NAME ($IT_COUNT checks)"; fi
  exit "$rc"
}

trap it_cleanup EXIT
trap 'echo "FAIL: $IT_NAME: interrupted"; exit 1' INT TERM HUP
