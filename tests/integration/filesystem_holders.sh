#!/usr/bin/env bash
# Stop against processes that keep the filesystem busy: a working directory, an open
# file, a memory mapping (with its file closed), a process that ignores TERM; and
# force_unmount=false, which names them instead of signalling.
. "$(dirname "$0")/lib.sh"

make_fs xfs
mnt=$IT_TMP/mnt
resource device="$DEV" directory="$mnt" fstype=xfs signal_delay=1s

start_holders() {
  mkdir -p "$mnt/dir"
  printf 'data\n' >"$mnt/open.txt"
  head -c 65536 /dev/zero >"$mnt/mapped.bin"
  (cd "$mnt/dir" && exec sleep 1000) &
  cwd_pid=$!
  sleep 1000 <"$mnt/open.txt" &
  fd_pid=$!
  # libc's mmap through ctypes: Python's mmap module keeps a dup of the descriptor.
  "$PYTHON3" -c '
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
fd = os.open(sys.argv[1], os.O_RDONLY)
addr = libc.mmap(None, 65536, 1, 1, fd, 0)  # PROT_READ, MAP_SHARED
os.close(fd)
if addr in (None, ctypes.c_void_p(-1).value):
    sys.exit("mmap failed")
print("mapped", flush=True)
time.sleep(1000)
' "$mnt/mapped.bin" >"$IT_TMP/mmap.out" &
  mmap_pid=$!
  track "$cwd_pid"
  track "$fd_pid"
  track "$mmap_pid"
  wait_for grep -q mapped "$IT_TMP/mmap.out" || fail "the mmap holder did not start"
  wait_for links_to "$cwd_pid" cwd "$mnt/dir" || fail "the cwd holder did not start"
  wait_for links_to "$fd_pid" fd/0 "$mnt/open.txt" || fail "the fd holder did not start"
  # The mapping is the only hold the python process has on the filesystem.
  grep -q "$mnt/mapped.bin" "/proc/$mmap_pid/maps" || fail "mapped.bin is not in the maps of $mmap_pid"
  ! ls -l "/proc/$mmap_pid/fd" | grep -q "$mnt" || fail "$mmap_pid still has an fd on $mnt"
}

# died_by PID SIGNAL-NUMBER: reaps PID (a child of this shell) and checks how it ended.
died_by() {
  local status
  { wait "$1"; } 2>/dev/null
  status=$?
  [[ $status == $((128 + $2)) ]] || fail "process $1 ended with status $status, expected signal $2"
}

# --- force_unmount=false: stop fails and names every holder --------------------------
agent start
assert_rc 0 "start"
start_holders
agent stop OCF_RESKEY_force_unmount=false
assert_rc 1 "stop with force_unmount=false and holders"
assert_reason "force_unmount=false" "$cwd_pid (sleep, cwd)" "$fd_pid (sleep, fd 0)" "$mmap_pid (python3, mmap)"
assert_mounted "$DEV" "$mnt"
for pid in "$cwd_pid" "$fd_pid" "$mmap_pid"; do
  kill -0 "$pid" 2>/dev/null || fail "force_unmount=false still signalled $pid"
done
ok "force_unmount=false signalled nobody"

# --- force_unmount=true (default): TERM is enough for these --------------------------
agent stop
assert_rc 0 "stop with holders"
assert_not_mounted "$mnt"
died_by "$cwd_pid" 15
died_by "$fd_pid" 15
died_by "$mmap_pid" 15
ok "stop sent TERM to the cwd, fd and mmap holders"
assert_contains "$(cat "$IT_TMP/err")" "sent TERM" "stop's log"

# --- a holder that ignores TERM gets KILL within the stop timeout --------------------
agent start
assert_rc 0 "start again"
(cd "$mnt" && trap '' TERM && exec sleep 1000) &
stubborn=$!
track "$stubborn"
wait_for links_to "$stubborn" cwd "$mnt" || fail "the TERM-ignoring holder did not start"
grep -q '^SigIgn:.*[4c]000$' "/proc/$stubborn/status" || fail "$stubborn does not ignore TERM"
IT_SAFETY=10 agent stop OCF_RESKEY_CRM_meta_timeout=6000
assert_rc 0 "stop with a TERM-ignoring holder (timeout 6 s)"
assert_not_mounted "$mnt"
died_by "$stubborn" 9
ok "the TERM-ignoring holder was killed by KILL"
assert_contains "$(cat "$IT_TMP/err")" "sent KILL to $stubborn" "stop's log"

# --- a holder no configured signal ends: stop gives up before its timeout and names it
agent start
assert_rc 0 "start once more"
(cd "$mnt" && trap '' TERM USR1 && exec sleep 1000) &
stubborn=$!
track "$stubborn"
wait_for links_to "$stubborn" cwd "$mnt" || fail "the signal-ignoring holder did not start"
IT_SAFETY=10 agent stop OCF_RESKEY_CRM_meta_timeout=3000 OCF_RESKEY_kill_signals=USR1
assert_rc 1 "stop with a holder that ignores TERM and USR1 (kill_signals=USR1, timeout 3 s)"
assert_reason "before the stop timeout" "$stubborn (sleep, cwd)"
assert_mounted "$DEV" "$mnt"
kill -KILL "$stubborn"
died_by "$stubborn" 9
agent stop
assert_rc 0 "stop once the holder is gone"
assert_not_mounted "$mnt"
