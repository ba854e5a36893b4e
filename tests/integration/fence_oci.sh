#!/bin/bash
# fence_oci against the mock OCI API, driven as pacemaker-fenced drives it (key=value
# lines on stdin) and as an admin does (getopt-style arguments): every action, the
# algorithm's verification, throttling and server errors, a STOP that never
# completes, unknown plugs, refused credentials, name resolution, list paging and
# the race check.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib/mock-oci.sh"
. "$HERE/../lib/checks.sh"
FENCE=${SFT_FENCE_OCI:-$HERE/../../build/stage/usr/sbin/fence_oci}
trap mock_stop EXIT

mock_start || exit 1
COMP=$(mock_json "$MOCK_DIR/effective-seed.json" 'd["instances"][0]["compartmentId"]')
NODE1=$(mock_id instances node1)
NODE2=$(mock_id instances node2)
NODE3=$(mock_id instances node3)
state() { mock_control GET "instances/$1" | "$MOCK_PYTHON3" -c 'import json,sys; print(json.load(sys.stdin)["lifecycleState"])'; }

# fence LINES...: runs the agent with these stdin lines added to the device's own,
# as pacemaker-fenced does (no arguments).
fence() {
  local what=$1 want=$2; shift 2
  local lines=("auth=api_key" "config_file=$MOCK_CONFIG" "endpoint=$MOCK_API" "cert_bundle=$MOCK_CA"
               "metadata_url=$MOCK_IMDS" "compartment=$COMP" "nodename=node2" "$@")
  expect "$what" "$want" bash -c 'printf "%s\n" "${@:2}" | "$1"' _ "$FENCE" "${lines[@]}"
}

expect "metadata" 0 "$FENCE" -o metadata
echo "$out" >"$MOCK_DIR/meta.xml"
xmllint --noout "$MOCK_DIR/meta.xml" 2>/dev/null && ok "metadata is well-formed XML" || bad "metadata is not XML"
contains "metadata names plug" "$out" 'name="plug"'

# A config file named without auth: instance principals read none, so it would be
# ignored; refused instead, with the reason, before any API call.
mock_control POST log/clear >/dev/null
expect "config_file without auth is refused" 1 bash -c 'printf "%s\n" "${@:2}" | "$1"' _ "$FENCE" \
  action=status plug="$NODE2" config_file="$MOCK_CONFIG" endpoint="$MOCK_API" metadata_url="$MOCK_IMDS"
contains "and the line says why" "$err" "Failed: config_file names an OCI config file, but auth is instance_principal, which reads none: set auth to api_key or security_token to use the file, or leave config_file unset"
[[ $(mock_count ImdsInstance) == 0 && $(mock_count GetInstance) == 0 ]] && ok "no call was made" || bad "calls were made"
expect "validate-all refuses a profile without auth too" 1 bash -c 'printf "%s\n" "${@:2}" | "$1"' _ "$FENCE" \
  action=validate-all profile=OTHER
contains "naming profile" "$err" "Failed: profile names an OCI config file, but auth is instance_principal"

fence "status of a running instance" 0 action=status plug="$NODE2"
contains "says ON" "$out" "Status: ON"

mock_control POST log/clear >/dev/null
fence "off" 0 action=off plug="$NODE2"
contains "says Powered OFF" "$out" "Success: Powered OFF"
[[ $(state "$NODE2") == STOPPED ]] && ok "the instance is STOPPED" || bad "node2 is $(state "$NODE2")"
actions=$(mock_count InstanceAction)
polls=$(mock_count GetInstance)
[[ $actions == 1 ]] && ok "one InstanceAction for off" || bad "$actions InstanceAction calls"
[[ $(mock_count ImdsInstance) == 1 ]] && ok "this instance asked of IMDS once (race check)" || bad "$(mock_count ImdsInstance) IMDS reads"
[[ $polls -ge 3 ]] && ok "GetInstance: status, race check and $((polls - 2)) poll(s)" || bad "only $polls GetInstance calls"

fence "status of a stopped instance exits 2" 2 action=status plug="$NODE2"
contains "says OFF" "$out" "Status: OFF"
fence "off again" 0 action=off plug="$NODE2"
contains "already off" "$out" "Already OFF"
[[ $(mock_count InstanceAction) == 1 ]] && ok "no second STOP" || bad "a second STOP was sent"

fence "on" 0 action=on plug="$NODE2"
contains "says Powered ON" "$out" "Success: Powered ON"
[[ $(state "$NODE2") == RUNNING ]] && ok "the instance is RUNNING" || bad "node2 is $(state "$NODE2")"

mock_control POST log/clear >/dev/null
fence "reboot (onoff)" 0 action=reboot plug="$NODE3"
[[ $(state "$NODE3") == RUNNING ]] && ok "rebooted instance RUNNING" || bad "node3 is $(state "$NODE3")"
[[ $(mock_count InstanceAction) == 2 ]] && ok "STOP then START" || bad "$(mock_count InstanceAction) actions"

mock_control POST log/clear >/dev/null
fence "reboot (cycle)" 0 action=reboot method=cycle plug="$NODE3"
mock_control GET log >"$MOCK_DIR/log.json"
[[ $(mock_json "$MOCK_DIR/log.json" '[e["query"] for e in d if e["operation"] == "InstanceAction"]') == *RESET* ]] &&
  ok "cycle sent RESET" || bad "cycle did not send RESET"
