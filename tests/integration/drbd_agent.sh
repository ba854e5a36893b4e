#!/bin/bash
# The installed ocf:sft:drbd through every action, against the stand-in drbdadm and
# drbdsetup (tests/drbd-standin: what drbd-utils 9.22 prints on DRBD 8.4) and stand-in
# crm_attribute/attrd_updater that record what the agent publishes.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib/checks.sh"
AGENT=${SFT_DRBD_AGENT:-$HERE/../../build/stage/usr/lib/ocf/resource.d/sft/drbd}
STANDIN=$HERE/../drbd-standin
[[ -x $AGENT ]] || { echo "FAIL: no agent at $AGENT"; exit 1; }
if [[ $EUID -ne 0 ]]; then
  [[ ${CI:-} == true ]] && { echo "FAIL: needs root (it publishes under /run/sft)"; exit 1; }
  echo "SKIP: needs root"; exit 77
fi

export SFT_DRBD_STANDIN=$CHECKS_TMP/drbd
export SFT_PROC_DRBD=$SFT_DRBD_STANDIN/proc-drbd
export PATH=$STANDIN:$STANDIN/pacemaker:$PATH
export OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=sft-it-drbd-$$:0
export OCF_RESKEY_drbd_resource=r0 OCF_RESKEY_wfc_timeout=2s OCF_RESKEY_CRM_meta_timeout=20000
export OCF_RESKEY_CRM_meta_clone_max=2 OCF_RESKEY_CRM_meta_promotable=true
export HA_LOGFACILITY=none
trap 'rm -f "/run/sft/drbd/$OCF_RESOURCE_INSTANCE"' EXIT
mkdir -p "$SFT_DRBD_STANDIN"
"$STANDIN/standin.py" init r0 r1

calls() { [[ -f $SFT_DRBD_STANDIN/calls ]] && cat "$SFT_DRBD_STANDIN/calls"; }
forget_calls() { rm -f "$SFT_DRBD_STANDIN/calls"; }
attr() { cat "$SFT_DRBD_STANDIN/attributes/$1" 2>/dev/null || echo "(none)"; }
set_state() { "$STANDIN/standin.py" set r0 "$@"; }
monitor() { OCF_RESKEY_CRM_meta_interval=20000 "$AGENT" monitor; }
probe() { OCF_RESKEY_CRM_meta_interval=0 "$AGENT" monitor; }

expect "meta-data" 0 "$AGENT" meta-data
expect "validate-all" 0 "$AGENT" validate-all
expect "validate-all of a resource not in the configuration" 5 env OCF_RESKEY_drbd_resource=r9 "$AGENT" validate-all
contains "names it" "$err" "'r9' not defined in your config"
set_state fencing=resource-only
expect "validate-all of fencing resource-only" 6 "$AGENT" validate-all
contains "says why it loses writes" "$err" "DRBD resource r0 has fencing resource-only: a Primary cut off from its peer keeps acknowledging writes"
expect "start of it is refused the same way" 6 "$AGENT" start
if calls | grep -q " adjust "; then bad "start refused but ran drbdadm adjust"; else ok "and DRBD was not touched"; fi
expect "unsafe_without_fencing=true accepts it" 0 env OCF_RESKEY_unsafe_without_fencing=true "$AGENT" validate-all
set_state fencing=resource-and-stonith fence_peer=
expect "validate-all of resource-and-stonith without a fence-peer handler" 6 "$AGENT" validate-all
contains "names the handler" "$err" "but no fence-peer handler"
set_state fence_peer=/usr/lib/drbd/sft-fence-peer
expect "validate-all of drbd_resource=--config-file=/tmp/x" 6 env OCF_RESKEY_drbd_resource=--config-file=/tmp/x "$AGENT" validate-all
contains "names the parameter" "$err" "drbd_resource '--config-file=/tmp/x' starts with '-'"
if calls | grep -q -- "--config-file"; then bad "a tool saw --config-file"; else ok "and no tool saw it"; fi
expect "probe while down" 7 probe
"$STANDIN/standin.py" unload
forget_calls
expect "probe without a DRBD module" 7 probe
[[ -z $(calls | grep drbdsetup) ]] && ok "no drbdsetup without a module" || bad "drbdsetup ran without a module"

