#!/usr/bin/env bash
# A real single-node Corosync+Pacemaker runs the installed ocf:sft:drbd as a promotable
# clone, over the stand-in drbdadm/drbdsetup (tests/drbd-standin): pcs creates it,
# crm_mon shows it Promoted with the role and disk attributes, the promotion score
# reaches the attribute manager, a lost peer shows as a degraded replication (an
# attribute, no failed action) without a restart,
# DRBD's handlers place and remove their constraint in the CIB, and pcs resource
# disable takes DRBD down.
. "$(dirname "$0")/lib.sh"
need_root
harness="$(cd "$(dirname "$0")/../lib" && pwd)/pcmk-single.sh"
standin="$(cd "$(dirname "$0")/../drbd-standin" && pwd)"
state="$workdir/drbd"
mkdir -p "$state"
SFT_DRBD_STANDIN=$state "$standin/standin.py" init r0
export SFT_PCMK_STATE=/run/sft-pcmk-drbd
export SFT_PCMK_ENV="PATH=$standin:/usr/sbin:/usr/bin:/sbin:/bin SFT_DRBD_STANDIN=$state SFT_PROC_DRBD=$state/proc-drbd"
"$harness" start || { echo "FAIL: the test cluster did not start"; exit 1; }
at_exit "'$harness' stop"
node=$(crm_node -n)

clone_role="string(//clone[@id='r0-drbd-clone']/resource[@id='r0-drbd']/@role)"
attribute() { echo "string(//node_attributes/node[@name='$node']/attribute[@name='$1']/@value)"; }
standin_get() { SFT_DRBD_STANDIN=$state "$standin/standin.py" get r0 "$1"; }

# This one-node cluster has no fence device: the agent refuses it unless told.
said=$(env -i PATH="$standin:/usr/sbin:/usr/bin" SFT_DRBD_STANDIN="$state" SFT_PROC_DRBD="$state/proc-drbd" \
  OCF_ROOT=/usr/lib/ocf OCF_RESKEY_drbd_resource=r0 HA_LOGFACILITY=none \
  /usr/lib/ocf/resource.d/sft/drbd validate-all 2>&1)
rc=$?
check "validate-all in a cluster with stonith-enabled=false: 6" test "$rc" = 6
check "it names the property" grep -q 'ocf-exit-reason:stonith-enabled=false: DRBD resource r0 needs STONITH' <<<"$said"
check "pcs resource create ocf:sft:drbd ... promotable succeeds" \
  pcs resource create r0-drbd ocf:sft:drbd drbd_resource=r0 wfc_timeout=1s unsafe_without_fencing=true \
  op monitor interval=3s role=Promoted op monitor interval=4s role=Unpromoted \
  promotable promoted-max=1 promoted-node-max=1 clone-max=1 clone-node-max=1 notify=true
check "crm_mon shows it Promoted" wait_for "$clone_role" Promoted
check "DRBD is Primary" test "$(standin_get role)" = Primary
check "crm_mon shows drbd-r0-role=Primary" wait_for "$(attribute drbd-r0-role)" Primary
check "crm_mon shows drbd-r0-disk=UpToDate" wait_for "$(attribute drbd-r0-disk)" UpToDate
check "the promotion score is 10000" \
  bash -c "crm_attribute -N '$node' -n master-r0-drbd -l reboot -G -q 2>/dev/null | grep -qx 10000"

