#!/bin/bash
# `sft oci check` against the mock OCI API: every permission the agents need is read
# once; a missing one shows as a FAIL row with the IAM policy statement that fixes it.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib/mock-oci.sh"
. "$HERE/../lib/checks.sh"
SFT=${SFT_COMMAND:-$HERE/../../build/stage/usr/bin/sft}
trap mock_stop EXIT
row() {  # row NAME RESULT: the table has a row starting with NAME whose result is RESULT
  if grep -Eq "^$1( \([^)]*\))? +$2 " <<<"$out"; then ok "row '$1' is $2"; else bad "row '$1' is not $2:"; echo "$out"; fi
}

mock_start || exit 1
export OCI_METADATA_BASE_URL=$MOCK_IMDS
COMP=$(mock_json "$MOCK_DIR/effective-seed.json" 'd["instances"][0]["compartmentId"]')
USER_ID=$(mock_json "$MOCK_DIR/ready.json" 'd["api_keys"][0]["user"]')
key=(--config-file "$MOCK_CONFIG" --cert-bundle "$MOCK_CA" --endpoint "$MOCK_API" --dns-endpoint "$MOCK_API")

expect "everything allowed" 0 "$SFT" oci check "${key[@]}" --zone example.com
for r in "instance metadata" "authentication" "read instances" "list instances" "list VNIC attachments" \
         "read VNIC 0" "read subnet 0" "list private IPs 0" "list reserved public IPs" "read DNS zone example.com"; do
  row "$r" pass
done
contains "the instance is named" "$out" "(node1)"
contains "the public IP is found" "$out" "203.0.113.10"
[[ $out != *"To fix"* ]] && ok "nothing to fix" || bad "a fix section without failures"
[[ $(mock_count UpdatePrivateIp) == 0 && $(mock_count InstanceAction) == 0 && $(mock_count CreatePrivateIp) == 0 ]] &&
  ok "no call changed anything" || bad "check made a write call"

expect "no zone: the DNS row is skipped" 0 "$SFT" oci check "${key[@]}"
row "read DNS zone \(dns-record\)" skip

expect "a private zone through its view" 0 "$SFT" oci check "${key[@]}" --zone cluster.internal --zone-scope private \
  --view-id "$(mock_json "$MOCK_DIR/effective-seed.json" '[z for z in d["dnsZones"] if z["name"] == "cluster.internal"][0]["viewId"]')"
row "read DNS zone cluster.internal" pass
ZONE_ID=$(mock_json "$MOCK_DIR/effective-seed.json" '[z for z in d["dnsZones"] if z["name"] == "example.com"][0]["id"]')
expect "a misspelt --zone-scope" 2 "$SFT" oci check "${key[@]}" --zone example.com --zone-scope privat
contains "names the option" "$err" "--zone-scope 'privat'"
expect "a zone given by its OCID" 0 "$SFT" oci check "${key[@]}" --zone "$ZONE_ID"
row "read DNS zone $ZONE_ID" pass
contains "the zone's name is shown" "$out" "example.com (GLOBAL)"

mock_control POST state/patch "{\"deny\": [{\"principal\": \"$USER_ID\", \"operation\": \"ListPublicIps\"}]}" >/dev/null
expect "a missing public-IP permission fails the check" 3 "$SFT" oci check "${key[@]}"
row "list reserved public IPs" FAIL

mock_control POST state/patch '{"deny": []}' >/dev/null
mock_control POST faults '[{"operation": "ListInstances", "status": 503, "code": "ServiceUnavailable", "count": -1}]' >/dev/null
expect "an outage is not a missing policy" 3 "$SFT" oci check "${key[@]}" --timeout 8
row "list instances" FAIL
contains "the row names the 503" "$out" "503 ServiceUnavailable"
[[ $out != *"to use instance-family"* ]] && ok "no policy statement offered for a 503" || bad "a policy offered for a 503"
mock_control DELETE faults >/dev/null

mock_control POST state/patch "{\"deny\": [{\"principal\": \"$USER_ID\", \"operation\": \"ListPrivateIps\"}]}" >/dev/null
expect "a missing permission fails the check" 3 "$SFT" oci check "${key[@]}"
row "list private IPs 0" FAIL
row "read VNIC 0" pass
contains "the failure names the status" "$out" "HTTP 404 NotAuthorizedOrNotFound"
contains "the fix is the policy statement" "$out" "Allow group <your-group> to use virtual-network-family in compartment id $COMP"

mock_control POST state/patch '{"deny": [{"principal": "instance", "operation": "ListInstances"}]}' >/dev/null
export XDG_RUNTIME_DIR=$MOCK_DIR/run
mkdir -m 700 "$XDG_RUNTIME_DIR"
expect "instance principal: a missing permission" 3 "$SFT" oci check --auth instance_principal --cert-bundle "$MOCK_CA" \
  --endpoint "$MOCK_API" --auth-endpoint "$MOCK_API"
row "authentication" pass
row "read instances" pass
row "list instances" FAIL
contains "the fix names a dynamic group" "$out" "Allow dynamic-group <your-dynamic-group> to use instance-family in compartment id $COMP"
mock_control POST state/patch '{"deny": []}' >/dev/null

# A key OCI does not know: the first call is refused (401), and the fix says so.
openssl genrsa -out "$MOCK_DIR/other.pem" 2048 2>/dev/null && chmod 600 "$MOCK_DIR/other.pem"
FP=$(openssl rsa -in "$MOCK_DIR/other.pem" -pubout -outform DER 2>/dev/null | openssl md5 -c | sed 's/.*= //')
sed -e "s|^key_file=.*|key_file=$MOCK_DIR/other.pem|" -e "s|^fingerprint=.*|fingerprint=$FP|" "$MOCK_CONFIG" >"$MOCK_DIR/other-config"
mock_control POST log/clear >/dev/null
expect "an unknown key" 3 "$SFT" oci check --config-file "$MOCK_DIR/other-config" --cert-bundle "$MOCK_CA" --endpoint "$MOCK_API"
row "authentication" FAIL
contains "the fix is about credentials" "$out" "OCI refused the credentials (401)"
[[ $(mock_count ListInstances) == 0 ]] && ok "no further calls after a 401" || bad "calls went on after a 401"

OCI_METADATA_BASE_URL=http://127.0.0.1:9/opc/v2 expect "not on an instance" 3 "$SFT" oci check "${key[@]}" --timeout 5
row "instance metadata" FAIL

finish