forget_calls
expect "start" 0 "$AGENT" start
[[ $("$STANDIN/standin.py" get r0 up) == True ]] && ok "r0 is up" || bad "r0 is not up"
contains "start ran drbdadm adjust" "$(calls)" "drbdadm -c /etc/drbd.conf adjust r0"
[[ $(attr promotion) == 10000 ]] && ok "score 10000 published" || bad "score: $(attr promotion)"
[[ $(attr drbd-r0-role) == Secondary && $(attr drbd-r0-disk) == UpToDate && $(attr drbd-r0-replication) == ok ]] &&
  ok "role, disk and replication published" \
  || bad "role/disk/replication: $(attr drbd-r0-role)/$(attr drbd-r0-disk)/$(attr drbd-r0-replication)"
expect "monitor of a healthy Secondary" 0 monitor
forget_calls
expect "a second monitor" 0 monitor
[[ $(calls) == "drbdsetup-84 events2 --now r0" ]] && ok "a steady monitor runs one drbdsetup-84 and writes nothing" \
  || bad "a steady monitor ran: $(calls)"

expect "promote" 0 "$AGENT" promote
expect "monitor of the Primary" 8 monitor
expect "promote again" 0 "$AGENT" promote
set_state peer_connection=Connecting
expect "the peer gone: the Primary still runs" 8 monitor
[[ $(attr drbd-r0-replication) == degraded ]] && ok "its replication is degraded" \
  || bad "replication: $(attr drbd-r0-replication)"
[[ $(attr promotion) == 10000 ]] && ok "a Primary keeps its score" || bad "score: $(attr promotion)"
expect "demote" 0 "$AGENT" demote
expect "a Secondary without its peer runs" 0 monitor
[[ $(attr promotion) == 1000 ]] && ok "score 1000 with the peer unknown" || bad "score: $(attr promotion)"

set_state disk=Outdated
expect "monitor of Outdated data" 0 monitor
[[ $(attr promotion) == "(none)" ]] && ok "no score for Outdated data" || bad "score: $(attr promotion)"
forget_calls
expect "promote of Outdated data is refused" 1 "$AGENT" promote
contains "with the reason" "$err" "ocf-exit-reason:refusing to promote"
[[ -z $(calls | grep "drbdadm.* primary") ]] && ok "drbdadm primary was never run" || bad "drbdadm primary ran"
set_state disk=UpToDate peer_connection=Connected peer_role=Primary
forget_calls
expect "promote while the peer is Primary fails within the timeout" 1 env OCF_RESKEY_CRM_meta_timeout=6000 "$AGENT" promote
contains "with DRBD's refusal" "$err" "Multiple primaries not allowed by config"
[[ $(calls | grep -c "drbdadm.* primary") -ge 2 ]] && ok "it tried more than once" || bad "primary tried $(calls | grep -c primary) times"
set_state peer_role=Secondary

expect "promote for the stop test" 0 "$AGENT" promote
set_state open=true
expect "stop while the device is held open fails within the timeout" 1 env OCF_RESKEY_CRM_meta_timeout=6000 "$AGENT" stop
contains "naming the holder" "$err" "Device is held open by someone"
[[ $("$STANDIN/standin.py" get r0 up) == True ]] && ok "r0 was not taken down" || bad "r0 went down"
set_state open=false
forget_calls
expect "stop" 0 "$AGENT" stop
[[ $("$STANDIN/standin.py" get r0 up) == False ]] && ok "r0 is down" || bad "r0 is still up"
contains "demoted first" "$(calls)" "drbdadm -c /etc/drbd.conf secondary r0"
[[ $(attr promotion) == "(none)" && $(attr drbd-r0-role) == "(none)" ]] && ok "score and attributes withdrawn" \
  || bad "left: $(attr promotion) $(attr drbd-r0-role)"
expect "stop again" 0 "$AGENT" stop
expect "monitor after stop" 7 monitor

expect "start with stop_outdates_secondary" 0 "$AGENT" start
set_state peer_role=Primary
expect "stop of a Secondary whose peer is Primary" 0 env OCF_RESKEY_stop_outdates_secondary=true "$AGENT" stop
[[ $("$STANDIN/standin.py" get r0 disk) == Outdated ]] && ok "the local data is Outdated" || bad "disk: $("$STANDIN/standin.py" get r0 disk)"
finish