SFT_DRBD_STANDIN=$state "$standin/standin.py" set r0 peer_connection=Connecting
check "the peer gone, crm_mon shows drbd-r0-replication=degraded" wait_for "$(attribute drbd-r0-replication)" degraded
check "it stays Promoted" test "$(xpath "$clone_role")" = Promoted
# Not an exit code: Pacemaker would record 191 as a failure of the monitor.
check "and crm_mon lists no failed action" test "$(xpath "count(//failures/failure)")" = 0
check "and nothing was restarted: DRBD is still Primary" test "$(standin_get role)" = Primary

# DRBD's handlers against this cluster, run as the DRBD 8.4 kernel runs them.
fence_peer=${SFT_HANDLER_DIR:-/usr/lib/drbd}/sft-fence-peer
unfence_peer=${SFT_HANDLER_DIR:-/usr/lib/drbd}/sft-unfence-peer
handler() {  # handler PROGRAM PEER ARGS...: runs it with DRBD's environment; prints the exit code
  local program=$1 peer=$2; shift 2
  env -i PATH="$standin:/usr/sbin:/usr/bin" SFT_DRBD_STANDIN="$state" SFT_PROC_DRBD="$state/proc-drbd" \
    DRBD_RESOURCE=r0 ${minor-DRBD_MINOR=0} \
    DRBD_PEER="$peer" DRBD_PEERS="$peer" DRBD_PEER_ADDRESS=10.99.0.2 DRBD_PEER_AF=ipv4 DRBD_CONF=/etc/drbd.conf \
    "$program" "$@" >/dev/null 2>&1
  echo $?
}
has_ban() { cibadmin -Q -o constraints 2>/dev/null | grep -q 'id="sft-fence-peer-r0"'; }
ban_allows() { cibadmin -Q -o constraints 2>/dev/null | grep -q "attribute=\"#uname\" operation=\"ne\" value=\"$1\""; }
check "fence-peer for a peer the cluster never saw: 1 at its timeout (I/O stays frozen)" \
  test "$(handler "$fence_peer" ghost --timeout=3)" = 1
check "and the constraint is in the CIB" has_ban
check "it forbids Promoted everywhere but here" ban_allows "$node"
check "this node stays Promoted" test "$(xpath "$clone_role")" = Promoted
rc=$(handler "$unfence_peer" ghost)
check "sft-unfence-peer with the peer not Connected exits 0" test "$rc" = 0
check "and leaves the constraint" has_ban
SFT_DRBD_STANDIN=$state "$standin/standin.py" set r0 peer_connection=Connected
rc=$(handler "$unfence_peer" ghost)
check "sft-unfence-peer with the peer Connected and UpToDate exits 0" test "$rc" = 0
check "and removes the constraint" bash -c "! cibadmin -Q -o constraints | grep -q 'id=\"sft-fence-peer-r0\"'"
# The peer online in the DC's CIB, and its controller answering a ping through the cluster.
check "fence-peer for a peer online in the cluster: 4" test "$(handler "$fence_peer" "$node" --timeout=3)" = 4
handler "$unfence_peer" ghost >/dev/null
check "8.4 without DRBD_MINOR (minors from drbdadm sh-minor): 4" \
  test "$(minor= handler "$fence_peer" "$node" --timeout=3)" = 4
handler "$unfence_peer" ghost >/dev/null
cibadmin -C -o constraints -X "$(printf '%s' '<rsc_location id="sft-fence-peer-r0" rsc="r0-drbd-clone"><rule id="sft-fence-peer-r0-rule" role="Promoted" score="-INFINITY" boolean-op="and"><expression id="sft-fence-peer-r0-expr-0" attribute="#uname" operation="ne" value="ghost"/></rule></rsc_location>')"
check "fence-peer where the peer fenced first (the constraint allows only it): 1" \
  test "$(handler "$fence_peer" "$node" --timeout=3)" = 1
check "and the peer's constraint is kept as it was" ban_allows ghost
check "and this node was not added to it" bash -c "! cibadmin -Q -o constraints | grep -q 'value=\"$node\"'"
cibadmin -D -o constraints -X '<rsc_location id="sft-fence-peer-r0"/>' >/dev/null
SFT_DRBD_STANDIN=$state "$standin/standin.py" set r0 disk=Outdated
check "fence-peer with Outdated data here changes nothing: 1" test "$(handler "$fence_peer" ghost --timeout=3)" = 1
check "and places nothing" bash -c "! cibadmin -Q -o constraints | grep -q 'id=\"sft-fence-peer-r0\"'"
SFT_DRBD_STANDIN=$state "$standin/standin.py" set r0 disk=UpToDate

check "pcs resource disable stops it" bash -c "pcs resource disable r0-drbd-clone && $(declare -f xpath wait_for); wait_for \"$clone_role\" Stopped"
check "DRBD is down" bash -c "for i in \$(seq 50); do [ \"\$(SFT_DRBD_STANDIN=$state $standin/standin.py get r0 up)\" = False ] && exit 0; sleep 0.2; done; exit 1"
check "the role attribute is gone" wait_for "$(attribute drbd-r0-role)" ""
pcs resource delete r0-drbd-clone >/dev/null 2>&1
finish