[[ $(state "$NODE3") == RUNNING ]] && ok "reset instance RUNNING" || bad "node3 is $(state "$NODE3")"

fence "list" 0 action=list
[[ $(grep -c "^ocid1.instance" <<<"$out") == 3 ]] && ok "three instances over two pages" || bad "list: $out"
contains "id,alias" "$out" "$NODE2,node2"
fence "list-status" 0 action=list-status
contains "id,alias,ON" "$out" "$NODE2,node2,ON"
fence "monitor" 0 action=monitor

fence "a display name as plug" 0 action=status plug=node2
contains "and answers for it" "$out" "Status: ON"
fence "port is plug's old name" 0 action=status port="$NODE2"
contains "and answers for it" "$out" "Status: ON"
expect "getopt-style arguments" 0 "$FENCE" -o status -n node2 --auth api_key --config-file "$MOCK_CONFIG" \
  --endpoint "$MOCK_API" --cert-bundle "$MOCK_CA" --metadata-url "$MOCK_IMDS" --compartment "$COMP"
contains "says ON" "$out" "Status: ON"

fence "an unknown plug" 1 action=status plug=ocid1.instance.oc1.iad.aaaaaaaanosuchinstance
contains "names status and code" "$err" "404 NotAuthorizedOrNotFound"
contains "names the request id" "$err" "opc-request-id MOCK/"
fence "an unknown name" 1 action=off plug=node9
contains "says no such name" "$err" "no instance of that name"

# Throttling and server errors are retried within the deadline.
mock_control POST faults '[{"operation": "InstanceAction", "status": 429, "code": "TooManyRequests", "retry_after": 1, "count": 3},
                          {"operation": "GetInstance", "status": 500, "code": "InternalServerError", "count": 3}]' >/dev/null
fence "off through a 429 storm and 500s" 0 action=off plug="$NODE2"
[[ $(state "$NODE2") == STOPPED ]] && ok "stopped in the end" || bad "node2 is $(state "$NODE2")"
fence "on" 0 action=on plug="$NODE2"

# A STOP that never completes fails at power_timeout and is never reported as off.
mock_control POST state/patch '{"timing": {"stop_seconds": 1000}}' >/dev/null
fence "a STOP that never completes" 1 action=off plug="$NODE2" power_timeout=3
[[ $out != *Success* ]] && ok "no success claimed" || bad "claimed success: $out"
contains "says it timed out" "$err" "power_timeout"
mock_control POST state/patch "{\"timing\": {\"stop_seconds\": 1}, \"instances\": {\"$NODE2\": {\"lifecycleState\": \"RUNNING\"}}}" >/dev/null

# The race check: this node (node1, the IMDS self) is being stopped.
mock_control POST state/patch "{\"instances\": {\"$NODE1\": {\"lifecycleState\": \"STOPPING\"}}}" >/dev/null
mock_control POST log/clear >/dev/null
fence "the race check refuses while this node is STOPPING" 1 action=off plug="$NODE2"
contains "says why" "$err" "race check"
[[ $(mock_count InstanceAction) == 0 ]] && ok "no STOP was sent" || bad "a STOP was sent"
mock_control POST log/clear >/dev/null
fence "skip_race_check fences anyway" 0 action=off plug="$NODE2" skip_race_check=1
[[ $(state "$NODE2") == STOPPED ]] && ok "node2 STOPPED without the race check" || bad "node2 is $(state "$NODE2")"
[[ $(mock_count ImdsInstance) == 0 ]] && ok "no IMDS read without the race check" || bad "IMDS read without the race check"
mock_control POST state/patch "{\"instances\": {\"$NODE1\": {\"lifecycleState\": \"RUNNING\"}, \"$NODE2\": {\"lifecycleState\": \"RUNNING\"}}}" >/dev/null

# Credentials OCI refuses: one clear line, no key material.
openssl genrsa -out "$MOCK_DIR/other.pem" 2048 2>/dev/null && chmod 600 "$MOCK_DIR/other.pem"
FP=$(openssl rsa -in "$MOCK_DIR/other.pem" -pubout -outform DER 2>/dev/null | openssl md5 -c | sed 's/.*= //')
sed -e "s|^key_file=.*|key_file=$MOCK_DIR/other.pem|" -e "s|^fingerprint=.*|fingerprint=$FP|" "$MOCK_CONFIG" >"$MOCK_DIR/other-config"
fence "a key OCI does not know" 1 action=status plug="$NODE2" config_file="$MOCK_DIR/other-config"
contains "401 NotAuthenticated" "$err" "401 NotAuthenticated"
[[ $out$err != *BEGIN* ]] && ok "no key material printed" || bad "key material printed"

# Instance principal (the default auth): no config file at all.
expect "instance principal" 0 bash -c 'printf "%s\n" "${@:2}" | "$1"' _ "$FENCE" action=status plug="$NODE2" \
  endpoint="$MOCK_API" auth_endpoint="$MOCK_API" cert_bundle="$MOCK_CA" metadata_url="$MOCK_IMDS"
contains "says ON" "$out" "Status: ON"

finish
