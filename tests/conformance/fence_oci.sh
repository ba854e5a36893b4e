#!/usr/bin/env bash
# The installed fence_oci judged by the cluster stack: crm_resource and pcs read its
# metadata; on a real single-node Corosync+Pacemaker, `pcs stonith create` with the
# mock OCI API starts the device (crm_mon shows it Started, its monitor proves the
# API works), `stonith_admin --list` names it for its target, and
# `stonith_admin --fence` powers the target instance off in the mock.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../lib/mock-oci.sh"
need_root
harness="$(cd "$(dirname "$0")/../lib" && pwd)/pcmk-single.sh"

check "crm_resource reads the metadata" bash -c "crm_resource --show-metadata stonith:fence_oci | grep -q 'name=\"plug\"'"
check "pcs stonith describe reads it" bash -c "pcs stonith describe fence_oci | grep -q compartment"
check "pcs lists fence_oci among the agents" bash -c "pcs stonith list | grep -q '^fence_oci'"

mock_start || { echo "FAIL: the mock OCI API did not start"; exit 1; }
at_exit mock_stop
COMP=$(mock_json "$MOCK_DIR/effective-seed.json" 'd["instances"][0]["compartmentId"]')
NODE2=$(mock_id instances node2)
state() { mock_control GET "instances/$1" | "$MOCK_PYTHON3" -c 'import json,sys; print(json.load(sys.stdin)["lifecycleState"])'; }

export SFT_PCMK_STATE=/run/sft-pcmk-conformance-fence
"$harness" start || { echo "FAIL: the test cluster did not start"; exit 1; }
at_exit "'$harness' stop"


check "pcs stonith create fence_oci succeeds" \
  pcs stonith create oci-fence fence_oci auth=api_key config_file="$MOCK_CONFIG" endpoint="$MOCK_API" \
  cert_bundle="$MOCK_CA" metadata_url="$MOCK_IMDS" compartment="$COMP" pcmk_host_map="peer:$NODE2" \
  op monitor interval=10s
check "crm_mon shows the device Started" wait_for "string(/pacemaker-result/resources/resource[@id='oci-fence']/@role)" Started
monitor_seen() {
  local i
  for ((i = 0; i < 150; i++)); do [ "$(mock_count ListInstances 200)" -ge 1 ] && return 0; sleep 0.2; done
  return 1
}
check "its monitor reached the API" monitor_seen
check "stonith_admin --list names the device for its target" bash -c "stonith_admin --list peer | grep -q oci-fence"
check "stonith_admin --fence powers the target off" stonith_admin --fence peer --timeout 120
check "the instance is STOPPED in the mock" test "$(state "$NODE2")" = STOPPED
check "the fence history records success" bash -c "stonith_admin --history peer | grep -q 'successful'"
check "the device stays free of secrets in the CIB" bash -c "! cibadmin -Q | grep -q 'BEGIN'"
pcs stonith delete oci-fence >/dev/null 2>&1
finish
