#!/usr/bin/env bash
# Where the agent's lines go: HA_LOGFILE and HA_DEBUGLOG (Pacemaker's variables),
# each line naming the resource instance; a monitor that finds all well writes nothing.
. "$(dirname "$0")/lib.sh"

make_fs xfs
mnt=$IT_TMP/mnt
logfile=$IT_TMP/ha.log
debuglog=$IT_TMP/ha-debug.log
resource device="$DEV" directory="$mnt" fstype=xfs

agent start HA_LOGFILE="$logfile"
assert_rc 0 "start"
assert_contains "$(cat "$logfile" 2>/dev/null)" "Filesystem(fs_$IT_NAME)" "HA_LOGFILE names the instance"
assert_contains "$(cat "$logfile")" "mounted $DEV on $mnt" "HA_LOGFILE has the start's line"

agent monitor HA_LOGFILE="$logfile.monitor"
assert_rc 0 "monitor"
[[ ! -s "$IT_TMP/err" ]] || fail "a monitor that finds all well wrote to stderr: $(cat "$IT_TMP/err")"
[[ ! -e "$logfile.monitor" ]] || fail "a monitor that finds all well opened HA_LOGFILE"
ok "a monitor that finds all well writes nothing"

agent monitor HA_debug=1 HA_DEBUGLOG="$debuglog"
assert_rc 0 "monitor with HA_debug=1"
assert_contains "$(cat "$debuglog" 2>/dev/null)" "debug" "HA_DEBUGLOG has debug lines"
assert_contains "$(cat "$debuglog")" "Filesystem(fs_$IT_NAME)" "HA_DEBUGLOG names the instance"

agent start HA_LOGFILE="$logfile" OCF_RESKEY_directory=relative
assert_rc 6 "start with a relative directory"
assert_contains "$(cat "$logfile")" "directory: 'relative' is not an absolute path" "HA_LOGFILE has the exit reason"

agent stop
assert_rc 0 "stop"
