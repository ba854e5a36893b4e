#!/bin/bash
# `sft oci raw-request` against the mock OCI API: signs, sends, prints the body; exit
# 0 on 2xx; otherwise status, code, message and opc-request-id on stderr and exit 1;
# usage and configuration errors exit 2 with one line naming what is wrong.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib/mock-oci.sh"
. "$HERE/../lib/checks.sh"
SFT=${SFT_COMMAND:-$HERE/../../build/stage/usr/bin/sft}
trap mock_stop EXIT

mock_start || exit 1
NODE1=$(mock_id instances node1)
COMP=$(mock_json "$MOCK_DIR/effective-seed.json" 'd["instances"][0]["compartmentId"]')
common=(--config-file "$MOCK_CONFIG" --cert-bundle "$MOCK_CA")

expect "GET an instance" 0 "$SFT" oci raw-request "${common[@]}" --http-method GET --target-uri "$MOCK_API/20160918/instances/$NODE1"
contains "the body is printed" "$out" '"displayName": "node1"'
[[ -z $err ]] && ok "nothing on stderr" || bad "stderr not empty: $err"
[[ $(mock_count GetInstance 200) == 1 ]] && ok "one GetInstance reached the mock" || bad "GetInstance count"

expect "a query string is signed as sent" 0 "$SFT" oci raw-request "${common[@]}" --http-method GET \
  --target-uri "$MOCK_API/20160918/instances?compartmentId=$COMP&displayName=node2"
contains "the filter applied" "$out" '"displayName": "node2"'

expect "POST with a body" 0 "$SFT" oci raw-request "${common[@]}" --http-method POST \
  --target-uri "$MOCK_API/20160918/publicIps/actions/getByPrivateIpId" \
  --request-body "{\"privateIpId\": \"$(mock_id privateIps 10.0.0.100)\"}"
contains "the public IP" "$out" '203.0.113.10'

echo "{\"privateIpId\": \"$(mock_id privateIps 10.0.0.100)\"}" >"$MOCK_DIR/body.json"
expect "a body from file://" 0 "$SFT" oci raw-request "${common[@]}" --http-method POST \
  --target-uri "$MOCK_API/20160918/publicIps/actions/getByPrivateIpId" --request-body "file://$MOCK_DIR/body.json"

expect "an empty POST (InstanceAction) carries a retry token" 0 "$SFT" oci raw-request "${common[@]}" \
  --http-method POST --target-uri "$MOCK_API/20160918/instances/$(mock_id instances node3)?action=STOP"
contains "the instance is stopping" "$out" 'STOPPING'

expect "404 exits 1" 1 "$SFT" oci raw-request "${common[@]}" --http-method GET \
  --target-uri "$MOCK_API/20160918/instances/ocid1.instance.oc1.iad.nosuchthing"
contains "stderr names status and code" "$err" "HTTP 404 NotAuthorizedOrNotFound"
contains "stderr names the opc-request-id" "$err" "opc-request-id MOCK/"
[[ $(wc -l <<<"$err") -eq 1 ]] && ok "one line on stderr" || bad "stderr has $(wc -l <<<"$err") lines"
contains "the error body is printed too" "$out" '"code"'

mock_control POST faults '[{"operation": "GetInstance", "status": 429, "code": "TooManyRequests", "retry_after": 1, "count": 1}]' >/dev/null
expect "429 is retried" 0 "$SFT" oci raw-request "${common[@]}" --http-method GET --target-uri "$MOCK_API/20160918/instances/$NODE1"

mock_control POST faults '[{"operation": "GetInstance", "status": 503, "code": "ServiceUnavailable", "count": -1}]' >/dev/null
expect "endless 503 fails at --timeout" 1 "$SFT" oci raw-request "${common[@]}" --timeout 3 --http-method GET --target-uri "$MOCK_API/20160918/instances/$NODE1"
contains "and says 503" "$err" "HTTP 503 ServiceUnavailable"
mock_control DELETE faults >/dev/null

expect "missing --http-method" 2 "$SFT" oci raw-request "${common[@]}" --target-uri "$MOCK_API/x"
contains "names the option" "$err" "--http-method is required"
expect "bad method" 2 "$SFT" oci raw-request "${common[@]}" --http-method FETCH --target-uri "$MOCK_API/x"
expect "body is not JSON" 2 "$SFT" oci raw-request "${common[@]}" --http-method POST --target-uri "$MOCK_API/x" --request-body '{nope'
contains "says so" "$err" "not JSON"
expect "unknown option" 2 "$SFT" oci raw-request --bogus 1
expect "--timeout 0" 2 "$SFT" oci raw-request "${common[@]}" --timeout 0 --http-method GET --target-uri "$MOCK_API/x"
contains "names the option" "$err" "--timeout '0'"
expect "--timeout abc" 2 "$SFT" oci raw-request "${common[@]}" --timeout abc --http-method GET --target-uri "$MOCK_API/x"
expect "--timeout in Pacemaker's spelling" 0 "$SFT" oci raw-request "${common[@]}" --timeout 30s --http-method GET --target-uri "$MOCK_API/20160918/instances/$NODE1"
expect "bad --auth" 2 "$SFT" oci raw-request --auth password --http-method GET --target-uri "$MOCK_API/x"
expect "missing config file" 2 "$SFT" oci raw-request --config-file "$MOCK_DIR/none" --http-method GET --target-uri "$MOCK_API/x"
contains "names the file" "$err" "$MOCK_DIR/none"
chmod 644 "$MOCK_KEY"
expect "a key others can read is refused" 2 "$SFT" oci raw-request "${common[@]}" --http-method GET --target-uri "$MOCK_API/20160918/instances/$NODE1"
contains "says why" "$err" "too open"
chmod 600 "$MOCK_KEY"
expect "without the CA bundle, TLS verification refuses" 2 "$SFT" oci raw-request --config-file "$MOCK_CONFIG" --http-method GET --target-uri "$MOCK_API/20160918/instances/$NODE1"

# Instance principal: two successive processes, one federation.
export OCI_METADATA_BASE_URL=$MOCK_IMDS XDG_RUNTIME_DIR=$MOCK_DIR/run
mkdir -m 700 "$XDG_RUNTIME_DIR"
ip=(--auth instance_principal --endpoint "$MOCK_API" --auth-endpoint "$MOCK_API" --cert-bundle "$MOCK_CA")
mock_control POST log/clear >/dev/null
for i in 1 2 3; do
  expect "instance principal, process $i" 0 "$SFT" oci raw-request "${ip[@]}" --http-method GET --target-uri "$MOCK_API/20160918/instances/$NODE1"
done
[[ $(mock_count Federation) == 1 ]] && ok "three processes, one federation call" || bad "federations: $(mock_count Federation)"
[[ $(mock_count GetInstance 200) == 3 ]] && ok "three GetInstance answered" || bad "GetInstance count"
expect "--no-token-cache federates again" 0 "$SFT" oci raw-request "${ip[@]}" --no-token-cache --http-method GET --target-uri "$MOCK_API/20160918/instances/$NODE1"
[[ $(mock_count Federation) == 2 ]] && ok "a second federation" || bad "federations: $(mock_count Federation)"
if [[ $out$err == *BEGIN* ]]; then bad "key material printed"; else ok "no key material printed"; fi

finish
