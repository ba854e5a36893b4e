#!/bin/bash
# Our request signer against Oracle's own: for the same key, date and request, the
# signing string and the signature made by libsft_oci (tests/tools/oci_sign) must
# equal those of the TypeScript SDK's DefaultRequestSigner (npm oci-common, pinned in
# oci-common/package-lock.json). Then the mock OCI API must accept requests signed
# by oci-common, and refuse one whose body changed after signing: the mock's verifier
# agrees with Oracle's signer, not only with ours.
#
# Environment: SFT_OCI_SIGN (the oci_sign tool), SFT_NPM_PREFIX (where oci-common is
# installed; npm ci runs when the lock file changed).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib/mock-oci.sh"
. "$HERE/../lib/checks.sh"
SIGN=${SFT_OCI_SIGN:-$HERE/../../build/tests/tools/oci_sign}
PREFIX=${SFT_NPM_PREFIX:-$HERE/../../build/npm-oci-common}
trap mock_stop EXIT

skip_or_fail() {
  if [[ ${CI:-} == true ]]; then echo "FAIL: $* (CI=true forbids skipping)"; exit 1; fi
  echo "SKIP: $*"; exit 77
}
command -v node >/dev/null && command -v npm >/dev/null || skip_or_fail "node and npm are needed (apt install nodejs npm)"

# oci-common, installed once per lock file.
mkdir -p "$PREFIX"
if ! cmp -s "$HERE/oci-common/package-lock.json" "$PREFIX/package-lock.json" || [[ ! -d $PREFIX/node_modules/oci-common ]]; then
  cp "$HERE/oci-common/package.json" "$HERE/oci-common/package-lock.json" "$PREFIX/"
  (cd "$PREFIX" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) ||
    skip_or_fail "npm ci of oci-common failed (no registry?)"
fi
export NODE_PATH=$PREFIX/node_modules

T=$(mktemp -d /tmp/sft-oci-common.XXXXXX)
trap 'mock_stop; rm -rf "$T"' EXIT
openssl genrsa -out "$T/key.pem" 2048 2>/dev/null
TENANCY=ocid1.tenancy.oc1..aaaaaaaaconformance
USER=ocid1.user.oc1..aaaaaaaaconformance
FP=$(openssl rsa -in "$T/key.pem" -pubout -outform DER 2>/dev/null | openssl md5 -c | sed 's/.*= //')
DATE=$(date -u '+%a, %d %b %Y %H:%M:%S GMT')
printf '%s' '{"vnicId":"ocid1.vnic.oc1.iad.aaaaaaaatarget"}' >"$T/put.json"
printf '%s' '{"items":[{"domain":"db.example.com","rtype":"A","rdata":"10.0.0.5","ttl":30,"operation":"ADD"}]}' >"$T/patch.json"
printf '%s' '{"displayName":"caf\u00e9 \u2013 ünïcode"}' >"$T/unicode.json"

# compare NAME METHOD URL [BODY_FILE]
compare() {
  local name=$1 method=$2 url=$3 body=${4:-}
  "$SIGN" "$T/key.pem" "$TENANCY/$USER/$FP" "$DATE" x-date "$method" "$url" ${body:+"$body"} >"$T/ours.json" ||
    { bad "$name: oci_sign failed"; return; }
  node "$HERE/oci-common/sign.js" "$T/key.pem" "$TENANCY" "$USER" "$FP" "$DATE" "$method" "$url" ${body:+"$body"} \
    >"$T/theirs.json" || { bad "$name: oci-common failed"; return; }
  local verdict
  verdict=$(mock_json "$T/ours.json" "(lambda o, t: 'same' if o['signing_string'] == t['signing_string'] and
      o['authorization'].split('signature=')[1] == t['authorization'].split('signature=')[1] else
      'DIFFERENT\nours:   ' + repr(o['signing_string']) + '\ntheirs: ' + repr(t['signing_string']))(d, json.load(open('$T/theirs.json')))")
  if [[ $verdict == same ]]; then ok "$name: signing string and signature equal oci-common's"; else bad "$name: $verdict"; fi
}

compare "GET with an encoded query" GET "https://iaas.us-ashburn-1.oraclecloud.com/20160918/instances?compartmentId=ocid1.compartment.oc1..aaaa&displayName=web%20one&availabilityDomain=Uocm%3AUS-ASHBURN-AD-1"
compare "empty POST (InstanceAction STOP)" POST "https://iaas.us-ashburn-1.oraclecloud.com/20160918/instances/ocid1.instance.oc1.iad.aaaa?action=STOP"
compare "PUT with a body (UpdatePrivateIp)" PUT "https://iaas.us-ashburn-1.oraclecloud.com/20160918/privateIps/ocid1.privateip.oc1.iad.aaaa" "$T/put.json"
compare "PATCH DNS records" PATCH "https://dns.us-ashburn-1.oci.oraclecloud.com/20180115/zones/example.com/records?scope=PRIVATE&viewId=ocid1.dnsview.oc1.iad.aaaa" "$T/patch.json"
compare "DELETE" DELETE "https://iaas.us-ashburn-1.oraclecloud.com/20160918/privateIps/ocid1.privateip.oc1.iad.aaaa"
compare "a non-default port in host" GET "https://127.0.0.1:8443/20160918/vnics/ocid1.vnic.oc1.iad.aaaa"
compare "a UTF-8 body" POST "https://iaas.us-ashburn-1.oraclecloud.com/20160918/privateIps" "$T/unicode.json"

# The mock's verifier against oci-common's signatures.
openssl rsa -in "$T/key.pem" -pubout -out "$T/key.pub" 2>/dev/null
cat >"$T/seed.json" <<SEED
{"tenancy": "$TENANCY", "users": [{"id": "$USER", "publicKeyFile": "$T/key.pub"}],
 "instances": [{"displayName": "node1"}],
 "subnets": [{"cidrBlock": "10.0.0.0/24"}],
 "vnics": [{"subnetId": "subnet-10.0.0.0", "privateIp": "10.0.0.11", "instanceId": "node1"}]}
SEED
mock_start "$T/seed.json" || exit 1
NODE1=$(mock_id instances node1)
send() { node "$HERE/oci-common/send.js" "$T/key.pem" "$TENANCY" "$USER" "$FP" "$MOCK_CA" "$@"; }
r=$(send GET "$MOCK_API/20160918/instances/$NODE1")
[[ $r == 200* ]] && ok "the mock accepts an oci-common GET (x-date)" || bad "oci-common GET: $r"
r=$(send POST "$MOCK_API/20160918/instances/$NODE1?action=SOFTRESET" "")
[[ $r == 200* ]] && ok "the mock accepts an oci-common empty POST" || bad "oci-common POST: $r"
body="{\"vnicId\": \"$(mock_id vnics 10.0.0.11)\", \"ipAddress\": \"10.0.0.77\"}"
r=$(send POST "$MOCK_API/20160918/privateIps" "$body")
[[ $r == 200* ]] && ok "the mock accepts an oci-common POST with a body" || bad "oci-common POST body: $r"
r=$(send POST "$MOCK_API/20160918/privateIps" "${body/77/78}" --tamper)
[[ $r == 401* ]] && ok "the mock refuses a body changed after signing" || bad "tampered body: $r"
[[ $(mock_count CreatePrivateIp 200) == 1 ]] && ok "only the signed create reached the model" || bad "CreatePrivateIp count"

rm -rf "$T"
finish
