#!/bin/sh
# The mock OCI API's hook for the real-DRBD guests (cluster.py): an instance that
# reaches STOPPED is powered off: SIGKILL to that guest's qemu, whose pid guests.py
# keeps in RUN/NAME.pid. While it is STOPPING it still runs, the latest a real one may
# stop. Other transitions change nothing here: a guest is booted again by the scenario.
#   power-off-hook.sh RUN        (the mock sets MOCK_STATE and MOCK_INSTANCE_NAME)
[ "$MOCK_STATE" = STOPPED ] || exit 0
pid=$(cat "$1/$MOCK_INSTANCE_NAME.pid" 2>/dev/null) || exit 0
# Only a qemu: a pid left from a guest that is gone may name another process by now.
case $(cat "/proc/$pid/comm" 2>/dev/null) in qemu-system-*) kill -KILL "$pid" ;; esac
exit 0
